//! End to end, in the real window: what the panel writes. Staff make an expert the 组长 on the expert list;
//! the 组长's 专家组意见 on an application is typed in on the 专家组意见 tab and printed as the 评审意见表
//! (preview); a 实地考察 of another application is recorded on the 实地考察 tab with a 不属实 finding, which
//! staff turn into a 否定性指标 proposal; the panel decides it on the 否定性指标 tab; the ranking shows the
//! application 取消资格.
//!
//! The round is made in the test's data folder before the app starts (rubric `tests/consolidation/rubric-vetoes`:
//! V1 申报材料弄虚作假 disqualifies), every sheet submitted.

use pingshen_core::expert::Expert;
use pingshen_core::Tenths;
use pingshen_store::{rounds, sheets};
use pingshen_tests::e2e::{keys, App};
use pingshen_tests::{root, sample_applications};

use crate::e2e::ONE_AT_A_TIME;

/// The round in `dir/pingshen.db`: A01–A04 (the sample packages), E01–E03, every sheet scored and submitted
/// (A01 highest, A04 lowest).
fn round(dir: &std::path::Path) {
    let mut conn = pingshen_store::open(&dir.join("pingshen.db")).unwrap();
    let expert = |code: &str, name: &str, unit: &str| Expert { code: code.into(), name: name.into(), unit: unit.into(), ..Default::default() };
    let rid = rounds::create(
        &mut conn,
        &rounds::NewRound {
            name: "专家组意见测试批次".into(),
            rubric_text: std::fs::read_to_string(root().join("tests/consolidation/rubric-vetoes/rubric.toml")).unwrap(),
            applications: sample_applications(false),
            experts: vec![expert("E01", "张建国", "河南工业大学"), expert("E02", "李文华", "郑州大学"), expert("E03", "王晓燕", "中原集团")],
            is_sample: false,
            uid: None,
        },
        "统分人",
    )
    .unwrap();
    let rubric = rounds::rubric(&conn, rid).unwrap();
    let ids = |table: &str| -> Vec<(i64, String)> {
        let mut st = conn.prepare(&format!("SELECT id, code FROM {table} ORDER BY code")).unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    for (i, (e, ecode)) in ids("expert").into_iter().enumerate() {
        for (j, (a, _)) in ids("application").into_iter().enumerate() {
            let s = sheets::open(&conn, e, a).unwrap();
            for item in rubric.items() {
                let v = Tenths(50 - 5 * j as i64 - if i == 1 { 5 } else { 0 });
                sheets::set_score(&conn, &rubric, s, &item.code, Some(v)).unwrap();
            }
            sheets::submit(&conn, s, &ecode).unwrap();
        }
    }
}

/// Types `text` into the `<input>` or `<textarea>` of the Element Plus field marked `testid`.
async fn fill(app: &App, testid: &str, text: &str) {
    let css =
        format!("[data-testid='{testid}'] textarea, textarea[data-testid='{testid}'], [data-testid='{testid}'] input, input[data-testid='{testid}']");
    // The harness's click waits until no dialog is in transition (a click then may land on its overlay).
    app.click(&css).await;
    app.wait_for(&css).await.send_keys(text).await.unwrap();
}

/// Opens the Element Plus select marked `testid` and picks the (visible) option whose text contains `text`.
async fn pick(app: &App, testid: &str, text: &str) {
    app.click(&format!("[data-testid='{testid}']")).await;
    app.wait_until(&format!("the option “{text}” of {testid}"), || async {
        let v = app
            .client
            .execute(
                "const li = [...document.querySelectorAll('.el-select-dropdown__item')]
                    .find((li) => li.offsetParent !== null && li.textContent.includes(arguments[0]));
                 if (li) li.click();
                 return !!li;",
                vec![serde_json::json!(text)],
            )
            .await
            .unwrap();
        v.as_bool() == Some(true)
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_leader_writes_the_panel_opinion_and_a_false_site_visit_finding_becomes_a_veto_the_panel_upholds() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    round(data.path());
    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;

    // Without a 组长 the 专家组意见 tab says where to set one.
    app.click("#tab-opinions").await;
    assert!(app.content("[data-testid=opinions-no-leader]").await.contains("请先在“专家名单”中设定组长"));

    // The expert list: 李文华 becomes the 组长.
    app.click("#tab-experts").await;
    app.click("[data-testid=make-leader-E02]").await;
    app.wait_for("[data-testid=leader-E02]").await;
    assert_eq!(app.all("[data-testid^=leader-]").await.len(), 1, "one 组长");
    app.screenshot("80-experts-leader").await;

    // The 专家组意见 of A01, written by the 组长.
    app.click("#tab-opinions").await;
    app.wait_until("the 组长 is named", || async { app.content("[data-testid=opinions-leader]").await.contains("E02 李文华") }).await;
    app.click("[data-opinion-row='A01']").await;
    let scores = app.content("[data-testid=opinion-scores]").await;
    assert!(scores.contains("E01 张建国") && scores.contains("专家组评分"), "{scores}");
    fill(&app, "opinion-strengths", "园区产业基础雄厚，政校行企协同机制健全").await;
    fill(&app, "opinion-problems", "产教融合实训基地共享机制尚需完善").await;
    fill(&app, "opinion-suggestions", "进一步完善理事会章程，扩大企业参与").await;
    app.click("[data-testid=opinion-recommend]").await;
    app.click("[data-testid=opinion-save]").await;
    app.wait_until("the opinion is saved", || async { app.content("[data-opinion-state='A01']").await.contains("建议推荐") }).await;
    assert!(app.content("[data-testid=opinion-version]").await.contains("第 1 稿，组长 李文华 填写"));
    app.screenshot("81-panel-opinion").await;

    // The 评审意见表 as it prints.
    app.click("[data-testid=opinions-preview]").await;
    app.wait_for("[data-testid=paperwork-frame]").await;
    app.wait_until("the preview shows the opinion", || async { app.content_of_frame().await.contains("园区产业基础雄厚") }).await;
    let printed = app.content_of_frame().await;
    for needle in
        ["评审意见表", "专家组意见测试批次", "一、评分情况", "二、专家组意见", "主要优势", "☑建议推荐", "专家组组长（签字）：", "（李文华）"]
    {
        assert!(printed.contains(needle), "the 评审意见表 lacks “{needle}”");
    }
    app.screenshot("82-opinion-sheet-preview").await;
    app.type_keys(keys::ESCAPE).await;
    app.no_overlay().await;

    // A 实地考察 of A04: one expert and a 监督人员, two claims, one 不属实.
    app.click("#tab-visits").await;
    app.click("[data-testid=visit-add]").await;
    pick(&app, "visit-application", "A04").await;
    fill(&app, "visit-date", "2026-11-20").await;
    app.type_keys(keys::ENTER).await;
    fill(&app, "visit-place", "洛阳市").await;
    // A multiple select: the option's click is retried until the tag shows (it can be lost under load).
    for _ in 0..5 {
        if app.content("[data-testid='visit-experts']").await.contains("李文华") {
            break;
        }
        pick(&app, "visit-experts", "E02 李文华").await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    }
    assert!(app.content("[data-testid='visit-experts']").await.contains("李文华"), "the expert is chosen");
    // Close the multiple select's dropdown (it stays open and covers the fields below) by clicking outside it.
    app.click("[data-testid='visit-place'] input, input[data-testid='visit-place']").await;
    app.settled().await;
    fill(&app, "visit-other-name-0", "王监督").await;
    fill(&app, "visit-claim-0", "共建实训基地 12 个").await;
    fill(&app, "visit-claim-1", "牵头企业年产值 50 亿元").await;
    pick(&app, "visit-finding-1", "不属实").await;
    fill(&app, "visit-note-1", "财务报表显示年产值不足 20 亿元").await;
    app.screenshot("83-site-visit-form").await;
    app.click("[data-testid=visit-save]").await;
    app.wait_for("[data-visit='A04-1']").await;
    app.no_overlay().await;
    let card = app.content("[data-visit='A04-1']").await;
    for needle in ["2026-11-20", "李文华（组长）", "王监督（监督人员）", "共建实训基地 12 个", "不属实", "财务报表显示年产值不足 20 亿元"]
    {
        assert!(card.contains(needle), "the visit lacks “{needle}”: {card}");
    }

    // The 不属实 finding becomes a proposal of V1 (only it offers the button).
    assert_eq!(app.all("[data-testid^=visit-propose-A04-1-]").await.len(), 1);
    app.click("[data-testid^=visit-propose-A04-1-]").await;
    app.click("[data-testid=visit-propose-save]").await;
    app.wait_for("[data-visit-proposal='A04-V1']").await;
    app.no_overlay().await;
    app.screenshot("84-site-visit").await;

    // The 否定性指标 tab: the proposal with its source, pending until the panel decides.
    app.click("#tab-vetoes").await;
    let source = app.content("[data-veto-visit-proposal='A04-V1']").await;
    assert!(
        source.contains("实地考察") && source.contains("牵头企业年产值 50 亿元") && source.contains("财务报表显示年产值不足 20 亿元"),
        "{source}"
    );
    assert_eq!(app.wait_for("[data-veto-outcome='A04-V1']").await.attr("data-outcome").await.unwrap().as_deref(), Some("pending"));
    app.click("[data-testid='veto-resolve-A04-V1']").await;
    let votes = app.wait_for("[data-testid=veto-for] input").await;
    votes.clear().await.unwrap();
    votes.send_keys("3").await.unwrap();
    app.wait_for("[data-testid=veto-reason] textarea, textarea[data-testid=veto-reason]").await.send_keys("实地考察核实申报数据不实").await.unwrap();
    app.click("[data-testid=veto-save]").await;
    app.wait_until("the decision is recorded", || async {
        app.wait_for("[data-veto-outcome='A04-V1']").await.attr("data-outcome").await.unwrap().as_deref() == Some("upheld")
    })
    .await;
    app.screenshot("85-vetoes-from-site-visit").await;

    // The application's status: 取消资格, without a rank.
    app.no_overlay().await;
    app.click("#tab-ranking").await;
    app.wait_until("A04 disqualified", || async { app.content("[data-rank='A04']").await.trim() == "取消资格" }).await;
    assert_eq!(app.content("[data-rank='A01']").await.trim(), "1");

    // What the screens showed is what the store holds; the 实地考察记录表 prints it.
    let opinions = app.invoke("panel_opinions", serde_json::json!({ "roundId": 1 })).await;
    assert_eq!(opinions["ok"]["leader"]["code"], "E02", "{opinions}");
    let a01 = opinions["ok"]["rows"].as_array().unwrap().iter().find(|r| r["code"] == "A01").unwrap();
    assert_eq!(a01["opinion"]["strengths"], "园区产业基础雄厚，政校行企协同机制健全");
    let preview = app.invoke("visits_preview", serde_json::json!({ "roundId": 1 })).await;
    let html = preview["ok"].as_str().unwrap();
    assert!(html.contains("实地考察记录表") && html.contains("2026年11月20日") && html.contains("王监督"));
    app.quit().await;
}
