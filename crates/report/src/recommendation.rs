//! The 推荐名单 as the paperwork prints it ([`ListInfo`]: the list confirmed and frozen, or the proposal marked
//! 草稿), and two of its documents, each as print-ready HTML, an .xlsx workbook and a .docx:
//!
//! - the **拟推荐名单** ([`shortlist_html`], [`shortlist_xlsx`], [`shortlist_docx`]): the recommended
//!   applications in rank order, with 推荐单位, 牵头单位 and the final score, no per-expert scores;
//! - the **公示名单** ([`publicity_html`], [`publicity_xlsx`], [`publicity_docx`]): the recommended applications
//!   without any score or rank, in the order the round chose (by rank, or by 推荐单位 then rank), under the
//!   公示 notice paragraph built from the dates and contact the staff typed in ([`publicity_notice`]).
//!
//! Each document is built once as text ([`Doc`]) and written three ways, so the three show the same cells.
//! The third document, the 评审结果汇总表, is `summary.rs`.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Serialize;

use pingshen_core::recommendation::{Proposal, Reason};
use pingshen_core::Ratio;

use crate::docx::{Cell, Docx, Orientation, Table};
use crate::text::{self, display_width};
use crate::{view, ApplicationInfo, ReportError, RoundInfo};

/// The title of the 拟推荐名单.
pub const SHORTLIST_TITLE: &str = "市域产教联合体拟推荐名单";
/// The title of the 公示名单.
pub const PUBLICITY_TITLE: &str = "市域产教联合体拟推荐名单公示";
/// The banner of a list not yet confirmed.
pub const DRAFT_BANNER: &str = "草稿：推荐名单尚未经确认，仅供专家组审议，不作正式材料使用";

/// The reason of an application that could be recommended while no line is set.
pub const UNSET: &str = "待定（未设定推荐名额和分数线）";

/// One application of the list, as it was confirmed (or as proposed, for a draft).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRowInfo {
    /// The rank in the consolidation; `None` for 待补 and disqualified applications.
    pub rank: Option<u32>,
    /// The rank shares a place (并列).
    pub shared: bool,
    pub code: String,
    pub name: String,
    /// 推荐单位
    pub recommender: String,
    pub lead_school: String,
    pub lead_enterprise: String,
    pub final_score: Option<Ratio>,
    pub recommended: bool,
    /// Why not recommended, in words (empty when recommended); 待定 for an undecided tie in a draft.
    pub reason: String,
}

/// The order of the 公示名单.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PublicityOrder {
    #[default]
    Rank,
    /// By 推荐单位 (in the order of their best-ranked application), then rank.
    Recommender,
}

/// The 公示 notice fields the staff typed in; an empty one prints a line to fill in by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicityInfo {
    pub order: PublicityOrder,
    /// 公示期, as printed ("2026年12月4日").
    pub start: String,
    pub end: String,
    /// 联系人
    pub contact: String,
    /// 联系电话
    pub phone: String,
    /// The unit that publishes the notice (e.g. 河南省教育厅).
    pub publisher: String,
}

/// The 推荐名单 as the documents print it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListInfo {
    /// Every application in the ranking's order.
    pub rows: Vec<ListRowInfo>,
    /// Not confirmed: the documents say 草稿 in the title and under it.
    pub draft: bool,
    /// The line in words ("推荐名额 2 名").
    pub line: String,
    /// The panel's decision on a tie at the places line, in words (empty when none).
    pub decision: String,
    /// What changed in the consolidation since the list was confirmed (empty: nothing).
    pub changes: Vec<String>,
    /// The 组长's name; `None` prints a blank line.
    pub leader: Option<String>,
    pub publicity: PublicityInfo,
}

impl ListInfo {
    /// A draft list from a proposal (the CLI, and the desktop before confirmation): each row described by
    /// `applications` (a missing description prints the code as the name).
    /// With no line set (neither places nor a minimum score) nothing is recommended yet: every application that
    /// could be reads 待定.
    pub fn from_proposal(p: &Proposal, applications: &[ApplicationInfo]) -> ListInfo {
        let unset = p.line.places.is_none() && p.line.min_score.is_none();
        let rows = p
            .entries
            .iter()
            .map(|e| {
                let info = applications.iter().find(|a| a.code == e.code).cloned().unwrap_or_default();
                let shared = p.entries.iter().any(|o| o.code != e.code && o.rank.is_some() && o.rank == e.rank);
                ListRowInfo {
                    rank: e.rank,
                    shared,
                    code: e.code.clone(),
                    name: if info.name.is_empty() { e.code.clone() } else { info.name },
                    recommender: info.recommender,
                    lead_school: info.lead_school,
                    lead_enterprise: info.lead_enterprise,
                    final_score: e.final_score,
                    recommended: e.proposed && !unset,
                    reason: match e.reason {
                        Some(r) => reason_zh(r),
                        None if unset => UNSET.to_string(),
                        None => String::new(),
                    },
                }
            })
            .collect();
        ListInfo { rows, draft: true, line: p.line.describe_zh(), ..ListInfo::default() }
    }

    fn recommended(&self) -> impl Iterator<Item = &ListRowInfo> {
        self.rows.iter().filter(|r| r.recommended)
    }

    /// 是否推荐 as printed for `code`: 是, 否, or 待定 (an undecided tie in a draft).
    pub fn verdict(&self, code: &str) -> String {
        match self.rows.iter().find(|r| r.code == code) {
            Some(r) if r.recommended => "是".into(),
            Some(r) if r.reason == reason_zh(Reason::TieUndecided) || r.reason == UNSET => "待定".into(),
            _ => "否".into(),
        }
    }

    pub(crate) fn title(&self, title: &str) -> String {
        if self.draft {
            format!("{title}（草稿）")
        } else {
            title.to_string()
        }
    }
}

/// A reason as the paperwork words it.
pub fn reason_zh(r: Reason) -> String {
    match r {
        Reason::Pending => "待补（评分表未交齐）".into(),
        Reason::Disqualified => "否定性指标认定成立".into(),
        Reason::BelowMinimum => "低于最低分数线".into(),
        Reason::OutsidePlaces => "名额外".into(),
        Reason::TieUndecided => "同分待专家组决定".into(),
    }
}

/// A list document as text: what the HTML, the workbook and the .docx all print.
#[derive(Serialize)]
pub(crate) struct Doc {
    doc_title: String,
    title: String,
    landscape: bool,
    round_name: String,
    draft: Option<&'static str>,
    /// Paragraphs before the table (the 公示 notice).
    intro: Vec<String>,
    header: Vec<String>,
    /// Relative column widths (docx) — also the index of the left-aligned text columns.
    widths: Vec<u32>,
    /// Columns whose text is left-aligned (names); the others are centred.
    left: Vec<usize>,
    rows: Vec<Vec<String>>,
    /// Lines under the table.
    notes: Vec<String>,
    /// Right-aligned closing lines (publishing unit, date).
    closing: Vec<String>,
}

fn lead(r: &ListRowInfo) -> String {
    [r.lead_school.as_str(), r.lead_enterprise.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n")
}

fn draft(list: &ListInfo) -> Option<&'static str> {
    list.draft.then_some(DRAFT_BANNER)
}

fn list_notes(list: &ListInfo) -> Vec<String> {
    let mut notes = Vec::new();
    if !list.decision.is_empty() {
        notes.push(format!("同分情况由专家组决定：{}。", list.decision.trim_end_matches('。')));
    }
    if !list.changes.is_empty() {
        notes.push(format!("名单确认后评分结果有变化（{}），本名单按确认时的结果打印，请核实。", list.changes.join("；")));
    }
    notes
}

fn shortlist(round: &RoundInfo, list: &ListInfo) -> Doc {
    let rows: Vec<Vec<String>> = list
        .recommended()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.code.clone(),
                r.name.clone(),
                r.recommender.clone(),
                lead(r),
                r.final_score.map(text::score).unwrap_or_default(),
            ]
        })
        .collect();
    let mut notes = vec![format!("按评审结果排序，共 {} 项（{}）；不含专家个人评分，各专家评分见评审结果汇总表。", rows.len(), list.line)];
    notes.extend(list_notes(list));
    Doc {
        doc_title: doc_title(&list.title(SHORTLIST_TITLE), round),
        title: list.title(SHORTLIST_TITLE),
        landscape: false,
        round_name: round.name.clone(),
        draft: draft(list),
        intro: vec![],
        header: ["序号", "申报编号", "市域产教联合体名称", "推荐单位", "牵头单位（学校／企业）", "最终得分"].map(String::from).to_vec(),
        widths: vec![2, 3, 9, 5, 8, 3],
        left: vec![2, 3, 4],
        rows,
        notes,
        closing: vec![blank(&round.recommender), blank(&round.date)],
    }
}

/// The 公示 notice paragraph, on the model of provincial 公示 notices.
pub fn publicity_notice(round: &RoundInfo, list: &ListInfo) -> Vec<String> {
    let p = &list.publicity;
    let what = if round.name.is_empty() { "市域产教联合体评审".to_string() } else { round.name.clone() };
    let n = list.recommended().count();
    vec![
        format!(
            "根据{what}工作安排，经形式审查、专家评审{}，现将拟推荐的 {n} 个市域产教联合体名单予以公示，公示期为{}至{}。",
            if list.decision.is_empty() { "" } else { "和专家组集体研究" },
            fill(&p.start),
            fill(&p.end)
        ),
        format!(
            "公示期间，如对公示名单有异议，请以书面形式实名向{}反映，并提供必要的证明材料。单位提出异议的，须加盖单位公章；个人提出异议的，须签署真实姓名并注明联系方式。逾期或匿名异议不予受理。",
            fill(&p.publisher)
        ),
        format!("联系人：{}，电话：{}。", fill(&p.contact), fill(&p.phone)),
    ]
}

fn publicity(round: &RoundInfo, list: &ListInfo) -> Doc {
    let mut chosen: Vec<&ListRowInfo> = list.recommended().collect();
    if list.publicity.order == PublicityOrder::Recommender {
        // By 推荐单位 in the order of their best-ranked application, then rank (a stable sort keeps rank order).
        let first: Vec<&str> = {
            let mut seen = Vec::new();
            for r in &chosen {
                if !seen.contains(&r.recommender.as_str()) {
                    seen.push(r.recommender.as_str());
                }
            }
            seen
        };
        chosen.sort_by_key(|r| first.iter().position(|u| *u == r.recommender));
    }
    let rows = chosen
        .iter()
        .enumerate()
        .map(|(i, r)| vec![(i + 1).to_string(), r.name.clone(), r.lead_school.clone(), r.lead_enterprise.clone(), r.recommender.clone()])
        .collect();
    let order = match list.publicity.order {
        PublicityOrder::Rank => "名单按评审结果排序。",
        PublicityOrder::Recommender => "名单按推荐单位排列，同一推荐单位内按评审结果排序。",
    };
    let mut notes = vec![order.to_string()];
    if list.draft {
        notes.extend(list_notes(list));
    }
    Doc {
        doc_title: doc_title(&list.title(PUBLICITY_TITLE), round),
        title: list.title(PUBLICITY_TITLE),
        landscape: false,
        round_name: String::new(),
        draft: draft(list),
        intro: publicity_notice(round, list),
        header: ["序号", "市域产教联合体名称", "牵头学校", "牵头企业", "推荐单位"].map(String::from).to_vec(),
        widths: vec![2, 9, 6, 6, 5],
        left: vec![1, 2, 3, 4],
        rows,
        notes,
        closing: vec![blank(&list.publicity.publisher), blank(&round.date)],
    }
}

fn doc_title(title: &str, round: &RoundInfo) -> String {
    if round.name.is_empty() {
        title.to_string()
    } else {
        format!("{title}（{}）", round.name)
    }
}

/// A value, or a line to fill in by hand.
fn fill(v: &str) -> String {
    if v.trim().is_empty() {
        "______".to_string()
    } else {
        v.trim().to_string()
    }
}

fn blank(v: &str) -> String {
    if v.trim().is_empty() {
        "________________".to_string()
    } else {
        v.trim().to_string()
    }
}

/// The 拟推荐名单 as one self-contained HTML page (A4 portrait).
pub fn shortlist_html(round: &RoundInfo, list: &ListInfo) -> Result<String, ReportError> {
    view::render("list.html.tera", &shortlist(round, list))
}

/// The 拟推荐名单 as an .xlsx workbook (one sheet, 拟推荐名单).
pub fn shortlist_xlsx(round: &RoundInfo, list: &ListInfo) -> Result<Vec<u8>, ReportError> {
    write_xlsx(&shortlist(round, list), "拟推荐名单").map_err(|e| ReportError::Xlsx(e.to_string()))
}

/// The 拟推荐名单 as a .docx (A4 portrait).
pub fn shortlist_docx(round: &RoundInfo, list: &ListInfo) -> Result<Vec<u8>, ReportError> {
    write_docx(&shortlist(round, list))
}

/// The 公示名单 as one self-contained HTML page (A4 portrait).
pub fn publicity_html(round: &RoundInfo, list: &ListInfo) -> Result<String, ReportError> {
    view::render("list.html.tera", &publicity(round, list))
}

/// The 公示名单 as an .xlsx workbook (one sheet, 公示名单).
pub fn publicity_xlsx(round: &RoundInfo, list: &ListInfo) -> Result<Vec<u8>, ReportError> {
    write_xlsx(&publicity(round, list), "公示名单").map_err(|e| ReportError::Xlsx(e.to_string()))
}

/// The 公示名单 as a .docx (A4 portrait).
pub fn publicity_docx(round: &RoundInfo, list: &ListInfo) -> Result<Vec<u8>, ReportError> {
    write_docx(&publicity(round, list))
}

fn write_docx(d: &Doc) -> Result<Vec<u8>, ReportError> {
    let mut x = Docx::new(if d.landscape { Orientation::Landscape } else { Orientation::Portrait });
    x.title(&d.title);
    if !d.round_name.is_empty() {
        x.line(&format!("（{}）", d.round_name));
    }
    if let Some(b) = d.draft {
        x.line(b);
    }
    for p in &d.intro {
        x.paragraph(p);
    }
    let mut t = Table::new(&d.widths).header(d.header.iter().map(String::as_str));
    for r in &d.rows {
        t = t.row(r.iter().enumerate().map(|(i, v)| if d.left.contains(&i) { Cell::from(v) } else { Cell::centered(v.as_str()) }).collect());
    }
    if d.rows.is_empty() {
        t = t.row(vec![Cell::span("（无）", d.header.len() as u32)]);
    }
    x.table(&t);
    for n in &d.notes {
        x.line(&format!("注：{n}"));
    }
    for c in &d.closing {
        x.right(c);
    }
    x.to_bytes()
}

fn write_xlsx(d: &Doc, sheet_name: &str) -> Result<Vec<u8>, XlsxError> {
    let ncols = d.header.len() as u16;
    let last = ncols - 1;
    let font = "宋体";
    let title_f =
        Format::new().set_font_name(font).set_bold().set_font_size(16).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let plain = Format::new().set_font_name(font).set_align(FormatAlign::VerticalCenter);
    let centered = plain.clone().set_align(FormatAlign::Center);
    let right = plain.clone().set_align(FormatAlign::Right);
    let wrap = plain.clone().set_text_wrap().set_align(FormatAlign::Top);
    let cell = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let cell_c = cell.clone().set_align(FormatAlign::Center);
    let head = cell_c.clone().set_bold();

    let mut book = Workbook::new();
    let properties = DocProperties::new().set_title(d.doc_title.as_str()).set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1)?);
    book.set_properties(&properties);
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let mut widths: Vec<usize> = d.header.iter().map(|h| display_width(h)).collect();
    for r in &d.rows {
        for (i, v) in r.iter().enumerate() {
            widths[i] = widths[i].max(v.lines().map(display_width).max().unwrap_or(0));
        }
    }
    let widths: Vec<f64> = widths.iter().map(|w| (*w).clamp(6, 40) as f64 + 2.0).collect();
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(i as u16, *w)?;
    }
    let total: f64 = widths.iter().sum();
    let height = |t: &str| 15.0 * t.lines().map(|l| ((display_width(l) as f64) / (total - 1.0)).ceil().max(1.0)).sum::<f64>().max(1.0);

    let mut row = 0u32;
    sheet.merge_range(row, 0, row, last, &d.title, &title_f)?;
    sheet.set_row_height(row, 28)?;
    row += 1;
    if !d.round_name.is_empty() {
        sheet.merge_range(row, 0, row, last, &format!("（{}）", d.round_name), &centered)?;
        row += 1;
    }
    if let Some(b) = d.draft {
        sheet.merge_range(row, 0, row, last, b, &centered)?;
        row += 1;
    }
    for p in &d.intro {
        let text = format!("    {p}");
        sheet.merge_range(row, 0, row, last, &text, &wrap)?;
        sheet.set_row_height(row, height(&text))?;
        row += 1;
    }
    let header_row = row;
    for (i, h) in d.header.iter().enumerate() {
        sheet.write_string_with_format(row, i as u16, h, &head)?;
    }
    row += 1;
    for r in &d.rows {
        for (i, v) in r.iter().enumerate() {
            sheet.write_string_with_format(row, i as u16, v, if d.left.contains(&i) { &cell } else { &cell_c })?;
        }
        let n = r.iter().map(|v| v.lines().count()).max().unwrap_or(1);
        if n > 1 {
            sheet.set_row_height(row, 15.0 * n as f64)?;
        }
        row += 1;
    }
    row += 1;
    for n in &d.notes {
        let text = format!("注：{n}");
        sheet.merge_range(row, 0, row, last, &text, &wrap)?;
        sheet.set_row_height(row, height(&text))?;
        row += 1;
    }
    for c in &d.closing {
        sheet.merge_range(row, 0, row, last, c, &right)?;
        row += 1;
    }
    sheet.set_paper_size(9).set_print_fit_to_pages(1, 0).set_print_center_horizontally(true);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_footer("&C第 &P 页 共 &N 页");
    book.save_to_buffer()
}
