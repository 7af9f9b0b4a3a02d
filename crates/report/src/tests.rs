//! The documents rendered from a small hand-made round: four one-item groups of 5 points, four experts,
//! five applications covering 回避, 未交/待补, a shared rank, half-up rounding, flags and a panel resolution.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use pingshen_core::consolidation::{consolidate, Cell, Consolidation, DeductionResolution, Entry, PanelInput, Settings, Settlement, Sheet};
use pingshen_core::rubric::{self, fingerprint, Rubric};
use pingshen_core::Tenths;

use super::*;

/// Four one-item groups of 5 points (total 20), step 0.5, deduction cap 10: the fixture shared with core and the `pingshen rank` cases.
const SMALL: &str = include_str!("../../../tests/consolidation/rubric-small/rubric.toml");

/// A sheet from item scores in tenths (1.1, 2.1, 3.1, 4.1) and a proposed deduction in tenths.
fn sheet(items: [i64; 4], deduction: i64) -> Entry {
    Entry::Sheet(Sheet {
        scores: ["1.1", "2.1", "3.1", "4.1"].iter().zip(items).map(|(c, v)| (c.to_string(), Tenths(v))).collect(),
        deduction: Tenths(deduction),
        vetoes: vec![],
    })
}

fn cell(e: &str, a: &str, entry: Entry) -> Cell {
    Cell { expert: e.into(), application: a.into(), entry }
}

/// The round, by application (plain mean: four experts, fewer than five sheets):
/// - A01: totals 10, 10.5, 10, 10 → 10.125, printed 10.13 (half up on the exact value).
/// - A02: E01 回避; E02–E04 total 12 → 12.00. A03: all four total 12 → 12.00. Same final score, same groups
///   2–4 subtotal, same deduction: 并列 第 2 名.
/// - A04: E04 has no sheet → 待补 (未交).
/// - A05: totals 20, 16.5, 16.5, 14.5 → 16.875 (16.88); E02 proposes 2 (median 0) but the panel resolved 1 →
///   final 15.875 (15.88), rank 1. With a 3-point total flag, E01's total is 畸高 and E04's 畸低; item 1.1 of
///   E01 畸高 and of E04 畸低.
struct Round {
    rubric: Rubric,
    settings: Settings,
    panel: PanelInput,
    consolidation: Consolidation,
    round: RoundInfo,
    applications: Vec<ApplicationInfo>,
    experts: Vec<ExpertInfo>,
}

fn round() -> Round {
    let rubric = rubric::parse(SMALL).unwrap();
    let settings = Settings { total_flag_points: Tenths(30), ..Settings::default() };
    let experts: Vec<String> = (1..=4).map(|i| format!("E{i:02}")).collect();
    let twelve = [30, 30, 30, 30];
    let panel = PanelInput {
        experts: experts.clone(),
        applications: ["A01", "A02", "A03", "A04", "A05"].map(String::from).to_vec(),
        cells: vec![
            cell("E01", "A01", sheet([25, 25, 25, 25], 0)),
            cell("E02", "A01", sheet([30, 25, 25, 25], 0)),
            cell("E03", "A01", sheet([25, 25, 25, 25], 0)),
            cell("E04", "A01", sheet([25, 25, 25, 25], 0)),
            cell("E01", "A02", Entry::Recused),
            cell("E02", "A02", sheet(twelve, 0)),
            cell("E03", "A02", sheet(twelve, 0)),
            cell("E04", "A02", sheet(twelve, 0)),
            cell("E01", "A03", sheet(twelve, 0)),
            cell("E02", "A03", sheet(twelve, 0)),
            cell("E03", "A03", sheet(twelve, 0)),
            cell("E04", "A03", sheet(twelve, 0)),
            cell("E01", "A04", sheet(twelve, 0)),
            cell("E02", "A04", sheet(twelve, 0)),
            cell("E03", "A04", sheet(twelve, 0)),
            cell("E01", "A05", sheet([50, 50, 50, 50], 0)),
            cell("E02", "A05", sheet([40, 40, 40, 45], 20)),
            cell("E03", "A05", sheet([40, 40, 40, 45], 0)),
            cell("E04", "A05", sheet([20, 40, 40, 45], 0)),
        ],
        resolutions: vec![DeductionResolution {
            application: "A05".into(),
            deduction: Tenths(10),
            votes_for: 3,
            votes_against: 1,
            reason: "申报材料中合作企业数量有不实表述".into(),
        }],
        vetoes: vec![],
    };
    let consolidation = consolidate(&rubric, &settings, &panel).unwrap();
    let round = RoundInfo {
        name: "2023年河南省市域产教联合体评审".into(),
        recommender: "".into(),
        filled_by: "王芳 0371-69691788".into(),
        date: "2023年8月20日".into(),
        ..RoundInfo::for_rubric("", &rubric)
    };
    let app = |code: &str, name: &str, school: &str, enterprise: &str, members: u32| ApplicationInfo {
        code: code.into(),
        name: name.into(),
        lead_school: school.into(),
        lead_enterprise: enterprise.into(),
        members,
        contact: String::new(),
        recommender: String::new(),
    };
    let applications = vec![
        app("A01", "济源<产教>联合体", "济源职业技术学院", "河南济源钢铁（集团）有限公司", 36),
        app("A02", "临港市域产教联合体", "临港职业学院", "临港装备有限公司", 41),
        app("A03", "宁波市域产教联合体", "宁波职业技术学院", "", 0),
        app("A04", "瑞安市域产教联合体", "瑞安职业中专", "瑞安汽配集团", 28),
        app("A05", "郑州航空港市域产教联合体", "郑州航空工业管理学院", "富士康科技集团", 52),
    ];
    let expert =
        |code: &str, name: &str| ExpertInfo { code: code.into(), name: name.into(), unit: "某职业技术学院".into(), title: "教授".into() };
    let experts = vec![expert("E01", "张建国"), expert("E02", "李明"), expert("E03", "王芳"), expert("E04", "赵磊")];
    Round { rubric, settings, panel, consolidation, round, applications, experts }
}

impl Round {
    fn input(&self) -> ReportInput<'_> {
        ReportInput {
            settlements: &[],
            round: &self.round,
            rubric: &self.rubric,
            settings: &self.settings,
            consolidation: &self.consolidation,
            panel: &self.panel,
            applications: &self.applications,
            experts: &self.experts,
        }
    }
}

/// The `<tr>` of the summary table whose 申报编号 cell is `code`, as the texts of its cells.
fn html_row(html: &str, code: &str) -> Vec<String> {
    let needle = format!("<td class=\"c\">{code}</td>");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no row {code}"));
    let start = html[..at].rfind("<tr>").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    html[start..end]
        .split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()];
            inner.replace("<b>", "").replace("</b>", "").replace("<br>", "\n")
        })
        .collect()
}

#[test]
fn the_round_is_what_the_tests_say_it_is() {
    let r = round();
    let order: Vec<(&str, Option<u32>)> = r.consolidation.applications.iter().map(|a| (a.code.as_str(), a.rank)).collect();
    assert_eq!(order, [("A05", Some(1)), ("A02", Some(2)), ("A03", Some(2)), ("A01", Some(4)), ("A04", None)]);
    assert!(r.consolidation.kendall_w.is_some());
}

#[test]
fn summary_html_has_the_cells_of_attachment_3_extended() {
    let r = round();
    let html = summary_html(&r.input()).unwrap();

    // The layout of attachment 3.
    assert!(html.contains("<h1>市域产教联合体推荐名单汇总表</h1>"));
    assert!(html.contains("推荐单位 <span class=\"blank long\"></span>（公章）"), "an empty 推荐单位 leaves a line");
    assert!(html.contains("填报人及联系方式 <span class=\"fill\">王芳 0371-69691788</span>"));
    for th in ["推荐<br>排序", "申报<br>编号", "市域产教联合体名称", "牵头单位", "成员<br>数量", "专家组<br>评分", "扣分", "最终<br>得分", "名次"]
    {
        assert!(html.contains(&format!("<th>{th}")), "header {th}");
    }
    assert!(html.contains("<th>张建国<br><span class=\"sub\">E01</span></th>"));

    // Ranked rows: order, per-expert totals, panel score, deduction, final, rank.
    assert_eq!(
        html_row(&html, "A05"),
        [
            "1",
            "A05",
            "郑州航空港市域产教联合体",
            "郑州航空工业管理学院\n富士康科技集团",
            "52",
            "20.00",
            "16.50",
            "16.50",
            "14.50",
            "16.88",
            "1.00",
            "15.88",
            "1"
        ]
    );
    // 回避, never 0; a shared rank says 并列.
    assert_eq!(html_row(&html, "A02")[5..], ["回避", "12.00", "12.00", "12.00", "12.00", "0.00", "12.00", "2（并列）"]);
    assert_eq!(html_row(&html, "A03")[..2], ["3", "A03"]);
    assert_eq!(html_row(&html, "A03")[12], "2（并列）");
    assert_eq!(html_row(&html, "A03")[4], "", "an unknown member count is an empty cell");
    // 88.125-style rounding: 10.125 → 10.13; the name is escaped.
    assert_eq!(html_row(&html, "A01")[..3], ["4", "A01", "济源&lt;产教&gt;联合体"]);
    assert_eq!(html_row(&html, "A01")[9..], ["10.13", "0.00", "10.13", "4"]);
    assert!(!html.contains("济源<产教>"));
    // The incomplete application comes last: 未交 in its cell, 待补 and who is missing in the merged result cell.
    let a04 = html_row(&html, "A04");
    assert_eq!(a04[0], "—");
    assert_eq!(a04[5..], ["12.00", "12.00", "12.00", "未交", "待补：缺 E04 赵磊 的评分表"]);
    assert!(html.contains("<td class=\"pending\" colspan=\"4\">待补：缺 E04 赵磊 的评分表</td>"));
    assert!(html.find(">A04<").unwrap() > html.find(">A01<").unwrap());

    // Under the table: notes, the method sentence, the rubric and its fingerprint, Kendall's W, signatures.
    assert!(html.contains("A02、A03 最终得分同为 12.00，第2、3、4项一级指标的专家组评分及扣分也相同，并列第 2 名。"));
    assert!(html.contains("A05 的扣分 1.00 分依评审组决议（同意 3 票、反对 1 票）。"));
    assert!(html.contains(&format!("计分方法：{}", r.settings.method_zh(&[]))));
    assert!(html.contains(&format!("四组各一个观测点（校验码 <span class=\"mono\">{}</span>）", fingerprint(&r.rubric.hash()))));
    assert!(
        html.contains(&format!("肯德尔和谐系数 W）：{}（按评完全部已排序申报的 3 名专家计算）", r.consolidation.kendall_w.unwrap().round_half_up(4)))
    );
    for who in ["统分人", "复核人", "评审组长"] {
        assert!(
            html.contains(&format!("<td>{who}（签字）：<span class=\"line\"></span><br>日期：<span class=\"year\"></span>年")),
            "signature of {who}"
        );
    }
    assert_eq!(html.matches("日期：<span class=\"year\"></span>年").count(), 3);
}

#[test]
fn the_html_prints_on_a4_and_loads_nothing_from_anywhere() {
    let r = round();
    for html in [summary_html(&r.input()).unwrap(), review_report_html(&r.input()).unwrap()] {
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("margin: 18mm 15mm;"));
        assert!(html.contains("size: A4"));
        assert!(html.contains("thead { display: table-header-group; }"));
        assert!(html.contains("counter(page)"));
        assert!(html.contains("\"Noto Serif CJK SC\", \"Source Han Serif SC\", SimSun, serif"));
        // Self-contained: no URL, no linked or embedded resource, no script.
        for banned in ["http", "//", "<link", "<script", "<img", "url(", "@import", "src="] {
            let offending: Vec<&str> = html.lines().filter(|l| l.contains(banned) && !l.trim_start().starts_with("{#")).collect();
            assert!(offending.is_empty(), "`{banned}` in: {offending:?}");
        }
    }
    assert!(summary_html(&r.input()).unwrap().contains("size: A4 landscape;"));
    assert!(review_report_html(&r.input()).unwrap().contains("size: A4;"));
}

#[test]
fn review_report_has_every_section() {
    let r = round();
    let html = review_report_html(&r.input()).unwrap();
    // Round and rubric: title, full hash and fingerprint.
    assert!(html.contains("<h1>评审报告</h1>"));
    assert!(html.contains("（2023年河南省市域产教联合体评审）"));
    assert!(html.contains(&r.rubric.hash()));
    assert!(html.contains(&fingerprint(&r.rubric.hash())));
    assert!(html.contains("5 个（已排序 4 个，待补 1 个）"));
    // Experts: 编号, 姓名, 单位, 职称.
    assert!(html.contains("<td class=\"c\">E01</td><td class=\"c\">张建国</td><td>某职业技术学院</td><td class=\"c\">教授</td>"));
    // The method.
    assert!(html.contains(&r.settings.method_zh(&[])));
    // Flags: application, expert, item or 总分, direction, score, others' mean, a blank 处理结果.
    assert!(html.contains("<th>处理结果</th>"));
    assert!(html.contains(
        "<td>A05 郑州航空港市域产教联合体</td><td class=\"c nw\">E01 张建国</td><td>总分</td><td class=\"c nw\">畸高</td><td class=\"num\">20.00</td><td class=\"num\">15.83</td><td class=\"blankcell wide\"></td>"
    ));
    assert!(html.contains("<td>观测点 1.1 甲项</td><td class=\"c nw\">畸低</td><td class=\"num\">2.00</td><td class=\"num\">4.33</td>"));
    // Deductions: the proposals, the resolution with votes and reason.
    assert!(html.contains("E01 张建国 0.00；E02 李明 2.00；E03 王芳 0.00；E04 赵磊 0.00"));
    assert!(html.contains("评审组决议：同意 3 票、反对 1 票。理由：申报材料中合作企业数量有不实表述"));
    assert!(html.contains("其余已排序申报（A02、A03、A01）无专家建议扣分，扣分为 0。"));
    // Statistics: W to 4 decimals, leniency and Spearman per expert.
    let w = r.consolidation.kendall_w.unwrap().round_half_up(4);
    assert!(html.contains(&format!("已作同分校正）：{w}（按评完全部已排序申报的 3 名专家计算）")));
    let e01 = r.consolidation.experts.iter().find(|e| e.expert == "E01").unwrap();
    let lenient = text::signed(e01.leniency.unwrap());
    assert!(html.contains(&format!("<td class=\"nw\">E01 张建国</td><td class=\"num\">3</td><td class=\"num\">{lenient}</td>")), "{lenient}");
    assert!(html.contains("<td class=\"c\">否</td>"), "E01 is recused once and so not in W");
    // Ranking: shared rank, pending reason, the resolution noted.
    assert!(html.contains("<td class=\"num\">2（并列）</td><td class=\"c nw\">A02</td>"));
    assert!(html.contains("E01 张建国 回避"));
    assert!(html.contains("<td class=\"num\">待补</td><td class=\"c nw\">A04</td>"));
    assert!(html.contains("待补：缺 E04 赵磊 的评分表"));
    assert!(html.contains("<td class=\"num\">15.88</td>") || html.contains("<b>15.88</b>"));
    // Signatures.
    for who in ["评审组长", "统分人", "复核人"] {
        assert!(html.contains(&format!("<td class=\"role\">{who}（签字）：</td><td><span class=\"line\"></span></td>")), "signature of {who}");
    }
    assert_eq!(html.matches("日期：<span class=\"year\"></span>年").count(), 3);
    assert!(html.contains("<td class=\"c\">E04</td><td class=\"c\">赵磊</td><td class=\"blankcell sign\"></td>"));
}

#[test]
fn a_round_without_flags_or_deductions_says_so() {
    let mut r = round();
    r.panel.applications.retain(|a| a == "A02" || a == "A03");
    r.panel.cells.retain(|c| c.application == "A02" || c.application == "A03");
    r.panel.resolutions.clear();
    r.consolidation = consolidate(&r.rubric, &r.settings, &r.panel).unwrap();
    let html = review_report_html(&r.input()).unwrap();
    let flags = &html[html.find("四、评分异常标记").unwrap()..html.find("五、扣分认定").unwrap()];
    assert!(flags.contains("<p>无。</p>"), "{flags}");
    assert!(html.contains("无（没有专家建议扣分，也没有评审组扣分决议）。"));
    let summary = summary_html(&r.input()).unwrap();
    assert!(!summary.contains("未交"), "no 未交 legend without a missing sheet");
}

/// Every non-empty row of the sheet as the texts of its cells, with the type check that all are strings.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(wb.sheet_names(), [SUMMARY_SHEET]);
    let range = wb.worksheet_range(SUMMARY_SHEET).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("every cell is text, found {other:?}"),
                })
                .collect::<Vec<_>>()
        })
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect()
}

#[test]
fn summary_xlsx_has_the_same_cells_as_the_html() {
    let r = round();
    let bytes = summary_xlsx(&r.input()).unwrap();
    let rows = sheet_rows(&bytes);
    assert_eq!(rows[0][0], SUMMARY_TITLE);
    assert_eq!(rows[1][0], "（2023年河南省市域产教联合体评审）");
    assert!(rows[2][0].starts_with("推荐单位 __________（公章）"), "{:?}", rows[2]);
    assert!(rows[2].iter().any(|c| c == "填报人及联系方式 王芳 0371-69691788    日期 2023年8月20日"), "{:?}", rows[2]);
    let header = &rows[3];
    assert_eq!(
        header,
        &[
            "推荐排序",
            "申报编号",
            "市域产教联合体名称",
            "牵头单位（学校／企业）",
            "成员数量",
            "E01 张建国",
            "E02 李明",
            "E03 王芳",
            "E04 赵磊",
            "专家组评分",
            "扣分",
            "最终得分",
            "名次"
        ]
        .map(String::from)
    );
    let html = summary_html(&r.input()).unwrap();
    for (i, code) in ["A05", "A02", "A03", "A01"].iter().enumerate() {
        let row = &rows[4 + i];
        let mut expected = html_row(&html, code);
        expected[2] = expected[2].replace("&lt;", "<").replace("&gt;", ">");
        assert_eq!(row, &expected, "{code}: the workbook shows the HTML's texts");
    }
    assert_eq!(rows[5][5], "回避");
    assert_eq!(rows[7][9], "10.13");
    // The pending row: 未交, and the merged result cell (calamine reports its text in the first cell).
    assert_eq!(
        rows[8][..9],
        ["—", "A04", "瑞安市域产教联合体", "瑞安职业中专\n瑞安汽配集团", "28", "12.00", "12.00", "12.00", "未交"].map(String::from)
    );
    assert_eq!(rows[8][9], "待补：缺 E04 赵磊 的评分表");
    // Below: notes, method, rubric, W, signatures.
    let below: Vec<&str> = rows[9..].iter().map(|r| r[0].as_str()).collect();
    assert!(below.contains(&"注：A02、A03 最终得分同为 12.00，第2、3、4项一级指标的专家组评分及扣分也相同，并列第 2 名。"), "{below:?}");
    assert!(below.contains(&format!("计分方法：{}", r.settings.method_zh(&[])).as_str()));
    assert!(below.contains(&format!("评分标准：四组各一个观测点（校验码 {}）", fingerprint(&r.rubric.hash())).as_str()));
    let w = r.consolidation.kendall_w.unwrap().round_half_up(4);
    assert!(below.contains(&format!("专家评分一致性（肯德尔和谐系数 W）：{w}（按评完全部已排序申报的 3 名专家计算）").as_str()), "{below:?}");
    for who in ["统分人", "复核人", "评审组长"] {
        assert!(below.iter().any(|l| l.starts_with(&format!("{who}（签字）：")) && l.contains("日期：")), "{who}");
    }
}

#[test]
fn the_same_round_gives_the_same_bytes() {
    let r = round();
    assert_eq!(summary_xlsx(&r.input()).unwrap(), summary_xlsx(&r.input()).unwrap());
    assert_eq!(summary_html(&r.input()).unwrap(), summary_html(&r.input()).unwrap());
    assert_eq!(review_report_html(&r.input()).unwrap(), review_report_html(&r.input()).unwrap());
}

#[test]
fn summary_xlsx_merges_the_title_and_the_pending_result_cells() {
    let r = round();
    let bytes = summary_xlsx(&r.input()).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    // calamine exposes merged regions: the title spans every column, the pending row its four result cells.
    let merged: Vec<_> = wb.merge_cells_by_sheet_name(SUMMARY_SHEET).unwrap().into_iter().map(|d| (d.start, d.end)).collect();
    assert!(merged.contains(&((0, 0), (0, 12))), "{merged:?}");
    assert!(merged.contains(&((8, 9), (8, 12))), "{merged:?}");
}

#[test]
fn a_rubric_other_than_the_rounds_is_refused() {
    let r = round();
    let other = RoundInfo { rubric_hash: "0".repeat(64), ..r.round.clone() };
    let input = ReportInput { round: &other, ..r.input() };
    let e = summary_html(&input).unwrap_err();
    assert!(matches!(e, ReportError::RubricMismatch { .. }));
    assert!(e.to_string().contains("0000-0000-0000-0000-0000-0000-0000-0000"), "{e}");
    assert!(summary_xlsx(&input).is_err());
    assert!(review_report_html(&input).is_err());
}

#[test]
fn missing_descriptions_are_listed_all_at_once() {
    let r = round();
    let input = ReportInput { applications: &r.applications[..3], experts: &r.experts[1..], ..r.input() };
    let e = review_report_html(&input).unwrap_err();
    assert_eq!(e, ReportError::MissingInfo { applications: vec!["A04".into(), "A05".into()], experts: vec!["E01".into()] });
    assert_eq!(e.to_string(), "缺少申报 A04、A05 的基本信息（联合体名称等）；缺少专家 E01 的基本信息（姓名等），不能生成材料");
}

#[test]
fn application_info_comes_from_a_recommendation_form() {
    let text = include_str!("../../../sample-applications/jiyuan/application.toml");
    let app = pingshen_core::application::parse_application(text).unwrap();
    let info = ApplicationInfo::from_application("A01", &app);
    assert_eq!(info.name, app.cover.name);
    assert_eq!(info.lead_school, app.cover.lead_school);
    assert_eq!(info.members, app.overview.members.iter().map(|m| m.count).sum::<u32>());
    assert!(info.members > 0);
}

#[test]
fn settled_flags_print_how_they_were_settled() {
    let r = round();
    let settled = [Settlement {
        application: "A05".into(),
        expert: "E01".into(),
        item: None,
        by_panel: true,
        text: "评审组复议认可该专家评分".into(),
        at: String::new(),
    }];
    let html = review_report_html(&ReportInput { settlements: &settled, ..r.input() }).unwrap();
    assert!(
        html.contains("<td class=\"num\">20.00</td><td class=\"num\">15.83</td><td>评审组决议：评审组复议认可该专家评分</td>"),
        "the total flag of E01 on A05 shows its settlement"
    );
    // The other flags keep a blank cell to write in.
    assert!(html.contains("<td class=\"blankcell wide\"></td>"));
}

// ---- 否定性指标 ----

/// A round under rubric-small with two 否定性指标 (V1 取消资格, V2 计零分), three experts, all sheets in:
/// - A04: 18 each; E03 proposes V1, the panel does not uphold it (1 : 2) → 18.00, rank 1.
/// - A01: 14 each; E02 proposes V2, not decided yet → 14.00, rank 2.
/// - A03: 12 each; E02 proposes V2, upheld 2 : 1 → final 0.00, rank 3, panel score 12.00 kept.
/// - A02: 16 each; E01 and E03 propose V1, upheld 3 : 0 → 取消资格, 16.00 kept for the record, no rank.
fn veto_round() -> Round {
    use pingshen_core::consolidation::VetoDecision;
    use pingshen_core::sheet::VetoProposal;
    let rubric = rubric::parse(include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml")).unwrap();
    let settings = Settings::default();
    let experts: Vec<String> = (1..=3).map(|i| format!("E{i:02}")).collect();
    let proposing = |v: i64, vetoes: &[(&str, &str)]| {
        let Entry::Sheet(mut s) = sheet([v; 4], 0) else { unreachable!() };
        s.vetoes = vetoes.iter().map(|(c, r)| VetoProposal { veto: c.to_string(), reason: r.to_string() }).collect();
        Entry::Sheet(s)
    };
    let mut cells = Vec::new();
    for e in &experts {
        let e = e.as_str();
        cells.push(cell(e, "A01", proposing(35, if e == "E02" { &[("V2", "待核实安全事故")] } else { &[] })));
        let a02: &[(&str, &str)] = match e {
            "E01" => &[("V1", "合作协议系伪造")],
            "E03" => &[("V1", "冒用企业公章")],
            _ => &[],
        };
        cells.push(cell(e, "A02", proposing(40, a02)));
        cells.push(cell(e, "A03", proposing(30, if e == "E02" { &[("V2", "2022年发生重大安全事故")] } else { &[] })));
        cells.push(cell(e, "A04", proposing(45, if e == "E03" { &[("V1", "疑似伪造协议")] } else { &[] })));
    }
    let decision = |app: &str, veto: &str, upheld: bool, votes: (u32, u32), reason: &str| VetoDecision {
        application: app.into(),
        veto: veto.into(),
        upheld,
        votes_for: votes.0,
        votes_against: votes.1,
        reason: reason.into(),
    };
    let panel = PanelInput {
        experts: experts.clone(),
        applications: ["A01", "A02", "A03", "A04"].map(String::from).to_vec(),
        cells,
        resolutions: vec![],
        vetoes: vec![
            decision("A02", "V1", true, (3, 0), "经核实合作协议系伪造"),
            decision("A03", "V2", true, (2, 1), "应急管理部门通报属实"),
            decision("A04", "V1", false, (1, 2), "协议经核实为真"),
        ],
    };
    let consolidation = consolidate(&rubric, &settings, &panel).unwrap();
    let round = RoundInfo { date: "2023年8月20日".into(), ..RoundInfo::for_rubric("否定性指标测试批次", &rubric) };
    let app = |code: &str, name: &str| ApplicationInfo { code: code.into(), name: name.into(), ..ApplicationInfo::default() };
    let applications = vec![app("A01", "甲联合体"), app("A02", "乙联合体"), app("A03", "丙联合体"), app("A04", "丁联合体")];
    let expert = |code: &str, name: &str| ExpertInfo { code: code.into(), name: name.into(), ..ExpertInfo::default() };
    let experts = vec![expert("E01", "张建国"), expert("E02", "李明"), expert("E03", "王芳")];
    Round { rubric, settings, panel, consolidation, round, applications, experts }
}

const A02_OUT: &str = "A02 取消资格：否定性指标 V1「申报材料弄虚作假」经评审组认定成立（同意 3 票、反对 0 票），理由：经核实合作协议系伪造；其得分仅作记录，不参与排序。";
const A03_ZERO: &str =
    "A03 最终得分计为 0 分：否定性指标 V2「近三年发生重大安全事故」经评审组认定成立（同意 2 票、反对 1 票），理由：应急管理部门通报属实。";

#[test]
fn the_summary_shows_a_disqualified_application_without_a_rank_and_a_zeroed_one_at_zero_with_their_reasons() {
    let r = veto_round();
    let html = summary_html(&r.input()).unwrap();
    let order: Vec<usize> = ["A04", "A01", "A03", "A02"].iter().map(|c| html.find(&format!("<td class=\"c\">{c}</td>")).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "ranked first, the disqualified one after them");
    assert_eq!(html_row(&html, "A04")[..2], ["1", "A04"]);
    assert_eq!(html_row(&html, "A03")[..2], ["3", "A03"]);
    // Zeroed: its panel score and deduction, final 0, ranked.
    assert_eq!(html_row(&html, "A03")[5..], ["12.00", "12.00", "12.00", "12.00", "0.00", "0.00", "3"]);
    // Disqualified: no 推荐排序, its scores for the record, 取消资格 instead of a rank.
    assert_eq!(html_row(&html, "A02"), ["—", "A02", "乙联合体", "", "", "16.00", "16.00", "16.00", "16.00", "0.00", "16.00", "取消资格"]);
    assert!(html.contains(&format!("<li>注：{A02_OUT}</li>")), "{html}");
    assert!(html.contains(&format!("<li>注：{A03_ZERO}</li>")));
    assert!(!html.contains("A04 取消资格") && !html.contains("A01 最终得分计为"), "a veto not upheld or not decided changes nothing");
    let method = r.settings.method_zh(&r.rubric.vetoes);
    assert!(method.contains("否定性指标：") && html.contains(&format!("计分方法：{method}")));

    // The workbook has the same cells and notes.
    let rows = sheet_rows(&summary_xlsx(&r.input()).unwrap());
    let row = |code: &str| rows.iter().find(|row| row.get(1).map(String::as_str) == Some(code)).unwrap().clone();
    assert_eq!(row("A02"), html_row(&html, "A02"));
    assert_eq!(row("A03"), html_row(&html, "A03"));
    let below: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(below.contains(&format!("注：{A02_OUT}").as_str()) && below.contains(&format!("注：{A03_ZERO}").as_str()), "{below:?}");
    assert!(below.contains(&format!("计分方法：{method}").as_str()));
}

#[test]
fn the_review_report_lists_every_veto_proposal_and_decision() {
    let r = veto_round();
    let html = review_report_html(&r.input()).unwrap();
    assert!(html.contains("4 个（已排序 3 个，取消资格 1 个）"), "counts");
    assert!(html.contains("否定性指标 2 项"));
    for h in ["<h2>七、否定性指标认定</h2>", "<h2>八、评审结果</h2>", "<h2>九、签字</h2>"] {
        assert!(html.contains(h), "{h}");
    }
    let section = &html[html.find("七、否定性指标认定").unwrap()..html.find("八、评审结果").unwrap()];
    let rows: Vec<&str> = section.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 4, "{section}");
    // In the order of the result (A04, A01, A03, A02), the rubric's order of vetoes within an application.
    assert!(
        rows[0].contains(
            "<td>E03 王芳：疑似伪造协议</td><td>1. 不予认定：同意 1 票、反对 2 票。理由：协议经核实为真</td><td class=\"c nw\">不予认定</td>"
        ),
        "{}",
        rows[0]
    );
    assert_eq!(
        rows[1],
        "<td class=\"nw\">A01 甲联合体</td><td>V2 近三年发生重大安全事故（计零分）</td><td>E02 李明：待核实安全事故</td><td>尚未决议</td><td class=\"c nw\">待评审组认定</td></tr>\n"
    );
    assert!(rows[2].contains("<td>E02 李明：2022年发生重大安全事故</td><td>1. 维持（认定成立）：同意 2 票、反对 1 票。理由：应急管理部门通报属实</td><td class=\"c nw\">计零分</td>"), "{}", rows[2]);
    assert!(rows[3].starts_with("<td class=\"nw\">A02 乙联合体</td><td>V1 申报材料弄虚作假（取消资格）</td><td>E01 张建国：合作协议系伪造；E03 王芳：冒用企业公章</td><td>1. 维持（认定成立）：同意 3 票、反对 0 票。理由：经核实合作协议系伪造</td><td class=\"c nw\">取消资格</td>"), "{}", rows[3]);
    // The ranking: 取消资格 without a rank, the zeroed one at 0, each with the outcome and reason.
    let ranking = &html[html.find("八、评审结果").unwrap()..];
    assert!(ranking.contains("<td class=\"num\">取消资格</td><td class=\"c nw\">A02</td>"));
    assert!(ranking.contains(A02_OUT.trim_start_matches("A02 ").trim_end_matches('。')));
    assert!(ranking.contains("<td class=\"num\">3</td><td class=\"c nw\">A03</td>"));
    assert!(ranking.contains(A03_ZERO.trim_start_matches("A03 ").trim_end_matches('。')));
    assert!(html.find("A03 丙联合体").unwrap() < html.find("八、评审结果").unwrap());

    // A later decision stands and both are printed; the one in force decides.
    let mut again = veto_round();
    again.panel.vetoes.push(pingshen_core::consolidation::VetoDecision {
        application: "A02".into(),
        veto: "V1".into(),
        upheld: false,
        votes_for: 0,
        votes_against: 3,
        reason: "复议：协议为真".into(),
    });
    again.consolidation = consolidate(&again.rubric, &again.settings, &again.panel).unwrap();
    let html = review_report_html(&again.input()).unwrap();
    assert!(html.contains("1. 维持（认定成立）：同意 3 票、反对 0 票。理由：经核实合作协议系伪造<br>2. 不予认定：同意 0 票、反对 3 票。理由：复议：协议为真</td><td class=\"c nw\">不予认定</td>"));
    assert!(html.contains("4 个（已排序 4 个）"));

    // A rubric with vetoes but nothing proposed says so.
    let mut none = veto_round();
    for c in &mut none.panel.cells {
        if let Entry::Sheet(s) = &mut c.entry {
            s.vetoes.clear();
        }
    }
    none.panel.vetoes.clear();
    none.consolidation = consolidate(&none.rubric, &none.settings, &none.panel).unwrap();
    assert!(review_report_html(&none.input()).unwrap().contains("<p>无（没有专家提出否定性指标，评审组也未作认定）。</p>"));
}

#[test]
fn a_rubric_without_vetoes_prints_nothing_about_them() {
    let r = round();
    let review = review_report_html(&r.input()).unwrap();
    let summary = summary_html(&r.input()).unwrap();
    for html in [&review, &summary] {
        assert!(!html.contains("否定性") && !html.contains("取消资格"));
    }
    assert!(review.contains("<h2>七、评审结果</h2>") && review.contains("<h2>八、签字</h2>"));
}

// ---- 专家评分表 ----

mod expert_sheets {
    use pingshen_core::scorefile::{FileDeduction, FileScore, FileSheet};

    use super::*;

    fn file_sheet(application: &str, items: [i64; 4], comments: [&str; 4], deduction: Option<(i64, &str)>) -> FileSheet {
        FileSheet {
            application: application.into(),
            version: 2,
            submitted_at: Some("2023-08-15T09:30:00.000Z".into()),
            recused: false,
            scores: ["1.1", "2.1", "3.1", "4.1"]
                .iter()
                .zip(items)
                .zip(comments)
                .map(|((c, v), comment)| FileScore { item: c.to_string(), value: Tenths(v), comment: comment.into() })
                .collect(),
            deduction: deduction.map(|(v, r)| FileDeduction { value: Tenths(v), reason: r.into() }),
            vetoes: vec![],
        }
    }

    fn recusal(application: &str) -> FileSheet {
        FileSheet { application: application.into(), version: 0, submitted_at: None, recused: true, scores: vec![], deduction: None, vetoes: vec![] }
    }

    struct Fixture {
        r: Round,
        expert: ExpertInfo,
        sheets: Vec<(ApplicationInfo, FileSheet)>,
        evidence: Vec<(String, String, String)>,
    }

    fn fixture() -> Fixture {
        let r = round();
        let expert = ExpertInfo { code: "E02".into(), name: "李<明>".into(), unit: "某职业技术学院".into(), title: "教授".into() };
        let sheets = vec![
            (r.applications[0].clone(), file_sheet("A01", [30, 25, 25, 25], ["", "", "", "材料<不全>&待补"], None)),
            (r.applications[1].clone(), recusal("A02")),
            (r.applications[4].clone(), file_sheet("A05", [40, 40, 40, 45], ["", "", "", ""], Some((20, "发生安全事故")))),
        ];
        let evidence = vec![
            ("A01".to_string(), sheet_item(&r, 1), "支撑材料汇编 第14页".to_string()),
            ("A01".to_string(), sheet_item(&r, 1), "推荐书·秘书处<办公室>".to_string()),
            ("A05".to_string(), "7".to_string(), "安全事故通报 第2页".to_string()),
        ];
        Fixture { r, expert, sheets, evidence }
    }

    /// The code of the `n`-th item of the rubric (from 0).
    fn sheet_item(r: &Round, n: usize) -> String {
        r.rubric.items().nth(n).unwrap().code.clone()
    }

    #[test]
    fn pinned_evidence_is_printed_under_its_score_and_escaped() {
        let f = fixture();
        let html = expert_sheets_html(&f.input()).unwrap();
        let a01 = page(&html, "A01");
        assert!(a01.contains("评分依据：支撑材料汇编 第14页；推荐书·秘书处&lt;办公室&gt;"), "both pins of the item, escaped");
        let a05 = page(&html, "A05");
        assert!(a05.contains("扣分理由：发生安全事故<div class=\"evidence\">评分依据：安全事故通报 第2页</div>"), "the deduction's evidence");
        assert_eq!(html.matches("评分依据：").count(), 2);
    }

    #[test]
    fn a_sheet_prints_the_vetoes_the_expert_ticked_with_their_reasons() {
        let f = fixture();
        assert!(!expert_sheets_html(&f.input()).unwrap().contains("否定性指标"), "a rubric without vetoes prints none");
        let r = veto_round();
        let mut sheet = file_sheet("A02", [40, 40, 40, 40], ["", "", "", ""], None);
        sheet.vetoes = vec![pingshen_core::scorefile::FileVeto { code: "V1".into(), reason: "合作协议<系伪造>".into() }];
        let sheets = vec![(r.applications[1].clone(), sheet.clone())];
        let input = ExpertSheetsInput { round: &r.round, rubric: &r.rubric, expert: &f.expert, round_uid: "uid-1", sheets: &sheets, evidence: &[] };
        let html = expert_sheets_html(&input).unwrap();
        let a02 = page(&html, "A02");
        assert!(
            a02.contains(
                "<tr><td>V1 申报材料弄虚作假（取消资格）</td><td class=\"c nw\">认为存在</td><td class=\"wrap\">合作协议&lt;系伪造&gt;</td></tr>"
            ),
            "{a02}"
        );
        assert!(a02.contains("<tr><td>V2 近三年发生重大安全事故（计零分）</td><td class=\"c nw\">未勾选</td><td class=\"wrap\"></td></tr>"), "{a02}");
        // The printed code covers the proposal.
        assert!(a02.contains(&input.sheet_code(&sheet)));
        sheet.vetoes.clear();
        assert_ne!(input.sheet_code(&sheet), input.sheet_code(&sheets[0].1));
    }

    impl Fixture {
        fn input(&self) -> ExpertSheetsInput<'_> {
            ExpertSheetsInput {
                round: &self.r.round,
                rubric: &self.r.rubric,
                expert: &self.expert,
                round_uid: "uid-1",
                sheets: &self.sheets,
                evidence: &self.evidence,
            }
        }
    }

    /// The text of the page of `code` (a `<section class="page sheet">`).
    fn page<'h>(html: &'h str, code: &str) -> &'h str {
        html.split("<section").find(|s| s.contains(&format!("<tr><th>申报编号</th><td>{code}</td></tr>"))).unwrap_or_else(|| panic!("no page {code}"))
    }

    #[test]
    fn one_page_per_submitted_sheet_then_a_summary() {
        let f = fixture();
        let html = expert_sheets_html(&f.input()).unwrap();
        assert_eq!(html.matches("<section class=\"page sheet\">").count(), 2, "no page for the recusal");
        assert_eq!(html.matches("<h1>专家评分表</h1>").count(), 2);
        assert!(html.contains("section.page { break-after: page; page-break-after: always; }"));
        assert!(html.contains("size: A4;"), "portrait");
        assert_eq!(html.matches("<h1>专家评分表汇总</h1>").count(), 1);
        assert!(html.rfind("<section class=\"page sheet\">").unwrap() < html.find("专家评分表汇总</h1>").unwrap());
        assert!(!page(&html, "A01").contains("回避"));
        assert!(html.split("<h1>专家评分表汇总</h1>").nth(1).unwrap().contains("<td class=\"c\" colspan=\"4\">回避</td>"));
        // Pledge and signature on every sheet and on the summary.
        assert_eq!(html.matches(PLEDGE).count(), 3);
        assert_eq!(html.matches("专家（签字）：").count(), 3);
        assert_eq!(html.matches("日期：<span class=\"year\"></span>年").count(), 3);
    }

    #[test]
    fn a_sheet_page_has_every_item_subtotals_deduction_total_and_code() {
        let f = fixture();
        let html = expert_sheets_html(&f.input()).unwrap();
        let a05 = page(&html, "A05");
        assert!(a05.contains("（2023年河南省市域产教联合体评审）"));
        assert!(a05.contains(&format!("四组各一个观测点（校验码 <span class=\"mono\">{}</span>）", fingerprint(&f.r.rubric.hash()))));
        assert!(a05.contains("<tr><th>联合体名称</th><td>郑州航空港市域产教联合体</td></tr>"));
        assert!(a05.contains("编号 E02　姓名 李&lt;明&gt;　单位 某职业技术学院　职称 教授"));
        // Rubric order, code + short name, 满分, 得分, 等级.
        let at = |s: &str| a05.find(s).unwrap_or_else(|| panic!("no {s} in {a05}"));
        assert!(at("<td>1.1 甲项</td>") < at("<td>2.1</td>") && at("<td>2.1</td>") < at("<td>4.1</td>"));
        assert!(a05.contains("<tr><td>1.1 甲项</td><td class=\"num\">5.00</td><td class=\"num\">4.00</td><td class=\"c\">A</td>"));
        assert!(a05.contains("<b>4 四（一级指标小计）</b></td><td class=\"num\"><b>5.00</b></td><td class=\"num\"><b>4.50</b></td>"));
        assert!(a05.contains("7 其他（扣分项，上限 10.00）</td><td class=\"num\"></td><td class=\"num\">-2.00</td>"));
        assert!(a05.contains("扣分理由：发生安全事故"));
        assert!(a05.contains(
            "<b>合计</b></td><td class=\"num\"><b>20.00</b></td><td class=\"num\"><b>16.50</b></td><td></td><td>（扣分由评审组统一认定）</td>"
        ));
        assert!(a05.contains("第 2 版，提交于 2023-08-15T09:30:00.000Z"));
        let code = fingerprint(&f.sheets[2].1.content_hash("uid-1", &f.r.rubric.hash(), "E02"));
        assert_eq!(code, f.input().sheet_code(&f.sheets[2].1));
        assert!(a05.contains(&format!("<tr><th>评分表校验码</th><td class=\"mono\">{code}</td></tr>")));
        assert_eq!(code.split('-').count(), 8);
        // No deduction: 0 and "无".
        let a01 = page(&html, "A01");
        assert!(a01.contains("<td class=\"num\">0.00</td><td></td><td class=\"wrap\">扣分理由：无</td>"));
        assert!(a01.contains("<b>10.50</b>"));
        // The summary lists each with total, deduction, version and code.
        let summary = html.split("<h1>专家评分表汇总</h1>").nth(1).unwrap();
        assert!(summary
            .contains(&format!("<td class=\"num\">16.50</td><td class=\"num\">2.00</td><td class=\"num\">2</td><td class=\"mono\">{code}</td>")));
        assert!(summary.find("A01").unwrap() < summary.find("A02").unwrap() && summary.find("A02").unwrap() < summary.find("A05").unwrap());
    }

    #[test]
    fn user_text_is_escaped_and_nothing_is_loaded() {
        let f = fixture();
        let html = expert_sheets_html(&f.input()).unwrap();
        assert!(html.contains("济源&lt;产教&gt;联合体") && !html.contains("济源<产教>"));
        assert!(html.contains("材料&lt;不全&gt;&amp;待补"));
        assert!(!html.contains("李<明>"));
        for banned in ["http", "//", "<link", "<script", "<img", "url(", "@import", "src="] {
            let offending: Vec<&str> = html.lines().filter(|l| l.contains(banned) && !l.trim_start().starts_with("{#")).collect();
            assert!(offending.is_empty(), "`{banned}` in: {offending:?}");
        }
    }

    #[test]
    fn another_comment_gives_another_code_and_another_rubric_is_refused() {
        let f = fixture();
        let before = expert_sheets_html(&f.input()).unwrap();
        assert_eq!(before, expert_sheets_html(&f.input()).unwrap(), "same input, same bytes");
        let mut g = fixture();
        g.sheets[0].1.scores[0].comment = "改".into();
        assert_ne!(g.input().sheet_code(&g.sheets[0].1), f.input().sheet_code(&f.sheets[0].1));
        assert_eq!(g.input().sheet_code(&g.sheets[2].1), f.input().sheet_code(&f.sheets[2].1));

        let mut other = fixture();
        other.r.round.rubric_hash = "ab".repeat(32);
        assert!(matches!(expert_sheets_html(&other.input()), Err(ReportError::RubricMismatch { .. })));
    }
}
