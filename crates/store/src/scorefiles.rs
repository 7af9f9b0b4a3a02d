//! Score files between machines (PRODUCT.md, "Several machines, no network"; format and rules:
//! `docs/score-file.md`).
//!
//! On an expert's laptop, [`export`] turns the expert's submitted sheets and recusals of a round into a
//! [`ScoreFile`] (the caller writes [`ScoreFile::to_json`] to disk). On the consolidation machine,
//! [`import`] takes such a file (read with `pingshen_core::scorefile::parse`) into the same round.
//!
//! Import is all or nothing, in one transaction. The file must be of this round (same round identity), of
//! its frozen rubric (same hash), by one of its experts; every application must be in the round, every
//! score must pass `pingshen_core::sheet::check_score`/`check_deduction`, every sheet must be complete, and
//! each sheet must be newer than what this machine holds for that expert and application: a higher version
//! replaces the older sheet, the same version with the same content is left as it is, anything else refuses
//! the whole file. A refused file changes nothing and names every problem at once ([`ImportRefusal`]).
//! What was written is logged in the audit log with the file's content hash.
//!
//! The file also carries why and by whom each recusal was recorded and the expert's newest signed
//! 回避声明和承诺书, when the laptop has them; import records both (a recusal through
//! [`experts::set_recused`] with the file's reason and source, the declaration as a `declaration` row with
//! the file's `signed_at`), so the consolidation machine shows the expert as signed and prints the reasons.

use std::collections::{BTreeMap, HashSet};

use pingshen_core::rubric::{fingerprint, Rubric};
use pingshen_core::scorefile::{ExpertRef, FileDeclaration, FileRecusal, FileRecusalSource, FileSheet, RoundRef, RubricRef, ScoreFile};
use pingshen_core::sheet::{check_deduction, check_score, check_veto, ScoreError};
use pingshen_core::Tenths;
use rusqlite::{params, Connection, OptionalExtension};

use crate::experts::{self, RecusalSource};
use crate::sheets::{self, SheetData};
use crate::{audit, declarations, rounds, Result, StoreError};

/// A sheet and its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetVersion {
    /// 申报编号
    pub application: String,
    pub version: i64,
}

/// A sheet replaced by a newer version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    /// 申报编号
    pub application: String,
    /// The version this machine had (0 for a sheet never submitted here).
    pub from: i64,
    pub to: i64,
}

/// What an import wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// 专家编号 of the file's expert.
    pub expert: String,
    /// The file's content hash (64 hex digits).
    pub content_hash: String,
    /// Sheets this machine did not have.
    pub added: Vec<SheetVersion>,
    /// Sheets that replaced an older version.
    pub replaced: Vec<Replacement>,
    /// Sheets this machine already had, same version and content (a re-export carries every submitted
    /// sheet, not only the re-submitted ones).
    pub unchanged: Vec<SheetVersion>,
    /// Recusals recorded by this import.
    pub recused: Vec<String>,
    /// Recusals this machine already had.
    pub already_recused: Vec<String>,
    /// Recusals this machine already had without a reason (recorded before reasons were kept), whose reason
    /// and source this import filled in from the file.
    pub reasons_added: Vec<String>,
    /// The `signed_at` of the expert's declaration (回避声明和承诺书) this import recorded; `None` when the file
    /// has none or this machine already holds it (or a newer one).
    pub declaration: Option<String>,
}

impl ImportReport {
    /// One line for the user: "新增 2 份，替换 1 份，未变 0 份，登记回避 1 项", followed by
    /// "，补记回避理由 1 项" and "，登记回避声明和承诺书 1 份" when the import did that.
    pub fn summary_zh(&self) -> String {
        let mut s = format!(
            "新增 {} 份，替换 {} 份，未变 {} 份，登记回避 {} 项",
            self.added.len(),
            self.replaced.len(),
            self.unchanged.len(),
            self.recused.len()
        );
        if !self.reasons_added.is_empty() {
            s.push_str(&format!("，补记回避理由 {} 项", self.reasons_added.len()));
        }
        if self.declaration.is_some() {
            s.push_str("，登记回避声明和承诺书 1 份");
        }
        s
    }

    /// True when the import changed nothing (the file had been imported before).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.replaced.is_empty() && self.recused.is_empty() && self.reasons_added.is_empty() && self.declaration.is_none()
    }
}

/// Why a score file was refused as a whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportRefusal {
    #[error("这是另一个评审批次的评分文件（文件属于「{file_round}」，批次标识 {file_uid}；本批次是「{round}」，批次标识 {uid}）")]
    OtherRound { file_round: String, file_uid: String, round: String, uid: String },
    #[error(
        "评分文件所用的评分标准与本批次冻结的评分标准不同（文件：{file_rubric}，校验码 {file_fingerprint}；本批次：{rubric}，校验码 {fingerprint}）"
    )]
    OtherRubric { file_rubric: String, file_fingerprint: String, rubric: String, fingerprint: String },
    #[error("评分文件的专家 {code}（{name}）不在本批次的专家名单中")]
    UnknownExpert { code: String, name: String },
    #[error("专家 {expert}的评分文件有 {} 处问题：{}", .problems.len(), join(.problems))]
    Sheets { expert: String, problems: Vec<SheetProblem> },
}

/// A problem with one application of a score file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SheetProblem {
    #[error("申报编号 {application} 不在本批次中")]
    UnknownApplication { application: String },
    #[error("申报 {application} 在文件中出现了两次")]
    Duplicate { application: String },
    #[error("该专家未被分配评审申报 {application}")]
    NotAssigned { application: String },
    #[error("申报 {application}：{error}")]
    Score { application: String, error: ScoreError },
    #[error("申报 {application} 的评分表不完整，缺少观测点 {}", .missing.join("、"))]
    Incomplete { application: String, missing: Vec<String> },
    #[error("申报 {application}：文件中是第 {file_version} 版评分表，本机已有第 {existing_version} 版，只有版本更高的评分表才能替换已有的")]
    NotNewer { application: String, file_version: i64, existing_version: i64 },
    #[error("申报 {application}：本机登记该专家已回避，文件中却有其评分表")]
    RecusedHere { application: String },
    #[error("申报 {application}：文件声明该专家回避，但本机已有其评分表（第 {version} 版）")]
    SheetHere { application: String, version: i64 },
    /// 复议 changes in the file that the staff machine's open 复议 does not allow, or that do not fit its sheet.
    #[error("申报 {application} 的复议修改未导入：{message}")]
    Reconsideration { application: String, message: String },
}

/// The changes made on this machine to a sheet under the round's open 复议, one per point (the first value
/// before the first change, the value after the last, the last reason).
fn reconsidered_here(conn: &Connection, sheet_id: i64) -> Result<Vec<pingshen_core::scorefile::FileReconsidered>> {
    let mut st = conn.prepare(
        "SELECT c.item_code, c.old_tenths, c.new_tenths, c.reason FROM reconsideration_change c
         JOIN reconsideration r ON r.id = c.reconsideration_id WHERE c.sheet_id = ?1 AND r.closed_at IS NULL ORDER BY c.id",
    )?;
    let rows: Vec<(String, i64, i64, String)> =
        st.query_map([sheet_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut out: Vec<pingshen_core::scorefile::FileReconsidered> = Vec::new();
    for (item, before, after, reason) in rows {
        match out.iter_mut().find(|x| x.item == item) {
            Some(x) => {
                x.after = Tenths(after);
                x.reason = reason;
            }
            None => out.push(pingshen_core::scorefile::FileReconsidered { item, before: Tenths(before), after: Tenths(after), reason }),
        }
    }
    Ok(out)
}

/// The open 复议's id and the changes (point, reconsidered value, reason) a file entry brings under it.
type Reconsidered = (i64, Vec<(String, Tenths, String)>);

/// Checks a file entry with 复议 changes against this machine's sheet and open 复议: the sheet is submitted
/// here, every first value is the one stored here, every change is allowed by the open 复议
/// (`pingshen_core::reconsideration::check_change`), and nothing else of the sheet differs. The open 复议's
/// id and the changes back, or the reason in Chinese.
fn check_reconsidered(
    conn: &Connection,
    round_id: i64,
    rubric: &pingshen_core::rubric::Rubric,
    existing: Option<&SheetData>,
    s: &FileSheet,
) -> Result<std::result::Result<Reconsidered, String>> {
    let Some(d) = existing.filter(|d| d.submitted) else {
        return Ok(Err("本机没有该专家对这项申报已提交的评分表".into()));
    };
    let Some(rec) = crate::reconsiderations::current(conn, round_id)? else {
        return Ok(Err("本机没有进行中的复议（复议可能已结束）".into()));
    };
    let stored = |item: &str| d.scores.iter().find(|x| x.item == item).and_then(|x| x.value).unwrap_or_default();
    let scopes = rec.plain_scopes();
    for r in &s.reconsidered {
        if stored(&r.item) != r.before {
            return Ok(Err(format!("观测点 {} 本机的原评分为 {} 分，评分文件中为 {} 分，两者不符", r.item, stored(&r.item), r.before)));
        }
        if let Err(e) = pingshen_core::reconsideration::check_change(rubric, &scopes, false, &s.application, &r.item, r.before, r.after, &r.reason) {
            return Ok(Err(e.to_string()));
        }
    }
    for sc in &s.scores {
        let want = s.reconsidered.iter().find(|r| r.item == sc.item).map(|r| r.after).unwrap_or_else(|| stored(&sc.item));
        if sc.value != want {
            return Ok(Err(format!("评分文件中观测点 {} 的评分与本机不同，却不在复议修改之列", sc.item)));
        }
    }
    Ok(Ok((rec.id, s.reconsidered.iter().map(|r| (r.item.clone(), r.after, r.reason.clone())).collect())))
}

fn join(problems: &[SheetProblem]) -> String {
    problems.iter().enumerate().map(|(i, p)| format!("{}. {p}", i + 1)).collect::<Vec<_>>().join("；")
}

// ---- export ----

/// The score file of one expert of a round: every submitted sheet (drafts, including reopened sheets, are
/// left out) and every recusal with its reason and source (when they are known), by application code,
/// scores in rubric order, and the expert's newest signed declaration. `exported_at` is the time to write
/// in the file (the caller's clock). Refused when the expert has submitted nothing.
pub fn export(conn: &Connection, round_id: i64, expert_id: i64, exported_at: &str) -> Result<ScoreFile> {
    let round = rounds::get(conn, round_id)?;
    let rubric = rounds::rubric(conn, round_id)?;
    let expert = conn
        .query_row("SELECT code, name, unit FROM expert WHERE id = ?1 AND round_id = ?2", [expert_id, round_id], |r| {
            Ok(ExpertRef { code: r.get(0)?, name: r.get(1)?, unit: r.get(2)? })
        })
        .optional()?
        .ok_or(StoreError::NotFound { entity: "专家", id: expert_id })?;

    let mut st = conn.prepare(
        "SELECT a.code, s.recused, s.recusal_reason, s.recusal_source, sh.id, sh.status FROM assignment s
         JOIN application a ON a.id = s.application_id
         LEFT JOIN sheet sh ON sh.expert_id = s.expert_id AND sh.application_id = s.application_id
         WHERE s.expert_id = ?1 AND a.round_id = ?2 ORDER BY a.code",
    )?;
    type Row = (String, bool, String, String, Option<i64>, Option<String>);
    let rows = st
        .query_map([expert_id, round_id], |r| -> rusqlite::Result<Row> { Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)) })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut entries = Vec::new();
    let mut recusal_details = BTreeMap::new();
    for (application, recused, reason, source, sheet_id, status) in rows {
        if recused {
            // A recusal recorded before reasons were kept has neither; the file then says only `recused`.
            let source = match RecusalSource::from_db(&source) {
                Some(RecusalSource::Staff) => Some(FileRecusalSource::Staff),
                Some(RecusalSource::Expert) => Some(FileRecusalSource::Expert),
                None => None,
            };
            if let (Some(source), false) = (source, reason.trim().is_empty()) {
                recusal_details.insert(application.clone(), FileRecusal { reason, source });
            }
            entries.push(FileSheet {
                application,
                version: 0,
                submitted_at: None,
                recused: true,
                scores: vec![],
                deduction: None,
                vetoes: vec![],
                recommendation: None,
                opinion: String::new(),
                reconsidered: vec![],
            });
        } else if let (Some(id), Some("submitted")) = (sheet_id, status.as_deref()) {
            let mut sheet = sheets::as_file_sheet(&rubric, application, sheets::load(conn, id)?);
            sheet.reconsidered = reconsidered_here(conn, id)?;
            entries.push(sheet);
        }
    }
    if !entries.iter().any(|s| !s.recused) {
        return Err(StoreError::NothingSubmitted { expert: format!("{}（{}）", expert.code, expert.name) });
    }
    Ok(ScoreFile {
        round: RoundRef { uid: round.uid, name: round.name },
        rubric: RubricRef { id: round.rubric_id, hash: round.rubric_hash },
        expert,
        exported_at: exported_at.to_string(),
        sheets: entries,
        recusal_details,
        declaration: declarations::latest(conn, expert_id)?.map(|d| FileDeclaration { signed_at: d.signed_at, statement: d.statement }),
    })
}

// ---- import ----

/// What import will do with one entry of the file, decided before anything is written.
enum Action<'f> {
    Add {
        application_id: i64,
        sheet: &'f FileSheet,
    },
    Replace {
        sheet_id: i64,
        from: i64,
        sheet: &'f FileSheet,
    },
    Unchanged {
        sheet: &'f FileSheet,
    },
    /// Changes under the open 复议: the first values kept, a new version of the sheet here.
    Reconsider {
        sheet_id: i64,
        from: i64,
        reconsideration: i64,
        changes: Vec<(String, Tenths, String)>,
        sheet: &'f FileSheet,
    },
    /// Record a recusal (with its reason and source when the file has them), deleting an untouched empty
    /// draft if there is one.
    Recuse {
        application_id: i64,
        application: &'f str,
        empty_draft: Option<i64>,
        details: Option<&'f FileRecusal>,
    },
    AlreadyRecused {
        application: &'f str,
    },
    /// Recused here already but without a reason: record the file's reason and source.
    AddReason {
        application_id: i64,
        application: &'f str,
        details: &'f FileRecusal,
    },
}

fn recusal_source(source: FileRecusalSource) -> RecusalSource {
    match source {
        FileRecusalSource::Staff => RecusalSource::Staff,
        FileRecusalSource::Expert => RecusalSource::Expert,
    }
}

/// Imports a score file into a round, in one transaction: everything or nothing (see the module
/// documentation for the rules). Returns what was written.
pub fn import(conn: &mut Connection, round_id: i64, file: &ScoreFile, actor: &str) -> Result<ImportReport> {
    crate::transaction(conn, |tx| import_in(tx, round_id, file, actor))
}

fn import_in(conn: &Connection, round_id: i64, file: &ScoreFile, actor: &str) -> Result<ImportReport> {
    // The file must belong here: this round, its rubric, one of its experts.
    let round = rounds::get(conn, round_id)?;
    if file.round.uid != round.uid {
        return Err(ImportRefusal::OtherRound {
            file_round: file.round.name.clone(),
            file_uid: file.round.uid.clone(),
            round: round.name,
            uid: round.uid,
        }
        .into());
    }
    let rubric = rounds::rubric(conn, round_id)?;
    if file.rubric.hash != round.rubric_hash {
        return Err(ImportRefusal::OtherRubric {
            file_rubric: file.rubric.id.clone(),
            file_fingerprint: fingerprint(&file.rubric.hash),
            rubric: round.rubric_id,
            fingerprint: fingerprint(&round.rubric_hash),
        }
        .into());
    }
    let (expert_id, expert_name): (i64, String) = conn
        .query_row("SELECT id, name FROM expert WHERE round_id = ?1 AND code = ?2", params![round_id, file.expert.code], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| ImportRefusal::UnknownExpert { code: file.expert.code.clone(), name: file.expert.name.clone() })?;
    let expert = format!("{}（{}）", file.expert.code, expert_name);

    // Decide every entry (reading only), collecting every problem.
    let mut problems = Vec::new();
    let mut actions = Vec::new();
    let mut seen = HashSet::new();
    for s in &file.sheets {
        let application = s.application.clone();
        if !seen.insert(s.application.as_str()) {
            problems.push(SheetProblem::Duplicate { application });
            continue;
        }
        let Some(application_id) = conn
            .query_row("SELECT id FROM application WHERE round_id = ?1 AND code = ?2", params![round_id, s.application], |r| r.get::<_, i64>(0))
            .optional()?
        else {
            problems.push(SheetProblem::UnknownApplication { application });
            continue;
        };
        let Some((recused_here, reason_here)) = conn
            .query_row(
                "SELECT recused, recusal_reason FROM assignment WHERE expert_id = ?1 AND application_id = ?2",
                [expert_id, application_id],
                |r| Ok((r.get::<_, bool>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
        else {
            problems.push(SheetProblem::NotAssigned { application });
            continue;
        };
        let existing = match conn
            .query_row("SELECT id FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id], |r| r.get::<_, i64>(0))
            .optional()?
        {
            Some(id) => Some(sheets::load(conn, id)?),
            None => None,
        };

        if s.recused {
            let details = file.recusal(&s.application);
            match (existing, details) {
                // This machine's own reason stands; one it lacks is taken from the file.
                (_, Some(details)) if recused_here && reason_here.trim().is_empty() => {
                    actions.push(Action::AddReason { application_id, application: &s.application, details })
                }
                _ if recused_here => actions.push(Action::AlreadyRecused { application: &s.application }),
                (Some(d), _) if d.version == 0 && d.scores.is_empty() && d.deduction.is_none() && d.vetoes.is_empty() => {
                    actions.push(Action::Recuse { application_id, application: &s.application, empty_draft: Some(d.id), details })
                }
                (Some(d), _) => problems.push(SheetProblem::SheetHere { application, version: d.version }),
                (None, _) => actions.push(Action::Recuse { application_id, application: &s.application, empty_draft: None, details }),
            }
            continue;
        }
        if recused_here {
            problems.push(SheetProblem::RecusedHere { application });
            continue;
        }
        let before = problems.len();
        check_sheet(&rubric, s, &mut problems);
        if problems.len() > before {
            continue;
        }
        if !s.reconsidered.is_empty() {
            let applied_already = existing
                .as_ref()
                .is_some_and(|d| d.submitted && s.scores.iter().all(|sc| d.scores.iter().any(|x| x.item == sc.item && x.value == Some(sc.value))));
            if applied_already {
                actions.push(Action::Unchanged { sheet: s });
                continue;
            }
            match check_reconsidered(conn, round_id, &rubric, existing.as_ref(), s)? {
                Ok((reconsideration, changes)) => {
                    let d = existing.as_ref().expect("checked");
                    actions.push(Action::Reconsider { sheet_id: d.id, from: d.version, reconsideration, changes, sheet: s })
                }
                Err(message) => problems.push(SheetProblem::Reconsideration { application, message }),
            }
            continue;
        }
        match existing {
            None => actions.push(Action::Add { application_id, sheet: s }),
            Some(d) if d.version < s.version => actions.push(Action::Replace { sheet_id: d.id, from: d.version, sheet: s }),
            Some(d) if d.version == s.version && d.submitted && same_content(&d, s) => actions.push(Action::Unchanged { sheet: s }),
            Some(d) => problems.push(SheetProblem::NotNewer { application, file_version: s.version, existing_version: d.version }),
        }
    }
    if !problems.is_empty() {
        return Err(ImportRefusal::Sheets { expert, problems }.into());
    }

    // Write.
    let hash = file.content_hash();
    let mut report = ImportReport { expert: file.expert.code.clone(), content_hash: hash.clone(), ..Default::default() };
    let log = |entity: String, what: String| {
        audit::append(conn, actor, audit::Action::ScoreFileImport, &entity, &format!("导入评分文件：专家 {expert}{what}；文件校验值 {hash}"))
    };
    for action in actions {
        match action {
            Action::Add { application_id, sheet } => {
                conn.execute(
                    "INSERT INTO sheet (expert_id, application_id, status, version, submitted_at) VALUES (?1, ?2, 'submitted', ?3, ?4)",
                    params![expert_id, application_id, sheet.version, sheet.submitted_at],
                )?;
                let id = conn.last_insert_rowid();
                write_content(conn, id, sheet)?;
                log(format!("sheet:{id}"), format!("对申报 {} 的评分表，新增第 {} 版", sheet.application, sheet.version))?;
                report.added.push(SheetVersion { application: sheet.application.clone(), version: sheet.version });
            }
            Action::Replace { sheet_id, from, sheet } => {
                conn.execute(
                    "UPDATE sheet SET status = 'submitted', version = ?2, submitted_at = ?3 WHERE id = ?1",
                    params![sheet_id, sheet.version, sheet.submitted_at],
                )?;
                write_content(conn, sheet_id, sheet)?;
                log(format!("sheet:{sheet_id}"), format!("对申报 {} 的评分表，第 {from} 版 → 第 {} 版（替换）", sheet.application, sheet.version))?;
                report.replaced.push(Replacement { application: sheet.application.clone(), from, to: sheet.version });
            }
            Action::Unchanged { sheet } => {
                report.unchanged.push(SheetVersion { application: sheet.application.clone(), version: sheet.version });
            }
            Action::Reconsider { sheet_id, from, reconsideration, changes, sheet } => {
                let to = crate::reconsiderations::change(conn, reconsideration, sheet_id, &changes, crate::reconsiderations::Source::File, actor)?;
                log(format!("sheet:{sheet_id}"), format!("对申报 {} 的复议修改 {} 处，第 {from} 版 → 第 {to} 版", sheet.application, changes.len()))?;
                report.replaced.push(Replacement { application: sheet.application.clone(), from, to });
            }
            Action::Recuse { application_id, application, empty_draft, details } => {
                if let Some(id) = empty_draft {
                    conn.execute("DELETE FROM sheet WHERE id = ?1", [id])?;
                }
                match details {
                    Some(d) => {
                        experts::set_recused(conn, expert_id, application_id, true, &d.reason, recusal_source(d.source), actor)?;
                        log(
                            format!("assignment:{expert_id}:{application_id}"),
                            format!("回避申报 {application}（{}：{}）", recusal_source(d.source).zh(), d.reason.trim()),
                        )?;
                    }
                    None => {
                        conn.execute("UPDATE assignment SET recused = 1 WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id])?;
                        log(format!("assignment:{expert_id}:{application_id}"), format!("回避申报 {application}"))?;
                    }
                }
                report.recused.push(application.to_string());
            }
            Action::AlreadyRecused { application } => report.already_recused.push(application.to_string()),
            Action::AddReason { application_id, application, details: d } => {
                experts::set_recused(conn, expert_id, application_id, true, &d.reason, recusal_source(d.source), actor)?;
                log(
                    format!("assignment:{expert_id}:{application_id}"),
                    format!("补记回避申报 {application} 的理由（{}：{}）", recusal_source(d.source).zh(), d.reason.trim()),
                )?;
                report.already_recused.push(application.to_string());
                report.reasons_added.push(application.to_string());
            }
        }
    }
    if let Some(d) = &file.declaration {
        // Kept unless this machine already holds it, or a newer one (the newest counts, and `latest` takes
        // the row added last).
        let held: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM declaration WHERE expert_id = ?1 AND signed_at >= ?2)",
            params![expert_id, d.signed_at],
            |r| r.get(0),
        )?;
        if !held {
            conn.execute(
                "INSERT INTO declaration (expert_id, statement, signed_at) VALUES (?1, ?2, ?3)",
                params![expert_id, d.statement, d.signed_at],
            )?;
            let words = if d.statement.trim().is_empty() { String::new() } else { format!("；其他声明：{}", d.statement.trim()) };
            log(format!("expert:{expert_id}"), format!("的回避声明和承诺书（签署于 {}）{words}", d.signed_at))?;
            report.declaration = Some(d.signed_at.clone());
        }
    }
    audit::append(
        conn,
        actor,
        audit::Action::ScoreFileImport,
        &format!("round:{round_id}"),
        &format!(
            "导入专家 {expert}的评分文件（校验值 {}，导出于 {}）：{}；文件校验值 {hash}",
            fingerprint(&hash),
            file.exported_at,
            report.summary_zh()
        ),
    )?;
    Ok(report)
}

/// Every score valid, every item scored, the deduction valid.
fn check_sheet(rubric: &Rubric, s: &FileSheet, problems: &mut Vec<SheetProblem>) {
    let application = || s.application.clone();
    for sc in &s.scores {
        if let Err(error) = check_score(rubric, &sc.item, sc.value) {
            problems.push(SheetProblem::Score { application: application(), error });
        }
    }
    let missing: Vec<String> = rubric.items().filter(|i| !s.scores.iter().any(|sc| sc.item == i.code)).map(|i| i.code.clone()).collect();
    if !missing.is_empty() {
        problems.push(SheetProblem::Incomplete { application: application(), missing });
    }
    if let Some(d) = &s.deduction {
        if let Err(error) = check_deduction(rubric, d.value) {
            problems.push(SheetProblem::Score { application: application(), error });
        }
    }
    for v in &s.vetoes {
        if let Err(error) = check_veto(rubric, &v.code) {
            problems.push(SheetProblem::Score { application: application(), error });
        }
    }
}

/// The stored sheet holds exactly the file's entry: scores, comments, deduction, veto proposals, submission
/// time.
fn same_content(d: &SheetData, s: &FileSheet) -> bool {
    let mut stored: Vec<(&str, Option<Tenths>, &str)> = d.scores.iter().map(|r| (r.item.as_str(), r.value, r.comment.as_str())).collect();
    let mut filed: Vec<(&str, Option<Tenths>, &str)> = s.scores.iter().map(|f| (f.item.as_str(), Some(f.value), f.comment.as_str())).collect();
    stored.sort();
    filed.sort();
    stored == filed
        && d.deduction.as_ref().map(|x| (x.value, x.reason.as_str())) == s.deduction.as_ref().map(|x| (x.value, x.reason.as_str()))
        && d.submitted_at == s.submitted_at
        && same_vetoes(d, s)
        && d.recommendation == s.recommendation
        && d.opinion == s.opinion
}

/// The stored sheet's veto proposals are exactly the file entry's (in any order).
fn same_vetoes(d: &SheetData, s: &FileSheet) -> bool {
    let mut stored: Vec<(&str, &str)> = d.vetoes.iter().map(|v| (v.veto.as_str(), v.reason.as_str())).collect();
    let mut filed: Vec<(&str, &str)> = s.vetoes.iter().map(|v| (v.code.as_str(), v.reason.as_str())).collect();
    stored.sort();
    filed.sort();
    stored == filed
}

/// Writes the scores, deduction and veto proposals of a file entry as the sheet's whole content.
fn write_content(conn: &Connection, sheet_id: i64, s: &FileSheet) -> Result<()> {
    let scores: Vec<(&str, Tenths, &str)> = s.scores.iter().map(|sc| (sc.item.as_str(), sc.value, sc.comment.as_str())).collect();
    let vetoes: Vec<(&str, &str)> = s.vetoes.iter().map(|v| (v.code.as_str(), v.reason.as_str())).collect();
    crate::sheets::replace_content(
        conn,
        sheet_id,
        &scores,
        s.deduction.as_ref().map(|d| (d.value, d.reason.as_str())),
        &vetoes,
        (s.recommendation, &s.opinion),
    )
}

#[cfg(test)]
mod tests;
