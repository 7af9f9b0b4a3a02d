//! End to end, in the real window: a round whose rubric has 否定性指标 (veto items). The expert ticks one on the
//! scoring screen and cannot submit until they give a reason; staff confirm it on the 统分 screen's 否定性指标
//! tab (维持, with the vote and the reason); the ranking shows the application as 取消资格, without a rank.
//!
//! The round is made in the test's data folder before the app starts (the rubric is
//! `tests/consolidation/rubric-vetoes`: V1 申报材料弄虚作假 disqualifies, V2 zeroes), with every sheet but
//! E01's sheet for A01 submitted and that one scored, not submitted.

use pingshen_core::expert::Expert;
use pingshen_core::Tenths;
use pingshen_store::{rounds, sheets};
use pingshen_tests::e2e::App;
use pingshen_tests::{root, sample_applications};

use crate::e2e::{wait_saved, ONE_AT_A_TIME};

/// The round in `dir/pingshen.db`: A01–A04 (the sample packages), E01–E03; every sheet scored (each expert a
/// little apart, each application at its own level), all submitted but E01's for A01.
fn veto_round(dir: &std::path::Path) {
    let mut conn = pingshen_store::open(&dir.join("pingshen.db")).unwrap();
    let expert = |code: &str, name: &str| Expert { code: code.into(), name: name.into(), unit: "某职业技术学院".into(), ..Default::default() };
    let rid = rounds::create(
        &mut conn,
        &rounds::NewRound {
            name: "否定性指标测试批次".into(),
            rubric_text: std::fs::read_to_string(root().join("tests/consolidation/rubric-vetoes/rubric.toml")).unwrap(),
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
    let ids = |table: &str| -> Vec<(i64, String)> {
        let mut st = conn.prepare(&format!("SELECT id, code FROM {table} ORDER BY code")).unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    for (i, (e, ecode)) in ids("expert").into_iter().enumerate() {
        for (j, (a, acode)) in ids("application").into_iter().enumerate() {
            let s = sheets::open(&conn, e, a).unwrap();
            for item in rubric.items() {
                // Of 5 points each: A01 5, A02 4.5, A03 4, A04 3.5 (E02 half a point lower everywhere, never
                // below the 60 % that would need a comment).
                let v = Tenths(50 - 5 * j as i64 - if i == 1 { 5 } else { 0 });
                sheets::set_score(&conn, &rubric, s, &item.code, Some(v)).unwrap();
            }
            if (ecode.as_str(), acode.as_str()) != ("E01", "A01") {
                sheets::submit(&conn, s, &ecode).unwrap();
            }
        }
    }
}

/// Clicks `css` in the message box that just opened, once it has faded in (and every other has faded out).
async fn click_in_box(app: &App, css: &str) {
    app.wait_until("the message box has faded in", || async {
        let v = app
            .client
            .execute(
                "const shown = [...document.querySelectorAll('.el-overlay')].filter((o) => getComputedStyle(o).display !== 'none'); \
                 return shown.length === 1 && shown[0].classList.contains('is-message-box') && !/enter|leave/.test(shown[0].className)",
                vec![],
            )
            .await
            .unwrap();
        v.as_bool() == Some(true)
    })
    .await;
    app.click(css).await;
}

/// Confirms the message box that just opened.
async fn confirm(app: &App) {
    click_in_box(app, ".el-message-box__btns .el-button--primary").await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_expert_proposes_a_veto_with_a_reason_and_the_panel_disqualifies_the_application() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    veto_round(data.path());
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;

    // E01's sheet for A01: every point scored; after the scored groups and the deduction, the veto checklist.
    app.client.execute("location.hash = '#/round/1/expert/1/application/1'", vec![]).await.unwrap();
    app.wait_for("[data-ready=scoring]").await;
    app.wait_for("[data-testid=checklist-ready]").await;
    let list = app.content("[data-testid=veto-list]").await;
    for needle in ["否定性指标", "V1", "申报材料弄虚作假", "取消资格", "V2", "近三年发生重大安全事故", "计零分"] {
        assert!(list.contains(needle), "the veto list lacks “{needle}”: {list}");
    }
    let groups: Vec<String> = {
        let mut v = Vec::new();
        for g in app.all("[data-testid=rubric-pane] .group").await {
            v.push(g.attr("data-group").await.unwrap().unwrap_or_default());
        }
        v
    };
    assert_eq!(
        groups,
        ["1", "2", "3", "4", "7", "vetoes", "opinion"],
        "the veto list comes after the scored groups and the deduction, then the 专家意见"
    );

    // Ticking V1 asks for the reason: the reason field has the focus and the checklist names it.
    app.client.execute("document.querySelector('[data-testid=veto-list]').scrollIntoView({ block: 'center' })", vec![]).await.unwrap();
    app.tick("[data-veto='V1']").await;
    app.wait_for("[data-missing='vetoReason-V1']").await;
    assert_eq!(app.active_attr("data-veto-reason").await.as_deref(), Some("V1"), "the reason field has the focus");
    assert!(app.content("[data-testid=checklist]").await.contains("已勾选否定性指标 V1「申报材料弄虚作假」，须写明理由"));
    wait_saved(&app).await;

    // Submitting without the reason is refused, with the veto named.
    app.click("[data-testid=submit-sheet]").await;
    confirm(&app).await;
    app.wait_until("refused with the veto named", || async {
        app.content(".submit-problems").await.contains("已勾选否定性指标 V1「申报材料弄虚作假」，须写明理由")
    })
    .await;
    click_in_box(&app, ".submit-problems .el-message-box__btns .el-button--primary").await;
    app.no_overlay().await;

    // The checklist entry leads back to the reason; typed, it is saved and the sheet is ready.
    app.click("[data-missing='vetoReason-V1']").await;
    app.wait_until("focus on V1's reason", || async { app.active_attr("data-veto-reason").await.as_deref() == Some("V1") }).await;
    app.type_keys("合作协议所盖企业公章与工商登记名称不符，见支撑材料第3页").await;
    app.wait_for("[data-testid=checklist-ready]").await;
    wait_saved(&app).await;
    app.client.execute("document.querySelector('[data-testid=veto-list]').scrollIntoView({ block: 'center' })", vec![]).await.unwrap();
    app.screenshot("70-scoring-veto-list").await;

    app.click("[data-testid=submit-sheet]").await;
    confirm(&app).await;
    app.wait_for("[data-testid=submitted]").await;
    let tick = app.wait_for("[data-veto='V1']").await;
    assert_eq!(tick.prop("checked").await.unwrap().as_deref(), Some("true"));
    assert_eq!(tick.prop("disabled").await.unwrap().as_deref(), Some("true"), "read-only once submitted");
    assert_eq!(app.wait_for("[data-veto-reason='V1']").await.prop("disabled").await.unwrap().as_deref(), Some("true"));
    // What the screen showed is what the store holds.
    let opened = app.invoke("open_scoring", serde_json::json!({ "roundId": 1, "expertId": 1, "applicationId": 1 })).await;
    assert_eq!(
        opened["ok"]["vetoes"],
        serde_json::json!([{ "code": "V1", "reason": "合作协议所盖企业公章与工商登记名称不符，见支撑材料第3页" }]),
        "{opened}"
    );

    // The 统分 screen: A01 ranks first on its scores until the panel decides; the 否定性指标 tab lists the
    // proposal with who made it and why.
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.click("#tab-ranking").await;
    app.wait_until("A01 ranked first", || async { app.content("[data-rank='A01']").await.trim() == "1" }).await;
    app.click("#tab-vetoes").await;
    assert!(app.text("#tab-vetoes").await.contains("待认定 1"));
    let proposal = app.content("[data-veto-proposal='A01-V1-E01']").await;
    assert!(proposal.contains("张建国") && proposal.contains("合作协议所盖企业公章与工商登记名称不符"), "{proposal}");
    assert_eq!(app.wait_for("[data-veto-outcome='A01-V1']").await.attr("data-outcome").await.unwrap().as_deref(), Some("pending"));

    // The panel upholds it, 3 votes to 0, with the reason.
    app.click("[data-testid='veto-resolve-A01-V1']").await;
    assert!(app.content("[data-testid=veto-dialog-application]").await.contains("A01"));
    let votes = app.wait_for("[data-testid=veto-for] input").await;
    votes.clear().await.unwrap();
    votes.send_keys("3").await.unwrap();
    app.wait_for("[data-testid=veto-reason] textarea, textarea[data-testid=veto-reason]").await.send_keys("经核实，合作协议系伪造").await.unwrap();
    app.screenshot("71-consolidation-veto-dialog").await;
    app.click("[data-testid=veto-save]").await;
    app.wait_until("the decision is recorded", || async {
        app.wait_for("[data-veto-outcome='A01-V1']").await.attr("data-outcome").await.unwrap().as_deref() == Some("upheld")
    })
    .await;
    let outcome = app.content("[data-veto-outcome='A01-V1']").await;
    assert!(outcome.contains("维持（取消资格）") && outcome.contains("赞成 3 票、反对 0 票：经核实，合作协议系伪造"), "{outcome}");
    assert!(app.text("#tab-vetoes").await.contains("待认定 0"));
    app.screenshot("72-consolidation-vetoes").await;

    // The ranking: A01 is 取消资格, without a rank, after the ranked applications, with the reason.
    app.no_overlay().await;
    app.click("#tab-ranking").await;
    app.wait_until("A01 disqualified", || async { app.content("[data-rank='A01']").await.trim() == "取消资格" }).await;
    assert_eq!(app.content("[data-rank='A02']").await.trim(), "1");
    let ranking = app.content("[data-testid=ranking]").await;
    assert!(ranking.find("A04").unwrap() < ranking.find("A01").unwrap(), "listed after the ranked ones: {ranking}");
    let note = app.content("[data-veto-note='A01']").await;
    assert!(note.contains("取消资格：否定性指标 V1「申报材料弄虚作假」") && note.contains("理由：经核实，合作协议系伪造"), "{note}");
    assert!(app.text("[data-testid=method]").await.contains("否定性指标："));
    app.screenshot("73-consolidation-ranking-disqualified").await;

    // The printed 评审结果汇总表 says the same.
    let out = data.path().join("评审材料");
    let reply = app.invoke("export_paperwork", serde_json::json!({ "roundId": 1, "dir": out.to_str().unwrap() })).await;
    assert_eq!(reply["ok"].as_array().map(Vec::len), Some(pingshen_app::paperwork::PAPERWORK_FILES.len()), "{reply}");
    let summary = std::fs::read_to_string(out.join("评审结果汇总表.html")).unwrap();
    assert!(summary.contains("A01 取消资格：否定性指标 V1「申报材料弄虚作假」经评审组认定成立（同意 3 票、反对 0 票），理由：经核实，合作协议系伪造"));
    let review = std::fs::read_to_string(out.join("评审报告.html")).unwrap();
    assert!(review.contains("七、否定性指标认定") && review.contains("E01 张建国：合作协议所盖企业公章与工商登记名称不符"));
    app.quit().await;
}
