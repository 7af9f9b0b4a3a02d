//! 复议 (reconsideration) on the staff's 统分 screen: the 组长 (an expert of the round, chosen by name) opens
//! one naming applications and, optionally, points, with a reason; staff type each reconsidered score from
//! the expert's paper with its reason; the 组长 closes it. Every step is logged; the first and the
//! reconsidered values are both kept and printed in the 评审报告.

use pingshen_store::reconsiderations::{self, ReconsiderationRow, Source};
use pingshen_store::{applications, experts, rounds, sheets, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::ids::{RoundId, SheetId};
use crate::overview::STAFF;
use crate::views::parse_value;

/// One application a 复议 names.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconsiderationScopeDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// The points named, in rubric order; empty: every point.
    pub items: Vec<String>,
    /// The experts who may change their scores (not recused, sheet submitted), with their current scores.
    pub experts: Vec<ReconsiderationExpertDto>,
}

/// An expert taking part in the 复议 of one application.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconsiderationExpertDto {
    #[ts(type = "number")]
    pub expert_id: i64,
    pub code: String,
    pub name: String,
    #[ts(type = "number")]
    pub sheet_id: i64,
    /// (item, score) of the points under reconsideration, as they stand now.
    pub scores: Vec<ItemScoreDto>,
}

/// A point's score as it stands.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemScoreDto {
    pub item: String,
    pub value: String,
}

/// One reconsidered score: the first value, the reconsidered value and the reason.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconsideredScoreDto {
    pub application_code: String,
    pub expert_code: String,
    pub expert_name: String,
    pub item: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    /// 纸质 or 评分文件.
    pub source: String,
    pub at: String,
}

/// A 复议 of the round.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconsiderationDto {
    #[ts(type = "number")]
    pub id: i64,
    /// "E01 张三"
    pub opened_by: String,
    pub reason: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub scopes: Vec<ReconsiderationScopeDto>,
    pub changes: Vec<ReconsideredScoreDto>,
}

/// What 发起复议 asks for.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenReconsiderationArgs {
    /// The 组长: an expert of the round.
    #[ts(type = "number")]
    pub opened_by: i64,
    pub targets: Vec<ReconsiderationTargetArgs>,
    pub reason: String,
}

/// An application to reconsider and its points (empty: every point).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconsiderationTargetArgs {
    #[ts(type = "number")]
    pub application_id: i64,
    pub items: Vec<String>,
}

/// One reconsidered score as typed by staff from the expert's paper.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconsiderScoreArgs {
    pub item: String,
    /// Decimal text as typed.
    pub value: String,
    pub reason: String,
}

/// The round's 复议, oldest first (at most one open).
pub fn list(conn: &Connection, round: RoundId) -> Result<Vec<ReconsiderationDto>> {
    reconsiderations::list(conn, round.0)?.into_iter().map(|r| dto(conn, r)).collect()
}

fn dto(conn: &Connection, r: ReconsiderationRow) -> Result<ReconsiderationDto> {
    let list = experts::list(conn, r.round_id)?;
    let mut scopes = Vec::new();
    for (app_id, scope) in &r.scopes {
        let (row, _) = applications::get(conn, *app_id)?;
        let mut taking_part = Vec::new();
        for e in &list {
            let status = sheets::statuses(conn, r.round_id, e.id)?.into_iter().find(|s| s.application_id == *app_id);
            let Some(status) = status.filter(|s| !s.recused && s.submitted) else { continue };
            let Some(sheet_id) = status.sheet_id else { continue };
            let data = sheets::load(conn, sheet_id)?;
            let scores = data
                .scores
                .iter()
                .filter(|s| scope.covers(&s.item))
                .filter_map(|s| Some(ItemScoreDto { item: s.item.clone(), value: s.value?.to_string() }))
                .collect();
            taking_part.push(ReconsiderationExpertDto {
                expert_id: e.id,
                code: e.expert.code.clone(),
                name: e.expert.name.clone(),
                sheet_id,
                scores,
            });
        }
        scopes.push(ReconsiderationScopeDto {
            application_id: *app_id,
            code: scope.application.clone(),
            name: row.name,
            items: scope.items.clone(),
            experts: taking_part,
        });
    }
    Ok(ReconsiderationDto {
        id: r.id,
        opened_by: format!("{} {}", r.opened_by_code, r.opened_by_name),
        reason: r.reason,
        opened_at: r.opened_at,
        closed_at: r.closed_at,
        scopes,
        changes: r
            .changes
            .into_iter()
            .map(|c| ReconsideredScoreDto {
                application_code: c.application_code,
                expert_code: c.expert_code,
                expert_name: c.expert_name,
                item: c.item,
                before: c.before.to_string(),
                after: c.after.to_string(),
                reason: c.reason,
                source: if c.source == "file" { "评分文件".into() } else { "纸质".into() },
                at: c.at,
            })
            .collect(),
    })
}

/// 发起复议: the 组长 names the applications and, optionally, the points, with a reason (logged).
pub fn open(conn: &Connection, round: RoundId, args: &OpenReconsiderationArgs) -> Result<ReconsiderationDto> {
    // 复议 is opened by the panel's 组长 (the role on the expert list).
    match experts::leader(conn, round.0)? {
        None => return Err(Error::invalid("本批次还没有组长：复议由组长发起，请先在“专家名单”中设定组长")),
        Some(l) if l.id != args.opened_by => {
            return Err(Error::invalid(format!("复议由组长{}（{}）发起，请选择组长", l.expert.name, l.expert.code)));
        }
        Some(_) => {}
    }
    let targets: Vec<(i64, Vec<String>)> = args.targets.iter().map(|t| (t.application_id, t.items.clone())).collect();
    let id = reconsiderations::open(conn, round.0, args.opened_by, &targets, &args.reason, STAFF)?;
    let row = reconsiderations::list(conn, round.0)?.into_iter().find(|r| r.id == id).expect("just opened");
    dto(conn, row)
}

/// Staff type an expert's reconsidered scores from paper (复议表), each with its reason: all or nothing.
pub fn change_on_paper(
    conn: &Connection,
    round: RoundId,
    reconsideration: i64,
    sheet: SheetId,
    changes: &[ReconsiderScoreArgs],
) -> Result<ReconsiderationDto> {
    let mut parsed = Vec::new();
    for c in changes {
        let value = parse_value(Some(&c.value))
            .map_err(|e| Error::new(ErrorKind::InvalidScore, format!("观测点 {} 的复议分值{e}", c.item)))?
            .ok_or_else(|| Error::new(ErrorKind::InvalidScore, format!("请填写观测点 {} 的复议分值", c.item)))?;
        parsed.push((c.item.clone(), value, c.reason.clone()));
    }
    let (round_id, _, _) = sheets::context(conn, sheet.0)?;
    if round_id != round.0 {
        return Err(Error::not_found("这份评分表不属于当前评审批次"));
    }
    reconsiderations::change(conn, reconsideration, sheet.0, &parsed, Source::Paper, STAFF)?;
    let row = reconsiderations::list(conn, round.0)?.into_iter().find(|r| r.id == reconsideration).expect("changed above");
    dto(conn, row)
}

/// 结束复议 (logged): no further changes under it.
pub fn close(conn: &Connection, round: RoundId, reconsideration: i64) -> Result<Vec<ReconsiderationDto>> {
    reconsiderations::close(conn, reconsideration, STAFF)?;
    list(conn, round)
}

/// The round's 复议 as the 评审报告 prints them.
pub(crate) fn records(conn: &Connection, round: RoundId) -> Result<Vec<pingshen_report::ReconsiderationRecord>> {
    let rubric = rounds::rubric(conn, round.0)?;
    let item_name = |code: &str| {
        let name = rubric.item(code).map(|i| i.short_name.clone()).unwrap_or_default();
        if name.is_empty() {
            code.to_string()
        } else {
            format!("{code} {name}")
        }
    };
    Ok(reconsiderations::list(conn, round.0)?
        .into_iter()
        .map(|r| pingshen_report::ReconsiderationRecord {
            number: r.id,
            opened_by: format!("{} {}", r.opened_by_code, r.opened_by_name),
            scope: r.scopes.iter().map(|(_, s)| s.zh()).collect::<Vec<_>>().join("、"),
            reason: r.reason.clone(),
            opened_at: r.opened_at.clone(),
            closed_at: r.closed_at.clone().unwrap_or_default(),
            changes: r
                .changes
                .iter()
                .map(|c| pingshen_report::ReconsideredScore {
                    application: c.application_code.clone(),
                    item: item_name(&c.item),
                    expert: format!("{} {}", c.expert_code, c.expert_name),
                    before: c.before,
                    after: c.after,
                    reason: c.reason.clone(),
                })
                .collect(),
        })
        .collect())
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![
        ReconsiderationScopeDto::decl(),
        ReconsiderationExpertDto::decl(),
        ItemScoreDto::decl(),
        ReconsideredScoreDto::decl(),
        ReconsiderationDto::decl(),
        OpenReconsiderationArgs::decl(),
        ReconsiderationTargetArgs::decl(),
        ReconsiderScoreArgs::decl(),
    ]
}
