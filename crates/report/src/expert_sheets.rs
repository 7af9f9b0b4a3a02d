//! The 专家评分表: one expert's submitted sheets of a round, printed for the expert to sign.
//!
//! One A4 portrait page per submitted sheet: round, rubric (title and fingerprint), application (申报编号,
//! 联合体名称), expert (编号, 姓名, 单位, 职称); every observation point in rubric order with its 满分, 得分,
//! 等级 (the rubric's band) and 评语, a subtotal row per group, the proposed deduction with its reason (or
//! "无"), the total of the items, when the rubric has 否定性指标 each of them with whether the expert ticked it
//! and the reason, the sheet's version and submission time, its 评分表校验码 (the short form of
//! [`FileSheet::content_hash`]) and the expert's pledge and signature line. Then one summary page listing
//! every application of the expert (回避 for a recusal, which has no page of its own) and a signature line.

use serde::Serialize;

use pingshen_core::rubric::{fingerprint, Rubric};
use pingshen_core::scorefile::FileSheet;
use pingshen_core::Tenths;

use crate::text::{self, who};
use crate::{view, ApplicationInfo, ExpertInfo, ReportError, RoundInfo};

/// Everything the 专家评分表 is made from. All borrowed: the caller owns the values.
#[derive(Clone, Copy, Debug)]
pub struct ExpertSheetsInput<'a> {
    pub round: &'a RoundInfo,
    /// The round's frozen rubric (its hash must be `round.rubric_hash`).
    pub rubric: &'a Rubric,
    pub expert: &'a ExpertInfo,
    /// The round's stable identity (批次标识), part of each sheet's hash.
    pub round_uid: &'a str,
    /// The expert's sheets and recusals (as in their score file), each with the application it is for; printed
    /// in this order.
    pub sheets: &'a [(ApplicationInfo, FileSheet)],
    /// Evidence pinned to scores: (申报编号, item or deduction-group code, what it points at, e.g.
    /// "支撑材料汇编 第14页"), printed under the score it supports.
    pub evidence: &'a [(String, String, String)],
}

impl ExpertSheetsInput<'_> {
    /// The 评分表校验码 of a sheet: [`FileSheet::content_hash`] in the 8 × 4 short form.
    pub fn sheet_code(&self, sheet: &FileSheet) -> String {
        fingerprint(&sheet.content_hash(self.round_uid, &self.rubric.hash(), &self.expert.code))
    }
}

#[derive(Serialize)]
struct Sheets {
    doc_title: String,
    landscape: bool,
    round_name: String,
    rubric_title: String,
    rubric_fingerprint: String,
    expert: ExpertView,
    pages: Vec<Page>,
    summary: Vec<SummaryRow>,
    pledge: &'static str,
    deduction_note: &'static str,
    signers: [&'static str; 1],
}

#[derive(Serialize)]
struct ExpertView {
    code: String,
    name: String,
    unit: String,
    title: String,
}

#[derive(Serialize)]
struct Page {
    code: String,
    name: String,
    rows: Vec<Row>,
    /// The deduction group's "7 其他", or empty when the rubric has none.
    deduction_name: String,
    deduction_cap: String,
    deduction: String,
    /// As printed in the table: "-2.00", or "0.00" for none.
    deduction_signed: String,
    deduction_reason: String,
    deduction_evidence: String,
    full: String,
    total: String,
    /// Every 否定性指标 of the rubric (none for most rubrics), as the expert marked it.
    vetoes: Vec<VetoLine>,
    /// The sheet carries a 推荐意见 or a 综合意见 (printed then, with "未填写" for the one not given).
    has_opinion: bool,
    /// 推荐 / 不推荐, or empty.
    recommendation: String,
    opinion: String,
    version: i64,
    submitted_at: String,
    hash: String,
}

/// A 否定性指标 on a printed sheet.
#[derive(Serialize)]
struct VetoLine {
    /// "V1 申报材料弄虚作假（取消资格）"
    what: String,
    /// The expert ticked it (认为存在).
    ticked: bool,
    reason: String,
}

/// A row of a sheet's table: an observation point, or a group's subtotal.
#[derive(Serialize)]
struct Row {
    subtotal: bool,
    /// "1.1 甲项", or "1 名称（一级指标小计）".
    what: String,
    max: String,
    score: String,
    band: String,
    comment: String,
    /// Pinned evidence, "支撑材料汇编 第14页；推荐书·秘书处(办公室)情况"; empty for none.
    evidence: String,
}

#[derive(Serialize)]
struct SummaryRow {
    code: String,
    name: String,
    recused: bool,
    total: String,
    deduction: String,
    version: i64,
    hash: String,
}

/// The pledge above the expert's signature on every sheet.
pub const PLEDGE: &str = "本人承诺：以上评分系独立、公正作出。";

/// What the total line says about the deduction.
pub const DEDUCTION_NOTE: &str = "（扣分由评审组统一认定）";

/// The evidence pinned to one score, joined for print.
fn evidence_of(input: &ExpertSheetsInput, application: &str, item: &str) -> String {
    input.evidence.iter().filter(|(a, i, _)| a == application && i == item).map(|(_, _, what)| what.as_str()).collect::<Vec<_>>().join("；")
}

fn item_total(sheet: &FileSheet) -> Tenths {
    sheet.scores.iter().map(|s| s.value).sum()
}

fn build(input: &ExpertSheetsInput) -> Result<Sheets, ReportError> {
    let rubric = input.rubric;
    let given = rubric.hash();
    if !input.round.rubric_hash.eq_ignore_ascii_case(&given) {
        return Err(ReportError::RubricMismatch { round: fingerprint(&input.round.rubric_hash), given: fingerprint(&given) });
    }
    let mut pages = Vec::new();
    let mut summary = Vec::new();
    for (app, sheet) in input.sheets {
        if sheet.recused {
            summary.push(SummaryRow {
                code: app.code.clone(),
                name: app.name.clone(),
                recused: true,
                total: String::new(),
                deduction: String::new(),
                version: 0,
                hash: String::new(),
            });
            continue;
        }
        let hash = input.sheet_code(sheet);
        let mut rows = Vec::new();
        for g in &rubric.groups {
            let mut subtotal = Tenths::ZERO;
            let mut complete = true;
            for item in &g.items {
                let score = sheet.scores.iter().find(|s| s.item == item.code);
                if let Some(s) = score {
                    subtotal = subtotal + s.value;
                } else {
                    complete = false;
                }
                rows.push(Row {
                    subtotal: false,
                    what: if item.short_name.is_empty() { item.code.clone() } else { format!("{} {}", item.code, item.short_name) },
                    max: text::tenths(item.points),
                    score: score.map(|s| text::tenths(s.value)).unwrap_or_else(|| text::NONE.to_string()),
                    band: score.and_then(|s| rubric.band_of(s.value, item.points)).map(|b| b.code.clone()).unwrap_or_else(|| text::NONE.to_string()),
                    comment: score.map(|s| s.comment.clone()).unwrap_or_default(),
                    evidence: evidence_of(input, &app.code, &item.code),
                });
            }
            rows.push(Row {
                subtotal: true,
                what: format!("{} {}（一级指标小计）", g.code, g.name),
                max: text::tenths(g.points),
                score: if complete { text::tenths(subtotal) } else { text::NONE.to_string() },
                band: String::new(),
                comment: String::new(),
                evidence: String::new(),
            });
        }
        let (deduction, deduction_reason) = match &sheet.deduction {
            Some(d) if d.value != Tenths::ZERO => {
                (text::tenths(d.value), if d.reason.trim().is_empty() { "无".to_string() } else { d.reason.clone() })
            }
            _ => (text::tenths(Tenths::ZERO), "无".to_string()),
        };
        let total = item_total(sheet);
        pages.push(Page {
            code: app.code.clone(),
            name: app.name.clone(),
            rows,
            deduction_name: rubric.deduction.as_ref().map(|d| format!("{} {}", d.code, d.name)).unwrap_or_default(),
            deduction_cap: rubric.deduction.as_ref().map(|d| text::tenths(d.cap)).unwrap_or_default(),
            deduction_signed: if sheet.deduction.as_ref().is_some_and(|d| d.value != Tenths::ZERO) {
                format!("-{deduction}")
            } else {
                deduction.clone()
            },
            deduction: deduction.clone(),
            deduction_reason,
            deduction_evidence: rubric.deduction.as_ref().map(|d| evidence_of(input, &app.code, &d.code)).unwrap_or_default(),
            full: text::tenths(rubric.total),
            total: text::tenths(total),
            vetoes: rubric
                .vetoes
                .iter()
                .map(|v| {
                    let p = sheet.vetoes.iter().find(|p| p.code == v.code);
                    VetoLine {
                        what: format!("{} {}（{}）", v.code, v.text, v.effect.zh()),
                        ticked: p.is_some(),
                        reason: p.map(|p| p.reason.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            has_opinion: sheet.has_opinion(),
            recommendation: sheet.recommendation.map(|r| r.zh().to_string()).unwrap_or_default(),
            opinion: sheet.opinion.clone(),
            version: sheet.version,
            submitted_at: sheet.submitted_at.clone().unwrap_or_default(),
            hash: hash.clone(),
        });
        summary.push(SummaryRow {
            code: app.code.clone(),
            name: app.name.clone(),
            recused: false,
            total: text::tenths(total),
            deduction,
            version: sheet.version,
            hash,
        });
    }
    let e = input.expert;
    let round = input.round;
    Ok(Sheets {
        doc_title: format!("{}专家评分表（{}）", round.name, who(&e.code, &e.name)),
        landscape: false,
        round_name: round.name.clone(),
        rubric_title: if round.rubric_title.is_empty() { rubric.title.clone() } else { round.rubric_title.clone() },
        rubric_fingerprint: fingerprint(&given),
        expert: ExpertView { code: e.code.clone(), name: e.name.clone(), unit: e.unit.clone(), title: e.title.clone() },
        pages,
        summary,
        pledge: PLEDGE,
        deduction_note: DEDUCTION_NOTE,
        signers: ["专家"],
    })
}

/// The 专家评分表 of one expert as one self-contained HTML document (A4 portrait): a page per submitted
/// sheet, then the summary page.
pub fn expert_sheets_html(input: &ExpertSheetsInput) -> Result<String, ReportError> {
    view::render("expert_sheets.html.tera", &build(input)?)
}
