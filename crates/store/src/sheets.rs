//! Score sheets: one per expert and application, holding item scores (integer tenths), comments and the
//! proposed group-7 deduction. Every write is one committed statement; the caller acknowledges a save
//! only after the function returns.
//!
//! A sheet is a draft until [`submit`]ted (every item scored); a submitted sheet is read-only
//! ([`StoreError::Locked`]) until staff [`reopen`] it with a reason. Each submission raises the sheet's
//! version by one (1 at the first), which is how a re-submitted sheet in a score file replaces the older one.

use pingshen_core::rubric::Rubric;
use pingshen_core::sheet::{check_deduction, check_score};
use pingshen_core::Tenths;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{audit, rounds, Result, StoreError};

/// A stored item score and its comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRow {
    pub item: String,
    pub value: Option<Tenths>,
    pub comment: String,
}

/// A proposed deduction and its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeductionRow {
    pub value: Tenths,
    pub reason: String,
}

/// A sheet as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetData {
    pub id: i64,
    pub expert_id: i64,
    pub application_id: i64,
    pub submitted: bool,
    /// How many times the sheet was submitted (0 for a sheet never submitted).
    pub version: i64,
    /// When the current version was submitted.
    pub submitted_at: Option<String>,
    pub scores: Vec<ScoreRow>,
    pub deduction: Option<DeductionRow>,
}

/// Where an expert stands with one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetStatus {
    pub application_id: i64,
    /// The sheet, once one exists.
    pub sheet_id: Option<i64>,
    pub recused: bool,
    pub submitted: bool,
    /// Items with a score.
    pub scored: i64,
    /// Sum of the scores so far.
    pub total: Tenths,
}

/// The sheet of this expert for this application, created on first use. Refused when the expert is not
/// assigned or is recused (a recused expert never gets a score form).
pub fn open(conn: &Connection, expert_id: i64, application_id: i64) -> Result<i64> {
    let recused: Option<bool> = conn
        .query_row(
            "SELECT recused FROM assignment WHERE expert_id = ?1 AND application_id = ?2",
            [expert_id, application_id],
            |r| r.get(0),
        )
        .optional()?;
    match recused {
        None => return Err(StoreError::Invalid("该专家未被分配评审这份申报书".into())),
        Some(true) => return Err(StoreError::Invalid("该专家已回避这份申报书，不能评分".into())),
        Some(false) => {}
    }
    conn.execute("INSERT OR IGNORE INTO sheet (expert_id, application_id) VALUES (?1, ?2)", [expert_id, application_id])?;
    Ok(conn.query_row("SELECT id FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id], |r| r.get(0))?)
}

fn ensure_editable(conn: &Connection, sheet_id: i64) -> Result<()> {
    let status: Option<String> = conn.query_row("SELECT status FROM sheet WHERE id = ?1", [sheet_id], |r| r.get(0)).optional()?;
    match status.as_deref() {
        None => Err(StoreError::NotFound { entity: "评分表", id: sheet_id }),
        Some("submitted") => Err(StoreError::Locked),
        Some(_) => Ok(()),
    }
}

/// Sets (or, with `None`, clears) an item score after checking it against the rubric.
pub fn set_score(conn: &Connection, rubric: &Rubric, sheet_id: i64, item: &str, value: Option<Tenths>) -> Result<()> {
    if let Some(v) = value {
        check_score(rubric, item, v)?;
    }
    upsert(conn, rubric, sheet_id, item, Column::Tenths, &value.map(|v| v.0))
}

/// Sets the comment on an item.
pub fn set_comment(conn: &Connection, rubric: &Rubric, sheet_id: i64, item: &str, comment: &str) -> Result<()> {
    upsert(conn, rubric, sheet_id, item, Column::Comment, &comment)
}

/// The columns of an item's row that are written one at a time.
enum Column {
    Tenths,
    Comment,
}

/// Writes one column of an item's row (creating the row), for a known item of an editable sheet.
fn upsert(conn: &Connection, rubric: &Rubric, sheet_id: i64, item: &str, column: Column, value: &dyn rusqlite::ToSql) -> Result<()> {
    if rubric.item(item).is_none() {
        return Err(pingshen_core::sheet::ScoreError::UnknownItem(item.to_string()).into());
    }
    ensure_editable(conn, sheet_id)?;
    let column = match column {
        Column::Tenths => "tenths",
        Column::Comment => "comment",
    };
    conn.execute(
        &format!(
            "INSERT INTO score (sheet_id, item_code, {column}) VALUES (?1, ?2, ?3)
             ON CONFLICT (sheet_id, item_code) DO UPDATE SET {column} = excluded.{column},
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        ),
        params![sheet_id, item, value],
    )?;
    Ok(())
}

/// Sets (or, with `None`, withdraws) the proposed deduction with its reason.
pub fn set_deduction(conn: &Connection, rubric: &Rubric, sheet_id: i64, value: Option<Tenths>, reason: &str) -> Result<()> {
    ensure_editable(conn, sheet_id)?;
    match value {
        Some(v) => {
            check_deduction(rubric, v)?;
            conn.execute(
                "INSERT INTO deduction (sheet_id, tenths, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sheet_id) DO UPDATE SET tenths = excluded.tenths, reason = excluded.reason,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![sheet_id, v.0, reason],
            )?;
        }
        None => {
            conn.execute("DELETE FROM deduction WHERE sheet_id = ?1", [sheet_id])?;
        }
    }
    Ok(())
}

/// Replaces everything a sheet holds (scores, comments, deduction) with what an import brings: paper scores
/// or a score file. The caller has checked the values and sets the sheet's status and version.
pub(crate) fn replace_content(conn: &Connection, sheet_id: i64, scores: &[(&str, Tenths, &str)], deduction: Option<(Tenths, &str)>) -> Result<()> {
    conn.execute("DELETE FROM score WHERE sheet_id = ?1", [sheet_id])?;
    conn.execute("DELETE FROM deduction WHERE sheet_id = ?1", [sheet_id])?;
    let mut ins = conn.prepare_cached("INSERT INTO score (sheet_id, item_code, tenths, comment) VALUES (?1, ?2, ?3, ?4)")?;
    for (item, v, comment) in scores {
        ins.execute(params![sheet_id, item, v.0, comment])?;
    }
    if let Some((v, reason)) = deduction {
        conn.execute("INSERT INTO deduction (sheet_id, tenths, reason) VALUES (?1, ?2, ?3)", params![sheet_id, v.0, reason])?;
    }
    Ok(())
}

/// The round, expert and application of a sheet.
pub fn context(conn: &Connection, sheet_id: i64) -> Result<(i64, i64, i64)> {
    conn.query_row(
        "SELECT a.round_id, s.expert_id, s.application_id FROM sheet s JOIN application a ON a.id = s.application_id WHERE s.id = ?1",
        [sheet_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?
    .ok_or(StoreError::NotFound { entity: "评分表", id: sheet_id })
}

/// A whole sheet.
pub fn load(conn: &Connection, sheet_id: i64) -> Result<SheetData> {
    let (expert_id, application_id, status, version, submitted_at): (i64, i64, String, i64, Option<String>) = conn
        .query_row("SELECT expert_id, application_id, status, version, submitted_at FROM sheet WHERE id = ?1", [sheet_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?
        .ok_or(StoreError::NotFound { entity: "评分表", id: sheet_id })?;
    let mut st = conn.prepare("SELECT item_code, tenths, comment FROM score WHERE sheet_id = ?1 ORDER BY item_code")?;
    let scores = st
        .query_map([sheet_id], |r| Ok(ScoreRow { item: r.get(0)?, value: r.get::<_, Option<i64>>(1)?.map(Tenths), comment: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let deduction = conn
        .query_row("SELECT tenths, reason FROM deduction WHERE sheet_id = ?1", [sheet_id], |r| {
            Ok(DeductionRow { value: Tenths(r.get(0)?), reason: r.get(1)? })
        })
        .optional()?;
    Ok(SheetData { id: sheet_id, expert_id, application_id, submitted: status == "submitted", version, submitted_at, scores, deduction })
}

/// Submits a sheet: refused unless every item of the round's rubric has a score, every score below the
/// rubric's threshold has a comment and a deduction has its reason ([`StoreError::NotReady`] lists them all). The sheet becomes read-only, its version goes up by one and `submitted_at` is
/// now; the audit log records it. Returns the new version.
pub fn submit(conn: &Connection, sheet_id: i64, actor: &str) -> Result<i64> {
    crate::atomically(conn, || {
        let (round_id, _, _) = context(conn, sheet_id)?;
        let data = load(conn, sheet_id)?;
        if data.submitted {
            return Err(StoreError::Locked);
        }
        let recused: bool = conn.query_row(
            "SELECT recused FROM assignment WHERE expert_id = ?1 AND application_id = ?2",
            [data.expert_id, data.application_id],
            |r| r.get(0),
        )?;
        if recused {
            return Err(StoreError::Invalid("该专家已回避这份申报书，不能提交评分表".into()));
        }
        let rubric = rounds::rubric(conn, round_id)?;
        let scored: Vec<(String, Tenths)> = data.scores.iter().filter_map(|s| Some((s.item.clone(), s.value?))).collect();
        let rows: Vec<(String, Option<Tenths>, String)> = data.scores.iter().map(|s| (s.item.clone(), s.value, s.comment.clone())).collect();
        let problems = pingshen_core::sheet::submission_problems(&rubric, &rows, data.deduction.as_ref().map(|d| (d.value, d.reason.as_str())));
        if !problems.is_empty() {
            return Err(StoreError::NotReady { problems });
        }
        conn.execute(
            "UPDATE sheet SET status = 'submitted', version = version + 1, submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            [sheet_id],
        )?;
        let version = data.version + 1;
        let (expert, application) = codes(conn, sheet_id)?;
        let total = pingshen_core::sheet::totals(&rubric, &scored).total;
        audit::append(
            conn,
            actor,
            "submit_sheet",
            &format!("sheet:{sheet_id}"),
            &format!("专家 {expert} 提交申报 {application} 的评分表（第 {version} 版，总分 {total}）"),
        )?;
        Ok(version)
    })
}

/// Reopens (退回) a submitted sheet so that it can be changed: only a submitted sheet, only with a reason,
/// which the audit log records. The sheet becomes a draft and keeps its version; its next submission is the
/// next version.
pub fn reopen(conn: &Connection, sheet_id: i64, actor: &str, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("退回评分表须写明理由".into()));
    }
    crate::atomically(conn, || {
        let data = load(conn, sheet_id)?;
        if !data.submitted {
            return Err(StoreError::Invalid("只有已提交的评分表才能退回修改".into()));
        }
        conn.execute("UPDATE sheet SET status = 'draft' WHERE id = ?1", [sheet_id])?;
        let (expert, application) = codes(conn, sheet_id)?;
        audit::append(
            conn,
            actor,
            "reopen_sheet",
            &format!("sheet:{sheet_id}"),
            &format!("退回专家 {expert} 对申报 {application} 的评分表（第 {} 版）重新修改，理由：{reason}", data.version),
        )?;
        Ok(())
    })
}

/// The expert code and application code of a sheet (for messages and the audit log).
pub(crate) fn codes(conn: &Connection, sheet_id: i64) -> Result<(String, String)> {
    conn.query_row(
        "SELECT e.code, a.code FROM sheet s JOIN expert e ON e.id = s.expert_id JOIN application a ON a.id = s.application_id
         WHERE s.id = ?1",
        [sheet_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or(StoreError::NotFound { entity: "评分表", id: sheet_id })
}

/// Where an expert stands with every application of a round.
pub fn statuses(conn: &Connection, round_id: i64, expert_id: i64) -> Result<Vec<SheetStatus>> {
    let mut st = conn.prepare(
        "SELECT a.id, sh.id, s.recused, coalesce(sh.status = 'submitted', 0),
                (SELECT count(*) FROM score sc WHERE sc.sheet_id = sh.id AND sc.tenths IS NOT NULL),
                (SELECT coalesce(sum(sc.tenths), 0) FROM score sc WHERE sc.sheet_id = sh.id)
         FROM application a
         JOIN assignment s ON s.application_id = a.id AND s.expert_id = ?2
         LEFT JOIN sheet sh ON sh.application_id = a.id AND sh.expert_id = ?2
         WHERE a.round_id = ?1 ORDER BY a.code",
    )?;
    let rows = st.query_map([round_id, expert_id], |r| {
        Ok(SheetStatus {
            application_id: r.get(0)?,
            sheet_id: r.get(1)?,
            recused: r.get(2)?,
            submitted: r.get(3)?,
            scored: r.get(4)?,
            total: Tenths(r.get(5)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests;
