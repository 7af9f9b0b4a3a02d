//! End to end, in the real window: the evidence beside the point in focus. The material pages the rubric's
//! keywords point to are suggested, a full-text search finds a term in the supporting PDFs, the page opens in
//! the pdf.js viewer with its Chinese text, and the page (with a selected passage) is pinned to the score;
//! the pin is printed on the 专家评分表.

use pingshen_tests::e2e::App;
use serde_json::json;

use crate::e2e::ONE_AT_A_TIME;

#[tokio::test(flavor = "current_thread")]
async fn search_open_a_page_in_the_viewer_and_pin_it_to_a_score() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    app.client.execute("location.hash = '#/round/1/expert/1/application/1'", vec![]).await.unwrap();
    app.wait_for("[data-ready=scoring]").await;

    // 2.1 in focus: the 支撑材料 tab suggests pages for its keywords.
    app.click("[data-score='2.1']").await;
    app.click("[data-testid=tab-materials]").await;
    app.wait_for("[data-suggestion='0']").await;

    // Full-text search: a term from the 济源 material.
    app.wait_for("[data-testid=search]").await.send_keys("理事会").await.unwrap();
    app.wait_for("[data-testid=search-hits] [data-hit='0']").await;
    let hits = app.content("[data-testid=search-hits]").await;
    assert!(hits.contains("理事会") && hits.contains(" 第") && hits.contains("页…"), "a page reference reads 第N页: {hits}");
    // Open the first page hit (a material page, not a 推荐书 field).
    let page_hit = app
        .client
        .execute("return [...document.querySelectorAll('[data-testid=search-hits] .hit')].findIndex((b) => / 第\\d+页/.test(b.textContent))", vec![])
        .await
        .unwrap();
    let i = page_hit.as_i64().unwrap();
    assert!(i >= 0, "a material page among the hits: {hits}");
    app.click(&format!("[data-testid=search-hits] [data-hit='{i}']")).await;
    app.wait_for("[data-testid=pdf-viewer] [data-testid=pdf-text] span").await;
    app.wait_until("the page's text layer holds the term", || async { app.content("[data-testid=pdf-text]").await.contains("理事会") }).await;
    let marked = app.all("[data-testid=pdf-text] span.hit").await.len();
    assert!(marked > 0, "the search word is marked on the page");
    let page_label = app.text("[data-testid=pdf-page]").await;
    app.screenshot("50-material-page").await;

    // Pin the page (with a passage selected in the text layer) to 2.1.
    app.client
        .execute(
            "const span = [...document.querySelectorAll('[data-testid=pdf-text] span')].find((s) => s.textContent.includes('理事会'));
             const r = document.createRange(); r.selectNodeContents(span);
             const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);",
            vec![],
        )
        .await
        .unwrap();
    app.click("[data-testid=pdf-pin]").await;
    app.wait_for("[data-pins='2.1']").await;
    let pins = app.content("[data-pins='2.1']").await;
    assert!(pins.contains(" 第") && pins.contains("页") && pins.contains("理事会"), "the pin shows the page and the passage: {pins}");
    assert!(page_label.contains("第"), "{page_label}");
    app.screenshot("51-pinned").await;

    // The sheet's pins come back after a reload (they are stored), and print on the 专家评分表 once submitted.
    let opened = app.invoke("open_scoring", json!({ "roundId": 1, "expertId": 1, "applicationId": 1 })).await;
    let sheet = opened["ok"]["sheetId"].as_i64().unwrap();
    assert_eq!(opened["ok"]["pins"].as_array().unwrap().len(), 1, "{opened}");
    for g in opened["ok"]["rubric"]["groups"].as_array().unwrap() {
        for it in g["items"].as_array().unwrap() {
            let r = app.invoke("set_score", json!({ "args": { "sheetId": sheet, "item": it["code"], "value": it["points"] } })).await;
            assert!(r.get("ok").is_some(), "{r}");
        }
    }
    assert_eq!(app.invoke("submit_sheet", json!({ "sheetId": sheet })).await["ok"], 1);
    let printed = data.path().join("sheets.html");
    let r = app.invoke("export_expert_sheets", json!({ "roundId": 1, "expertId": 1, "path": printed.to_str().unwrap() })).await;
    assert!(r["ok"].is_string(), "{r}");
    let html = std::fs::read_to_string(&printed).unwrap();
    let printed_pin = html.split("评分依据：").nth(1).and_then(|t| t.split("</div>").next()).unwrap_or_default();
    assert!(printed_pin.contains(" 第") && printed_pin.contains("页"), "the pin is printed on the 专家评分表: {printed_pin}");
    // A submitted sheet's evidence is locked with it.
    let pin_id = opened["ok"]["pins"][0]["id"].as_i64().unwrap();
    let refused = app.invoke("unpin_evidence", json!({ "sheetId": sheet, "pinId": pin_id })).await;
    assert_eq!(refused["err"]["kind"], "Locked", "{refused}");
    app.quit().await;
}
