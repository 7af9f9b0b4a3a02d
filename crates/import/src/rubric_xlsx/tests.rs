use std::path::{Path, PathBuf};

use calamine::Data;
use pingshen_core::rubric::{parse, to_toml};
use rust_xlsxwriter::{ExcelDateTime, Workbook};

use super::*;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rubric(dir: &str) -> Rubric {
    let text = std::fs::read_to_string(root().join("rubrics").join(dir).join("rubric.toml")).unwrap();
    parse(&text).unwrap()
}

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

fn read(bytes: &[u8]) -> Result<(String, Rubric), Vec<String>> {
    read_rubric_xlsx("评分标准.xlsx", bytes).map_err(|p| messages(&p))
}

// ---- a workbook as a table of cells, to edit as staff would and write back ----

#[derive(Clone, Debug)]
enum C {
    S(String),
    N(f64),
    Date,
}

#[derive(Clone, Debug)]
struct Book {
    sheets: Vec<(String, Vec<Vec<Option<C>>>)>,
}

fn s(text: &str) -> Option<C> {
    Some(C::S(text.to_string()))
}

fn n(value: f64) -> Option<C> {
    Some(C::N(value))
}

impl Book {
    /// A workbook's cells as calamine reads them (our own files only: a dense range is fine here).
    fn of(bytes: &[u8]) -> Book {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let mut sheets = Vec::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows: Vec<Vec<Option<C>>> = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells: Vec<Option<C>> = vec![None; c0 as usize];
                cells.extend(row.iter().map(|d| match d {
                    Data::String(t) if t.is_empty() => None,
                    Data::String(t) => s(t),
                    Data::Float(f) => n(*f),
                    Data::Int(i) => n(*i as f64),
                    Data::Empty => None,
                    other => panic!("unexpected {other:?}"),
                }));
                rows.push(cells);
            }
            sheets.push((name, rows));
        }
        Book { sheets }
    }

    fn template(r: &Rubric) -> Book {
        Book::of(&write_template(r))
    }

    fn sheet(&mut self, name: &str) -> &mut Vec<Vec<Option<C>>> {
        &mut self.sheets.iter_mut().find(|(n, _)| n == name).unwrap().1
    }

    /// The 0-based column of a header in a sheet.
    fn col(&mut self, sheet: &str, header: &str) -> usize {
        self.sheet(sheet)[0].iter().position(|c| matches!(c, Some(C::S(t)) if t == header)).unwrap()
    }

    /// Sets a cell by its row as Excel shows it and its column's header.
    fn set(&mut self, sheet: &str, row: usize, header: &str, value: Option<C>) -> &mut Book {
        let col = self.col(sheet, header);
        let rows = self.sheet(sheet);
        if rows[row - 1].len() <= col {
            rows[row - 1].resize(col + 1, None);
        }
        rows[row - 1][col] = value;
        self
    }

    /// The row (as Excel shows it) whose `header` cell holds `text`.
    fn row_of(&mut self, sheet: &str, header: &str, text: &str) -> usize {
        let col = self.col(sheet, header);
        self.sheet(sheet).iter().position(|r| matches!(r.get(col), Some(Some(C::S(t))) if t == text)).unwrap() + 1
    }

    fn remove_column(&mut self, sheet: &str, header: &str) -> &mut Book {
        let col = self.col(sheet, header);
        for row in self.sheet(sheet).iter_mut() {
            if row.len() > col {
                row.remove(col);
            }
        }
        self
    }

    fn write(&self) -> Vec<u8> {
        let mut workbook = Workbook::new();
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(1980, 1, 1).unwrap()));
        for (name, rows) in &self.sheets {
            let sheet = workbook.add_worksheet();
            sheet.set_name(name).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match cell {
                        None => {}
                        Some(C::S(t)) => {
                            sheet.write_string(r, c, t).unwrap();
                        }
                        Some(C::N(f)) => {
                            sheet.write_number(r, c, *f).unwrap();
                        }
                        Some(C::Date) => {
                            let date = ExcelDateTime::from_ymd(2023, 8, 20).unwrap();
                            sheet.write_datetime_with_format(r, c, &date, &Format::new().set_num_format("yyyy-mm-dd")).unwrap();
                        }
                    }
                }
            }
        }
        workbook.save_to_buffer().unwrap()
    }
}

// ---- round trips ----

#[test]
fn every_shipped_rubric_round_trips_through_toml_and_the_template() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("rubrics")).unwrap() {
        let path = entry.unwrap().path().join("rubric.toml");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let r = parse(&text).unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e.problems));
        // Rubric → canonical TOML → the same rubric, the same hash.
        let canonical = to_toml(&r);
        let back = parse(&canonical).unwrap();
        assert_eq!(back, r, "{}", path.display());
        assert_eq!(back.hash(), r.hash());
        // Rubric → template → the same rubric, the same hash, and its canonical TOML.
        let (toml, from_xlsx) = read(&write_template(&r)).unwrap_or_else(|p| panic!("{}: {p:#?}", path.display()));
        assert_eq!(from_xlsx, r, "{}", path.display());
        assert_eq!(from_xlsx.hash(), r.hash());
        assert_eq!(toml, canonical);
        seen += 1;
    }
    assert!(seen >= 2, "henan-2023 and example-with-veto at least");
}

#[test]
fn the_henan_template_has_the_documented_layout() {
    let henan = rubric("henan-2023");
    let bytes = write_template(&henan);
    assert_eq!(bytes, write_template(&henan), "the same bytes every time");
    let mut book = Book::of(&bytes);
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["评分指标", "等级", "基本信息", "说明"]);
    let header: Vec<String> = book.sheet("评分指标")[0].iter().map(|c| if let Some(C::S(t)) = c { t.clone() } else { String::new() }).collect();
    assert_eq!(
        header,
        ["一级指标编号", "一级指标", "一级指标分值", "观测点编号", "简称", "观测点", "分值", "扣分上限", "否定性", "推荐书字段", "关键词"]
    );
    // 1.1 on row 2 with its 一级指标; 1.2 below it with the 一级指标 columns merged (empty).
    let items = book.sheet("评分指标").clone();
    assert!(matches!(&items[1][0], Some(C::S(t)) if t == "1"));
    assert!(matches!(&items[1][2], Some(C::N(f)) if *f == 15.0));
    assert!(matches!(&items[1][3], Some(C::S(t)) if t == "1.1"));
    assert!(items[2][0].is_none() && items[2][2].is_none());
    assert!(matches!(&items[2][3], Some(C::S(t)) if t == "1.2"));
    // The deduction is the last row: 7 其他, its cap in 扣分上限.
    let last = items.last().unwrap();
    assert!(matches!(&last[0], Some(C::S(t)) if t == "7"));
    assert!(matches!(&last[7], Some(C::N(f)) if *f == 10.0));
    assert_eq!(items.len(), 1 + 25 + 1);
    let info = book.sheet("基本信息").clone();
    assert!(matches!(&info[1][0], Some(C::S(t)) if t == "标识"));
    assert!(matches!(&info[1][1], Some(C::S(t)) if t == "henan-2023"));
    assert!(matches!(&info[5][1], Some(C::N(f)) if *f == 0.5));
    let bands = book.sheet("等级").clone();
    assert_eq!(bands.len(), 5);
    assert!(matches!(&bands[2][2], Some(C::N(f)) if *f == 75.0));
    let notes = book.sheet("说明").clone();
    assert!(notes.iter().any(|r| matches!(&r[0], Some(C::S(t)) if t.starts_with("overview.members："))));
}

#[test]
fn the_veto_template_writes_vetoes_as_rows_with_their_effect() {
    let r = rubric("example-with-veto");
    let mut book = Book::template(&r);
    let row = book.row_of("评分指标", "观测点编号", "F1");
    let items = book.sheet("评分指标").clone();
    assert!(matches!(&items[row - 1][8], Some(C::S(t)) if t == "取消资格"));
    assert!(matches!(&items[row + 1][8], Some(C::S(t)) if t == "计零分"));
    assert!(items[row - 1][6].is_none(), "a veto has no 分值");
    assert!(matches!(&items[row - 1][1], Some(C::S(t)) if t == "否定性指标"));
}

/// A template as a staff member fills it in by hand: columns in another order, the 一级指标 repeated on
/// every row, numbers typed as text, a 备注 column, a whole 一级指标, a deduction, both kinds of veto,
/// the basic facts in another order, a comment rule left out, bands in ascending order.
#[test]
fn a_template_filled_in_by_hand_reads_as_the_expected_rubric() {
    let header =
        ["观测点编号", "一级指标编号", "一级指标", "一级指标分值", "观测点", "分值", "简称", "备注", "否定性", "扣分上限", "关键词", "推荐书字段"];
    let row = |cells: [Option<C>; 12]| cells.to_vec();
    let items = vec![
        header.iter().map(|h| s(h)).collect(),
        row([
            s("A.1"),
            s("A"),
            s("基础"),
            n(10.0),
            s("甲：\"引号\"与换行\n第二行"),
            n(4.0),
            s("甲"),
            s("随手记"),
            None,
            None,
            s("协议、基地，"),
            s("overview.members"),
        ]),
        row([s("A.2"), s("A"), s("基础"), s("10"), s("乙"), s("6"), None, None, None, None, None, None]),
        row([s("B.1"), s("B"), s("发展"), n(20.0), s("丙"), n(19.5), None, None, None, None, None, None]),
        row([s("B.2"), None, None, None, s("丁"), n(0.5), None, None, None, None, None, None]),
        row([None, s("C"), s("特色"), None, s("特色与创新整体评价"), n(10.0), None, None, None, None, s("特色"), s("features")]),
        row([None, s("D"), s("其他"), None, s("违规扣分"), None, None, None, None, n(5.0), None, s("integrity")]),
        row([s("F1"), None, s("否定性指标"), None, s("弄虚作假"), None, None, None, s("取消资格"), None, None, None]),
        row([s("F2"), None, None, None, s("逾期提交"), None, None, None, s("计零分"), None, None, None]),
    ];
    let bands = vec![
        vec![s("下限（%）"), s("上限%"), s("等级"), s("名称")],
        vec![n(0.0), n(59.0), s("不合格"), None],
        vec![s("60%"), n(100.0), s("合格"), s("达标")],
    ];
    let info = vec![
        vec![s("项目"), s("内容")],
        vec![s("步长"), n(0.5)],
        vec![s("总分"), s("40")],
        vec![s("名称"), s("手填的评分标准")],
        vec![s("标识"), s("by-hand")],
        vec![s("扣分须写理由"), s("否")],
    ];
    let book = Book { sheets: vec![("基本信息".into(), info), ("评分指标".into(), items), ("等级".into(), bands)] };
    let (toml, got) = read(&book.write()).unwrap_or_else(|p| panic!("{p:#?}"));

    let expected = parse(
        r#"
id = "by-hand"
title = "手填的评分标准"
total = 40
step = 0.5
[comments]
required_below_percent = 60
required_for_deduction = false
[[bands]]
code = "合格"
label = "达标"
from_percent = 60
to_percent = 100
[[bands]]
code = "不合格"
from_percent = 0
to_percent = 59
[[groups]]
code = "A"
name = "基础"
points = 10
[[groups.items]]
code = "A.1"
short_name = "甲"
text = "甲：\"引号\"与换行\n第二行"
points = 4
evidence.fields = ["overview.members"]
evidence.keywords = ["协议", "基地"]
[[groups.items]]
code = "A.2"
text = "乙"
points = 6
[[groups]]
code = "B"
name = "发展"
points = 20
[[groups.items]]
code = "B.1"
text = "丙"
points = 19.5
[[groups.items]]
code = "B.2"
text = "丁"
points = 0.5
[[groups]]
code = "C"
name = "特色"
points = 10
text = "特色与创新整体评价"
evidence.fields = ["features"]
evidence.keywords = ["特色"]
[deduction]
code = "D"
name = "其他"
text = "违规扣分"
cap = 5
evidence.fields = ["integrity"]
[[vetoes]]
code = "F1"
text = "弄虚作假"
effect = "disqualify"
[[vetoes]]
code = "F2"
text = "逾期提交"
effect = "zero"
"#,
    )
    .unwrap();
    assert_eq!(got, expected);
    assert_eq!(got.hash(), expected.hash());
    assert_eq!(toml, to_toml(&expected));
    assert!(got.groups[2].whole);
}

#[test]
fn editing_the_henan_template_changes_exactly_what_was_edited() {
    let henan = rubric("henan-2023");
    let mut book = Book::template(&henan);
    // 1.1 from 5 to 4 and 1.4 from 4 to 5 (the group still adds up); a new band label; step 1.
    let r11 = book.row_of("评分指标", "观测点编号", "1.1");
    let r14 = book.row_of("评分指标", "观测点编号", "1.4");
    book.set("评分指标", r11, "分值", n(4.0)).set("评分指标", r14, "分值", n(5.0));
    book.set("等级", 2, "名称", s("卓越"));
    let (_, got) = read(&book.write()).unwrap_or_else(|p| panic!("{p:#?}"));
    let mut expected = henan.clone();
    expected.groups[0].items[0].points = Tenths::points(4);
    expected.groups[0].items[3].points = Tenths::points(5);
    expected.bands[0].label = "卓越".into();
    assert_eq!(got, expected);
    assert_ne!(got.hash(), henan.hash());
}

// ---- refusals ----

#[test]
fn what_is_not_an_xlsx_is_refused_by_its_bytes() {
    let one = |name: &str, bytes: &[u8]| read_rubric_xlsx(name, bytes).unwrap_err().iter().map(|p| p.to_string()).collect::<Vec<_>>();
    assert_eq!(one("a.xlsx", b""), ["文件是空的：请选择填写好的评分标准模板（.xlsx）"]);
    let csv = one("a.csv", "一级指标编号,一级指标\n1,基本情况\n".as_bytes());
    assert!(csv[0].starts_with("这是 CSV 文本文件，不是 .xlsx 工作簿"), "{csv:?}");
    // A CSV renamed to .xlsx is still a CSV.
    assert!(one("a.xlsx", b"a,b\n1,2\n")[0].starts_with("这是文本文件（如 CSV），不是 .xlsx 工作簿"));
    assert!(one("a.xlsx", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])[0].starts_with("这是旧版 Excel 97-2003 工作簿（.xls）"));
    assert!(one("a.xlsx", &[0x89, b'P', b'N', b'G', 0, 0, 0])[0].starts_with("不是 .xlsx 工作簿"));
    let big = vec![b'P'; MAX_BYTES + 1];
    assert_eq!(one("a.xlsx", &big), ["文件有 5.0 MB，超过 5 MB 的上限：评分标准模板通常只有几十 KB，请确认选择的是评分标准模板"]);
    // A zip that is not a workbook, and a damaged one.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let not_a_workbook = zip.finish().unwrap().into_inner();
    assert!(one("a.xlsx", &not_a_workbook)[0].starts_with("无法打开：不是有效的 .xlsx 工作簿"));
    let mut damaged = write_template(&rubric("henan-2023"));
    damaged.truncate(damaged.len() / 2);
    assert!(one("a.xlsx", &damaged)[0].starts_with("不是有效的 .xlsx 工作簿或文件已损坏"), "{:?}", one("a.xlsx", &damaged));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_read() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 8 << 20];
    for _ in 0..9 {
        std::io::Write::write_all(&mut zip, &zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < MAX_BYTES, "{}", bytes.len());
    assert_eq!(messages(&read_rubric_xlsx("a.xlsx", &bytes).unwrap_err()), ["工作簿解压后大得异常，可能是恶意构造的文件（zip 炸弹），已拒绝读取"]);
}

#[test]
fn column_letters_are_as_excel_names_them() {
    assert_eq!([0, 25, 26, 27, 51, 52, 16383].map(column_letters), ["A", "Z", "AA", "AB", "AZ", "BA", "XFD"]);
}

// ---- the broken fixtures: generated here, refused here and through the CLI (tests/it/rubric_xlsx.rs) ----

fn fixtures_dir() -> PathBuf {
    root().join("tests/fixtures/broken-rubric-xlsx")
}

/// Every broken fixture: its file name and bytes.
fn broken_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let henan = rubric("henan-2023");
    let base = || Book::template(&henan);
    let mut out: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut add = |name: &'static str, book: &Book| out.push((name, book.write()));

    let mut b = base();
    b.remove_column("评分指标", "分值");
    add("missing-column.xlsx", &b);

    let mut b = base();
    b.sheets.retain(|(n, _)| n != "基本信息");
    add("missing-sheet.xlsx", &b);

    let mut b = base();
    let col = b.col("评分指标", "关键词");
    b.sheet("评分指标")[0][col] = s("关键字");
    add("unknown-column.xlsx", &b);

    let mut b = base();
    let row = b.row_of("评分指标", "观测点编号", "1.1");
    b.set("评分指标", row, "分值", n(6.0));
    add("points-do-not-add-up.xlsx", &b);

    let mut b = base();
    b.set("基本信息", 5, "内容", n(99.0));
    add("total-does-not-add-up.xlsx", &b);

    let mut b = base();
    let row = b.row_of("评分指标", "观测点编号", "2.2");
    b.set("评分指标", row, "观测点编号", s("2.1"));
    add("duplicate-code.xlsx", &b);

    let mut b = base();
    let row = b.row_of("评分指标", "观测点编号", "1.4");
    b.set("评分指标", row, "观测点编号", s("2.9"));
    add("item-in-wrong-group.xlsx", &b);

    let mut b = base();
    b.set("基本信息", 6, "内容", n(1.0));
    let (r11, r14) = (b.row_of("评分指标", "观测点编号", "1.1"), b.row_of("评分指标", "观测点编号", "1.4"));
    b.set("评分指标", r11, "分值", n(4.5)).set("评分指标", r14, "分值", n(4.5));
    add("step-does-not-divide.xlsx", &b);

    let mut b = base();
    b.sheet("评分指标").insert(5, Vec::new());
    add("empty-row-in-the-middle.xlsx", &b);

    let mut b = base();
    let row = b.row_of("评分指标", "观测点编号", "1.2");
    b.set("评分指标", row, "分值", s("三分"));
    b.set("基本信息", 5, "内容", s("一百"));
    add("text-in-a-number-cell.xlsx", &b);

    let mut b = base();
    let row = b.row_of("评分指标", "观测点编号", "3.1");
    b.set("评分指标", row, "分值", Some(C::Date));
    add("date-in-a-number-cell.xlsx", &b);

    let mut b = base();
    b.set("等级", 4, "等级", s("B"));
    b.set("等级", 5, "上限%", s("0.59"));
    add("bad-band-table.xlsx", &b);

    let mut b = base();
    b.set("等级", 3, "下限%", n(76.0));
    add("band-gap.xlsx", &b);

    let mut b = base();
    let row = b.row_of("评分指标", "一级指标编号", "7");
    b.set("评分指标", row, "扣分上限", None);
    add("deduction-without-cap.xlsx", &b);

    let mut b = Book::template(&rubric("example-with-veto"));
    let row = b.row_of("评分指标", "观测点编号", "F2");
    b.set("评分指标", row, "否定性", s("一票否决"));
    add("veto-with-an-unknown-effect.xlsx", &b);

    let mut b = Book::template(&rubric("example-with-veto"));
    let row = b.row_of("评分指标", "观测点编号", "F3");
    b.set("评分指标", row, "分值", n(5.0));
    add("veto-with-points.xlsx", &b);

    let mut b = base();
    b.sheet("基本信息").remove(5);
    add("missing-step-row.xlsx", &b);

    // Two cells far apart: A1 and XFD1048576. A dense range of this sheet would be 17 billion cells.
    let mut b = base();
    let items = b.sheet("评分指标");
    items.resize(1_048_576, Vec::new());
    let last = items.last_mut().unwrap();
    last.resize(16_384, None);
    last[16_383] = s("x");
    add("dimension-bomb.xlsx", &b);

    // Not a workbook at all.
    out.push(("old-format.xls", {
        // The start of a compound file (CFB), which is what an Excel 97-2003 .xls is.
        let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        v.resize(512, 0);
        v
    }));
    out.push((
        "saved-as-csv.csv",
        "\u{feff}一级指标编号,一级指标,一级指标分值,观测点编号,观测点,分值\r\n1,基本情况,15,1.1,联合体依托的产业园区总产值在省内位于前列,5\r\n"
            .as_bytes()
            .to_vec(),
    ));
    out
}

/// Each fixture is the bytes the generator makes (`UPDATE_FIXTURES=1` rewrites them) and is refused with
/// exactly the messages its `.expected.txt` lists, in order.
#[test]
fn broken_fixtures_are_current_and_refused_with_their_messages() {
    let dir = fixtures_dir();
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let fixtures = broken_fixtures();
    assert!(fixtures.len() >= 12);
    for (name, bytes) in &fixtures {
        let path = dir.join(name);
        if update || !path.exists() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
        assert!(std::fs::read(&path).unwrap() == *bytes, "{name} is not what the generator makes: UPDATE_FIXTURES=1 rewrites it");
        let got = messages(&read_rubric_xlsx(name, bytes).expect_err(name));
        let stem = name.rsplit_once('.').unwrap().0;
        let expected_path = dir.join(format!("{stem}.expected.txt"));
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| panic!("{name}: no {stem}.expected.txt; got:\n{}", got.join("\n")));
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(got, expected, "{name}");
    }
    // No stale fixture without its generator.
    for e in std::fs::read_dir(&dir).unwrap() {
        let file = e.unwrap().file_name().to_string_lossy().into_owned();
        let stem = file.trim_end_matches(".expected.txt");
        assert!(fixtures.iter().any(|(n, _)| *n == file || n.rsplit_once('.').unwrap().0 == stem), "{file} has no generator");
    }
}

/// The reader's own rules, all in one workbook: every problem at once, in the order of the workbook, each at
/// its sheet, row and column; nothing said twice about one cell.
#[test]
fn structural_problems_are_all_reported_at_their_cells() {
    let header = ["一级指标编号", "一级指标", "一级指标分值", "观测点编号", "简称", "观测点", "分值", "扣分上限", "否定性", "推荐书字段", "关键词"];
    let row = |cells: [Option<C>; 11]| cells.to_vec();
    let items = vec![
        header.iter().map(|h| s(h)).collect(),
        // 2: a 一级指标 without its points.
        row([s("1"), s("甲"), None, s("1.1"), None, s("甲一"), n(5.0), None, None, None, None]),
        // 3: a later row that names another 一级指标 (its points are not compared with the missing ones).
        row([None, s("乙"), n(7.0), s("1.2"), None, s("甲二"), n(5.0), None, None, s("nowhere"), None]),
        // 4: a 一级指标 scored as a whole, with a 简称 it cannot have …
        row([s("2"), s("丙"), n(10.0), None, s("简"), s("丙整体"), n(10.0), None, None, None, None]),
        // 5: … followed by an observation point.
        row([None, None, None, s("2.1"), None, s("丙一"), n(1.0), None, None, None, None]),
        // 6: the deduction with a 分值; 7: a second deduction.
        row([s("7"), s("其他"), None, None, None, s("扣分"), n(1.0), n(5.0), None, None, None]),
        row([s("8"), s("又一个"), None, None, None, s("扣分"), None, n(5.0), None, None, None]),
        // 8: a veto inside a 一级指标 code, without its own code, with an unknown effect.
        row([s("3"), s("否定性指标"), None, None, None, s("弄虚作假"), None, None, s("一票否决"), None, s("造假")]),
        // 9: a point with no 一级指标 above it (after the veto) and a date for points.
        row([None, None, None, s("4.1"), None, s("丁"), Some(C::Date), None, None, None, None]),
    ];
    let bands = vec![vec![s("等级"), s("名称"), s("下限%"), s("上限%")], vec![s("全部"), None, n(0.0), n(100.0)]];
    let info = vec![
        vec![s("项目"), s("内容")],
        vec![s("标识"), s("x")],
        vec![s("名称"), s("结构问题")],
        vec![s("总分"), n(20.0)],
        vec![s("步长"), n(0.5)],
        vec![s("步长"), n(1.0)],
        vec![s("满分"), n(20.0)],
        vec![s("评语分数线%"), n(0.6)],
        vec![s("扣分须写理由"), s("必须")],
    ];
    let book = Book { sheets: vec![("评分指标".into(), items), ("等级".into(), bands), ("基本信息".into(), info)] };
    let got = read(&book.write()).unwrap_err();
    assert_eq!(
        got,
        [
            "评分指标 第 2 行「一级指标分值」：没有填写一级指标分值（其各观测点分值之和）",
            "评分指标 第 3 行「一级指标」：“乙”与本一级指标第 2 行的“甲”不一致：同一一级指标的各行应留空或填写相同内容",
            "评分指标 第 3 行「推荐书字段」：证据提示中的推荐书字段 `nowhere` 不存在（可用的字段见「说明」工作表）",
            "评分指标 第 4 行「简称」：整体评分的一级指标以「一级指标」为简称：「简称」须留空",
            "评分指标 第 4 行「观测点编号」：没有填写观测点编号：一级指标 2 在第 5 行还有观测点，它的第一行也须是观测点",
            "评分指标 第 6 行「分值」：扣分项不计入总分：「分值」须留空（扣分上限写在「扣分上限」）",
            "评分指标 第 7 行「扣分上限」：只能有一个扣分项（第 6 行已是扣分项）",
            "评分指标 第 8 行「否定性」：“一票否决”无法识别：只能填写“取消资格”（不参加排名）或“计零分”（得分计为 0）",
            "评分指标 第 8 行「观测点编号」：否定性指标须填写编号（如 F1）",
            "评分指标 第 8 行「一级指标编号」：否定性指标不属于任何一级指标：请留空（可在「一级指标」写“否定性指标”）",
            "评分指标 第 8 行「关键词」：否定性指标没有「关键词」：请留空",
            "评分指标 第 9 行「分值」：是日期或时间格式：请把单元格格式设为“常规”或“文本”后重新填写",
            "评分指标 第 9 行「一级指标编号」：没有填写：每个一级指标的第一行须填写一级指标编号、一级指标和一级指标分值",
            "基本信息 第 6 行「项目」：“步长”写了两次（另见第 5 行）：请删去一行",
            "基本信息 第 7 行「项目」：“满分”不是本表的项目：应为 标识、名称、来源、总分、步长、评语分数线%、扣分须写理由 之一",
            "基本信息 第 8 行「内容」：“0.6”不是整数：请填写 0–100 的整数，如 60（若单元格是百分比格式，请改为“常规”）",
            "基本信息 第 9 行「内容」：“必须”无法识别：只能填写“是”或“否”",
        ]
    );
}

#[test]
fn a_header_without_a_required_column_or_with_one_twice_reads_nothing_more() {
    let mut book = Book::template(&rubric("henan-2023"));
    let col = book.col("评分指标", "简称");
    book.sheet("评分指标")[0][col] = s("观测点");
    book.remove_column("等级", "名称");
    let got = read(&book.write()).unwrap_err();
    assert_eq!(got, ["评分指标 第 1 行：「观测点」列出现了两次（E 列和 F 列）：请删去一列"]);
}
