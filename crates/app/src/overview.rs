//! The staff's 统分 view of a round: the experts × applications matrix, the ranking with tie-break reasons,
//! flags and how they were settled, deductions with proposals and resolutions, 否定性指标 with the experts'
//! proposals and the panel's decisions, recusals and panel statistics; and what staff decide on it (the
//! consolidation rules, settling a flag, a deduction resolution, a veto decision, a recusal, reopening a
//! sheet). It gathers store rows, runs
//! `pingshen_core::consolidation::consolidate`, and shapes the result as views.

use pingshen_core::consolidation::{
    self as core, consolidate, settlement_of, veto_decision_of, Aggregation, Consolidation, Settings, Status, TieBreak,
};
use pingshen_core::rubric::Rubric;
use pingshen_core::Ratio;
use pingshen_store::settlements::{self, SettlementKind};
use pingshen_store::{applications, experts, panel, rounds, sheets, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::ids::{ApplicationId, ExpertId, RoundId, SheetId};
use crate::views::{parse_value, sheet_state, ExpertDto, RoundDto, SheetState, VetoDefDto, VetoEffectDto};

/// One cell of the matrix.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MatrixCellDto {
    pub expert: String,
    #[ts(type = "number")]
    pub expert_id: i64,
    /// The sheet, once one exists (staff reopen a submitted one by it).
    #[ts(type = "number | null")]
    pub sheet_id: Option<i64>,
    pub state: SheetState,
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
    /// Every assigned, non-recused expert's sheet is in (not 待补); a disqualified application may be too.
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
    /// Ranked, 待补 or 取消资格.
    pub status: RankStatus,
    /// The upheld 否定性指标 that decides the result (取消资格, or a final score of 0), with the reason.
    pub veto: Option<AppliedVetoDto>,
    /// The experts' 推荐意见 over the submitted sheets.
    pub recommendations: RecommendationTallyDto,
}

/// The experts' 推荐意见 on one application over its submitted sheets: 推荐 n / 不推荐 m / 未填 k.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationTallyDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub recommend: u32,
    pub not_recommend: u32,
    /// Submitted sheets without a 推荐意见.
    pub not_given: u32,
    /// In words: 推荐 3 / 不推荐 1 / 未填 1 (the 未填 part only when there is one).
    pub text: String,
}

/// The tally of the experts' 推荐意见 per application of a round, over the submitted sheets of experts not
/// recused (推荐 n / 不推荐 m / 未填 k), every application of the round in 申报编号 order (an application
/// without a submitted sheet has all three 0).
pub fn recommendation_tally(conn: &Connection, round: RoundId) -> Result<Vec<RecommendationTallyDto>> {
    let given = panel::recommendations(conn, round.0)?;
    Ok(applications::list(conn, round.0)?
        .into_iter()
        .map(|a| {
            let t = pingshen_core::opinion::Tally::of(given.iter().filter(|(id, _)| *id == a.id).map(|(_, r)| *r));
            RecommendationTallyDto {
                application_id: a.id,
                recommend: t.recommend,
                not_recommend: t.not_recommend,
                not_given: t.not_given,
                text: t.zh(),
            }
        })
        .collect())
}

/// Where an application stands in the ranking ([`pingshen_core::consolidation::Status`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RankStatus {
    /// Every sheet is in: ranked.
    Complete,
    /// 待补: a sheet is missing; no rank.
    Incomplete,
    /// 取消资格: an upheld 否定性指标; no rank, scores kept for the record.
    Disqualified,
}

impl From<Status> for RankStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Complete => RankStatus::Complete,
            Status::Incomplete => RankStatus::Incomplete,
            Status::Disqualified => RankStatus::Disqualified,
        }
    }
}

/// An upheld 否定性指标 as it decides an application's result.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppliedVetoDto {
    pub code: String,
    pub text: String,
    pub effect: VetoEffectDto,
    pub reason: String,
    pub votes_for: u32,
    pub votes_against: u32,
}

/// One expert's proposal of a 否定性指标, on a submitted sheet.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoExpertProposalDto {
    pub expert: String,
    pub expert_name: String,
    pub reason: String,
}

/// A 否定性指标 proposed from a 实地考察 finding (不属实): its source, shown beside the experts' proposals.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoVisitProposalDto {
    /// 第 N 次 实地考察 of the application, and its date (`YYYY-MM-DD`).
    pub visit_seq: u32,
    pub visit_date: String,
    /// 核查内容 and 说明 of the 不属实 finding.
    pub claim: String,
    pub note: String,
    pub at: String,
}

/// A recorded decision of the panel on a 否定性指标.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoDecisionDto {
    /// 维持 (the rubric's effect applies) or 不予认定.
    pub upheld: bool,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
    pub at: String,
}

/// Where a 否定性指标 of an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VetoOutcome {
    /// Proposed, not decided yet: 待评审组认定.
    Pending,
    /// The decision in force upholds it (维持).
    Upheld,
    /// The decision in force does not (不予认定).
    NotUpheld,
}

/// One 否定性指标 of one application: who proposed it and why, every decision (oldest first; the last is in
/// force) and where it stands.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoItemDto {
    pub code: String,
    pub text: String,
    pub effect: VetoEffectDto,
    pub proposals: Vec<VetoExpertProposalDto>,
    /// Proposed from a 实地考察 (a 不属实 finding), for the panel's vote.
    pub visit_proposals: Vec<VetoVisitProposalDto>,
    pub decisions: Vec<VetoDecisionDto>,
    pub outcome: VetoOutcome,
}

/// An application with 否定性指标 proposed on its submitted sheets or from a 实地考察, or decided by the panel.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoRowDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// In the rubric's order.
    pub items: Vec<VetoItemDto>,
}

/// Who settled a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SettlementKindDto {
    /// 专家书面说明
    ExpertReason,
    /// 评审组决议
    PanelResolution,
}

#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettlementDto {
    pub kind: SettlementKindDto,
    pub text: String,
    pub at: String,
}

/// Which side a flagged score is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    /// 畸高
    High,
    /// 畸低
    Low,
}

impl From<core::Direction> for Direction {
    fn from(d: core::Direction) -> Self {
        match d {
            core::Direction::High => Direction::High,
            core::Direction::Low => Direction::Low,
        }
    }
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
    pub direction: Direction,
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

/// How the 专家组评分 is made from the experts' totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AggregationDto {
    /// 去掉一个最高分和一个最低分后取平均
    TrimmedMean,
    /// 中位数
    Median,
    /// 逐项去掉最高最低后取平均
    PerItemTrimmedMean,
}

impl From<Aggregation> for AggregationDto {
    fn from(a: Aggregation) -> Self {
        match a {
            Aggregation::TrimmedMean => AggregationDto::TrimmedMean,
            Aggregation::Median => AggregationDto::Median,
            Aggregation::PerItemTrimmedMean => AggregationDto::PerItemTrimmedMean,
        }
    }
}

impl From<AggregationDto> for Aggregation {
    fn from(a: AggregationDto) -> Self {
        match a {
            AggregationDto::TrimmedMean => Aggregation::TrimmedMean,
            AggregationDto::Median => Aggregation::Median,
            AggregationDto::PerItemTrimmedMean => Aggregation::PerItemTrimmedMean,
        }
    }
}

/// The consolidation rules of a round, as staff edit them.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    pub aggregation: AggregationDto,
    pub trim_min_sheets: u32,
    pub tiebreak_groups: Vec<String>,
    pub item_flag_percent: u32,
    /// Decimal text, points.
    pub total_flag_points: String,
}

impl From<&Settings> for SettingsDto {
    fn from(s: &Settings) -> Self {
        SettingsDto {
            aggregation: s.aggregation.into(),
            trim_min_sheets: s.trim_min_sheets as u32,
            tiebreak_groups: s.tiebreak_groups.clone(),
            item_flag_percent: s.item_flag_percent,
            total_flag_points: s.total_flag_points.to_string(),
        }
    }
}

impl SettingsDto {
    /// The core settings, checked against the round's rubric; every problem in one Chinese message.
    pub fn to_settings(&self, rubric: &Rubric) -> Result<Settings> {
        let total_flag_points = pingshen_core::Tenths::parse(&self.total_flag_points).map_err(|e| Error::invalid(format!("总分偏离提示阈值{e}")))?;
        let s = Settings {
            aggregation: self.aggregation.into(),
            trim_min_sheets: self.trim_min_sheets as usize,
            tiebreak_groups: self.tiebreak_groups.iter().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect(),
            item_flag_percent: self.item_flag_percent,
            total_flag_points,
        };
        s.check(rubric).map_err(|p| Error::with_details(ErrorKind::InvalidInput, p.join("；"), p))?;
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
    /// The rubric's 否定性指标 (none for most rubrics: the 统分 screen then has no 否定性指标 tab).
    pub veto_items: Vec<VetoDefDto>,
    /// Every application with a 否定性指标 proposed or decided, in the ranking's order.
    pub vetoes: Vec<VetoRowDto>,
}

fn score(r: Option<Ratio>) -> Option<String> {
    r.map(|v| v.round_half_up(2))
}

fn tie_reason(t: Option<TieBreak>, groups: &[String]) -> String {
    t.map(|t| t.reason_zh(groups)).unwrap_or_default()
}

/// The whole 统分 view of a round.
pub fn overview(conn: &Connection, round: RoundId) -> Result<ConsolidationDto> {
    let round_id = round.0;
    let Consolidated { rubric, settings, input, result } = consolidated(conn, round)?;
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
                    let state = s.map(|s| sheet_state(s, &rubric)).unwrap_or(pingshen_core::sheet::SheetState::NotStarted);
                    let total = s.filter(|_| state.begun()).map(|s| s.total.to_string());
                    MatrixCellDto { expert: code.clone(), expert_id: *expert_id, sheet_id: s.and_then(|s| s.sheet_id), state: state.into(), total }
                })
                .collect();
            // Every sheet is in (also for a disqualified application, which is not 待补).
            let complete = result.applications.iter().any(|r| r.code == a.code && r.panel_score.is_some());
            MatrixRowDto { application_id: a.id, code: a.code.clone(), name: a.name.clone(), complete, cells }
        })
        .collect();

    let settled = flag_settlements(conn, round)?;
    let resolutions = settlements::resolutions(conn, round_id)?;
    let proposals = panel::deduction_proposals(conn, round_id)?;
    let veto_proposals = panel::veto_proposals(conn, round_id)?;
    let veto_decisions = settlements::veto_resolutions(conn, round_id)?;
    let tallies = recommendation_tally(conn, round)?;
    let visit_proposals = pingshen_store::panel_records::visit_proposals(conn, round_id)?;
    let mut ranking = Vec::new();
    let mut flags = Vec::new();
    let mut deductions = Vec::new();
    let mut vetoes = Vec::new();
    for r in &result.applications {
        let Some(row) = app_of(&r.code) else { continue };
        ranking.push(RankedDto {
            application_id: row.id,
            code: r.code.clone(),
            name: row.name.clone(),
            complete: r.panel_score.is_some(),
            valid_sheets: r.valid_sheets() as i32,
            panel_score: score(r.panel_score),
            deduction: score(r.deduction),
            deduction_resolved: r.deduction_resolved,
            final_score: score(r.final_score),
            rank: r.rank,
            tie_reason: tie_reason(r.tie, &settings.tiebreak_groups),
            missing_experts: r.missing_experts.clone(),
            recused_experts: r.recused.clone(),
            status: r.status.into(),
            veto: r.veto.as_ref().map(|v| AppliedVetoDto {
                code: v.code.clone(),
                text: v.text.clone(),
                effect: v.effect.into(),
                reason: v.reason.clone(),
                votes_for: v.votes_for,
                votes_against: v.votes_against,
            }),
            recommendations: tallies.iter().find(|t| t.application_id == row.id).cloned().unwrap_or_default(),
        });
        let items: Vec<VetoItemDto> = rubric
            .vetoes
            .iter()
            .filter_map(|v| {
                let proposals: Vec<VetoExpertProposalDto> = veto_proposals
                    .iter()
                    .filter(|p| p.application == r.code && p.veto == v.code)
                    .map(|p| VetoExpertProposalDto { expert: p.expert.clone(), expert_name: name_of(&p.expert), reason: p.reason.clone() })
                    .collect();
                let decisions: Vec<VetoDecisionDto> = veto_decisions
                    .iter()
                    .filter(|d| d.decision.application == r.code && d.decision.veto == v.code)
                    .map(|d| VetoDecisionDto {
                        upheld: d.decision.upheld,
                        votes_for: d.decision.votes_for,
                        votes_against: d.decision.votes_against,
                        reason: d.decision.reason.clone(),
                        at: d.at.clone(),
                    })
                    .collect();
                let from_visits: Vec<VetoVisitProposalDto> = visit_proposals
                    .iter()
                    .filter(|p| p.application_code == r.code && p.veto == v.code)
                    .map(|p| VetoVisitProposalDto {
                        visit_seq: p.visit_seq,
                        visit_date: p.visit_date.clone(),
                        claim: p.finding.claim.clone(),
                        note: p.finding.note.clone(),
                        at: p.at.clone(),
                    })
                    .collect();
                if proposals.is_empty() && from_visits.is_empty() && decisions.is_empty() {
                    return None;
                }
                let outcome = match veto_decision_of(&input.vetoes, &r.code, &v.code) {
                    Some(d) if d.upheld => VetoOutcome::Upheld,
                    Some(_) => VetoOutcome::NotUpheld,
                    None => VetoOutcome::Pending,
                };
                Some(VetoItemDto {
                    code: v.code.clone(),
                    text: v.text.clone(),
                    effect: v.effect.into(),
                    proposals,
                    visit_proposals: from_visits,
                    decisions,
                    outcome,
                })
            })
            .collect();
        if !items.is_empty() {
            vetoes.push(VetoRowDto { application_id: row.id, code: r.code.clone(), name: row.name.clone(), items });
        }
        for f in &r.flags {
            let settlement = settlement_of(&settled, &r.code, f).map(|s| SettlementDto {
                kind: if s.by_panel { SettlementKindDto::PanelResolution } else { SettlementKindDto::ExpertReason },
                text: s.text.clone(),
                at: s.at.clone(),
            });
            flags.push(FlagDto {
                application_id: row.id,
                application: r.code.clone(),
                expert: f.expert.clone(),
                expert_name: name_of(&f.expert),
                item: f.item.clone(),
                direction: f.direction.into(),
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
        method: settings.method_zh(&rubric.vetoes),
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
        veto_items: VetoDefDto::all(&rubric),
        vetoes,
    })
}

/// Proposed conflicts (unit match) together with the recusals on record.
fn recusals(
    conn: &Connection,
    round_id: i64,
    experts: &[pingshen_store::experts::ExpertRow],
    statuses: &[(String, i64, Vec<sheets::SheetStatus>)],
) -> Result<Vec<RecusalDto>> {
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

/// A round as consolidation sees it: the frozen rubric, the rules, the panel input (submitted sheets only)
/// and what consolidation made of it.
pub struct Consolidated {
    pub rubric: Rubric,
    pub settings: Settings,
    pub input: core::PanelInput,
    pub result: Consolidation,
}

/// Consolidates a round as it stands.
pub fn consolidated(conn: &Connection, round: RoundId) -> Result<Consolidated> {
    let rubric = rounds::rubric(conn, round.0)?;
    let settings = settlements::settings(conn, round.0)?;
    let input = panel::panel_input(conn, round.0)?;
    let result = consolidate(&rubric, &settings, &input).map_err(|e| Error::invalid(format!("无法汇总：{e}")))?;
    Ok(Consolidated { rubric, settings, input, result })
}

/// How the round's flags were settled, oldest first ([`settlement_of`] finds the one in force).
pub fn flag_settlements(conn: &Connection, round: RoundId) -> Result<Vec<core::Settlement>> {
    Ok(settlements::settlements(conn, round.0)?
        .into_iter()
        .map(|s| core::Settlement {
            application: s.application_code,
            expert: s.expert_code,
            item: s.item,
            by_panel: s.kind == SettlementKind::PanelResolution,
            text: s.text,
            at: s.at,
        })
        .collect())
}

/// Changes the consolidation rules of a round (checked against its rubric; logged).
pub fn set_settings(conn: &Connection, round: RoundId, settings: &SettingsDto) -> Result<()> {
    let s = settings.to_settings(&rounds::rubric(conn, round.0)?)?;
    Ok(settlements::set_settings(conn, round.0, &s, STAFF)?)
}

/// Who settles a flag: the expert's written reason, or the panel.
pub fn settle_flag(conn: &Connection, application: ApplicationId, expert: &str, item: Option<&str>, panel: bool, text: &str) -> Result<()> {
    let kind = if panel { SettlementKind::PanelResolution } else { SettlementKind::ExpertReason };
    Ok(settlements::settle_flag(conn, application.0, expert, item, kind, text, STAFF)?)
}

/// A panel resolution on an application's deduction (replaces the median of the proposals).
pub struct DeductionVote<'a> {
    /// The resolved deduction as typed (0 for none).
    pub value: &'a str,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: &'a str,
}

/// Records a panel resolution on an application's deduction (logged).
pub fn resolve_deduction(conn: &Connection, round: RoundId, application: ApplicationId, vote: &DeductionVote<'_>) -> Result<()> {
    let v = parse_value(Some(vote.value))
        .map_err(|e| Error::new(ErrorKind::InvalidScore, format!("扣分{e}")))?
        .ok_or_else(|| Error::new(ErrorKind::InvalidScore, "请填写决议扣分（不扣分填 0）"))?;
    let rubric = rounds::rubric(conn, round.0)?;
    let resolution = settlements::Resolution { deduction: v, votes_for: vote.votes_for, votes_against: vote.votes_against, reason: vote.reason };
    Ok(settlements::resolve_deduction(conn, &rubric, application.0, &resolution, STAFF)?)
}

/// The panel's decision on a 否定性指标 of an application.
pub struct VetoVote<'a> {
    /// The veto item's code in the rubric.
    pub code: &'a str,
    /// 维持 (认定成立: the rubric's effect applies) or 不予认定.
    pub upheld: bool,
    /// Votes for upholding it.
    pub votes_for: u32,
    /// Votes against upholding it.
    pub votes_against: u32,
    pub reason: &'a str,
}

/// Arguments of `resolve_veto`: the panel's decision as the 统分 screen's dialog sends it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoVoteArgs {
    pub code: String,
    pub upheld: bool,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
}

impl VetoVoteArgs {
    pub fn as_vote(&self) -> VetoVote<'_> {
        VetoVote { code: &self.code, upheld: self.upheld, votes_for: self.votes_for, votes_against: self.votes_against, reason: &self.reason }
    }
}

/// Records the panel's decision on a 否定性指标 of an application of the round (logged; the newest counts).
/// Refused without a reason, for a veto the rubric does not have, and when the vote does not carry the
/// decision (维持 needs more votes for than against).
pub fn resolve_veto(conn: &Connection, round: RoundId, application: ApplicationId, vote: &VetoVote<'_>) -> Result<()> {
    let (row, _) = applications::get(conn, application.0)?;
    if row.round_id != round.0 {
        return Err(Error::not_found("这份申报材料不属于当前评审批次"));
    }
    let rubric = rounds::rubric(conn, round.0)?;
    let v = settlements::VetoVote {
        code: vote.code,
        upheld: vote.upheld,
        votes_for: vote.votes_for,
        votes_against: vote.votes_against,
        reason: vote.reason,
    };
    Ok(settlements::resolve_veto(conn, &rubric, application.0, &v, STAFF)?)
}

/// Records (or withdraws) an expert's recusal from an application, with the reason.
pub fn set_recusal(conn: &Connection, expert: ExpertId, application: ApplicationId, recused: bool, reason: &str) -> Result<()> {
    Ok(experts::set_recused(conn, expert.0, application.0, recused, reason, experts::RecusalSource::Staff, STAFF)?)
}

/// Staff reopen (退回) a submitted sheet so that its expert can change it; the reason is logged.
pub fn reopen_sheet(conn: &Connection, sheet: SheetId, reason: &str) -> Result<()> {
    Ok(sheets::reopen(conn, sheet.0, STAFF, reason)?)
}

/// Who the staff machine's decisions are logged as.
pub(crate) const STAFF: &str = "统分人";

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![
        Direction::decl(),
        SettlementKindDto::decl(),
        AggregationDto::decl(),
        MatrixCellDto::decl(),
        MatrixRowDto::decl(),
        RankedDto::decl(),
        RecommendationTallyDto::decl(),
        SettlementDto::decl(),
        FlagDto::decl(),
        ProposalDto::decl(),
        ResolutionDto::decl(),
        DeductionRowDto::decl(),
        ExpertStatDto::decl(),
        SettingsDto::decl(),
        RecusalDto::decl(),
        ConsolidationDto::decl(),
        RankStatus::decl(),
        AppliedVetoDto::decl(),
        VetoExpertProposalDto::decl(),
        VetoVisitProposalDto::decl(),
        VetoDecisionDto::decl(),
        VetoOutcome::decl(),
        VetoItemDto::decl(),
        VetoRowDto::decl(),
        VetoVoteArgs::decl(),
    ]
}
