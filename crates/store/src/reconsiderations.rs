//! 复议 (reconsideration) on the staff machine: the 组长 opens one naming applications and, optionally, the
//! points to reconsider, with a reason ([`open`]); the experts concerned change those scores, each change
//! with a reason ([`change`]: typed by staff from paper, or from a score file); the 组长 closes it
//! ([`close`]). The rules are `pingshen_core::reconsideration`'s.
//!
//! Never a silent overwrite: each change keeps the first value, the reconsidered value and the reason in
//! `reconsideration_change` (never rewritten), the sheet gets a new kept version (`sheet_version`, its
//! 评分表校验码 changes), and the audit log has an entry per change. Consolidation reads the sheet's scores,
//! so it uses the reconsidered values.

use pingshen_core::reconsideration::{check_change, check_expert, check_scope, ReconsiderationError, Scope};
use pingshen_core::Tenths;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{audit, rounds, sheets, Result, StoreError};

/// Where a reconsidered score came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Typed by staff from the expert's paper (纸质).
    Paper,
    /// From the expert's score file (评分文件).
    File,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Paper => "paper",
            Source::File => "file",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Source::Paper => "纸质复议表，统分人员录入",
            Source::File => "评分文件",
        }
    }
}

/// One reconsidered score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    pub id: i64,
    pub sheet_id: i64,
    pub expert_code: String,
    pub expert_name: String,
    pub application_id: i64,
    pub application_code: String,
    pub item: String,
    /// The value before the 复议 (the first value).
    pub before: Tenths,
    /// The reconsidered value.
    pub after: Tenths,
    pub reason: String,
    /// `paper` or `file`.
    pub source: String,
    pub actor: String,
    pub at: String,
}

/// A 复议 with what it names and every change made under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconsiderationRow {
    pub id: i64,
    pub round_id: i64,
    /// The expert (the 组长) who opened it.
    pub opened_by: i64,
    pub opened_by_code: String,
    pub opened_by_name: String,
    pub reason: String,
    pub actor: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    /// The applications (id and scope with the 申报编号), in 申报编号 order.
    pub scopes: Vec<(i64, Scope)>,
    pub changes: Vec<ChangeRow>,
}

impl ReconsiderationRow {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// The scopes without their ids.
    pub fn plain_scopes(&self) -> Vec<Scope> {
        self.scopes.iter().map(|(_, s)| s.clone()).collect()
    }
}

/// Opens a 复议 of the round: `opened_by` is an expert of the round (the 组长), `targets` the applications
/// (by id) with the points to reconsider (empty: every point). Refused while another 复议 of the round is
/// open, for an application of another round, and by [`check_scope`]. Logged.
pub fn open(conn: &Connection, round_id: i64, opened_by: i64, targets: &[(i64, Vec<String>)], reason: &str, actor: &str) -> Result<i64> {
    let rubric = rounds::rubric(conn, round_id)?;
    let leader: Option<(String, String)> = conn
        .query_row("SELECT code, name FROM expert WHERE id = ?1 AND round_id = ?2", [opened_by, round_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (leader_code, leader_name) = leader.ok_or(StoreError::ExpertNotInRound)?;
    let mut scopes = Vec::new();
    for (app, items) in targets {
        let code: Option<String> =
            conn.query_row("SELECT code FROM application WHERE id = ?1 AND round_id = ?2", [*app, round_id], |r| r.get(0)).optional()?;
        let code = code.ok_or(StoreError::NotFound { entity: "申报", id: *app })?;
        scopes.push(Scope { application: code, items: items.clone() });
    }
    let scopes = check_scope(&rubric, &scopes, reason)?;
    if current(conn, round_id)?.is_some() {
        return Err(StoreError::ReconsiderationOpen);
    }
    crate::atomically(conn, || {
        conn.execute(
            "INSERT INTO reconsideration (round_id, opened_by, reason, actor) VALUES (?1, ?2, ?3, ?4)",
            params![round_id, opened_by, reason.trim(), actor],
        )?;
        let id = conn.last_insert_rowid();
        for ((app, _), scope) in targets.iter().zip(&scopes) {
            if scope.items.is_empty() {
                conn.execute("INSERT INTO reconsideration_target (reconsideration_id, application_id) VALUES (?1, ?2)", [id, *app])?;
            }
            for item in &scope.items {
                conn.execute(
                    "INSERT INTO reconsideration_target (reconsideration_id, application_id, item_code) VALUES (?1, ?2, ?3)",
                    params![id, app, item],
                )?;
            }
        }
        let named: Vec<String> = scopes.iter().map(Scope::zh).collect();
        audit::append(
            conn,
            actor,
            audit::Action::OpenReconsideration,
            &format!("round:{round_id}"),
            &format!("组长 {leader_code} {leader_name} 发起复议（第 {id} 号）：申报 {}；理由：{}", named.join("、"), reason.trim()),
        )?;
        Ok(id)
    })
}

/// Every 复议 of a round, oldest first.
pub fn list(conn: &Connection, round_id: i64) -> Result<Vec<ReconsiderationRow>> {
    let mut st = conn.prepare(
        "SELECT r.id, r.opened_by, e.code, e.name, r.reason, r.actor, r.opened_at, r.closed_at, r.closed_by
         FROM reconsideration r JOIN expert e ON e.id = r.opened_by WHERE r.round_id = ?1 ORDER BY r.id",
    )?;
    let mut rows = st
        .query_map([round_id], |r| {
            Ok(ReconsiderationRow {
                id: r.get(0)?,
                round_id,
                opened_by: r.get(1)?,
                opened_by_code: r.get(2)?,
                opened_by_name: r.get(3)?,
                reason: r.get(4)?,
                actor: r.get(5)?,
                opened_at: r.get(6)?,
                closed_at: r.get(7)?,
                closed_by: r.get(8)?,
                scopes: Vec::new(),
                changes: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let rubric = rounds::rubric(conn, round_id)?;
    for row in &mut rows {
        let mut st = conn.prepare(
            "SELECT t.application_id, a.code, t.item_code FROM reconsideration_target t JOIN application a ON a.id = t.application_id
             WHERE t.reconsideration_id = ?1 ORDER BY a.code",
        )?;
        let targets: Vec<(i64, String, String)> =
            st.query_map([row.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        for (app, code, item) in targets {
            if !row.scopes.iter().any(|(id, _)| *id == app) {
                row.scopes.push((app, Scope { application: code, items: Vec::new() }));
            }
            if !item.is_empty() {
                row.scopes.iter_mut().find(|(id, _)| *id == app).expect("pushed above").1.items.push(item);
            }
        }
        for (_, s) in &mut row.scopes {
            s.items = rubric.items().filter(|i| s.items.contains(&i.code)).map(|i| i.code.clone()).collect();
        }
        let mut st = conn.prepare(
            "SELECT c.id, c.sheet_id, e.code, e.name, a.id, a.code, c.item_code, c.old_tenths, c.new_tenths, c.reason, c.source, c.actor, c.at
             FROM reconsideration_change c JOIN sheet s ON s.id = c.sheet_id JOIN expert e ON e.id = s.expert_id
             JOIN application a ON a.id = s.application_id WHERE c.reconsideration_id = ?1 ORDER BY c.id",
        )?;
        row.changes = st
            .query_map([row.id], |r| {
                Ok(ChangeRow {
                    id: r.get(0)?,
                    sheet_id: r.get(1)?,
                    expert_code: r.get(2)?,
                    expert_name: r.get(3)?,
                    application_id: r.get(4)?,
                    application_code: r.get(5)?,
                    item: r.get(6)?,
                    before: Tenths(r.get(7)?),
                    after: Tenths(r.get(8)?),
                    reason: r.get(9)?,
                    source: r.get(10)?,
                    actor: r.get(11)?,
                    at: r.get(12)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(rows)
}

/// The round's open 复议, if there is one.
pub fn current(conn: &Connection, round_id: i64) -> Result<Option<ReconsiderationRow>> {
    Ok(list(conn, round_id)?.into_iter().find(ReconsiderationRow::is_open))
}

/// Changes scores of one submitted sheet under a 复议, all or nothing: each `(item, reconsidered value,
/// reason)` must be allowed ([`check_change`]; the expert not recused, with the sheet submitted). The sheet
/// stays submitted; its version goes up by one and is kept; each change is recorded with the first value and
/// logged. Returns the new version.
pub fn change(
    conn: &Connection,
    reconsideration_id: i64,
    sheet_id: i64,
    changes: &[(String, Tenths, String)],
    source: Source,
    actor: &str,
) -> Result<i64> {
    let (round_id, expert_id, application_id) = sheets::context(conn, sheet_id)?;
    let rec =
        list(conn, round_id)?.into_iter().find(|r| r.id == reconsideration_id).ok_or(StoreError::Reconsideration(ReconsiderationError::NotOpen))?;
    let rubric = rounds::rubric(conn, round_id)?;
    let (expert, application) = sheets::codes(conn, sheet_id)?;
    let recused: bool = conn
        .query_row("SELECT recused FROM assignment WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id], |r| r.get(0))
        .optional()?
        .unwrap_or(true);
    let data = sheets::load(conn, sheet_id)?;
    check_expert(&expert, &application, recused, data.submitted)?;
    let scopes = rec.plain_scopes();
    let mut seen = Vec::new();
    for (item, value, reason) in changes {
        if seen.contains(&item) {
            return Err(ReconsiderationError::DuplicateItem { item: item.clone() }.into());
        }
        seen.push(item);
        let before = data.scores.iter().find(|s| &s.item == item).and_then(|s| s.value).unwrap_or_default();
        check_change(&rubric, &scopes, !rec.is_open(), &application, item, before, *value, reason)?;
    }
    if changes.is_empty() {
        return Err(ReconsiderationError::ReasonRequired { item: "（无）".into() }.into());
    }
    crate::atomically(conn, || {
        for (item, value, reason) in changes {
            let before = data.scores.iter().find(|s| &s.item == item).and_then(|s| s.value).unwrap_or_default();
            conn.execute("UPDATE score SET tenths = ?3 WHERE sheet_id = ?1 AND item_code = ?2", params![sheet_id, item, value.0])?;
            conn.execute(
                "INSERT INTO reconsideration_change (reconsideration_id, sheet_id, item_code, old_tenths, new_tenths, reason, source, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![reconsideration_id, sheet_id, item, before.0, value.0, reason.trim(), source.as_str(), actor],
            )?;
            let name = rubric.item(item).map(|i| i.short_name.clone()).filter(|n| !n.is_empty()).map(|n| format!(" {n}")).unwrap_or_default();
            audit::append(
                conn,
                actor,
                audit::Action::ReconsiderScore,
                &format!("sheet:{sheet_id}"),
                &format!(
                    "复议（第 {reconsideration_id} 号）：专家 {expert} 对申报 {application} 观测点 {item}{name}：{before} 分 → {value} 分；理由：{}（{}）",
                    reason.trim(),
                    source.zh()
                ),
            )?;
        }
        conn.execute("UPDATE sheet SET version = version + 1, submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1", [sheet_id])?;
        sheets::record_version(conn, &rubric, sheet_id)?;
        Ok(data.version + 1)
    })
}

/// Closes a 复议 (结束复议): from then on no change is accepted under it. Logged.
pub fn close(conn: &Connection, reconsideration_id: i64, actor: &str) -> Result<()> {
    let round_id: i64 = conn
        .query_row("SELECT round_id FROM reconsideration WHERE id = ?1", [reconsideration_id], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound { entity: "复议", id: reconsideration_id })?;
    let rec = list(conn, round_id)?.into_iter().find(|r| r.id == reconsideration_id).expect("read above");
    if !rec.is_open() {
        return Err(ReconsiderationError::Closed.into());
    }
    crate::atomically(conn, || {
        conn.execute(
            "UPDATE reconsideration SET closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), closed_by = ?2 WHERE id = ?1",
            params![reconsideration_id, actor],
        )?;
        audit::append(
            conn,
            actor,
            audit::Action::CloseReconsideration,
            &format!("round:{round_id}"),
            &format!("结束复议（第 {reconsideration_id} 号），共修改评分 {} 处", rec.changes.len()),
        )
    })
}

#[cfg(test)]
mod tests;
