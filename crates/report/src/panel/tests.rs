//! The 评审意见表 and the 实地考察记录表 from a small round, read back: the HTML's text, the .xlsx's cells
//! (calamine) and the .docx's paragraphs (`word/document.xml`'s `w:t` texts).

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Reader, Xlsx};
use pingshen_core::consolidation::{consolidate, Cell as PanelCell, Consolidation, Entry, PanelInput, Settings, Sheet};
use pingshen_core::panel::{Check, Member};
use pingshen_core::rubric::{self, Rubric};
use pingshen_core::Tenths;

use super::*;
use crate::{ApplicationInfo, RoundInfo};

const SMALL: &str = include_str!("../../../../tests/consolidation/rubric-small/rubric.toml");

struct Round {
    rubric: Rubric,
    settings: Settings,
    panel: PanelInput,
    consolidation: Consolidation,
    round: RoundInfo,
    applications: Vec<ApplicationInfo>,
    experts: Vec<ExpertInfo>,
}

impl Round {
    fn input(&self) -> ReportInput<'_> {
        ReportInput {
            round: &self.round,
            rubric: &self.rubric,
            settings: &self.settings,
            consolidation: &self.consolidation,
            panel: &self.panel,
            applications: &self.applications,
            experts: &self.experts,
            settlements: &[],
        }
    }
}

/// Three experts, three applications: A01 ranked 1 (totals 16, 16.5, 17), A02 ranked 2 (12 each), A03 待补
/// (E03 has no sheet).
fn round() -> Round {
    let rubric = rubric::parse(SMALL).unwrap();
    let settings = Settings::default();
    let sheet = |items: [i64; 4]| {
        Entry::Sheet(Sheet {
            scores: ["1.1", "2.1", "3.1", "4.1"].iter().zip(items).map(|(c, v)| (c.to_string(), Tenths(v))).collect(),
            deduction: Tenths(0),
            vetoes: vec![],
        })
    };
    let cell = |e: &str, a: &str, entry| PanelCell { expert: e.into(), application: a.into(), entry };
    let panel = PanelInput {
        experts: vec!["E01".into(), "E02".into(), "E03".into()],
        applications: vec!["A01".into(), "A02".into(), "A03".into()],
        cells: vec![
            cell("E01", "A01", sheet([40, 40, 40, 40])),
            cell("E02", "A01", sheet([40, 40, 40, 45])),
            cell("E03", "A01", sheet([40, 45, 40, 45])),
            cell("E01", "A02", sheet([30, 30, 30, 30])),
            cell("E02", "A02", sheet([30, 30, 30, 30])),
            cell("E03", "A02", sheet([30, 30, 30, 30])),
            cell("E01", "A03", sheet([30, 30, 30, 30])),
            cell("E02", "A03", sheet([30, 30, 30, 30])),
        ],
        resolutions: vec![],
        vetoes: vec![],
    };
    let consolidation = consolidate(&rubric, &settings, &panel).unwrap();
    let round = RoundInfo {
        name: "2026年河南省市域产教联合体评审".into(), date: "2026年12月3日".into(), ..RoundInfo::for_rubric("", &rubric)
    };
    let app = |code: &str, name: &str| ApplicationInfo {
        code: code.into(),
        name: name.into(),
        recommender: format!("{name}所在市教育局"),
        lead_school: format!("{code}职业技术学院"),
        lead_enterprise: format!("{code}集团"),
        ..ApplicationInfo::default()
    };
    Round {
        applications: vec![app("A01", "洛阳<装备>制造产教联合体"), app("A02", "郑州电子信息产教联合体"), app("A03", "新乡现代农业产教联合体")],
        experts: ["张三", "李四", "王五"]
            .iter()
            .enumerate()
            .map(|(i, n)| ExpertInfo { code: format!("E0{}", i + 1), name: n.to_string(), ..Default::default() })
            .collect(),
        round: RoundInfo { name: round.name, date: round.date, ..RoundInfo::for_rubric("", &rubric) },
        rubric,
        settings,
        panel,
        consolidation,
    }
}

fn records() -> PanelRecords {
    PanelRecords {
        leader: Some(ExpertInfo { code: "E02".into(), name: "李四".into(), ..Default::default() }),
        opinions: vec![OpinionEntry {
            application: "A01".into(),
            opinion: Opinion {
                strengths: "园区产业基础好 & 校企合作紧密".into(),
                problems: "实体化运行机制尚不健全".into(),
                suggestions: "完善理事会章程".into(),
                conclusion: Conclusion::Recommend,
                conclusion_note: "建议优先推荐".into(),
            },
        }],
        recommendations: vec![("A01".into(), "推荐 3 票，不推荐 0 票".into())],
        visits: vec![VisitEntry {
            application: "A02".into(),
            seq: 1,
            visit: Visit {
                date: "2026-11-20".into(),
                place: "郑州航空港区".into(),
                members: vec![
                    Member { expert: Some("E02".into()), name: "李四".into(), unit: "某大学".into(), duty: "组长".into() },
                    Member { expert: None, name: "王监督".into(), unit: "驻厅纪检监察组".into(), duty: "监督人员".into() },
                ],
                checks: vec![
                    Check { id: None, claim: "共建实训基地 3 个".into(), finding: Finding::True, note: "".into() },
                    Check { id: None, claim: "共建产业学院".into(), finding: Finding::False, note: "现场未见挂牌及运行记录".into() },
                ],
            },
        }],
    }
}

/// The `w:t` texts of a .docx's `word/document.xml`, paragraph by paragraph (inside table cells too).
fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut out = Vec::new();
    for p in xml.split("<w:p>").skip(1) {
        let p = p.split("</w:p>").next().unwrap();
        let mut text = String::new();
        for t in p.split("<w:t").skip(1) {
            let t = &t[t.find('>').unwrap() + 1..];
            text.push_str(&t[..t.find("</w:t>").unwrap()]);
        }
        out.push(text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"));
    }
    out
}

fn page_breaks(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml.matches("w:type=\"page\"").count()
}

#[test]
fn the_opinion_sheet_is_one_page_per_application_with_scores_opinion_and_signature() {
    let r = round();
    let html = opinions_html(&r.input(), &records()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("size: A4;"));
    assert_eq!(html.matches("<h1>评审意见表</h1>").count(), 3, "one page per application");
    assert_eq!(html.matches("<section class=\"page opinion\"").count(), 2, "a page break after every page but the last");
    let a01 = html.split("data-application=\"A01\"").nth(1).unwrap().split("</section>").next().unwrap();
    for text in [
        "洛阳&lt;装备&gt;制造产教联合体",
        "洛阳&lt;装备&gt;制造产教联合体所在市教育局",
        "A01职业技术学院／A01集团",
        "<th>E01 张三</th>",
        "<td class=\"num\">16.00</td>",
        "<td class=\"num\">16.50</td>",
        "专家推荐意见：推荐 3 票，不推荐 0 票",
        "园区产业基础好 &amp; 校企合作紧密",
        "☑建议推荐　　□不予推荐<br>建议优先推荐",
        "专家组组长（签字）：",
        "（李四）",
        "2026年12月3日",
    ] {
        assert!(a01.contains(text), "{text}\n{a01}");
    }
    // An application without an opinion: blank boxes; an incomplete one says why it is 待补.
    let a03 = html.split("data-application=\"A03\"").nth(1).unwrap();
    assert!(a03.contains("□建议推荐　　□不予推荐") && !a03.contains("专家推荐意见") && a03.contains("待补：缺 E03 王五 的评分表"));
    for banned in ["http", "<link", "<img", "url(", "@import", "src=", "<script"] {
        assert!(!html.contains(banned), "{banned}");
    }
}

#[test]
fn the_opinion_sheet_reads_back_from_the_workbook_and_the_word_document() {
    let r = round();
    let bytes = opinions_xlsx(&r.input(), &records()).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), [OPINION_SHEET]);
    let range = book.worksheet_range(OPINION_SHEET).unwrap();
    let at = |row: u32, col: u32| range.get_value((row, col)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(at(0, 0), "评审意见表（2026年河南省市域产教联合体评审）");
    let header: Vec<String> = (0..range.width() as u32).map(|c| at(1, c)).collect();
    assert_eq!(
        header,
        [
            "序号",
            "申报编号",
            "市域产教联合体名称",
            "推荐单位",
            "牵头单位",
            "E01 张三",
            "E02 李四",
            "E03 王五",
            "专家组评分",
            "扣分",
            "最终得分",
            "名次",
            "专家推荐意见",
            "主要优势",
            "存在问题",
            "改进建议",
            "结论",
            "结论说明",
            "组长"
        ]
    );
    let row = |n: u32| -> Vec<String> { (0..range.width() as u32).map(|c| at(n, c)).collect() };
    let a01 = row(2);
    assert_eq!(&a01[..3], ["1", "A01", "洛阳<装备>制造产教联合体"]);
    assert_eq!(
        &a01[5..],
        [
            "16.00",
            "16.50",
            "17.00",
            "16.50",
            "0.00",
            "16.50",
            "1",
            "推荐 3 票，不推荐 0 票",
            "园区产业基础好 & 校企合作紧密",
            "实体化运行机制尚不健全",
            "完善理事会章程",
            "建议推荐",
            "建议优先推荐",
            "李四"
        ]
    );
    assert_eq!((row(3)[1].as_str(), row(3)[16].as_str(), row(3)[18].as_str()), ("A02", "", ""), "no opinion yet: empty cells");
    assert_eq!((row(4)[1].as_str(), row(4)[7].as_str(), row(4)[11].as_str()), ("A03", "未交", "待补"));

    let docx = opinions_docx(&r.input(), &records()).unwrap();
    assert_eq!(page_breaks(&docx), 2, "a page break between applications");
    let text = docx_paragraphs(&docx);
    assert_eq!(text.iter().filter(|p| *p == "评审意见表").count(), 3);
    for want in [
        "洛阳<装备>制造产教联合体",
        "E01 张三",
        "16.50",
        "一、评分情况",
        "二、专家组意见",
        "园区产业基础好 & 校企合作紧密",
        "☑建议推荐　□不予推荐建议优先推荐",
        "专家组组长（李四）（签字）：______________",
        "日期：2026年12月3日",
        "专家推荐意见：推荐 3 票，不推荐 0 票",
        "待补：缺 E03 王五 的评分表",
    ] {
        assert!(text.iter().any(|p| p == want), "{want}: {text:?}");
    }
}

#[test]
fn the_visit_record_has_members_claims_and_a_signature_line_for_every_member() {
    let r = round();
    let html = visits_html(&r.input(), &records()).unwrap();
    assert_eq!(html.matches("<h1>实地考察记录表</h1>").count(), 1);
    for text in [
        "郑州电子信息产教联合体",
        "2026年11月20日",
        "郑州航空港区",
        "第 1 次",
        "王监督",
        "驻厅纪检监察组",
        "监督人员",
        "共建产业学院",
        "现场未见挂牌及运行记录",
        "核查 2 项：属实 1 项，不属实 1 项",
        "三、考察组成员签字",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert!(html.contains("<td class=\"c nw yes\">不属实</td>"));
    assert_eq!(html.matches("<td class=\"sign\"></td>").count(), 2, "one signature line per member");
    let docx = visits_docx(&r.input(), &records()).unwrap();
    let text = docx_paragraphs(&docx);
    for want in [
        "实地考察记录表",
        "郑州电子信息产教联合体",
        "2026年11月20日",
        "王监督",
        "共建产业学院",
        "不属实",
        "现场未见挂牌及运行记录",
        "三、考察组成员签字",
        "核查 2 项：属实 1 项，不属实 1 项",
    ] {
        assert!(text.iter().any(|p| p == want), "{want}: {text:?}");
    }
    // No visit recorded: one blank form to fill in on site.
    let blank = visits_html(&r.input(), &PanelRecords::default()).unwrap();
    assert_eq!(blank.matches("<h1>实地考察记录表</h1>").count(), 1);
    assert_eq!(blank.matches("□属实 □部分属实 □不属实").count(), BLANK_CHECKS);
    let blank_docx = docx_paragraphs(&visits_docx(&r.input(), &PanelRecords::default()).unwrap());
    assert_eq!(blank_docx.iter().filter(|p| *p == "□属实 □部分属实 □不属实").count(), BLANK_CHECKS);
}

#[test]
fn dates_print_in_chinese() {
    assert_eq!(date_zh("2026-01-05"), "2026年1月5日");
    assert_eq!(date_zh("明天"), "明天");
}
