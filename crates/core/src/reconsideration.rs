//! 复议 (reconsideration): after the flags are seen, the 组长 names applications and, optionally, the points
//! (rubric items) of each to reconsider, with a reason. The experts concerned (not recused, with a submitted
//! sheet for the application) may then change those scores, each change with its reason, until the 组长
//! closes the 复议. A change is never a silent overwrite: the store keeps the first value, the reconsidered
//! value and the reason beside each other, and a new kept version of the sheet.
//!
//! This module holds the rules as functions over values: what a 复议 may name ([`check_scope`]) and which
//! change it allows ([`check_change`]).

use crate::rubric::Rubric;
use crate::sheet::{check_score, ScoreError};
use crate::Tenths;

/// One application a 复议 names, with the points to reconsider (empty: every point of the application).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// 申报编号
    pub application: String,
    /// Rubric item codes, in rubric order; empty for every point.
    pub items: Vec<String>,
}

impl Scope {
    /// Whether the point is under reconsideration for this application.
    pub fn covers(&self, item: &str) -> bool {
        self.items.is_empty() || self.items.iter().any(|i| i == item)
    }

    /// `A01（观测点 2.1、3.1）` or `A02（全部观测点）`.
    pub fn zh(&self) -> String {
        if self.items.is_empty() {
            format!("{}（全部观测点）", self.application)
        } else {
            format!("{}（观测点 {}）", self.application, self.items.join("、"))
        }
    }
}

/// Why a 复议 or a change under it is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReconsiderationError {
    #[error("复议须至少指定一项申报")]
    NoApplication,
    #[error("复议须写明理由")]
    NoReason,
    #[error("申报 {0} 在复议中出现了两次")]
    DuplicateApplication(String),
    #[error("观测点 {item} 不在本批次的评分标准中（申报 {application} 的复议范围）")]
    UnknownItem { application: String, item: String },
    #[error("本批次当前没有进行中的复议，不能按复议修改评分")]
    NotOpen,
    #[error("本次复议已结束，不能再修改评分")]
    Closed,
    #[error("申报 {application} 不在本次复议范围内，不能按复议修改其评分")]
    ApplicationNotNamed { application: String },
    #[error("观测点 {item} 不在申报 {application} 的复议范围内（本次复议只涉及观测点 {named}），不能修改")]
    PointNotNamed { application: String, item: String, named: String },
    #[error("专家 {expert} 对申报 {application} 已回避，不能参与复议")]
    Recused { expert: String, application: String },
    #[error("专家 {expert} 对申报 {application} 没有已提交的评分表，不能参与复议")]
    NotSubmitted { expert: String, application: String },
    #[error("观测点 {item} 的复议修改须写明理由")]
    ReasonRequired { item: String },
    #[error("观测点 {item} 的复议分值 {value} 分与原分相同，无需修改")]
    Unchanged { item: String, value: Tenths },
    #[error("观测点 {item} 在同一次提交中出现了两次")]
    DuplicateItem { item: String },
    #[error("{0}")]
    Score(#[from] ScoreError),
}

/// Checks what a 复议 names: at least one application, each once, every named point in the rubric, and a
/// reason. Returns the scopes with their points in rubric order.
pub fn check_scope(rubric: &Rubric, scopes: &[Scope], reason: &str) -> Result<Vec<Scope>, ReconsiderationError> {
    if scopes.is_empty() {
        return Err(ReconsiderationError::NoApplication);
    }
    if reason.trim().is_empty() {
        return Err(ReconsiderationError::NoReason);
    }
    let mut out: Vec<Scope> = Vec::new();
    for s in scopes {
        if out.iter().any(|o| o.application == s.application) {
            return Err(ReconsiderationError::DuplicateApplication(s.application.clone()));
        }
        if let Some(bad) = s.items.iter().find(|i| rubric.item(i).is_none()) {
            return Err(ReconsiderationError::UnknownItem { application: s.application.clone(), item: bad.clone() });
        }
        let items = rubric.items().filter(|i| s.items.contains(&i.code)).map(|i| i.code.clone()).collect();
        out.push(Scope { application: s.application.clone(), items });
    }
    Ok(out)
}

/// Whether an expert may take part in the 复议 of an application: not recused, with a submitted sheet.
pub fn check_expert(expert: &str, application: &str, recused: bool, submitted: bool) -> Result<(), ReconsiderationError> {
    if recused {
        return Err(ReconsiderationError::Recused { expert: expert.into(), application: application.into() });
    }
    if !submitted {
        return Err(ReconsiderationError::NotSubmitted { expert: expert.into(), application: application.into() });
    }
    Ok(())
}

/// Checks one reconsidered score of an application under an open (`closed` false) 复议 with these scopes:
/// the application and the point are named, the value is valid under the rubric and differs from the first
/// one (`before`), and there is a reason.
#[allow(clippy::too_many_arguments)]
pub fn check_change(
    rubric: &Rubric,
    scopes: &[Scope],
    closed: bool,
    application: &str,
    item: &str,
    before: Tenths,
    value: Tenths,
    reason: &str,
) -> Result<(), ReconsiderationError> {
    if closed {
        return Err(ReconsiderationError::Closed);
    }
    let scope = scopes
        .iter()
        .find(|s| s.application == application)
        .ok_or_else(|| ReconsiderationError::ApplicationNotNamed { application: application.into() })?;
    check_score(rubric, item, value)?;
    if !scope.covers(item) {
        return Err(ReconsiderationError::PointNotNamed { application: application.into(), item: item.into(), named: scope.items.join("、") });
    }
    if reason.trim().is_empty() {
        return Err(ReconsiderationError::ReasonRequired { item: item.into() });
    }
    if value == before {
        return Err(ReconsiderationError::Unchanged { item: item.into(), value });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn henan() -> Rubric {
        crate::rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap()
    }

    fn scope(app: &str, items: &[&str]) -> Scope {
        Scope { application: app.into(), items: items.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn a_scope_names_applications_once_with_known_points_in_rubric_order() {
        let r = henan();
        let s = check_scope(&r, &[scope("A01", &["3.1", "2.1"]), scope("A02", &[])], "分差过大").unwrap();
        assert_eq!(s, [scope("A01", &["2.1", "3.1"]), scope("A02", &[])]);
        assert_eq!(s[0].zh(), "A01（观测点 2.1、3.1）");
        assert_eq!(s[1].zh(), "A02（全部观测点）");
        assert_eq!(check_scope(&r, &[], "x"), Err(ReconsiderationError::NoApplication));
        assert_eq!(check_scope(&r, &[scope("A01", &[])], " "), Err(ReconsiderationError::NoReason));
        assert_eq!(check_scope(&r, &[scope("A01", &[]), scope("A01", &["1.1"])], "x"), Err(ReconsiderationError::DuplicateApplication("A01".into())));
        assert_eq!(
            check_scope(&r, &[scope("A01", &["9.9"])], "x").unwrap_err().to_string(),
            "观测点 9.9 不在本批次的评分标准中（申报 A01 的复议范围）"
        );
    }

    #[test]
    fn a_change_must_be_under_an_open_reconsideration_on_a_named_point_with_a_reason() {
        let r = henan();
        let scopes = [scope("A01", &["2.1"]), scope("A02", &[])];
        let ok = |app: &str, item: &str, v: i64| check_change(&r, &scopes, false, app, item, Tenths(40), Tenths(v), "复核佐证材料");
        assert_eq!(ok("A01", "2.1", 30), Ok(()));
        assert_eq!(ok("A02", "5.1", 30), Ok(()), "no points named: every point");
        assert_eq!(ok("A01", "3.1", 30).unwrap_err().to_string(), "观测点 3.1 不在申报 A01 的复议范围内（本次复议只涉及观测点 2.1），不能修改");
        assert_eq!(ok("A03", "2.1", 30).unwrap_err().to_string(), "申报 A03 不在本次复议范围内，不能按复议修改其评分");
        assert_eq!(ok("A01", "2.1", 40), Err(ReconsiderationError::Unchanged { item: "2.1".into(), value: Tenths(40) }));
        assert!(matches!(ok("A01", "2.1", 999), Err(ReconsiderationError::Score(_))));
        assert_eq!(
            check_change(&r, &scopes, true, "A01", "2.1", Tenths(40), Tenths(30), "x").unwrap_err().to_string(),
            "本次复议已结束，不能再修改评分"
        );
        assert_eq!(
            check_change(&r, &scopes, false, "A01", "2.1", Tenths(40), Tenths(30), " "),
            Err(ReconsiderationError::ReasonRequired { item: "2.1".into() })
        );
    }

    #[test]
    fn only_experts_not_recused_with_a_submitted_sheet_take_part() {
        assert_eq!(check_expert("E01", "A01", false, true), Ok(()));
        assert_eq!(check_expert("E02", "A01", true, true).unwrap_err().to_string(), "专家 E02 对申报 A01 已回避，不能参与复议");
        assert_eq!(check_expert("E03", "A01", false, false).unwrap_err().to_string(), "专家 E03 对申报 A01 没有已提交的评分表，不能参与复议");
    }
}
