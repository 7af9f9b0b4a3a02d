//! The .xlsx rubric template: a rubric as a workbook that staff edit in Excel or WPS, written from a rubric
//! ([`write_template`]) and read back ([`read_rubric_xlsx`]) into the same rubric and its canonical TOML.
//!
//! # The workbook (`docs/rubric-format.md`, "The .xlsx template")
//!
//! - **评分指标**: row 1 is the header, then one row per observation point (观测点). Columns, found by their
//!   header in any order: 一级指标编号, 一级指标, 一级指标分值, 观测点编号, 观测点, 分值 (required); 简称,
//!   扣分上限, 否定性, 推荐书字段, 关键词 (optional); 备注 (not read). The 一级指标 columns are filled on the
//!   first row of each 一级指标 (the template merges them down its rows); a row where they are empty, or
//!   repeat the same values, belongs to the 一级指标 above. A row without 观测点编号 that starts a 一级指标 is
//!   a 一级指标 scored as a whole. A row with 扣分上限 is the deduction (其他); a row with 否定性 (取消资格 or
//!   计零分) and no 分值 is a 否定性 veto item.
//! - **等级**: 等级, 名称, 下限%, 上限% (名称 optional); one row per band.
//! - **基本信息**: 项目, 内容 (and 说明, not read); rows 标识, 名称, 来源, 总分, 步长, 评语分数线%, 扣分须写理由.
//! - **说明**: how to fill the workbook in (not read).
//!
//! # Reading
//!
//! The bytes decide, not the name: anything but an .xlsx (an old .xls, a CSV or other text, a file over
//! [`MAX_BYTES`]) is refused with one message; the zip is checked before it is opened (entries, sizes,
//! compression ratio, every entry decompressed once within the size its directory declares). Cells are
//! streamed, never laid out as a dense range: a cell with content beyond [`MAX_ROWS`] × [`MAX_COLS`] refuses
//! the sheet, so two cells far apart cannot make the reader allocate the whole grid. Then every problem is
//! collected, each naming the sheet, the row as Excel/WPS shows it (header = row 1) and the column, in
//! Chinese; the rubric's own rules (codes, sums, steps, bands, hints) are
//! [`pingshen_core::rubric::validate`]'s, the same as for a TOML text, with their places mapped back to
//! rows and columns.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use pingshen_core::form::FIELDS;
use pingshen_core::rubric::{
    to_toml, validate, Draft, DraftBand, DraftComments, DraftDeduction, DraftGroup, DraftItem, DraftProblem, DraftVeto, Evidence, Number, Part,
    Rubric, VetoEffect,
};
use pingshen_core::Tenths;
use rust_xlsxwriter::{Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::table::cell_text;

/// The sheet of observation points.
pub const ITEMS_SHEET: &str = "评分指标";
/// The sheet of level bands.
pub const BANDS_SHEET: &str = "等级";
/// The sheet of the rubric's own facts (id, title, total, step, comment rules).
pub const INFO_SHEET: &str = "基本信息";
/// The sheet that explains the workbook (not read).
pub const NOTES_SHEET: &str = "说明";

/// The largest file read: a filled template is tens of kilobytes.
pub const MAX_BYTES: usize = 5 << 20;
/// Rows and columns a sheet may use (a cell with content beyond them refuses the sheet).
pub const MAX_ROWS: u32 = 2000;
pub const MAX_COLS: u32 = 50;
/// Entries and total uncompressed bytes of the zip inside an .xlsx.
const MAX_ENTRIES: usize = 1000;
const MAX_UNZIPPED: u64 = 64 << 20;
/// Largest uncompressed : compressed ratio of an entry over 1 MiB (text compresses well, bombs better).
const MAX_RATIO: u64 = 200;

// The columns of 评分指标, in the template's order.
const G_CODE: &str = "一级指标编号";
const G_NAME: &str = "一级指标";
const G_POINTS: &str = "一级指标分值";
const I_CODE: &str = "观测点编号";
const SHORT: &str = "简称";
const TEXT: &str = "观测点";
const POINTS: &str = "分值";
const CAP: &str = "扣分上限";
const VETO: &str = "否定性";
const FIELDS_COL: &str = "推荐书字段";
const KEYWORDS: &str = "关键词";
const ITEM_COLUMNS: [&str; 11] = [G_CODE, G_NAME, G_POINTS, I_CODE, SHORT, TEXT, POINTS, CAP, VETO, FIELDS_COL, KEYWORDS];
const ITEM_REQUIRED: [&str; 6] = [G_CODE, G_NAME, G_POINTS, I_CODE, TEXT, POINTS];

// The columns of 等级.
const B_CODE: &str = "等级";
const B_LABEL: &str = "名称";
const B_FROM: &str = "下限%";
const B_TO: &str = "上限%";
const BAND_COLUMNS: [&str; 4] = [B_CODE, B_LABEL, B_FROM, B_TO];
const BAND_REQUIRED: [&str; 3] = [B_CODE, B_FROM, B_TO];

// The columns and rows of 基本信息.
const KEY: &str = "项目";
const VALUE: &str = "内容";
const INFO_COLUMNS: [&str; 2] = [KEY, VALUE];
const ID: &str = "标识";
const TITLE: &str = "名称";
const SOURCE: &str = "来源";
const TOTAL: &str = "总分";
const STEP: &str = "步长";
const THRESHOLD: &str = "评语分数线%";
const REASON: &str = "扣分须写理由";
const INFO_KEYS: [&str; 7] = [ID, TITLE, SOURCE, TOTAL, STEP, THRESHOLD, REASON];
const INFO_REQUIRED: [&str; 4] = [ID, TITLE, TOTAL, STEP];

/// Columns people may add for themselves; never read.
const IGNORED_COLUMNS: [&str; 2] = ["备注", "说明"];

/// What 否定性 holds, and what it means.
const DISQUALIFY: &str = "取消资格";
const ZERO: &str = "计零分";

/// One problem in a rubric workbook, in Chinese, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The worksheet, when the problem is in one.
    pub sheet: Option<String>,
    /// The row as Excel/WPS numbers it (header = 1), when the problem is on one row.
    pub row: Option<usize>,
    /// The column's header, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl Problem {
    fn file(message: impl Into<String>) -> Problem {
        Problem { sheet: None, row: None, column: None, message: message.into() }
    }

    fn at(sheet: &str, row: Option<usize>, column: Option<&str>, message: impl Into<String>) -> Problem {
        Problem { sheet: Some(sheet.to_string()), row, column: column.map(str::to_string), message: message.into() }
    }

    /// Where it is, as the message starts: `评分指标 第 7 行「分值」` (empty for the whole file).
    pub fn location(&self) -> String {
        let mut s = String::new();
        if let Some(sheet) = &self.sheet {
            s.push_str(sheet);
        }
        if let Some(row) = self.row {
            s.push_str(&format!(" 第 {row} 行"));
        }
        if let Some(column) = &self.column {
            s.push_str(&format!("「{column}」"));
        }
        s
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let location = self.location();
        if location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{location}：{}", self.message)
        }
    }
}

// ---- reading ----

/// A place in the workbook: a sheet and a row as Excel/WPS numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Loc {
    sheet: &'static str,
    row: usize,
}

/// Reads a rubric workbook: its canonical TOML text ([`to_toml`]) and the rubric, or every problem found.
/// `file_name` is only used to word a refusal (a `.csv` is called a CSV); the bytes decide what the file is.
pub fn read_rubric_xlsx(file_name: &str, bytes: &[u8]) -> Result<(String, Rubric), Vec<Problem>> {
    sniff(file_name, bytes).map_err(|p| vec![p])?;
    check_zip(bytes).map_err(|p| vec![p])?;
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        vec![Problem::file(format!("无法打开：不是有效的 .xlsx 工作簿（{e}）。请在 WPS 或 Excel 中另存为“Excel 工作簿（*.xlsx）”后再导入"))]
    })?;

    let names = workbook.sheet_names();
    let missing: Vec<Problem> = [ITEMS_SHEET, BANDS_SHEET, INFO_SHEET]
        .iter()
        .filter(|s| !names.iter().any(|n| n.trim() == **s))
        .map(|s| {
            Problem::file(format!(
                "工作簿中没有名为“{s}”的工作表：评分标准模板应有“{ITEMS_SHEET}”“{BANDS_SHEET}”“{INFO_SHEET}”三个工作表（现有：{}）。请用“保存评分标准模板”得到的模板填写",
                names.join("、")
            ))
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut sheets = HashMap::new();
    let mut problems = Vec::new();
    for want in [ITEMS_SHEET, BANDS_SHEET, INFO_SHEET] {
        let name = names.iter().find(|n| n.trim() == want).expect("checked above").clone();
        match read_sheet(&mut workbook, &name, want) {
            Ok(rows) => {
                sheets.insert(want, rows);
            }
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut r = Reading { problems: Vec::new(), whole_points_from_item: HashSet::new(), reported: HashSet::new(), header_refused: false };
    let mut draft = Draft {
        id: String::new(),
        id_at: None,
        title: String::new(),
        title_at: None,
        source: String::new(),
        total: Number::Refused,
        total_at: None,
        step: Number::Refused,
        step_at: None,
        bands: Vec::new(),
        comments: None,
        groups: Vec::new(),
        deduction: None,
        vetoes: Vec::new(),
    };
    r.info(&sheets[INFO_SHEET], &mut draft);
    r.bands(&sheets[BANDS_SHEET], &mut draft);
    r.items(&sheets[ITEMS_SHEET], &mut draft);
    if r.header_refused {
        // Without its columns a sheet was not read: the rubric's own rules would only repeat that.
        return Err(r.problems);
    }

    let result = validate(draft);
    let mut problems = r.problems;
    let rubric = match result {
        Ok(rubric) => Some(rubric),
        Err(found) => {
            for p in found {
                let p = from_draft(p, &r.whole_points_from_item);
                // A cell the reader already refused is not refused twice.
                if !problems.iter().any(|q| q.sheet == p.sheet && q.row == p.row && q.column == p.column && p.row.is_some()) {
                    problems.push(p);
                }
            }
            None
        }
    };
    match rubric {
        Some(rubric) if problems.is_empty() => Ok((to_toml(&rubric), rubric)),
        _ => {
            // In the order of the workbook: sheet by sheet, row by row (a stable sort keeps a row's own order).
            let order = |p: &Problem| {
                let sheet = match p.sheet.as_deref() {
                    None => 0,
                    Some(ITEMS_SHEET) => 1,
                    Some(BANDS_SHEET) => 2,
                    _ => 3,
                };
                (sheet, p.row.unwrap_or(0))
            };
            problems.sort_by_key(order);
            Err(problems)
        }
    }
}

/// The refusal of a file of `len` bytes, over [`MAX_BYTES`].
pub(crate) fn size_problem(len: u64) -> Option<Problem> {
    (len > MAX_BYTES as u64).then(|| {
        Problem::file(format!(
            "文件有 {:.1} MB，超过 {} MB 的上限：评分标准模板通常只有几十 KB，请确认选择的是评分标准模板",
            len as f64 / (1 << 20) as f64,
            MAX_BYTES >> 20
        ))
    })
}

/// Refuses what is not an .xlsx at all, by its bytes.
fn sniff(file_name: &str, bytes: &[u8]) -> Result<(), Problem> {
    if let Some(p) = size_problem(bytes.len() as u64) {
        return Err(p);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    if bytes.is_empty() {
        return Err(Problem::file("文件是空的：请选择填写好的评分标准模板（.xlsx）"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(Problem::file(
            "这是旧版 Excel 97-2003 工作簿（.xls）或设有打开密码的工作簿，无法读取：请在 WPS 或 Excel 中“另存为”Excel 工作簿（*.xlsx），不设密码，再导入",
        ));
    }
    let ext = std::path::Path::new(file_name).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let head = &bytes[..bytes.len().min(4096)];
    if !head.contains(&0) {
        let what = if ext == "csv" { "这是 CSV 文本文件" } else { "这是文本文件（如 CSV）" };
        return Err(Problem::file(format!(
            "{what}，不是 .xlsx 工作簿：评分标准请用 .xlsx 模板（“保存评分标准模板”可得到）填写，或写成 TOML 文本（rubric.toml）"
        )));
    }
    Err(Problem::file("不是 .xlsx 工作簿（文件内容不是 Excel 工作簿的格式）：请在 WPS 或 Excel 中另存为 Excel 工作簿（*.xlsx）后再导入"))
}

/// Checks the zip inside an .xlsx before a reader opens it (`xlsx_zip`, with a rubric template's limits).
fn check_zip(bytes: &[u8]) -> Result<(), Problem> {
    use crate::xlsx_zip::{check, Limits, Refusal};
    let limits = Limits { entries: MAX_ENTRIES, total: MAX_UNZIPPED, part: MAX_UNZIPPED, ratio: MAX_RATIO };
    let damaged = |detail: String| Problem::file(format!("不是有效的 .xlsx 工作簿或文件已损坏（{detail}）：请在 WPS 或 Excel 中重新保存后再导入"));
    check(bytes, limits).map_err(|r| match r {
        Refusal::Damaged(detail) => damaged(detail),
        Refusal::TooManyEntries(n) => damaged(format!("含有 {n} 个部件，远多于一个工作簿应有的数量")),
        Refusal::Bomb => Problem::file("工作簿解压后大得异常，可能是恶意构造的文件（zip 炸弹），已拒绝读取"),
        Refusal::Encrypted => Problem::file("工作簿设有密码，无法读取：请取消密码后另存为 .xlsx 再导入"),
    })
}

/// A sheet's cells by row (0-based, as stored) then column; only cells within the limits.
struct Rows {
    sheet: &'static str,
    cells: BTreeMap<u32, BTreeMap<u32, Result<String, String>>>,
}

impl Rows {
    fn get(&self, row: u32, col: u32) -> Option<&Result<String, String>> {
        self.cells.get(&row).and_then(|r| r.get(&col))
    }

    /// Text of a cell, trimmed; empty when there is none.
    fn text(&self, row: u32, col: Option<u32>) -> Result<String, String> {
        match col.and_then(|c| self.get(row, c)) {
            None => Ok(String::new()),
            Some(Ok(s)) => Ok(s.trim().to_string()),
            Some(Err(e)) => Err(e.clone()),
        }
    }

    fn row_is_empty(&self, row: u32) -> bool {
        self.cells.get(&row).is_none_or(|r| r.values().all(|c| matches!(c, Ok(s) if s.trim().is_empty())))
    }

    /// The last row with content (0-based).
    fn last_row(&self) -> Option<u32> {
        self.cells.keys().rev().copied().find(|r| !self.row_is_empty(*r))
    }
}

/// The column letters of a 0-based column (`0` → `A`, `27` → `AB`).
fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// Streams a worksheet's cells (never a dense range): a cell with content beyond the limits refuses it.
fn read_sheet<RS: std::io::Read + std::io::Seek>(workbook: &mut Xlsx<RS>, name: &str, sheet: &'static str) -> Result<Rows, Problem> {
    let unreadable =
        |e: calamine::XlsxError| Problem::at(sheet, None, None, format!("无法读取这个工作表（{e}）：请在 WPS 或 Excel 中重新保存后再导入"));
    let mut reader = workbook.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells: BTreeMap<u32, BTreeMap<u32, Result<String, String>>> = BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let value = cell_text(&Data::from(cell.get_value().clone()));
        if matches!(&value, Ok(s) if s.trim().is_empty()) {
            continue;
        }
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(Problem::at(
                sheet,
                None,
                None,
                format!(
                    "表格范围过大：单元格 {}{} 有内容，超出了 {MAX_ROWS} 行 × {MAX_COLS} 列的上限。请删除表格以外的内容后再导入",
                    column_letters(col),
                    row as u64 + 1
                ),
            ));
        }
        cells.entry(row).or_default().insert(col, value);
    }
    Ok(Rows { sheet, cells })
}

/// A header as people may write it: spaces, brackets and full-width ％ do not matter (`下限（%）` is `下限%`).
fn normalize(header: &str) -> String {
    header.chars().filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）')).map(|c| if c == '％' { '%' } else { c }).collect()
}

struct Reading {
    problems: Vec<Problem>,
    /// Rows of a 一级指标 scored as a whole whose points were read from 分值 (not 一级指标分值).
    whole_points_from_item: HashSet<usize>,
    /// Cells already refused (sheet, row, column), not refused again.
    reported: HashSet<(&'static str, usize, &'static str)>,
    /// A sheet's header was refused, so the sheet was not read.
    header_refused: bool,
}

/// The cells of one data row, by column name.
struct Row<'a> {
    rows: &'a Rows,
    row: u32,
    columns: &'a HashMap<&'static str, u32>,
}

impl Row<'_> {
    /// As Excel/WPS numbers it.
    fn number(&self) -> usize {
        self.row as usize + 1
    }
}

impl Reading {
    fn push(&mut self, sheet: &'static str, row: Option<usize>, column: Option<&'static str>, message: impl Into<String>) {
        if let (Some(r), Some(c)) = (row, column) {
            if !self.reported.insert((sheet, r, c)) {
                return;
            }
        }
        self.problems.push(Problem::at(sheet, row, column, message));
    }

    /// A cell's trimmed text; a date or an error value is reported and read as empty.
    fn cell(&mut self, r: &Row, column: &'static str) -> (String, bool) {
        match r.rows.text(r.row, r.columns.get(column).copied()) {
            Ok(s) => (s, true),
            Err(e) => {
                self.push(r.rows.sheet, Some(r.number()), Some(column), e);
                (String::new(), false)
            }
        }
    }

    /// A number of points: its text, or `Refused` when empty (reported if `required`) or unreadable.
    fn number(&mut self, r: &Row, column: &'static str, what: &str) -> Number {
        match self.cell(r, column) {
            (_, false) => Number::Refused,
            (s, true) if s.is_empty() => {
                self.push(r.rows.sheet, Some(r.number()), Some(column), format!("没有填写{what}"));
                Number::Refused
            }
            (s, true) => Number::Text(s),
        }
    }

    /// A whole percentage 0–100 (a trailing % is allowed); `None` when it is not one (reported).
    fn percent(&mut self, r: &Row, column: &'static str, example: u32) -> Option<i64> {
        let (s, ok) = self.cell(r, column);
        if !ok {
            return None;
        }
        if s.is_empty() {
            self.push(r.rows.sheet, Some(r.number()), Some(column), format!("没有填写：请填写 0–100 的整数，如 {example}"));
            return None;
        }
        let digits = s.trim_end_matches(['%', '％']).trim();
        match digits.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.push(
                    r.rows.sheet,
                    Some(r.number()),
                    Some(column),
                    format!("“{s}”不是整数：请填写 0–100 的整数，如 {example}（若单元格是百分比格式，请改为“常规”）"),
                );
                None
            }
        }
    }

    /// Reads the header (row 1): every required column, once; unknown headers are refused.
    fn header(&mut self, rows: &Rows, known: &[&'static str], required: &[&'static str]) -> Option<HashMap<&'static str, u32>> {
        let sheet = rows.sheet;
        let mut columns: HashMap<&'static str, u32> = HashMap::new();
        let mut ok = true;
        if let Some(cells) = rows.cells.get(&0) {
            for (&col, cell) in cells {
                let Ok(text) = cell else {
                    self.push(sheet, Some(1), None, format!("第 {} 列的表头不是文字", column_letters(col)));
                    ok = false;
                    continue;
                };
                let name = normalize(text);
                if name.is_empty() || IGNORED_COLUMNS.contains(&name.as_str()) {
                    continue;
                }
                match known.iter().find(|k| normalize(k) == name) {
                    Some(k) => {
                        if let Some(prev) = columns.insert(k, col) {
                            self.push(
                                sheet,
                                Some(1),
                                None,
                                format!("「{k}」列出现了两次（{} 列和 {} 列）：请删去一列", column_letters(prev), column_letters(col)),
                            );
                            ok = false;
                        }
                    }
                    None => {
                        self.push(
                            sheet,
                            Some(1),
                            None,
                            format!(
                                "{} 列的表头“{}”不是本表的列：可用的列为 {}（备注可写在「备注」列）",
                                column_letters(col),
                                text.trim(),
                                known.join("、")
                            ),
                        );
                        ok = false;
                    }
                }
            }
        }
        for r in required {
            if !columns.contains_key(r) {
                self.push(sheet, Some(1), None, format!("缺少「{r}」列：第 1 行应为表头，须有 {} 这几列（顺序不限）", required.join("、")));
                ok = false;
            }
        }
        if !ok {
            self.header_refused = true;
        }
        ok.then_some(columns)
    }

    /// Data rows from row 2 to the last with content; an empty row among them is refused.
    fn data_rows(&mut self, rows: &Rows) -> Vec<u32> {
        let Some(last) = rows.last_row() else { return Vec::new() };
        let mut out = Vec::new();
        for row in 1..=last {
            if rows.row_is_empty(row) {
                self.push(rows.sheet, Some(row as usize + 1), None, "空行：表格中间不能有空行，请删除这一行");
            } else {
                out.push(row);
            }
        }
        out
    }

    /// 基本信息: 项目 / 内容 pairs.
    fn info(&mut self, rows: &Rows, d: &mut Draft<Loc>) {
        let sheet = rows.sheet;
        let Some(columns) = self.header(rows, &INFO_COLUMNS, &INFO_COLUMNS) else { return };
        let mut seen: HashMap<&'static str, usize> = HashMap::new();
        let mut threshold: Option<(i64, Loc)> = None;
        let mut reason: Option<(bool, Loc)> = None;
        for row in self.data_rows(rows) {
            let r = Row { rows, row, columns: &columns };
            let n = r.number();
            let at = Some(Loc { sheet, row: n });
            let (key, ok) = self.cell(&r, KEY);
            if !ok {
                continue;
            }
            if key.is_empty() {
                self.push(sheet, Some(n), Some(KEY), format!("没有填写项目：应为 {} 之一", INFO_KEYS.join("、")));
                continue;
            }
            let Some(key) = INFO_KEYS.iter().copied().find(|k| normalize(k) == normalize(&key)) else {
                self.push(sheet, Some(n), Some(KEY), format!("“{key}”不是本表的项目：应为 {} 之一", INFO_KEYS.join("、")));
                continue;
            };
            if let Some(prev) = seen.insert(key, n) {
                self.push(sheet, Some(n), Some(KEY), format!("“{key}”写了两次（另见第 {prev} 行）：请删去一行"));
                continue;
            }
            match key {
                ID => {
                    d.id = self.cell(&r, VALUE).0;
                    d.id_at = at;
                }
                TITLE => {
                    d.title = self.cell(&r, VALUE).0;
                    d.title_at = at;
                }
                SOURCE => d.source = self.cell(&r, VALUE).0,
                TOTAL => {
                    d.total = self.number(&r, VALUE, "总分（如 100）");
                    d.total_at = at;
                }
                STEP => {
                    d.step = self.number(&r, VALUE, "步长（如 0.5）");
                    d.step_at = at;
                }
                THRESHOLD => {
                    let (s, ok) = self.cell(&r, VALUE);
                    if ok && !s.is_empty() {
                        if let Some(v) = self.percent(&r, VALUE, 60) {
                            threshold = Some((v, Loc { sheet, row: n }));
                        }
                    }
                }
                _ => {
                    let (s, ok) = self.cell(&r, VALUE);
                    let v = match s.to_uppercase().as_str() {
                        _ if !ok => continue,
                        "" | "是" | "TRUE" => true,
                        "否" | "FALSE" => false,
                        _ => {
                            self.push(sheet, Some(n), Some(VALUE), format!("“{s}”无法识别：只能填写“是”或“否”"));
                            continue;
                        }
                    };
                    reason = Some((v, Loc { sheet, row: n }));
                }
            }
        }
        for key in INFO_REQUIRED {
            if !seen.contains_key(key) {
                let example = match key {
                    ID => "如 henan-2023",
                    TITLE => "评分标准的名称",
                    TOTAL => "如 100",
                    _ => "如 0.5",
                };
                self.push(sheet, None, None, format!("缺少“{key}”一行：请在「项目」列写“{key}”，在「内容」列填写（{example}）"));
            }
        }
        if threshold.is_some() || reason.is_some() {
            d.comments = Some(DraftComments {
                required_below_percent: threshold.as_ref().map_or(60, |t| t.0),
                required_for_deduction: reason.as_ref().is_none_or(|r| r.0),
                at: threshold.map(|t| t.1).or(reason.map(|r| r.1)),
            });
        }
    }

    /// 等级: one band per row.
    fn bands(&mut self, rows: &Rows, d: &mut Draft<Loc>) {
        let sheet = rows.sheet;
        let Some(columns) = self.header(rows, &BAND_COLUMNS, &BAND_REQUIRED) else { return };
        for row in self.data_rows(rows) {
            let r = Row { rows, row, columns: &columns };
            let (code, _) = self.cell(&r, B_CODE);
            if code.is_empty() {
                self.push(sheet, Some(r.number()), Some(B_CODE), "没有填写等级（如 A）");
            }
            let label = self.cell(&r, B_LABEL).0;
            let from_percent = self.percent(&r, B_FROM, 90);
            let to_percent = self.percent(&r, B_TO, 100);
            d.bands.push(DraftBand { code, label, from_percent, to_percent, at: Some(Loc { sheet, row: r.number() }) });
        }
    }

    /// 评分指标: 一级指标, observation points, the deduction and the vetoes.
    fn items(&mut self, rows: &Rows, d: &mut Draft<Loc>) {
        let sheet = rows.sheet;
        let Some(columns) = self.header(rows, &ITEM_COLUMNS, &ITEM_REQUIRED) else { return };
        // The 一级指标 the next rows belong to: its index in d.groups and the row that started it.
        struct Current {
            index: usize,
            first_row: usize,
            whole: bool,
            /// A row with points after a first row without 观测点编号 has been reported.
            mixed_reported: bool,
        }
        let mut current: Option<Current> = None;
        let mut deduction_row: Option<usize> = None;
        for row in self.data_rows(rows) {
            let r = Row { rows, row, columns: &columns };
            let n = r.number();
            let at = Some(Loc { sheet, row: n });
            let mut cells: HashMap<&'static str, String> = HashMap::new();
            for c in ITEM_COLUMNS {
                let (s, _) = self.cell(&r, c);
                cells.insert(c, s);
            }
            let v = |c: &str| cells[c].as_str();
            let filled = |c: &str| !cells[c].is_empty();
            let evidence = || Evidence {
                fields: split(v(FIELDS_COL), &['、', '，', ',', '；', ';', ' ', '\u{3000}', '\n', '\t']),
                keywords: split(v(KEYWORDS), &['、', '，', ',', '；', ';', '\n']),
            };

            if filled(VETO) {
                // A 否定性 item: not part of any 一级指标.
                let effect = match normalize(v(VETO)).as_str() {
                    DISQUALIFY => "disqualify",
                    ZERO | "计0分" => "zero",
                    other => {
                        self.push(
                            sheet,
                            Some(n),
                            Some(VETO),
                            format!("“{other}”无法识别：只能填写“{DISQUALIFY}”（不参加排名）或“{ZERO}”（得分计为 0）"),
                        );
                        "disqualify"
                    }
                };
                if !filled(I_CODE) {
                    self.push(sheet, Some(n), Some(I_CODE), "否定性指标须填写编号（如 F1）");
                }
                if filled(G_CODE) {
                    self.push(sheet, Some(n), Some(G_CODE), "否定性指标不属于任何一级指标：请留空（可在「一级指标」写“否定性指标”）");
                }
                for c in [G_POINTS, POINTS, CAP] {
                    if filled(c) {
                        self.push(sheet, Some(n), Some(c), format!("否定性指标不计分：「{c}」须留空"));
                    }
                }
                for c in [SHORT, FIELDS_COL, KEYWORDS] {
                    if filled(c) {
                        self.push(sheet, Some(n), Some(c), format!("否定性指标没有「{c}」：请留空"));
                    }
                }
                d.vetoes.push(DraftVeto { code: v(I_CODE).to_string(), text: v(TEXT).to_string(), effect: effect.to_string(), at });
                current = None;
                continue;
            }

            if filled(CAP) {
                // The deduction (其他).
                if let Some(prev) = deduction_row {
                    self.push(sheet, Some(n), Some(CAP), format!("只能有一个扣分项（第 {prev} 行已是扣分项）"));
                    current = None;
                    continue;
                }
                deduction_row = Some(n);
                if !filled(G_CODE) {
                    self.push(sheet, Some(n), Some(G_CODE), "扣分项须填写一级指标编号（如 7）");
                }
                for c in [G_POINTS, POINTS] {
                    if filled(c) {
                        self.push(sheet, Some(n), Some(c), format!("扣分项不计入总分：「{c}」须留空（扣分上限写在「{CAP}」）"));
                    }
                }
                if filled(I_CODE) {
                    self.push(sheet, Some(n), Some(I_CODE), "扣分项没有观测点编号：请留空（其编号写在「一级指标编号」）");
                }
                if filled(SHORT) {
                    self.push(sheet, Some(n), Some(SHORT), "扣分项没有简称：请留空");
                }
                let cap = self.number(&r, CAP, "扣分上限");
                d.deduction = Some(DraftDeduction {
                    code: v(G_CODE).to_string(),
                    name: v(G_NAME).to_string(),
                    text: v(TEXT).to_string(),
                    cap,
                    evidence: evidence(),
                    at,
                });
                current = None;
                continue;
            }

            // A scored row: which 一级指标?
            let continues = current.as_ref().is_some_and(|c| !filled(G_CODE) || d.groups[c.index].code == v(G_CODE));
            if !continues {
                if !filled(G_CODE) {
                    self.push(sheet, Some(n), Some(G_CODE), "没有填写：每个一级指标的第一行须填写一级指标编号、一级指标和一级指标分值");
                    continue;
                }
                if !filled(I_CODE) && !filled(POINTS) && !filled(G_POINTS) {
                    // Most likely the deduction (其他) without its cap.
                    let column = if columns.contains_key(CAP) { CAP } else { G_POINTS };
                    self.push(
                        sheet,
                        Some(n),
                        Some(column),
                        format!(
                            "一级指标 {}「{}」没有分值：若它是扣分项，请在「{CAP}」填写扣分上限（如 10）；若它计分，请填写「{G_POINTS}」",
                            v(G_CODE),
                            v(G_NAME)
                        ),
                    );
                    current = None;
                    continue;
                }
                let points = if filled(I_CODE) {
                    self.number(&r, G_POINTS, "一级指标分值（其各观测点分值之和）")
                } else if filled(POINTS) {
                    // Scored as a whole: the points may be in 分值, 一级指标分值 or both.
                    if filled(G_POINTS) && !same_number(v(G_POINTS), v(POINTS)) {
                        self.push(sheet, Some(n), Some(POINTS), format!("与「{G_POINTS}」{} 不一致：整体评分的一级指标两处应相同", v(G_POINTS)));
                    } else if !filled(G_POINTS) {
                        self.whole_points_from_item.insert(n);
                    }
                    Number::Text(v(POINTS).to_string())
                } else {
                    Number::Text(v(G_POINTS).to_string())
                };
                d.groups.push(DraftGroup {
                    code: v(G_CODE).to_string(),
                    name: v(G_NAME).to_string(),
                    points,
                    text: None,
                    evidence: Evidence::default(),
                    items: Vec::new(),
                    at,
                });
                current = Some(Current { index: d.groups.len() - 1, first_row: n, whole: false, mixed_reported: false });
                if !filled(I_CODE) {
                    // A 一级指标 scored as a whole, on this one row.
                    let g = d.groups.last_mut().expect("just pushed");
                    g.text = Some(v(TEXT).to_string());
                    g.evidence = evidence();
                    if filled(SHORT) {
                        self.push(sheet, Some(n), Some(SHORT), "整体评分的一级指标以「一级指标」为简称：「简称」须留空");
                    }
                    if let Some(c) = current.as_mut() {
                        c.whole = true;
                    }
                    continue;
                }
            } else if let Some(c) = &current {
                // A later row of the same 一级指标: what it repeats must agree.
                let g = &d.groups[c.index];
                if filled(G_NAME) && v(G_NAME) != g.name {
                    let message =
                        format!("“{}”与本一级指标第 {} 行的“{}”不一致：同一一级指标的各行应留空或填写相同内容", v(G_NAME), c.first_row, g.name);
                    self.push(sheet, Some(n), Some(G_NAME), message);
                }
                let first_points = match &g.points {
                    Number::Text(t) => t.clone(),
                    _ => String::new(),
                };
                if filled(G_POINTS) && !first_points.is_empty() && !same_number(v(G_POINTS), &first_points) {
                    let message =
                        format!("“{}”与本一级指标第 {} 行的“{first_points}”不一致：同一一级指标的各行应留空或填写相同内容", v(G_POINTS), c.first_row);
                    self.push(sheet, Some(n), Some(G_POINTS), message);
                }
            }
            let c = current.as_mut().expect("a 一级指标 is current");
            if !filled(I_CODE) {
                self.push(sheet, Some(n), Some(I_CODE), format!("没有填写观测点编号（本一级指标从第 {} 行开始）", c.first_row));
                continue;
            }
            if c.whole {
                if !c.mixed_reported {
                    c.mixed_reported = true;
                    self.push(
                        sheet,
                        Some(c.first_row),
                        Some(I_CODE),
                        format!("没有填写观测点编号：一级指标 {} 在第 {n} 行还有观测点，它的第一行也须是观测点", d.groups[c.index].code),
                    );
                }
                continue;
            }
            let points = self.number(&r, POINTS, "分值");
            d.groups[c.index].items.push(DraftItem {
                code: v(I_CODE).to_string(),
                short_name: v(SHORT).to_string(),
                text: v(TEXT).to_string(),
                points,
                evidence: evidence(),
                at,
            });
        }
    }
}

/// Splits a list cell on its separators, dropping empty pieces.
fn split(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Two numbers as written are the same number (`15` and `15.0`), or the same text.
fn same_number(a: &str, b: &str) -> bool {
    match (Tenths::parse(a), Tenths::parse(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// A problem of the rubric's own rules, at its sheet, row and column, worded for the workbook.
fn from_draft(p: DraftProblem<Loc>, whole_points_from_item: &HashSet<usize>) -> Problem {
    let sheet = match (p.at, p.part) {
        (Some(loc), _) => loc.sheet,
        (None, Part::Bands | Part::BandCode | Part::BandFrom | Part::BandTo) => BANDS_SHEET,
        (None, Part::Id | Part::Title | Part::Total | Part::Step | Part::CommentThreshold) => INFO_SHEET,
        (None, _) => ITEMS_SHEET,
    };
    let row = p.at.map(|l| l.row);
    let column = match p.part {
        Part::Id | Part::Title | Part::Total | Part::Step | Part::CommentThreshold => Some(VALUE),
        Part::Bands | Part::Groups => None,
        Part::BandCode => Some(B_CODE),
        Part::BandFrom => Some(B_FROM),
        Part::BandTo => Some(B_TO),
        Part::GroupCode | Part::DeductionCode => Some(G_CODE),
        Part::GroupPoints if row.is_some_and(|r| whole_points_from_item.contains(&r)) => Some(POINTS),
        Part::GroupPoints => Some(G_POINTS),
        Part::GroupText | Part::ItemText | Part::DeductionText | Part::VetoText => Some(TEXT),
        Part::ItemCode | Part::VetoCode => Some(I_CODE),
        Part::ItemPoints => Some(POINTS),
        Part::EvidenceFields => Some(FIELDS_COL),
        Part::EvidenceKeywords => Some(KEYWORDS),
        Part::DeductionCap => Some(CAP),
        Part::VetoEffect => Some(VETO),
    };
    // The rule's words where the TOML ones would not make sense here.
    let message = match p.part {
        Part::Id => "没有填写标识（如 henan-2023）".to_string(),
        Part::Title => "没有填写评分标准的名称".to_string(),
        Part::Bands => "没有任何等级：请至少填写一行，各等级合起来覆盖 0–100%".to_string(),
        Part::Groups => "没有任何观测点：请从第 2 行起每行填写一个观测点".to_string(),
        Part::GroupText => "没有填写：整体评分（没有观测点编号）的一级指标须在「观测点」中写明评分内容".to_string(),
        Part::EvidenceFields => p.message.replace("（可用字段见 docs/rubric-format.md）", "（可用的字段见「说明」工作表）"),
        _ => p.message,
    };
    Problem { sheet: Some(sheet.to_string()), row, column: column.map(str::to_string), message }
}

// ---- writing ----

/// The template filled with a rubric: what `保存评分标准模板` saves and staff edit in Excel or WPS.
/// [`read_rubric_xlsx`] reads it back to the same rubric (same hash), as long as no evidence keyword or field
/// holds a list separator (、，,；;) and no text starts or ends with spaces (cells are trimmed). The same rubric
/// always gives the same bytes (no clock).
pub fn write_template(rubric: &Rubric) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(1980, 1, 1).expect("a valid date");
    workbook.set_properties(&DocProperties::new().set_title(format!("评分标准：{}", rubric.title)).set_creation_datetime(&created));
    let head = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin).set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
    let text = cell.clone().set_num_format("@");
    let wrap = cell.clone().set_text_wrap();
    let merged = text.clone().set_align(FormatAlign::VerticalCenter).set_text_wrap();
    let merged_number = cell.clone().set_align(FormatAlign::VerticalCenter);

    // 评分指标
    let sheet = workbook.add_worksheet();
    sheet.set_name(ITEMS_SHEET).expect("a valid sheet name");
    let widths = [8.0, 14.0, 8.0, 8.0, 22.0, 60.0, 7.0, 8.0, 9.0, 26.0, 26.0];
    for (col, name) in ITEM_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &head).expect("in range");
        sheet.set_column_width(col as u16, widths[col]).expect("in range");
    }
    let col = |name: &str| ITEM_COLUMNS.iter().position(|c| *c == name).expect("a column") as u16;
    let mut row: u32 = 1;
    let join = |v: &[String]| v.join("、");
    for g in &rubric.groups {
        let first = row;
        if g.whole {
            let it = &g.items[0];
            write_text(sheet, row, col(G_CODE), &g.code, &text);
            write_text(sheet, row, col(G_NAME), &g.name, &wrap);
            write_points(sheet, row, col(G_POINTS), g.points, &cell);
            write_text(sheet, row, col(I_CODE), "", &text);
            write_text(sheet, row, col(SHORT), "", &wrap);
            write_text(sheet, row, col(TEXT), &it.text, &wrap);
            write_points(sheet, row, col(POINTS), it.points, &cell);
            write_text(sheet, row, col(FIELDS_COL), &join(&it.evidence.fields), &wrap);
            write_text(sheet, row, col(KEYWORDS), &join(&it.evidence.keywords), &wrap);
            for c in [CAP, VETO] {
                write_text(sheet, row, col(c), "", &cell);
            }
            row += 1;
            continue;
        }
        for it in &g.items {
            write_text(sheet, row, col(I_CODE), &it.code, &text);
            write_text(sheet, row, col(SHORT), &it.short_name, &wrap);
            write_text(sheet, row, col(TEXT), &it.text, &wrap);
            write_points(sheet, row, col(POINTS), it.points, &cell);
            write_text(sheet, row, col(FIELDS_COL), &join(&it.evidence.fields), &wrap);
            write_text(sheet, row, col(KEYWORDS), &join(&it.evidence.keywords), &wrap);
            for c in [CAP, VETO] {
                write_text(sheet, row, col(c), "", &cell);
            }
            row += 1;
        }
        let last = row - 1;
        if last > first {
            sheet.merge_range(first, col(G_CODE), last, col(G_CODE), &g.code, &merged).expect("in range");
            sheet.merge_range(first, col(G_NAME), last, col(G_NAME), &g.name, &merged).expect("in range");
            sheet.merge_range(first, col(G_POINTS), last, col(G_POINTS), "", &merged_number).expect("in range");
            write_points(sheet, first, col(G_POINTS), g.points, &merged_number);
        } else {
            write_text(sheet, first, col(G_CODE), &g.code, &text);
            write_text(sheet, first, col(G_NAME), &g.name, &wrap);
            write_points(sheet, first, col(G_POINTS), g.points, &cell);
        }
    }
    if let Some(d) = &rubric.deduction {
        write_text(sheet, row, col(G_CODE), &d.code, &text);
        write_text(sheet, row, col(G_NAME), &d.name, &wrap);
        for c in [G_POINTS, I_CODE, SHORT, POINTS, VETO] {
            write_text(sheet, row, col(c), "", &cell);
        }
        write_text(sheet, row, col(TEXT), &d.text, &wrap);
        write_points(sheet, row, col(CAP), d.cap, &cell);
        write_text(sheet, row, col(FIELDS_COL), &join(&d.evidence.fields), &wrap);
        write_text(sheet, row, col(KEYWORDS), &join(&d.evidence.keywords), &wrap);
        row += 1;
    }
    if !rubric.vetoes.is_empty() {
        let first = row;
        for v in &rubric.vetoes {
            for c in [G_CODE, G_POINTS, SHORT, POINTS, CAP, FIELDS_COL, KEYWORDS] {
                write_text(sheet, row, col(c), "", &cell);
            }
            write_text(sheet, row, col(I_CODE), &v.code, &text);
            write_text(sheet, row, col(TEXT), &v.text, &wrap);
            let effect = match v.effect {
                VetoEffect::Disqualify => DISQUALIFY,
                VetoEffect::Zero => ZERO,
            };
            write_text(sheet, row, col(VETO), effect, &cell);
            row += 1;
        }
        if row - 1 > first {
            sheet.merge_range(first, col(G_NAME), row - 1, col(G_NAME), "否定性指标", &merged).expect("in range");
        } else {
            write_text(sheet, first, col(G_NAME), "否定性指标", &wrap);
        }
    }
    let effects = DataValidation::new()
        .allow_list_strings(&[DISQUALIFY, ZERO])
        .expect("a short list")
        .set_input_title("否定性")
        .expect("short")
        .set_input_message("否定性指标填写“取消资格”或“计零分”，并留空「分值」；计分的观测点留空")
        .expect("short");
    sheet.add_data_validation(1, col(VETO), MAX_ROWS - 1, col(VETO), &effects).expect("in range");
    sheet.set_freeze_panes(1, 0).expect("in range");

    // 等级
    let sheet = workbook.add_worksheet();
    sheet.set_name(BANDS_SHEET).expect("a valid sheet name");
    for (col, name) in BAND_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &head).expect("in range");
        sheet.set_column_width(col as u16, 10.0).expect("in range");
    }
    for (i, b) in rubric.bands.iter().enumerate() {
        let row = i as u32 + 1;
        write_text(sheet, row, 0, &b.code, &text);
        write_text(sheet, row, 1, &b.label, &cell);
        sheet.write_number_with_format(row, 2, b.from_percent as f64, &cell).expect("in range");
        sheet.write_number_with_format(row, 3, b.to_percent as f64, &cell).expect("in range");
    }
    sheet.set_freeze_panes(1, 0).expect("in range");

    // 基本信息
    let sheet = workbook.add_worksheet();
    sheet.set_name(INFO_SHEET).expect("a valid sheet name");
    for (col, (name, width)) in [(KEY, 16.0), (VALUE, 56.0), ("说明", 70.0)].iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &head).expect("in range");
        sheet.set_column_width(col as u16, *width).expect("in range");
    }
    let info: [(&str, Option<String>, Option<Tenths>, &str); 7] = [
        (ID, Some(rubric.id.clone()), None, "评分标准的标识，如 henan-2023；内容不同的评分标准以校验码区分"),
        (TITLE, Some(rubric.title.clone()), None, "评分标准的名称，评审时显示给专家"),
        (SOURCE, Some(rubric.source.clone()), None, "文字出处，如 教办职成〔2023〕258号 附件1；可留空"),
        (TOTAL, None, Some(rubric.total), "满分，须等于「评分指标」中各一级指标分值之和（扣分项不计入）"),
        (STEP, None, Some(rubric.step), "打分的最小单位，如 0.5 或 1；每个分值和扣分上限都须是它的整数倍"),
        (
            THRESHOLD,
            None,
            Some(Tenths::points(rubric.comments.required_below_percent as i64)),
            "得分低于该观测点满分的这一百分比时须写评语（0–100 的整数，如 60）",
        ),
        (REASON, Some(if rubric.comments.required_for_deduction { "是" } else { "否" }.to_string()), None, "扣分时是否须写理由：是 / 否"),
    ];
    for (i, (key, value, number, note)) in info.iter().enumerate() {
        let row = i as u32 + 1;
        write_text(sheet, row, 0, key, &cell);
        match (value, number) {
            (Some(v), _) => write_text(sheet, row, 1, v, &text.clone().set_text_wrap()),
            (None, Some(p)) => write_points(sheet, row, 1, *p, &cell),
            _ => {}
        }
        write_text(sheet, row, 2, note, &wrap);
    }
    let yes_no = DataValidation::new().allow_list_strings(&["是", "否"]).expect("a short list");
    sheet.add_data_validation(7, 1, 7, 1, &yes_no).expect("in range");
    sheet.set_freeze_panes(1, 0).expect("in range");

    // 说明
    let sheet = workbook.add_worksheet();
    sheet.set_name(NOTES_SHEET).expect("a valid sheet name");
    sheet.set_column_width(0, 120.0).expect("in range");
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let plain = Format::new().set_text_wrap();
    for (row, line) in notes().into_iter().enumerate() {
        let (line, format) = match line.strip_prefix("# ") {
            Some(t) if row == 0 => (t.to_string(), &title),
            Some(t) => (t.to_string(), &bold),
            None => (line, &plain),
        };
        write_text(sheet, row as u32, 0, &line, format);
    }

    workbook.save_to_buffer().expect("an in-memory workbook always saves")
}

fn write_text(sheet: &mut Worksheet, row: u32, col: u16, value: &str, format: &Format) {
    sheet.write_string_with_format(row, col, value, format).expect("the template fits in a worksheet");
}

/// Points as a number cell; n/10 as a double prints back as the same decimal (4.5 → "4.5").
fn write_points(sheet: &mut Worksheet, row: u32, col: u16, value: Tenths, format: &Format) {
    sheet.write_number_with_format(row, col, value.0 as f64 / 10.0, format).expect("the template fits in a worksheet");
}

/// The 说明 sheet, line by line (`# ` marks a heading).
fn notes() -> Vec<String> {
    let mut lines: Vec<String> = [
        "# 评分标准模板：填写说明",
        "本工作簿是一份完整的评分标准。改好后在评审台中导入（或用 pingshen rubric check 检查），有问题时会逐条列出工作表、行号和列名。",
        "「评分指标」「等级」「基本信息」三个工作表都须保留，工作表名称不要改；第 1 行是表头，列的顺序可以调整，表头文字不要改；表格中间不要留空行。",
        "# 评分指标",
        "每行一个观测点。一级指标编号、一级指标、一级指标分值只须填在该一级指标的第一行（模板中已合并单元格），下面各行留空即属于同一一级指标；也可以每行重复填写相同内容。",
        "一级指标编号：如 1、2、…；观测点编号须以“一级指标编号.”开头，如 1.1、1.2。编号列已设为文本格式，请不要改成数字格式（否则 2.10 会变成 2.1）。",
        "一级指标分值：须等于该一级指标各观测点分值之和；各一级指标分值之和须等于「基本信息」中的总分。",
        "简称：观测点在列表中显示的短名称，可留空。观测点：官方文字原文。分值：该观测点的满分，须是步长的整数倍。",
        "整体评分的一级指标（没有观测点）：写一行，观测点编号留空，在「观测点」中写评分内容，在「分值」和「一级指标分值」中写同一分值。",
        "扣分项（如“其他”）：写一行，填写一级指标编号和一级指标（如 7、其他），在「观测点」中写扣分条件，在「扣分上限」中写最多可扣的分数；「分值」「一级指标分值」「观测点编号」留空。扣分项不计入总分，最多一个。",
        "否定性指标：每项一行，观测点编号写其编号（如 F1），「观测点」写条件，「否定性」填写“取消资格”（不参加排名）或“计零分”（得分计为 0）；「分值」「一级指标编号」留空，「一级指标」可写“否定性指标”。",
        "推荐书字段、关键词（可留空）：评分时帮助专家找到证据。多个值之间用顿号“、”或逗号分隔。推荐书字段只能用下表中的标识。",
        "「备注」列可以自行添加，不会被读取。",
        "# 等级",
        "每行一个等级：等级（如 A）、名称（如 优秀，可留空）、下限%、上限%（0–100 的整数，不要写成百分比格式）。各等级合起来须覆盖 0–100%，不重叠、不留空档，如 A 90–100、B 75–89、C 60–74、D 0–59。",
        "# 基本信息",
        "每行一项：标识、名称、来源（可留空）、总分、步长、评语分数线%（可省略，默认 60）、扣分须写理由（是/否，可省略，默认 是）。",
        "# 推荐书字段的标识",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    lines.extend(FIELDS.iter().map(|f| format!("{}：{}", f.id, f.label)));
    lines
}

#[cfg(test)]
mod tests;
