//! Rows of a spreadsheet as people send them: CSV UTF-8 (with or without a byte-order mark) or the first
//! worksheet of an .xlsx workbook, each row numbered as Excel/WPS show it (header = 1). Shared by the paper
//! score sheet (`scores`) and the expert list (`experts`), which turn a [`RowsError`] into their own error
//! naming the file.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

/// Why a file gives no rows: on one row (a CSV quote that never closes) or the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RowsError {
    pub(crate) row: Option<usize>,
    pub(crate) message: String,
}

impl RowsError {
    fn whole(message: impl Into<String>) -> RowsError {
        RowsError { row: None, message: message.into() }
    }
}

/// The rows of a spreadsheet file, by its extension.
pub(crate) fn read_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<RawRow>, RowsError> {
    match Kind::of(file_name) {
        Some(Kind::Csv) => csv_rows(bytes),
        Some(Kind::Xlsx) => xlsx_rows(bytes),
        None => Err(RowsError::whole(UNSUPPORTED)),
    }
}

pub(crate) const UNSUPPORTED: &str = "不支持的文件类型：请导入 .xlsx 工作簿或 CSV UTF-8（.csv）文件";
pub(crate) const NOT_UTF8: &str =
    "不是 UTF-8 编码的 CSV（WPS 或 Excel 可能存成了 GBK/ANSI 编码）。请在 WPS 或 Excel 中“另存为”，文件类型选“CSV UTF-8（逗号分隔）(*.csv)”后再导入，或直接导入 .xlsx 工作簿";

/// The two supported formats.
pub(crate) enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    /// By extension, case-insensitively.
    pub(crate) fn of(file_name: &str) -> Option<Kind> {
        let ext = Path::new(file_name).extension()?.to_string_lossy().to_lowercase();
        match ext.as_str() {
            "csv" => Some(Kind::Csv),
            "xlsx" => Some(Kind::Xlsx),
            _ => None,
        }
    }
}

/// One row of the file as cells. A cell is its text, or `Err` with why it has no usable text (an xlsx
/// cell holding a date or an error value such as `#N/A`).
pub(crate) struct RawRow {
    /// As Excel/WPS numbers it.
    pub(crate) number: usize,
    pub(crate) cells: Vec<Result<String, String>>,
}

impl RawRow {
    pub(crate) fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| matches!(c, Ok(s) if s.trim().is_empty()))
    }
}

/// Decodes a CSV file (UTF-8, optional BOM) into rows.
pub(crate) fn csv_rows(bytes: &[u8]) -> Result<Vec<RawRow>, RowsError> {
    if let Some(e) = too_big(bytes.len()) {
        return Err(e);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip archive: most likely a workbook renamed or saved under a .csv name.
        return Err(RowsError::whole("这是 Excel 工作簿（.xlsx），不是 CSV 文本：请把扩展名改为 .xlsx，或另存为“CSV UTF-8（逗号分隔）”"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| RowsError::whole(NOT_UTF8))?;
    let records = parse_csv(text).map_err(|row| RowsError {
        row: Some(row),
        message: "引号没有闭合：以引号开头的单元格须以引号结束（单元格中的引号要写成两个引号 \"\"）".into(),
    })?;
    Ok(records.into_iter().enumerate().map(|(i, fields)| RawRow { number: i + 1, cells: fields.into_iter().map(Ok).collect() }).collect())
}

/// Splits CSV text into records of fields (RFC 4180): fields separated by commas, records by CRLF, LF or
/// CR; a field that starts with `"` is quoted and may hold commas, newlines and doubled quotes `""`.
/// Lenient where Excel is: spaces before an opening quote are dropped, text after a closing quote is kept.
/// A final line break does not start another record. Err: the record (1-based) whose quote never closes.
pub(crate) fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, usize> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
            }
            ',' => record.push(std::mem::take(&mut field)),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(records.len() + 1);
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// The largest spreadsheet read (CSV or .xlsx): a national round's paper scores (626,235 rows) are 16 MB as
/// CSV and about as much as .xlsx.
pub(crate) const MAX_FILE_BYTES: usize = 128 << 20;
/// Columns a row may use: the paper-score sheet and the expert list have about ten.
pub(crate) const MAX_COLS: u32 = 100;
/// Cells with content a sheet may hold (a national round's paper scores have about 4 million).
pub(crate) const MAX_CELLS: usize = 10_000_000;
/// The workbook's zip: a worksheet may be large, everything else (shared strings, styles) is read whole.
const XLSX_ZIP: crate::xlsx_zip::Limits = crate::xlsx_zip::Limits { entries: 1000, total: 1 << 30, part: 256 << 20, ratio: 200 };

/// Reads a spreadsheet from disk, refusing one over [`MAX_FILE_BYTES`] before reading it (and reading no more
/// than that, should it grow meanwhile).
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, RowsError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| RowsError::whole(format!("无法读取文件 {}：{e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if let Some(e) = too_big(usize::try_from(len).unwrap_or(usize::MAX)) {
        return Err(e);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(cannot)?;
    match too_big(bytes.len()) {
        Some(e) => Err(e),
        None => Ok(bytes),
    }
}

/// The refusal of a file over [`MAX_FILE_BYTES`].
fn too_big(len: usize) -> Option<RowsError> {
    (len > MAX_FILE_BYTES).then(|| {
        RowsError::whole(format!(
            "文件有 {:.1} MB，超过 {} MB 的上限：请确认选择的文件，或分成几个文件导入",
            len as f64 / (1 << 20) as f64,
            MAX_FILE_BYTES >> 20
        ))
    })
}

/// Reads the first worksheet of an xlsx workbook into rows, numbered as Excel shows them. The zip is checked
/// first and the cells are streamed, never laid out as a dense range: a cell with content right of
/// [`MAX_COLS`], or more than [`MAX_CELLS`] cells, refuses the sheet, so two cells far apart cannot make the
/// reader allocate the whole grid. Only rows with a cell are returned (row numbers may skip).
pub(crate) fn xlsx_rows(bytes: &[u8]) -> Result<Vec<RawRow>, RowsError> {
    use crate::xlsx_zip::Refusal;
    if let Some(e) = too_big(bytes.len()) {
        return Err(e);
    }
    let not_xlsx = |detail: String| RowsError::whole(format!("无法打开：不是有效的 .xlsx 工作簿（{detail}）"));
    crate::xlsx_zip::check(bytes, XLSX_ZIP).map_err(|r| match r {
        Refusal::Damaged(detail) => not_xlsx(detail),
        Refusal::TooManyEntries(n) => not_xlsx(format!("含有 {n} 个部件，远多于一个工作簿应有的数量")),
        Refusal::Bomb => RowsError::whole("工作簿解压后大得异常，可能是恶意构造的文件（zip 炸弹），已拒绝读取"),
        Refusal::Encrypted => RowsError::whole("工作簿设有密码，无法读取：请取消密码后另存为 .xlsx 再导入"),
    })?;
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| not_xlsx(e.to_string()))?;
    let Some(name) = workbook.sheet_names().first().cloned() else {
        return Err(RowsError::whole("工作簿中没有工作表"));
    };
    let unreadable = |e: calamine::XlsxError| RowsError::whole(format!("无法读取第一个工作表（{e}）"));
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows: std::collections::BTreeMap<u32, Vec<Result<String, String>>> = std::collections::BTreeMap::new();
    let mut cells = 0usize;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let value = cell_text(&Data::from(cell.get_value().clone()));
        if matches!(&value, Ok(s) if s.is_empty()) {
            continue;
        }
        if col >= MAX_COLS {
            return Err(RowsError::whole(format!(
                "表格范围过大：第 {} 行第 {} 列有内容，超出了 {MAX_COLS} 列的上限。请删除表格以外的内容后再导入",
                row as u64 + 1,
                col as u64 + 1
            )));
        }
        cells += 1;
        if cells > MAX_CELLS {
            return Err(RowsError::whole(format!("表格内容过多：超过 {MAX_CELLS} 个单元格。请分成几个文件导入")));
        }
        let r = rows.entry(row).or_default();
        if r.len() <= col as usize {
            r.resize(col as usize + 1, Ok(String::new()));
        }
        r[col as usize] = value;
    }
    Ok(rows.into_iter().map(|(row, cells)| RawRow { number: row as usize + 1, cells }).collect())
}

/// The text of an xlsx cell. Numbers use Rust's shortest round-trip formatting, so the float 4.5 becomes
/// "4.5" and 3.0 becomes "3"; the text is parsed exactly later, never computed with.
pub(crate) fn cell_text(cell: &Data) -> Result<String, String> {
    match cell {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.clone()),
        Data::Float(f) => Ok(format!("{f}")),
        Data::Int(i) => Ok(i.to_string()),
        Data::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Err("是日期或时间格式：请把单元格格式设为“常规”或“文本”后重新填写".to_string())
        }
        Data::Error(e) => Err(format!("是错误值 {e}：请改为直接填写的内容")),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use rust_xlsxwriter::Workbook;

    use super::*;

    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (row, col, text) in cells {
            sheet.write_string(*row, *col, *text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    fn refusal(result: Result<Vec<RawRow>, RowsError>) -> String {
        match result {
            Ok(rows) => panic!("read {} rows", rows.len()),
            Err(e) => e.message,
        }
    }

    /// Regression (issue 13): a 1.5 KB workbook with A1 and XFD1048576 aborted the process in the dense
    /// range of calamine (17 billion cells). It is refused by its far cell, and nothing is laid out.
    #[test]
    fn two_cells_far_apart_are_refused_not_laid_out() {
        let bytes = workbook(&[(0, 0, "专家编号"), (1_048_575, 16_383, "x")]);
        assert!(bytes.len() < 10_000);
        let message = refusal(xlsx_rows(&bytes));
        assert!(message.contains("表格范围过大") && message.contains("第 1048576 行第 16384 列"), "{message}");
    }

    #[test]
    fn the_expert_list_and_the_paper_scores_refuse_it_naming_the_file() {
        let bytes = workbook(&[(0, 0, "专家编号"), (1_048_575, 16_383, "x")]);
        let e = crate::experts::read_experts("专家名单.xlsx", &bytes).unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert!(e.problems[0].file == "专家名单.xlsx" && e.problems[0].message.contains("表格范围过大"));
        let rubric = pingshen_core::rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap();
        let e = crate::scores::read_scores("纸质评分.xlsx", &bytes, &rubric, None, None).err().unwrap();
        assert!(e.len() == 1 && e[0].file == "纸质评分.xlsx" && e[0].message.contains("表格范围过大"), "{e:?}");
    }

    #[test]
    fn rows_far_apart_in_the_allowed_columns_read_as_two_rows() {
        let rows = xlsx_rows(&workbook(&[(0, 0, "专家编号"), (0, 3, "得分"), (1_048_575, 1, "x")])).unwrap();
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 1_048_576]);
        assert_eq!(rows[0].cells.len(), 4);
        assert_eq!(rows[1].cells[1], Ok("x".to_string()));
    }

    #[test]
    fn a_zip_bomb_inside_a_workbook_is_refused_before_it_is_read() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        zip.write_all(&vec![b' '; 4 << 20]).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(refusal(xlsx_rows(&bytes)).contains("zip 炸弹"));
    }

    #[test]
    fn a_file_over_the_budget_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("评分.xlsx");
        std::fs::File::create(&path).unwrap().set_len(MAX_FILE_BYTES as u64 + 1).unwrap();
        let e = read_file(&path).unwrap_err();
        assert!(e.message.contains("超过 128 MB 的上限"), "{}", e.message);
        assert!(refusal(csv_rows(&vec![b'a'; MAX_FILE_BYTES + 1])).contains("上限"));
    }
}
