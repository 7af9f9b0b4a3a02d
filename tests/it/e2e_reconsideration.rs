//! End to end, in the real window, the staff-machine path of a 复议: on the 统分 screen's 复议 tab the 组长
//! (chosen by name) opens a 复议 of A01's point 2.1 with a reason; staff type E02's reconsidered score from
//! paper (refused without a reason, then accepted), the first and the reconsidered value stand side by side,
//! the ranking follows, the 组长 closes it, and the 评审报告 prints the 复议 with both values.

use pingshen_core::expert::Expert;
use pingshen_store::{rounds, sheets};
use pingshen_tests::e2e::App;
use pingshen_tests::{root, sample_applications};

use crate::e2e::ONE_AT_A_TIME;

/// The round in `dir/pingshen.db`: A01–A04, E01–E03, every sheet submitted at the items' maxima.
fn round(dir: &std::path::Path) {
    let mut conn = pingshen_store::open(&dir.join("pingshen.db")).unwrap();
    let expert = |code: &str, name: &str| Expert { code: code.into(), name: name.into(), unit: "某职业技术学院".into(), ..Default::default() };
    let rid = rounds::create(
        &mut conn,
        &rounds::NewRound {
            name: "复议测试批次".into(),
            rubric_text: std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap(),
            applications: sample_applications(false),
            experts: vec![expert("E01", "张建国"), expert("E02", "李文华"), expert("E03", "王晓燕")],
            is_sample: false,
            uid: None,
        },
        "统分人",
    )
    .unwrap();
    assert_eq!(rid, 1);
    let rubric = rounds::rubric(&conn, rid).unwrap();
    // E01 is the panel's 组长 (who opens a 复议).
    let e01: i64 = conn.query_row("SELECT id FROM expert WHERE code = 'E01'", [], |r| r.get(0)).unwrap();
    pingshen_store::experts::set_leader(&conn, rid, Some(e01), "统分人").unwrap();
    for e in 1..=3 {
        for a in 1..=4 {
            let s = sheets::open(&conn, e, a).unwrap();
            for item in rubric.items() {
                sheets::set_score(&conn, &rubric, s, &item.code, Some(item.points)).unwrap();
            }
            sheets::submit(&conn, s, "专家").unwrap();
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_leader_opens_a_reconsideration_staff_type_the_paper_change_and_the_report_prints_both_values() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    round(data.path());
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.click("#tab-reconsideration").await;
    app.wait_for("[data-testid=recon-new]").await;

    // The 组长 E01 opens a 复议 of A01, point 2.1.
    app.client
        .execute("const s = document.querySelector('[data-testid=recon-leader]'); s.value = s.options[0].value; s.dispatchEvent(new Event('change')); return true", vec![])
        .await
        .unwrap();
    app.click("[data-recon-app='A01']").await;
    app.wait_for("[data-recon-items='A01']").await.send_keys("2.1").await.unwrap();
    app.wait_for("[data-testid=recon-reason]").await.send_keys("A01 观测点 2.1 各专家评分差异较大，请复核").await.unwrap();
    app.click("[data-testid=recon-open]").await;
    let head = app.content("[data-testid=recon-current]").await;
    assert!(head.contains("第 1 号复议（进行中）") && head.contains("E01 张建国") && head.contains("请复核"), "{head}");
    assert!(app.content("[data-recon-scope='A01']").await.contains("复议范围：观测点 2.1"));

    // E02's reconsidered score: refused without a reason (nothing changes), accepted with one.
    app.click("[data-recon-start='A01-E02']").await;
    app.wait_for("[data-recon-value='A01-E02']").await.send_keys("2").await.unwrap();
    app.click("[data-recon-save='A01-E02']").await;
    app.wait_until("refused without a reason", || async {
        app.text(".el-message--error").await.contains("观测点 2.1 的复议修改须写明理由")
    })
    .await;
    assert!(app.content("[data-testid=recon-changes]").await.contains("尚未录入"));
    app.wait_for("[data-recon-reason='A01-E02']").await.send_keys("合作协议期限不足三年，见支撑材料第5页").await.unwrap();
    app.click("[data-recon-save='A01-E02']").await;
    app.wait_for("[data-recon-change='A01-E02-2.1']").await;
    let row = app.content("[data-recon-change='A01-E02-2.1']").await;
    // 申报, 观测点, 专家, 原评分 4, 复议分值 2, 理由, 来源: both values side by side.
    assert_eq!(row.trim(), "A012.1E02 李文华42合作协议期限不足三年，见支撑材料第5页纸质");
    app.screenshot("90-consolidation-reconsideration").await;

    // The ranking follows the reconsidered value: A01 is no longer alone at the top.
    app.click("#tab-ranking").await;
    app.wait_until("A01 below the others", || async { app.content("[data-rank='A01']").await.trim() == "4" }).await;

    // The 组长 closes it.
    app.click("#tab-reconsideration").await;
    app.click("[data-testid=recon-close]").await;
    app.wait_for(".el-message-box__btns .el-button--primary").await;
    app.settled().await;
    app.click(".el-message-box__btns .el-button--primary").await;
    app.wait_for("[data-recon-past='1']").await;
    assert!(app.content("[data-recon-past='1']").await.contains("修改评分 1 处"));

    // The 评审报告 prints the 复议 with both values; the audit log has each step.
    let out = data.path().join("评审材料");
    let reply = app.invoke("export_paperwork", serde_json::json!({ "roundId": 1, "dir": out.to_str().unwrap() })).await;
    assert!(reply["ok"].is_array(), "{reply}");
    let review = std::fs::read_to_string(out.join("评审报告.html")).unwrap();
    assert!(review.contains("、复议</h2>") && review.contains("第 1 号复议：评审组长 E01 张建国"), "the 复议 section");
    assert!(
        review.contains("<td class=\"num\">4.00</td><td class=\"num\"><b>2.00</b></td><td class=\"wrap\">合作协议期限不足三年，见支撑材料第5页</td>")
    );
    app.quit().await;
    let conn = pingshen_store::open(&data.path().join("pingshen.db")).unwrap();
    let actions: Vec<String> = pingshen_store::audit::list(&conn).unwrap().into_iter().map(|e| e.action).collect();
    for a in ["open_reconsideration", "reconsider_score", "close_reconsideration"] {
        assert!(actions.iter().any(|x| x == a), "{a} is logged: {actions:?}");
    }
}
