//! End to end, in the real window, from an empty data directory: staff create their own round
//! (新建评审批次) with a rubric of the library, import application packages that arrive as zips and an
//! expert list, see the deadline and quota findings of the 形式审查, change the round's settings, close it
//! (read-only, paperwork still prints), reopen it with a reason and finally delete it by typing its name.

use pingshen_tests::e2e::App;
use pingshen_tests::root;
use serde_json::json;

use crate::e2e::ONE_AT_A_TIME;
use crate::package_cli::zip_bytes;

/// A sample package as the zip an applicant e-mails: one folder with the 推荐书 and the materials.
pub(crate) fn zip_of_sample(dir: &str) -> Vec<u8> {
    let base = root().join("sample-applications").join(dir);
    let mut entries = vec![(format!("{dir}/application.toml").into_bytes(), std::fs::read(base.join("application.toml")).unwrap())];
    for e in std::fs::read_dir(base.join("materials")).unwrap() {
        let e = e.unwrap();
        entries.push((format!("{dir}/materials/{}", e.file_name().to_string_lossy()).into_bytes(), std::fs::read(e.path()).unwrap()));
    }
    zip_bytes(&entries, false)
}

#[tokio::test(flavor = "current_thread")]
async fn staff_create_a_round_of_their_own_fill_it_close_reopen_and_delete_it() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();

    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;

    // The rubric library lists what ships.
    app.click("[data-testid=open-rubric-library]").await;
    app.wait_for("[data-ready=rubrics]").await;
    app.wait_until("the Henan rubric is listed", || async {
        app.content("[data-testid=rubric-table]").await.contains("河南省市域产教联合体建设指标")
    })
    .await;
    app.screenshot("40-rubric-library").await;
    app.client.execute("location.hash = '#/'", vec![]).await.unwrap();
    app.wait_for("[data-ready=rounds]").await;

    // 新建评审批次: name, organiser, the Henan rubric (the first of the library), deadline and quota.
    app.click("[data-testid=new-round]").await;
    app.wait_for("input[data-testid=new-round-name], [data-testid=new-round-name] input")
        .await
        .send_keys("2024年河南省市域产教联合体遴选")
        .await
        .unwrap();
    app.wait_for("input[data-testid=new-round-organiser], [data-testid=new-round-organiser] input")
        .await
        .send_keys("河南省教育厅职业教育与成人教育处")
        .await
        .unwrap();
    app.wait_for("input[data-testid=new-round-deadline], [data-testid=new-round-deadline] input").await.send_keys("2023-08-12\n").await.unwrap();
    app.wait_until("the rubric's 校验码 is shown", || async { app.text("[data-testid=new-round-rubric-facts]").await.contains("校验码") }).await;
    app.screenshot("41-new-round-dialog").await;
    app.click("[data-testid=new-round-create]").await;
    app.wait_for("[data-ready=consolidation]").await;
    assert!(app.text("[data-testid=consolidation-title]").await.contains("2024年河南省市域产教联合体遴选"));
    let rounds = app.invoke("list_rounds", json!({})).await;
    let round = &rounds["ok"][0];
    assert_eq!(round["applications"], 0, "a new round starts empty: {round}");
    assert_eq!(round["settings"]["deadline"], "2023-08-12", "{round}");
    let id = round["id"].as_i64().unwrap();

    // Packages as zips (the native dialog's path), and the expert list.
    for dir in ["jiyuan", "lingang", "ningbo"] {
        let zip = usb.path().join(format!("{dir}.zip"));
        std::fs::write(&zip, zip_of_sample(dir)).unwrap();
        let r = app.invoke("import_package", json!({ "roundId": id, "path": zip.to_str().unwrap(), "folder": false })).await;
        assert!(r["ok"]["code"].is_string(), "{r}");
    }
    let experts = root().join("tests/fixtures/experts/good.csv");
    let r = app.invoke("import_experts", json!({ "roundId": id, "path": experts.to_str().unwrap() })).await;
    assert!(r["ok"]["added"].as_i64().unwrap() > 0, "{r}");

    // The 形式审查 names the late 填表日期 (临港, 8月15日; 宁波 8月12日 is in time).
    let checks = app.invoke("formal_checks", json!({ "roundId": id })).await;
    let late: Vec<String> = checks["ok"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["findings"].as_array().unwrap().iter().any(|f| f["code"] == "after_deadline"))
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(late.len(), 1, "{checks}");

    // 批次管理: a quota of 1 per 推荐单位 is saved; closing makes the round read-only.
    app.client.execute("location.reload()", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.click("#tab-admin").await;
    app.wait_for("[data-testid=round-admin]").await;
    app.screenshot("42-round-admin").await;
    app.click("[data-testid=close-round]").await;
    app.click(".el-message-box .el-button--primary").await;
    app.wait_for("[data-testid=round-closed]").await;
    app.screenshot("43-round-closed").await;
    let zip = usb.path().join("ruian.zip");
    std::fs::write(&zip, zip_of_sample("ruian")).unwrap();
    let r = app.invoke("import_package", json!({ "roundId": id, "path": zip.to_str().unwrap(), "folder": false })).await;
    assert_eq!(r["err"]["kind"], "Locked", "{r}");
    assert!(r["err"]["message"].as_str().unwrap().contains("已结束评审"), "{r}");
    let printed = data.path().join("paperwork");
    let r = app.invoke("export_paperwork", json!({ "roundId": id, "dir": printed.to_str().unwrap() })).await;
    assert_eq!(r["ok"].as_array().map(Vec::len), Some(pingshen_app::paperwork::PAPERWORK_FILES.len()), "paperwork still prints: {r}");

    // Reopened with a reason; then deleted by typing the name (no sheet was submitted).
    app.click("[data-testid=reopen-round]").await;
    app.wait_for(".reopen-round-prompt input").await.send_keys("补充导入瑞安的申报材料").await.unwrap();
    app.click(".reopen-round-prompt .el-button--primary").await;
    app.wait_until("reopened", || async { app.all("[data-testid=round-closed]").await.is_empty() }).await;
    let r = app.invoke("import_package", json!({ "roundId": id, "path": zip.to_str().unwrap(), "folder": false })).await;
    assert!(r["ok"]["code"].is_string(), "{r}");
    app.click("#tab-admin").await;
    app.click("[data-testid=delete-round]").await;
    app.wait_for(".delete-round-prompt input").await.send_keys("2024年河南省市域产教联合体遴选").await.unwrap();
    app.click(".delete-round-prompt .el-button--primary").await;
    app.wait_for("[data-ready=rounds]").await;
    assert_eq!(app.invoke("list_rounds", json!({})).await["ok"].as_array().unwrap().len(), 0);
    let log = app.invoke("list_rounds", json!({})).await;
    assert!(log["ok"].is_array());
    app.quit().await;
}
