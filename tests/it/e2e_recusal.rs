//! End to end, in the real window: a proposed conflict confirmed by staff keeps the expert away from that
//! application's score form; a submitted sheet goes back to its expert only when staff reopen it with a reason.

use pingshen_tests::e2e::App;

use crate::e2e::ONE_AT_A_TIME;

#[tokio::test(flavor = "current_thread")]
async fn a_confirmed_recusal_hides_the_form_and_staff_reopen_a_submitted_sheet_with_a_reason() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.click("[data-testid^=round-]").await;
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-consolidation]").await;
    app.wait_for("[data-ready=consolidation]").await;

    // The unit match proposes E02 (浙大宁波理工学院) for A03, whose member it is; staff confirm it.
    app.click("#tab-recusals").await;
    let list = app.content("[data-testid=recusals]").await;
    assert!(list.contains("浙大宁波理工学院") && list.contains("建议回避"), "{list}");
    app.click("[data-testid=recuse-E02-A03]").await;
    app.click(".recusal-prompt .el-button--primary").await;
    app.wait_until("recusal recorded", || async { app.content("[data-testid=recusals]").await.contains("已回避") }).await;
    app.screenshot("30-recusal-confirmed").await;

    // As E02, A03 reads 回避 and has no 评分 button; asking for its form over IPC is refused.
    app.client.execute("window.location.hash = '#/round/1?expert=2'", vec![]).await.unwrap();
    app.wait_until("E02's list", || async { app.content("[data-testid=application-table]").await.contains("回避") }).await;
    assert!(app.all("[data-testid=open-A03]").await.is_empty(), "no score form for a recused expert");
    assert!(!app.all("[data-testid=open-A01]").await.is_empty());
    let reply = app.invoke("open_scoring", serde_json::json!({ "roundId": 1, "expertId": 2, "applicationId": 3 })).await;
    assert!(reply["err"]["message"].as_str().unwrap_or_default().contains("已回避"), "{reply}");

    // E01 scores A01 in full (the maximum everywhere) and submits.
    let opened = app.invoke("open_scoring", serde_json::json!({ "roundId": 1, "expertId": 1, "applicationId": 1 })).await;
    let sheet = opened["ok"]["sheetId"].as_i64().unwrap();
    for g in opened["ok"]["rubric"]["groups"].as_array().unwrap() {
        for i in g["items"].as_array().unwrap() {
            let r = app.invoke("set_score", serde_json::json!({ "args": { "sheetId": sheet, "item": i["code"], "value": i["points"] } })).await;
            assert!(r.get("ok").is_some(), "{r}");
        }
    }
    assert_eq!(app.invoke("submit_sheet", serde_json::json!({ "sheetId": sheet })).await["ok"], 1);

    // Staff reopen it from the matrix, with a reason; the expert can change it again.
    app.client.execute("window.location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.wait_until("submitted", || async { app.text("[data-cell='A01-E01']").await.starts_with("已提交") }).await;
    app.click("[data-cell='A01-E01']").await;
    app.wait_for(".reopen-prompt input").await.send_keys("专家申请更正观测点 1.1").await.unwrap();
    app.click(".reopen-prompt .el-button--primary").await;
    // Reopened with every point still scored: 已评完 (not yet submitted again).
    app.wait_until("reopened", || async { app.text("[data-cell='A01-E01']").await.starts_with("已评完") }).await;
    let r = app.invoke("set_score", serde_json::json!({ "args": { "sheetId": sheet, "item": "1.1", "value": "4.5" } })).await;
    assert!(r.get("ok").is_some(), "a reopened sheet takes changes again: {r}");
    assert_eq!(app.invoke("submit_sheet", serde_json::json!({ "sheetId": sheet })).await["ok"], 2, "the re-submission is version 2");
    app.screenshot("31-reopened-and-resubmitted").await;

    // The round's 审计日志, printed from the 统分 screen: the reopen with its reason, the change old → new.
    let log = data.path().join("审计日志.html");
    let r = app.invoke("export_audit_log", serde_json::json!({ "roundId": 1, "path": log.to_str().unwrap() })).await;
    assert!(r["ok"].is_string(), "{r}");
    let html = std::fs::read_to_string(&log).unwrap();
    for needle in ["审计日志", "退回评分表", "专家申请更正观测点 1.1", "观测点 1.1", "5 分 → 4.5 分", "第 1 版 → 第 2 版", "提交评分表", "登记回避"]
    {
        assert!(html.contains(needle), "the printed audit log lacks “{needle}”");
    }

    // E01's printed 专家评分表: a page for A01 with its version and 校验码.
    let printed = data.path().join("E01-专家评分表.html");
    let r = app.invoke("export_expert_sheets", serde_json::json!({ "roundId": 1, "expertId": 1, "path": printed.to_str().unwrap() })).await;
    assert!(r["ok"].is_string(), "{r}");
    let html = std::fs::read_to_string(&printed).unwrap();
    assert!(html.contains("专家评分表") && html.contains("评分表校验码") && html.contains("（签字）"), "the printed sheet");
    app.quit().await;
}
