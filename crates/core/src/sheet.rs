//! An expert's score sheet for one application: checking values against the rubric, and totals.
//!
//! Every score that reaches storage has passed [`check_score`] or [`check_deduction`]: the UI refusing a value
//! is a convenience, this is the rule.

use crate::rubric::Rubric;
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
    let groups: Vec<(String, Tenths)> = rubric
        .groups
        .iter()
        .map(|g| (g.code.clone(), g.items.iter().filter_map(|i| value(&i.code)).sum()))
        .collect();
    SheetTotals {
        total: groups.iter().map(|(_, t)| *t).sum(),
        groups,
        scored: rubric.items().filter(|i| value(&i.code).is_some()).count(),
        items: rubric.items().count(),
    }
}

/// What still stands between a sheet and its submission, in Chinese, all at once: items without a score,
/// scores below the rubric's threshold without a comment, a deduction without a reason. Empty when the sheet
/// can be submitted. `scores` holds (item, score if any, comment) of the items the sheet has rows for.
pub fn submission_problems(rubric: &Rubric, scores: &[(String, Option<Tenths>, String)], deduction: Option<(Tenths, &str)>) -> Vec<String> {
    let mut problems = Vec::new();
    let row = |code: &str| scores.iter().find(|(c, _, _)| c == code);
    let unscored: Vec<&str> = rubric.items().filter(|i| row(&i.code).and_then(|(_, v, _)| *v).is_none()).map(|i| i.code.as_str()).collect();
    if !unscored.is_empty() {
        problems.push(format!("尚未评分的观测点：{}", unscored.join("、")));
    }
    for item in rubric.items() {
        if let Some((_, Some(v), comment)) = row(&item.code) {
            if rubric.comment_required(*v, item.points) && comment.trim().is_empty() {
                problems.push(format!(
                    "观测点 {} 得 {} 分，低于满分 {} 的 {}%，须填写评语",
                    item.code, v, item.points, rubric.comments.required_below_percent
                ));
            }
        }
    }
    if let Some((v, reason)) = deduction {
        if v.0 > 0 && rubric.comments.required_for_deduction && reason.trim().is_empty() {
            problems.push(format!("建议扣 {v} 分，须写明扣分理由"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submission_needs_every_score_the_required_comments_and_a_reason_for_a_deduction() {
        let rubric = crate::rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap();
        let mut rows: Vec<(String, Option<Tenths>, String)> = rubric.items().map(|i| (i.code.clone(), Some(i.points), String::new())).collect();
        assert!(submission_problems(&rubric, &rows, None).is_empty());
        rows[0].1 = None; // 1.1 unscored
        rows[5].1 = Some(Tenths(20)); // 2.2: 2 of 6 = 33 % without a comment
        rows[6].1 = Some(Tenths(20)); // 2.3: 2 of 5 = 40 %, with a comment
        rows[6].2 = "章程未经理事会审议".into();
        let p = submission_problems(&rubric, &rows, Some((Tenths(10), " ")));
        assert_eq!(
            p,
            [
                "尚未评分的观测点：1.1".to_string(),
                "观测点 2.2 得 2 分，低于满分 6 的 60%，须填写评语".to_string(),
                "建议扣 1 分，须写明扣分理由".to_string(),
            ]
        );
    }
}
