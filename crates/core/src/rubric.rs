//! Rubrics as data: parsing, full validation and the content hash.
//!
//! A rubric is a TOML text (format: `docs/rubric-format.md`). [`parse`] reads it, checks everything a panel
//! could get wrong (codes, sums, bands, steps, evidence hints) and returns either a [`Rubric`] or *every*
//! problem found, each in Chinese with its line. [`Rubric::hash`] is the SHA-256 of a canonical form, so the
//! same rubric written with other spacing, comments or key order has the same fingerprint.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::application::line_of;
use crate::form;
use crate::score::Tenths;

/// A validated rubric.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub source: String,
    /// Sum of all groups' points.
    pub total: Tenths,
    /// Scores are entered in multiples of this.
    pub step: Tenths,
    pub bands: Vec<Band>,
    pub comments: CommentRules,
    pub groups: Vec<Group>,
    pub deduction: Option<Deduction>,
    /// 否定性 items: a condition that zeroes the score or disqualifies the application.
    pub vetoes: Vec<Veto>,
}

/// A level band (A/B/C/D) as a range of percentages of an item's maximum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Band {
    pub code: String,
    pub label: String,
    /// Lowest percentage in the band, inclusive.
    pub from_percent: u32,
    /// Highest whole percentage in the band as printed (the band runs up to the next band's start).
    pub to_percent: u32,
}

/// When a comment is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommentRules {
    /// A comment is required when a score is below this percentage of the item's maximum.
    pub required_below_percent: u32,
    /// A comment (reason) is required for any deduction.
    pub required_for_deduction: bool,
}

/// A scored group (基本指标) with its observation points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub points: Tenths,
    /// At least one; a group scored as a whole has one item with the group's own code and text.
    pub items: Vec<Item>,
    /// True when the group has no observation points of its own and is scored as a whole.
    pub whole: bool,
}

/// An observation point (观测点).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    pub code: String,
    pub short_name: String,
    /// The official text, verbatim.
    pub text: String,
    pub points: Tenths,
    pub evidence: Evidence,
}

/// Where the evidence for a point is found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Field ids of the 推荐书 (see [`form::FIELDS`]).
    pub fields: Vec<String>,
    /// Words to look for in the supporting material.
    pub keywords: Vec<String>,
}

/// The deduction group (其他): experts propose 0…cap points off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deduction {
    pub code: String,
    pub name: String,
    pub text: String,
    pub cap: Tenths,
    pub evidence: Evidence,
}

/// What a 否定性 item does when it applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum VetoEffect {
    /// The application's score becomes 0.
    Zero,
    /// The application is removed from the ranking.
    Disqualify,
}

impl VetoEffect {
    /// As the rubric file and the CLI's JSON write it: `"zero"` or `"disqualify"`.
    pub fn as_str(self) -> &'static str {
        match self {
            VetoEffect::Zero => "zero",
            VetoEffect::Disqualify => "disqualify",
        }
    }

    /// In words, for screens and paper: 计零分 or 取消资格.
    pub fn zh(self) -> &'static str {
        match self {
            VetoEffect::Zero => "计零分",
            VetoEffect::Disqualify => "取消资格",
        }
    }
}

/// A 否定性 (veto) item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Veto {
    pub code: String,
    pub text: String,
    pub effect: VetoEffect,
}

/// One problem in a rubric text, in Chinese, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RubricProblem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What part of the rubric, e.g. "观测点 2.3" (empty for the whole file).
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for RubricProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.location.is_empty()) {
            (Some(l), false) => write!(f, "第 {l} 行（{}）：{}", self.location, self.message),
            (Some(l), true) => write!(f, "第 {l} 行：{}", self.message),
            (None, false) => write!(f, "{}：{}", self.location, self.message),
            (None, true) => write!(f, "{}", self.message),
        }
    }
}

/// Every problem found in a rubric.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("评分标准有 {} 处问题", .problems.len())]
pub struct RubricError {
    pub problems: Vec<RubricProblem>,
}

// ---- the file format, as written by people ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    id: String,
    title: String,
    #[serde(default)]
    source: String,
    total: Spanned<toml::Value>,
    step: Spanned<toml::Value>,
    #[serde(default)]
    bands: Vec<Spanned<RawBand>>,
    comments: Option<RawComments>,
    #[serde(default)]
    groups: Vec<Spanned<RawGroup>>,
    deduction: Option<Spanned<RawDeduction>>,
    #[serde(default)]
    vetoes: Vec<Spanned<RawVeto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    code: String,
    #[serde(default)]
    label: String,
    from_percent: i64,
    to_percent: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComments {
    required_below_percent: i64,
    #[serde(default)]
    required_for_deduction: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    code: String,
    name: String,
    points: toml::Value,
    /// Only for a group without observation points.
    text: Option<String>,
    #[serde(default)]
    evidence: RawEvidence,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: String,
    #[serde(default)]
    short_name: String,
    text: String,
    points: toml::Value,
    #[serde(default)]
    evidence: RawEvidence,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeduction {
    code: String,
    name: String,
    text: String,
    cap: toml::Value,
    #[serde(default)]
    evidence: RawEvidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVeto {
    code: String,
    text: String,
    effect: String,
}

/// Translates the TOML/serde messages people will see into Chinese.
pub(crate) fn toml_message_zh(msg: &str) -> String {
    let tick = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    let m = msg.trim();
    if m.starts_with("missing field") {
        format!("缺少必填项 `{}`", tick(m))
    } else if m.starts_with("unknown field") {
        format!("未知的项 `{}`（拼写错误？）", tick(m))
    } else if m.starts_with("invalid type") {
        format!("值的类型不对：{m}")
    } else if m.contains("duplicate key") {
        format!("同一个键写了两次：{m}")
    } else {
        format!("TOML 格式错误：{m}")
    }
}

struct Checker<'a> {
    text: &'a str,
    problems: Vec<RubricProblem>,
}

impl Checker<'_> {
    fn at(&mut self, span: Option<std::ops::Range<usize>>, location: impl Into<String>, message: impl Into<String>) {
        self.problems.push(RubricProblem { line: span.map(|s| line_of(self.text, s.start)), location: location.into(), message: message.into() });
    }

    /// A number of points written as `5`, `4.5` or `"4.5"`.
    fn points(&mut self, v: &toml::Value, span: Option<std::ops::Range<usize>>, location: &str, what: &str) -> Option<Tenths> {
        let text = match v {
            toml::Value::Integer(i) => i.to_string(),
            // Rust prints the shortest text that reads back as the same float: 4.5 → "4.5", 0.1 → "0.1".
            toml::Value::Float(f) => f.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                self.at(span, location, format!("{what}应当是数字，而不是 {}", other.type_str()));
                return None;
            }
        };
        match Tenths::parse(&text) {
            Ok(t) => Some(t),
            Err(e) => {
                self.at(span, location, format!("{what}：{e}"));
                None
            }
        }
    }

    fn evidence(&mut self, raw: RawEvidence, span: Option<std::ops::Range<usize>>, location: &str) -> Evidence {
        for f in &raw.fields {
            if form::field(f).is_none() {
                self.at(span.clone(), location, format!("证据提示中的推荐书字段 `{f}` 不存在（可用字段见 docs/rubric-format.md）"));
            }
        }
        if raw.keywords.iter().any(|k| k.trim().is_empty()) {
            self.at(span, location, "证据提示中有空的关键词");
        }
        Evidence { fields: raw.fields, keywords: raw.keywords }
    }
}

/// Parses and fully validates a rubric text.
pub fn parse(text: &str) -> Result<Rubric, RubricError> {
    let raw: RawRubric = toml::from_str(text).map_err(|e| RubricError {
        problems: vec![RubricProblem {
            line: e.span().map(|s| line_of(text, s.start)),
            location: String::new(),
            message: toml_message_zh(e.message()),
        }],
    })?;
    let mut c = Checker { text, problems: Vec::new() };

    if raw.id.trim().is_empty() {
        c.at(None, "id", "评分标准的 id 不能为空");
    }
    if raw.title.trim().is_empty() {
        c.at(None, "title", "评分标准的名称 title 不能为空");
    }
    let step = c.points(raw.step.get_ref(), Some(raw.step.span()), "step", "步长");
    let step = match step {
        Some(s) if s.0 <= 0 => {
            c.at(Some(raw.step.span()), "step", format!("步长必须大于 0，现为 {s}"));
            None
        }
        s => s,
    };
    let declared_total = c.points(raw.total.get_ref(), Some(raw.total.span()), "total", "总分");

    // Bands: together they must cover 0–100 % with no gap and no overlap.
    let mut bands: Vec<(Band, std::ops::Range<usize>)> = Vec::new();
    let mut band_codes = HashSet::new();
    for b in &raw.bands {
        let span = Some(b.span());
        let r = b.get_ref();
        let loc = format!("等级 {}", r.code);
        if !band_codes.insert(r.code.clone()) {
            c.at(span.clone(), &loc, format!("等级代码 {} 重复", r.code));
        }
        if !(0..=100).contains(&r.from_percent) || !(0..=100).contains(&r.to_percent) || r.from_percent > r.to_percent {
            c.at(span, &loc, format!("等级区间 {}–{}% 无效：须在 0–100% 之内且下限不大于上限", r.from_percent, r.to_percent));
            continue;
        }
        bands.push((
            Band { code: r.code.clone(), label: r.label.clone(), from_percent: r.from_percent as u32, to_percent: r.to_percent as u32 },
            b.span(),
        ));
    }
    if raw.bands.is_empty() {
        c.at(None, "bands", "没有定义等级（bands），至少需要一个覆盖 0–100% 的等级");
    } else if bands.len() == raw.bands.len() {
        bands.sort_by_key(|b| std::cmp::Reverse(b.0.from_percent));
        let (top, top_span) = &bands[0];
        if top.to_percent != 100 {
            c.at(Some(top_span.clone()), format!("等级 {}", top.code), format!("最高等级的上限应为 100%，现为 {}%", top.to_percent));
        }
        for w in bands.windows(2) {
            let (hi, (lo, lo_span)) = (&w[0].0, &w[1]);
            if lo.to_percent + 1 != hi.from_percent {
                let what = if lo.to_percent + 1 < hi.from_percent { "之间有空档" } else { "重叠" };
                c.at(
                    Some(lo_span.clone()),
                    format!("等级 {} 与 {}", lo.code, hi.code),
                    format!(
                        "等级 {}（{}–{}%）与等级 {}（{}–{}%）{what}",
                        lo.code, lo.from_percent, lo.to_percent, hi.code, hi.from_percent, hi.to_percent
                    ),
                );
            }
        }
        let (last, last_span) = bands.last().expect("non-empty");
        if last.from_percent != 0 {
            c.at(Some(last_span.clone()), format!("等级 {}", last.code), format!("最低等级的下限应为 0%，现为 {}%", last.from_percent));
        }
    }

    let comments = match raw.comments {
        Some(cm) => {
            if !(0..=100).contains(&cm.required_below_percent) {
                c.at(None, "comments", format!("须写评语的分数线 {}% 不在 0–100% 之内", cm.required_below_percent));
            }
            CommentRules { required_below_percent: cm.required_below_percent.clamp(0, 100) as u32, required_for_deduction: cm.required_for_deduction }
        }
        None => CommentRules { required_below_percent: 60, required_for_deduction: true },
    };

    // Groups and items.
    let mut codes = HashSet::new();
    let mut groups = Vec::new();
    let mut sum = Tenths::ZERO;
    if raw.groups.is_empty() {
        c.at(None, "groups", "没有任何评分组（groups）");
    }
    for g in raw.groups {
        let gspan = g.span();
        let g = g.into_inner();
        let gloc = format!("第 {} 组「{}」", g.code, g.name);
        if g.code.trim().is_empty() {
            c.at(Some(gspan.clone()), &gloc, "组代码不能为空");
        }
        if !codes.insert(g.code.clone()) {
            c.at(Some(gspan.clone()), &gloc, format!("代码 {} 重复", g.code));
        }
        let gpoints = c.points(&g.points, Some(gspan.clone()), &gloc, "组分值");
        if let Some(p) = gpoints {
            if p.0 <= 0 {
                c.at(Some(gspan.clone()), &gloc, format!("组分值必须大于 0，现为 {p}"));
            }
            sum = sum + p;
        }
        let mut items = Vec::new();
        let whole = g.items.is_empty();
        if whole {
            // A group scored as a whole: it carries the text itself.
            match &g.text {
                Some(t) if !t.trim().is_empty() => {
                    let evidence = c.evidence(g.evidence, Some(gspan.clone()), &gloc);
                    items.push(Item {
                        code: g.code.clone(),
                        short_name: g.name.clone(),
                        text: t.clone(),
                        points: gpoints.unwrap_or_default(),
                        evidence,
                    });
                }
                _ => c.at(Some(gspan.clone()), &gloc, "该组既没有观测点（items），也没有整体评分的说明文字（text）"),
            }
        } else {
            if g.text.is_some() {
                c.at(Some(gspan.clone()), &gloc, "有观测点的组不能再写 text；请把文字写在各观测点中");
            }
            let mut isum = Tenths::ZERO;
            let mut all_known = true;
            for it in g.items {
                let ispan = it.span();
                let it = it.into_inner();
                let iloc = format!("观测点 {}", it.code);
                if it.code.trim().is_empty() {
                    c.at(Some(ispan.clone()), &iloc, "观测点代码不能为空");
                }
                if !codes.insert(it.code.clone()) {
                    c.at(Some(ispan.clone()), &iloc, format!("代码 {} 重复", it.code));
                }
                if !it.code.starts_with(&format!("{}.", g.code)) {
                    c.at(Some(ispan.clone()), &iloc, format!("观测点代码 {} 应以所属组代码“{}.”开头", it.code, g.code));
                }
                if it.text.trim().is_empty() {
                    c.at(Some(ispan.clone()), &iloc, "观测点文字不能为空");
                }
                let p = c.points(&it.points, Some(ispan.clone()), &iloc, "分值");
                match p {
                    Some(p) if p.0 <= 0 => {
                        c.at(Some(ispan.clone()), &iloc, format!("分值必须大于 0，现为 {p}"));
                    }
                    Some(p) => {
                        isum = isum + p;
                        if let Some(s) = step {
                            if !p.is_multiple_of(s) {
                                c.at(Some(ispan.clone()), &iloc, format!("分值 {p} 不是步长 {s} 的整数倍"));
                            }
                        }
                    }
                    None => all_known = false,
                }
                let evidence = c.evidence(it.evidence, Some(ispan.clone()), &iloc);
                items.push(Item { code: it.code, short_name: it.short_name, text: it.text, points: p.unwrap_or_default(), evidence });
            }
            if let (Some(gp), true) = (gpoints, all_known) {
                if isum != gp {
                    c.at(Some(gspan.clone()), &gloc, format!("各观测点分值之和为 {isum}，与本组分值 {gp} 不符"));
                }
            }
        }
        if let (Some(gp), Some(s), true) = (gpoints, step, whole) {
            if !gp.is_multiple_of(s) {
                c.at(Some(gspan.clone()), &gloc, format!("分值 {gp} 不是步长 {s} 的整数倍"));
            }
        }
        groups.push(Group { code: g.code, name: g.name, points: gpoints.unwrap_or_default(), items, whole });
    }
    if let Some(t) = declared_total {
        if t != sum && c.problems.iter().all(|p| !p.message.contains("组分值")) {
            c.at(Some(raw.total.span()), "total", format!("各组分值之和为 {sum}，与总分 {t} 不符"));
        }
    }

    let deduction = raw.deduction.map(|d| {
        let span = d.span();
        let d = d.into_inner();
        let loc = format!("扣分项 {}", d.code);
        if !codes.insert(d.code.clone()) {
            c.at(Some(span.clone()), &loc, format!("代码 {} 重复", d.code));
        }
        if d.text.trim().is_empty() {
            c.at(Some(span.clone()), &loc, "扣分项文字不能为空");
        }
        let cap = c.points(&d.cap, Some(span.clone()), &loc, "扣分上限");
        if let Some(cp) = cap {
            if cp.0 <= 0 {
                c.at(Some(span.clone()), &loc, format!("扣分上限必须大于 0，现为 {cp}"));
            } else if let Some(s) = step {
                if !cp.is_multiple_of(s) {
                    c.at(Some(span.clone()), &loc, format!("扣分上限 {cp} 不是步长 {s} 的整数倍"));
                }
            }
        }
        let evidence = c.evidence(d.evidence, Some(span.clone()), &loc);
        Deduction { code: d.code, name: d.name, text: d.text, cap: cap.unwrap_or_default(), evidence }
    });

    let mut vetoes = Vec::new();
    for v in raw.vetoes {
        let span = v.span();
        let v = v.into_inner();
        let loc = format!("否定性指标 {}", v.code);
        if !codes.insert(v.code.clone()) {
            c.at(Some(span.clone()), &loc, format!("代码 {} 重复", v.code));
        }
        if v.text.trim().is_empty() {
            c.at(Some(span.clone()), &loc, "否定性指标文字不能为空");
        }
        let effect = match v.effect.as_str() {
            "zero" => VetoEffect::Zero,
            "disqualify" => VetoEffect::Disqualify,
            other => {
                c.at(Some(span.clone()), &loc, format!("effect 只能是 \"zero\"（计 0 分）或 \"disqualify\"（取消资格），不能是 \"{other}\""));
                VetoEffect::Disqualify
            }
        };
        vetoes.push(Veto { code: v.code, text: v.text, effect });
    }

    if !c.problems.is_empty() {
        return Err(RubricError { problems: c.problems });
    }
    Ok(Rubric {
        id: raw.id,
        title: raw.title,
        source: raw.source,
        total: sum,
        step: step.expect("checked"),
        bands: bands.into_iter().map(|(b, _)| b).collect(),
        comments,
        groups,
        deduction,
        vetoes,
    })
}

impl Rubric {
    /// SHA-256 (lower-case hex) of the canonical form: the validated rubric as compact JSON with fields in
    /// declaration order. Formatting, comments and key order of the source text do not change it.
    pub fn hash(&self) -> String {
        let canonical = serde_json::to_string(self).expect("a rubric always serializes");
        crate::hash::sha256_hex(canonical.as_bytes())
    }

    /// Every scored item, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.groups.iter().flat_map(|g| g.items.iter())
    }

    /// The item with this code.
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items().find(|i| i.code == code)
    }

    /// The 否定性 item with this code.
    pub fn veto(&self, code: &str) -> Option<&Veto> {
        self.vetoes.iter().find(|v| v.code == code)
    }

    /// The band a score falls in (exact: `score / max ≥ from%`).
    pub fn band_of(&self, score: Tenths, max: Tenths) -> Option<&Band> {
        if max.0 <= 0 || score.0 < 0 || score > max {
            return None;
        }
        self.bands.iter().find(|b| score.0 * 100 >= b.from_percent as i64 * max.0)
    }

    /// The value a band button puts in: the highest on-step score that falls in the band, if any.
    pub fn band_value(&self, band_code: &str, max: Tenths) -> Option<Tenths> {
        let mut v = Tenths(max.0 - max.0 % self.step.0);
        while v.0 >= 0 {
            if self.band_of(v, max).map(|b| b.code.as_str()) == Some(band_code) {
                return Some(v);
            }
            v = v - self.step;
        }
        None
    }

    /// Whether a comment is required for this score of an item with this maximum.
    pub fn comment_required(&self, score: Tenths, max: Tenths) -> bool {
        score.0 * 100 < self.comments.required_below_percent as i64 * max.0
    }
}

/// The short form of a hash people compare by eye: the first 32 hex digits in 8 groups of 4.
pub fn fingerprint(hash: &str) -> String {
    hash.as_bytes().chunks(4).take(8).map(|c| std::str::from_utf8(c).unwrap_or("")).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests;
