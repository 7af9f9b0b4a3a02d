//! What changed between two submitted versions of one sheet, in words: the audit log's account of a
//! re-submission (one entry per change, with the reopen reason, written by the store).

use crate::rubric::Rubric;
use crate::scorefile::FileSheet;
use crate::Tenths;

/// The changes from one version of a sheet (`old`) to the next (`new`): one text per changed score,
/// comment, deduction and 否定性指标 proposal, the items in rubric order, then the deduction, then the veto
/// items in rubric order. Items and vetoes that are not in `rubric` are not compared; nothing changed gives
/// an empty list. The texts, with `N` an item code and `名称` its
/// short name (left out with its space when the rubric gives none):
///
/// - a score: `观测点 N 名称：4 分 → 3.5 分` (`（未评）` for no score);
/// - a comment: `观测点 N 名称 的评语：（无） → “佐证不足”` (`（无）` for an empty comment);
/// - the deduction: `扣分（7 其他）：0 → 1 分，理由 （无） → “发生安全事故”`, with only the part that
///   changed (value or reason), no deduction counting as 0 with no reason; plain `扣分` when the rubric has
///   no deduction;
/// - a veto proposal, with `V` its code and `文字` its text: `否定性指标 V「文字」：未勾选 → 勾选，理由 “伪造协议”`,
///   `否定性指标 V「文字」：勾选 → 未勾选（原理由 “伪造协议”）`, or `否定性指标 V「文字」的理由：“甲” → “乙”`;
/// - the 推荐意见, last but one: `推荐意见：推荐 → 不推荐` (`（未填）` for none);
/// - the 综合意见, last: `综合意见：（无） → “建议推荐”`.
pub fn changes(rubric: &Rubric, old: &FileSheet, new: &FileSheet) -> Vec<String> {
    let mut out = Vec::new();
    for item in rubric.items() {
        let before = old.scores.iter().find(|s| s.item == item.code);
        let after = new.scores.iter().find(|s| s.item == item.code);
        let name =
            if item.short_name.is_empty() { format!("观测点 {}", item.code) } else { format!("观测点 {} {}", item.code, item.short_name) };
        let value = |v: Option<Tenths>| v.map(|v| format!("{v} 分")).unwrap_or_else(|| "（未评）".to_string());
        let (v0, v1) = (before.map(|b| b.value), after.map(|a| a.value));
        if v0 != v1 {
            out.push(format!("{name}：{} → {}", value(v0), value(v1)));
        }
        let (c0, c1) = (before.map(|b| b.comment.as_str()).unwrap_or(""), after.map(|a| a.comment.as_str()).unwrap_or(""));
        if c0 != c1 {
            out.push(format!("{name} 的评语：{} → {}", quoted(c0), quoted(c1)));
        }
    }
    let (d0, r0) = old.deduction.as_ref().map(|d| (d.value, d.reason.as_str())).unwrap_or((Tenths::ZERO, ""));
    let (d1, r1) = new.deduction.as_ref().map(|d| (d.value, d.reason.as_str())).unwrap_or((Tenths::ZERO, ""));
    if d0 != d1 || r0 != r1 {
        let what = rubric.deduction.as_ref().map(|d| format!("扣分（{} {}）", d.code, d.name)).unwrap_or_else(|| "扣分".to_string());
        let mut parts = Vec::new();
        if d0 != d1 {
            parts.push(format!("{d0} → {d1} 分"));
        }
        if r0 != r1 {
            parts.push(format!("理由 {} → {}", quoted(r0), quoted(r1)));
        }
        out.push(format!("{what}：{}", parts.join("，")));
    }
    for veto in &rubric.vetoes {
        let reason = |s: &FileSheet| s.vetoes.iter().find(|v| v.code == veto.code).map(|v| v.reason.clone());
        let name = format!("否定性指标 {}「{}」", veto.code, veto.text);
        match (reason(old).as_deref(), reason(new).as_deref()) {
            (None, Some(r)) => out.push(format!("{name}：未勾选 → 勾选，理由 {}", quoted(r))),
            (Some(r), None) => out.push(format!("{name}：勾选 → 未勾选（原理由 {}）", quoted(r))),
            (Some(a), Some(b)) if a != b => out.push(format!("{name}的理由：{} → {}", quoted(a), quoted(b))),
            _ => {}
        }
    }
    if old.recommendation != new.recommendation {
        let word = |r: Option<crate::opinion::Recommendation>| r.map(|r| r.zh()).unwrap_or("（未填）");
        out.push(format!("推荐意见：{} → {}", word(old.recommendation), word(new.recommendation)));
    }
    if old.opinion != new.opinion {
        out.push(format!("综合意见：{} → {}", quoted(&old.opinion), quoted(&new.opinion)));
    }
    out
}

/// "“佐证不足”", or "（无）" for an empty text.
fn quoted(s: &str) -> String {
    if s.is_empty() {
        "（无）".to_string()
    } else {
        format!("“{s}”")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::{self, Rubric};
    use crate::scorefile::{FileDeduction, FileScore};

    fn henan() -> Rubric {
        rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap()
    }

    /// Two items without short names, no deduction.
    fn plain() -> Rubric {
        rubric::parse(
            r#"
id = "plain"
title = "无简称、无扣分"
total = 40
step = 1
[[bands]]
code = "合格"
from_percent = 0
to_percent = 100
[[groups]]
code = "1"
name = "一"
points = 40
[[groups.items]]
code = "1.1"
text = "甲"
points = 20
[[groups.items]]
code = "1.2"
text = "乙"
points = 20
"#,
        )
        .unwrap_or_else(|e| panic!("{:?}", e.problems))
    }

    fn score(item: &str, tenths: i64, comment: &str) -> FileScore {
        FileScore { item: item.into(), value: Tenths(tenths), comment: comment.into() }
    }

    fn sheet(scores: Vec<FileScore>, deduction: Option<(i64, &str)>) -> FileSheet {
        FileSheet {
            application: "A01".into(),
            version: 1,
            submitted_at: Some("2024-05-20T09:00:00.000Z".into()),
            recused: false,
            scores,
            deduction: deduction.map(|(v, r)| FileDeduction { value: Tenths(v), reason: r.into() }),
            vetoes: vec![],
            recommendation: None,
            opinion: String::new(),
            reconsidered: vec![],
        }
    }

    #[test]
    fn nothing_changed_is_no_change() {
        let r = henan();
        let s = sheet(vec![score("1.1", 50, "好"), score("2.1", 40, "")], Some((10, "事故")));
        assert!(changes(&r, &s, &s).is_empty());
        // Version and submission time are not contents.
        let mut later = s.clone();
        later.version = 2;
        later.submitted_at = Some("2024-05-21T09:00:00.000Z".into());
        assert!(changes(&r, &s, &later).is_empty());
    }

    #[test]
    fn each_change_in_rubric_order_with_short_names_and_the_deduction_last() {
        let r = henan();
        let name = |code: &str| r.item(code).unwrap().short_name.clone();
        let old = sheet(vec![score("2.1", 40, ""), score("1.1", 50, "材料\"齐全\""), score("1.2", 30, "")], None);
        // New order of the scores does not matter; 1.2 lost its score, 1.3 got one.
        let new = sheet(vec![score("1.3", 20, ""), score("2.1", 35, "协议期限不足"), score("1.1", 50, "")], Some((10, "2022年发生安全事故")));
        assert_eq!(
            changes(&r, &old, &new),
            vec![
                format!("观测点 1.1 {} 的评语：“材料\"齐全\"” → （无）", name("1.1")),
                format!("观测点 1.2 {}：3 分 → （未评）", name("1.2")),
                format!("观测点 1.3 {}：（未评） → 2 分", name("1.3")),
                format!("观测点 2.1 {}：4 分 → 3.5 分", name("2.1")),
                format!("观测点 2.1 {} 的评语：（无） → “协议期限不足”", name("2.1")),
                "扣分（7 其他）：0 → 1 分，理由 （无） → “2022年发生安全事故”".to_string(),
            ]
        );
    }

    #[test]
    fn a_deduction_names_only_what_changed() {
        let r = henan();
        let a = sheet(vec![], Some((10, "事故")));
        assert_eq!(changes(&r, &a, &sheet(vec![], Some((15, "事故")))), ["扣分（7 其他）：1 → 1.5 分"]);
        assert_eq!(changes(&r, &a, &sheet(vec![], Some((10, "重大事故")))), ["扣分（7 其他）：理由 “事故” → “重大事故”"]);
        assert_eq!(changes(&r, &a, &sheet(vec![], None)), ["扣分（7 其他）：1 → 0 分，理由 “事故” → （无）"]);
        // A zero deduction without a reason is no deduction.
        assert!(changes(&r, &sheet(vec![], Some((0, ""))), &sheet(vec![], None)).is_empty());
    }

    #[test]
    fn without_short_names_or_a_deduction_in_the_rubric() {
        let r = plain();
        let old = sheet(vec![score("1.1", 100, ""), score("9.9", 10, "")], Some((10, "事故")));
        let new = sheet(vec![score("1.1", 90, "略"), score("9.9", 20, "")], None);
        assert_eq!(changes(&r, &old, &new), ["观测点 1.1：10 分 → 9 分", "观测点 1.1 的评语：（无） → “略”", "扣分：1 → 0 分，理由 “事故” → （无）"]);
    }

    #[test]
    fn veto_proposals_ticked_unticked_and_reworded_after_the_deduction_in_rubric_order() {
        let r = rubric::parse(include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml")).unwrap();
        let with = |vetoes: &[(&str, &str)], deduction: Option<(i64, &str)>| {
            let mut s = sheet(vec![score("1.1", 40, "")], deduction);
            s.vetoes = vetoes.iter().map(|(c, why)| crate::scorefile::FileVeto { code: c.to_string(), reason: why.to_string() }).collect();
            s
        };
        let old = with(&[("V2", "发生事故"), ("V9", "不在标准中")], None);
        assert!(changes(&r, &old, &old).is_empty());
        // V1 ticked, V2's reason changed, a deduction proposed: the deduction first, then V1, then V2.
        let new = with(&[("V1", "合作协议系伪造"), ("V2", "2022年发生重大安全事故")], Some((10, "事故")));
        assert_eq!(
            changes(&r, &old, &new),
            [
                "扣分（7 其他）：0 → 1 分，理由 （无） → “事故”",
                "否定性指标 V1「申报材料弄虚作假」：未勾选 → 勾选，理由 “合作协议系伪造”",
                "否定性指标 V2「近三年发生重大安全事故」的理由：“发生事故” → “2022年发生重大安全事故”",
            ]
        );
        assert_eq!(
            changes(&r, &new, &with(&[("V2", "2022年发生重大安全事故")], Some((10, "事故")))),
            ["否定性指标 V1「申报材料弄虚作假」：勾选 → 未勾选（原理由 “合作协议系伪造”）"]
        );
    }

    #[test]
    fn the_recommendation_and_the_opinion_are_worded_old_to_new_last() {
        use crate::opinion::Recommendation;
        let r = henan();
        let old = sheet(vec![], None);
        let mut new = old.clone();
        new.recommendation = Some(Recommendation::Recommend);
        new.opinion = "建议推荐".into();
        assert_eq!(changes(&r, &old, &new), ["推荐意见：（未填） → 推荐", "综合意见：（无） → “建议推荐”"]);
        let mut newer = new.clone();
        newer.recommendation = Some(Recommendation::NotRecommend);
        assert_eq!(changes(&r, &new, &newer), ["推荐意见：推荐 → 不推荐"]);
    }
}
