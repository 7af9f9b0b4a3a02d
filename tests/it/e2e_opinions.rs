//! End to end, in the real window: a round that requires each expert's 推荐意见 and 综合意见 (综合意见 at most 50
//! characters). The expert has scored every point of A01; submitting is refused while the two are missing, the
//! checklist names them, the count follows the typing; once given, the sheet submits, both are locked, the
//! ranking counts the 推荐意见 and the printed 专家评分表 carries both.

use pingshen_core::expert::Expert;
use pingshen_core::opinion::OpinionRules;
use pingshen_core::Tenths;
use pingshen_store::{rounds, sheets};
use pingshen_tests::e2e::App;
use pingshen_tests::{root, sample_applications};

use crate::e2e::{wait_saved, ONE_AT_A_TIME};

/// The round in `dir/pingshen.db`: A01–A04, E01–E02, the opinion rules on; every sheet of E02 submitted (推荐
/// for A01), E01's sheet for A01 scored and not submitted.
fn opinion_round(dir: &std::path::Path) {
    let mut conn = pingshen_store::open(&dir.join("pingshen.db")).unwrap();
    let expert = |code: &str, name: &str| Expert { code: code.into(), name: name.into(), unit: "某职业技术学院".into(), ..Default::default() };
    let rid = rounds::create(
        &mut conn,
        &rounds::NewRound {
            name: "专家意见测试批次".into(),
            rubric_text: std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap(),
            applications: sample_applications(false),
            experts: vec![expert("E01", "张建国"), expert("E02", "李文华")],
            is_sample: false,
            uid: None,
        },
        "统分人",
    )
    .unwrap();
    assert_eq!(rid, 1);
    rounds::set_opinion_rules_in(&conn, rid, &OpinionRules { opinion_max_chars: Some(50), ..OpinionRules::NEW_ROUND }).unwrap();
    let rubric = rounds::rubric(&conn, rid).unwrap();
    for (e, code) in [(1, "E01"), (2, "E02")] {
        for a in 1..=4 {
            let s = sheets::open(&conn, e, a).unwrap();
            for item in rubric.items() {
                sheets::set_score(&conn, &rubric, s, &item.code, Some(Tenths(item.points.0))).unwrap();
            }
            if code == "E02" {
                sheets::set_opinion(&conn, s, Some(pingshen_core::opinion::Recommendation::Recommend), "示范引领作用明显").unwrap();
                sheets::submit(&conn, s, code).unwrap();
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_expert_gives_the_required_recommendation_and_opinion_before_submitting_and_both_print() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    opinion_round(data.path());
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;

    app.client.execute("location.hash = '#/round/1/expert/1/application/1'", vec![]).await.unwrap();
    app.wait_for("[data-ready=scoring]").await;
    let head = app.content("[data-testid=opinion]").await;
    assert!(head.contains("专家意见") && head.contains("推荐意见必填") && head.contains("综合意见必填"), "{head}");
    let checklist = app.content("[data-testid=checklist]").await;
    assert!(checklist.contains("本批次要求填写推荐意见") && checklist.contains("本批次要求填写综合意见"), "{checklist}");

    // Submitting now is refused, naming both.
    app.click("[data-testid=submit-sheet]").await;
    app.wait_for(".el-message-box__btns .el-button--primary").await;
    app.settled().await;
    app.click(".el-message-box__btns .el-button--primary").await;
    app.wait_until("refused with both named", || async {
        let t = app.content(".submit-problems").await;
        t.contains("本批次要求填写推荐意见") && t.contains("本批次要求填写综合意见")
    })
    .await;
    app.settled().await;
    app.click(".submit-problems .el-message-box__btns .el-button--primary").await;
    app.settled().await;

    // The checklist leads to the 推荐意见; 推荐 is chosen and saved at once.
    app.click("[data-missing='recommendation-sheet']").await;
    app.click("[data-recommendation='recommend']").await;
    wait_saved(&app).await;
    app.wait_until("the 推荐意见 is off the checklist", || async { !app.content("[data-testid=checklist]").await.contains("推荐意见") }).await;

    // The 综合意见 with its count; over the limit it is named, shortened it is fine.
    app.click("[data-opinion-text]").await;
    app.type_keys(&"很".repeat(51)).await;
    app.wait_until("51 characters counted, over the limit", || async {
        app.content("[data-testid=opinion-count]").await.contains("已输入 51 字，上限 50 字")
    })
    .await;
    wait_saved(&app).await;
    app.wait_until("too long is on the checklist", || async {
        app.content("[data-testid=checklist]").await.contains("综合意见共 51 字，超过本批次规定的 50 字")
    })
    .await;
    app.client.execute("const t = document.querySelector('[data-opinion-text]'); t.select(); return true", vec![]).await.unwrap();
    app.type_keys("产教融合实体化运行成效明显，建议推荐").await;
    app.wait_until("18 characters counted", || async { app.content("[data-testid=opinion-count]").await.contains("已输入 18 字") }).await;
    app.wait_for("[data-testid=checklist-ready]").await;
    wait_saved(&app).await;
    app.client.execute("document.querySelector('[data-testid=opinion]').scrollIntoView({ block: 'center' })", vec![]).await.unwrap();
    app.screenshot("80-scoring-opinion").await;

    // Submitted: both locked; the store holds what the screen showed.
    app.click("[data-testid=submit-sheet]").await;
    app.wait_for(".el-message-box__btns .el-button--primary").await;
    app.settled().await;
    app.click(".el-message-box__btns .el-button--primary").await;
    app.wait_for("[data-testid=submitted]").await;
    let text = app.wait_for("[data-opinion-text]").await;
    assert_eq!(text.prop("disabled").await.unwrap().as_deref(), Some("true"), "read-only once submitted");
    assert_eq!(app.wait_for("[data-recommendation='recommend']").await.prop("disabled").await.unwrap().as_deref(), Some("true"));
    let opened = app.invoke("open_scoring", serde_json::json!({ "roundId": 1, "expertId": 1, "applicationId": 1 })).await;
    assert_eq!(opened["ok"]["recommendation"], "recommend", "{opened}");
    assert_eq!(opened["ok"]["opinion"], "产教融合实体化运行成效明显，建议推荐", "{opened}");

    // The ranking counts the 推荐意见 of the submitted sheets.
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.click("#tab-ranking").await;
    app.wait_until("A01's tally", || async { app.content("[data-tally='A01']").await.trim() == "推荐 2 / 不推荐 0" }).await;
    assert_eq!(app.content("[data-tally='A02']").await.trim(), "推荐 1 / 不推荐 0");
    app.screenshot("81-consolidation-recommendation-tally").await;

    // The printed 专家评分表 carries both on A01's page.
    let printed = data.path().join("专家评分表.html");
    let r = app.invoke("export_expert_sheets", serde_json::json!({ "roundId": 1, "expertId": 1, "path": printed.to_str().unwrap() })).await;
    assert!(r["ok"].is_string(), "{r}");
    let html = std::fs::read_to_string(&printed).unwrap();
    assert!(html.contains("<tr><th>推荐意见</th><td>推荐</td></tr>"), "the 推荐意见 is printed");
    assert!(html.contains("产教融合实体化运行成效明显，建议推荐"), "the 综合意见 is printed");
    app.quit().await;
}
