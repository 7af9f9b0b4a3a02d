//! `pingshen export`: the paperwork of a score spreadsheet written into a folder, as staff would run it.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use pingshen_core::consolidation::Settings;
use pingshen_core::rubric::fingerprint;
use pingshen_tests::{binary, root};
use serde_json::Value;

fn pingshen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary("pingshen-cli", "pingshen")).current_dir(root()).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn scores(name: &str) -> String {
    root().join("tests/fixtures/scores").join(name).to_string_lossy().into_owned()
}

/// The worksheet's rows as cell texts (every cell must be text: numbers are written as their displayed strings).
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(std::fs::read(path).unwrap())).unwrap();
    assert_eq!(wb.sheet_names(), [sheet]);
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("a non-text cell: {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// The text of a .docx, a line per paragraph.
fn docx_text(path: &Path) -> String {
    crate::read_back::docx_paragraphs(&std::fs::read(path).unwrap()).iter().map(|p| format!("{p}\n")).collect()
}

#[test]
fn export_writes_the_three_documents_of_the_list_and_the_review_report() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("材料"); // created by the command
    let (code, out, err) = pingshen(&[
        "export",
        "--rubric",
        "rubrics/henan-2023",
        "--scores",
        &scores("valid.csv"),
        "--out",
        out_dir.to_str().unwrap(),
        "--round-name",
        "2023年河南省市域产教联合体评审",
        "--date",
        "2023年8月20日",
        "--places",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let names = pingshen_app::paperwork::PAPERWORK_FILES;
    assert_eq!(
        names,
        [
            "评审结果汇总表.html",
            "评审结果汇总表.xlsx",
            "评审结果汇总表.docx",
            "拟推荐名单.html",
            "拟推荐名单.xlsx",
            "拟推荐名单.docx",
            "公示名单.html",
            "公示名单.xlsx",
            "公示名单.docx",
            "评审报告.html",
            "评审意见表.html",
            "评审意见表.xlsx",
            "评审意见表.docx",
            "实地考察记录表.html",
            "实地考察记录表.docx"
        ]
    );
    let printed: Vec<&str> = out.lines().collect();
    assert_eq!(printed.len(), names.len(), "{out}");
    for (line, name) in printed.iter().zip(names) {
        assert_eq!(Path::new(line), out_dir.join(name), "the written paths are printed");
        assert!(out_dir.join(name).is_file(), "{name} written");
    }
    // Without a store the 评审意见表 is a blank form, one page per application, and the 实地考察记录表 one
    // blank form; the .docx reads back.
    let opinions = std::fs::read_to_string(out_dir.join("评审意见表.html")).unwrap();
    let applications = opinions.matches("<h1>评审意见表</h1>").count();
    assert!(applications == 2 && opinions.contains("□建议推荐　　□不予推荐") && opinions.contains("2023年8月20日"), "{applications}");
    let visits = std::fs::read_to_string(out_dir.join("实地考察记录表.html")).unwrap();
    assert_eq!(visits.matches("<h1>实地考察记录表</h1>").count(), 1);
    let docx = std::fs::read(out_dir.join("评审意见表.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert_eq!(xml.matches(">评审意见表</w:t>").count(), applications);
    assert!(xml.contains(">二、专家组意见</w:t>"));

    // What `rank --json` computes is what the paper says.
    let (code, json, err) = pingshen(&["rank", "--rubric", "rubrics/henan-2023", "--scores", &scores("valid.csv"), "--json"]);
    assert_eq!(code, 0, "{err}");
    let rank: Value = serde_json::from_str(&json).unwrap();
    let a02 = rank["applications"].as_array().unwrap().iter().find(|a| a["code"] == "A02").unwrap();
    let (panel, deduction, fin) = (a02["panel_score"].as_str().unwrap(), a02["deduction"].as_str().unwrap(), a02["final_score"].as_str().unwrap());
    let (code, check, _) = pingshen(&["rubric", "check", "rubrics/henan-2023", "--json"]);
    assert_eq!(code, 0);
    let hash = serde_json::from_str::<Value>(&check).unwrap()["hash"].as_str().unwrap().to_string();

    // 评审结果汇总表.html: title (a draft: the CLI never confirms a list), round, experts by name from the score
    // file, 回避 (E03 for A02), 未交 and 待补 (E05 for A01), the numbers of `rank`, 是否推荐, the method, the
    // fingerprint, signature lines; nothing from outside.
    let html = std::fs::read_to_string(out_dir.join("评审结果汇总表.html")).unwrap();
    for needle in [
        "<h1>市域产教联合体评审结果汇总表（草稿）</h1>",
        "推荐名额 1 名；拟推荐 1 项。",
        "（2023年河南省市域产教联合体评审）",
        "2023年8月20日",
        "<th>张建国<br><span class=\"sub\">E01</span></th>",
        "<th>陈静<br><span class=\"sub\">E05</span></th>",
        "<td class=\"num\">回避</td>",
        "<td class=\"num\">未交</td>",
        "待补：缺 E05 陈静 的评分表",
        &format!(
            "<td class=\"num\">{panel}</td>\n  <td class=\"num\">{deduction}</td>\n  <td class=\"num\"><b>{fin}</b></td>\n  <td class=\"c\">是</td>"
        ),
        &Settings::default().method_zh(&[]),
        &fingerprint(&hash),
        "评审专家（签字）",
        "<td>陈静 <span class=\"line\"></span></td>",
        "专家组组长（签字）",
        "监督人员（签字）",
    ] {
        assert!(html.contains(needle), "评审结果汇总表.html lacks {needle}");
    }
    assert!(!html.contains("http"), "no URL in a self-contained page");
    // Without application packages the code stands for the name.
    assert!(html.contains("<td class=\"c\">A02</td>\n  <td class=\"wrap\">A02</td>"));

    // 评审结果汇总表.xlsx: the same table, every value as the displayed text.
    let rows = sheet_rows(&out_dir.join("评审结果汇总表.xlsx"), "评审结果汇总表");
    assert_eq!(rows[0][0], "市域产教联合体评审结果汇总表（草稿）");
    let header = rows.iter().position(|r| r[0] == "排名").expect("a header row");
    assert_eq!(rows[header][5..10], ["E01 张建国", "E02 李文华", "E03 王晓燕", "E04 赵明", "E05 陈静"].map(String::from));
    assert_eq!(rows[header][10..], ["专家组评分", "扣分", "最终得分", "是否推荐"].map(String::from));
    let first = &rows[header + 1];
    assert_eq!(first[..2], ["1", "A02"].map(String::from));
    assert_eq!(first[7], "回避");
    assert_eq!(first[10..], [panel, deduction, fin, "是"].map(String::from));
    let pending = &rows[header + 2];
    assert_eq!(
        (pending[1].as_str(), pending[9].as_str(), pending[10].as_str(), pending[13].as_str()),
        ("A01", "未交", "待补：缺 E05 陈静 的评分表", "否")
    );
    assert!(rows.iter().any(|r| r[0] == format!("计分方法：{}", Settings::default().method_zh(&[]))));

    // The .docx of the same table, read back.
    let doc = docx_text(&out_dir.join("评审结果汇总表.docx"));
    for needle in
        ["市域产教联合体评审结果汇总表（草稿）", "E05 陈静", "待补：缺 E05 陈静 的评分表", fin, "评审专家（签字）：张建国", "监督人员（签字）："]
    {
        assert!(doc.contains(needle), "评审结果汇总表.docx lacks {needle}: {doc}");
    }

    // 拟推荐名单 and 公示名单: A02 only (one place), no expert's score; the 公示名单 no score at all.
    let shortlist = std::fs::read_to_string(out_dir.join("拟推荐名单.html")).unwrap();
    assert!(shortlist.contains("<h1>市域产教联合体拟推荐名单（草稿）</h1>") && shortlist.contains(">A02<") && !shortlist.contains(">A01<"));
    assert!(!shortlist.contains("张建国"), "no expert in the 拟推荐名单");
    let rows = sheet_rows(&out_dir.join("拟推荐名单.xlsx"), "拟推荐名单");
    assert!(rows.iter().any(|r| r[..2] == ["1".to_string(), "A02".to_string()] && r[5] == fin), "{rows:?}");
    assert!(docx_text(&out_dir.join("拟推荐名单.docx")).contains("A02"));
    let publicity = std::fs::read_to_string(out_dir.join("公示名单.html")).unwrap();
    assert!(publicity.contains("现将拟推荐的 1 个市域产教联合体名单予以公示，公示期为______至______。"), "{publicity}");
    assert!(!publicity.contains(fin));
    let rows = sheet_rows(&out_dir.join("公示名单.xlsx"), "公示名单");
    assert!(rows.iter().any(|r| r[1] == "A02"), "{rows:?}");
    assert!(docx_text(&out_dir.join("公示名单.docx")).contains("予以公示"));

    // 评审报告.html: round, rubric hash in full, experts, method, flags with a blank 处理结果, statistics, ranking.
    let report = std::fs::read_to_string(out_dir.join("评审报告.html")).unwrap();
    for needle in ["<h1>评审报告</h1>", hash.as_str(), "王晓燕", "<th>处理结果</th>", "肯德尔和谐系数", "七、评审结果", "评审组长（签字）"]
    {
        assert!(report.contains(needle), "评审报告.html lacks {needle}");
    }
    assert!(report.contains(&Settings::default().method_zh(&[])));
    assert!(!report.contains("http"));
}

#[test]
fn export_of_a_bad_spreadsheet_lists_the_problems_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("材料");
    let (code, out, err) =
        pingshen(&["export", "--rubric", "rubrics/henan-2023", "--scores", &scores("errors.csv"), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "nothing printed on stdout: {out}");
    assert!(err.contains("未导入任何数据"), "{err}");
    assert!(err.lines().filter(|l| l.trim_start().starts_with("- errors.csv 第 ")).count() >= 10, "{err}");
    assert!(!out_dir.exists(), "nothing written, not even the folder");

    // A bad rubric too.
    let (code, _, err) = pingshen(&["export", "--rubric", "no/such/rubric", "--scores", &scores("valid.csv"), "--out", out_dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(!out_dir.exists());
}

#[test]
fn export_usage_errors_say_how() {
    for args in [
        &["export"][..],
        &["export", "--rubric", "rubrics/henan-2023", "--scores", "x.csv"][..],
        &["export", "--rubric", "rubrics/henan-2023", "--scores", "x.csv", "--out"][..],
        &["export", "--rubric", "r", "--scores", "s", "--out", "o", "--colour", "red"][..],
        &["export", "--rubric", "r", "--scores", "s", "--out", "o", "--out", "p"][..],
        &["export", "--rubric", "r", "--scores", "s", "--out", "o", "--json"][..],
    ] {
        let (code, _, err) = pingshen(args);
        assert_eq!(code, 1, "{args:?}");
        assert!(err.contains("pingshen export --rubric"), "{args:?}: {err}");
    }
}
