//! Portable mode, in the real window: a `portable` marker beside the executable keeps the database beside
//! it (a review-room laptop run from a USB stick), and `--data-dir` names the folder on the command line.

use pingshen_tests::e2e::App;

use crate::e2e::ONE_AT_A_TIME;

async fn db_path(app: &App) -> String {
    let info = app.invoke("app_info", serde_json::json!({})).await;
    info["ok"]["dbPath"].as_str().unwrap_or_else(|| panic!("{info}")).to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn a_portable_copy_keeps_its_data_beside_itself_and_data_dir_names_another_folder() {
    let _one = ONE_AT_A_TIME.lock().await;
    let stick = tempfile::tempdir().unwrap();
    let exe = stick.path().join("产教联合体评审台").join("pingshen-desktop");
    std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
    std::fs::copy(pingshen_tests::binary("pingshen-desktop", "pingshen-desktop"), &exe).unwrap();
    std::fs::write(exe.parent().unwrap().join("portable"), "").unwrap();

    // Started from the stick, no data folder given: the database is created beside the executable, and the
    // sample round loaded there stays there.
    let Some(app) = App::launch_binary(&exe, None, &[]).await else { return };
    let data = exe.parent().unwrap().join("pingshen-data");
    assert_eq!(db_path(&app).await, data.join("pingshen.db").display().to_string());
    app.wait_for("[data-ready=rounds]").await;
    app.click("[data-testid=load-sample]").await;
    app.wait_for("[data-testid=open-A04]").await;
    app.quit().await;
    let conn = pingshen_store::open(&data.join("pingshen.db")).unwrap();
    let rounds: i64 = conn.query_row("SELECT count(*) FROM round", [], |r| r.get(0)).unwrap();
    assert_eq!(rounds, 1, "the sample round is in the stick's database");
    drop(conn);

    // --data-dir wins over the marker.
    let other = stick.path().join("另一个文件夹");
    let Some(app) = App::launch_binary(&exe, None, &["--data-dir", other.to_str().unwrap()]).await else { return };
    assert_eq!(db_path(&app).await, other.join("pingshen.db").display().to_string());
    app.wait_for("[data-ready=rounds]").await;
    assert!(app.all("[data-testid=load-sample]").await.len() == 1, "a new, empty database");
    app.quit().await;
}

/// Started as a user starts it, the page cannot name a file: opening a round file or restoring a backup it
/// names, that no dialog chose, is refused. The round file the app was started with (a double-click on the
/// stick) is the user's choice and opens.
#[tokio::test(flavor = "current_thread")]
async fn the_page_cannot_name_a_file_but_the_file_the_app_was_started_with_opens() {
    let _one = ONE_AT_A_TIME.lock().await;
    let (staff, laptop, usb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let round_file = usb.path().join("评审包.pingshen-round");
    let Some(app) = App::launch(staff.path(), &["--load-samples"]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    let saved = app.invoke_with_progress("export_round_file", serde_json::json!({ "roundId": 1, "path": round_file.to_str().unwrap() })).await;
    assert!(saved["ok"].is_object(), "{saved}");
    app.quit().await;

    let Some(app) = App::launch_strict(laptop.path(), &[round_file.to_str().unwrap()]).await else { return };
    let other = usb.path().join("他人的评审包.pingshen-round");
    std::fs::copy(&round_file, &other).unwrap();
    let reply = app.invoke_with_progress("open_round_file", serde_json::json!({ "path": other.to_str().unwrap(), "expertCode": "E01" })).await;
    assert_eq!(reply["err"]["kind"], "InvalidInput", "{reply}");
    assert!(reply["err"]["message"].as_str().unwrap().contains("只能打开在对话框中选择的文件"), "{reply}");
    let reply = app.invoke_with_progress("restore_backup", serde_json::json!({ "path": other.to_str().unwrap() })).await;
    assert_eq!(reply["err"]["kind"], "InvalidInput", "{reply}");
    assert_eq!(app.invoke("list_rounds", serde_json::json!({})).await["ok"], serde_json::json!([]), "nothing opened");
    // The file it was started with is shown without a dialog, and opens.
    app.wait_for("[data-testid=round-file-info]").await;
    let reply = app.invoke_with_progress("open_round_file", serde_json::json!({ "path": round_file.to_str().unwrap(), "expertCode": "E01" })).await;
    assert!(reply["ok"].is_object(), "{reply}");
    app.quit().await;
}
