//! The 评审结果汇总表: the province's result table of a round, built once ([`Summary`]) and written three times,
//! as print-ready HTML, as an .xlsx workbook and as a .docx, so that all show exactly the same cell texts.
//!
//! Layout: the title (草稿 while the 推荐名单 is not confirmed); then 排名 | 申报编号 | 市域产教联合体名称 | 推荐单位 |
//! 牵头单位（学校／企业） | one column per expert (their total, 回避 or 未交) | 专家组评分 | 扣分 | 最终得分 | 是否推荐.
//! Ranked applications come first in rank order (排名 shares ranks: 1, 2, 2（并列）, 4); disqualified ones (an
//! upheld 否定性指标) follow with their scores for the record and 取消资格 as 排名; incomplete ones come last,
//! their three result cells merged into one that says 待补 and whose sheet is missing. 是否推荐 is the 推荐名单's
//! ([`ListInfo`]). Under the table: the line (名额, 最低分数线) and the panel's tie decision, notes on ties,
//! panel resolutions and upheld 否定性指标, the method sentence, the rubric and its 校验码, Kendall's W, and the
//! signature lines of every expert, the 组长 and the 监督人员.
//!
//! It replaces the table that was titled as attachment 3 of 教办职成〔2023〕258号 (attachment 3 is the form each
//! city's bureau stamps for its own nominations, not the province's result).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use pingshen_core::consolidation::{ApplicationResult, Consolidation, Status, TieBreak};
use pingshen_core::rubric::fingerprint;

use crate::docx::{Cell as DocCell, Docx, Orientation, Table};
use crate::recommendation::ListInfo;
use crate::text::{self, display_width};
use crate::{view, ReportError, ReportInput};

/// The document's title.
pub const SUMMARY_TITLE: &str = "市域产教联合体评审结果汇总表";
/// The worksheet of [`summary_xlsx`].
pub const SUMMARY_SHEET: &str = "评审结果汇总表";

/// Column titles before the expert columns (the lead units column prints school above enterprise).
const HEAD_BEFORE: [&str; 5] = ["排名", "申报编号", "市域产教联合体名称", "推荐单位", "牵头单位（学校／企业）"];
/// Column titles after the expert columns.
const HEAD_AFTER: [&str; 4] = ["专家组评分", "扣分", "最终得分", "是否推荐"];
/// Expert signatures per printed line.
const SIGNERS_PER_LINE: usize = 4;

/// The whole 汇总表 as text, shared by the HTML and the workbook.
#[derive(Serialize)]
struct Summary {
    doc_title: String,
    title: String,
    landscape: bool,
    round_name: String,
    date: String,
    draft: Option<&'static str>,
    experts: Vec<ExpertColumn>,
    rows: Vec<Row>,
    /// Lines under the table: ties, panel resolutions, what 回避/未交 mean.
    notes: Vec<String>,
    method: String,
    rubric_title: String,
    rubric_fingerprint: String,
    /// Kendall's W as printed, with how many experts it is over.
    w_line: String,
    /// The experts' names, [`SIGNERS_PER_LINE`] to a line.
    expert_signers: Vec<Vec<String>>,
    /// The 组长's name, empty for a blank line.
    leader: String,
}

#[derive(Serialize)]
struct ExpertColumn {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct Row {
    /// 排名: 1, 2（并列） …; 取消资格 or 待补 without a rank.
    rank: String,
    code: String,
    name: String,
    recommender: String,
    lead_school: String,
    lead_enterprise: String,
    /// One per expert column: a total with 2 decimals, 回避 or 未交.
    cells: Vec<String>,
    panel: String,
    deduction: String,
    final_score: String,
    /// 是否推荐: 是, 否, or 待定 (a draft's undecided tie).
    verdict: String,
    /// For an incomplete application: the text of the merged result cell ("待补：缺 E05 王五 的评分表").
    pending: Option<String>,
}

impl Row {
    /// The lead units as one cell: school above enterprise.
    fn lead(&self) -> String {
        [self.lead_school.as_str(), self.lead_enterprise.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n")
    }

    /// Every cell of the row in column order, the result cells included (empty for a pending row).
    fn cells(&self) -> Vec<String> {
        let mut v = vec![self.rank.clone(), self.code.clone(), self.name.clone(), self.recommender.clone(), self.lead()];
        v.extend(self.cells.iter().cloned());
        v.extend([self.panel.clone(), self.deduction.clone(), self.final_score.clone(), self.verdict.clone()]);
        v
    }
}

fn build(input: &ReportInput, list: &ListInfo) -> Result<Summary, ReportError> {
    input.check()?;
    let c = input.consolidation;
    let round = input.round;
    let experts: Vec<ExpertColumn> =
        c.experts.iter().map(|e| ExpertColumn { code: e.expert.clone(), name: input.expert(&e.expert).name.clone() }).collect();
    let name_of = |code: &str| input.expert(code).name.clone();

    let mut rows = Vec::new();
    for a in &c.applications {
        let info = input.application(&a.code);
        // A disqualified application shows its scores (when every sheet is in) for the record, no rank.
        let results = a.status == Status::Complete || a.status == Status::Disqualified;
        rows.push(Row {
            rank: text::rank(a),
            code: a.code.clone(),
            name: info.name.clone(),
            recommender: info.recommender.clone(),
            lead_school: info.lead_school.clone(),
            lead_enterprise: info.lead_enterprise.clone(),
            cells: c.experts.iter().map(|e| text::expert_cell(a, &e.expert)).collect(),
            panel: if results { text::opt_score(a.panel_score) } else { String::new() },
            deduction: if results { text::opt_score(a.deduction) } else { String::new() },
            final_score: if results { text::opt_score(a.final_score) } else { String::new() },
            verdict: list.verdict(&a.code),
            pending: (!results).then(|| text::pending_reason(a, name_of)),
        });
    }
    let mut notes = list_lines(list);
    notes.extend(notes_of(input));

    let title = list.title(SUMMARY_TITLE);
    Ok(Summary {
        doc_title: if round.name.is_empty() { title.clone() } else { format!("{title}（{}）", round.name) },
        title,
        landscape: true,
        round_name: round.name.clone(),
        date: round.date.clone(),
        draft: list.draft.then_some(crate::recommendation::DRAFT_BANNER),
        expert_signers: experts.chunks(SIGNERS_PER_LINE).map(|c| c.iter().map(|e| e.name.clone()).collect()).collect(),
        leader: list.leader.clone().unwrap_or_default(),
        experts,
        rows,
        notes,
        method: input.settings.method_zh(&input.rubric.vetoes),
        rubric_title: round.rubric_title.clone(),
        rubric_fingerprint: fingerprint(&round.rubric_hash.to_lowercase()),
        w_line: w_line(c),
    })
}

/// The lines on the 推荐名单 itself: the line, the tie decision, changes since confirmation.
fn list_lines(list: &ListInfo) -> Vec<String> {
    let mut v = Vec::new();
    let n = list.rows.iter().filter(|r| r.recommended).count();
    if list.rows.iter().any(|r| r.reason == crate::recommendation::UNSET) {
        v.push("尚未设定推荐名额和最低分数线，推荐名单尚未拟定。".to_string());
    } else {
        v.push(format!("{}；{}推荐 {n} 项。", list.line, if list.draft { "拟" } else { "确定" }));
    }
    if !list.decision.is_empty() {
        v.push(format!("同分情况由专家组决定：{}。", list.decision.trim_end_matches('。')));
    }
    if !list.changes.is_empty() {
        v.push(format!("推荐名单确认后评分结果有变化（{}），“是否推荐”按确认时的名单打印，请核实。", list.changes.join("；")));
    }
    v
}

/// The notes under the table: how equal final scores were ordered, which deductions a panel resolution set,
/// and what 回避 / 未交 mean when they appear.
fn notes_of(input: &ReportInput) -> Vec<String> {
    let c = input.consolidation;
    let groups = text::tiebreak_groups(input.settings);
    let mut notes = Vec::new();
    let ranked: Vec<&ApplicationResult> = c.applications.iter().filter(|a| a.rank.is_some()).collect();
    // Ranked applications are sorted by final score, so equal scores are adjacent.
    let mut i = 0;
    while i < ranked.len() {
        let j = i + ranked[i..].iter().take_while(|a| a.final_score == ranked[i].final_score).count();
        if j - i > 1 {
            let same = &ranked[i..j];
            let codes: Vec<&str> = same.iter().map(|a| a.code.as_str()).collect();
            let fin = text::opt_score(same[0].final_score);
            let how = if same.iter().all(|a| a.tie == Some(TieBreak::Shared)) {
                format!("第{}项一级指标的专家组评分及扣分也相同，并列第 {} 名", groups, same[0].rank.unwrap_or_default())
            } else {
                format!("依次按第{groups}项一级指标的专家组评分高者在前、扣分少者在前排序，仍相同者并列")
            };
            notes.push(format!("{} 最终得分同为 {fin}，{how}。", codes.join("、")));
        }
        i = j;
    }
    for a in c.applications.iter().filter(|a| a.deduction_resolved) {
        let votes = input
            .panel
            .resolutions
            .iter()
            .find(|r| r.application == a.code)
            .map(|r| format!("（同意 {} 票、反对 {} 票）", r.votes_for, r.votes_against))
            .unwrap_or_default();
        notes.push(format!("{} 的扣分 {} 分依评审组决议{votes}。", a.code, text::opt_score(a.deduction)));
    }
    for a in &c.applications {
        if let Some(outcome) = text::veto_outcome(a) {
            notes.push(format!("{} {outcome}。", a.code));
        }
    }
    let has = |s: &str| c.applications.iter().any(|a| c.experts.iter().any(|e| text::expert_cell(a, &e.expert) == s));
    if has(text::RECUSED) {
        notes.push(format!("“{}”表示该专家依规回避该申报，不参与其评分，不计为0分。", text::RECUSED));
    }
    if has(text::MISSING) || c.applications.iter().any(|a| a.status == Status::Incomplete) {
        notes.push(format!("“{}”表示该专家尚未提交评分表；有专家未交的申报为“{}”，不计算得分、不参与排序。", text::MISSING, text::PENDING));
    }
    notes
}

/// The 评审结果汇总表 as one self-contained HTML page (A4 landscape: one column per expert needs the width).
pub fn summary_html(input: &ReportInput, list: &ListInfo) -> Result<String, ReportError> {
    view::render("summary.html.tera", &build(input, list)?)
}

/// The 评审结果汇总表 as a .docx (A4 landscape), with the same cells as the HTML.
pub fn summary_docx(input: &ReportInput, list: &ListInfo) -> Result<Vec<u8>, ReportError> {
    let s = build(input, list)?;
    let mut d = Docx::new(Orientation::Landscape);
    d.title(&s.title);
    if !s.round_name.is_empty() {
        d.line(&format!("（{}）", s.round_name));
    }
    if let Some(b) = s.draft {
        d.line(b);
    }
    let mut header: Vec<String> = HEAD_BEFORE.iter().map(|h| h.to_string()).collect();
    header.extend(s.experts.iter().map(|e| text::who(&e.code, &e.name)));
    header.extend(HEAD_AFTER.iter().map(|h| h.to_string()));
    let mut widths: Vec<u32> = vec![3, 3, 8, 5, 7];
    widths.extend(s.experts.iter().map(|_| 3));
    widths.extend([3, 2, 3, 2]);
    let mut t = Table::new(&widths).header(header.iter().map(String::as_str));
    let first_result = HEAD_BEFORE.len() + s.experts.len();
    for r in &s.rows {
        let cells = r.cells();
        let mut row: Vec<DocCell> = Vec::new();
        for (i, v) in cells.iter().enumerate() {
            if r.pending.is_some() && i >= first_result && i < first_result + 3 {
                if i == first_result {
                    row.push(DocCell::span(r.pending.clone().unwrap_or_default(), 3));
                }
                continue;
            }
            row.push(if (2..=4).contains(&i) { DocCell::from(v) } else { DocCell::centered(v.as_str()) });
        }
        t = t.row(row);
    }
    d.table(&t);
    for n in &s.notes {
        d.line(&format!("注：{n}"));
    }
    d.line(&format!("计分方法：{}", s.method));
    d.line(&format!("评分标准：{}（校验码 {}）", s.rubric_title, s.rubric_fingerprint));
    d.line(&format!("专家评分一致性（肯德尔和谐系数 W）：{}", s.w_line));
    for line in signature_lines(&s) {
        d.line(&line);
    }
    d.to_bytes()
}

/// The signature lines as text (the workbook and the .docx): the experts four to a line, the 组长, the
/// 监督人员 and the date.
fn signature_lines(s: &Summary) -> Vec<String> {
    let mut v = Vec::new();
    for (i, chunk) in s.expert_signers.iter().enumerate() {
        let names: Vec<String> = chunk.iter().map(|n| format!("{n} ____________")).collect();
        v.push(format!("{}{}", if i == 0 { "评审专家（签字）：" } else { "　　　　　　　　　" }, names.join("    ")));
    }
    let leader = if s.leader.is_empty() { "________".to_string() } else { s.leader.clone() };
    v.push(format!("专家组组长（签字）：{leader} ____________"));
    v.push("监督人员（签字）：____________    ____________".to_string());
    v.push("日期：______年____月____日".to_string());
    v
}

/// The 汇总表 as an .xlsx workbook with one sheet, 汇总表: the title merged over the table, the header bold
/// and frozen, every value as text exactly as the HTML shows it, then the notes, method, rubric, Kendall's W
/// and signature lines. Printing is set up too (A4 landscape, one page wide, header row repeated, page
/// numbers in the footer).
pub fn summary_xlsx(input: &ReportInput, list: &ListInfo) -> Result<Vec<u8>, ReportError> {
    let s = build(input, list)?;
    write_xlsx(&s).map_err(|e| ReportError::Xlsx(e.to_string()))
}

/// Default row height in points (Excel's, for 11 pt text).
const LINE_HEIGHT: f64 = 15.0;

fn write_xlsx(s: &Summary) -> Result<Vec<u8>, XlsxError> {
    let mut header: Vec<String> = HEAD_BEFORE.iter().map(|h| h.to_string()).collect();
    header.extend(s.experts.iter().map(|e| text::who(&e.code, &e.name)));
    header.extend(HEAD_AFTER.iter().map(|h| h.to_string()));
    let ncols = header.len() as u16;
    let last = ncols - 1;
    let first_result = (HEAD_BEFORE.len() + s.experts.len()) as u16;

    let font = "宋体";
    let title_f =
        Format::new().set_font_name(font).set_bold().set_font_size(16).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let plain = Format::new().set_font_name(font).set_align(FormatAlign::VerticalCenter);
    let centered = plain.clone().set_align(FormatAlign::Center);
    let cell = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let cell_c = cell.clone().set_align(FormatAlign::Center);
    let head = cell_c.clone().set_bold();
    let wrap = plain.clone().set_text_wrap().set_align(FormatAlign::Top);

    let mut book = Workbook::new();
    // No clock: a fixed creation time (the zip epoch, as reproducible builds use) makes the same round give
    // the same bytes; the round's own date is printed in the sheet.
    let properties = DocProperties::new()
        .set_title(s.doc_title.as_str())
        .set_subject(s.round_name.as_str())
        .set_comment(format!("评分标准：{}（校验码 {}）", s.rubric_title, s.rubric_fingerprint))
        .set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1)?);
    book.set_properties(&properties);
    let sheet = book.add_worksheet();
    sheet.set_name(SUMMARY_SHEET)?;

    // Column widths: about two units per Chinese character of the widest cell (title lines excluded).
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for r in &s.rows {
        for (i, v) in r.cells().iter().enumerate() {
            widths[i] = widths[i].max(display_width(v));
        }
    }
    // Headers wrap; the name column may wrap too. Keep every column between 6 and 40 units (+2 padding).
    let widths: Vec<f64> = widths.iter().map(|w| (*w).clamp(6, 40) as f64 + 2.0).collect();
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(i as u16, *w)?;
    }
    let total_width: f64 = widths.iter().sum();

    // Title, round, draft banner, date.
    let mut row = 0u32;
    sheet.merge_range(row, 0, row, last, &s.title, &title_f)?;
    sheet.set_row_height(row, 28)?;
    row += 1;
    if !s.round_name.is_empty() {
        sheet.merge_range(row, 0, row, last, &format!("（{}）", s.round_name), &centered)?;
        row += 1;
    }
    if let Some(b) = s.draft {
        sheet.merge_range(row, 0, row, last, b, &centered)?;
        row += 1;
    }
    let date = if s.date.is_empty() { "______年____月____日".to_string() } else { s.date.clone() };
    sheet.merge_range(row, 0, row, last, &format!("日期：{date}"), &plain.clone().set_align(FormatAlign::Right))?;
    row += 1;

    // The table.
    let header_row = row;
    for (i, h) in header.iter().enumerate() {
        sheet.write_string_with_format(row, i as u16, h, &head)?;
    }
    let head_lines = header.iter().zip(&widths).map(|(h, w)| lines(h, *w)).max().unwrap_or(1);
    sheet.set_row_height(row, LINE_HEIGHT * head_lines as f64)?;
    row += 1;
    for r in &s.rows {
        let cells = r.cells();
        for (i, v) in cells.iter().enumerate() {
            let i = i as u16;
            if r.pending.is_some() && i >= first_result && i < last {
                continue;
            }
            let f = if (2..=4).contains(&i) { &cell } else { &cell_c };
            sheet.write_string_with_format(row, i, v, f)?;
        }
        if let Some(p) = &r.pending {
            sheet.merge_range(row, first_result, row, last - 1, p, &cell)?;
            sheet.write_string_with_format(row, last, &r.verdict, &cell_c)?;
        }
        let n = cells.iter().zip(&widths).map(|(v, w)| lines(v, *w)).max().unwrap_or(1);
        if n > 1 {
            sheet.set_row_height(row, LINE_HEIGHT * n as f64)?;
        }
        row += 1;
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;

    // Under the table: one merged, wrapped line per paragraph, tall enough for its text.
    row += 1;
    let paragraph = |sheet: &mut Worksheet, row: &mut u32, text: &str| -> Result<(), XlsxError> {
        sheet.merge_range(*row, 0, *row, last, text, &wrap)?;
        sheet.set_row_height(*row, LINE_HEIGHT * lines(text, total_width) as f64)?;
        *row += 1;
        Ok(())
    };
    for n in &s.notes {
        paragraph(sheet, &mut row, &format!("注：{n}"))?;
    }
    paragraph(sheet, &mut row, &format!("计分方法：{}", s.method))?;
    paragraph(sheet, &mut row, &format!("评分标准：{}（校验码 {}）", s.rubric_title, s.rubric_fingerprint))?;
    paragraph(sheet, &mut row, &format!("专家评分一致性（肯德尔和谐系数 W）：{}", s.w_line))?;
    row += 1;
    for line in signature_lines(s) {
        sheet.merge_range(row, 0, row, last, &line, &plain)?;
        sheet.set_row_height(row, 24)?;
        row += 1;
    }

    // Printing: A4 landscape, one page wide, header row on every page, page numbers.
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0).set_print_center_horizontally(true);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_footer("&C第 &P 页 共 &N 页");
    book.save_to_buffer()
}

/// Kendall's W with how many experts it is over, as printed.
pub(crate) fn w_line(c: &Consolidation) -> String {
    match c.kendall_w {
        Some(_) => format!("{}（按评完全部已排序申报的 {} 名专家计算）", text::kendall(c.kendall_w), c.w_experts.len()),
        None => text::kendall(None),
    }
}

/// How many lines `text` takes in a column of `width` units (at least one per line break).
fn lines(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.lines().map(|l| ((display_width(l) as f64) / usable).ceil().max(1.0) as usize).sum::<usize>().max(1)
}
