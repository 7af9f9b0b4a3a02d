//! Score spreadsheets: scores typed in from paper, read into a [`PanelInput`]; and the blank template.
//!
//! # The format
//!
//! One template, as `.xlsx` (first worksheet) or as UTF-8 CSV (with or without BOM). The first non-empty row
//! is the header, exactly
//!
//! ```text
//! 专家编号,专家姓名,申报编号,观测点,得分,说明
//! ```
//!
//! then one row per expert × application × observation point:
//!
//! - `观测点` is a rubric item code (`1.1` … `6.3`) and `得分` its score (0…the item's maximum, on the
//!   rubric's step). Every item of the rubric must have its row: a sheet with some items but not all is an
//!   error.
//! - The deduction (group 7 in the Henan rubric) is one row whose `观测点` is the rubric's deduction code, with
//!   the amount taken off as a positive number in `得分` and the reason in `说明`. No row (or a row with an
//!   empty `得分`) means no deduction.
//! - `得分` = `回避` marks the expert recused from that application. One such row per expert × application is
//!   enough; its `观测点` may be empty or any code of the rubric. A 回避 may not be mixed with scores.
//! - An expert × application with no rows at all, or only rows whose `得分` is empty (the untouched rows of
//!   the template), has no sheet: the application is 待补 for that expert.
//! - `专家姓名` is required; one 专家编号 has one name throughout the file.
//! - Two optional columns may follow `说明` (both or neither; the template has both): `推荐意见` (`推荐` or
//!   `不推荐`) and `综合意见` (free text). They belong to the expert × application's sheet, not to a row: each
//!   may be given on any row of that expert × application (usually the first), and where it is given on
//!   several rows the texts must be the same. A 回避, or an expert × application without scores, may not
//!   have them.
//!
//! Cells are trimmed. Fully empty rows (blank lines in a CSV) are ignored anywhere. Rows are numbered as
//! Excel/WPS shows them: the header is row 1 and the first data row row 2; in a CSV a quoted field may hold
//! a newline and still be one row. In an `.xlsx`, a number cell arrives from calamine as a float: it becomes
//! text with Rust's shortest round-trip formatting (`4.5` → `"4.5"`, `3.0` → `"3"`) and is then parsed
//! exactly by [`Tenths::parse`]; no arithmetic is ever done on the float. (So an item code typed as the
//! number `2.10` would read as `2.1`; the template formats the code columns as text to avoid that.)
//!
//! A CSV that is not valid UTF-8 (WPS on Chinese Windows may save GBK) is refused with one message asking
//! for "CSV UTF-8"; encodings are never guessed.
//!
//! # Errors
//!
//! Every problem is collected (never only the first), each naming the file, the row and what is wrong in
//! Chinese; when there is any, nothing is imported. Score values are checked by
//! [`pingshen_core::sheet::check_score`] and [`check_deduction`], so the rule lives in the core.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use std::collections::BTreeMap;

use pingshen_core::consolidation::{Cell, Entry, PanelInput, Sheet};
use pingshen_core::opinion::Recommendation;
use pingshen_core::rubric::Rubric;
use pingshen_core::sheet::{check_deduction, check_score, ScoreError};
use pingshen_core::Tenths;
use rust_xlsxwriter::{Format, Workbook};

use crate::table::{read_rows, Kind, RawRow, UNSUPPORTED};

/// The header row, column by column.
pub const HEADER: [&str; 6] = ["专家编号", "专家姓名", "申报编号", "观测点", "得分", "说明"];

/// The two optional columns after `说明`: the sheet's 推荐意见 and 综合意见.
pub const OPINION_COLUMNS: [&str; 2] = ["推荐意见", "综合意见"];

/// What `得分` holds for a recused expert.
pub const RECUSED: &str = "回避";

/// The name of the worksheet in the template.
pub const TEMPLATE_SHEET: &str = "评分";

// Column indices, in HEADER order.
const COL_EXPERT: usize = 0;
const COL_NAME: usize = 1;
const COL_APPLICATION: usize = 2;
const COL_POINT: usize = 3;
const COL_SCORE: usize = 4;
const COL_NOTE: usize = 5;
const COL_RECOMMENDATION: usize = 6;
const COL_OPINION: usize = 7;

/// One problem in a score file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreFileError {
    /// The file, as the user named it.
    pub file: String,
    /// The row as Excel/WPS numbers it (header = 1), when the problem is on one row.
    pub row: Option<usize>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for ScoreFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "{} 第 {row} 行：{}", self.file, self.message),
            None => write!(f, "{}：{}", self.file, self.message),
        }
    }
}

impl std::error::Error for ScoreFileError {}

/// A score file read into the consolidation's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreImport {
    /// Experts, applications and one cell per expert × application that has rows; no resolutions.
    pub input: PanelInput,
    /// (专家编号, 专家姓名) in the order the experts first appear in the file.
    pub expert_names: Vec<(String, String)>,
    /// The 推荐意见 and 综合意见 of the sheets that have one (optional columns), by (专家编号, 申报编号).
    pub opinions: BTreeMap<(String, String), (Option<Recommendation>, String)>,
}

/// Reads a score file from memory. The format follows `file_name`'s extension (`.csv` or `.xlsx`, any
/// case); `file_name` also names the file in messages.
///
/// `known_applications` / `known_experts`: `None` accepts whatever codes the file names (the round's
/// experts and applications are then those of the file, in order of first appearance); `Some` refuses any
/// other code, and the lists become the round's experts and applications.
pub fn read_scores(
    file_name: &str,
    bytes: &[u8],
    rubric: &Rubric,
    known_applications: Option<&[String]>,
    known_experts: Option<&[String]>,
) -> Result<ScoreImport, Vec<ScoreFileError>> {
    let rows = read_rows(file_name, bytes).map_err(|e| vec![ScoreFileError { file: file_name.to_string(), row: e.row, message: e.message }])?;
    import_rows(file_name, &rows, rubric, known_applications, known_experts)
}

/// Reads a score file from disk (`.csv` or `.xlsx`, any case). Messages name the file by its file name.
pub fn read_scores_file(
    path: &Path,
    rubric: &Rubric,
    known_applications: Option<&[String]>,
    known_experts: Option<&[String]>,
) -> Result<ScoreImport, Vec<ScoreFileError>> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    // Refuse an unsupported extension before reading anything.
    if Kind::of(&name).is_none() {
        return Err(vec![whole_file(&name, UNSUPPORTED)]);
    }
    let bytes = crate::table::read_file(path).map_err(|e| vec![whole_file(&name, e.message)])?;
    read_scores(&name, &bytes, rubric, known_applications, known_experts)
}

/// The blank template for a round: the header (bold, frozen), then one row per expert × application ×
/// item and one deduction row per expert × application (when the rubric has a deduction), with 专家编号,
/// 专家姓名, 申报编号 and 观测点 filled in and 得分, 说明, 推荐意见 and 综合意见 empty. The code columns are formatted as text so
/// that Excel keeps `1.10` or `001` as typed.
///
/// Panics only if the rows exceed a worksheet's 1,048,576 (experts × applications × 26 rows for Henan).
pub fn write_template_xlsx(rubric: &Rubric, experts: &[(String, String)], applications: &[String]) -> Vec<u8> {
    let mut points: Vec<&str> = rubric.items().map(|i| i.code.as_str()).collect();
    if let Some(d) = &rubric.deduction {
        points.push(d.code.as_str());
    }

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(TEMPLATE_SHEET).expect("a valid sheet name");
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");

    // Widths in Excel's character units: a CJK character takes two. Start from the header's width.
    let columns: Vec<&str> = HEADER.iter().chain(OPINION_COLUMNS.iter()).copied().collect();
    let mut widths: Vec<usize> = columns.iter().map(|h| display_width(h)).collect();
    for (col, title) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold).expect("row 1 exists");
    }
    let mut row: u32 = 1;
    for (code, name) in experts {
        for application in applications {
            for point in &points {
                for (col, value) in
                    [(COL_EXPERT, code.as_str()), (COL_NAME, name.as_str()), (COL_APPLICATION, application.as_str()), (COL_POINT, point)]
                {
                    sheet.write_string(row, col as u16, value).expect("the template fits in a worksheet");
                    widths[col] = widths[col].max(display_width(value));
                }
                row += 1;
            }
        }
    }
    widths[COL_NOTE] = widths[COL_NOTE].max(40); // room for a reason
    widths[COL_OPINION] = widths[COL_OPINION].max(40);
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*w).min(60) as f64 + 2.0).expect("column in range");
        if col != COL_SCORE {
            // Codes, names and notes are text; 得分 stays General so that typed numbers are numbers.
            sheet.set_column_format(col as u16, &text).expect("column in range");
        }
    }
    sheet.set_freeze_panes(1, 0).expect("row 1 exists");
    workbook.save_to_buffer().expect("an in-memory workbook always saves")
}

// ---- reading the two formats into rows of cells ----

fn whole_file(file: &str, message: impl Into<String>) -> ScoreFileError {
    ScoreFileError { file: file.to_string(), row: None, message: message.into() }
}

fn at_row(file: &str, row: usize, message: impl Into<String>) -> ScoreFileError {
    ScoreFileError { file: file.to_string(), row: Some(row), message: message.into() }
}

// ---- from rows to the panel input ----

/// What a row's 得分 holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// Empty: the row is an untouched template row and counts for nothing.
    Blank,
    Recused,
    Score(Tenths),
    /// Present but refused (already reported); counts as present so that no "missing item" follows.
    Invalid,
}

/// What the rows of one expert × application hold.
#[derive(Default)]
struct PairRows {
    /// First 回避 row.
    recused_row: Option<usize>,
    /// First row with a score (valid or not).
    scored_row: Option<usize>,
    /// Valid scores by 观测点 code.
    scores: HashMap<String, Tenths>,
    /// Every 观测点 code with a score row (valid or not).
    present: HashSet<String>,
    /// The 推荐意见 and the first row that gives it.
    recommendation: Option<(Recommendation, usize)>,
    /// The 综合意见 and the first row that gives it.
    opinion: Option<(String, usize)>,
}

/// A code the file names that the round does not know: where it first appears and on how many rows.
struct Unknown {
    code: String,
    first_row: usize,
    rows: usize,
}

fn note_unknown(list: &mut Vec<Unknown>, code: &str, row: usize) {
    match list.iter_mut().find(|u| u.code == code) {
        Some(u) => u.rows += 1,
        None => list.push(Unknown { code: code.to_string(), first_row: row, rows: 1 }),
    }
}

fn push_unique(list: &mut Vec<String>, code: &str) {
    if !list.iter().any(|c| c == code) {
        list.push(code.to_string());
    }
}

fn import_rows(
    file: &str,
    rows: &[RawRow],
    rubric: &Rubric,
    known_applications: Option<&[String]>,
    known_experts: Option<&[String]>,
) -> Result<ScoreImport, Vec<ScoreFileError>> {
    let mut errors: Vec<ScoreFileError> = Vec::new();
    let mut rows = rows.iter().filter(|r| !r.is_empty());

    // The header: the first non-empty row. Without the right header the columns mean nothing: stop here.
    let expected = HEADER.join(",");
    let Some(header) = rows.next() else {
        return Err(vec![whole_file(file, format!("文件中没有内容：第 1 行应为表头“{expected}”"))]);
    };
    let mut found: Vec<String> = header.cells.iter().map(|c| c.as_deref().unwrap_or("（无效单元格）").trim().to_string()).collect();
    while found.last().is_some_and(|c| c.is_empty()) {
        found.pop();
    }
    let with_opinions =
        found.len() == HEADER.len() + OPINION_COLUMNS.len() && found[..HEADER.len()] == HEADER && found[HEADER.len()..] == OPINION_COLUMNS;
    if found != HEADER && !with_opinions {
        return Err(vec![at_row(
            file,
            header.number,
            format!("表头应为“{expected}”（其后可加“{}”两列），而此行是“{}”", OPINION_COLUMNS.join(","), found.join(",")),
        )]);
    }
    let columns: Vec<&str> = if with_opinions { HEADER.iter().chain(OPINION_COLUMNS.iter()).copied().collect() } else { HEADER.to_vec() };

    let deduction_code = rubric.deduction.as_ref().map(|d| d.code.as_str());
    let is_code = |p: &str| rubric.item(p).is_some() || deduction_code == Some(p);

    let mut experts: Vec<String> = Vec::new();
    let mut applications: Vec<String> = Vec::new();
    let mut names: Vec<(String, String, usize)> = Vec::new(); // (code, name, first row)
    let mut unknown_experts: Vec<Unknown> = Vec::new();
    let mut unknown_applications: Vec<Unknown> = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new(); // score rows by (expert, app, 观测点)
    let mut pairs: HashMap<(String, String), PairRows> = HashMap::new();

    for row in rows {
        let n = row.number;
        let mut err = |message: String| errors.push(at_row(file, n, message));

        // The six cells, trimmed; `None` for a cell without usable text (reported here).
        let mut cells: Vec<Option<String>> = Vec::new();
        for (col, title) in columns.iter().enumerate() {
            match row.cells.get(col) {
                None => cells.push(Some(String::new())),
                Some(Ok(s)) => cells.push(Some(s.trim().to_string())),
                Some(Err(why)) => {
                    err(format!("“{title}”列的单元格{why}"));
                    cells.push(None);
                }
            }
        }
        let extra = row.cells.iter().skip(columns.len()).filter(|c| !matches!(c, Ok(s) if s.trim().is_empty())).count();
        if extra > 0 {
            let (n, last) = (columns.len(), columns[columns.len() - 1]);
            err(format!("第 {n} 列“{last}”之后还有 {extra} 个单元格有内容：本表只有 {n} 列（单元格中如有逗号，须把整个单元格用英文双引号括起来）"));
        }

        let (Some(expert), Some(application)) = (cells[COL_EXPERT].clone(), cells[COL_APPLICATION].clone()) else {
            continue; // a bad code cell, already reported
        };
        if expert.is_empty() {
            err("专家编号为空".to_string());
        }
        if application.is_empty() {
            err("申报编号为空".to_string());
        }
        if expert.is_empty() || application.is_empty() {
            continue;
        }

        // The expert: one name per code, a known code when the round's experts are given.
        match cells[COL_NAME].as_deref() {
            Some("") => err(format!("专家 {expert} 的姓名为空")),
            Some(name) => match names.iter().find(|(c, _, _)| *c == expert) {
                Some((_, first, first_row)) if first != name => {
                    err(format!("专家编号 {expert} 在第 {first_row} 行的姓名是“{first}”，此行却是“{name}”：同一专家编号只能对应一位专家"))
                }
                Some(_) => {}
                None => names.push((expert.clone(), name.to_string(), n)),
            },
            None => {}
        }
        if known_experts.is_some_and(|k| !k.contains(&expert)) {
            note_unknown(&mut unknown_experts, &expert, n);
        }
        if known_applications.is_some_and(|k| !k.contains(&application)) {
            note_unknown(&mut unknown_applications, &application, n);
        }
        push_unique(&mut experts, &expert);
        push_unique(&mut applications, &application);

        // The value.
        let point = cells[COL_POINT].clone();
        let note = cells[COL_NOTE].as_deref().unwrap_or("");
        let value = match cells[COL_SCORE].as_deref() {
            None => Value::Invalid,
            Some("") => {
                if !note.is_empty() {
                    err("填写了说明，但得分为空：请填写得分（没有扣分时请删去说明）".to_string());
                }
                Value::Blank
            }
            Some(RECUSED) => Value::Recused,
            Some(text) => match Tenths::parse(text) {
                Ok(v) => Value::Score(v),
                Err(e) => {
                    err(format!("得分{e}：得分须为数字，回避时填“{RECUSED}”"));
                    Value::Invalid
                }
            },
        };
        let Some(point) = point else {
            continue; // a bad 观测点 cell, already reported
        };

        // The 观测点, and the value against the rubric (the rule lives in the core).
        match value {
            Value::Blank => {}
            Value::Recused => {
                if !point.is_empty() && !is_code(&point) {
                    err(ScoreError::UnknownItem(point.clone()).to_string());
                }
            }
            Value::Score(_) | Value::Invalid => {
                if point.is_empty() {
                    err("观测点为空：请填写观测点代码（如 1.1）".to_string());
                } else if let Value::Score(v) = value {
                    let checked = if deduction_code == Some(point.as_str()) { check_deduction(rubric, v) } else { check_score(rubric, &point, v) };
                    if let Err(e) = checked {
                        err(e.to_string());
                    }
                } else if !is_code(&point) {
                    err(ScoreError::UnknownItem(point.clone()).to_string());
                }
                if !point.is_empty() {
                    let key = (expert.clone(), application.clone(), point.clone());
                    match seen.get(&key) {
                        Some(first) => err(format!("与第 {first} 行重复：专家 {expert} 对申报 {application} 的观测点 {point} 填写了两次")),
                        None => {
                            seen.insert(key, n);
                        }
                    }
                }
            }
        }

        // The sheet's 推荐意见 and 综合意见, on any of its rows; where given twice, the same.
        let recommendation = match cells.get(COL_RECOMMENDATION).cloned().flatten().filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => match Recommendation::parse_zh(&t) {
                Some(r) => Some(r),
                None => {
                    err(format!("推荐意见须填“推荐”或“不推荐”（或留空），此行是“{t}”"));
                    None
                }
            },
        };
        let opinion = cells.get(COL_OPINION).cloned().flatten().filter(|t| !t.is_empty());
        let pair = pairs.entry((expert.clone(), application.clone())).or_default();
        if let Some(r) = recommendation {
            match pair.recommendation {
                Some((first, at)) if first != r => err(format!(
                    "专家 {expert} 对申报 {application} 的推荐意见在第 {at} 行是“{}”，此行却是“{}”：一份评分表只能有一个推荐意见",
                    first.zh(),
                    r.zh()
                )),
                Some(_) => {}
                None => pair.recommendation = Some((r, n)),
            }
        }
        if let Some(o) = opinion {
            match &pair.opinion {
                Some((first, at)) if *first != o => {
                    err(format!("专家 {expert} 对申报 {application} 的综合意见与第 {at} 行的不同：一份评分表只能有一个综合意见（只在一行填写即可）"))
                }
                Some(_) => {}
                None => pair.opinion = Some((o, n)),
            }
        }

        // Into the expert × application.
        match value {
            Value::Blank => {}
            Value::Recused => {
                pair.recused_row.get_or_insert(n);
            }
            Value::Score(_) | Value::Invalid => {
                pair.scored_row.get_or_insert(n);
                if !point.is_empty() {
                    if let Value::Score(v) = value {
                        pair.scores.entry(point.clone()).or_insert(v);
                    }
                    pair.present.insert(point);
                }
            }
        }
    }

    // Codes the round does not know: once per code, at its first row.
    for u in &unknown_experts {
        let more = if u.rows > 1 { format!("（共 {} 行）", u.rows) } else { String::new() };
        errors.push(at_row(file, u.first_row, format!("专家编号 {} 不在本批次的专家名单中{more}", u.code)));
    }
    for u in &unknown_applications {
        let more = if u.rows > 1 { format!("（共 {} 行）", u.rows) } else { String::new() };
        errors.push(at_row(file, u.first_row, format!("申报编号 {} 不在本批次的申报名单中{more}", u.code)));
    }

    // Each expert × application as a whole: recusal not mixed with scores, every item present.
    // (Each row belongs to one pair, so after the final sort by row the order is deterministic.)
    for ((expert, application), p) in &pairs {
        match (p.recused_row, p.scored_row) {
            (Some(r), Some(s)) => errors.push(at_row(
                file,
                r,
                format!("专家 {expert} 对申报 {application} 标记了回避，但第 {s} 行又填写了得分：回避时该申报的得分须全部留空"),
            )),
            (None, Some(s)) => {
                let missing: Vec<&str> = rubric.items().map(|i| i.code.as_str()).filter(|c| !p.present.contains(*c)).collect();
                if !missing.is_empty() {
                    errors.push(at_row(file, s, format!("专家 {expert} 对申报 {application} 的评分表不完整，缺少观测点 {}", missing.join("、"))));
                }
            }
            _ => {}
        }
        let opinion_row = [p.recommendation.map(|(_, r)| r), p.opinion.as_ref().map(|(_, r)| *r)].into_iter().flatten().min();
        if let Some(row) = opinion_row {
            if p.recused_row.is_some() {
                errors.push(at_row(file, row, format!("专家 {expert} 对申报 {application} 标记了回避，却填写了推荐意见或综合意见：回避时须留空")));
            } else if p.scored_row.is_none() {
                errors.push(at_row(file, row, format!("专家 {expert} 对申报 {application} 填写了推荐意见或综合意见，却没有任何得分")));
            }
        }
    }

    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row); // stable: problems of one row keep their order
        return Err(errors);
    }

    // All valid: build the panel input.
    let experts = known_experts.map(<[String]>::to_vec).unwrap_or(experts);
    let applications = known_applications.map(<[String]>::to_vec).unwrap_or(applications);
    let mut cells = Vec::new();
    let mut opinions = BTreeMap::new();
    for expert in &experts {
        for application in &applications {
            let Some(p) = pairs.get(&(expert.clone(), application.clone())) else {
                continue;
            };
            let entry = if p.recused_row.is_some() {
                Entry::Recused
            } else if p.scored_row.is_some() {
                if p.recommendation.is_some() || p.opinion.is_some() {
                    opinions.insert(
                        (expert.clone(), application.clone()),
                        (p.recommendation.map(|(r, _)| r), p.opinion.as_ref().map(|(o, _)| o.clone()).unwrap_or_default()),
                    );
                }
                Entry::Sheet(Sheet {
                    scores: rubric.items().map(|i| (i.code.clone(), p.scores[&i.code])).collect(),
                    deduction: deduction_code.and_then(|d| p.scores.get(d)).copied().unwrap_or(Tenths::ZERO),
                    vetoes: Vec::new(),
                })
            } else {
                continue; // only blank rows: no sheet (待补)
            };
            cells.push(Cell { expert: expert.clone(), application: application.clone(), entry });
        }
    }
    Ok(ScoreImport {
        // Paper carries no 否定性指标: the panel's veto decisions are recorded on the staff machine.
        input: PanelInput { experts, applications, cells, resolutions: Vec::new(), vetoes: Vec::new() },
        expert_names: names.into_iter().map(|(code, name, _)| (code, name)).collect(),
        opinions,
    })
}

/// Approximate display width in Excel's character units: CJK and other wide characters count two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{cell_text, parse_csv};
    use calamine::{Data, Reader, Xlsx};
    use pingshen_core::opinion::Recommendation;
    use pingshen_core::rubric;
    use std::io::Cursor;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/scores");

    fn henan() -> Rubric {
        rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap()
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// (row, message) of every error.
    fn problems(r: Result<ScoreImport, Vec<ScoreFileError>>) -> Vec<(Option<usize>, String)> {
        r.unwrap_err().into_iter().map(|e| (e.row, e.message)).collect()
    }

    /// A complete CSV sheet of one expert × application: every item at its maximum, one line each.
    fn full_sheet(expert: &str, name: &str, application: &str) -> String {
        henan().items().map(|i| format!("{expert},{name},{application},{},{},\n", i.code, i.points)).collect()
    }

    fn header() -> String {
        format!("{}\n", HEADER.join(","))
    }

    fn sheet_of<'a>(import: &'a ScoreImport, expert: &str, application: &str) -> Option<&'a Entry> {
        import.input.cells.iter().find(|c| c.expert == expert && c.application == application).map(|c| &c.entry)
    }

    fn check_valid(import: &ScoreImport) {
        let r = henan();
        assert_eq!(import.input.experts, codes(&["E01", "E02", "E03", "E04", "E05"]));
        assert_eq!(import.input.applications, codes(&["A01", "A02"]));
        assert!(import.input.resolutions.is_empty());
        assert_eq!(
            import.expert_names,
            [("E01", "张建国"), ("E02", "李文华"), ("E03", "王晓燕"), ("E04", "赵明"), ("E05", "陈静")]
                .map(|(c, n)| (c.to_string(), n.to_string()))
                .to_vec()
        );
        // Nine cells in expert × application order: E05 has no sheet for A01 (待补), E03 is recused from A02.
        let pairs: Vec<(&str, &str)> = import.input.cells.iter().map(|c| (c.expert.as_str(), c.application.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("E01", "A01"),
                ("E01", "A02"),
                ("E02", "A01"),
                ("E02", "A02"),
                ("E03", "A01"),
                ("E03", "A02"),
                ("E04", "A01"),
                ("E04", "A02"),
                ("E05", "A02")
            ]
        );
        assert_eq!(sheet_of(import, "E03", "A02"), Some(&Entry::Recused));
        assert_eq!(sheet_of(import, "E05", "A01"), None);
        // Totals and deductions of every sheet (computed independently by the fixture generator).
        let expected = [
            ("E01", "A01", 850, 20),
            ("E01", "A02", 720, 0),
            ("E02", "A01", 780, 0),
            ("E02", "A02", 870, 15),
            ("E03", "A01", 660, 0),
            ("E04", "A01", 810, 0),
            ("E04", "A02", 630, 0),
            ("E05", "A02", 860, 0),
        ];
        for (e, a, total, deduction) in expected {
            let Some(Entry::Sheet(s)) = sheet_of(import, e, a) else { panic!("{e}/{a} has no sheet") };
            let order: Vec<&str> = s.scores.iter().map(|(c, _)| c.as_str()).collect();
            let rubric_order: Vec<&str> = r.items().map(|i| i.code.as_str()).collect();
            assert_eq!(order, rubric_order, "{e}/{a}: every item in rubric order");
            assert_eq!(s.scores.iter().map(|(_, v)| *v).sum::<Tenths>(), Tenths(total), "{e}/{a}");
            assert_eq!(s.deduction, Tenths(deduction), "{e}/{a}");
        }
        let Some(Entry::Sheet(s)) = sheet_of(import, "E01", "A01") else { unreachable!() };
        assert_eq!(s.scores[0], ("1.1".to_string(), Tenths(50)));
        let Some(Entry::Sheet(s)) = sheet_of(import, "E01", "A02") else { unreachable!() };
        assert_eq!(s.scores[0], ("1.1".to_string(), Tenths(35)));
    }

    #[test]
    fn valid_csv_imports_experts_applications_and_cells() {
        let import = read_scores("valid.csv", &fixture("valid.csv"), &henan(), None, None).unwrap();
        check_valid(&import);
    }

    #[test]
    fn bom_csv_reads_the_same() {
        let bytes = fixture("valid-bom.csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let plain = read_scores("valid.csv", &fixture("valid.csv"), &henan(), None, None).unwrap();
        assert_eq!(read_scores("valid-bom.csv", &bytes, &henan(), None, None).unwrap(), plain);
    }

    #[test]
    fn known_lists_become_the_rounds_experts_and_applications() {
        let experts = codes(&["E01", "E02", "E03", "E04", "E05", "E06"]);
        let applications = codes(&["A02", "A01", "A03"]);
        let import = read_scores("valid.csv", &fixture("valid.csv"), &henan(), Some(&applications), Some(&experts)).unwrap();
        assert_eq!(import.input.experts, experts);
        assert_eq!(import.input.applications, applications);
        assert_eq!(import.input.cells.len(), 9);
        assert_eq!((import.input.cells[0].expert.as_str(), import.input.cells[0].application.as_str()), ("E01", "A02"));
    }

    #[test]
    fn every_error_is_reported_with_its_row_and_nothing_is_imported() {
        let known_apps = codes(&["A01", "A02"]);
        let known_experts = codes(&["E01", "E02", "E03"]);
        let r = read_scores("errors.csv", &fixture("errors.csv"), &henan(), Some(&known_apps), Some(&known_experts));
        let errors = r.clone().unwrap_err();
        assert!(errors.iter().all(|e| e.file == "errors.csv"));
        assert_eq!(errors[0].to_string(), "errors.csv 第 2 行：观测点 1.1 的得分须在 0–5 分之间，6 超出范围");
        let expected: Vec<(Option<usize>, String)> = [
            (2, "观测点 1.1 的得分须在 0–5 分之间，6 超出范围"),
            (3, "观测点 1.2 的得分须为 0.5 分的整数倍，2.3 不符合"),
            (4, "得分“abc”不是数字：得分须为数字，回避时填“回避”"),
            (5, "得分“3.25”最多只能有一位小数：得分须为数字，回避时填“回避”"),
            (6, "观测点 2.1 的得分须在 0–4 分之间，-1 超出范围"),
            (27, "扣分须在 0–10 分之间，12 超出范围"),
            (28, "观测点 1.9 不在本批次的评分标准中"),
            (29, "与第 7 行重复：专家 E01 对申报 A01 的观测点 2.2 填写了两次"),
            (30, "第 6 列“说明”之后还有 1 个单元格有内容：本表只有 6 列（单元格中如有逗号，须把整个单元格用英文双引号括起来）"),
            (31, "专家 E02 对申报 A01 标记了回避，但第 32 行又填写了得分：回避时该申报的得分须全部留空"),
            (57, "专家 E02 对申报 A02 的评分表不完整，缺少观测点 6.2、6.3"),
            (86, "专家编号 E03 在第 80 行的姓名是“王晓燕”，此行却是“王小燕”：同一专家编号只能对应一位专家"),
            (88, "专家 E03 的姓名为空"),
            (105, "观测点为空：请填写观测点代码（如 1.1）"),
            (106, "填写了说明，但得分为空：请填写得分（没有扣分时请删去说明）"),
            (107, "专家编号为空"),
            (108, "申报编号为空"),
            (109, "专家编号 E09 不在本批次的专家名单中"),
            (110, "申报编号 A99 不在本批次的申报名单中（共 2 行）"),
            (112, "观测点 9.9 不在本批次的评分标准中"),
        ]
        .map(|(row, m)| (Some(row), m.to_string()))
        .to_vec();
        assert_eq!(problems(r), expected);
        // Without the known lists the same file still fails, only without the two unknown-code errors.
        let open = problems(read_scores("errors.csv", &fixture("errors.csv"), &henan(), None, None));
        assert_eq!(open.len(), expected.len() - 2);
        assert!(!open.iter().any(|(_, m)| m.contains("不在本批次的专家名单") || m.contains("不在本批次的申报名单")));
    }

    #[test]
    fn a_wrong_or_missing_header_is_one_error_on_its_row() {
        let r = read_scores("wrong-header.csv", &fixture("wrong-header.csv"), &henan(), None, None);
        assert_eq!(
            problems(r),
            [(Some(1), "表头应为“专家编号,专家姓名,申报编号,观测点,得分,说明”（其后可加“推荐意见,综合意见”两列），而此行是“专家编号,姓名,申报编号,观测点,得分,说明”".to_string())]
        );
        // A file that starts with data has no header.
        let r = read_scores("x.csv", full_sheet("E01", "张建国", "A01").as_bytes(), &henan(), None, None);
        assert_eq!(
            problems(r),
            [(
                Some(1),
                "表头应为“专家编号,专家姓名,申报编号,观测点,得分,说明”（其后可加“推荐意见,综合意见”两列），而此行是“E01,张建国,A01,1.1,5”"
                    .to_string()
            )]
        );
        let e = read_scores("empty.csv", b"\r\n\r\n", &henan(), None, None).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].to_string(), "empty.csv：文件中没有内容：第 1 行应为表头“专家编号,专家姓名,申报编号,观测点,得分,说明”");
    }

    #[test]
    fn a_gbk_csv_is_refused_with_one_message_asking_for_csv_utf8() {
        let bytes = fixture("gbk.csv");
        assert!(std::str::from_utf8(&bytes).is_err());
        let e = read_scores("gbk.csv", &bytes, &henan(), None, None).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].row, None);
        assert!(e[0].message.contains("CSV UTF-8"), "{}", e[0]);
        assert!(e[0].to_string().starts_with("gbk.csv：不是 UTF-8 编码的 CSV"), "{}", e[0]);
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_newlines() {
        // The note of 1.1 spans three lines, yet it is one row (row 2) as Excel/WPS shows it.
        let mut csv = header();
        csv.push_str("E01,张建国,A01,1.1,5,\"材料齐全,数据\"\"偏少\"\"\n见附件\r\n第二页\"\n");
        csv.push_str("\"E01\",\"张建国\",\"A01\",\"1.2\", \"3\" ,\"\"\n");
        csv.push_str(&full_sheet("E01", "张建国", "A01").lines().skip(2).map(|l| format!("{l}\n")).collect::<String>());
        let import = read_scores("q.csv", csv.as_bytes(), &henan(), None, None).unwrap();
        let Some(Entry::Sheet(s)) = sheet_of(&import, "E01", "A01") else { panic!() };
        assert_eq!(s.scores.iter().map(|(_, v)| *v).sum::<Tenths>(), Tenths::points(100));
        // The row after the three-line field is row 3.
        let bad = csv.replacen("\"1.2\", \"3\" ,", "\"1.2\",9,", 1);
        assert_ne!(bad, csv);
        assert_eq!(
            problems(read_scores("q.csv", bad.as_bytes(), &henan(), None, None)),
            [(Some(3), "观测点 1.2 的得分须在 0–3 分之间，9 超出范围".to_string())]
        );
        // The parser itself.
        assert_eq!(
            parse_csv("a,\"b,c\",\"d\"\"e\"\r\n\"f\ng\",,h\n").unwrap(),
            vec![vec!["a", "b,c", "d\"e"], vec!["f\ng", "", "h"]]
                .into_iter()
                .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        );
        // An unclosed quote names the row where it opens.
        let unclosed = format!("{}E01,张建国,A01,1.1,5,\"没有结束\n", header());
        let e = read_scores("u.csv", unclosed.as_bytes(), &henan(), None, None).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].row, Some(2));
        assert!(e[0].message.starts_with("引号没有闭合"), "{}", e[0]);
    }

    #[test]
    fn an_incomplete_sheet_names_the_missing_items() {
        let csv: String = header()
            + &full_sheet("E01", "张建国", "A01")
                .lines()
                .filter(|l| !l.contains(",1.3,") && !l.contains(",5.4,"))
                .map(|l| format!("{l}\n"))
                .collect::<String>();
        let r = read_scores("i.csv", csv.as_bytes(), &henan(), None, None);
        assert_eq!(problems(r), [(Some(2), "专家 E01 对申报 A01 的评分表不完整，缺少观测点 1.3、5.4".to_string())]);
        // Only the deduction row is not a sheet either.
        let r = read_scores("i.csv", format!("{}E01,张建国,A01,7,1,理由\n", header()).as_bytes(), &henan(), None, None);
        let p = problems(r);
        assert_eq!(p.len(), 1);
        assert!(p[0].1.ends_with("缺少观测点 1.1、1.2、1.3、1.4、2.1、2.2、2.3、2.4、3.1、3.2、3.3、3.4、3.5、4.1、4.2、4.3、4.4、4.5、5.1、5.2、5.3、5.4、6.1、6.2、6.3"), "{}", p[0].1);
    }

    #[test]
    fn trailing_blank_lines_and_empty_rows_are_ignored() {
        let csv = header() + "\n" + &full_sheet("E01", "张建国", "A01") + "\n\r\n,,,,,\n  ,  ,\n\n";
        let import = read_scores("t.csv", csv.as_bytes(), &henan(), None, None).unwrap();
        assert_eq!(import.input.cells.len(), 1);
        // A blank line counts as a row for numbering: the first data row is row 3 here.
        let bad = csv.replacen(",1.1,5,", ",1.1,x,", 1);
        assert_eq!(problems(read_scores("t.csv", bad.as_bytes(), &henan(), None, None))[0].0, Some(3));
    }

    #[test]
    fn recused_rows_may_name_any_code_or_none_and_repeat() {
        let csv = header() + "E01,张建国,A01,,回避,\nE01,张建国,A01,1.1,回避,\nE01,张建国,A01,7, 回避 ,\nE01,张建国,A02,3.2,,\n";
        let import = read_scores("r.csv", csv.as_bytes(), &henan(), None, None).unwrap();
        // A01 recused; A02 has only a blank row: no sheet, but the application is in the round.
        assert_eq!(import.input.applications, codes(&["A01", "A02"]));
        assert_eq!(import.input.cells, vec![Cell { expert: "E01".into(), application: "A01".into(), entry: Entry::Recused }]);
    }

    /// Writes the rows of a CSV into an xlsx the way a person would type them: scores (and some 观测点
    /// codes) as number cells, an empty row in the middle.
    fn xlsx_from_csv(csv: &str) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let mut row: u32 = 0;
        let mut numbers = 0;
        for record in parse_csv(csv).unwrap() {
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            for (col, text) in record.iter().enumerate() {
                let as_number = text.trim().parse::<f64>().ok().filter(|_| row > 0);
                match as_number {
                    // 得分 as a number cell (4.5 and 3 arrive from calamine as floats).
                    Some(f) if col == COL_SCORE => {
                        sheet.write_number(row, col as u16, f).unwrap();
                        numbers += 1;
                    }
                    // Some experts' 观测点 codes as numbers too: 1.1, 2.4, 7.
                    Some(f) if col == COL_POINT && record[COL_EXPERT] == "E05" => {
                        sheet.write_number(row, col as u16, f).unwrap();
                    }
                    _ if text.is_empty() => {}
                    _ => {
                        sheet.write_string(row, col as u16, text.as_str()).unwrap();
                    }
                }
            }
            row += 1;
            if row == 40 {
                row += 1; // a fully empty row
            }
        }
        assert!(numbers > 200);
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_with_number_cells_reads_the_same_as_csv() {
        let csv = String::from_utf8(fixture("valid.csv")).unwrap();
        let from_csv = read_scores("valid.csv", csv.as_bytes(), &henan(), None, None).unwrap();
        let bytes = xlsx_from_csv(&csv);
        let from_xlsx = read_scores("valid.XLSX", &bytes, &henan(), None, None).unwrap();
        check_valid(&from_xlsx);
        assert_eq!(from_xlsx, from_csv);
        // Row numbers are Excel's: the error on the 45th data row (after the empty row 41) is on row 46.
        let bad = csv.replacen("E02,李文华,A01,3.1,", "E02,李文华,A01,3.1,9", 1);
        let csv_err = problems(read_scores("bad.csv", bad.as_bytes(), &henan(), None, None));
        let xlsx_err = problems(read_scores("bad.xlsx", &xlsx_from_csv(&bad), &henan(), None, None));
        assert_eq!(csv_err.len(), 1);
        assert_eq!(xlsx_err.len(), 1);
        assert_eq!(xlsx_err[0].1, csv_err[0].1);
        assert_eq!(xlsx_err[0].0, csv_err[0].0.map(|r| r + 1), "the xlsx has one more (empty) row before it");
    }

    #[test]
    fn xlsx_cells_become_exact_text() {
        assert_eq!(cell_text(&Data::Float(4.5)), Ok("4.5".to_string()));
        assert_eq!(cell_text(&Data::Float(3.0)), Ok("3".to_string()));
        assert_eq!(cell_text(&Data::Float(0.1)), Ok("0.1".to_string()));
        assert_eq!(cell_text(&Data::Int(7)), Ok("7".to_string()));
        // A float that is not exactly one decimal stays visibly so, and Tenths refuses it.
        let t = cell_text(&Data::Float(4.499999999999999)).unwrap();
        assert!(Tenths::parse(&t).is_err(), "{t}");
        assert!(cell_text(&Data::Error(calamine::CellErrorType::NA)).unwrap_err().contains("#N/A"));
    }

    #[test]
    fn a_broken_xlsx_is_one_error() {
        let e = read_scores("x.xlsx", b"not a zip", &henan(), None, None).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.starts_with("无法打开：不是有效的 .xlsx 工作簿"), "{}", e[0]);
        // An xlsx saved under a .csv name.
        let e = read_scores("x.csv", &write_template_xlsx(&henan(), &[], &[]), &henan(), None, None).unwrap_err();
        assert!(e[0].message.starts_with("这是 Excel 工作簿（.xlsx），不是 CSV 文本"), "{}", e[0]);
    }

    #[test]
    fn the_template_reads_back_with_calamine_and_imports_as_no_sheets() {
        let r = henan();
        let experts: Vec<(String, String)> =
            [("E01", "张建国"), ("E02", "李文华"), ("E03", "王晓燕"), ("E04", "赵明"), ("E05", "陈静")].map(|(c, n)| (c.into(), n.into())).to_vec();
        let applications = codes(&["A01", "A02"]);
        let bytes = write_template_xlsx(&r, &experts, &applications);

        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(workbook.sheet_names(), vec![TEMPLATE_SHEET.to_string()]);
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.start(), Some((0, 0)));
        assert_eq!(range.height(), 5 * 2 * (25 + 1) + 1);
        let text = |row: u32, col: u32| range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default();
        assert_eq!((0..8).map(|c| text(0, c)).collect::<Vec<_>>(), [&HEADER[..], &OPINION_COLUMNS[..]].concat());
        assert_eq!((0..6).map(|c| text(1, c)).collect::<Vec<_>>(), ["E01", "张建国", "A01", "1.1", "", ""]);
        assert_eq!((0..6).map(|c| text(26, c)).collect::<Vec<_>>(), ["E01", "张建国", "A01", "7", "", ""]);
        assert_eq!((0..6).map(|c| text(27, c)).collect::<Vec<_>>(), ["E01", "张建国", "A02", "1.1", "", ""]);
        assert_eq!((0..6).map(|c| text(260, c)).collect::<Vec<_>>(), ["E05", "陈静", "A02", "7", "", ""]);

        // Untouched, the template is a round where nobody has a sheet yet.
        let import = read_scores("template.xlsx", &bytes, &r, None, None).unwrap();
        assert_eq!(import.input.experts, codes(&["E01", "E02", "E03", "E04", "E05"]));
        assert_eq!(import.input.applications, applications);
        assert!(import.input.cells.is_empty());
        assert_eq!(import.expert_names, experts);
    }

    #[test]
    fn files_dispatch_on_their_extension() {
        let r = henan();
        let valid = std::path::PathBuf::from(FIXTURES).join("valid.csv");
        check_valid(&read_scores_file(&valid, &r, None, None).unwrap());
        check_valid(&read_scores("VALID.CSV", &fixture("valid.csv"), &r, None, None).unwrap());

        let e = read_scores_file(Path::new("/nonexistent/scores.txt"), &r, None, None).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].to_string(), "scores.txt：不支持的文件类型：请导入 .xlsx 工作簿或 CSV UTF-8（.csv）文件");
        let e = read_scores("scores", b"", &r, None, None).unwrap_err();
        assert_eq!(e.len(), 1);

        let e = read_scores_file(Path::new("/nonexistent/scores.csv"), &r, None, None).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].to_string().starts_with("scores.csv：无法读取文件 /nonexistent/scores.csv"), "{}", e[0]);
    }

    /// The CSV header with the two optional opinion columns.
    fn header_with_opinions() -> String {
        format!("{},{}\n", HEADER.join(","), OPINION_COLUMNS.join(","))
    }

    /// A complete sheet with the two opinion cells on the row of item `at` (0-based) only.
    fn sheet_with_opinion(expert: &str, application: &str, at: usize, recommendation: &str, opinion: &str) -> String {
        henan()
            .items()
            .enumerate()
            .map(|(k, i)| {
                let (r, o) = if k == at { (recommendation, opinion) } else { ("", "") };
                format!("{expert},{expert}姓名,{application},{},{},,{r},{o}\n", i.code, i.points)
            })
            .collect()
    }

    #[test]
    fn the_opinion_columns_are_optional_and_belong_to_the_sheet() {
        let r = henan();
        // Given on one row of A01 (the third), both on A02's first row; none for E02.
        let csv = format!(
            "{}{}{}{}",
            header_with_opinions(),
            sheet_with_opinion("E01", "A01", 2, "推荐", "\"产教融合紧密，建议推荐\""),
            sheet_with_opinion("E01", "A02", 0, "不推荐", "佐证不足"),
            sheet_with_opinion("E02", "A01", 0, "", "")
        );
        let import = read_scores("opinions.csv", csv.as_bytes(), &r, None, None).unwrap();
        assert_eq!(import.input.cells.len(), 3);
        let got: Vec<(&str, &str, Option<Recommendation>, &str)> =
            import.opinions.iter().map(|((e, a), (rec, o))| (e.as_str(), a.as_str(), *rec, o.as_str())).collect();
        assert_eq!(
            got,
            [
                ("E01", "A01", Some(Recommendation::Recommend), "产教融合紧密，建议推荐"),
                ("E01", "A02", Some(Recommendation::NotRecommend), "佐证不足")
            ]
        );
        // The same value repeated on several rows is fine; the .xlsx reads the same.
        let repeated = format!("{}{}", header_with_opinions(), sheet_with_opinion("E01", "A01", 0, "推荐", "好").replace(",,,\n", ",,推荐,好\n"));
        let import = read_scores("repeated.csv", repeated.as_bytes(), &r, None, None).unwrap();
        assert_eq!(import.opinions.values().next().unwrap(), &(Some(Recommendation::Recommend), "好".to_string()));
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, record) in parse_csv(&csv).unwrap().iter().enumerate() {
            for (col, text) in record.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
                sheet.write_string(row as u32, col as u16, text.as_str()).unwrap();
            }
        }
        let x = read_scores("opinions.xlsx", &workbook.save_to_buffer().unwrap(), &r, None, None).unwrap();
        assert_eq!(x.opinions, read_scores("opinions.csv", csv.as_bytes(), &r, None, None).unwrap().opinions);
        // The old six-column header still reads, without opinions.
        let old = read_scores("valid.csv", &fixture("valid.csv"), &r, None, None).unwrap();
        assert!(old.opinions.is_empty());
    }

    #[test]
    fn bad_and_conflicting_opinions_are_all_reported_with_their_rows() {
        let r = henan();
        let n = r.items().count();
        // E01/A01: 推荐 on row 2, 不推荐 on row 4; E01/A02 (rows n+2…): an unknown word and two different
        // opinions; E02/A01: recused with an opinion; E02/A02: an opinion on a blank row only.
        let a01 = sheet_with_opinion("E01", "A01", 0, "推荐", "");
        let mut lines: Vec<String> = a01.lines().map(str::to_string).collect();
        lines[2] = lines[2].replace(",,,", ",,不推荐,");
        let mut a02: Vec<String> = sheet_with_opinion("E01", "A02", 0, "同意", "甲").lines().map(str::to_string).collect();
        a02[1] = a02[1].replace(",,,", ",,,乙");
        let csv = format!(
            "{}{}\n{}\nE02,E02姓名,A01,,回避,,,回避也写意见\nE02,E02姓名,A02,1.1,,,推荐,\n",
            header_with_opinions(),
            lines.join("\n"),
            a02.join("\n")
        );
        let p = problems(read_scores("conflict.csv", csv.as_bytes(), &r, None, None));
        let a02_row = n + 2;
        assert_eq!(
            p,
            [
                (Some(4), "专家 E01 对申报 A01 的推荐意见在第 2 行是“推荐”，此行却是“不推荐”：一份评分表只能有一个推荐意见".to_string()),
                (Some(a02_row), "推荐意见须填“推荐”或“不推荐”（或留空），此行是“同意”".to_string()),
                (
                    Some(a02_row + 1),
                    "专家 E01 对申报 A02 的综合意见与第 102 行的不同：一份评分表只能有一个综合意见（只在一行填写即可）"
                        .replace("102", &a02_row.to_string())
                ),
                (Some(2 * n + 2), "专家 E02 对申报 A01 标记了回避，却填写了推荐意见或综合意见：回避时须留空".to_string()),
                (Some(2 * n + 3), "专家 E02 对申报 A02 填写了推荐意见或综合意见，却没有任何得分".to_string()),
            ]
        );
        let e = read_scores("conflict.csv", csv.as_bytes(), &r, None, None).unwrap_err();
        assert!(e[0].to_string().starts_with("conflict.csv 第 4 行："), "{}", e[0]);
        // A header with only one of the two columns is refused, naming both.
        let one = format!("{},推荐意见\n", HEADER.join(","));
        let p = problems(read_scores("one.csv", one.as_bytes(), &r, None, None));
        assert_eq!(p.len(), 1);
        assert!(p[0].1.contains("其后可加“推荐意见,综合意见”两列"), "{}", p[0].1);
    }
}
