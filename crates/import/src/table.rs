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

/// Reads the first worksheet of an xlsx workbook into rows, numbered as Excel shows them.
pub(crate) fn xlsx_rows(bytes: &[u8]) -> Result<Vec<RawRow>, RowsError> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| RowsError::whole(format!("无法打开：不是有效的 .xlsx 工作簿（{e}）")))?;
    let range = match workbook.worksheet_range_at(0) {
        None => return Err(RowsError::whole("工作簿中没有工作表")),
        Some(Err(e)) => return Err(RowsError::whole(format!("无法读取第一个工作表（{e}）"))),
        Some(Ok(range)) => range,
    };
    // `start` is the absolute (row, column) of the range's top-left cell; rows before it are empty, and so
    // are the columns left of it (padded here so that column A is always index 0).
    let Some((first_row, first_col)) = range.start() else {
        return Ok(Vec::new());
    };
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row: Vec<Result<String, String>> = vec![Ok(String::new()); first_col as usize];
            row.extend(cells.iter().map(cell_text));
            RawRow { number: first_row as usize + i + 1, cells: row }
        })
        .collect())
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
