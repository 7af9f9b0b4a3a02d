//! Score sheets: one per expert and application, holding item scores (integer tenths), comments, the
//! proposed group-7 deduction and the 否定性指标 the expert proposes ([`set_veto`], each with its reason).
//! Every write is one committed statement; the caller acknowledges a save only after the function returns.
//!
//! A sheet is a draft until [`submit`]ted (every item scored); a submitted sheet is read-only
//! ([`StoreError::Locked`]) until staff [`reopen`] it with a reason. Each submission raises the sheet's
//! version by one (1 at the first), which is how a re-submitted sheet in a score file replaces the older one.
//!
//! Every submitted version is kept exactly as submitted in `sheet_version` ([`versions`]): the canonical
//! JSON of the sheet that the printed 专家评分表 hashes into its 评分表校验码
//! ([`FileSheet::canonical_for_hash`]), so a version's stored content gives the code printed on its paper.
//! A re-submission is compared with the version before it (read back with [`FileSheet::from_canonical`],
//! compared by [`pingshen_core::revision::changes`]) and every changed score, comment, deduction and veto
//! proposal goes into the audit log with the old and the new value and the reason the sheet was reopened.

use pingshen_core::hash::sha256_hex;
use pingshen_core::opinion::{OpinionRules, Recommendation};
use pingshen_core::rubric::{fingerprint, Rubric};
use pingshen_core::scorefile::{FileDeduction, FileScore, FileSheet, FileVeto};
use pingshen_core::sheet::{check_deduction, check_score, check_veto, VetoProposal};
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
    /// The 否定性指标 the expert ticked, with their reasons (empty until one is written), by code.
    pub vetoes: Vec<VetoProposal>,
    /// The expert's 推荐意见, once given.
    pub recommendation: Option<Recommendation>,
    /// The expert's 综合意见 (may be empty).
    pub opinion: String,
}

impl SheetData {
    /// (item, score) of the items with a score, for [`pingshen_core::sheet::totals`].
    pub fn scored(&self) -> Vec<(String, Tenths)> {
        self.scores.iter().filter_map(|s| Some((s.item.clone(), s.value?))).collect()
    }

    /// What still stands between the sheet and its submission: [`pingshen_core::sheet::checklist`], then
    /// what the round's rules for the 推荐意见 and 综合意见 ask ([`pingshen_core::opinion::checklist`]).
    pub fn checklist(&self, rubric: &Rubric, rules: &OpinionRules) -> Vec<pingshen_core::sheet::Missing> {
        let rows: Vec<(String, Option<Tenths>, String)> = self.scores.iter().map(|s| (s.item.clone(), s.value, s.comment.clone())).collect();
        let mut missing = pingshen_core::sheet::checklist(rubric, &rows, self.deduction.as_ref().map(|d| (d.value, d.reason.as_str())), &self.vetoes);
        missing.extend(pingshen_core::opinion::checklist(rules, self.recommendation, &self.opinion));
        missing
    }
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
        .query_row("SELECT recused FROM assignment WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id], |r| r.get(0))
        .optional()?;
    match recused {
        None => return Err(StoreError::NotAssigned),
        Some(true) => return Err(StoreError::Recused { action: "评分" }),
        Some(false) => {}
    }
    conn.execute("INSERT OR IGNORE INTO sheet (expert_id, application_id) VALUES (?1, ?2)", [expert_id, application_id])?;
    Ok(conn.query_row("SELECT id FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id], |r| r.get(0))?)
}

pub(crate) fn ensure_editable(conn: &Connection, sheet_id: i64) -> Result<()> {
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

/// Ticks (with its reason) or unticks a 否定性指标 on a sheet: the expert proposes that the veto item applies
/// to the application. Refused for a code the rubric does not have and on a submitted sheet, like a score.
/// The reason may be empty while the expert writes it; the sheet cannot be submitted until it is not.
pub fn set_veto(conn: &Connection, rubric: &Rubric, sheet_id: i64, code: &str, ticked: bool, reason: &str) -> Result<()> {
    check_veto(rubric, code)?;
    ensure_editable(conn, sheet_id)?;
    if ticked {
        conn.execute(
            "INSERT INTO sheet_veto (sheet_id, veto_code, reason) VALUES (?1, ?2, ?3)
             ON CONFLICT (sheet_id, veto_code) DO UPDATE SET reason = excluded.reason,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![sheet_id, code, reason],
        )?;
    } else {
        conn.execute("DELETE FROM sheet_veto WHERE sheet_id = ?1 AND veto_code = ?2", params![sheet_id, code])?;
    }
    Ok(())
}

/// Sets the expert's 推荐意见 (`None`: not given) and 综合意见 on an editable sheet, as typed (saved like a
/// score; the round's rules are checked at submission).
pub fn set_opinion(conn: &Connection, sheet_id: i64, recommendation: Option<Recommendation>, opinion: &str) -> Result<()> {
    ensure_editable(conn, sheet_id)?;
    conn.execute(
        "UPDATE sheet SET recommendation = ?2, opinion = ?3 WHERE id = ?1",
        params![sheet_id, recommendation.map(Recommendation::as_str), opinion],
    )?;
    Ok(())
}

/// The 推荐意见 as stored (`NULL`, `'recommend'`, `'not_recommend'`).
pub(crate) fn recommendation_of(text: Option<String>) -> Option<Recommendation> {
    text.as_deref().and_then(Recommendation::parse)
}

/// Replaces everything a sheet holds (scores, comments, deduction, veto proposals) with what an import
/// brings: paper scores (no vetoes) or a score file. The caller has checked the values and sets the sheet's
/// status and version.
pub(crate) fn replace_content(
    conn: &Connection,
    sheet_id: i64,
    scores: &[(&str, Tenths, &str)],
    deduction: Option<(Tenths, &str)>,
    vetoes: &[(&str, &str)],
    (recommendation, opinion): (Option<Recommendation>, &str),
) -> Result<()> {
    conn.execute(
        "UPDATE sheet SET recommendation = ?2, opinion = ?3 WHERE id = ?1",
        params![sheet_id, recommendation.map(Recommendation::as_str), opinion],
    )?;
    conn.execute("DELETE FROM score WHERE sheet_id = ?1", [sheet_id])?;
    conn.execute("DELETE FROM deduction WHERE sheet_id = ?1", [sheet_id])?;
    conn.execute("DELETE FROM sheet_veto WHERE sheet_id = ?1", [sheet_id])?;
    let mut veto = conn.prepare_cached("INSERT INTO sheet_veto (sheet_id, veto_code, reason) VALUES (?1, ?2, ?3)")?;
    for (code, reason) in vetoes {
        veto.execute(params![sheet_id, code, reason])?;
    }
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
    #[allow(clippy::type_complexity)]
    let (expert_id, application_id, status, version, submitted_at, recommendation, opinion): (
        i64,
        i64,
        String,
        i64,
        Option<String>,
        Option<String>,
        String,
    ) = conn
        .query_row(
            "SELECT expert_id, application_id, status, version, submitted_at, recommendation, opinion FROM sheet WHERE id = ?1",
            [sheet_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
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
    let mut st = conn.prepare("SELECT veto_code, reason FROM sheet_veto WHERE sheet_id = ?1 ORDER BY veto_code")?;
    let vetoes = st.query_map([sheet_id], |r| Ok(VetoProposal { veto: r.get(0)?, reason: r.get(1)? }))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SheetData {
        id: sheet_id,
        expert_id,
        application_id,
        submitted: status == "submitted",
        version,
        submitted_at,
        scores,
        deduction,
        vetoes,
        recommendation: recommendation_of(recommendation),
        opinion,
    })
}

/// Submits a sheet: refused unless every item of the round's rubric has a score, every score below the
/// rubric's threshold has a comment, a deduction has its reason and every ticked 否定性指标 has its reason ([`StoreError::NotReady`] lists them all). The sheet becomes read-only, its version goes up by one and `submitted_at` is
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
            return Err(StoreError::Recused { action: "提交评分表" });
        }
        let rubric = rounds::rubric(conn, round_id)?;
        let scored = data.scored();
        let problems = pingshen_core::sheet::problems_zh(&data.checklist(&rubric, &rounds::opinion_rules(conn, round_id)?));
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
        let now = record_version(conn, &rubric, sheet_id)?;
        // What changed since the version before, item by item, then the submission itself.
        if version >= 2 {
            log_changes(conn, &rubric, sheet_id, version, &now, actor, (&expert, &application))?;
        }
        audit::append(
            conn,
            actor,
            audit::Action::SubmitSheet,
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
        return Err(StoreError::ReasonRequired { what: "退回评分表" });
    }
    crate::atomically(conn, || {
        let data = load(conn, sheet_id)?;
        if !data.submitted {
            return Err(StoreError::NotSubmitted);
        }
        // A version that came from a score file or from paper (or was submitted before versions were kept)
        // is still exactly as submitted here: keep it before it can change, for the comparison at re-submission.
        let kept: bool =
            conn.query_row("SELECT count(*) FROM sheet_version WHERE sheet_id = ?1 AND version = ?2", [sheet_id, data.version], |r| {
                r.get::<_, i64>(0)
            })? > 0;
        if !kept {
            let (round_id, _, _) = context(conn, sheet_id)?;
            record_version(conn, &rounds::rubric(conn, round_id)?, sheet_id)?;
        }
        conn.execute("UPDATE sheet SET status = 'draft' WHERE id = ?1", [sheet_id])?;
        let (expert, application) = codes(conn, sheet_id)?;
        audit::append(
            conn,
            actor,
            audit::Action::ReopenSheet,
            &format!("sheet:{sheet_id}"),
            &format!("退回专家 {expert} 对申报 {application} 的评分表（第 {} 版）{REOPEN_REASON}{reason}", data.version),
        )?;
        Ok(())
    })
}

// ---- submitted versions ----

/// What precedes the reason in the audit entry of a reopening (`reopen_sheet`); the comparison at
/// re-submission reads the reason back from there.
const REOPEN_REASON: &str = "重新修改，理由：";

/// One submitted version of a sheet, exactly as submitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetVersionRow {
    pub version: i64,
    pub submitted_at: String,
    /// The canonical JSON of the sheet (see [`FileSheet::canonical_for_hash`]).
    pub content: String,
    /// The 评分表校验码 printed on this version's 专家评分表: the short form of the SHA-256 of `content`.
    pub sheet_code: String,
}

/// The submitted versions of a sheet that this machine keeps, oldest first.
pub fn versions(conn: &Connection, sheet_id: i64) -> Result<Vec<SheetVersionRow>> {
    let mut st = conn.prepare("SELECT version, submitted_at, content FROM sheet_version WHERE sheet_id = ?1 ORDER BY version")?;
    let rows = st.query_map([sheet_id], |r| {
        let content: String = r.get(2)?;
        Ok(SheetVersionRow { version: r.get(0)?, submitted_at: r.get(1)?, sheet_code: fingerprint(&sha256_hex(content.as_bytes())), content })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A submitted sheet as its score-file entry (scores and veto proposals in rubric order), with the
/// application's code.
fn file_sheet(conn: &Connection, rubric: &Rubric, sheet_id: i64) -> Result<FileSheet> {
    let (_, application) = codes(conn, sheet_id)?;
    Ok(as_file_sheet(rubric, application, load(conn, sheet_id)?))
}

/// A stored sheet as a score-file entry: scores and veto proposals in rubric order (what the rubric does not
/// have is left out), the deduction with its reason. The one shape of a sheet's content for the score file
/// and for the kept versions.
pub(crate) fn as_file_sheet(rubric: &Rubric, application: String, data: SheetData) -> FileSheet {
    let scores = rubric
        .items()
        .filter_map(|i| {
            let row = data.scores.iter().find(|s| s.item == i.code)?;
            Some(FileScore { item: row.item.clone(), value: row.value?, comment: row.comment.clone() })
        })
        .collect();
    let vetoes = rubric
        .vetoes
        .iter()
        .filter_map(|v| data.vetoes.iter().find(|p| p.veto == v.code))
        .map(|p| FileVeto { code: p.veto.clone(), reason: p.reason.clone() })
        .collect();
    FileSheet {
        application,
        version: data.version,
        submitted_at: data.submitted_at,
        recused: false,
        scores,
        deduction: data.deduction.map(|d| FileDeduction { value: d.value, reason: d.reason }),
        vetoes,
        recommendation: data.recommendation,
        opinion: data.opinion,
        reconsidered: Vec::new(),
    }
}

/// Keeps the sheet's current (submitted) version in `sheet_version`; returns it.
pub(crate) fn record_version(conn: &Connection, rubric: &Rubric, sheet_id: i64) -> Result<FileSheet> {
    let sheet = file_sheet(conn, rubric, sheet_id)?;
    let (uid, hash, expert): (String, String, String) = conn.query_row(
        "SELECT r.uid, r.rubric_hash, e.code FROM sheet s JOIN expert e ON e.id = s.expert_id JOIN round r ON r.id = e.round_id WHERE s.id = ?1",
        [sheet_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    conn.execute(
        "INSERT INTO sheet_version (sheet_id, version, content, submitted_at) VALUES (?1, ?2, ?3, ?4)",
        params![sheet_id, sheet.version, sheet.canonical_for_hash(&uid, &hash, &expert), sheet.submitted_at.clone().unwrap_or_default()],
    )?;
    Ok(sheet)
}

/// After a re-submission (`version` ≥ 2): one audit entry per change from the version before, each naming the
/// versions, the change and why the sheet was reopened (from the newest `reopen_sheet` entry of the sheet).
fn log_changes(
    conn: &Connection,
    rubric: &Rubric,
    sheet_id: i64,
    version: i64,
    now: &FileSheet,
    actor: &str,
    (expert, application): (&str, &str),
) -> Result<()> {
    let entity = format!("sheet:{sheet_id}");
    let reopened: Option<(String, String)> = conn
        .query_row(
            "SELECT actor, detail FROM audit_log WHERE action = ?2 AND entity = ?1 ORDER BY id DESC LIMIT 1",
            params![entity, audit::Action::ReopenSheet.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let why = match reopened {
        Some((who, detail)) => {
            let reason = detail.split_once(REOPEN_REASON).map(|(_, r)| r.to_string()).unwrap_or(detail);
            format!("退回人 {who}，退回理由：{reason}")
        }
        None => "未找到退回记录".to_string(),
    };
    let head = format!("专家 {expert} 修改申报 {application} 的评分表（第 {} 版 → 第 {version} 版）", version - 1);
    let before: Option<String> = conn
        .query_row("SELECT content FROM sheet_version WHERE sheet_id = ?1 AND version = ?2", params![sheet_id, version - 1], |r| r.get(0))
        .optional()?;
    let Some(old) = before.as_deref().and_then(|c| FileSheet::from_canonical(c).ok()) else {
        return audit::append(
            conn,
            actor,
            audit::Action::ResubmitChange,
            &entity,
            &format!("{head}：本机没有第 {} 版的内容，无法逐项比对；{why}", version - 1),
        );
    };
    let list = pingshen_core::revision::changes(rubric, &old, now);
    if list.is_empty() {
        return audit::append(conn, actor, audit::Action::ResubmitChange, &entity, &format!("{head}：内容与上一版相同；{why}"));
    }
    for change in list {
        audit::append(conn, actor, audit::Action::ResubmitChange, &entity, &format!("{head}：{change}；{why}"))?;
    }
    Ok(())
}

/// The expert code and application code of a sheet (for messages and the audit log).
pub fn codes(conn: &Connection, sheet_id: i64) -> Result<(String, String)> {
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

/// Where the expert stands with another of their applications, and their score on one item of it: what
/// the side-by-side comparison shows. Refused for an application they are recused from (its form is never
/// shown to them) or not assigned.
pub fn peer(
    conn: &Connection,
    rubric: &Rubric,
    round_id: i64,
    expert_id: i64,
    application_id: i64,
    item: &str,
) -> Result<(SheetStatus, Option<ScoreRow>)> {
    if rubric.item(item).is_none() {
        return Err(pingshen_core::sheet::ScoreError::UnknownItem(item.to_string()).into());
    }
    let status = statuses(conn, round_id, expert_id)?.into_iter().find(|s| s.application_id == application_id).ok_or(StoreError::NotAssigned)?;
    if status.recused {
        return Err(StoreError::Recused { action: "查看或对比" });
    }
    let score = match status.sheet_id {
        Some(id) => load(conn, id)?.scores.into_iter().find(|s| s.item == item),
        None => None,
    };
    Ok((status, score))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod version_tests {
    use super::*;
    use crate::rounds::{NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::expert::Expert;

    fn setup(conn: &mut Connection) -> (i64, i64, Rubric) {
        let rid = rounds::create(
            conn,
            &NewRound {
                name: "版本".into(),
                rubric_text: include_str!("../../../rubrics/henan-2023/rubric.toml").into(),
                applications: vec![NewApplication { code: "A01".into(), application: Application::default(), materials: vec![] }],
                experts: vec![Expert { code: "E01".into(), name: "张三".into(), unit: "甲学院".into(), ..Default::default() }],
                is_sample: false,
                uid: None,
            },
            "统分人",
        )
        .unwrap();
        let (e, a): (i64, i64) = conn.query_row("SELECT expert_id, application_id FROM assignment", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        let rubric = rounds::rubric(conn, rid).unwrap();
        let s = open(conn, e, a).unwrap();
        for item in rubric.items() {
            set_score(conn, &rubric, s, &item.code, Some(item.points)).unwrap();
        }
        (rid, s, rubric)
    }

    fn changes_logged(conn: &Connection) -> Vec<String> {
        audit::list(conn).unwrap().into_iter().filter(|e| e.action == "resubmit_change").map(|e| e.detail).collect()
    }

    #[test]
    fn each_submission_is_kept_and_its_hash_is_the_printed_sheet_code() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, s, rubric) = setup(&mut conn);
        submit(&conn, s, "E01").unwrap();
        let v = versions(&conn, s).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].version, 1);
        let e = crate::experts::list(&conn, rid).unwrap()[0].id;
        let file = crate::scorefiles::export(&conn, rid, e, "2024-05-20T10:00:00Z").unwrap();
        let r = rounds::get(&conn, rid).unwrap();
        let sheet = file.sheet("A01").unwrap();
        assert_eq!(v[0].content, sheet.canonical_for_hash(&r.uid, &r.rubric_hash, "E01"));
        assert_eq!(v[0].sheet_code, fingerprint(&sheet.content_hash(&r.uid, &r.rubric_hash, "E01")));
        assert_eq!(Some(v[0].submitted_at.clone()), sheet.submitted_at);
        let back = FileSheet::from_canonical(&v[0].content).unwrap();
        assert_eq!(&back, sheet);
        assert_eq!(back.scores.len(), rubric.items().count());
        assert!(changes_logged(&conn).is_empty(), "a first submission changes nothing");
        // The kept version cannot be rewritten.
        assert!(conn.execute("UPDATE sheet_version SET content = '{}' WHERE sheet_id = ?1", [s]).is_err());
    }

    #[test]
    fn a_resubmission_logs_every_change_with_the_reopen_reason() {
        let mut conn = crate::open_in_memory().unwrap();
        let (_, s, rubric) = setup(&mut conn);
        set_comment(&conn, &rubric, s, "3.1", "材料\"齐全\"\n见附件").unwrap();
        submit(&conn, s, "E01").unwrap();
        reopen(&conn, s, "统分人", "2.1 与 3.1 的评分需复核").unwrap();
        set_score(&conn, &rubric, s, "2.1", Some(Tenths(35))).unwrap();
        set_comment(&conn, &rubric, s, "2.1", "校企协议期限不足").unwrap();
        set_score(&conn, &rubric, s, "3.1", Some(Tenths(20))).unwrap();
        set_deduction(&conn, &rubric, s, Some(Tenths(10)), "2022年发生安全事故").unwrap();
        assert_eq!(submit(&conn, s, "E01").unwrap(), 2);
        let name = |code: &str| rubric.item(code).unwrap().short_name.clone();
        let d = rubric.deduction.as_ref().unwrap();
        let p31 = rubric.item("3.1").unwrap().points;
        let head = "专家 E01 修改申报 A01 的评分表（第 1 版 → 第 2 版）";
        let why = "退回人 统分人，退回理由：2.1 与 3.1 的评分需复核";
        let p21 = rubric.item("2.1").unwrap().points;
        assert_eq!(
            changes_logged(&conn),
            vec![
                format!("{head}：观测点 2.1 {}：{p21} 分 → 3.5 分；{why}", name("2.1")),
                format!("{head}：观测点 2.1 {} 的评语：（无） → “校企协议期限不足”；{why}", name("2.1")),
                format!("{head}：观测点 3.1 {}：{p31} 分 → 2 分；{why}", name("3.1")),
                format!("{head}：扣分（{} {}）：0 → 1 分，理由 （无） → “2022年发生安全事故”；{why}", d.code, d.name),
            ]
        );
        assert!(audit::list(&conn)
            .unwrap()
            .iter()
            .filter(|e| e.action == "resubmit_change")
            .all(|e| e.actor == "E01" && e.entity == format!("sheet:{s}")));
        assert_eq!(versions(&conn, s).unwrap().iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
        // An unchanged re-submission says so.
        reopen(&conn, s, "统分人", "误退回").unwrap();
        submit(&conn, s, "E01").unwrap();
        assert!(changes_logged(&conn).last().unwrap().ends_with("：内容与上一版相同；退回人 统分人，退回理由：误退回"));
    }

    #[test]
    fn a_version_that_arrived_without_content_is_kept_at_reopening() {
        let mut conn = crate::open_in_memory().unwrap();
        let (_, s, rubric) = setup(&mut conn);
        // As a score-file import or a paper import leaves it: submitted, version 3, nothing in sheet_version.
        conn.execute("UPDATE sheet SET status = 'submitted', version = 3, submitted_at = '2024-05-01T08:00:00.000Z' WHERE id = ?1", [s]).unwrap();
        reopen(&conn, s, "统分人", "复核").unwrap();
        let v = versions(&conn, s).unwrap();
        assert_eq!((v.len(), v[0].version, v[0].submitted_at.as_str()), (1, 3, "2024-05-01T08:00:00.000Z"));
        set_score(&conn, &rubric, s, "1.1", Some(Tenths(40))).unwrap();
        assert_eq!(submit(&conn, s, "E01").unwrap(), 4);
        let log = changes_logged(&conn);
        assert_eq!(log.len(), 1);
        assert!(log[0].contains("（第 3 版 → 第 4 版）：观测点 1.1"), "{}", log[0]);
        assert!(log[0].contains("→ 4 分；退回人 统分人，退回理由：复核"), "{}", log[0]);
    }

    #[test]
    fn opinions_are_required_as_the_round_says_locked_kept_and_logged() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, s, _) = setup(&mut conn);
        let rules = OpinionRules { opinion_max_chars: Some(10), ..OpinionRules::NEW_ROUND };
        rounds::set_opinion_rules_in(&conn, rid, &rules).unwrap();
        match submit(&conn, s, "E01").unwrap_err() {
            StoreError::NotReady { problems } => {
                assert_eq!(problems, ["本批次要求填写推荐意见，请选择“推荐”或“不推荐”", "本批次要求填写综合意见，请填写"])
            }
            e => panic!("{e}"),
        }
        set_opinion(&conn, s, Some(Recommendation::Recommend), "产教融合实体化运行成效显著，建议推荐").unwrap();
        assert!(matches!(submit(&conn, s, "E01"), Err(StoreError::NotReady { problems }) if problems[0].contains("超过本批次规定的 10 字")));
        set_opinion(&conn, s, Some(Recommendation::Recommend), "建议推荐").unwrap();
        submit(&conn, s, "E01").unwrap();
        let d = load(&conn, s).unwrap();
        assert_eq!((d.recommendation, d.opinion.as_str()), (Some(Recommendation::Recommend), "建议推荐"));
        assert!(matches!(set_opinion(&conn, s, None, ""), Err(StoreError::Locked)), "a submitted sheet locks its opinion");
        let v = versions(&conn, s).unwrap();
        assert!(v[0].content.ends_with(r#","recommendation":"recommend","opinion":"建议推荐"}}"#), "{}", v[0].content);
        reopen(&conn, s, "统分人", "请复核推荐意见").unwrap();
        set_opinion(&conn, s, Some(Recommendation::NotRecommend), "佐证不足").unwrap();
        submit(&conn, s, "E01").unwrap();
        let log = changes_logged(&conn);
        assert_eq!(log.len(), 2, "{log:?}");
        assert!(log[0].contains("：推荐意见：推荐 → 不推荐；退回人 统分人"), "{}", log[0]);
        assert!(log[1].contains("：综合意见：“建议推荐” → “佐证不足”；"), "{}", log[1]);
    }

    #[test]
    fn a_kept_version_that_cannot_be_read_is_logged_as_not_comparable() {
        let mut conn = crate::open_in_memory().unwrap();
        let (_, s, _) = setup(&mut conn);
        conn.execute("UPDATE sheet SET status = 'submitted', version = 1, submitted_at = '2024-05-01T08:00:00.000Z' WHERE id = ?1", [s]).unwrap();
        conn.execute("INSERT INTO sheet_version (sheet_id, version, content, submitted_at) VALUES (?1, 1, '{}', '2024-05-01T08:00:00.000Z')", [s])
            .unwrap();
        reopen(&conn, s, "统分人", "复核").unwrap();
        assert_eq!(submit(&conn, s, "E01").unwrap(), 2);
        assert_eq!(
            changes_logged(&conn),
            ["专家 E01 修改申报 A01 的评分表（第 1 版 → 第 2 版）：本机没有第 1 版的内容，无法逐项比对；退回人 统分人，退回理由：复核"]
        );
    }
}
