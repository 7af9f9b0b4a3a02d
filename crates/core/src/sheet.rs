//! An expert's score sheet for one application: checking values against the rubric, and totals.
//!
//! Every score that reaches storage has passed [`check_score`] or [`check_deduction`], every veto proposal
//! [`check_veto`]: the UI refusing a value is a convenience, this is the rule.
//!
//! Besides its scores, a sheet holds the expert's 否定性指标 proposals ([`VetoProposal`]): each veto item of
//! the rubric the expert ticked, with the reason, which the sheet cannot be submitted without.

use crate::rubric::{Rubric, Veto};
use crate::score::Tenths;

/// Why a score value is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("观测点 {0} 不在本批次的评分标准中")]
    UnknownItem(String),
    #[error("观测点 {item} 的得分须在 0–{max} 分之间，{value} 超出范围")]
    OutOfRange { item: String, value: Tenths, max: Tenths },
    #[error("观测点 {item} 的得分须为 {step} 分的整数倍，{value} 不符合")]
    OffStep { item: String, value: Tenths, step: Tenths },
    #[error("本评分标准没有扣分项")]
    NoDeduction,
    #[error("扣分须在 0–{cap} 分之间，{value} 超出范围")]
    DeductionOutOfRange { value: Tenths, cap: Tenths },
    #[error("扣分须为 {step} 分的整数倍，{value} 不符合")]
    DeductionOffStep { value: Tenths, step: Tenths },
    #[error("否定性指标 {0} 不在本批次的评分标准中")]
    UnknownVeto(String),
}

/// An expert's proposal, on their sheet, that a 否定性 item of the rubric applies to the application: the
/// item's code and why (required before the sheet can be submitted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VetoProposal {
    pub veto: String,
    pub reason: String,
}

/// Checks that a veto code is one of the rubric's 否定性 items; the item back.
pub fn check_veto<'r>(rubric: &'r Rubric, code: &str) -> Result<&'r Veto, ScoreError> {
    rubric.veto(code).ok_or_else(|| ScoreError::UnknownVeto(code.to_string()))
}

/// Checks one item score: a known item, within 0…max, on the rubric's step.
pub fn check_score(rubric: &Rubric, item: &str, value: Tenths) -> Result<(), ScoreError> {
    let it = rubric.item(item).ok_or_else(|| ScoreError::UnknownItem(item.to_string()))?;
    if value.0 < 0 || value > it.points {
        return Err(ScoreError::OutOfRange { item: item.to_string(), value, max: it.points });
    }
    if value.0 % rubric.step.0 != 0 {
        return Err(ScoreError::OffStep { item: item.to_string(), value, step: rubric.step });
    }
    Ok(())
}

/// Checks a proposed group-7 deduction: within 0…cap, on the step.
pub fn check_deduction(rubric: &Rubric, value: Tenths) -> Result<(), ScoreError> {
    let d = rubric.deduction.as_ref().ok_or(ScoreError::NoDeduction)?;
    if value.0 < 0 || value > d.cap {
        return Err(ScoreError::DeductionOutOfRange { value, cap: d.cap });
    }
    if value.0 % rubric.step.0 != 0 {
        return Err(ScoreError::DeductionOffStep { value, step: rubric.step });
    }
    Ok(())
}

/// Subtotals of a (possibly incomplete) sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetTotals {
    /// Per group, in rubric order: (group code, subtotal of the items scored so far).
    pub groups: Vec<(String, Tenths)>,
    /// Sum of groups 1–6 (all scored groups).
    pub total: Tenths,
    /// Items scored / items in the rubric.
    pub scored: usize,
    pub items: usize,
}

/// Totals a sheet from its item scores (`(item code, value)`); unknown codes are ignored.
pub fn totals(rubric: &Rubric, scores: &[(String, Tenths)]) -> SheetTotals {
    let value = |code: &str| scores.iter().find(|(c, _)| c == code).map(|(_, v)| *v);
    let groups: Vec<(String, Tenths)> = rubric.groups.iter().map(|g| (g.code.clone(), g.items.iter().filter_map(|i| value(&i.code)).sum())).collect();
    SheetTotals {
        total: groups.iter().map(|(_, t)| *t).sum(),
        groups,
        scored: rubric.items().filter(|i| value(&i.code).is_some()).count(),
        items: rubric.items().count(),
    }
}

/// One thing that still stands between a sheet and its submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// An item without a score.
    Score { item: String },
    /// A score below the rubric's threshold without a comment.
    Comment { item: String, value: Tenths, max: Tenths, percent: u32 },
    /// A proposed deduction without its reason.
    DeductionReason { value: Tenths },
    /// A ticked 否定性 item without its reason: the veto's code and text.
    VetoReason { veto: String, text: String },
    /// No 推荐意见 (推荐 / 不推荐) while the round requires one ([`crate::opinion::OpinionRules`]).
    Recommendation,
    /// No 综合意见 while the round requires one.
    Opinion,
    /// A 综合意见 longer than the round allows: its length and the maximum, in characters.
    OpinionTooLong { chars: u32, max: u32 },
}

impl Missing {
    /// The item the expert has to go back to (`None` for the deduction and a veto).
    pub fn item(&self) -> Option<&str> {
        match self {
            Missing::Score { item } | Missing::Comment { item, .. } => Some(item),
            _ => None,
        }
    }

    /// The 否定性 item the expert has to go back to, if that is what is missing.
    pub fn veto(&self) -> Option<&str> {
        match self {
            Missing::VetoReason { veto, .. } => Some(veto),
            _ => None,
        }
    }

    /// What to do, in Chinese, for one entry of the checklist.
    pub fn message_zh(&self) -> String {
        match self {
            Missing::Score { item } => format!("观测点 {item} 尚未评分"),
            Missing::Comment { item, value, max, percent } => format!("观测点 {item} 得 {value} 分，低于满分 {max} 的 {percent}%，须填写评语"),
            Missing::DeductionReason { value } => format!("建议扣 {value} 分，须写明扣分理由"),
            Missing::VetoReason { veto, text } => format!("已勾选否定性指标 {veto}「{text}」，须写明理由"),
            Missing::Recommendation => "本批次要求填写推荐意见，请选择“推荐”或“不推荐”".to_string(),
            Missing::Opinion => "本批次要求填写综合意见，请填写".to_string(),
            Missing::OpinionTooLong { chars, max } => format!("综合意见共 {chars} 字，超过本批次规定的 {max} 字，请删减"),
        }
    }
}

/// The sheet's checklist: everything still missing before it can be submitted, in rubric order (items
/// without a score, scores below the rubric's threshold without a comment, a deduction without a reason,
/// then each ticked 否定性 item without a reason, in the rubric's order). Empty when the sheet can be
/// submitted. `scores` holds (item, score if any, comment) of the items the sheet has rows for; `vetoes` the
/// sheet's veto proposals (codes not in the rubric are ignored).
pub fn checklist(
    rubric: &Rubric,
    scores: &[(String, Option<Tenths>, String)],
    deduction: Option<(Tenths, &str)>,
    vetoes: &[VetoProposal],
) -> Vec<Missing> {
    let row = |code: &str| scores.iter().find(|(c, _, _)| c == code);
    let mut missing: Vec<Missing> =
        rubric.items().filter(|i| row(&i.code).and_then(|(_, v, _)| *v).is_none()).map(|i| Missing::Score { item: i.code.clone() }).collect();
    for item in rubric.items() {
        if let Some((_, Some(v), comment)) = row(&item.code) {
            if rubric.comment_required(*v, item.points) && comment.trim().is_empty() {
                missing.push(Missing::Comment {
                    item: item.code.clone(),
                    value: *v,
                    max: item.points,
                    percent: rubric.comments.required_below_percent,
                });
            }
        }
    }
    if let Some((v, reason)) = deduction {
        if v.0 > 0 && rubric.comments.required_for_deduction && reason.trim().is_empty() {
            missing.push(Missing::DeductionReason { value: v });
        }
    }
    for veto in &rubric.vetoes {
        if vetoes.iter().any(|p| p.veto == veto.code && p.reason.trim().is_empty()) {
            missing.push(Missing::VetoReason { veto: veto.code.clone(), text: veto.text.clone() });
        }
    }
    missing
}

/// The [`checklist`] as the sentences of a refused submission, all at once: the items without a score in
/// one sentence, then one per other problem. Empty when the sheet can be submitted.
pub fn submission_problems(
    rubric: &Rubric,
    scores: &[(String, Option<Tenths>, String)],
    deduction: Option<(Tenths, &str)>,
    vetoes: &[VetoProposal],
) -> Vec<String> {
    problems_zh(&checklist(rubric, scores, deduction, vetoes))
}

/// A [`checklist`] as the sentences of a refused submission (see [`submission_problems`]).
pub fn problems_zh(missing: &[Missing]) -> Vec<String> {
    let unscored: Vec<&str> = missing.iter().filter_map(|m| if let Missing::Score { item } = m { Some(item.as_str()) } else { None }).collect();
    let mut problems = Vec::new();
    if !unscored.is_empty() {
        problems.push(format!("尚未评分的观测点：{}", unscored.join("、")));
    }
    problems.extend(missing.iter().filter(|m| !matches!(m, Missing::Score { .. })).map(Missing::message_zh));
    problems
}

/// Where one expert stands with one application: the one rule behind the expert's round list, the staff's
/// 统分 matrix, the expert list and the declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SheetState {
    /// 未评: no score yet.
    NotStarted,
    /// 评分中: some items scored.
    InProgress,
    /// 待提交: every item scored, not submitted.
    Complete,
    /// 已提交
    Submitted,
    /// 回避: the expert never sees the score form; the cell reads 回避, never 0.
    Recused,
}

impl SheetState {
    /// The state of a sheet with `scored` of the rubric's `items` scored.
    pub fn of(recused: bool, submitted: bool, scored: usize, items: usize) -> SheetState {
        match (recused, submitted, scored) {
            (true, _, _) => SheetState::Recused,
            (_, true, _) => SheetState::Submitted,
            (_, _, 0) => SheetState::NotStarted,
            (_, _, n) if n >= items => SheetState::Complete,
            _ => SheetState::InProgress,
        }
    }

    /// The expert has begun scoring (a draft or a submitted sheet): they can no longer declare a conflict
    /// themselves, and staff can no longer remove or renumber them.
    pub fn begun(self) -> bool {
        matches!(self, SheetState::InProgress | SheetState::Complete | SheetState::Submitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheets_state_is_decided_by_recusal_then_submission_then_how_much_is_scored() {
        use SheetState::*;
        assert_eq!(SheetState::of(true, true, 25, 25), Recused);
        assert_eq!(SheetState::of(false, true, 25, 25), Submitted);
        assert_eq!(SheetState::of(false, false, 0, 25), NotStarted);
        assert_eq!(SheetState::of(false, false, 24, 25), InProgress);
        assert_eq!(SheetState::of(false, false, 25, 25), Complete);
        let begun: Vec<SheetState> = [NotStarted, InProgress, Complete, Submitted, Recused].into_iter().filter(|s| s.begun()).collect();
        assert_eq!(begun, [InProgress, Complete, Submitted]);
    }

    #[test]
    fn submission_needs_every_score_the_required_comments_and_a_reason_for_a_deduction() {
        let rubric = crate::rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap();
        let mut rows: Vec<(String, Option<Tenths>, String)> = rubric.items().map(|i| (i.code.clone(), Some(i.points), String::new())).collect();
        assert!(submission_problems(&rubric, &rows, None, &[]).is_empty());
        rows[0].1 = None; // 1.1 unscored
        rows[5].1 = Some(Tenths(20)); // 2.2: 2 of 6 = 33 % without a comment
        rows[6].1 = Some(Tenths(20)); // 2.3: 2 of 5 = 40 %, with a comment
        rows[6].2 = "章程未经理事会审议".into();
        let p = submission_problems(&rubric, &rows, Some((Tenths(10), " ")), &[]);
        assert_eq!(
            p,
            [
                "尚未评分的观测点：1.1".to_string(),
                "观测点 2.2 得 2 分，低于满分 6 的 60%，须填写评语".to_string(),
                "建议扣 1 分，须写明扣分理由".to_string(),
            ]
        );
    }

    #[test]
    fn the_checklist_names_the_item_to_go_back_to() {
        let rubric = crate::rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap();
        let mut rows: Vec<(String, Option<Tenths>, String)> = rubric.items().map(|i| (i.code.clone(), Some(i.points), String::new())).collect();
        rows[1].1 = None; // 1.2
        rows[5].1 = Some(Tenths(35)); // 2.2: 3.5 of 6 = 58 % without a comment
        let c = checklist(&rubric, &rows, Some((Tenths(5), "")), &[]);
        assert_eq!(c.iter().map(|m| m.item()).collect::<Vec<_>>(), [Some("1.2"), Some("2.2"), None]);
        assert_eq!(c[0].message_zh(), "观测点 1.2 尚未评分");
        assert_eq!(c[1].message_zh(), "观测点 2.2 得 3.5 分，低于满分 6 的 60%，须填写评语");
        // 3.6 of 6 is exactly 60 %: no comment needed; a zero deduction needs no reason.
        rows[1].1 = Some(Tenths(40));
        rows[5].1 = Some(Tenths(36));
        assert!(checklist(&rubric, &rows, Some((Tenths(0), "")), &[]).is_empty());
    }

    /// A small rubric with two 否定性 items.
    pub(crate) fn veto_rubric() -> Rubric {
        crate::rubric::parse(
            r#"
id = "veto-small"
title = "带否定性指标的小标准"
total = 10
step = 1
[[bands]]
code = "合格"
from_percent = 0
to_percent = 100
[[groups]]
code = "1"
name = "一"
points = 10
[[groups.items]]
code = "1.1"
text = "甲"
points = 10
[[vetoes]]
code = "V1"
text = "申报材料弄虚作假"
effect = "disqualify"
[[vetoes]]
code = "V2"
text = "近三年发生重大安全事故"
effect = "zero"
"#,
        )
        .unwrap_or_else(|e| panic!("{:?}", e.problems))
    }

    #[test]
    fn a_ticked_veto_needs_its_reason_in_the_rubrics_order() {
        let rubric = veto_rubric();
        let rows = vec![("1.1".to_string(), Some(Tenths(80)), String::new())];
        let p = |veto: &str, reason: &str| VetoProposal { veto: veto.into(), reason: reason.into() };
        assert!(checklist(&rubric, &rows, None, &[p("V1", "伪造合作协议")]).is_empty());
        // Ticked in the order V2, V1, both without a reason (blank counts as none): listed as the rubric orders them.
        let c = checklist(&rubric, &rows, None, &[p("V2", " "), p("V1", "")]);
        assert_eq!(c.iter().map(|m| m.veto()).collect::<Vec<_>>(), [Some("V1"), Some("V2")]);
        assert_eq!(c.iter().map(|m| m.item()).collect::<Vec<_>>(), [None, None]);
        assert_eq!(c[0].message_zh(), "已勾选否定性指标 V1「申报材料弄虚作假」，须写明理由");
        assert_eq!(
            submission_problems(&rubric, &[], None, &[p("V2", "")]),
            ["尚未评分的观测点：1.1", "已勾选否定性指标 V2「近三年发生重大安全事故」，须写明理由"]
        );
        // A code the rubric does not have is not the checklist's business (the store refuses it).
        assert!(checklist(&rubric, &rows, None, &[p("V9", "")]).is_empty());
        assert_eq!(check_veto(&rubric, "V2").unwrap().effect, crate::rubric::VetoEffect::Zero);
        assert_eq!(check_veto(&rubric, "V9").unwrap_err().to_string(), "否定性指标 V9 不在本批次的评分标准中");
    }
}
