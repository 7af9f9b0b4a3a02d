//! Expert lists (专家名单): a spreadsheet of a round's experts, read into [`Expert`]s; and the blank template.
//!
//! # The format (`docs/expert-list.md`)
//!
//! `.xlsx` (first worksheet) or UTF-8 CSV (with or without BOM). The first non-empty row is the header,
//! exactly
//!
//! ```text
//! 专家编号,姓名,单位,职称,专业领域,手机
//! ```
//!
//! optionally followed by a seventh column `角色` (组长 or 成员; blank is 成员; at most one 组长 in the list),
//! then one row per expert:
//!
//! - `姓名` and `单位` are required (the unit is what recusal proposals are matched against);
//! - `专家编号` may be left blank: blank codes become `E01`, `E02`, … in row order, skipping every code that
//!   another row of the file (or, with [`read_experts_for_round`], an expert of the round) already has;
//! - `手机` is blank or 11 digits starting with 1;
//! - `职称` and `专业领域` are free text;
//! - one 专家编号 per expert and one row per person (the same 姓名 + 单位 twice is an error).
//!
//! Cells are trimmed; fully empty rows are skipped anywhere; rows are numbered as Excel/WPS shows them (the
//! header is row 1). In an `.xlsx`, a number cell (a phone typed as a number) becomes its shortest exact
//! text (`13800138000`). A CSV that is not UTF-8 is refused with one message asking for "CSV UTF-8".
//!
//! # Errors
//!
//! Every problem at once, each `文件名 第 N 行：…`, in row order; when there is any, nothing is returned.
//!
//! The CSV and workbook reading mirrors `scores.rs` (same rules, same messages); it is kept here so that the
//! two readers can evolve separately until they are merged into one module.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use pingshen_core::expert::{Expert, Role};
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Workbook};

use crate::table::{read_rows, Kind, RawRow, UNSUPPORTED};
use crate::ImportError;

/// The header row, column by column.
pub const HEADER: [&str; 6] = ["专家编号", "姓名", "单位", "职称", "专业领域", "手机"];
/// The optional seventh column: 组长 or 成员 (blank: 成员).
pub const ROLE_HEADER: &str = "角色";

/// The name of the worksheet in the template.
pub const TEMPLATE_SHEET: &str = "专家名单";

const COL_CODE: usize = 0;
const COL_NAME: usize = 1;
const COL_UNIT: usize = 2;
const COL_TITLE: usize = 3;
const COL_FIELD: usize = 4;
const COL_PHONE: usize = 5;
const COL_ROLE: usize = 6;

/// An expert list as read: the experts, and whether the list has the 角色 column (then each expert's role is
/// the list's; without it every expert reads as 成员 and an import leaves the round's 组长 as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpertList {
    pub experts: Vec<Expert>,
    pub roles: bool,
}

/// One problem in an expert list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertListProblem {
    /// The file, as the user named it.
    pub file: String,
    /// The row as Excel/WPS numbers it (header = 1), when the problem is on one row.
    pub row: Option<usize>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for ExpertListProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "{} 第 {row} 行：{}", self.file, self.message),
            None => write!(f, "{}：{}", self.file, self.message),
        }
    }
}

/// Why an expert list cannot be read: every problem, in row order (one per line when displayed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ExpertListError {
    pub problems: Vec<ExpertListProblem>,
}

impl ExpertListError {
    fn whole_file(file: &str, message: impl Into<String>) -> ExpertListError {
        ExpertListError { problems: vec![ExpertListProblem { file: file.to_string(), row: None, message: message.into() }] }
    }
}

/// Reads an expert list from disk (`.csv` or `.xlsx`, any case). Messages name the file by its file name.
pub fn read_experts_file(path: &Path) -> Result<Vec<Expert>, ExpertListError> {
    read_experts_file_for_round(path, &[])
}

/// [`read_experts_file`] for a round that already has experts: a row without 专家编号 whose 姓名 and 单位
/// are those of an expert of the round takes that expert's code (so a list re-imported with blank codes
/// updates rather than adds), and new blank codes skip the codes of the round's experts.
pub fn read_experts_file_for_round(path: &Path, round_experts: &[Expert]) -> Result<Vec<Expert>, ExpertListError> {
    read_expert_list_file(path, round_experts).map(|l| l.experts)
}

/// [`read_experts_file_for_round`] with whether the list has the 角色 column.
pub fn read_expert_list_file(path: &Path, round_experts: &[Expert]) -> Result<ExpertList, ExpertListError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    if Kind::of(&name).is_none() {
        return Err(ExpertListError::whole_file(&name, UNSUPPORTED));
    }
    let bytes = crate::table::read_file(path).map_err(|e| ExpertListError::whole_file(&name, e.message))?;
    read_expert_list(&name, &bytes, round_experts)
}

/// Reads an expert list from memory; the format follows `file_name`'s extension, which also names the file
/// in messages.
pub fn read_experts(file_name: &str, bytes: &[u8]) -> Result<Vec<Expert>, ExpertListError> {
    read_experts_for_round(file_name, bytes, &[])
}

/// [`read_experts`] for a round that already has experts (see [`read_experts_file_for_round`]).
pub fn read_experts_for_round(file_name: &str, bytes: &[u8], round_experts: &[Expert]) -> Result<Vec<Expert>, ExpertListError> {
    read_expert_list(file_name, bytes, round_experts).map(|l| l.experts)
}

/// [`read_experts_for_round`] with whether the list has the 角色 column.
pub fn read_expert_list(file_name: &str, bytes: &[u8], round_experts: &[Expert]) -> Result<ExpertList, ExpertListError> {
    let rows = read_rows(file_name, bytes)
        .map_err(|e| ExpertListError { problems: vec![ExpertListProblem { file: file_name.to_string(), row: e.row, message: e.message }] })?;
    experts_from_rows(file_name, &rows, round_experts)
}

/// The blank template: the header with the 角色 column (bold, frozen), text-formatted columns, so that Excel
/// or WPS keeps `001` and phone numbers as typed, and a drop-down of 组长 / 成员 in the 角色 column.
pub fn experts_template_xlsx() -> Vec<u8> {
    let mut workbook = Workbook::new();
    // A fixed creation time (no clock): the template is the same bytes every time.
    let created = ExcelDateTime::from_ymd(1980, 1, 1).expect("a valid date");
    workbook.set_properties(&DocProperties::new().set_title("专家名单").set_creation_datetime(&created));
    let sheet = workbook.add_worksheet();
    sheet.set_name(TEMPLATE_SHEET).expect("a valid sheet name");
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let widths = [10.0, 12.0, 36.0, 14.0, 20.0, 15.0, 8.0];
    for (col, title) in HEADER.iter().chain([&ROLE_HEADER]).enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold).expect("row 1 exists");
        sheet.set_column_width(col as u16, widths[col]).expect("column in range");
        sheet.set_column_format(col as u16, &text).expect("column in range");
    }
    let roles = DataValidation::new()
        .allow_list_strings(&[Role::Leader.zh(), Role::Member.zh()])
        .expect("a short list")
        .set_input_message("组长或成员（留空即成员）；一个批次只能有一位组长")
        .expect("a short message");
    sheet.add_data_validation(1, COL_ROLE as u16, 1000, COL_ROLE as u16, &roles).expect("a valid range");
    sheet.set_freeze_panes(1, 0).expect("row 1 exists");
    workbook.save_to_buffer().expect("an in-memory workbook always saves")
}

/// Writes the blank template (see [`experts_template_xlsx`]) to `path`.
pub fn write_experts_template(path: &Path) -> Result<(), ImportError> {
    std::fs::write(path, experts_template_xlsx()).map_err(|e| ImportError::Io { path: path.to_path_buf(), source: e })
}

// ---- reading the two formats into rows of cells (as in scores.rs) ----

// ---- from rows to experts ----

/// 手机: empty, or 11 ASCII digits starting with 1.
fn phone_ok(phone: &str) -> bool {
    phone.is_empty() || (phone.len() == 11 && phone.starts_with('1') && phone.bytes().all(|b| b.is_ascii_digit()))
}

fn experts_from_rows(file: &str, rows: &[RawRow], round_experts: &[Expert]) -> Result<ExpertList, ExpertListError> {
    let mut problems: Vec<ExpertListProblem> = Vec::new();
    let at = |row: usize, message: String| ExpertListProblem { file: file.to_string(), row: Some(row), message };
    let mut rows = rows.iter().filter(|r| !r.is_empty());

    let expected = HEADER.join(",");
    let Some(header) = rows.next() else {
        return Err(ExpertListError::whole_file(file, format!("文件中没有内容：第 1 行应为表头“{expected}”")));
    };
    let mut found: Vec<String> = header.cells.iter().map(|c| c.as_deref().unwrap_or("（无效单元格）").trim().to_string()).collect();
    while found.last().is_some_and(|c| c.is_empty()) {
        found.pop();
    }
    let roles = found.len() == HEADER.len() + 1 && found[..HEADER.len()] == HEADER && found[HEADER.len()] == ROLE_HEADER;
    if found != HEADER && !roles {
        return Err(ExpertListError {
            problems: vec![at(header.number, format!("表头应为“{expected}”（可在最后加一列“{ROLE_HEADER}”），而此行是“{}”", found.join(",")))],
        });
    }
    let columns: usize = if roles { HEADER.len() + 1 } else { HEADER.len() };
    let mut leader_row: Option<usize> = None;

    // (row, expert with the code as given, possibly empty)
    let mut listed: Vec<(usize, Expert)> = Vec::new();
    for row in rows {
        let n = row.number;
        let mut cells: Vec<String> = Vec::new();
        for (col, title) in HEADER.iter().chain([&ROLE_HEADER]).take(columns).enumerate() {
            match row.cells.get(col) {
                None => cells.push(String::new()),
                Some(Ok(s)) => cells.push(s.trim().to_string()),
                Some(Err(why)) => {
                    problems.push(at(n, format!("“{title}”列的单元格{why}")));
                    cells.push(String::new());
                }
            }
        }
        let extra = row.cells.iter().skip(columns).filter(|c| !matches!(c, Ok(s) if s.trim().is_empty())).count();
        if extra > 0 {
            let last = if roles { ROLE_HEADER } else { HEADER[COL_PHONE] };
            problems.push(at(
                n,
                format!(
                    "第 {columns} 列“{last}”之后还有 {extra} 个单元格有内容：{}（单元格中如有逗号，须把整个单元格用英文双引号括起来）",
                    if roles { "名单只有 7 列" } else { "模板只有 6 列" }
                ),
            ));
        }
        let role = if roles {
            match Role::parse_zh(&cells[COL_ROLE]) {
                Some(r) => r,
                None => {
                    problems.push(at(n, format!("角色“{}”应为“组长”或“成员”（留空即成员）", cells[COL_ROLE])));
                    Role::Member
                }
            }
        } else {
            Role::Member
        };
        if role == Role::Leader {
            match leader_row {
                Some(first) => problems.push(at(n, format!("第 {first} 行和第 {n} 行都填了“组长”：一个评审批次只能有一位组长"))),
                None => leader_row = Some(n),
            }
        }
        let e = Expert {
            code: cells[COL_CODE].clone(),
            name: cells[COL_NAME].clone(),
            unit: cells[COL_UNIT].clone(),
            title: cells[COL_TITLE].clone(),
            field: cells[COL_FIELD].clone(),
            phone: cells[COL_PHONE].clone(),
            role,
        };
        if e.code.chars().any(char::is_whitespace) {
            problems.push(at(n, format!("专家编号“{}”不能含空格", e.code)));
        } else if let Some((first, _)) = listed.iter().find(|(_, p)| !e.code.is_empty() && p.code == e.code) {
            problems.push(at(n, format!("专家编号 {} 与第 {first} 行重复：一个专家编号只能对应一位专家", e.code)));
        }
        if e.name.is_empty() {
            problems.push(at(n, "姓名为空".to_string()));
        }
        if e.unit.is_empty() {
            problems.push(at(n, "单位为空：请填写专家的工作单位（回避建议按单位比对）".to_string()));
        }
        if !e.name.is_empty() && !e.unit.is_empty() {
            if let Some((first, _)) = listed.iter().find(|(_, p)| p.name == e.name && p.unit == e.unit) {
                problems.push(at(n, format!("与第 {first} 行是同一位专家（姓名“{}”、单位“{}”都相同）：每位专家只能登记一次", e.name, e.unit)));
            }
        }
        if !phone_ok(&e.phone) {
            problems.push(at(n, format!("手机“{}”应为以 1 开头的 11 位数字，或留空", e.phone)));
        }
        listed.push((n, e));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row); // stable: the problems of one row keep their order
        return Err(ExpertListError { problems });
    }

    // Blank codes: the round's code for the same person (unless the file gives that code to a row of its
    // own), else the next free E01, E02, ….
    let file_codes: HashSet<String> = listed.iter().map(|(_, e)| e.code.clone()).filter(|c| !c.is_empty()).collect();
    let mut taken: HashSet<String> = file_codes.clone();
    taken.extend(round_experts.iter().map(|e| e.code.clone()));
    let mut given: HashSet<String> = HashSet::new();
    let mut experts = Vec::with_capacity(listed.len());
    for (_, mut e) in listed {
        if e.code.is_empty() {
            let same =
                round_experts.iter().find(|r| r.name == e.name && r.unit == e.unit && !file_codes.contains(&r.code) && !given.contains(&r.code));
            e.code = match same {
                Some(r) => r.code.clone(),
                None => pingshen_core::code::next_free(pingshen_core::code::EXPERT, |c| taken.contains(c)),
            };
            taken.insert(e.code.clone());
            given.insert(e.code.clone());
        }
        experts.push(e);
    }
    Ok(ExpertList { experts, roles })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse_csv;
    use calamine::{Reader, Xlsx};
    use std::io::Cursor;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/experts");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    fn expert(code: &str, name: &str, unit: &str, title: &str, field: &str, phone: &str) -> Expert {
        Expert {
            code: code.into(),
            name: name.into(),
            unit: unit.into(),
            title: title.into(),
            field: field.into(),
            phone: phone.into(),
            ..Default::default()
        }
    }

    /// What `good.csv` (and `good.xlsx`) hold.
    fn good() -> Vec<Expert> {
        vec![
            expert("E01", "张建国", "河南工业职业技术学院", "教授", "装备制造", "13800138001"),
            expert("E02", "李文华", "郑州大学", "研究员", "电子信息", ""),
            expert("E03", "王晓燕", "中原（集团）有限公司", "高级工程师", "现代农业", "13900139003"),
            expert("E04", "赵明", "河南省教育科学研究院, 职成所", "副研究员", "职业教育", ""),
            expert("E06", "陈静", "洛阳理工学院", "副教授", "机械,自动化", "13700137005"),
            expert("E05", "刘洋", "河南农业大学", "", "", ""),
        ]
    }

    fn messages(e: ExpertListError) -> Vec<String> {
        e.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_list_reads_with_blank_codes_numbered_in_row_order() {
        let bytes = fixture("good.csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the fixture has a BOM");
        assert_eq!(read_experts("good.csv", &bytes).unwrap(), good());
        // The same without the BOM, and from disk.
        assert_eq!(read_experts("good.CSV", &bytes[3..]).unwrap(), good());
        assert_eq!(read_experts_file(&Path::new(FIXTURES).join("good.csv")).unwrap(), good());
    }

    #[test]
    fn the_xlsx_fixture_reads_the_same_as_the_csv() {
        let path = Path::new(FIXTURES).join("good.xlsx");
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, good_xlsx()).unwrap();
        }
        assert_eq!(read_experts_file(&path).unwrap(), good());
        assert_eq!(read_experts("x.xlsx", &good_xlsx()).unwrap(), good());
    }

    /// good.csv typed into a workbook: phones as number cells, an empty row in the middle (row 6).
    fn good_xlsx() -> Vec<u8> {
        let text = String::from_utf8(fixture("good.csv")).unwrap();
        let mut workbook = Workbook::new();
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1).unwrap()));
        let sheet = workbook.add_worksheet();
        let mut row = 0u32;
        for record in parse_csv(text.trim_start_matches('\u{feff}')).unwrap() {
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            for (col, cell) in record.iter().enumerate() {
                match cell.parse::<f64>() {
                    Ok(f) if col == COL_PHONE => sheet.write_number(row, col as u16, f).map(|_| ()).unwrap(),
                    _ if cell.is_empty() => {}
                    _ => sheet.write_string(row, col as u16, cell.as_str()).map(|_| ()).unwrap(),
                }
            }
            row += if row == 4 { 2 } else { 1 };
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn every_problem_is_reported_with_its_row() {
        let e = read_experts("bad.csv", &fixture("bad.csv")).unwrap_err();
        let expected = String::from_utf8(fixture("bad.expected.txt")).unwrap();
        assert_eq!(messages(e.clone()), expected.lines().collect::<Vec<_>>());
        assert_eq!(e.to_string(), expected.trim_end());
    }

    #[test]
    fn a_wrong_header_an_empty_file_and_gbk_are_one_problem_each() {
        let e = read_experts("h.csv", "编号,姓名,单位,职称,专业领域,手机\nE01,张三,甲,,,\n".as_bytes()).unwrap_err();
        assert_eq!(
            messages(e),
            ["h.csv 第 1 行：表头应为“专家编号,姓名,单位,职称,专业领域,手机”（可在最后加一列“角色”），而此行是“编号,姓名,单位,职称,专业领域,手机”"]
        );
        let e = read_experts("h.csv", "\n\n专家编号,姓名,单位,职称,专业领域,手机,,\n\nE01,张三,甲,,,\n".as_bytes()).unwrap();
        assert_eq!(e.len(), 1, "blank rows before the header and trailing empty header cells are fine");
        let e = read_experts("empty.csv", b"\r\n").unwrap_err();
        assert_eq!(messages(e), ["empty.csv：文件中没有内容：第 1 行应为表头“专家编号,姓名,单位,职称,专业领域,手机”"]);
        let gbk = b"\xd7\xa8\xbc\xd2\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb\n";
        let e = read_experts("gbk.csv", gbk).unwrap_err();
        assert!(e.to_string().starts_with("gbk.csv：不是 UTF-8 编码的 CSV"), "{e}");
        let e = read_experts("x.csv", &experts_template_xlsx()).unwrap_err();
        assert!(e.to_string().contains("这是 Excel 工作簿（.xlsx），不是 CSV 文本"), "{e}");
        let e = read_experts_file(Path::new("/nonexistent/名单.txt")).unwrap_err();
        assert_eq!(e.to_string(), "名单.txt：不支持的文件类型：请导入 .xlsx 工作簿或 CSV UTF-8（.csv）文件");
        let e = read_experts("u.csv", "专家编号,姓名,单位,职称,专业领域,手机\nE01,\"张三,甲,,,\n".as_bytes()).unwrap_err();
        assert_eq!(e.problems[0].row, Some(2));
    }

    #[test]
    fn a_round_keeps_the_codes_of_its_experts() {
        let round = vec![expert("E01", "张建国", "河南工业职业技术学院", "", "", ""), expert("E02", "孙丽", "某学院", "", "", "")];
        let csv = "专家编号,姓名,单位,职称,专业领域,手机\n,新专家,某企业,,,\n,张建国,河南工业职业技术学院,教授,,\n";
        let got = read_experts_for_round("r.csv", csv.as_bytes(), &round).unwrap();
        assert_eq!(got.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["E03", "E01"]);
    }

    #[test]
    fn the_role_column_is_optional_and_names_at_most_one_leader() {
        let csv = "专家编号,姓名,单位,职称,专业领域,手机,角色\nE01,张三,甲学院,,,,成员\nE02,李四,乙学院,,,,组长\nE03,王五,丙学院,,,,\n";
        let list = read_expert_list("r.csv", csv.as_bytes(), &[]).unwrap();
        assert!(list.roles);
        assert_eq!(list.experts.iter().map(|e| e.role).collect::<Vec<_>>(), [Role::Member, Role::Leader, Role::Member]);
        // Without the column: no roles, every expert 成员.
        let plain = read_expert_list("p.csv", "专家编号,姓名,单位,职称,专业领域,手机\nE01,张三,甲学院,,,\n".as_bytes(), &[]).unwrap();
        assert!(!plain.roles && plain.experts[0].role == Role::Member);
        // Two 组长 name both rows as Excel shows them; a wrong role and an 8th cell are named too.
        let bad = "专家编号,姓名,单位,职称,专业领域,手机,角色\n\nE01,张三,甲学院,,,,组长\nE02,李四,乙学院,,,,副组长\nE03,王五,丙学院,,,,组长,x\n";
        let e = read_expert_list("bad.csv", bad.as_bytes(), &[]).unwrap_err();
        assert_eq!(
            messages(e),
            [
                "bad.csv 第 4 行：角色“副组长”应为“组长”或“成员”（留空即成员）",
                "bad.csv 第 5 行：第 7 列“角色”之后还有 1 个单元格有内容：名单只有 7 列（单元格中如有逗号，须把整个单元格用英文双引号括起来）",
                "bad.csv 第 5 行：第 3 行和第 5 行都填了“组长”：一个评审批次只能有一位组长",
            ]
        );
    }

    #[test]
    fn the_template_is_the_header_and_reads_as_an_empty_list() {
        let bytes = experts_template_xlsx();
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(workbook.sheet_names(), vec![TEMPLATE_SHEET.to_string()]);
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.height(), 1);
        assert_eq!((0..6).map(|c| range.get_value((0, c)).unwrap().to_string()).collect::<Vec<_>>(), HEADER);
        assert_eq!(range.get_value((0, 6)).unwrap().to_string(), ROLE_HEADER);
        assert_eq!(read_expert_list("t.xlsx", &bytes, &[]).unwrap(), ExpertList { experts: vec![], roles: true });
        assert_eq!(read_experts("t.xlsx", &bytes).unwrap(), vec![]);
        let dir = std::env::temp_dir().join(format!("pingshen-experts-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("专家名单模板.xlsx");
        write_experts_template(&path).unwrap();
        assert_eq!(read_experts_file(&path).unwrap(), vec![]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(write_experts_template(Path::new("/nonexistent/dir/t.xlsx")).is_err());
    }
}
