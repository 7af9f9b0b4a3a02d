//! How values are written on paper: scores with two decimals half up from the exact value, 回避/未交 cells,
//! widths of Chinese text in spreadsheet columns.

use pingshen_core::consolidation::{ApplicationResult, PanelInput, Settings, Status, TieBreak};
use pingshen_core::rubric::VetoEffect;
use pingshen_core::{Ratio, Tenths};

/// A recused expert's cell: never 0.
pub const RECUSED: &str = "回避";
/// An assigned expert without a sheet.
pub const MISSING: &str = "未交";
/// What an incomplete application's result cells say first.
pub const PENDING: &str = "待补";
/// What a disqualified application's 名次 says (an upheld 否定性指标 whose effect is `disqualify`).
pub const DISQUALIFIED: &str = "取消资格";
/// The mark of a shared rank.
pub const SHARED: &str = "并列";
/// A value that does not exist (no score for an incomplete application, a statistic that cannot be computed).
pub const NONE: &str = "—";

/// A score as printed: two decimals, half up, from the exact value (88.125 → "88.13").
pub fn score(r: Ratio) -> String {
    r.round_half_up(2)
}

/// An optional score; "—" when there is none.
pub fn opt_score(r: Option<Ratio>) -> String {
    r.map(score).unwrap_or_else(|| NONE.to_string())
}

/// Tenths as a printed score ("85.50").
pub fn tenths(t: Tenths) -> String {
    score(Ratio::from_tenths(t))
}

/// A signed difference ("+1.25", "-0.50", "0.00").
pub fn signed(r: Ratio) -> String {
    let s = score(r);
    if r > Ratio::ZERO && s != "0.00" {
        format!("+{s}")
    } else {
        s
    }
}

/// The rank as printed: "2", or "2（并列）" when the rank is shared; 取消资格 or 待补 without one.
pub fn rank(a: &ApplicationResult) -> String {
    match (a.rank, a.tie) {
        (Some(r), Some(TieBreak::Shared)) => format!("{r}（{SHARED}）"),
        (Some(r), _) => r.to_string(),
        (None, _) if a.status == Status::Disqualified => DISQUALIFIED.to_string(),
        (None, _) => PENDING.to_string(),
    }
}

/// What an upheld 否定性指标 did to an application, with the panel's vote and reason, or `None`:
/// "取消资格：否定性指标 V1「申报材料弄虚作假」经评审组认定成立（同意 5 票、反对 0 票），理由：……；其得分仅作记录，不参与排序" or
/// "最终得分计为 0 分：否定性指标 V2「……」经评审组认定成立（同意 4 票、反对 1 票），理由：……".
pub fn veto_outcome(a: &ApplicationResult) -> Option<String> {
    let v = a.veto.as_ref()?;
    let why = format!(
        "否定性指标 {}「{}」经评审组认定成立（同意 {} 票、反对 {} 票），理由：{}",
        v.code,
        v.text,
        v.votes_for,
        v.votes_against,
        v.reason.trim()
    );
    Some(match v.effect {
        VetoEffect::Disqualify => format!("{DISQUALIFIED}：{why}；其得分仅作记录，不参与排序"),
        VetoEffect::Zero => format!("最终得分计为 0 分：{why}"),
    })
}

/// What an expert's cell in the 汇总表 reads for an application: their total, 回避, or 未交.
pub fn expert_cell(a: &ApplicationResult, expert: &str) -> String {
    if let Some((_, t)) = a.totals.iter().find(|(e, _)| e == expert) {
        tenths(*t)
    } else if a.recused.iter().any(|e| e == expert) {
        RECUSED.to_string()
    } else {
        MISSING.to_string()
    }
}

/// Why an incomplete application has no result: "待补：缺 E05 王五 的评分表".
pub fn pending_reason(a: &ApplicationResult, name_of: impl Fn(&str) -> String) -> String {
    if a.missing_experts.is_empty() {
        format!("{PENDING}：无有效评分表")
    } else {
        let who: Vec<String> = a.missing_experts.iter().map(|e| who(e, &name_of(e))).collect();
        format!("{PENDING}：缺 {} 的评分表", who.join("、"))
    }
}

/// "E05 王五" (or the code alone when the name is empty or is the code itself).
pub fn who(code: &str, name: &str) -> String {
    if name.is_empty() || name == code {
        code.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// "2、3、4": the tie-break groups as the method sentence names them.
pub fn tiebreak_groups(settings: &Settings) -> String {
    settings.tiebreak_groups.join("、")
}

/// Kendall's W to 4 decimals, or why it cannot be computed.
pub fn kendall(w: Option<Ratio>) -> String {
    match w {
        Some(w) => w.round_half_up(4),
        None => "无法计算（评完全部已排序申报的专家少于2名，或已排序申报少于2个）".to_string(),
    }
}

/// A Spearman correlation to 4 decimals (a statistic, not a score: it may come from a float).
pub fn spearman(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.4}")).unwrap_or_else(|| NONE.to_string())
}

/// Each expert's proposed deduction for an application, from the panel input, in the experts' order.
pub fn proposed_deductions<'p>(panel: &'p PanelInput, application: &str) -> Vec<(&'p str, Tenths)> {
    use pingshen_core::consolidation::Entry;
    panel
        .experts
        .iter()
        .filter_map(|e| {
            panel.cells.iter().find(|c| c.expert == *e && c.application == application).and_then(|c| match &c.entry {
                Entry::Sheet(s) => Some((e.as_str(), s.deduction)),
                Entry::Recused => None,
            })
        })
        .collect()
}

/// Width of a text in spreadsheet character units: a CJK (or full-width) character takes two. For text
/// with line breaks, the widest line.
pub fn display_width(s: &str) -> usize {
    s.lines().map(|l| l.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum()).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_half_up_on_the_exact_value() {
        assert_eq!(score(Ratio::new(88125, 1000)), "88.13");
        assert_eq!(tenths(Tenths(855)), "85.50");
        assert_eq!(opt_score(None), "—");
        assert_eq!(signed(Ratio::new(5, 4)), "+1.25");
        assert_eq!(signed(Ratio::new(-1, 2)), "-0.50");
        assert_eq!(signed(Ratio::new(1, 1000)), "0.00");
        assert_eq!(signed(Ratio::ZERO), "0.00");
    }

    #[test]
    fn chinese_characters_are_two_units_wide() {
        assert_eq!(display_width("申报编号"), 8);
        assert_eq!(display_width("A01"), 3);
        assert_eq!(display_width("88.13"), 5);
        assert_eq!(display_width("济源职业技术学院\n中原（集团）"), 16);
        assert_eq!(display_width(""), 0);
    }
}
