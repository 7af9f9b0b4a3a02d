//! A rubric as read, before validation, and the validation itself.
//!
//! One set of rules for every way a rubric arrives: a TOML text ([`super::parse`]) and the .xlsx template
//! (`pingshen_import::rubric_xlsx`) both build a [`Draft`] and hand it to [`validate`]. Each part of a draft
//! carries where it came from (`O`: a span of the text, a row of a worksheet), and every [`DraftProblem`]
//! gives it back with the [`Part`] at fault, so that a reader can point at the line, or at the row and the
//! column.

use std::collections::HashSet;

use super::{Band, CommentRules, Deduction, Evidence, Group, Item, Rubric, Veto, VetoEffect};
use crate::form;
use crate::score::Tenths;

/// A number as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    /// Decimal text such as `"4.5"`, parsed exactly by [`Tenths::parse`].
    Text(String),
    /// Not a number at all; the kind of value it is (e.g. `array`), as the reader names it.
    Wrong(String),
    /// Already refused by the reader, which reported why: validation treats it as unknown and says nothing
    /// more about it.
    Refused,
}

/// A rubric as read, before validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft<O> {
    pub id: String,
    pub id_at: Option<O>,
    pub title: String,
    pub title_at: Option<O>,
    pub source: String,
    pub total: Number,
    pub total_at: Option<O>,
    pub step: Number,
    pub step_at: Option<O>,
    pub bands: Vec<DraftBand<O>>,
    /// `None`: the defaults (60 %, a reason for every deduction).
    pub comments: Option<DraftComments<O>>,
    pub groups: Vec<DraftGroup<O>>,
    pub deduction: Option<DraftDeduction<O>>,
    pub vetoes: Vec<DraftVeto<O>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftBand<O> {
    pub code: String,
    pub label: String,
    /// `None`: refused by the reader, which said why (the band table is then not checked as a whole).
    pub from_percent: Option<i64>,
    pub to_percent: Option<i64>,
    pub at: Option<O>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftComments<O> {
    pub required_below_percent: i64,
    pub required_for_deduction: bool,
    pub at: Option<O>,
}

/// A 一级指标: with observation points, or scored as a whole (no items, a `text`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftGroup<O> {
    pub code: String,
    pub name: String,
    pub points: Number,
    pub text: Option<String>,
    pub evidence: Evidence,
    pub items: Vec<DraftItem<O>>,
    pub at: Option<O>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftItem<O> {
    pub code: String,
    pub short_name: String,
    pub text: String,
    pub points: Number,
    pub evidence: Evidence,
    pub at: Option<O>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftDeduction<O> {
    pub code: String,
    pub name: String,
    pub text: String,
    pub cap: Number,
    pub evidence: Evidence,
    pub at: Option<O>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftVeto<O> {
    pub code: String,
    pub text: String,
    /// `zero` or `disqualify`, as the TOML format writes it.
    pub effect: String,
    pub at: Option<O>,
}

/// Which part of a rubric a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Id,
    Title,
    Total,
    Step,
    /// The band table as a whole (there is none).
    Bands,
    BandCode,
    BandFrom,
    BandTo,
    CommentThreshold,
    /// The 一级指标 as a whole (there is none).
    Groups,
    GroupCode,
    GroupPoints,
    /// The text of a 一级指标 scored as a whole (or one that has both a text and observation points).
    GroupText,
    ItemCode,
    ItemText,
    ItemPoints,
    EvidenceFields,
    EvidenceKeywords,
    DeductionCode,
    DeductionText,
    DeductionCap,
    VetoCode,
    VetoText,
    VetoEffect,
}

/// One problem of a draft: where (`at`, `part`), what part of the rubric in words (`location`, e.g.
/// "观测点 2.3"), and what is wrong, in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftProblem<O> {
    pub at: Option<O>,
    pub part: Part,
    pub location: String,
    pub message: String,
}

struct Checker<O> {
    problems: Vec<DraftProblem<O>>,
    /// A value was refused by the reader: no rubric can come out, whatever else is found.
    refused: bool,
}

impl<O: Clone> Checker<O> {
    fn at(&mut self, at: &Option<O>, part: Part, location: impl Into<String>, message: impl Into<String>) {
        self.problems.push(DraftProblem { at: at.clone(), part, location: location.into(), message: message.into() });
    }

    fn number(&mut self, v: &Number, at: &Option<O>, part: Part, location: &str, what: &str) -> Option<Tenths> {
        let text = match v {
            Number::Text(t) => t,
            Number::Wrong(kind) => {
                self.at(at, part, location, format!("{what}应当是数字，而不是 {kind}"));
                return None;
            }
            Number::Refused => {
                self.refused = true;
                return None;
            }
        };
        match Tenths::parse(text) {
            Ok(t) => Some(t),
            Err(e) => {
                self.at(at, part, location, format!("{what}：{e}"));
                None
            }
        }
    }

    fn evidence(&mut self, evidence: &Evidence, at: &Option<O>, location: &str) {
        for f in &evidence.fields {
            if form::field(f).is_none() {
                self.at(at, Part::EvidenceFields, location, format!("证据提示中的推荐书字段 `{f}` 不存在（可用字段见 docs/rubric-format.md）"));
            }
        }
        if evidence.keywords.iter().any(|k| k.trim().is_empty()) {
            self.at(at, Part::EvidenceKeywords, location, "证据提示中有空的关键词");
        }
    }
}

/// Validates a draft: codes, sums, bands, steps, hints, vetoes (the rules of `docs/rubric-format.md`).
/// Every problem is reported, in the order of the draft. A draft holding a value its reader refused
/// ([`Number::Refused`], a band's `None`) is never valid: it may then come back as `Err` with no problem
/// of its own (the reader has said what is wrong).
pub fn validate<O: Clone>(d: Draft<O>) -> Result<Rubric, Vec<DraftProblem<O>>> {
    let mut c = Checker { problems: Vec::new(), refused: false };

    if d.id.trim().is_empty() {
        c.at(&d.id_at, Part::Id, "id", "评分标准的 id 不能为空");
    }
    if d.title.trim().is_empty() {
        c.at(&d.title_at, Part::Title, "title", "评分标准的名称 title 不能为空");
    }
    let step = c.number(&d.step, &d.step_at, Part::Step, "step", "步长");
    let step = match step {
        Some(s) if s.0 <= 0 => {
            c.at(&d.step_at, Part::Step, "step", format!("步长必须大于 0，现为 {s}"));
            None
        }
        s => s,
    };
    let declared_total = c.number(&d.total, &d.total_at, Part::Total, "total", "总分");

    // Bands: together they must cover 0–100 % with no gap and no overlap.
    let mut bands: Vec<(Band, Option<O>)> = Vec::new();
    let mut band_codes = HashSet::new();
    for b in &d.bands {
        let loc = format!("等级 {}", b.code);
        if !band_codes.insert(b.code.clone()) {
            c.at(&b.at, Part::BandCode, &loc, format!("等级代码 {} 重复", b.code));
        }
        let (Some(from), Some(to)) = (b.from_percent, b.to_percent) else {
            c.refused = true;
            continue;
        };
        if !(0..=100).contains(&from) || !(0..=100).contains(&to) || from > to {
            let part = if (0..=100).contains(&from) { Part::BandTo } else { Part::BandFrom };
            c.at(&b.at, part, &loc, format!("等级区间 {from}–{to}% 无效：须在 0–100% 之内且下限不大于上限"));
            continue;
        }
        bands.push((Band { code: b.code.clone(), label: b.label.clone(), from_percent: from as u32, to_percent: to as u32 }, b.at.clone()));
    }
    if d.bands.is_empty() {
        c.at(&None, Part::Bands, "bands", "没有定义等级（bands），至少需要一个覆盖 0–100% 的等级");
    } else if bands.len() == d.bands.len() {
        bands.sort_by_key(|b| std::cmp::Reverse(b.0.from_percent));
        let (top, top_at) = &bands[0];
        if top.to_percent != 100 {
            c.at(top_at, Part::BandTo, format!("等级 {}", top.code), format!("最高等级的上限应为 100%，现为 {}%", top.to_percent));
        }
        for w in bands.windows(2) {
            let (hi, (lo, lo_at)) = (&w[0].0, &w[1]);
            if lo.to_percent + 1 != hi.from_percent {
                let what = if lo.to_percent + 1 < hi.from_percent { "之间有空档" } else { "重叠" };
                c.at(
                    lo_at,
                    Part::BandTo,
                    format!("等级 {} 与 {}", lo.code, hi.code),
                    format!(
                        "等级 {}（{}–{}%）与等级 {}（{}–{}%）{what}",
                        lo.code, lo.from_percent, lo.to_percent, hi.code, hi.from_percent, hi.to_percent
                    ),
                );
            }
        }
        let (last, last_at) = bands.last().expect("non-empty");
        if last.from_percent != 0 {
            c.at(last_at, Part::BandFrom, format!("等级 {}", last.code), format!("最低等级的下限应为 0%，现为 {}%", last.from_percent));
        }
    }

    let comments = match &d.comments {
        Some(cm) => {
            if !(0..=100).contains(&cm.required_below_percent) {
                c.at(&cm.at, Part::CommentThreshold, "comments", format!("须写评语的分数线 {}% 不在 0–100% 之内", cm.required_below_percent));
            }
            CommentRules { required_below_percent: cm.required_below_percent.clamp(0, 100) as u32, required_for_deduction: cm.required_for_deduction }
        }
        None => CommentRules { required_below_percent: 60, required_for_deduction: true },
    };

    // 一级指标 and their observation points.
    let mut codes = HashSet::new();
    let mut groups = Vec::new();
    let mut sum = Tenths::ZERO;
    // A 一级指标 whose points are unknown or do not match its observation points: the total is not compared.
    let mut group_points_in_doubt = false;
    if d.groups.is_empty() {
        c.at(&None, Part::Groups, "groups", "没有任何一级指标（groups）");
    }
    for g in d.groups {
        let gat = &g.at;
        let gloc = format!("一级指标 {}「{}」", g.code, g.name);
        if g.code.trim().is_empty() {
            c.at(gat, Part::GroupCode, &gloc, "一级指标代码不能为空");
        }
        if !codes.insert(g.code.clone()) {
            c.at(gat, Part::GroupCode, &gloc, format!("代码 {} 重复", g.code));
        }
        let problems_before = c.problems.len();
        let gpoints = c.number(&g.points, gat, Part::GroupPoints, &gloc, "一级指标分值");
        if c.problems.len() > problems_before || g.points == Number::Refused {
            group_points_in_doubt = true;
        }
        if let Some(p) = gpoints {
            if p.0 <= 0 {
                c.at(gat, Part::GroupPoints, &gloc, format!("一级指标分值必须大于 0，现为 {p}"));
                group_points_in_doubt = true;
            }
            sum = sum + p;
        }
        let mut items = Vec::new();
        let whole = g.items.is_empty();
        if whole {
            // Scored as a whole: the 一级指标 carries the text itself.
            match &g.text {
                Some(t) if !t.trim().is_empty() => {
                    c.evidence(&g.evidence, gat, &gloc);
                    items.push(Item {
                        code: g.code.clone(),
                        short_name: g.name.clone(),
                        text: t.clone(),
                        points: gpoints.unwrap_or_default(),
                        evidence: g.evidence.clone(),
                    });
                }
                _ => c.at(gat, Part::GroupText, &gloc, "该一级指标既没有观测点（items），也没有整体评分的说明文字（text）"),
            }
        } else {
            if g.text.is_some() {
                c.at(gat, Part::GroupText, &gloc, "有观测点的一级指标不能再写 text；请把文字写在各观测点中");
            }
            let mut isum = Tenths::ZERO;
            let mut all_known = true;
            for it in g.items {
                let iat = &it.at;
                let iloc = format!("观测点 {}", it.code);
                if it.code.trim().is_empty() {
                    c.at(iat, Part::ItemCode, &iloc, "观测点代码不能为空");
                }
                if !codes.insert(it.code.clone()) {
                    c.at(iat, Part::ItemCode, &iloc, format!("代码 {} 重复", it.code));
                }
                if !it.code.starts_with(&format!("{}.", g.code)) {
                    c.at(iat, Part::ItemCode, &iloc, format!("观测点代码 {} 应以所属一级指标的代码“{}.”开头", it.code, g.code));
                }
                if it.text.trim().is_empty() {
                    c.at(iat, Part::ItemText, &iloc, "观测点文字不能为空");
                }
                let p = c.number(&it.points, iat, Part::ItemPoints, &iloc, "分值");
                match p {
                    Some(p) if p.0 <= 0 => {
                        c.at(iat, Part::ItemPoints, &iloc, format!("分值必须大于 0，现为 {p}"));
                    }
                    Some(p) => {
                        isum = isum + p;
                        if let Some(s) = step {
                            if !p.is_multiple_of(s) {
                                c.at(iat, Part::ItemPoints, &iloc, format!("分值 {p} 不是步长 {s} 的整数倍"));
                            }
                        }
                    }
                    None => all_known = false,
                }
                c.evidence(&it.evidence, iat, &iloc);
                items.push(Item { code: it.code, short_name: it.short_name, text: it.text, points: p.unwrap_or_default(), evidence: it.evidence });
            }
            if let (Some(gp), true) = (gpoints, all_known) {
                if isum != gp {
                    c.at(gat, Part::GroupPoints, &gloc, format!("各观测点分值之和为 {isum}，与一级指标分值 {gp} 不符"));
                    group_points_in_doubt = true;
                }
            }
        }
        if let (Some(gp), Some(s), true) = (gpoints, step, whole) {
            if !gp.is_multiple_of(s) {
                c.at(gat, Part::GroupPoints, &gloc, format!("分值 {gp} 不是步长 {s} 的整数倍"));
            }
        }
        groups.push(Group { code: g.code, name: g.name, points: gpoints.unwrap_or_default(), items, whole });
    }
    if let Some(t) = declared_total {
        if t != sum && !group_points_in_doubt {
            c.at(&d.total_at, Part::Total, "total", format!("各一级指标分值之和为 {sum}，与总分 {t} 不符"));
        }
    }

    let deduction = d.deduction.map(|dd| {
        let at = &dd.at;
        let loc = format!("扣分项 {}", dd.code);
        if !codes.insert(dd.code.clone()) {
            c.at(at, Part::DeductionCode, &loc, format!("代码 {} 重复", dd.code));
        }
        if dd.text.trim().is_empty() {
            c.at(at, Part::DeductionText, &loc, "扣分项文字不能为空");
        }
        let cap = c.number(&dd.cap, at, Part::DeductionCap, &loc, "扣分上限");
        if let Some(cp) = cap {
            if cp.0 <= 0 {
                c.at(at, Part::DeductionCap, &loc, format!("扣分上限必须大于 0，现为 {cp}"));
            } else if let Some(s) = step {
                if !cp.is_multiple_of(s) {
                    c.at(at, Part::DeductionCap, &loc, format!("扣分上限 {cp} 不是步长 {s} 的整数倍"));
                }
            }
        }
        c.evidence(&dd.evidence, at, &loc);
        Deduction { code: dd.code, name: dd.name, text: dd.text, cap: cap.unwrap_or_default(), evidence: dd.evidence }
    });

    let mut vetoes = Vec::new();
    for v in d.vetoes {
        let at = &v.at;
        let loc = format!("否定性指标 {}", v.code);
        if !codes.insert(v.code.clone()) {
            c.at(at, Part::VetoCode, &loc, format!("代码 {} 重复", v.code));
        }
        if v.text.trim().is_empty() {
            c.at(at, Part::VetoText, &loc, "否定性指标文字不能为空");
        }
        let effect = match v.effect.as_str() {
            "zero" => VetoEffect::Zero,
            "disqualify" => VetoEffect::Disqualify,
            other => {
                c.at(at, Part::VetoEffect, &loc, format!("effect 只能是 \"zero\"（计 0 分）或 \"disqualify\"（取消资格），不能是 \"{other}\""));
                VetoEffect::Disqualify
            }
        };
        vetoes.push(Veto { code: v.code, text: v.text, effect });
    }

    if !c.problems.is_empty() || c.refused {
        return Err(c.problems);
    }
    Ok(Rubric {
        id: d.id,
        title: d.title,
        source: d.source,
        total: sum,
        step: step.expect("checked"),
        bands: bands.into_iter().map(|(b, _)| b).collect(),
        comments,
        groups,
        deduction,
        vetoes,
    })
}
