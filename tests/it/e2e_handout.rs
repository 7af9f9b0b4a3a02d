//! End to end, in the real window, on two profiles (two databases): staff keep the expert list and export
//! the round file; an expert's laptop refuses a tampered copy, opens the real one (the app started with the
//! file, as when it is double-clicked on the USB stick), confirms who they are, signs the 回避声明 and
//! 承诺书, scores and hands back a score file that the staff machine takes in.

use std::path::Path;

use pingshen_tests::e2e::{keys, App};
use serde_json::json;

use crate::e2e::ONE_AT_A_TIME;

/// A copy of a round file with one byte of its first PDF changed (PDFs are stored uncompressed).
fn tamper_pdf(from: &Path, to: &Path) {
    let mut bytes = std::fs::read(from).unwrap();
    let pdf = bytes.windows(5).position(|w| w == b"%PDF-").expect("a stored PDF in the round file");
    bytes[pdf + 200] ^= 0x01;
    std::fs::write(to, bytes).unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn a_round_file_goes_to_a_second_profile_is_scored_there_and_the_score_file_comes_back() {
    let _one = ONE_AT_A_TIME.lock().await;
    let hub = tempfile::tempdir().unwrap();
    let laptop = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let round_file = usb.path().join("样例批次.pingshen-round");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/experts");

    // ---- Staff machine: the expert list (typed in, then a spreadsheet), then the round file. ----
    let Some(app) = App::launch(hub.path(), &["--load-samples"]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.click("#tab-experts").await;
    app.wait_for("[data-testid=add-expert]").await;
    app.click("[data-testid=add-expert]").await;
    app.wait_for("[data-testid=expert-name]").await.send_keys("赵明").await.unwrap();
    app.wait_for("[data-testid=expert-unit]").await.send_keys("河南省职业技术教育教学研究室").await.unwrap();
    app.wait_for("[data-testid=expert-phone]").await.send_keys("1380000").await.unwrap();
    app.click("[data-testid=save-expert]").await;
    app.wait_until("a bad phone number is refused in the form", || async { app.content("[data-testid=expert-form-error]").await.contains("手机") })
        .await;
    let phone = app.wait_for("[data-testid=expert-phone]").await;
    phone.clear().await.unwrap();
    phone.send_keys("13800000004").await.unwrap();
    app.click("[data-testid=save-expert]").await;
    app.wait_until("E04 listed", || async { app.content("[data-testid=expert-list]").await.contains("赵明") }).await;
    assert!(app.content("[data-testid=expert-list]").await.contains("E04"), "the next free code");

    let bad = app.invoke("import_experts", json!({ "roundId": 1, "path": fixtures.join("bad.csv").to_str().unwrap() })).await;
    let message = bad["err"]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("bad.csv 第") && message.contains("行"), "every problem with its row: {bad}");
    let listed = app.invoke("list_experts", json!({ "roundId": 1 })).await["ok"].as_array().unwrap().len();
    assert_eq!(listed, 4, "a refused list changes nothing");
    let good = app.invoke("import_experts", json!({ "roundId": 1, "path": fixtures.join("good.csv").to_str().unwrap() })).await;
    assert!(good["ok"]["added"].as_i64().unwrap() > 0, "{good}");
    app.click("#tab-matrix").await;
    app.click("#tab-experts").await;
    app.screenshot("40-expert-list").await;
    let experts = app.invoke("list_experts", json!({ "roundId": 1 })).await["ok"].as_array().unwrap().len();

    let saved = app.invoke_with_progress("export_round_file", json!({ "roundId": 1, "path": round_file.to_str().unwrap() })).await;
    let short_hash = saved["ok"]["shortHash"].as_str().unwrap_or_else(|| panic!("{saved}")).to_string();
    assert_eq!(saved["ok"]["applications"], 4);
    app.quit().await;

    // ---- The laptop: a tampered copy is refused, naming the file, and nothing is written. ----
    let tampered = usb.path().join("改过的.pingshen-round");
    tamper_pdf(&round_file, &tampered);
    let Some(app) = App::launch(laptop.path(), &[round_file.to_str().unwrap()]).await else { return };
    let refused = app.invoke_with_progress("open_round_file", json!({ "path": tampered.to_str().unwrap(), "expertCode": "E02" })).await;
    let why = refused["err"]["message"].as_str().unwrap_or_default();
    assert_eq!(refused["err"]["kind"], "RoundFile", "{refused}");
    assert!(why.contains("materials/") && why.contains("校验值不符"), "the changed file is named: {why}");
    assert_eq!(app.invoke("list_rounds", json!({})).await["ok"], json!([]), "nothing written");

    // Started with the real file: what it holds, and who I am (confirmed by name and unit).
    app.wait_for("[data-testid=round-file-info]").await;
    let info = app.content("[data-testid=round-file-info]").await;
    assert!(info.contains(&short_hash) && info.contains("样例"), "{info}");
    let pickable = app.all("[data-testid=round-file-experts] .el-radio").await.len();
    assert_eq!(pickable, experts, "every expert of the list is offered");
    app.screenshot("41-round-file-who-are-you").await;
    app.click("[data-testid=iam-E02]").await;
    app.click("[data-testid=open-round-file-confirm]").await;
    app.wait_for(".el-message-box").await;
    app.settled().await;
    assert!(app.content(".el-message-box").await.contains("李文华"), "the confirmation names the expert");
    app.click(".el-message-box .el-button--primary").await;

    // The round page: E02 only, declaration first.
    app.wait_for("[data-ready=round]").await;
    app.wait_for("[data-testid=declare-first]").await;
    assert!(app.content("[data-testid=handout-info]").await.contains(&short_hash));
    assert!(app.all("[data-testid=open-consolidation]").await.is_empty(), "no 统分 on a laptop");
    let refused = app.invoke("open_scoring", json!({ "roundId": 1, "expertId": 2, "applicationId": 1 })).await;
    assert!(refused["err"]["message"].as_str().unwrap_or_default().contains("回避声明"), "{refused}");
    let other = app.invoke("open_scoring", json!({ "roundId": 1, "expertId": 1, "applicationId": 1 })).await;
    assert!(other["err"]["message"].as_str().unwrap_or_default().contains("其他专家"), "{other}");

    // The 回避声明 and 承诺书: E02 declares a conflict with A02 and signs.
    app.click("[data-testid=declare-now]").await;
    app.wait_for("[data-testid=declaration-table]").await;
    app.settled().await;
    app.click("[data-testid=declare-A02] .el-checkbox__input").await;
    app.wait_for("[data-testid=declare-reason-A02]").await.send_keys("本人在该联合体成员单位兼职").await.unwrap();
    app.click("[data-testid=sign-declaration]").await;
    app.wait_until("signing needs the promise ticked", || async { app.content("[data-testid=declaration-error]").await.contains("承诺") }).await;
    app.click("[data-testid=declaration-promise] .el-checkbox__input").await;
    app.screenshot("42-declaration").await;
    app.click("[data-testid=sign-declaration]").await;
    app.wait_for("[data-testid=declaration-signed]").await;
    let printed = laptop.path().join("回避声明.html");
    let r = app.invoke("export_declaration", json!({ "roundId": 1, "expertId": 2, "path": printed.to_str().unwrap() })).await;
    assert!(r["ok"].is_string(), "{r}");
    let html = std::fs::read_to_string(&printed).unwrap();
    for needle in ["回避声明", "承诺书", "李文华", "本人在该联合体成员单位兼职", "专家本人声明"] {
        assert!(html.contains(needle), "the printed declaration lacks “{needle}”");
    }
    app.client.execute("document.querySelector('.declaration-dialog .el-dialog__headerbtn').click()", vec![]).await.unwrap();
    app.wait_until("the list opens up", || async { app.all("[data-testid=declare-first]").await.is_empty() }).await;
    assert!(app.content("[data-testid=application-table]").await.contains("回避"), "A02 now reads 回避");
    assert!(app.all("[data-testid=open-A02]").await.is_empty(), "no score form for the declared conflict");

    // E02 scores A01 with the keyboard and submits.
    app.click("[data-testid=open-A01]").await;
    app.wait_for("[data-ready=scoring]").await;
    for _ in 0..25 {
        app.type_keys(&format!("b{}", keys::ENTER)).await;
    }
    app.wait_for("[data-testid=checklist-ready]").await;
    app.type_keys(&format!("{}{}{}", keys::CONTROL, keys::ENTER, keys::RELEASE)).await;
    app.wait_for(".el-message-box").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.type_keys(keys::ENTER).await;
    app.wait_for("[data-testid=submitted]").await;
    let total = app.text("[data-testid=total] strong").await;
    app.screenshot("43-scored-on-the-laptop").await;
    let score_file = usb.path().join("E02.json");
    let r = app.invoke("export_score_file", json!({ "roundId": 1, "expertId": 2, "path": score_file.to_str().unwrap() })).await;
    assert!(r["ok"]["path"].is_string(), "{r}");
    app.quit().await;

    // ---- Back on the staff machine: the score file goes in; A01 has E02's sheet, A02 reads 回避. ----
    let Some(app) = App::launch(hub.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    let r = app.invoke("import_score_files", json!({ "roundId": 1, "paths": [score_file.to_str().unwrap()] })).await;
    assert_eq!(r["ok"][0]["imported"], true, "{r}");
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.wait_until("E02's sheet", || async { app.content("[data-cell='A01-E02']").await.contains(&total) }).await;
    assert!(app.content("[data-cell='A02-E02']").await.contains("回避"));
    app.screenshot("44-back-on-the-hub").await;
    app.quit().await;
}
