//! End to end, in the real window, on two machines (two profiles): an expert scores a whole application by
//! keyboard on their laptop, submits it and exports a score file; the staff's machine imports it, refuses a
//! tampered copy, and shows the sheet in the 统分 matrix. Native save/open dialogs cannot be driven over
//! WebDriver, so the paths they would return are handed to the same commands the buttons call.

use pingshen_tests::e2e::{keys, App};

use crate::e2e::ONE_AT_A_TIME;

#[tokio::test(flavor = "current_thread")]
async fn a_score_file_carries_a_submitted_sheet_from_a_laptop_to_the_staff_machine() {
    let _one = ONE_AT_A_TIME.lock().await;
    let laptop = tempfile::tempdir().unwrap();
    let hub = tempfile::tempdir().unwrap();
    let carried = tempfile::tempdir().unwrap();
    let file = carried.path().join("E01-评分文件.json");

    // The expert's laptop: score all 25 points of A01 with the keyboard, then submit.
    let Some(app) = App::launch(laptop.path(), &["--load-samples"]).await else { return };
    app.click("[data-testid^=round-]").await;
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-A01]").await;
    app.wait_for("[data-score='1.1']").await;
    for _ in 0..25 {
        app.type_keys(&format!("3{}", keys::ENTER)).await;
    }
    // 3 of 2.2's 6 points is below 60 %: submitting without a comment is refused, with the reason.
    app.wait_until("saved", || async { app.text("[data-testid=save-state]").await == "已保存" }).await;
    app.click("[data-testid=submit-sheet]").await;
    app.click(".el-message-box__btns .el-button--primary").await;
    app.wait_until("refused with the reason", || async {
        app.content("body").await.contains("观测点 2.2 得 3 分，低于满分 6 的 60%，须填写评语")
    })
    .await;
    app.click(".submit-problems .el-message-box__btns .el-button--primary").await;
    app.screenshot("19-submit-refused").await;
    // Back to 2.2's score field (as ↑ from below would), then Tab to its comment, by keyboard.
    app.client
        .execute("const el = document.querySelector(\"[data-score='2.2']\"); el.scrollIntoView({ block: 'center' }); el.focus();", vec![])
        .await
        .unwrap();
    app.type_keys(keys::TAB).await;
    app.type_keys("实体化运作尚在筹建，产权与组织未落实").await;
    app.wait_until("saved", || async { app.text("[data-testid=save-state]").await == "已保存" }).await;
    assert_eq!(app.text("[data-testid=total] strong").await, "75");
    app.click("[data-testid=submit-sheet]").await;
    app.click(".el-message-box__btns .el-button--primary").await;
    app.wait_for("[data-testid=submitted]").await;
    assert!(app.wait_for("[data-score='1.1']").await.prop("disabled").await.unwrap().is_some_and(|d| d == "true"), "a submitted sheet is locked");
    app.screenshot("20-submitted-sheet").await;

    let saved = app.invoke("export_score_file", serde_json::json!({ "roundId": 1, "expertId": 1, "path": file.to_str().unwrap() })).await;
    let short = saved["ok"]["shortHash"].as_str().unwrap_or_default().to_string();
    assert_eq!(short.len(), 39, "{saved}");
    assert_eq!(saved["ok"]["sheets"], 1, "{saved}");
    app.quit().await;

    // A tampered copy: one score changed by hand.
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered = carried.path().join("E01-改过的.json");
    std::fs::write(&tampered, text.replacen("\"value\":\"3\"", "\"value\":\"4\"", 1)).unwrap();

    // The staff's machine.
    let Some(app) = App::launch(hub.path(), &["--load-samples"]).await else { return };
    app.click("[data-testid^=round-]").await;
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-consolidation]").await;
    app.wait_for("[data-ready=consolidation]").await;
    let reply =
        app.invoke("import_score_files", serde_json::json!({ "roundId": 1, "paths": [tampered.to_str().unwrap(), file.to_str().unwrap()] })).await;
    let results = reply["ok"].as_array().unwrap_or_else(|| panic!("{reply}"));
    assert_eq!(results[0]["imported"], false, "{reply}");
    assert!(results[0]["message"].as_str().unwrap().contains("校验值不符"), "{reply}");
    assert_eq!(results[1]["imported"], true, "{reply}");
    app.click("[data-testid=refresh]").await;
    app.wait_until("sheet arrived", || async { app.text("[data-cell='A01-E01']").await.contains("已提交") }).await;
    assert!(app.text("[data-cell='A01-E01']").await.contains("75"));
    assert_eq!(app.text("[data-cell='A01-E02']").await, "未评");
    app.screenshot("21-score-file-imported").await;
    app.quit().await;
}
