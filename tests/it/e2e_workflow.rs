//! End to end, in the real window: an expert scores a whole application with the keyboard only (no mouse
//! event from the moment the scoring screen is open), sees the checklist shrink, undoes a change, compares a
//! point with another application and submits.

use pingshen_tests::e2e::{keys, App};

use crate::e2e::{score_value, wait_saved, ONE_AT_A_TIME};

#[tokio::test(flavor = "current_thread")]
async fn keyboard_only_scoring_of_a_whole_application_with_checklist_undo_compare_and_submit() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    // Straight to expert E01's sheet for A01 (routing, not a mouse event).
    app.client.execute("location.hash = '#/round/1/expert/1/application/1'", vec![]).await.unwrap();
    app.wait_for("[data-ready=scoring]").await;
    app.wait_for("[data-missing='score-1.1']").await;
    let items: Vec<String> = {
        let mut v = Vec::new();
        for e in app.all("[data-testid=rubric-pane] [data-score]").await {
            v.push(e.attr("data-score").await.unwrap().unwrap());
        }
        v
    };
    assert_eq!(items.len(), 25);
    assert_eq!(app.active_attr("data-score").await.as_deref(), Some("1.1"), "the first point has the focus");
    assert!(app.content("[data-testid=checklist]").await.contains("提交前还需"));

    // An off-step value is refused in place; Shift+Enter goes back to it, a band letter fixes it.
    app.type_keys(&format!("4.3{}", keys::ENTER)).await;
    let err = app.text("[data-error='1.1']").await;
    assert!(err.contains("0.5") && err.contains("整数倍"), "{err}");
    app.type_keys(&format!("{}{}{}", keys::SHIFT, keys::ENTER, keys::RELEASE)).await;
    assert_eq!(app.active_attr("data-score").await.as_deref(), Some("1.1"));
    app.type_keys(&format!("a{}", keys::ENTER)).await;
    app.wait_until("1.1 error cleared", || async { app.all("[data-error='1.1']").await.is_empty() }).await;
    assert_eq!(score_value(&app, "1.1").await, "5");

    let low = "2.3"; // band D is below 60 %: a comment is required
    for item in &items[1..] {
        assert_eq!(app.active_attr("data-score").await.as_deref(), Some(item.as_str()), "focus follows Enter");
        if item == low {
            app.type_keys("d").await;
            app.wait_for(&format!("[data-missing='comment-{low}']")).await;
            app.type_keys(keys::TAB).await;
            assert_eq!(app.active_attr("data-comment").await.as_deref(), Some(low), "Tab goes to the comment");
            app.type_keys(&format!("章程未见理事会审议记录{}", keys::TAB)).await;
            app.wait_until("the comment clears the checklist entry", || async {
                app.all(&format!("[data-missing='comment-{low}']")).await.is_empty()
            })
            .await;
            continue;
        }
        app.type_keys(&format!("b{}", keys::ENTER)).await;
        if item == "1.3" {
            // Ctrl+Z takes the last change back: 1.3 is empty again and has the focus.
            wait_saved(&app).await;
            assert_eq!(score_value(&app, "1.3").await, "2.5");
            app.type_keys(&format!("{}z{}", keys::CONTROL, keys::RELEASE)).await;
            app.wait_until("1.3 undone", || async { score_value(&app, "1.3").await.is_empty() }).await;
            assert_eq!(app.active_attr("data-score").await.as_deref(), Some("1.3"));
            app.wait_for("[data-missing='score-1.3']").await;
            app.type_keys(&format!("b{}", keys::ENTER)).await;
        }
        if item == "2.1" {
            // Ctrl+K: the same point in another of the expert's applications, side by side; Esc closes it.
            app.type_keys(&format!("{}k{}", keys::CONTROL, keys::RELEASE)).await;
            app.wait_for(".compare-dialog [data-testid=compare-other] [data-testid=compare-other-score]").await;
            let this = app.content(".compare-dialog [data-testid=compare-this]").await;
            assert!(this.contains("（当前）") && this.contains("得分"), "{this}");
            let other = app.content(".compare-dialog [data-testid=compare-other]").await;
            assert!(other.contains("未评"), "the other application is not scored yet: {other}");
            assert!(app.content(".compare-dialog").await.contains("对比观测点 2.2"), "Enter moved on to 2.2 before Ctrl+K");
            app.screenshot("20-compare").await;
            app.type_keys(keys::ESCAPE).await;
            app.wait_until("the dialog is closed", || async {
                let d = app.client.find(fantoccini::Locator::Css(".compare-dialog")).await;
                !matches!(d, Ok(d) if d.is_displayed().await.unwrap_or(false))
            })
            .await;
            app.wait_until("focus back on 2.2", || async { app.active_attr("data-score").await.as_deref() == Some("2.2") }).await;
        }
    }
    // After the last point, Enter goes to the deduction: a value, then its reason.
    assert!(app.active_attr("data-deduction").await.is_some(), "Enter after the last point goes to the deduction");
    app.type_keys(&format!("1{}", keys::TAB)).await;
    app.wait_for("[data-missing='deductionReason-deduction']").await;
    app.type_keys("2023年发生一起实习安全事故，见支撑材料第12页").await;
    app.wait_for("[data-testid=checklist-ready]").await;
    wait_saved(&app).await;
    app.screenshot("21-checklist-complete").await;

    // Ctrl+Enter submits after a confirmation (Enter confirms); the sheet is locked with its version and time.
    app.type_keys(&format!("{}{}{}", keys::CONTROL, keys::ENTER, keys::RELEASE)).await;
    app.wait_for(".el-message-box").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.type_keys(keys::ENTER).await;
    app.wait_for("[data-testid=submitted]").await;
    let locked = app.text("[data-testid=submitted]").await;
    assert!(locked.contains("已锁定") && locked.contains("第 1 版"), "{locked}");
    for item in &items {
        let field = app.wait_for(&format!("[data-score='{item}']")).await;
        assert!(field.prop("disabled").await.unwrap().as_deref() == Some("true"), "{item} is read-only after submit");
    }
    let total = app.text("[data-testid=total] strong").await;
    app.screenshot("22-submitted").await;

    // What the UI showed is what the database holds: the round list shows the sheet submitted with that total.
    let statuses = app.invoke("list_applications", serde_json::json!({ "roundId": 1, "expertId": 1 })).await;
    let a01 = statuses["ok"].as_array().unwrap().iter().find(|a| a["id"] == 1).unwrap();
    assert_eq!(a01["state"], "submitted");
    assert_eq!(a01["total"].as_str().unwrap(), total);
    app.quit().await;
}
