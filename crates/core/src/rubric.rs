//! Rubrics as data: parsing, full validation and the content hash.
//!
//! A rubric is a TOML text (format: `docs/rubric-format.md`). [`parse`] reads it, checks everything a panel
//! could get wrong (codes, sums, bands, steps, evidence hints) and returns either a [`Rubric`] or *every*
//! problem found, each in Chinese with its line. [`Rubric::hash`] is the SHA-256 of a canonical form, so the
//! same rubric written with other spacing, comments or key order has the same fingerprint.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::application::line_of;
use crate::score::Tenths;

mod draft;
mod text;

pub use draft::{validate, Draft, DraftBand, DraftComments, DraftDeduction, DraftGroup, DraftItem, DraftProblem, DraftVeto, Number, Part};
pub use text::to_toml;

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

/// A scored 一级指标 with its observation points (`groups` in the TOML format).
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
    /// Field ids of the 推荐书 (see [`crate::form::FIELDS`]).
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

/// A number as TOML has it: `5`, `4.5` or `"4.5"`, anything else by its kind.
fn number(v: &toml::Value) -> Number {
    match v {
        toml::Value::Integer(i) => Number::Text(i.to_string()),
        // Rust prints the shortest text that reads back as the same float: 4.5 → "4.5", 0.1 → "0.1".
        toml::Value::Float(f) => Number::Text(f.to_string()),
        toml::Value::String(s) => Number::Text(s.clone()),
        other => Number::Wrong(other.type_str().to_string()),
    }
}

fn evidence(raw: RawEvidence) -> Evidence {
    Evidence { fields: raw.fields, keywords: raw.keywords }
}

/// The TOML as a draft, each part at its span.
fn draft(raw: RawRubric) -> Draft<std::ops::Range<usize>> {
    Draft {
        id: raw.id,
        id_at: None,
        title: raw.title,
        title_at: None,
        source: raw.source,
        total: number(raw.total.get_ref()),
        total_at: Some(raw.total.span()),
        step: number(raw.step.get_ref()),
        step_at: Some(raw.step.span()),
        bands: raw
            .bands
            .into_iter()
            .map(|b| {
                let at = Some(b.span());
                let b = b.into_inner();
                DraftBand { code: b.code, label: b.label, from_percent: Some(b.from_percent), to_percent: Some(b.to_percent), at }
            })
            .collect(),
        comments: raw.comments.map(|c| DraftComments {
            required_below_percent: c.required_below_percent,
            required_for_deduction: c.required_for_deduction,
            at: None,
        }),
        groups: raw
            .groups
            .into_iter()
            .map(|g| {
                let at = Some(g.span());
                let g = g.into_inner();
                DraftGroup {
                    code: g.code,
                    name: g.name,
                    points: number(&g.points),
                    text: g.text,
                    evidence: evidence(g.evidence),
                    items: g
                        .items
                        .into_iter()
                        .map(|it| {
                            let at = Some(it.span());
                            let it = it.into_inner();
                            DraftItem {
                                code: it.code,
                                short_name: it.short_name,
                                text: it.text,
                                points: number(&it.points),
                                evidence: evidence(it.evidence),
                                at,
                            }
                        })
                        .collect(),
                    at,
                }
            })
            .collect(),
        deduction: raw.deduction.map(|d| {
            let at = Some(d.span());
            let d = d.into_inner();
            DraftDeduction { code: d.code, name: d.name, text: d.text, cap: number(&d.cap), evidence: evidence(d.evidence), at }
        }),
        vetoes: raw
            .vetoes
            .into_iter()
            .map(|v| {
                let at = Some(v.span());
                let v = v.into_inner();
                DraftVeto { code: v.code, text: v.text, effect: v.effect, at }
            })
            .collect(),
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
    validate(draft(raw)).map_err(|problems| RubricError {
        problems: problems
            .into_iter()
            .map(|p| RubricProblem { line: p.at.map(|s| line_of(text, s.start)), location: p.location, message: p.message })
            .collect(),
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
