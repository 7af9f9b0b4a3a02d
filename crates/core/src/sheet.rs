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
