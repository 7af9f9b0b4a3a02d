//! End to end, in the real window: the staff's 统分 screen on the sample round, fed by a paper-score
//! spreadsheet. The native file dialog cannot be driven over WebDriver, so the test hands the file's path
//! to the same command the 导入纸质评分表 button calls; everything else is clicks and typing.

use std::fmt::Write as _;

use pingshen_core::rubric;
use pingshen_tests::e2e::App;
use pingshen_tests::root;

use crate::e2e::ONE_AT_A_TIME;

/// On-step score for an item: `pct` % of its maximum, rounded down to the 0.5 step.
fn at(max_tenths: i64, pct: i64) -> String {
    let v = (max_tenths * pct / 100) / 5 * 5;
    if v % 10 == 0 {
        format!("{}", v / 10)
    } else {
        format!("{}.{}", v / 10, v % 10)
    }
}

/// Three demo experts × four sample applications: E02 recused from A03, E03 has not scored A04 (待补),
/// E03 far above the others on A02's 2.2, and a majority deduction on A02.
fn paper_sheet() -> String {
    let text = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let r = rubric::parse(&text).unwrap();
    let quality = [("A01", 92), ("A02", 70), ("A03", 80), ("A04", 55)];
    let experts = [("E01", "张建国", 0), ("E02", "李文华", -4), ("E03", "王晓燕", 3)];
    let mut csv = String::from("专家编号,专家姓名,申报编号,观测点,得分,说明\n");
    for (e, name, bias) in experts {
        for (a, q) in quality {
            if (e, a) == ("E02", "A03") {
                writeln!(csv, "{e},{name},{a},,回避,任职单位为成员单位").unwrap();
                continue;
            }
            if (e, a) == ("E03", "A04") {
                continue;
            }
            for item in r.items() {
                let pct = if (e, a, item.code.as_str()) == ("E03", "A02", "2.2") { 100 } else { q + bias };
                writeln!(csv, "{e},{name},{a},{},{},", item.code, at(item.points.0, pct)).unwrap();
            }
            if a == "A02" && e != "E03" {
                writeln!(csv, "{e},{name},{a},7,2,2022年发生学生实习安全事故").unwrap();
            }
        }
    }
    csv
}

#[tokio::test(flavor = "current_thread")]
async fn staff_import_paper_scores_and_settle_flags_and_deductions_in_the_consolidation_screen() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let sheet = data.path().join("纸质评分录入.csv");
    std::fs::write(&sheet, paper_sheet()).unwrap();
    let bad = data.path().join("有错误的评分表.csv");
    std::fs::write(&bad, "专家编号,专家姓名,申报编号,观测点,得分,说明\nE01,张建国,A01,1.1,6,\nE09,某某,A01,1.2,2,\n").unwrap();

    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.click("[data-testid^=round-]").await;
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-consolidation]").await;
    app.wait_for("[data-ready=consolidation]").await;

    // Nothing is scored yet: every cell 未评, every application 待补.
    assert_eq!(app.text("[data-cell='A01-E01']").await, "未评");

    // A bad spreadsheet is refused with every problem and its row, and imports nothing.
    let invoke = |path: &std::path::Path| {
        format!(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__.invoke('import_paper_scores', {{ roundId: 1, path: {:?} }})
               .then((r) => done({{ ok: r }}), (e) => done({{ err: e }}));",
            path.to_str().unwrap()
        )
    };
    let reply = app.client.execute_async(&invoke(&bad), vec![]).await.unwrap();
    let msg = reply["err"]["message"].as_str().unwrap_or_default().to_string();
    assert_eq!(reply["err"]["kind"], "Spreadsheet", "{reply}");
    assert!(msg.contains("有错误的评分表.csv 第 2 行") && msg.contains("超出范围"), "{msg}");
    assert!(msg.contains("第 3 行") && msg.contains("E09"), "{msg}");

    // The good one goes in.
    let reply = app.client.execute_async(&invoke(&sheet), vec![]).await.unwrap();
    assert_eq!(reply["ok"]["sheets"], 10, "{reply}");
    assert_eq!(reply["ok"]["recusals"], 1, "{reply}");
    app.click("[data-testid=refresh]").await;
    app.wait_until("matrix refreshed", || async { app.text("[data-cell='A01-E01']").await.starts_with("已提交") }).await;
    assert_eq!(app.text("[data-cell='A03-E02']").await, "回避");
    assert_eq!(app.text("[data-cell='A04-E03']").await, "未评");
    assert!(app.text("[data-app='A04']").await.contains("待补"));
    app.screenshot("10-consolidation-matrix").await;

    // Ranking: A01 first; A04 waits for E03 and is not ranked.
    app.click("#tab-ranking").await;
    app.wait_until("ranking shown", || async { app.content("[data-testid=ranking]").await.contains("A01") }).await;
    let ranking = app.content("[data-testid=ranking]").await;
    let pos = |code: &str| ranking.find(code).unwrap_or(usize::MAX);
    assert!(pos("A01") < pos("A03") && pos("A03") < pos("A02") && pos("A02") < pos("A04"), "{ranking}");
    assert!(ranking.contains("待补：缺 E03"), "{ranking}");
    assert!(app.text("[data-testid=method]").await.contains("去掉一个最高总分和一个最低总分"));
    app.screenshot("11-consolidation-ranking").await;

    // Flags: E03 on A02's 2.2 is 畸高; settle it with the expert's written reason.
    app.click("#tab-flags").await;
    let flags = app.content("[data-testid=flags]").await;
    assert!(flags.contains("观测点 2.2") && flags.contains("畸高"), "{flags}");
    app.click("[data-testid='settle-A02-E03-2.2']").await;
    app.wait_for("[data-testid=settle-text] textarea, textarea[data-testid=settle-text]")
        .await
        .send_keys("该联合体实体化运作有章程与法人登记材料佐证")
        .await
        .unwrap();
    app.click("[data-testid=settle-save]").await;
    app.wait_until("flag settled", || async { app.content("[data-testid=flags]").await.contains("专家说明：该联合体实体化运作") }).await;
    app.screenshot("12-consolidation-flags").await;

    // Deductions: two of three propose 2 on A02 → median 2; the panel resolves 1 by 3 votes to 0.
    app.click("#tab-deductions").await;
    assert!(app.content("[data-testid=deductions]").await.contains("2.00"));
    app.click("[data-testid=resolve-A02]").await;
    let value = app.wait_for("[data-testid=resolve-value] input, input[data-testid=resolve-value]").await;
    value.clear().await.unwrap();
    value.send_keys("1").await.unwrap();
    let votes = app.wait_for("[data-testid=resolve-for] input, input[data-testid=resolve-for]").await;
    votes.clear().await.unwrap();
    votes.send_keys("3").await.unwrap();
    app.wait_for("[data-testid=resolve-reason] textarea, textarea[data-testid=resolve-reason]")
        .await
        .send_keys("事故已整改，情节较轻")
        .await
        .unwrap();
    app.click("[data-testid=resolve-save]").await;
    app.wait_until("resolution recorded", || async { app.content("[data-testid=deductions]").await.contains("1.00（决议）") }).await;

    // Statistics.
    app.click("#tab-stats").await;
    let w = app.text("[data-testid=kendall-w]").await;
    assert!(w.contains("肯德尔") && !w.contains("无法计算"), "{w}");
    app.screenshot("13-consolidation-stats").await;

    // The printed 评审结果汇总表, rendered in the window: every expert column, 回避 where recused, the method,
    // the signature lines of the experts, the 组长 and the 监督人员.
    app.click("[data-testid=preview-summary]").await;
    app.wait_for("[data-testid=paperwork-frame]").await;
    app.wait_until("preview filled", || async { app.content_of_frame().await.contains("评审结果汇总表") }).await;
    let printed = app.content_of_frame().await;
    for needle in [
        "张建国",
        "李文华",
        "王晓燕",
        "回避",
        "待补",
        "去掉一个最高总分和一个最低总分",
        "评审专家（签字）",
        "专家组组长（签字）",
        "监督人员（签字）",
        "是否",
    ] {
        assert!(printed.contains(needle), "the 评审结果汇总表 lacks “{needle}”");
    }
    app.screenshot("14-summary-preview").await;

    // 另存为 PDF of the preview: printed by the web view, every page numbered 第 N 页 共 M 页 (the dialog's
    // path is passed in).
    let pdf_path = data.path().join("评审结果汇总表.pdf");
    let reply = app
        .client
        .execute_async(
            "const [path, done] = arguments;
             const invoke = window.__TAURI_INTERNALS__.invoke;
             invoke('summary_preview', { roundId: 1 })
               .then((html) => invoke('save_pdf', { html, fileName: '评审结果汇总表.html', path }))
               .then((r) => done({ ok: r }), (e) => done({ err: e }));",
            vec![serde_json::json!(pdf_path.to_str().unwrap())],
        )
        .await
        .unwrap();
    assert_eq!(reply["ok"].as_str(), pdf_path.to_str(), "{reply}");
    let pdf = std::fs::read(&pdf_path).unwrap();
    let pages = pingshen_import::pdf::page_texts("评审结果汇总表.pdf", &pdf).unwrap();
    assert!(!pages.is_empty());
    // The web view's subset fonts are not read back here (pingshen-import's reader does not decode them), so
    // the page is checked for its size (the 评审结果汇总表 is A4 landscape) and the stamp, which carries its own map.
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let media: Vec<f32> =
        doc.get_dictionary(first).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
    assert_eq!((media[2].round(), media[3].round()), (842.0, 595.0), "A4 landscape");
    for (i, p) in pages.iter().enumerate() {
        let label = format!("第 {} 页 共 {} 页", i + 1, pages.len());
        assert!(p.text.contains(&label), "page {} lacks “{label}”: {}", i + 1, p.text);
    }

    // Export of all paperwork (the folder the native dialog would ask for is passed in).
    let out = data.path().join("评审材料");
    let reply = app
        .client
        .execute_async(
            "const [dir, done] = arguments;
             window.__TAURI_INTERNALS__.invoke('export_paperwork', { roundId: 1, dir }).then((r) => done({ ok: r }), (e) => done({ err: e }));",
            vec![serde_json::json!(out.to_str().unwrap())],
        )
        .await
        .unwrap();
    assert_eq!(reply["ok"].as_array().map(Vec::len), Some(pingshen_app::paperwork::PAPERWORK_FILES.len()), "{reply}");
    for f in
        ["评审结果汇总表.html", "评审结果汇总表.xlsx", "评审结果汇总表.docx", "拟推荐名单.html", "公示名单.docx", "评审报告.html", "评审意见表.docx"]
    {
        assert!(out.join(f).metadata().unwrap().len() > 1000, "{f}");
    }
    let review = std::fs::read_to_string(out.join("评审报告.html")).unwrap();
    assert!(review.contains("专家书面说明：该联合体实体化运作"), "the settled flag is printed in the 评审报告");

    // The blank paper template of the round.
    let template = data.path().join("录入表.xlsx");
    let reply = app
        .client
        .execute_async(
            "const [path, done] = arguments;
             window.__TAURI_INTERNALS__.invoke('save_score_template', { roundId: 1, path }).then((r) => done({ ok: r }), (e) => done({ err: e }));",
            vec![serde_json::json!(template.to_str().unwrap())],
        )
        .await
        .unwrap();
    assert!(reply["ok"].is_string(), "{reply}");
    assert!(std::fs::read(&template).unwrap().starts_with(b"PK"), "an .xlsx workbook");

    // Changing the rules: the median instead of the trimmed mean; the method printed follows.
    app.client.execute("document.querySelector('.el-dialog__headerbtn')?.click()", vec![]).await.unwrap();
    app.click("[data-testid=open-rules]").await;
    app.click("[data-testid=rules-aggregation]").await;
    app.click(".el-select-dropdown__item:nth-child(2)").await;
    app.click("[data-testid=rules-save]").await;
    app.click("#tab-ranking").await;
    app.wait_until("method follows the rules", || async {
        app.text("[data-testid=method]").await.contains("取各有效评分表总分的中位数")
    })
    .await;
    app.quit().await;
}
