//! End to end, in the real window: the 推荐名单 of the sample round. Scores come in through the paper-score
//! spreadsheet (A01 first, A02 and A03 with the same scores on every item, A04 last). Two places put A02 and
//! A03 on both sides of the line: the tie is shown as an alert and the list cannot be confirmed; the panel
//! decides (专家组决定) for A03; the 公示 settings are typed in; the list is confirmed and frozen; the 公示名单
//! is previewed; the documents are exported and read back (.xlsx with calamine, .docx as its text); the list
//! is reopened with a reason.

use std::fmt::Write as _;

use pingshen_core::rubric;
use pingshen_tests::e2e::App;
use pingshen_tests::root;

use crate::e2e::ONE_AT_A_TIME;
use crate::read_back::{docx_text, xlsx_cells};

/// Three experts × the four sample applications, every sheet in: A01 at 90 %, A02 and A03 at 80 % (the same
/// score on every item, so neither the 一级指标 nor the deduction separates them), A04 at 70 %.
fn paper_sheet() -> String {
    let text = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let r = rubric::parse(&text).unwrap();
    let mut csv = String::from("专家编号,专家姓名,申报编号,观测点,得分,说明\n");
    for (e, name) in [("E01", "张建国"), ("E02", "李文华"), ("E03", "王晓燕")] {
        for (a, pct) in [("A01", 90), ("A02", 80), ("A03", 80), ("A04", 70)] {
            for item in r.items() {
                let v = (item.points.0 * pct / 100) / 5 * 5;
                writeln!(csv, "{e},{name},{a},{},{}.{},", item.code, v / 10, v % 10).unwrap();
            }
        }
    }
    csv
}

async fn type_into(app: &App, css: &str, text: &str) {
    let el = app.wait_for(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn places_two_with_a_tie_at_the_line_the_panel_decides_the_list_is_confirmed_and_published() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let sheet = data.path().join("纸质评分录入.csv");
    std::fs::write(&sheet, paper_sheet()).unwrap();

    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.click("[data-testid^=round-]").await;
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-consolidation]").await;
    app.wait_for("[data-ready=consolidation]").await;
    let reply = app.invoke("import_paper_scores", serde_json::json!({ "roundId": 1, "path": sheet.to_str().unwrap() })).await;
    assert_eq!(reply["ok"]["sheets"], 12, "{reply}");
    app.click("[data-testid=refresh]").await;
    app.wait_until("matrix refreshed", || async { app.text("[data-cell='A04-E03']").await.starts_with("已提交") }).await;

    // The 推荐名单 tab: nothing set yet, nothing to confirm.
    app.click("#tab-recommendation").await;
    app.wait_for("[data-testid=recommendation]").await;
    assert!(app.content("[data-testid=recommendation]").await.contains("请先设定推荐名额或最低分数线"));

    // Two places: A01, then A02 and A03 with the same final score across the line.
    type_into(&app, "[data-testid=rec-places] input", "2").await;
    app.click("[data-testid=rec-save-line]").await;
    let tie = app.wait_for("[data-testid=rec-tie]").await.text().await.unwrap();
    assert!(tie.contains("A02、A03") && tie.contains("跨越名额线") && tie.contains("尚余 1 个名额"), "{tie}");
    assert!(tie.contains("第2、3、4项一级指标的专家组评分及扣分也相同"), "{tie}");
    let confirm_disabled = app.client.execute("return document.querySelector('[data-testid=rec-confirm]').disabled", vec![]).await.unwrap();
    assert_eq!(confirm_disabled.as_bool(), Some(true), "a tie across the line cannot be confirmed");
    assert_eq!(app.wait_for("[data-rec=A01]").await.attr("data-recommended").await.unwrap().as_deref(), Some("yes"));
    app.wait_until("A02 waits for the panel", || async { app.content("[data-rec=A02]").await.contains("同分待专家组决定") }).await;
    app.screenshot("90-recommendation-tie").await;

    // 专家组决定: A03 takes the place, 3 votes to 0, with the reason.
    app.click("[data-testid=rec-decide]").await;
    app.click("[data-testid=tie-choose-A03]").await;
    type_into(&app, "[data-testid=tie-for] input", "3").await;
    app.wait_for("[data-testid=tie-reason] textarea, textarea[data-testid=tie-reason]")
        .await
        .send_keys("A03 的产教融合实体化运作成效更突出")
        .await
        .unwrap();
    app.click("[data-testid=tie-save]").await;
    app.wait_until("the decision applies", || async { app.content("[data-testid=recommendation]").await.contains("专家组决定：") }).await;
    app.wait_until("A03 in the list", || async {
        app.content("[data-rec=A03]").await.contains("推荐") && !app.content("[data-rec=A03]").await.contains("待")
    })
    .await;
    app.wait_until("A02 outside the places", || async { app.content("[data-rec=A02]").await.contains("名额外") }).await;
    assert!(app.content("[data-testid=rec-decision]").await.contains("同意 3 票、反对 0 票"));
    app.screenshot("91-recommendation-decided").await;

    // The 公示 settings, typed in.
    app.click("[data-testid=pub-order] label:nth-of-type(2)").await;
    for (css, text) in [("[data-testid=pub-start]", "2026-12-04"), ("[data-testid=pub-end]", "2026-12-10")] {
        let input = app.wait_for(&format!("{css} input, input{css}")).await;
        input.click().await.unwrap();
        input.send_keys(&format!("{text}\u{E007}")).await.unwrap();
    }
    type_into(&app, "input[data-testid=pub-contact]", "李老师").await;
    type_into(&app, "input[data-testid=pub-phone]", "0371-12345678").await;
    type_into(&app, "input[data-testid=pub-publisher]", "河南省教育厅").await;
    app.click("[data-testid=pub-title]").await;
    app.click("[data-testid=pub-save]").await;
    app.wait_until("publicity saved", || async {
        let r = app.invoke("recommendation", serde_json::json!({ "roundId": 1 })).await;
        r["ok"]["publicity"]["end"] == "2026-12-10" && r["ok"]["publicity"]["publisher"] == "河南省教育厅"
    })
    .await;

    // Confirm: frozen; the line cannot change.
    // The button is enabled once nothing blocks; the click may land while a date picker's popper fades out,
    // so it is repeated until the box opens.
    app.wait_until("the list can be confirmed", || async {
        let v = app.client.execute("return document.querySelector('[data-testid=rec-confirm]').disabled", vec![]).await.unwrap();
        v.as_bool() == Some(false)
    })
    .await;
    app.wait_until("the confirmation box opened", || async {
        let open = app.client.execute("return !!document.querySelector('.confirm-list-box')", vec![]).await.unwrap();
        if open.as_bool() != Some(true) {
            app.client.execute("document.querySelector('[data-testid=rec-confirm]').click()", vec![]).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        app.client.execute("return !!document.querySelector('.confirm-list-box')", vec![]).await.unwrap().as_bool() == Some(true)
    })
    .await;
    app.click(".confirm-list-box .el-button--primary").await;
    app.wait_for("[data-testid=rec-confirmed]").await;
    let refused = app.invoke("recommendation_set_line", serde_json::json!({ "roundId": 1, "line": { "places": 3, "minScore": null } })).await;
    assert!(refused["err"]["message"].as_str().unwrap_or_default().starts_with("推荐名单已确认，不能修改推荐名额"), "{refused}");

    // The 公示名单 previewed: the notice with the typed dates and contact, no score, not a draft.
    app.click("[data-testid=rec-preview-publicity]").await;
    app.wait_for("[data-testid=paperwork-frame]").await;
    app.wait_until("preview filled", || async { app.content_of_frame().await.contains("拟推荐名单公示") }).await;
    let printed = app.content_of_frame().await;
    for needle in ["公示期为2026年12月4日至2026年12月10日", "联系人：李老师，电话：0371-12345678。", "河南省教育厅", "名单按推荐单位排列"]
    {
        assert!(printed.contains(needle), "the 公示名单 lacks “{needle}”");
    }
    assert!(!printed.contains("草稿") && !printed.contains("得分"), "confirmed, and no score");
    app.screenshot("92-publicity-preview").await;
    app.client.execute("document.querySelector('.preview-dialog .el-dialog__headerbtn').click()", vec![]).await.unwrap();

    // Every document exported and read back.
    let out = data.path().join("评审材料");
    let reply = app.invoke("export_paperwork", serde_json::json!({ "roundId": 1, "dir": out.to_str().unwrap() })).await;
    assert_eq!(reply["ok"].as_array().map(Vec::len), Some(pingshen_app::paperwork::PAPERWORK_FILES.len()), "{reply}");
    let read = |name: &str| std::fs::read(out.join(name)).unwrap();
    let summary = String::from_utf8(read("评审结果汇总表.html")).unwrap();
    assert!(summary.contains("A03 的产教融合实体化运作成效更突出") && !summary.contains("草稿"));
    let summary_docx = docx_text(&read("评审结果汇总表.docx"));
    assert!(summary_docx.contains("是否推荐") && summary_docx.contains("监督人员（签字）"), "{summary_docx}");
    let shortlist = xlsx_cells(&read("拟推荐名单.xlsx"));
    assert!(
        shortlist.contains(&"A01".to_string()) && shortlist.contains(&"A03".to_string()) && !shortlist.contains(&"A02".to_string()),
        "{shortlist:?}"
    );
    let shortlist_docx = docx_text(&read("拟推荐名单.docx"));
    // A02 is named only in the note on the panel's decision, not as a row.
    assert!(shortlist_docx.contains("2A03宁波") && !shortlist_docx.contains("A02临港"), "{shortlist_docx}");
    let publicity = xlsx_cells(&read("公示名单.xlsx"));
    assert!(publicity.iter().any(|c| c.contains("公示期为2026年12月4日至2026年12月10日")), "{publicity:?}");
    let publicity_docx = docx_text(&read("公示名单.docx"));
    assert!(publicity_docx.contains("联系人：李老师，电话：0371-12345678。"), "{publicity_docx}");

    // Reopened with a reason (logged); the list can change again.
    app.click("[data-testid=rec-reopen]").await;
    app.wait_for(".reopen-list-prompt input").await.send_keys("公示期间收到异议，专家组复核").await.unwrap();
    app.click(".reopen-list-prompt .el-button--primary").await;
    app.wait_for("[data-testid=rec-confirm]").await;
    let log = app.invoke("recommendation", serde_json::json!({ "roundId": 1 })).await;
    assert!(log["ok"]["confirmed"].is_null(), "{log}");
    app.quit().await;
}
