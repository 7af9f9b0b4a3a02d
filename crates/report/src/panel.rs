//! What the panel writes, printed: the **评审意见表** (one page per application: the application, its scores
//! summary from the consolidation, the 专家组意见 in four parts and the 组长's signature line with the date)
//! as HTML, .xlsx (one row per application) and .docx; and the **实地考察记录表** (one page per visit: the
//! application, date, place, the members of the visiting group, the claims checked with their findings,
//! a signature line for every member and the date) as HTML and .docx.
//!
//! Both serve section 三 of the notice, 「省教育厅组织专家对申报材料进行评审，视情开展实地考察，择优确定…」: the
//! panel's written judgement of each application and the record of what was checked on site. An application
//! without a 专家组意见 gets its page with blank lines to write on by hand; a round without visits prints one
//! blank 实地考察记录表 to fill in on site.

use pingshen_core::consolidation::{ApplicationResult, Status};
use pingshen_core::panel::{Conclusion, Finding, Opinion, Visit};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Serialize;

use crate::docx::{Cell, Docx, Orientation, Table};
use crate::text::{self, who};
use crate::{view, ExpertInfo, ReportError, ReportInput};

/// The title of the 评审意见表.
pub const OPINION_TITLE: &str = "评审意见表";
/// The worksheet of [`opinions_xlsx`].
pub const OPINION_SHEET: &str = "评审意见表";
/// The title of the 实地考察记录表.
pub const VISIT_TITLE: &str = "实地考察记录表";

/// The saved 专家组意见 of one application (the version in force).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpinionEntry {
    /// 申报编号
    pub application: String,
    pub opinion: Opinion,
}

/// One 实地考察 of one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitEntry {
    /// 申报编号
    pub application: String,
    /// 第 N 次 of the application's visits.
    pub seq: u32,
    pub visit: Visit,
}

/// What the panel wrote, beside the consolidation: the 组长, the 专家组意见, the experts' 推荐意见 tallies and
/// the 实地考察 records. `Default` is nothing written (blank forms).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelRecords {
    /// The round's 组长 (named under the signature line); `None` leaves the line unnamed.
    pub leader: Option<ExpertInfo>,
    pub opinions: Vec<OpinionEntry>,
    /// Per 申报编号, the tally of the experts' 推荐意见 as printed (e.g. 「推荐 4 票，不推荐 1 票」). Empty until
    /// the experts' 推荐意见 exist; an application not listed prints no tally line.
    pub recommendations: Vec<(String, String)>,
    pub visits: Vec<VisitEntry>,
}

/// "2026-11-20" → "2026年11月20日"; any other text as it is.
pub fn date_zh(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.parse::<u32>().is_ok() && d.parse::<u32>().is_ok() => {
            format!("{y}年{}月{}日", m.parse::<u32>().unwrap_or(0), d.parse::<u32>().unwrap_or(0))
        }
        _ => iso.to_string(),
    }
}

// ---- 评审意见表 ----

#[derive(Serialize)]
struct ScoreColumn {
    head: String,
    value: String,
}

#[derive(Serialize)]
struct OpinionPage {
    code: String,
    name: String,
    recommender: String,
    lead: String,
    scores: Vec<ScoreColumn>,
    /// 专家组评分, 扣分, 最终得分, 名次 (or the 待补 reason).
    panel: String,
    deduction: String,
    final_score: String,
    rank: String,
    /// What an upheld 否定性指标 did, or why the application is 待补; empty otherwise.
    veto: String,
    recommendations: String,
    written: bool,
    strengths: String,
    problems: String,
    suggestions: String,
    recommend: bool,
    not_recommend: bool,
    conclusion: String,
    conclusion_note: String,
}

#[derive(Serialize)]
struct OpinionsView {
    doc_title: String,
    landscape: bool,
    title: &'static str,
    round_name: String,
    leader: String,
    date: String,
    pages: Vec<OpinionPage>,
}

fn lead(school: &str, enterprise: &str) -> String {
    [school, enterprise].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("／")
}

/// 专家组评分, 扣分, 最终得分, 名次 as printed, and for an incomplete application why it is 待补.
fn results(a: &ApplicationResult, name_of: impl Fn(&str) -> String) -> ([String; 4], String) {
    let pending = if a.status == Status::Incomplete { text::pending_reason(a, name_of) } else { String::new() };
    ([text::opt_score(a.panel_score), text::opt_score(a.deduction), text::opt_score(a.final_score), text::rank(a)], pending)
}

fn opinions_view(input: &ReportInput, records: &PanelRecords) -> Result<OpinionsView, ReportError> {
    input.check()?;
    let c = input.consolidation;
    let name_of = |code: &str| input.expert(code).name.clone();
    let pages = c
        .applications
        .iter()
        .map(|a| {
            let info = input.application(&a.code);
            let ([panel, deduction, final_score, rank], pending) = results(a, name_of);
            let opinion = records.opinions.iter().find(|o| o.application == a.code).map(|o| &o.opinion);
            OpinionPage {
                code: a.code.clone(),
                name: info.name.clone(),
                recommender: info.recommender.clone(),
                lead: lead(&info.lead_school, &info.lead_enterprise),
                scores: c
                    .experts
                    .iter()
                    .map(|e| ScoreColumn { head: who(&e.expert, &name_of(&e.expert)), value: text::expert_cell(a, &e.expert) })
                    .collect(),
                panel,
                deduction,
                final_score,
                rank,
                veto: text::veto_outcome(a).unwrap_or(pending),
                recommendations: records.recommendations.iter().find(|(code, _)| *code == a.code).map(|(_, t)| t.clone()).unwrap_or_default(),
                written: opinion.is_some(),
                strengths: opinion.map(|o| o.strengths.clone()).unwrap_or_default(),
                problems: opinion.map(|o| o.problems.clone()).unwrap_or_default(),
                suggestions: opinion.map(|o| o.suggestions.clone()).unwrap_or_default(),
                recommend: opinion.is_some_and(|o| o.conclusion == Conclusion::Recommend),
                not_recommend: opinion.is_some_and(|o| o.conclusion == Conclusion::NotRecommend),
                conclusion: opinion.map(|o| o.conclusion.zh().to_string()).unwrap_or_default(),
                conclusion_note: opinion.map(|o| o.conclusion_note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(OpinionsView {
        doc_title: format!("{}{OPINION_TITLE}", input.round.name),
        landscape: false,
        title: OPINION_TITLE,
        round_name: input.round.name.clone(),
        leader: records.leader.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
        date: input.round.date.clone(),
        pages,
    })
}

/// The 评审意见表 as one self-contained HTML document: A4 portrait, one page per application in the
/// consolidation's order (ranked first).
pub fn opinions_html(input: &ReportInput, records: &PanelRecords) -> Result<String, ReportError> {
    view::render("panel_opinions.html.tera", &opinions_view(input, records)?)
}

/// The columns of [`opinions_xlsx`] before the experts' and after them.
const XLSX_BEFORE: [&str; 5] = ["序号", "申报编号", "市域产教联合体名称", "推荐单位", "牵头单位"];
const XLSX_AFTER: [&str; 11] =
    ["专家组评分", "扣分", "最终得分", "名次", "专家推荐意见", "主要优势", "存在问题", "改进建议", "结论", "结论说明", "组长"];

/// The 评审意见表 as an .xlsx workbook: a title row, the header, then one row per application (the same
/// order and texts as the HTML), one column per expert's total and one per part of the 专家组意见.
pub fn opinions_xlsx(input: &ReportInput, records: &PanelRecords) -> Result<Vec<u8>, ReportError> {
    let v = opinions_view(input, records)?;
    write_opinions_xlsx(&v).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn write_opinions_xlsx(v: &OpinionsView) -> Result<Vec<u8>, XlsxError> {
    let experts: Vec<String> = v.pages.first().map(|p| p.scores.iter().map(|s| s.head.clone()).collect()).unwrap_or_default();
    let header: Vec<String> =
        XLSX_BEFORE.iter().map(|s| s.to_string()).chain(experts.iter().cloned()).chain(XLSX_AFTER.iter().map(|s| s.to_string())).collect();
    let last = (header.len() - 1) as u16;
    let font = "宋体";
    let title_f = Format::new().set_font_name(font).set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let cell = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let head = cell.clone().set_bold().set_align(FormatAlign::Center);
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title(v.doc_title.as_str()).set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1)?));
    let sheet = book.add_worksheet();
    sheet.set_name(OPINION_SHEET)?;
    let title = if v.round_name.is_empty() { v.title.to_string() } else { format!("{}（{}）", v.title, v.round_name) };
    sheet.merge_range(0, 0, 0, last, &title, &title_f)?;
    sheet.set_row_height(0, 28)?;
    for (i, h) in header.iter().enumerate() {
        sheet.write_string_with_format(1, i as u16, h, &head)?;
        let width = match h.as_str() {
            "主要优势" | "存在问题" | "改进建议" => 40.0,
            "市域产教联合体名称" | "牵头单位" | "推荐单位" | "结论说明" => 24.0,
            _ => (text::display_width(h).clamp(6, 20) + 2) as f64,
        };
        sheet.set_column_width(i as u16, width)?;
    }
    for (n, p) in v.pages.iter().enumerate() {
        let row = 2 + n as u32;
        let mut cells: Vec<String> = vec![(n + 1).to_string(), p.code.clone(), p.name.clone(), p.recommender.clone(), p.lead.clone()];
        cells.extend(p.scores.iter().map(|s| s.value.clone()));
        cells.extend([
            p.panel.clone(),
            p.deduction.clone(),
            p.final_score.clone(),
            p.rank.clone(),
            p.recommendations.clone(),
            p.strengths.clone(),
            p.problems.clone(),
            p.suggestions.clone(),
            p.conclusion.clone(),
            p.conclusion_note.clone(),
            if p.written { v.leader.clone() } else { String::new() },
        ]);
        for (i, c) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, i as u16, c, &cell)?;
        }
    }
    sheet.set_freeze_panes(2, 3)?;
    book.save_to_buffer()
}

/// The blank lines an unwritten part prints as, to write on by hand.
const HAND_LINES: &str = "\n\n\n";

/// The 评审意见表 as a .docx: one page per application (a page break between them).
pub fn opinions_docx(input: &ReportInput, records: &PanelRecords) -> Result<Vec<u8>, ReportError> {
    let v = opinions_view(input, records)?;
    let mut d = Docx::new(Orientation::Portrait);
    for (n, p) in v.pages.iter().enumerate() {
        if n > 0 {
            d.page_break();
        }
        d.title(v.title);
        if !v.round_name.is_empty() {
            d.line(&format!("（{}）", v.round_name));
        }
        d.table(
            &Table::new(&[2, 3, 2, 3])
                .row(vec![Cell::from("申报编号"), Cell::from(&p.code), Cell::from("推荐单位"), Cell::from(&p.recommender)])
                .row(vec![Cell::from("联合体名称"), Cell::span(&p.name, 3)])
                .row(vec![Cell::from("牵头单位"), Cell::span(&p.lead, 3)]),
        );
        d.heading("一、评分情况");
        let mut head: Vec<String> = p.scores.iter().map(|s| s.head.clone()).collect();
        head.extend(["专家组评分", "扣分", "最终得分", "名次"].map(String::from));
        let mut row: Vec<Cell> = p.scores.iter().map(|s| Cell::centered(&s.value)).collect();
        row.extend([&p.panel, &p.deduction, &p.final_score, &p.rank].map(|s| Cell::centered(s.as_str())));
        d.table(&Table::new(&vec![1; head.len()]).header(head).row(row));
        if !p.veto.is_empty() {
            d.line(&p.veto);
        }
        if !p.recommendations.is_empty() {
            d.line(&format!("专家推荐意见：{}", p.recommendations));
        }
        d.heading("二、专家组意见");
        let part = |t: &str| if p.written { t.to_string() } else { HAND_LINES.to_string() };
        let conclusion = if p.written {
            let mark = |yes: bool| if yes { "☑" } else { "□" };
            let note = if p.conclusion_note.is_empty() { String::new() } else { format!("\n{}", p.conclusion_note) };
            format!("{}建议推荐　{}不予推荐{note}", mark(p.recommend), mark(p.not_recommend))
        } else {
            "□建议推荐　□不予推荐".to_string()
        };
        d.table(
            &Table::new(&[1, 5])
                .row(vec![Cell::from("主要优势"), Cell::from(part(&p.strengths))])
                .row(vec![Cell::from("存在问题"), Cell::from(part(&p.problems))])
                .row(vec![Cell::from("改进建议"), Cell::from(part(&p.suggestions))])
                .row(vec![Cell::from("结论"), Cell::from(conclusion)]),
        );
        let leader = if v.leader.is_empty() { String::new() } else { format!("（{}）", v.leader) };
        d.right(&format!("专家组组长{leader}（签字）：______________"));
        d.right(&if v.date.is_empty() { "日期：______年____月____日".to_string() } else { format!("日期：{}", v.date) });
    }
    d.to_bytes()
}

// ---- 实地考察记录表 ----

#[derive(Serialize)]
struct MemberLine {
    index: usize,
    name: String,
    unit: String,
    duty: String,
}

#[derive(Serialize)]
struct CheckLine {
    index: usize,
    claim: String,
    finding: String,
    note: String,
}

#[derive(Serialize)]
struct VisitPage {
    code: String,
    name: String,
    recommender: String,
    lead: String,
    seq: String,
    date: String,
    place: String,
    members: Vec<MemberLine>,
    checks: Vec<CheckLine>,
    /// Counts, 「核查 4 项：属实 2 项，部分属实 1 项，不属实 1 项」 (empty on a blank form).
    tally: String,
    blank: bool,
}

#[derive(Serialize)]
struct VisitsView {
    doc_title: String,
    landscape: bool,
    title: &'static str,
    round_name: String,
    pages: Vec<VisitPage>,
}

/// Rows a blank form leaves for members and for claims.
const BLANK_MEMBERS: usize = 6;
const BLANK_CHECKS: usize = 8;

fn visits_view(input: &ReportInput, records: &PanelRecords) -> Result<VisitsView, ReportError> {
    input.check()?;
    let mut pages: Vec<VisitPage> = records
        .visits
        .iter()
        .map(|e| {
            let info = input.applications.iter().find(|a| a.code == e.application);
            let v = &e.visit;
            let count = |f: Finding| v.checks.iter().filter(|c| c.finding == f).count();
            let mut tally = format!("核查 {} 项：属实 {} 项", v.checks.len(), count(Finding::True));
            for f in [Finding::Partly, Finding::False] {
                if count(f) > 0 {
                    tally.push_str(&format!("，{} {} 项", f.zh(), count(f)));
                }
            }
            VisitPage {
                code: e.application.clone(),
                name: info.map(|i| i.name.clone()).unwrap_or_default(),
                recommender: info.map(|i| i.recommender.clone()).unwrap_or_default(),
                lead: info.map(|i| lead(&i.lead_school, &i.lead_enterprise)).unwrap_or_default(),
                seq: format!("第 {} 次", e.seq),
                date: date_zh(&v.date),
                place: v.place.clone(),
                members: v
                    .members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| MemberLine { index: i + 1, name: m.name.clone(), unit: m.unit.clone(), duty: m.duty.clone() })
                    .collect(),
                checks: v
                    .checks
                    .iter()
                    .enumerate()
                    .map(|(i, c)| CheckLine { index: i + 1, claim: c.claim.clone(), finding: c.finding.zh().to_string(), note: c.note.clone() })
                    .collect(),
                tally,
                blank: false,
            }
        })
        .collect();
    if pages.is_empty() {
        pages.push(VisitPage {
            code: String::new(),
            name: String::new(),
            recommender: String::new(),
            lead: String::new(),
            seq: String::new(),
            date: String::new(),
            place: String::new(),
            members: (1..=BLANK_MEMBERS).map(|i| MemberLine { index: i, name: String::new(), unit: String::new(), duty: String::new() }).collect(),
            checks: (1..=BLANK_CHECKS)
                .map(|i| CheckLine { index: i, claim: String::new(), finding: "□属实 □部分属实 □不属实".into(), note: String::new() })
                .collect(),
            tally: String::new(),
            blank: true,
        });
    }
    Ok(VisitsView {
        doc_title: format!("{}{VISIT_TITLE}", input.round.name),
        landscape: false,
        title: VISIT_TITLE,
        round_name: input.round.name.clone(),
        pages,
    })
}

/// The 实地考察记录表 as one self-contained HTML document: A4 portrait, one page per visit (by 申报编号, then
/// in order); a round without visits prints one blank form.
pub fn visits_html(input: &ReportInput, records: &PanelRecords) -> Result<String, ReportError> {
    view::render("site_visits.html.tera", &visits_view(input, records)?)
}

/// The 实地考察记录表 as a .docx: one page per visit (a page break between them), as [`visits_html`].
pub fn visits_docx(input: &ReportInput, records: &PanelRecords) -> Result<Vec<u8>, ReportError> {
    let v = visits_view(input, records)?;
    let mut d = Docx::new(Orientation::Portrait);
    for (n, p) in v.pages.iter().enumerate() {
        if n > 0 {
            d.page_break();
        }
        d.title(v.title);
        if !v.round_name.is_empty() {
            d.line(&format!("（{}）", v.round_name));
        }
        d.table(
            &Table::new(&[2, 3, 2, 3])
                .row(vec![Cell::from("申报编号"), Cell::from(&p.code), Cell::from("考察日期"), Cell::from(&p.date)])
                .row(vec![Cell::from("联合体名称"), Cell::span(&p.name, 3)])
                .row(vec![Cell::from("推荐单位"), Cell::from(&p.recommender), Cell::from("牵头单位"), Cell::from(&p.lead)])
                .row(vec![Cell::from("考察地点"), Cell::from(&p.place), Cell::from("考察次数"), Cell::from(&p.seq)]),
        );
        d.heading("一、考察组成员");
        d.table(&Table::new(&[1, 2, 5, 2]).header(["序号", "姓名", "单位", "身份"]).rows(
            p.members.iter().map(|m| vec![Cell::centered(m.index.to_string()), Cell::from(&m.name), Cell::from(&m.unit), Cell::from(&m.duty)]),
        ));
        d.heading("二、核查情况");
        d.table(
            &Table::new(&[1, 5, 2, 5]).header(["序号", "核查内容", "核查结论", "说明"]).rows(
                p.checks.iter().map(|c| {
                    vec![Cell::centered(c.index.to_string()), Cell::from(&c.claim), Cell::centered(c.finding.as_str()), Cell::from(&c.note)]
                }),
            ),
        );
        if !p.tally.is_empty() {
            d.line(&p.tally);
        }
        d.heading("三、考察组成员签字");
        d.table(&Table::new(&[2, 3, 3]).header(["姓名", "签字", "日期"]).rows(
            p.members.iter().map(|m| vec![Cell::from(&m.name), Cell::from(""), Cell::from(if p.date.is_empty() { "" } else { p.date.as_str() })]),
        ));
    }
    d.to_bytes()
}

#[cfg(test)]
mod tests;
