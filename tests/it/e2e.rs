//! End to end, in the real window: what a user does, with the keyboard, and what they see.

use fantoccini::Locator;
use pingshen_tests::e2e::{keys, App};

/// One app at a time: the machine has two cores and WebKit is heavy. An async lock, held across the test's
/// awaits (each test has a runtime of its own; a failed test releases it).
pub(crate) static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn open_first_application(app: &App) {
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-A01]").await;
    app.wait_for("[data-testid=rubric-pane] [data-score='1.1']").await;
}

pub(crate) async fn score_value(app: &App, item: &str) -> String {
    app.wait_for(&format!("[data-score='{item}']")).await.prop("value").await.unwrap().unwrap_or_default()
}

pub(crate) async fn wait_saved(app: &App) {
    app.wait_until("已保存", || async { app.text("[data-testid=save-state]").await == "已保存" }).await;
}

#[tokio::test(flavor = "current_thread")]
async fn sample_round_all_points_keyboard_scoring_and_restart() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();

    // First start: an empty database offers the sample round.
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    eprintln!("startup to first screen: {:?}", app.startup);
    assert!(app.text("h1").await.contains("产教联合体评审台"));
    app.wait_for("[data-ready=rounds]").await;
    app.screenshot("01-first-start").await;
    app.click("[data-testid=load-sample]").await;

    // The round: four sample applications.
    app.wait_for("[data-testid=open-A04]").await;
    assert!(app.text("[data-testid=round-name]").await.contains("样例"));
    let rows = app.all("[data-testid=application-table] tbody tr").await;
    assert_eq!(rows.len(), 4);
    app.screenshot("02-round").await;

    // The scoring screen: seven groups, 25 points with their verbatim texts, the 推荐书 beside them.
    open_first_application(&app).await;
    let groups = app.all("[data-testid=rubric-pane] .group").await;
    assert_eq!(groups.len(), 8, "groups 1–6, the deduction group 7 and the 专家意见");
    let items = app.all("[data-testid=rubric-pane] .item").await;
    assert_eq!(items.len(), 25);
    let pane = app.text("[data-testid=rubric-pane]").await;
    for needle in [
        "1. 基本情况",
        "7. 其他",
        "成立政府、企业、学校、科研机构等多方参与的理事会(董事会)",
        "企业按岗位总量一定比例设立岗位，接受学生来企实习实训和教师岗位实践",
        "联合体近3年内在招生、就业、安全等领域发生过重大违法违规事件、造成不良社会影响的，酌情扣分",
    ] {
        assert!(pane.contains(needle), "rubric pane lacks “{needle}”");
    }
    let form = app.text("[data-testid=form-view]").await;
    assert!(form.contains("联合体概况") && form.contains("特色与创新") && form.contains("建设规划"));
    let title = app.text("[data-testid=application-title]").await;
    assert!(form.contains(title.trim_start_matches("A01").trim()), "the form shows the application being scored");

    // Keyboard only: the first score field has focus; type, Enter to the next point.
    let typed = ["4.5", "2.5", "3", "3.5"];
    for v in typed {
        app.type_keys(&format!("{v}{}", keys::ENTER)).await;
    }
    // A band by letter: 2.1 (max 4) gets band B's highest on-step value, 3.5 (87.5 %).
    app.type_keys("b").await;
    wait_saved(&app).await;
    assert_eq!(score_value(&app, "2.1").await, "3.5");
    assert_eq!(app.text("[data-band-shown='2.1']").await, "B 档");
    assert_eq!(app.text("[data-subtotal='1']").await, "13.5");
    assert_eq!(app.text("[data-testid=total] strong").await, "17");

    // The focused point's evidence is highlighted on the right.
    app.click("[data-score='2.4']").await;
    app.wait_until("2.4 highlights the secretariat", || async { !app.all("[data-field='overview.secretariat'].hl").await.is_empty() }).await;
    app.screenshot("03-scoring").await;
    app.quit().await;

    // Restart: everything typed is still there.
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.click("[data-testid^=round-]").await;
    open_first_application(&app).await;
    for (item, v) in [("1.1", "4.5"), ("1.2", "2.5"), ("1.3", "3"), ("1.4", "3.5"), ("2.1", "3.5")] {
        assert_eq!(score_value(&app, item).await, v, "{item} after restart");
    }
    assert_eq!(app.text("[data-testid=total] strong").await, "17");
    app.screenshot("04-after-restart").await;
    app.quit().await;
}

#[tokio::test(flavor = "current_thread")]
async fn off_step_and_out_of_range_scores_are_refused_in_place_and_never_stored() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.click("[data-testid^=round-]").await;
    open_first_application(&app).await;

    let field = app.wait_for("[data-score='1.1']").await;
    field.send_keys(&format!("4.3{}", keys::ENTER)).await.unwrap();
    let err = app.text("[data-error='1.1']").await;
    assert!(err.contains("0.5") && err.contains("整数倍"), "{err}");
    app.wait_until("error state", || async { app.text("[data-testid=save-state]").await == "有未保存的输入" }).await;
    app.screenshot("05-off-step-refused").await;

    let field = app.wait_for("[data-score='1.2']").await;
    field.send_keys(&format!("7{}", keys::ENTER)).await.unwrap();
    let err = app.text("[data-error='1.2']").await;
    assert!(err.contains("超出范围"), "{err}");

    // Correcting the value clears the error and saves.
    let field = app.wait_for("[data-score='1.1']").await;
    field.clear().await.unwrap();
    field.send_keys(&format!("4{}", keys::ENTER)).await.unwrap();
    app.wait_until("1.1 error cleared", || async { app.all("[data-error='1.1']").await.is_empty() }).await;

    // Typed straight into IPC, past the UI, out-of-range and off-step values are refused by the core.
    for (value, expected) in [("11", "超出范围"), ("-1", "超出范围"), ("2.3", "整数倍"), ("abc", "不是数字")] {
        let reply = app
            .client
            .execute_async(
                "const [value, done] = arguments;
                 const sheet = await window.__TAURI_INTERNALS__.invoke('open_scoring', { roundId: 1, expertId: 1, applicationId: 1 });
                 window.__TAURI_INTERNALS__.invoke('set_score', { args: { sheetId: sheet.sheetId, item: '1.2', value } })
                   .then((r) => done({ ok: r }), (e) => done({ err: e }));",
                vec![serde_json::json!(value)],
            )
            .await
            .unwrap();
        assert_eq!(reply["err"]["kind"], "InvalidScore", "{value}: {reply}");
        assert!(reply["err"]["message"].as_str().unwrap().contains(expected), "{value}: {reply}");
    }

    // Nothing refused was stored: after a restart, 1.1 holds 4 and 1.2 nothing.
    app.quit().await;
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.click("[data-testid^=round-]").await;
    open_first_application(&app).await;
    assert_eq!(score_value(&app, "1.1").await, "4");
    assert_eq!(score_value(&app, "1.2").await, "");
    let _ = app.client.find(Locator::Css("[data-testid=total]")).await.unwrap();
    app.quit().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_database_from_a_newer_pingshen_is_refused_with_a_chinese_message_and_left_untouched() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("pingshen.db");
    {
        let c = pingshen_store::open(&db).unwrap();
        c.pragma_update(None, "user_version", pingshen_store::SCHEMA_VERSION + 7).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    let msg = app.text("[data-testid=db-error]").await;
    assert!(msg.contains("无法打开本机评审数据库") && msg.contains("请升级评审台"), "{msg}");
    assert!(app.all("[data-testid=load-sample]").await.is_empty(), "nothing is offered on a database we cannot read");
    app.screenshot("06-newer-database-refused").await;
    app.quit().await;
    assert!(std::fs::read(&db).unwrap() == before, "the newer database is not modified");
}
