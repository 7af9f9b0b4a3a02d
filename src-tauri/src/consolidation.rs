//! The staff's 统分 view of a round: the experts × applications matrix, the ranking with tie-break reasons,
//! flags and how they were settled, deductions with proposals and resolutions, and panel statistics. It
//! gathers store rows, runs `pingshen_core::consolidation::consolidate`, and shapes the result as DTOs; the
//! commands that use it stay one-liners.

use pingshen_core::consolidation::{consolidate, Aggregation, Direction, Settings, Status, TieBreak};
use pingshen_core::Ratio;
use pingshen_store::settlements::{self, SettlementKind};
use pingshen_store::{applications, experts, panel, rounds, sheets, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CmdResult, CommandError, ErrorKind};
use crate::ipc::{ExpertDto, RoundDto};

/// One cell of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CellState {
    /// 未评
    NotStarted,
    /// 评分中
    InProgress,
    /// 已提交
    Submitted,
    /// 回避
    Recused,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatrixCellDto {
    pub expert: String,
    #[ts(type = "number")]
    pub expert_id: i64,
    /// The sheet, once one exists (staff reopen a submitted one by it).
    #[ts(type = "number | null")]
    pub sheet_id: Option<i64>,
    pub state: CellState,
    /// The sheet's total so far (submitted or not); none when recused or not started.
    pub total: Option<String>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatrixRowDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// 待补 when an assigned, non-recused expert has no submitted sheet.
    pub complete: bool,
    pub cells: Vec<MatrixCellDto>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RankedDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    pub complete: bool,
    pub valid_sheets: i32,
    pub panel_score: Option<String>,
    pub deduction: Option<String>,
    pub deduction_resolved: bool,
    pub final_score: Option<String>,
    pub rank: Option<u32>,
    /// How a tie on the final score was broken, in words (empty when there was none).
    pub tie_reason: String,
    pub missing_experts: Vec<String>,
    pub recused_experts: Vec<String>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettlementDto {
    /// "expertReason" | "panelResolution"
    pub kind: String,
    pub text: String,
    pub at: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FlagDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub application: String,
    pub expert: String,
    pub expert_name: String,
    /// The item, or none for the total.
    pub item: Option<String>,
    /// "high" (畸高) | "low" (畸低)
    pub direction: String,
    pub value: String,
    pub others_mean: String,
    pub settlement: Option<SettlementDto>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProposalDto {
    pub expert: String,
    pub value: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionDto {
    pub value: String,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
    pub at: String,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeductionRowDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    pub proposals: Vec<ProposalDto>,
    /// The panel deduction in force (median or resolution); none while the application is incomplete.
    pub deduction: Option<String>,
    pub resolution: Option<ResolutionDto>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpertStatDto {
    pub code: String,
    pub name: String,
    pub leniency: Option<String>,
    pub spearman: Option<String>,
    pub in_kendall_w: bool,
}

/// The consolidation rules of a round, as staff edit them.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    /// "trimmedMean" | "median" | "perItemTrimmedMean"
    pub aggregation: String,
    pub trim_min_sheets: u32,
    pub tiebreak_groups: Vec<String>,
    pub item_flag_percent: u32,
    /// Decimal text, points.
    pub total_flag_points: String,
}

impl From<&Settings> for SettingsDto {
    fn from(s: &Settings) -> Self {
        SettingsDto {
            aggregation: match s.aggregation {
                Aggregation::TrimmedMean => "trimmedMean",
                Aggregation::Median => "median",
                Aggregation::PerItemTrimmedMean => "perItemTrimmedMean",
            }
            .into(),
            trim_min_sheets: s.trim_min_sheets as u32,
            tiebreak_groups: s.tiebreak_groups.clone(),
            item_flag_percent: s.item_flag_percent,
            total_flag_points: s.total_flag_points.to_string(),
        }
    }
}

impl SettingsDto {
    /// The core settings, checked against the round's rubric; every problem in one Chinese message.
    pub fn to_settings(&self, rubric: &pingshen_core::rubric::Rubric) -> CmdResult<Settings> {
        let invalid = |m: String| CommandError::new(ErrorKind::InvalidInput, m);
        let aggregation = match self.aggregation.as_str() {
            "trimmedMean" => Aggregation::TrimmedMean,
            "median" => Aggregation::Median,
            "perItemTrimmedMean" => Aggregation::PerItemTrimmedMean,
            other => return Err(invalid(format!("未知的专家评分计算方式：{other}"))),
        };
        let total_flag_points = pingshen_core::Tenths::parse(&self.total_flag_points).map_err(|e| invalid(format!("总分偏离提示阈值{e}")))?;
        let s = Settings {
            aggregation,
            trim_min_sheets: self.trim_min_sheets as usize,
            tiebreak_groups: self.tiebreak_groups.iter().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect(),
            item_flag_percent: self.item_flag_percent,
            total_flag_points,
        };
        s.check(rubric).map_err(|p| invalid(p.join("；")))?;
        Ok(s)
    }
}

/// A recusal: proposed by the unit match, confirmed by staff, or both.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecusalDto {
    #[ts(type = "number")]
    pub expert_id: i64,
    pub expert: String,
    pub expert_name: String,
    #[ts(type = "number")]
    pub application_id: i64,
    pub application: String,
    /// Why the unit match proposes it (empty when it was not proposed).
    pub proposal: String,
    /// Recorded: the expert is recused.
    pub confirmed: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsolidationDto {
    pub recusals: Vec<RecusalDto>,
    pub round: RoundDto,
    pub method: String,
    pub settings: SettingsDto,
    pub experts: Vec<ExpertDto>,
    pub matrix: Vec<MatrixRowDto>,
    pub ranking: Vec<RankedDto>,
    pub flags: Vec<FlagDto>,
    pub deductions: Vec<DeductionRowDto>,
    pub kendall_w: Option<String>,
    pub expert_stats: Vec<ExpertStatDto>,
}

fn score(r: Option<Ratio>) -> Option<String> {
    r.map(|v| v.round_half_up(2))
}

fn tie_reason(t: Option<TieBreak>, groups: &[String]) -> String {
    t.map(|t| t.reason_zh(groups)).unwrap_or_default()
}

/// The whole 统分 view of a round.
pub fn overview(conn: &Connection, round_id: i64) -> CmdResult<ConsolidationDto> {
    let rubric = rounds::rubric(conn, round_id)?;
    let settings = settlements::settings(conn, round_id)?;
    let input = panel::panel_input(conn, round_id)?;
    let result = consolidate(&rubric, &settings, &input).map_err(|e| CommandError::new(ErrorKind::InvalidInput, format!("无法汇总：{e}")))?;
    let apps = applications::list(conn, round_id)?;
    let experts = experts::list(conn, round_id)?;
    let app_of = |code: &str| apps.iter().find(|a| a.code == code);
    let name_of = |code: &str| experts.iter().find(|e| e.expert.code == code).map(|e| e.expert.name.clone()).unwrap_or_default();

    // Per expert, where each application stands (one query per expert).
    let mut statuses = Vec::new();
    for e in &experts {
        statuses.push((e.expert.code.clone(), e.id, sheets::statuses(conn, round_id, e.id)?));
    }
    let matrix = apps
        .iter()
        .map(|a| {
            let cells: Vec<MatrixCellDto> = statuses
                .iter()
                .map(|(code, expert_id, st)| {
                    let s = st.iter().find(|s| s.application_id == a.id);
                    let state = match s {
                        Some(s) if s.recused => CellState::Recused,
                        Some(s) if s.submitted => CellState::Submitted,
                        Some(s) if s.scored > 0 => CellState::InProgress,
                        _ => CellState::NotStarted,
                    };
                    let total = s.filter(|s| !s.recused && (s.submitted || s.scored > 0)).map(|s| s.total.to_string());
                    MatrixCellDto { expert: code.clone(), expert_id: *expert_id, sheet_id: s.and_then(|s| s.sheet_id), state, total }
                })
                .collect();
            let complete = cells.iter().all(|c| matches!(c.state, CellState::Submitted | CellState::Recused))
                && cells.iter().any(|c| c.state == CellState::Submitted);
            MatrixRowDto { application_id: a.id, code: a.code.clone(), name: a.name.clone(), complete, cells }
        })
        .collect();

    let settled = settlements::settlements(conn, round_id)?;
    let resolutions = settlements::resolutions(conn, round_id)?;
    let proposals = panel::deduction_proposals(conn, round_id)?;
    let mut ranking = Vec::new();
    let mut flags = Vec::new();
    let mut deductions = Vec::new();
    for r in &result.applications {
        let Some(row) = app_of(&r.code) else { continue };
        ranking.push(RankedDto {
            application_id: row.id,
            code: r.code.clone(),
            name: row.name.clone(),
            complete: r.status == Status::Complete,
            valid_sheets: r.valid_sheets() as i32,
            panel_score: score(r.panel_score),
            deduction: score(r.deduction),
            deduction_resolved: r.deduction_resolved,
            final_score: score(r.final_score),
            rank: r.rank,
            tie_reason: tie_reason(r.tie, &settings.tiebreak_groups),
            missing_experts: r.missing_experts.clone(),
            recused_experts: r.recused.clone(),
        });
        for f in &r.flags {
            let settlement =
                settled.iter().rev().find(|s| s.application_code == r.code && s.expert_code == f.expert && s.item == f.item).map(|s| SettlementDto {
                    kind: if s.kind == SettlementKind::ExpertReason { "expertReason" } else { "panelResolution" }.into(),
                    text: s.text.clone(),
                    at: s.at.clone(),
                });
            flags.push(FlagDto {
                application_id: row.id,
                application: r.code.clone(),
                expert: f.expert.clone(),
                expert_name: name_of(&f.expert),
                item: f.item.clone(),
                direction: if f.direction == Direction::High { "high" } else { "low" }.into(),
                value: f.value.to_string(),
                others_mean: f.others_mean.round_half_up(2),
                settlement,
            });
        }
        deductions.push(DeductionRowDto {
            application_id: row.id,
            code: r.code.clone(),
            name: row.name.clone(),
            proposals: proposals
                .iter()
                .filter(|(a, ..)| *a == r.code)
                .map(|(_, e, v, reason)| ProposalDto { expert: e.clone(), value: v.to_string(), reason: reason.clone() })
                .collect(),
            deduction: score(r.deduction),
            resolution: resolutions.iter().find(|x| x.application_code == r.code).map(|x| ResolutionDto {
                value: x.resolution.deduction.to_string(),
                votes_for: x.resolution.votes_for,
                votes_against: x.resolution.votes_against,
                reason: x.resolution.reason.clone(),
                at: x.at.clone(),
            }),
        });
    }
    let recusals = recusals(conn, round_id, &experts, &statuses)?;
    Ok(ConsolidationDto {
        recusals,
        round: rounds::get(conn, round_id)?.into(),
        method: settings.method_zh(),
        settings: (&settings).into(),
        expert_stats: result
            .experts
            .iter()
            .map(|e| ExpertStatDto {
                code: e.expert.clone(),
                name: name_of(&e.expert),
                leniency: score(e.leniency),
                spearman: e.spearman.map(|s| format!("{s:.4}")),
                in_kendall_w: result.w_experts.contains(&e.expert),
            })
            .collect(),
        experts: experts.into_iter().map(ExpertDto::from).collect(),
        matrix,
        ranking,
        flags,
        deductions,
        kendall_w: result.kendall_w.map(|w| w.round_half_up(4)),
    })
}

/// Proposed conflicts (unit match) together with the recusals on record.
fn recusals(
    conn: &Connection,
    round_id: i64,
    experts: &[pingshen_store::experts::ExpertRow],
    statuses: &[(String, i64, Vec<sheets::SheetStatus>)],
) -> CmdResult<Vec<RecusalDto>> {
    let rows = applications::list(conn, round_id)?;
    let mut apps = Vec::new();
    for a in &rows {
        apps.push((a.code.clone(), applications::get(conn, a.id)?.1));
    }
    let refs: Vec<(String, &pingshen_core::application::Application)> = apps.iter().map(|(c, a)| (c.clone(), a)).collect();
    let all: Vec<pingshen_core::expert::Expert> = experts.iter().map(|e| e.expert.clone()).collect();
    let proposals = pingshen_core::recusal::propose(&all, &refs);
    let mut out = Vec::new();
    for e in experts {
        let st = &statuses.iter().find(|(c, ..)| *c == e.expert.code).expect("every expert has statuses").2;
        for a in &rows {
            let confirmed = st.iter().any(|s| s.application_id == a.id && s.recused);
            let proposal = proposals.iter().find(|p| p.expert == e.expert.code && p.application == a.code).map(|p| p.reason.clone());
            if confirmed || proposal.is_some() {
                out.push(RecusalDto {
                    expert_id: e.id,
                    expert: e.expert.code.clone(),
                    expert_name: e.expert.name.clone(),
                    application_id: a.id,
                    application: a.code.clone(),
                    proposal: proposal.unwrap_or_default(),
                    confirmed,
                });
            }
        }
    }
    Ok(out)
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![
        CellState::decl(),
        MatrixCellDto::decl(),
        MatrixRowDto::decl(),
        RankedDto::decl(),
        SettlementDto::decl(),
        FlagDto::decl(),
        ProposalDto::decl(),
        ResolutionDto::decl(),
        DeductionRowDto::decl(),
        ExpertStatDto::decl(),
        SettingsDto::decl(),
        RecusalDto::decl(),
        ConsolidationDto::decl(),
    ]
}

/// Imports a score spreadsheet typed in from paper into the round: every row checked first (all problems
/// at once, with file and row), then written in one transaction.
pub fn import_paper(conn: &mut Connection, round_id: i64, path: &std::path::Path) -> CmdResult<crate::ipc::PaperImportDto> {
    let rubric = rounds::rubric(conn, round_id)?;
    let apps: Vec<String> = applications::list(conn, round_id)?.into_iter().map(|a| a.code).collect();
    let experts: Vec<String> = experts::list(conn, round_id)?.into_iter().map(|e| e.expert.code).collect();
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let imported = pingshen_import::scores::read_scores_file(path, &rubric, Some(&apps), Some(&experts)).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        CommandError::new(ErrorKind::Spreadsheet, format!("评分表有 {} 处问题，未导入任何数据：\n{}", lines.len(), lines.join("\n")))
    })?;
    let done = panel::import_paper(conn, round_id, &imported.input.cells, &file, "统分人")?;
    Ok(crate::ipc::PaperImportDto { file, sheets: done.sheets as i32, recusals: done.recusals as i32 })
}

/// The three documents of a round: 汇总表 (HTML and .xlsx) and 评审报告 (HTML), dated `date`.
pub struct Paperwork {
    pub summary_html: String,
    pub summary_xlsx: Vec<u8>,
    pub review_html: String,
}

/// Renders the paperwork of a round from the store.
pub fn paperwork(conn: &Connection, round_id: i64, date: &str) -> CmdResult<Paperwork> {
    use pingshen_report::{ApplicationInfo, ExpertInfo, ReportInput, RoundInfo};
    let rubric = rounds::rubric(conn, round_id)?;
    let settings = settlements::settings(conn, round_id)?;
    let input = panel::panel_input(conn, round_id)?;
    let result = consolidate(&rubric, &settings, &input).map_err(|e| CommandError::new(ErrorKind::InvalidInput, format!("无法汇总：{e}")))?;
    let round = rounds::get(conn, round_id)?;
    let mut infos = Vec::new();
    for a in applications::list(conn, round_id)? {
        let (_, app) = applications::get(conn, a.id)?;
        infos.push(ApplicationInfo::from_application(a.code, &app));
    }
    let experts: Vec<ExpertInfo> = experts::list(conn, round_id)?.iter().map(|e| ExpertInfo::from(&e.expert)).collect();
    let info = RoundInfo { date: date.to_string(), ..RoundInfo::for_rubric(round.name, &rubric) };
    let settled: Vec<pingshen_report::FlagSettlement> = settlements::settlements(conn, round_id)?
        .into_iter()
        .map(|s| pingshen_report::FlagSettlement {
            application: s.application_code,
            expert: s.expert_code,
            item: s.item,
            by_panel: s.kind == SettlementKind::PanelResolution,
            text: s.text,
        })
        .collect();
    let report = ReportInput {
        settlements: &settled,
        round: &info,
        rubric: &rubric,
        settings: &settings,
        consolidation: &result,
        panel: &input,
        applications: &infos,
        experts: &experts,
    };
    let err = |e: pingshen_report::ReportError| CommandError::new(ErrorKind::InvalidInput, e.to_string());
    Ok(Paperwork {
        summary_html: pingshen_report::summary_html(&report).map_err(err)?,
        summary_xlsx: pingshen_report::summary_xlsx(&report).map_err(err)?,
        review_html: pingshen_report::review_report_html(&report).map_err(err)?,
    })
}

/// One expert's printed 专家评分表 (HTML) from their submitted sheets (as their score file would carry them,
/// exported `exported_at`), and the name to suggest when saving it.
/// The round's 审计日志 as printable HTML.
pub fn audit_log(conn: &Connection, round_id: i64, date: &str) -> CmdResult<String> {
    let round = rounds::get(conn, round_id)?;
    let entries = pingshen_store::audit::for_round(conn, round_id)?
        .into_iter()
        .map(|e| pingshen_report::AuditRow {
            at: pingshen_report::beijing_time(&e.at),
            action: pingshen_store::audit::action_zh(&e.action).to_string(),
            actor: e.actor,
            detail: e.detail,
        })
        .collect();
    let doc = pingshen_report::AuditDoc {
        round_name: round.name,
        rubric_title: round.rubric_title,
        rubric_hash: round.rubric_hash,
        printed_on: date.to_string(),
        entries,
    };
    Ok(pingshen_report::audit_log_html(&doc)?)
}

pub fn expert_sheets(conn: &Connection, round_id: i64, expert_id: i64, exported_at: &str) -> CmdResult<(String, String)> {
    use pingshen_report::{ApplicationInfo, ExpertInfo, ExpertSheetsInput, RoundInfo};
    let file = pingshen_store::scorefiles::export(conn, round_id, expert_id, exported_at)?;
    let rubric = rounds::rubric(conn, round_id)?;
    let round = rounds::get(conn, round_id)?;
    let expert = experts::list(conn, round_id)?
        .into_iter()
        .find(|e| e.id == expert_id)
        .map(|e| ExpertInfo::from(&e.expert))
        .ok_or_else(|| CommandError::new(ErrorKind::NotFound, format!("找不到专家 {expert_id}")))?;
    let apps = applications::list(conn, round_id)?;
    let mut sheets = Vec::new();
    for s in file.sheets {
        let row = apps
            .iter()
            .find(|a| a.code == s.application)
            .ok_or_else(|| CommandError::new(ErrorKind::NotFound, format!("找不到申报 {}", s.application)))?;
        sheets.push((ApplicationInfo::from_application(row.code.clone(), &applications::get(conn, row.id)?.1), s));
    }
    let info = RoundInfo { rubric_hash: round.rubric_hash.clone(), ..RoundInfo::for_rubric(round.name, &rubric) };
    let mut evidence = Vec::new();
    for st in sheets::statuses(conn, round_id, expert_id)? {
        let (Some(sheet_id), true) = (st.sheet_id, st.submitted) else { continue };
        let code = apps.iter().find(|a| a.id == st.application_id).map(|a| a.code.clone()).unwrap_or_default();
        for p in pingshen_store::evidence::list(conn, sheet_id)? {
            evidence.push((code.clone(), p.item, p.label));
        }
    }
    let input = ExpertSheetsInput { round: &info, rubric: &rubric, expert: &expert, round_uid: &round.uid, sheets: &sheets, evidence: &evidence };
    let html = pingshen_report::expert_sheets_html(&input).map_err(|e| CommandError::new(ErrorKind::InvalidInput, e.to_string()))?;
    let clean: String = expert.code.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect();
    Ok((html, format!("{clean}-专家评分表.html")))
}

fn unix_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Now, UTC, as ISO 8601 ("2026-11-23T13:05:00Z"), for what the app stamps itself (score-file exports).
pub fn now_iso() -> String {
    let secs = unix_secs();
    let (y, m, d) = pingshen_report::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", t / 3600, t % 3600 / 60, t % 60)
}

/// Today's date in China (UTC+8) as the documents print it: "2026年11月23日".
pub fn today_zh() -> String {
    let (y, m, d) = pingshen_report::civil_from_days((unix_secs() + 8 * 3600).div_euclid(86_400));
    format!("{y}年{m}月{d}日")
}

/// Imports score files one by one: each is all or nothing; a refused file is reported and the next one
/// still goes in.
pub fn import_score_files(conn: &mut Connection, round_id: i64, paths: &[std::path::PathBuf]) -> Vec<crate::ipc::ScoreFileImportDto> {
    paths
        .iter()
        .map(|path| {
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let result = std::fs::read(path)
                .map_err(|e| format!("无法读取：{e}"))
                .and_then(|bytes| pingshen_core::scorefile::parse_bytes(&bytes).map_err(|e| e.to_string()))
                .and_then(|sf| pingshen_store::scorefiles::import(conn, round_id, &sf, "统分人").map_err(|e| e.to_string()));
            match result {
                Ok(report) => crate::ipc::ScoreFileImportDto { file, imported: true, message: report.summary_zh() },
                Err(message) => crate::ipc::ScoreFileImportDto { file, imported: false, message },
            }
        })
        .collect()
}
