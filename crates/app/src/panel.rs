//! What the panel writes on the staff machine, and its paperwork: the 组长 (set on the expert list), the
//! 专家组意见 on each application (the 专家组意见 tab of the 统分 screen, with the application's scores
//! summary beside it) printed as the 评审意见表, and the 实地考察 records (the 实地考察 tab), a 不属实
//! finding of which may be proposed as a 否定性指标 for the panel's vote on the 否定性指标 tab, printed as the
//! 实地考察记录表. The rules are core's (`pingshen_core::panel`), the storage `pingshen_store::panel_records`.

use pingshen_core::panel::{Check, Conclusion, Finding, Member, Opinion, Visit};
use pingshen_report::panel as papers;
use pingshen_store::{applications, experts, panel_records, rounds, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids::{ApplicationId, ExpertId, FindingId, RoundId, SiteVisitId};
use crate::overview::{consolidated, recommendation_tally, RankStatus, RecommendationTallyDto, STAFF};
use crate::paperwork::{Document, RoundReport};
use crate::views::ExpertDto;

// ---- the 组长 ----

/// Makes an expert of the round its 组长 (the one before becomes 成员), or (`None`) leaves the round without
/// one. Logged; refused in a closed round.
pub fn set_leader(conn: &Connection, round: RoundId, expert: Option<ExpertId>) -> Result<()> {
    Ok(experts::set_leader(conn, round.0, expert.map(|e| e.0), STAFF)?)
}

// ---- 专家组意见 ----

/// The 结论 of the 专家组意见.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConclusionDto {
    /// 建议推荐
    Recommend,
    /// 不予推荐
    NotRecommend,
}

impl From<Conclusion> for ConclusionDto {
    fn from(c: Conclusion) -> Self {
        match c {
            Conclusion::Recommend => ConclusionDto::Recommend,
            Conclusion::NotRecommend => ConclusionDto::NotRecommend,
        }
    }
}

impl From<ConclusionDto> for Conclusion {
    fn from(c: ConclusionDto) -> Self {
        match c {
            ConclusionDto::Recommend => Conclusion::Recommend,
            ConclusionDto::NotRecommend => Conclusion::NotRecommend,
        }
    }
}

/// The 专家组意见 as the 组长 types it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpinionInput {
    pub strengths: String,
    pub problems: String,
    pub suggestions: String,
    pub conclusion: ConclusionDto,
    pub conclusion_note: String,
}

/// The saved 专家组意见 in force (the newest version).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpinionDto {
    pub strengths: String,
    pub problems: String,
    pub suggestions: String,
    pub conclusion: ConclusionDto,
    pub conclusion_note: String,
    /// The 组长 who wrote it: 专家编号 and 姓名.
    pub author: String,
    pub author_name: String,
    /// 第 N 稿: how many versions were saved (all are kept).
    pub version: u32,
    pub at: String,
}

/// One expert's total on the application, as the 汇总表 prints it (a total, 回避 or 未交).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpertScoreDto {
    pub expert: String,
    pub expert_name: String,
    pub value: String,
}

/// One application on the 专家组意见 tab: who it is, its scores summary, and the opinion in force.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PanelOpinionRowDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    pub recommender: String,
    pub lead_school: String,
    pub lead_enterprise: String,
    /// Each expert's total (per-expert totals of the 汇总表).
    pub scores: Vec<ExpertScoreDto>,
    pub panel_score: Option<String>,
    pub deduction: Option<String>,
    pub final_score: Option<String>,
    pub rank: Option<u32>,
    pub status: RankStatus,
    /// The tally of the experts' 推荐意见 over the submitted sheets, shown beside the opinion.
    pub recommendations: RecommendationTallyDto,
    /// The 专家组意见 in force; `None` when none was written yet.
    pub opinion: Option<OpinionDto>,
}

/// The 专家组意见 tab: the round's 组长 and every application in the ranking's order.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PanelOpinionsDto {
    /// The round's 组长; `None`: the tab asks staff to set one in the 专家名单 first.
    pub leader: Option<ExpertDto>,
    pub rows: Vec<PanelOpinionRowDto>,
}

/// The 专家组意见 tab of a round.
pub fn opinions(conn: &Connection, round: RoundId) -> Result<PanelOpinionsDto> {
    let c = consolidated(conn, round)?;
    let apps = applications::list(conn, round.0)?;
    let roster = experts::list(conn, round.0)?;
    let name_of = |code: &str| roster.iter().find(|e| e.expert.code == code).map(|e| e.expert.name.clone()).unwrap_or_default();
    let latest = panel_records::latest_opinions(conn, round.0)?;
    let tallies = recommendation_tally(conn, round)?;
    let score = |r: Option<pingshen_core::Ratio>| r.map(|v| v.round_half_up(2));
    let mut rows = Vec::new();
    for r in &c.result.applications {
        let Some(a) = apps.iter().find(|a| a.code == r.code) else { continue };
        let (_, app) = applications::get(conn, a.id)?;
        let scores = c
            .result
            .experts
            .iter()
            .map(|e| {
                let value = if let Some((_, t)) = r.totals.iter().find(|(x, _)| *x == e.expert) {
                    pingshen_core::Ratio::from_tenths(*t).round_half_up(2)
                } else if r.recused.contains(&e.expert) {
                    "回避".to_string()
                } else {
                    "未交".to_string()
                };
                ExpertScoreDto { expert: e.expert.clone(), expert_name: name_of(&e.expert), value }
            })
            .collect();
        rows.push(PanelOpinionRowDto {
            application_id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            recommender: app.cover.recommender.clone(),
            lead_school: app.cover.lead_school.clone(),
            lead_enterprise: app.cover.lead_enterprise.clone(),
            scores,
            panel_score: score(r.panel_score),
            deduction: score(r.deduction),
            final_score: score(r.final_score),
            rank: r.rank,
            status: r.status.into(),
            recommendations: tallies.iter().find(|t| t.application_id == a.id).cloned().unwrap_or_default(),
            opinion: latest.iter().find(|o| o.application_id == a.id).map(|o| OpinionDto {
                strengths: o.opinion.strengths.clone(),
                problems: o.opinion.problems.clone(),
                suggestions: o.opinion.suggestions.clone(),
                conclusion: o.opinion.conclusion.into(),
                conclusion_note: o.opinion.conclusion_note.clone(),
                author: o.author_code.clone(),
                author_name: o.author_name.clone(),
                version: o.version,
                at: o.at.clone(),
            }),
        });
    }
    Ok(PanelOpinionsDto { leader: experts::leader(conn, round.0)?.map(ExpertDto::from), rows })
}

/// The application, checked to be of the round.
fn of_round(conn: &Connection, round: RoundId, application: ApplicationId) -> Result<()> {
    let (row, _) = applications::get(conn, application.0)?;
    if row.round_id != round.0 {
        return Err(Error::not_found("这份申报材料不属于当前评审批次"));
    }
    Ok(())
}

/// Saves a new version of the 专家组意见 on an application, written by the round's 组长 (named as its
/// author). Refused without a 组长 (set one in the 专家名单), with a part missing or too long (every problem
/// in `details`), in a closed round. Logged.
pub fn save_opinion(conn: &Connection, round: RoundId, application: ApplicationId, input: &OpinionInput) -> Result<()> {
    of_round(conn, round, application)?;
    let o = Opinion {
        strengths: input.strengths.clone(),
        problems: input.problems.clone(),
        suggestions: input.suggestions.clone(),
        conclusion: input.conclusion.into(),
        conclusion_note: input.conclusion_note.clone(),
    };
    panel_records::save_opinion(conn, application.0, &o, STAFF)?;
    Ok(())
}

/// The 评审意见表 as HTML, for the print preview of the 专家组意见 tab.
pub fn opinions_preview(conn: &Connection, round: RoundId, date: &str) -> Result<String> {
    let r = RoundReport::gather(conn, round, date)?;
    Ok(papers::opinions_html(&r.input(), &r.records)?)
}

/// The 评审意见表 as HTML, .xlsx and .docx (the 专家组意见 tab's 导出).
pub fn opinion_documents(conn: &Connection, round: RoundId, date: &str) -> Result<Vec<Document>> {
    let r = RoundReport::gather(conn, round, date)?;
    let (input, records) = (r.input(), &r.records);
    Ok(vec![
        Document::new("评审意见表.html", papers::opinions_html(&input, records)?),
        Document::new("评审意见表.xlsx", papers::opinions_xlsx(&input, records)?),
        Document::new("评审意见表.docx", papers::opinions_docx(&input, records)?),
    ])
}

// ---- 实地考察 ----

/// A 核查结论.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckResultDto {
    /// 属实
    True,
    /// 部分属实
    Partly,
    /// 不属实
    False,
}

impl From<Finding> for CheckResultDto {
    fn from(f: Finding) -> Self {
        match f {
            Finding::True => CheckResultDto::True,
            Finding::Partly => CheckResultDto::Partly,
            Finding::False => CheckResultDto::False,
        }
    }
}

impl From<CheckResultDto> for Finding {
    fn from(f: CheckResultDto) -> Self {
        match f {
            CheckResultDto::True => Finding::True,
            CheckResultDto::Partly => Finding::Partly,
            CheckResultDto::False => Finding::False,
        }
    }
}

/// A member of the visiting group: an expert of the round (`expert_code`, name and unit from the list) or
/// someone typed in (监督人员, staff).
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VisitMemberDto {
    pub expert_code: Option<String>,
    pub name: String,
    pub unit: String,
    /// 身份: 组长, 评审专家, 监督人员, 工作人员 …
    pub duty: String,
}

/// A 不属实 finding's proposal of a 否定性指标.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingProposalDto {
    pub code: String,
    pub text: String,
    pub at: String,
}

/// A claim checked on a visit.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VisitFindingDto {
    #[ts(type = "number")]
    pub id: i64,
    pub claim: String,
    pub finding: CheckResultDto,
    pub note: String,
    /// The 否定性指标 it was proposed as (it can then no longer be removed or stop being 不属实).
    pub proposals: Vec<FindingProposalDto>,
}

/// A 实地考察 record.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SiteVisitDto {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// 第 N 次 of the application's visits.
    pub seq: u32,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub place: String,
    pub members: Vec<VisitMemberDto>,
    pub findings: Vec<VisitFindingDto>,
    pub updated_at: String,
}

/// A claim as staff type it; `id` is the stored finding it edits (`None` for a new row).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VisitCheckInput {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub claim: String,
    pub finding: CheckResultDto,
    pub note: String,
}

/// A 实地考察 as staff type it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VisitInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub place: String,
    pub members: Vec<VisitMemberDto>,
    pub checks: Vec<VisitCheckInput>,
}

/// Every 实地考察 of a round, by 申报编号 and then in order.
pub fn visits(conn: &Connection, round: RoundId) -> Result<Vec<SiteVisitDto>> {
    let rubric = rounds::rubric(conn, round.0)?;
    let apps = applications::list(conn, round.0)?;
    Ok(panel_records::visits(conn, round.0)?
        .into_iter()
        .map(|v| SiteVisitDto {
            id: v.id,
            application_id: v.application_id,
            name: apps.iter().find(|a| a.id == v.application_id).map(|a| a.name.clone()).unwrap_or_default(),
            code: v.application_code,
            seq: v.seq,
            date: v.date,
            place: v.place,
            members: v.members.into_iter().map(|m| VisitMemberDto { expert_code: m.expert, name: m.name, unit: m.unit, duty: m.duty }).collect(),
            findings: v
                .findings
                .into_iter()
                .map(|f| VisitFindingDto {
                    id: f.check.id.unwrap_or_default(),
                    claim: f.check.claim,
                    finding: f.check.finding.into(),
                    note: f.check.note,
                    proposals: f
                        .proposals
                        .into_iter()
                        .map(|p| FindingProposalDto {
                            text: rubric.veto(&p.veto).map(|x| x.text.clone()).unwrap_or_default(),
                            code: p.veto,
                            at: p.at,
                        })
                        .collect(),
                })
                .collect(),
            updated_at: v.updated_at,
        })
        .collect())
}

/// Saves a 实地考察 of an application of the round: a new one (`visit` `None`) or changes to one. Refused,
/// nothing written, with every problem in `details`: no date or a wrong one, no member, no claim, a claim
/// without its 说明 unless 属实; also an expert the round does not have, a finding proposed as a 否定性指标
/// removed or no longer 不属实, a closed round. Logged. The visit's id back.
pub fn save_visit(conn: &Connection, round: RoundId, application: ApplicationId, visit: Option<SiteVisitId>, input: &VisitInput) -> Result<i64> {
    of_round(conn, round, application)?;
    let v = Visit {
        date: input.date.clone(),
        place: input.place.clone(),
        members: input
            .members
            .iter()
            .map(|m| Member {
                expert: m.expert_code.clone().filter(|c| !c.trim().is_empty()),
                name: m.name.clone(),
                unit: m.unit.clone(),
                duty: m.duty.clone(),
            })
            .collect(),
        checks: input.checks.iter().map(|c| Check { id: c.id, claim: c.claim.clone(), finding: c.finding.into(), note: c.note.clone() }).collect(),
    };
    Ok(panel_records::save_visit(conn, application.0, visit.map(|v| v.0), &v, STAFF)?)
}

/// The round's visit `visit`, or not found.
fn visit_of_round(conn: &Connection, round: RoundId, visit: i64) -> Result<()> {
    if panel_records::visits(conn, round.0)?.iter().any(|v| v.id == visit) {
        Ok(())
    } else {
        Err(Error::not_found("这条实地考察记录不属于当前评审批次"))
    }
}

/// Deletes a 实地考察 record of the round (refused once a finding of it was proposed as a 否定性指标). Logged.
pub fn delete_visit(conn: &Connection, round: RoundId, visit: SiteVisitId) -> Result<()> {
    visit_of_round(conn, round, visit.0)?;
    Ok(panel_records::delete_visit(conn, visit.0, STAFF)?)
}

/// Proposes a 不属实 finding of a visit of the round as the rubric's 否定性指标 `code`: it appears on the
/// 否定性指标 tab with its source (实地考察) and the finding's text, for the panel's vote; it is never upheld by
/// itself. Refused unless the finding is 不属实 and the rubric has that 否定性指标. Logged.
pub fn propose_veto(conn: &Connection, round: RoundId, finding: FindingId, code: &str) -> Result<()> {
    let owned = panel_records::visits(conn, round.0)?.iter().any(|v| v.findings.iter().any(|f| f.check.id == Some(finding.0)));
    if !owned {
        return Err(Error::not_found("这条核查记录不属于当前评审批次"));
    }
    let rubric = rounds::rubric(conn, round.0)?;
    Ok(panel_records::propose_veto(conn, &rubric, finding.0, code, STAFF)?)
}

/// The 实地考察记录表 as HTML, for the print preview of the 实地考察 tab.
pub fn visits_preview(conn: &Connection, round: RoundId, date: &str) -> Result<String> {
    let r = RoundReport::gather(conn, round, date)?;
    Ok(papers::visits_html(&r.input(), &r.records)?)
}

/// The 实地考察记录表 as HTML and .docx (the 实地考察 tab's 导出).
pub fn visit_documents(conn: &Connection, round: RoundId, date: &str) -> Result<Vec<Document>> {
    let r = RoundReport::gather(conn, round, date)?;
    let (input, records) = (r.input(), &r.records);
    Ok(vec![
        Document::new("实地考察记录表.html", papers::visits_html(&input, records)?),
        Document::new("实地考察记录表.docx", papers::visits_docx(&input, records)?),
    ])
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![
        ConclusionDto::decl(),
        OpinionInput::decl(),
        OpinionDto::decl(),
        ExpertScoreDto::decl(),
        PanelOpinionRowDto::decl(),
        PanelOpinionsDto::decl(),
        CheckResultDto::decl(),
        VisitMemberDto::decl(),
        FindingProposalDto::decl(),
        VisitFindingDto::decl(),
        SiteVisitDto::decl(),
        VisitCheckInput::decl(),
        VisitInput::decl(),
    ]
}
