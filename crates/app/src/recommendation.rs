//! The 推荐名单 of a round: the staff set the line (名额, 最低分数线) and the 公示 settings, the app proposes the
//! list from the ranking (`pingshen_core::recommendation`), the panel decides a tie at the places line, the
//! staff confirm the list (frozen until reopened with a reason), and the three documents print it. Every
//! decision is logged by the store.

use pingshen_core::recommendation::{self as rec, DecisionState, Line, Proposal};
use pingshen_core::Tenths;
use pingshen_report::{ApplicationInfo, ListInfo, ListRowInfo, PublicityInfo};
use pingshen_store::recommendation::{self as store, Publicity, PublicityOrder};
use pingshen_store::{applications, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::ids::RoundId;
use crate::overview::{consolidated, STAFF};

/// The line as the screen shows and sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineDto {
    pub places: Option<u32>,
    /// 最低分数线 as decimal text ("80" or "80.5"), or none.
    pub min_score: Option<String>,
}

/// The 公示 settings as the screen shows and sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublicityDto {
    /// "rank" or "recommender".
    pub order: String,
    /// 'YYYY-MM-DD' or empty.
    pub start: String,
    pub end: String,
    pub contact: String,
    pub phone: String,
    pub publisher: String,
}

/// One application of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListEntryDto {
    /// As printed: "1", "2（并列）", 取消资格, 待补.
    pub rank: String,
    pub code: String,
    pub name: String,
    pub recommender: String,
    pub lead_school: String,
    pub lead_enterprise: String,
    /// Two decimals, half up; empty for 待补.
    pub final_score: String,
    pub recommended: bool,
    /// Why not recommended, in words (empty when recommended).
    pub reason: String,
    /// Part of the tie at the places line.
    pub tied: bool,
}

/// The tie at the places line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TieDto {
    pub applications: Vec<String>,
    pub final_score: String,
    pub places_left: u32,
    /// What the tie-break order puts inside the line, when it separates them.
    pub tiebreak_choice: Option<Vec<String>>,
    /// The alert, in Chinese.
    pub message: String,
}

/// The panel's latest tie decision and whether it applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TieDecisionDto {
    pub chosen: Vec<String>,
    pub applies: bool,
    /// In words.
    pub text: String,
}

/// A confirmation in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmedDto {
    pub seq: u32,
    /// Beijing time, as shown.
    pub at: String,
    pub actor: String,
}

/// The 推荐名单 screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationListDto {
    pub line: LineDto,
    pub publicity: PublicityDto,
    /// Confirmed: the frozen rows; otherwise the proposal.
    pub entries: Vec<ListEntryDto>,
    /// The places line is drawn after this index of `entries`.
    pub cutoff_after: Option<u32>,
    pub proposed: u32,
    pub tie: Option<TieDto>,
    pub decision: Option<TieDecisionDto>,
    /// The list can be confirmed now.
    pub confirmable: bool,
    /// What stands between the proposal and its confirmation, besides an undecided tie (shown by `tie`).
    pub blockers: Vec<String>,
    pub confirmed: Option<ConfirmedDto>,
    /// What changed in the consolidation since the list was confirmed.
    pub changes: Vec<String>,
    /// The round's tie-break 一级指标, in words ("第2、3、4项一级指标").
    pub tiebreak: String,
}

/// The panel's decision on the tie, as the dialog sends it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TieDecisionArgs {
    pub chosen: Vec<String>,
    /// Accept the tie-break order instead of a choice.
    pub by_tiebreak: bool,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
}

fn publicity_dto(p: &Publicity) -> PublicityDto {
    PublicityDto {
        order: p.order.token().into(),
        start: p.start.clone(),
        end: p.end.clone(),
        contact: p.contact.clone(),
        phone: p.phone.clone(),
        publisher: p.publisher.clone(),
    }
}

/// Everything the list is made from.
struct State {
    line: Line,
    publicity: Publicity,
    proposal: Proposal,
    confirmed: Option<store::Confirmation>,
    infos: Vec<ApplicationInfo>,
    tiebreak_groups: Vec<String>,
}

fn state(conn: &Connection, round: RoundId) -> Result<State> {
    let c = consolidated(conn, round)?;
    let line = store::line(conn, round.0)?;
    let decisions = store::decisions(conn, round.0)?;
    let proposal = rec::propose(&c.result, &line, &decisions);
    let mut infos = Vec::new();
    for a in applications::list(conn, round.0)? {
        let (_, app) = applications::get(conn, a.id)?;
        infos.push(ApplicationInfo::from_application(a.code, &app));
    }
    Ok(State {
        line,
        publicity: store::publicity(conn, round.0)?,
        proposal,
        confirmed: store::confirmed(conn, round.0)?,
        infos,
        tiebreak_groups: c.settings.tiebreak_groups.clone(),
    })
}

fn frozen(c: &store::Confirmation) -> Vec<rec::FrozenRow> {
    c.rows.iter().map(|r| rec::FrozenRow { code: r.code.clone(), rank: r.rank, final_score: r.final_score, recommended: r.recommended }).collect()
}

fn reason_of_token(token: &str) -> String {
    let r = match token {
        "pending" => rec::Reason::Pending,
        "disqualified" => rec::Reason::Disqualified,
        "below_minimum" => rec::Reason::BelowMinimum,
        "outside_places" => rec::Reason::OutsidePlaces,
        "tie_undecided" => rec::Reason::TieUndecided,
        _ => return token.to_string(),
    };
    pingshen_report::recommendation::reason_zh(r)
}

/// The list as the documents print it: the frozen list when confirmed, else the proposal marked 草稿.
fn list_info(s: &State) -> ListInfo {
    let publicity = PublicityInfo {
        order: match s.publicity.order {
            PublicityOrder::Rank => pingshen_report::PublicityOrder::Rank,
            PublicityOrder::Recommender => pingshen_report::PublicityOrder::Recommender,
        },
        start: date_zh(&s.publicity.start),
        end: date_zh(&s.publicity.end),
        contact: s.publicity.contact.clone(),
        phone: s.publicity.phone.clone(),
        publisher: s.publicity.publisher.clone(),
    };
    // The 组长 of the expert list (named under the signature line) is filled in by `list_for_documents`.
    let leader = None;
    match &s.confirmed {
        Some(c) => {
            let rows = c
                .rows
                .iter()
                .map(|r| ListRowInfo {
                    rank: r.rank,
                    shared: r.rank.is_some() && c.rows.iter().filter(|o| o.rank == r.rank).count() > 1,
                    code: r.code.clone(),
                    name: r.name.clone(),
                    recommender: r.recommender.clone(),
                    lead_school: r.lead_school.clone(),
                    lead_enterprise: r.lead_enterprise.clone(),
                    final_score: r.final_score,
                    recommended: r.recommended,
                    reason: reason_of_token(&r.reason),
                })
                .collect();
            ListInfo {
                rows,
                draft: false,
                line: c.line.describe_zh(),
                decision: c.decision.clone(),
                changes: rec::changes_since(&frozen(c), &s.proposal),
                leader,
                publicity,
            }
        }
        None => {
            let decision = match &s.proposal.decision {
                DecisionState::Applies(d) => rec::decision_zh(d),
                _ => String::new(),
            };
            ListInfo { decision, leader, publicity, ..ListInfo::from_proposal(&s.proposal, &s.infos) }
        }
    }
}

/// 'YYYY-MM-DD' as printed: "2026年12月4日" (empty stays empty).
fn date_zh(d: &str) -> String {
    let parts: Vec<u32> = d.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, day] => format!("{y}年{m}月{day}日"),
        _ => d.to_string(),
    }
}

fn rank_text(rank: Option<u32>, shared: bool, reason: &str) -> String {
    match rank {
        Some(r) if shared => format!("{r}（并列）"),
        Some(r) => r.to_string(),
        None if reason.contains("否定性") => "取消资格".into(),
        None => "待补".into(),
    }
}

/// The 推荐名单 screen of a round.
pub fn overview(conn: &Connection, round: RoundId) -> Result<RecommendationListDto> {
    let s = state(conn, round)?;
    let groups = format!("第{}项一级指标", s.tiebreak_groups.join("、"));
    let p = &s.proposal;
    let info = list_info(&s);
    let entries: Vec<ListEntryDto> = info
        .rows
        .iter()
        .map(|r| ListEntryDto {
            rank: rank_text(r.rank, r.shared, &r.reason),
            code: r.code.clone(),
            name: r.name.clone(),
            recommender: r.recommender.clone(),
            lead_school: r.lead_school.clone(),
            lead_enterprise: r.lead_enterprise.clone(),
            final_score: r.final_score.map(|f| f.round_half_up(2)).unwrap_or_default(),
            recommended: r.recommended,
            reason: r.reason.clone(),
            tied: s.confirmed.is_none() && p.entry(&r.code).is_some_and(|e| e.tied),
        })
        .collect();
    let cutoff_after =
        if s.confirmed.is_some() { entries.iter().rposition(|e| e.recommended).map(|i| i as u32) } else { p.cutoff_after.map(|i| i as u32) };
    let decision = match &p.decision {
        DecisionState::None => None,
        DecisionState::Applies(d) => Some(TieDecisionDto { chosen: d.chosen.clone(), applies: true, text: rec::decision_zh(d) }),
        DecisionState::Stale(d) => Some(TieDecisionDto {
            chosen: d.chosen.clone(),
            applies: false,
            text: format!("专家组此前的决定已不适用（同分情况或名额已变化）：{}", rec::decision_zh(d)),
        }),
    };
    let line_dto = |l: &Line| LineDto { places: l.places, min_score: l.min_score.map(|t| t.to_string()) };
    Ok(RecommendationListDto {
        line: line_dto(s.confirmed.as_ref().map(|c| &c.line).unwrap_or(&s.line)),
        publicity: publicity_dto(&s.publicity),
        proposed: entries.iter().filter(|e| e.recommended).count() as u32,
        entries,
        cutoff_after,
        tie: if s.confirmed.is_some() {
            None
        } else {
            p.tie.as_ref().map(|t| TieDto {
                applications: t.applications.clone(),
                final_score: t.final_score.round_half_up(2),
                places_left: t.places_left,
                tiebreak_choice: t.tiebreak_choice.clone(),
                message: t.describe_zh(&s.tiebreak_groups),
            })
        },
        decision: if s.confirmed.is_some() { None } else { decision },
        confirmable: s.confirmed.is_none() && p.confirmable(),
        blockers: if s.confirmed.is_some() { vec![] } else { p.blockers_besides_tie() },
        confirmed: s.confirmed.as_ref().map(|c| ConfirmedDto { seq: c.seq, at: crate::clock::beijing_time(&c.at), actor: c.actor.clone() }),
        changes: info.changes,
        tiebreak: groups,
    })
}

/// Sets the round's line (名额 and/or 最低分数线; logged). Refused while the list is confirmed.
pub fn set_line(conn: &Connection, round: RoundId, line: &LineDto) -> Result<RecommendationListDto> {
    let min_score = match line.min_score.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(Tenths::parse(t).map_err(|e| Error::invalid(format!("最低分数线：{e}")))?),
    };
    let l = Line { places: line.places, min_score };
    if let Err(problems) = l.check() {
        return Err(Error::with_details(ErrorKind::InvalidInput, problems.join("；"), problems));
    }
    store::set_line(conn, round.0, &l, STAFF)?;
    overview(conn, round)
}

/// Sets the 公示 settings (logged).
pub fn set_publicity(conn: &Connection, round: RoundId, p: &PublicityDto) -> Result<RecommendationListDto> {
    let publicity = Publicity {
        order: PublicityOrder::parse(&p.order),
        start: p.start.trim().into(),
        end: p.end.trim().into(),
        contact: p.contact.clone(),
        phone: p.phone.clone(),
        publisher: p.publisher.clone(),
    };
    if !publicity.start.is_empty() && !publicity.end.is_empty() && publicity.end < publicity.start {
        return Err(Error::invalid("公示期的结束日期不能早于开始日期"));
    }
    store::set_publicity(conn, round.0, &publicity, STAFF)?;
    overview(conn, round)
}

/// Records the panel's decision on the tie at the places line (checked by the core rules; logged).
pub fn decide_tie(conn: &Connection, round: RoundId, args: &TieDecisionArgs) -> Result<RecommendationListDto> {
    let s = state(conn, round)?;
    if s.confirmed.is_some() {
        return Err(pingshen_store::StoreError::ListConfirmed { what: "更改同分的专家组决定" }.into());
    }
    let d = rec::decide(&s.proposal, &args.chosen, args.by_tiebreak, args.votes_for, args.votes_against, &args.reason)
        .map_err(|e| Error::invalid(e.to_string()))?;
    store::record_decision(conn, round.0, &d, STAFF)?;
    overview(conn, round)
}

/// Confirms the proposed list: refused (with every reason) while it cannot be confirmed; the rows are frozen
/// as they stand (logged).
pub fn confirm(conn: &Connection, round: RoundId) -> Result<RecommendationListDto> {
    let s = state(conn, round)?;
    if s.confirmed.is_some() {
        return Err(pingshen_store::StoreError::ListConfirmed { what: "再次确认" }.into());
    }
    if !s.proposal.confirmable() {
        return Err(pingshen_store::StoreError::ListNotConfirmable { problems: s.proposal.blockers.clone() }.into());
    }
    let decision = match &s.proposal.decision {
        DecisionState::Applies(d) => rec::decision_zh(d),
        _ => String::new(),
    };
    let rows: Vec<store::ListRow> = s
        .proposal
        .entries
        .iter()
        .map(|e| {
            let info = s.infos.iter().find(|a| a.code == e.code).cloned().unwrap_or_default();
            store::ListRow {
                rank: e.rank,
                code: e.code.clone(),
                name: info.name,
                recommender: info.recommender,
                lead_school: info.lead_school,
                lead_enterprise: info.lead_enterprise,
                final_score: e.final_score,
                recommended: e.proposed,
                reason: e.reason.map(|r| r.token().to_string()).unwrap_or_default(),
            }
        })
        .collect();
    store::confirm(conn, round.0, &s.line, &decision, &rows, STAFF)?;
    overview(conn, round)
}

/// Reopens the confirmed list with a reason (logged).
pub fn reopen(conn: &Connection, round: RoundId, reason: &str) -> Result<RecommendationListDto> {
    store::reopen(conn, round.0, reason, STAFF)?;
    overview(conn, round)
}

/// The list as the documents print it (frozen when confirmed, else the proposal marked 草稿).
pub fn list_for_documents(conn: &Connection, round: RoundId) -> Result<ListInfo> {
    let leader = pingshen_store::experts::leader(conn, round.0)?.map(|e| e.expert.name);
    Ok(ListInfo { leader, ..list_info(&state(conn, round)?) })
}

/// Which document a preview shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ListDocument {
    /// 评审结果汇总表
    Summary,
    /// 拟推荐名单
    Shortlist,
    /// 公示名单
    Publicity,
}

/// One of the three documents as HTML, for the preview (打印, 另存为 PDF), with its file name.
pub fn preview(conn: &Connection, round: RoundId, which: ListDocument, date: &str) -> Result<PreviewDto> {
    let (file_name, html) = crate::paperwork::list_html(conn, round, which, date)?;
    Ok(PreviewDto { title: file_name.trim_end_matches(".html").to_string(), file_name, html })
}

/// A document to preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewDto {
    pub title: String,
    pub file_name: String,
    pub html: String,
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![
        LineDto::decl(),
        PublicityDto::decl(),
        ListEntryDto::decl(),
        TieDto::decl(),
        TieDecisionDto::decl(),
        ConfirmedDto::decl(),
        RecommendationListDto::decl(),
        TieDecisionArgs::decl(),
        ListDocument::decl(),
        PreviewDto::decl(),
    ]
}
