//! Tests of the .docx reader on documents written here: the Henan 推荐书 template filled in with the data of
//! `sample-applications/jiyuan/application.toml`, once the way Word writes it and once the way WPS does.

use std::io::Write;

use pingshen_core::application::{parse_application, Application, MEMBER_TYPES};
use pingshen_core::form::figure;

use super::*;

const JIYUAN: &str = include_str!("../../../../sample-applications/jiyuan/application.toml");

fn jiyuan() -> Application {
    parse_application(JIYUAN).expect("the sample parses")
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// One run per paragraph, `w:vMerge w:val="continue"`, cover as "label：value" paragraphs.
    Word,
    /// Text split over several runs with `w:proofErr`/`w:bookmarkStart` between them, bare `w:vMerge` for
    /// continue, `w:gridSpan` on merged header cells, cover with underlined value runs.
    Wps,
}

/// A cell of the template: text, columns spanned, vertical merge (None, Some(true) restart, Some(false)
/// continue).
#[derive(Clone)]
struct C {
    text: String,
    span: usize,
    vmerge: Option<bool>,
}

fn c(text: impl Into<String>) -> C {
    C { text: text.into(), span: 1, vmerge: None }
}
fn cs(text: impl Into<String>, span: usize) -> C {
    C { text: text.into(), span, vmerge: None }
}
fn restart(text: impl Into<String>) -> C {
    C { text: text.into(), span: 1, vmerge: Some(true) }
}
fn cont() -> C {
    C { text: String::new(), span: 1, vmerge: Some(false) }
}

enum Piece {
    Para(String),
    /// A paragraph with a struck-out run.
    Struck(String),
    Table(Vec<Vec<C>>),
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn runs(text: &str, style: Style) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    match style {
        Style::Word => {
            // A line break inside the paragraph is a w:br; a tab a w:tab.
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    out.push_str("<w:r><w:br/></w:r>");
                }
                for (j, part) in line.split('\t').enumerate() {
                    if j > 0 {
                        out.push_str("<w:r><w:tab/></w:r>");
                    }
                    if !part.is_empty() {
                        out.push_str(&format!(
                            r#"<w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
                            esc(part)
                        ));
                    }
                }
            }
        }
        Style::Wps => {
            // Chunks of 3 characters, each its own run, with proofing marks and a bookmark in between.
            for (k, chunk) in chars.chunks(3).enumerate() {
                let s: String = chunk.iter().collect();
                if k % 4 == 1 {
                    out.push_str(r#"<w:proofErr w:type="spellStart"/>"#);
                }
                if k == 2 {
                    out.push_str(r#"<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>"#);
                }
                for (j, piece) in s.split('\n').enumerate() {
                    if j > 0 {
                        out.push_str("<w:r><w:br/></w:r>");
                    }
                    if !piece.is_empty() {
                        out.push_str(&format!(
                            r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr><w:t>{}</w:t></w:r>"#,
                            esc(piece)
                        ));
                    }
                }
                if k % 4 == 1 {
                    out.push_str(r#"<w:proofErr w:type="spellEnd"/>"#);
                }
            }
        }
    }
    out
}

fn para(text: &str, style: Style) -> String {
    format!(r#"<w:p><w:pPr><w:spacing w:line="320" w:lineRule="exact"/><w:rPr><w:strike/></w:rPr></w:pPr>{}</w:p>"#, runs(text, style))
}

fn table(rows: &[Vec<C>], style: Style) -> String {
    let cols = rows.iter().map(|r| r.iter().map(|c| c.span).sum::<usize>()).max().unwrap_or(1);
    let mut out = String::from(r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders/></w:tblPr><w:tblGrid>"#);
    for _ in 0..cols {
        out.push_str(r#"<w:gridCol w:w="1200"/>"#);
    }
    out.push_str("</w:tblGrid>");
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:trHeight w:val=\"400\"/></w:trPr>");
        for cell in row {
            out.push_str("<w:tc><w:tcPr><w:tcW w:w=\"1200\" w:type=\"dxa\"/>");
            if cell.span > 1 {
                out.push_str(&format!(r#"<w:gridSpan w:val="{}"/>"#, cell.span));
            }
            match (cell.vmerge, style) {
                (Some(true), _) => out.push_str(r#"<w:vMerge w:val="restart"/>"#),
                (Some(false), Style::Word) => out.push_str(r#"<w:vMerge w:val="continue"/>"#),
                (Some(false), Style::Wps) => out.push_str("<w:vMerge/>"),
                (None, _) => {}
            }
            out.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
            let paragraphs: Vec<&str> = if style == Style::Wps { vec![cell.text.as_str()] } else { cell.text.split("\n\n").collect() };
            for p in paragraphs {
                out.push_str(&para(p, style));
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

fn pair(p: &pingshen_core::application::YearPair, unit: &str, style: Style) -> [C; 2] {
    let f = |v: Option<f64>| match (v, style) {
        (None, _) => unit.to_string(),
        (Some(x), Style::Word) => format!("{}{unit}", figure(Some(x))),
        (Some(x), Style::Wps) => figure(Some(x)),
    };
    [c(f(p.0)), c(f(p.1))]
}

/// The filled-in template as pieces, in the form's order.
fn form(a: &Application, style: Style) -> Vec<Piece> {
    let mut v = Vec::new();
    let o = &a.overview;
    let s = &o.secretariat;
    let f = &o.funding;
    v.push(Piece::Para("市域产教联合体推荐书".into()));
    let cover = [
        ("联合体名称", &a.cover.name, ""),
        ("推荐单位", &a.cover.recommender, ""),
        ("依托园区", &a.cover.park, "（公章）"),
        ("牵头学校", &a.cover.lead_school, "（公章）"),
        ("牵头企业", &a.cover.lead_enterprise, "（公章）"),
        ("填表日期", &a.cover.date, ""),
    ];
    for (label, value, seal) in cover {
        v.push(Piece::Para(match style {
            Style::Word => format!("{label}：{value}{seal}"),
            Style::Wps => format!("{label}\t___{value}___ {seal}"),
        }));
    }
    v.push(Piece::Para("河南省教育厅制".into()));
    v.push(Piece::Para("说  明".into()));
    v.push(Piece::Para("一、请如实填写，规范严谨，及时提交。".into()));
    v.push(Piece::Para("三、年度数据截止时间为每年12月31日，2022年数据为拟组成联合体成员单位的汇总数据。".into()));
    v.push(Piece::Para("1. 联合体概况".into()));
    let num = |x: Option<f64>| figure(x);
    let mut rows = vec![
        vec![cs("联合体名称", 2), cs(&a.cover.name, 2), c("（拟）成立时间"), cs(&o.established, 2)],
        vec![cs("联合体负责人", 2), cs(&o.leader, 2), c("职务及联系方式"), cs(&o.leader_title_contact, 2)],
        vec![restart("秘书处(办公室)情况"), c("秘书处所在单位"), cs(&s.host_unit, 2), c("秘书处负责人"), cs(&s.head, 2)],
        vec![cont(), c("固定办公面积"), cs(format!("{} m²", num(s.office_area_m2)), 2), c("联系电话"), cs(&s.phone, 2)],
        vec![cont(), c("人员总数"), c(s.total.to_string()), c("专职人数"), c(s.full_time.to_string()), c("兼职人数"), c(s.part_time.to_string())],
        vec![cont(), c("人员姓名"), cs(s.staff.join("、"), 5)],
        vec![restart("联合体成员情况"), c("组成"), cs("数量（在校生数）", 2), cs("单位名称", 3)],
    ];
    for kind in MEMBER_TYPES {
        let g = o.members.iter().find(|g| g.kind == kind);
        let (count, units) = match g {
            Some(g) => (
                match g.students {
                    Some(st) => format!("{}（{}）", g.count, st),
                    None => g.count.to_string(),
                },
                g.units.join(if style == Style::Wps { "\n" } else { "、" }),
            ),
            None => (String::new(), String::new()),
        };
        rows.push(vec![cont(), c(kind.replace('(', "（").replace(')', "）")), cs(count, 2), cs(units, 3)]);
    }
    rows.push(vec![c("拟投入运行经费总额（万元）"), c("2023年"), c(num(f.y2023)), c("2024年"), c(num(f.y2024)), c("2025年"), c(num(f.y2025))]);
    rows.push(vec![restart("2023年拟投入运行经费来源（万元）"), c("牵头单位负担"), cs(num(f.lead), 5)]);
    rows.push(vec![cont(), c("政府核拨"), cs(num(f.government), 5)]);
    rows.push(vec![cont(), c("其他成员负担"), cs(num(f.members), 5)]);
    rows.push(vec![cont(), c("其他途径"), cs(num(f.other), 5)]);
    rows.push(vec![cs("2022年产业园区总产值（亿元）", 2), cs(num(o.park_output_2022), 5)]);
    rows.push(vec![cs("产业园区主导产业情况", 2), cs(format!("（不超过200字）\n\n{}", o.leading_industry), 5)]);
    v.push(Piece::Table(rows));
    v.push(Piece::Para("¹ 联合体负责人指所在产业园区管委会负责同志。".into()));
    v.push(Piece::Para("² 2023—2025年填写承诺建成数据，下同。".into()));
    v.push(Piece::Table(vec![vec![cs("联合体所在地制定支持职业教育政策及落实情况", 2), cs(&o.policy, 5)]]));

    v.push(Piece::Para("2. 办学成效和服务能力".into()));
    let r = &a.resources;
    let t = &a.talent;
    let sv = &a.service;
    let e = &a.enterprises;
    let row2 = |first: C, label: C, p: [C; 2]| {
        let [x, y] = p;
        vec![first, label, x, y]
    };
    let mut rows = vec![vec![restart("资源共建共享"), cs("项目名称", 2), c("2022 年"), c("2023 年")]];
    for (label, p) in [
        ("共建专业", &r.majors),
        ("共建课程", &r.courses),
        ("共建教材", &r.textbooks),
        ("共建实训基地", &r.training_bases),
        ("共建产业学院", &r.industry_colleges),
    ] {
        rows.push(row2(cont(), cs(label, 2), pair(p, "个", style)));
    }
    let [a1, a2] = pair(&r.enterprise_teachers, "人次", style);
    rows.push(vec![cont(), restart("师资共建共享"), restart("企业兼职教师"), a1, a2]);
    let [a1, a2] = pair(&r.enterprise_teacher_hours, "课时数", style);
    rows.push(vec![cont(), cont(), cont(), a1, a2]);
    let [a1, a2] = pair(&r.interschool_teachers, "人次", style);
    rows.push(vec![cont(), cont(), restart("校际兼职教师"), a1, a2]);
    let [a1, a2] = pair(&r.interschool_teacher_hours, "课时数", style);
    rows.push(vec![cont(), cont(), cont(), a1, a2]);
    rows.push(row2(cont(), cs("教师企业实践", 2), pair(&r.teacher_practice_months, "人月", style)));
    rows.push(vec![cont(), cs("教师教学团队获国家级奖励情况", 2), cs(&r.teaching_awards, 2)]);
    rows.push(vec![restart("人才培养质量"), restart("联合培养情况"), c("类型"), c("2022 年"), c("2023 年")]);
    for (label, p) in [("中国特色学徒制培养", &t.apprenticeship), ("现场工程师培养", &t.field_engineers), ("其他联合培养", &t.other_joint)]
    {
        let [x, y] = pair(p, "人", style);
        rows.push(vec![cont(), cont(), c(label), x, y]);
    }
    rows.push(row2(cont(), cs("发布人才需求报告（个）", 2), pair(&t.demand_reports, "", style)));
    rows.push(vec![cont(), cs("搭建人才供需信息平台，完善职业教育专业动态调整机制情况", 2), c(&t.platform.0), c(&t.platform.1)]);
    rows.push(vec![
        cont(),
        cs("联合体各类主体深入合作，及时把新方法、新技术、新工艺、新标准引入教育教学实践情况", 2),
        c(&t.four_new.0),
        c(&t.four_new.1),
    ]);
    for (label, p, unit) in [
        ("联合体内企业设立学徒岗位占岗位总量的比例（%）", &t.apprentice_post_ratio, "%"),
        ("联合体内企业为学生提供实习实训量（人月）", &t.internship_months, ""),
        ("中高职贯通培养（人数）", &t.secondary_higher, ""),
        ("中高本衔接培养（人数）", &t.secondary_higher_bachelor, ""),
        ("联合体内普通本科学校招收中高职毕业生和企业一线优秀员工就读本科和专业学位研究生（人数）", &t.bachelor_intake, ""),
        ("通过“文化素质+职业技能”考试招生学生升学比例（%）", &t.exam_progression_ratio, "%"),
        ("联合体学校整体就业率（%）", &t.employment_rate, "%"),
    ] {
        rows.push(row2(cont(), cs(label, 2), pair(p, unit, style)));
    }
    rows.push(vec![cont(), cs("职业学校技能大赛获奖情况", 2), cs(format!("（不超过100字）{}", t.skill_contests), 2)]);
    rows.push(vec![restart("服务 发展 能力"), cs("项目名称", 2), c("2022 年"), c("2023 年")]);
    rows.push(row2(cont(), cs("共性技术服务平台（个）", 2), pair(&sv.platforms, "", style)));
    let slash = |x: Option<f64>, y: Option<f64>| format!("{}%/{}万元", figure(x), figure(y));
    rows.push(vec![
        cont(),
        cs("校企合作开展技术研发的成果转化率（%）/到账经费（万元）", 2),
        c(slash(sv.conversion_rate.0, sv.rnd_funds.0)),
        c(slash(sv.conversion_rate.1, sv.rnd_funds.1)),
    ]);
    for (label, p) in [
        ("研究成果数量（个）", &sv.research_outputs),
        ("技能鉴定量（人次）", &sv.skill_certifications),
        ("大师工作室数量（个）", &sv.master_studios),
        ("面向企业员工开展培训数（人日）", &sv.employee_training_days),
        ("面向农民工、退役军人、下岗职工等培训数（人日）", &sv.community_training_days),
    ] {
        rows.push(row2(cont(), cs(label, 2), pair(p, "", style)));
    }
    rows.push(row2(restart("联合 体 企 业 情 况"), cs("企业职工总数（人）", 2), pair(&e.employees, "", style)));
    rows.push(row2(cont(), cs("企业资产总额（万元）", 2), pair(&e.assets, "", style)));
    rows.push(vec![cont(), cs("2022 年企业销售总额（万元）", 2), cs(num(e.sales_2022), 2)]);
    rows.push(vec![cont(), cs("2022 年校企合作产生的直接经济效益（万元）", 2), cs(num(e.direct_benefit_2022), 2)]);
    rows.push(row2(cont(), cs("规模以上企业数（个）", 2), pair(&e.above_scale, "", style)));
    rows.push(row2(cont(), cs("限额以上企业数（个）", 2), pair(&e.above_quota, "", style)));
    v.push(Piece::Table(rows));
    v.push(Piece::Para("¹ 规模以上工业：指年主营业务收入在 2000 万元及以上的工业企业。".into()));

    v.push(Piece::Para("3. 特色与创新".into()));
    v.push(Piece::Para("（2000 字以内）".into()));
    for p in a.features.split("\n\n") {
        v.push(Piece::Para(p.into()));
    }
    let statement = "产教联合体各成员单位近 3 年内在招生、就业、安全等领域未发生过违法或重大违规事件。";
    v.push(if a.integrity_statement { Piece::Para(statement.into()) } else { Piece::Struck(statement.into()) });
    v.push(Piece::Para("4. 建设规划".into()));
    v.push(Piece::Para("（1000 字以内）".into()));
    for p in a.plan.split("\n\n") {
        v.push(Piece::Para(p.into()));
    }
    v.push(Piece::Para("5. 申报承诺".into()));
    let pl = &a.pledge;
    v.push(Piece::Table(vec![
        vec![
            c("申报单位承诺"),
            c(format!(
                "我承诺：前述所填报数据、内容均真实、准确、有效，并自愿接受有关方面核查。如有弄虚作假或其他违规行为，自愿退出认定，并接受处理。\n\n负责人签字：{}\n\n公章\n\n{}",
                pl.signatory, pl.date
            )),
        ],
        vec![
            c("教育行政部门意见"),
            c(format!(
                "推荐意见：\n\n{}\n\n省辖市、济源示范区、航空港区、省直管县（市）教育行政部门负责人签字\n\n公章\n\n年  月  日",
                pl.recommendation
            )),
        ],
    ]));
    v
}

fn document_xml(pieces: &[Piece], style: Style) -> String {
    let mut body = String::new();
    for p in pieces {
        match p {
            Piece::Para(t) => body.push_str(&para(t, style)),
            Piece::Struck(t) => body.push_str(&format!(
                r#"<w:p><w:r><w:rPr><w:strike/></w:rPr><w:t>{}</w:t></w:r><w:r><w:rPr><w:strike w:val="0"/></w:rPr><w:t xml:space="preserve"> </w:t></w:r></w:p>"#,
                esc(t)
            )),
            Piece::Table(rows) => body.push_str(&table(rows, style)),
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" mc:Ignorable="w14"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

/// A .docx (zip) with the given main part, and the parts Word needs to open it.
pub(crate) fn docx_bytes(document_xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
                .to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
                .to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#
                .to_string(),
        ),
        ("word/document.xml", document_xml.to_string()),
    ];
    for (name, content) in parts {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

fn filled(app: &Application, style: Style) -> Vec<u8> {
    docx_bytes(&document_xml(&form(app, style), style))
}

#[test]
fn a_template_filled_in_word_reads_back_as_the_application() {
    let app = jiyuan();
    let read = read_docx("济源推荐书.docx", &filled(&app, Style::Word)).unwrap();
    assert_eq!(read.source, FormSource::Docx);
    assert!(!read.needs_manual_entry, "{:?}", read.notes);
    assert!(read.notes.is_empty(), "{:?}", read.notes);
    assert_eq!(read.application, app);
}

#[test]
fn a_template_filled_in_wps_reads_back_as_the_application() {
    let app = jiyuan();
    let read = read_docx("济源推荐书.docx", &filled(&app, Style::Wps)).unwrap();
    assert!(!read.needs_manual_entry, "{:?}", read.notes);
    assert!(read.notes.is_empty(), "{:?}", read.notes);
    assert_eq!(read.application, app);
}

#[test]
fn every_sample_application_round_trips_through_a_docx() {
    for name in ["lingang", "ningbo", "ruian"] {
        let text = std::fs::read_to_string(format!("{}/../../sample-applications/{name}/application.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let app = parse_application(&text).unwrap();
        for style in [Style::Word, Style::Wps] {
            let read = read_docx("x.docx", &filled(&app, style)).unwrap();
            assert_eq!(read.application, app, "{name}");
        }
    }
}

#[test]
fn merged_cells_rebuild_the_grid() {
    let app = jiyuan();
    for style in [Style::Word, Style::Wps] {
        let xml = document_xml(&form(&app, style), style);
        let blocks = parse_document(xml.as_bytes()).unwrap();
        let Some(Block::Table(t)) = blocks.iter().find(|b| matches!(b, Block::Table(_))) else { panic!("no table") };
        // 秘书处(办公室)情况 spans four rows in column 0; 人员姓名's value five columns.
        let sec = t.cells.iter().find(|c| c.text == "秘书处(办公室)情况").unwrap();
        assert_eq!((sec.row, sec.col, sec.rowspan, sec.colspan), (2, 0, 4, 1));
        let staff = t.cells.iter().find(|c| c.text.starts_with("王某某、张某某、")).unwrap();
        assert_eq!((staff.row, staff.col, staff.colspan), (5, 2, 5));
        // Every grid position of row 5 is covered, column 0 by the merged cell above.
        let idx = |r: usize, col: usize| t.grid[r][col].unwrap();
        assert_eq!(t.cells[idx(5, 0)].text, "秘书处(办公室)情况");
        assert_eq!(t.grid[5].len(), 7);
        let members = t.cells.iter().find(|c| c.text == "联合体成员情况").unwrap();
        assert_eq!(members.rowspan, 8);
    }
}

#[test]
fn wps_runs_bookmarks_and_breaks_make_one_text() {
    let xml = document_xml(&[Piece::Para("联合体名称：济源\n高新区".into())], Style::Wps);
    let blocks = parse_document(xml.as_bytes()).unwrap();
    assert_eq!(blocks, vec![Block::Paragraph("联合体名称：济源\n高新区".into())]);
    let xml = document_xml(&[Piece::Para("甲\t乙".into())], Style::Word);
    assert_eq!(parse_document(xml.as_bytes()).unwrap(), vec![Block::Paragraph("甲\t乙".into())]);
}

#[test]
fn a_struck_out_statement_is_not_confirmed() {
    let mut app = jiyuan();
    app.integrity_statement = false;
    let read = read_docx("x.docx", &filled(&app, Style::Word)).unwrap();
    assert!(!read.application.integrity_statement);
    assert!(read.notes.iter().any(|n| n.contains("违法或重大违规事件")), "{:?}", read.notes);
    assert_eq!(read.application, app);
}

#[test]
fn empty_cells_stay_empty_and_nothing_is_invented() {
    let mut app = jiyuan();
    app.resources.majors = pingshen_core::application::YearPair(Some(12.0), None);
    app.overview.funding.other = None;
    app.talent.platform.1 = String::new();
    app.enterprises.sales_2022 = None;
    app.pledge = Default::default();
    let read = read_docx("x.docx", &filled(&app, Style::Word)).unwrap();
    assert_eq!(read.application, app);
    assert!(read.notes.is_empty(), "{:?}", read.notes);
}

#[test]
fn the_blank_template_reads_as_empty_fields() {
    let blank = Application { overview: pingshen_core::application::Overview::default(), ..Application::default() };
    let read = read_docx("空白模板.docx", &filled(&blank, Style::Wps)).unwrap();
    let a = &read.application;
    assert_eq!(a.cover.name, "");
    assert_eq!(a.resources.majors, pingshen_core::application::YearPair(None, None));
    assert_eq!(a.overview.members.len(), 7);
    assert!(a.overview.members.iter().all(|g| g.count == 0 && g.units.is_empty()));
    assert!(read.needs_manual_entry);
}

#[test]
fn refusals_name_the_file_in_chinese() {
    let e = read_docx("推荐书.docx", b"hello").unwrap_err().to_string();
    assert!(e.starts_with("推荐书.docx 不是 .docx 文件"), "{e}");
    let e = read_docx("推荐书.doc", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).unwrap_err().to_string();
    assert!(e.contains("推荐书.doc") && e.contains("旧版 Word 文档"), "{e}");
    let e = read_docx("坏.docx", b"PK\x03\x04garbage").unwrap_err().to_string();
    assert!(e.starts_with("坏.docx 不是有效的 .docx 文件"), "{e}");
    // A zip without word/document.xml.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"x").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let e = read_docx("材料.zip", &bytes).unwrap_err().to_string();
    assert_eq!(e, "材料.zip 不是 Word 文档：文件中没有正文（word/document.xml）");
    // Broken XML.
    let e = read_docx("坏.docx", &docx_bytes("<w:document><w:body><w:p></w:body>")).unwrap_err().to_string();
    assert!(e.starts_with("坏.docx 正文（word/document.xml）无法解析"), "{e}");
}

#[test]
fn a_document_that_is_not_the_form_needs_manual_entry() {
    let read = read_docx("通知.docx", &docx_bytes(&document_xml(&[Piece::Para("关于开展工作的通知".into())], Style::Word))).unwrap();
    assert!(read.needs_manual_entry);
    assert_eq!(read.application, Application::default());
    assert!(read.notes[0].contains("可能不是推荐书"), "{:?}", read.notes);
}

#[test]
fn superscripts_fallbacks_and_field_codes_are_not_text() {
    let xml = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
<w:p><w:r><w:t>联合体负责人</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/></mc:Choice><mc:Fallback><w:pict><w:p><w:r><w:t>副本</w:t></w:r></w:p></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>甲&amp;乙&#x4E19;</w:t></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>3</w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>
</w:body></w:document>"#;
    let blocks = parse_document(xml.as_bytes()).unwrap();
    assert_eq!(blocks, vec![Block::Paragraph("联合体负责人".into()), Block::Paragraph("甲&乙丙".into()), Block::Paragraph("3".into())]);
}

#[test]
fn a_hostile_span_does_not_exhaust_memory() {
    let xml = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:trPr><w:gridBefore w:val="4000000000"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="4000000000"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"#;
    let blocks = parse_document(xml.as_bytes()).unwrap();
    let Block::Table(t) = &blocks[0] else { panic!("{blocks:?}") };
    assert_eq!(t.grid[0].len(), 128);
}

/// Regression (issue 13): rows of very many cells, each spanning the maximum, took 1.4 GB and 8 s. A row's
/// grid stops at its widest (the text of further cells goes to its last cell), and a document whose tables
/// would take more than a million grid slots is refused.
#[test]
fn very_wide_rows_do_not_exhaust_memory() {
    let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"#;
    let doc = |rows: usize, cells: usize| {
        let row = format!("<w:tr>{}</w:tr>", cell.repeat(cells));
        format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>{}</w:tbl></w:body></w:document>"#,
            row.repeat(rows)
        )
    };
    let blocks = parse_document(doc(1, 50_000).as_bytes()).unwrap();
    let Block::Table(t) = &blocks[0] else { panic!("{blocks:?}") };
    assert_eq!(t.grid[0].len(), 128);
    assert_eq!(t.cells.len(), 2);
    assert_eq!(t.cells[1].text.matches('x').count(), 50_000 - 1, "the text of the cells beyond the width is kept");
    let refused = parse_document(doc(8_000, 3).as_bytes()).unwrap_err();
    assert!(refused.contains("表格过大"), "{refused}");
}

#[test]
fn gridbefore_and_legacy_hmerge_place_cells_in_their_columns() {
    let xml = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc></w:tr>
<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
    let blocks = parse_document(xml.as_bytes()).unwrap();
    let Block::Table(t) = &blocks[0] else { panic!("{blocks:?}") };
    let b = &t.cells[1];
    assert_eq!((b.text.as_str(), b.col, b.colspan), ("B", 1, 2));
    let c = &t.cells[2];
    assert_eq!((c.text.as_str(), c.row, c.col, c.colspan), ("C", 1, 1, 2));
    assert_eq!(t.grid[1][0], None);
}
