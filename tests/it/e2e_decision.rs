//! End to end, in the real window: from the scores to the decision, the whole of issue 12 in one round.
//!
//! Five experts score the four sample applications on paper (the paper-score spreadsheet): A04 highest, A01
//! next, A02 and A03 with the same score on every point, so with their 一级指标 and deductions equal. A 实地考察
//! of A04 finds a claim 不属实; the finding is proposed as the rubric's 否定性指标 V1 (取消资格) and the panel
//! upholds it, so A04 drops out. The 组长 writes the 专家组意见 of every application. Two places: A01, then A02
//! and A03 tied across the line; the panel decides for A02; the list is confirmed. The 评审结果汇总表, 拟推荐名单,
//! 公示名单 and 评审意见表 are exported as HTML, .xlsx and .docx and read back.
//!
//! The data is entered through the commands the screens call (each screen is driven click by click in its own
//! test: `e2e_panel`, `e2e_recommendation`, `e2e_vetoes`); this test looks at the screens that show the result.

use std::fmt::Write as _;

use pingshen_core::expert::Expert;
use pingshen_store::rounds;
use pingshen_tests::e2e::App;
use pingshen_tests::{root, sample_applications};
use serde_json::{json, Value};

use crate::e2e::ONE_AT_A_TIME;
use crate::read_back::{docx_text, xlsx_cells};

const EXPERTS: [(&str, &str); 5] = [("E01", "张建国"), ("E02", "李文华"), ("E03", "王晓燕"), ("E04", "赵明"), ("E05", "陈静")];
const RUBRIC: &str = "tests/consolidation/rubric-vetoes/rubric.toml";

/// The round in `dir/pingshen.db`: the four sample applications, five experts, the rubric with 否定性指标 (V1
/// 申报材料弄虚作假: 取消资格), no score yet.
fn round(dir: &std::path::Path) {
    let mut conn = pingshen_store::open(&dir.join("pingshen.db")).unwrap();
    let experts =
        EXPERTS.iter().map(|(c, n)| Expert { code: (*c).into(), name: (*n).into(), unit: "某职业技术学院".into(), ..Default::default() });
    let id = rounds::create(
        &mut conn,
        &rounds::NewRound {
            name: "2026年市域产教联合体评审".into(),
            rubric_text: std::fs::read_to_string(root().join(RUBRIC)).unwrap(),
            applications: sample_applications(false),
            experts: experts.collect(),
            is_sample: false,
            uid: None,
        },
        "统分人",
    )
    .unwrap();
    assert_eq!(id, 1);
}

/// Five experts × four applications, every point: A04 at 100 %, A01 at 90 %, A02 and A03 at 80 %.
fn paper_sheet() -> String {
    let r = pingshen_core::rubric::parse(&std::fs::read_to_string(root().join(RUBRIC)).unwrap()).unwrap();
    let mut csv = String::from("专家编号,专家姓名,申报编号,观测点,得分,说明\n");
    for (e, name) in EXPERTS {
        for (a, pct) in [("A01", 90), ("A02", 80), ("A03", 80), ("A04", 100)] {
            for item in r.items() {
                let v = (item.points.0 * pct / 100) / 5 * 5;
                writeln!(csv, "{e},{name},{a},{},{}.{},", item.code, v / 10, v % 10).unwrap();
            }
        }
    }
    csv
}

async fn ok(app: &App, cmd: &str, args: Value) -> Value {
    let reply = app.invoke(cmd, args).await;
    assert!(reply.get("err").is_none(), "{cmd}: {reply}");
    reply["ok"].clone()
}

async fn id_of(app: &App, code: &str) -> i64 {
    let o = ok(app, "consolidation_overview", json!({ "roundId": 1 })).await;
    o["ranking"].as_array().unwrap().iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("{code}: {o}"))["applicationId"].as_i64().unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn five_experts_a_site_visit_veto_the_panel_opinion_a_tie_at_the_line_decided_confirmed_and_exported() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    round(data.path());
    let sheet = data.path().join("纸质评分录入.csv");
    std::fs::write(&sheet, paper_sheet()).unwrap();

    let Some(app) = App::launch(data.path(), &[]).await else { return };
    app.click("[data-testid^=round-]").await;
    app.wait_for("[data-ready=round]").await;
    app.click("[data-testid=open-consolidation]").await;
    app.wait_for("[data-ready=consolidation]").await;
    let imported = ok(&app, "import_paper_scores", json!({ "roundId": 1, "path": sheet.to_str().unwrap() })).await;
    assert_eq!(imported["sheets"], 20, "{imported}");

    // The 组长: 王晓燕 (E03).
    let experts = ok(&app, "list_experts", json!({ "roundId": 1 })).await;
    let e03 = experts.as_array().unwrap().iter().find(|e| e["code"] == "E03").unwrap()["id"].clone();
    ok(&app, "set_leader", json!({ "roundId": 1, "expertId": e03 })).await;

    // 实地考察 of A04: the 产业学院 it claims is not there (不属实), proposed as V1 and upheld by the panel.
    let a04 = id_of(&app, "A04").await;
    let visit = json!({
        "date": "2026-11-28",
        "place": "瑞安市",
        "members": [
            { "expertCode": "E03", "name": "", "unit": "", "duty": "组长" },
            { "expertCode": "E05", "name": "", "unit": "", "duty": "成员" },
            { "expertCode": null, "name": "周监督", "unit": "省教育厅驻厅纪检组", "duty": "监督人员" },
        ],
        "checks": [
            { "id": null, "claim": "实训基地按推荐书所述建成并使用", "finding": "true", "note": "" },
            { "id": null, "claim": "推荐书所称共建产业学院已挂牌运行", "finding": "false", "note": "现场未见产业学院，亦无协议" },
        ],
    });
    ok(&app, "save_site_visit", json!({ "roundId": 1, "applicationId": a04, "visitId": null, "visit": visit })).await;
    let visits = ok(&app, "site_visits", json!({ "roundId": 1 })).await;
    let finding = visits[0]["findings"].as_array().unwrap().iter().find(|f| f["finding"] == "false").unwrap()["id"].clone();
    ok(&app, "propose_visit_veto", json!({ "roundId": 1, "findingId": finding, "code": "V1" })).await;
    let vote = json!({ "code": "V1", "upheld": true, "votesFor": 5, "votesAgainst": 0, "reason": "实地考察核实申报材料弄虚作假" });
    ok(&app, "resolve_veto", json!({ "roundId": 1, "applicationId": a04, "vote": vote })).await;

    // The 组长 writes the 专家组意见 of every application.
    for code in ["A01", "A02", "A03", "A04"] {
        let id = id_of(&app, code).await;
        let conclusion = if code == "A04" { "notRecommend" } else { "recommend" };
        let opinion = json!({
            "strengths": format!("{code}：产业基础扎实，校企合作紧密"),
            "problems": "实体化运行机制尚待完善",
            "suggestions": "完善理事会章程，明确各方权责",
            "conclusion": conclusion,
            "conclusionNote": "",
        });
        ok(&app, "save_panel_opinion", json!({ "roundId": 1, "applicationId": id, "opinion": opinion })).await;
    }

    // The 评审意见表 as it will print: one page per application, the 组长 named.
    app.click("[data-testid=refresh]").await;
    app.click("#tab-opinions").await;
    app.click("[data-testid=opinions-preview]").await;
    app.wait_for("[data-testid=paperwork-frame]").await;
    app.wait_until("the 评审意见表 in the preview", || async { app.content_of_frame().await.contains("评审意见表") }).await;
    let sheet_html = app.content_of_frame().await;
    assert!(sheet_html.contains("A01：产业基础扎实") && sheet_html.contains("（王晓燕）"), "the 评审意见表 names the 组长");
    app.screenshot("95-decision-opinion-sheet").await;
    app.client.execute("document.querySelector('.preview-dialog .el-dialog__headerbtn').click()", vec![]).await.unwrap();

    // Two places: A04 is out (否定性指标), A01 is in, A02 and A03 tie across the line.
    app.click("#tab-recommendation").await;
    app.wait_for("[data-testid=recommendation]").await;
    ok(&app, "recommendation_set_line", json!({ "roundId": 1, "line": { "places": 2, "minScore": null } })).await;
    app.click("[data-testid=refresh]").await;
    let tie = app.wait_for("[data-testid=rec-tie]").await.text().await.unwrap();
    assert!(tie.contains("A02、A03") && tie.contains("跨越名额线"), "{tie}");
    app.wait_until("A04 disqualified", || async { app.content("[data-rec=A04]").await.contains("否定性指标") }).await;
    app.screenshot("96-decision-list-tie").await;

    // The panel decides for A02; the list is confirmed.
    let decision =
        json!({ "chosen": ["A02"], "byTiebreak": false, "votesFor": 4, "votesAgainst": 1, "reason": "A02 的实体化运作与人才培养成效更突出" });
    ok(&app, "recommendation_decide_tie", json!({ "roundId": 1, "decision": decision })).await;
    let publicity = json!({
        "order": "rank", "start": "2026-12-07", "end": "2026-12-13",
        "contact": "李老师", "phone": "0371-00000000", "publisher": "河南省教育厅",
    });
    ok(&app, "recommendation_set_publicity", json!({ "roundId": 1, "publicity": publicity })).await;
    let confirmed = ok(&app, "recommendation_confirm", json!({ "roundId": 1 })).await;
    assert!(confirmed["confirmed"].is_object(), "{confirmed}");
    app.click("[data-testid=refresh]").await;
    app.wait_for("[data-testid=rec-confirmed]").await;
    app.screenshot("97-decision-list-confirmed").await;

    // The 公示名单 as it will print.
    app.click("[data-testid=rec-preview-publicity]").await;
    app.wait_for("[data-testid=paperwork-frame]").await;
    app.wait_until("the 公示名单 in the preview", || async {
        app.content_of_frame().await.contains("公示期为2026年12月7日至2026年12月13日")
    })
    .await;
    let publicity_html = app.content_of_frame().await;
    assert!(publicity_html.contains("A01") || publicity_html.contains("济源"), "{publicity_html}");
    app.screenshot("98-decision-publicity").await;
    app.client.execute("document.querySelector('.preview-dialog .el-dialog__headerbtn').click()", vec![]).await.unwrap();

    // Every document, written and read back.
    let out = data.path().join("评审材料");
    let written = ok(&app, "export_paperwork", json!({ "roundId": 1, "dir": out.to_str().unwrap() })).await;
    assert_eq!(written.as_array().unwrap().len(), pingshen_app::paperwork::PAPERWORK_FILES.len());
    let read = |name: &str| std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = |name: &str| String::from_utf8(read(name)).unwrap();

    // 评审结果汇总表: every expert, 是否推荐, the panel's decision, A04 取消资格, signature lines (组长 named).
    for (name, body) in [
        ("评审结果汇总表.html", text("评审结果汇总表.html").replace("<br>", "")),
        ("评审结果汇总表.docx", docx_text(&read("评审结果汇总表.docx"))),
        ("评审结果汇总表.xlsx", xlsx_cells(&read("评审结果汇总表.xlsx")).join("|")),
    ] {
        for needle in ["张建国", "李文华", "王晓燕", "赵明", "陈静", "是否推荐", "取消资格"] {
            assert!(body.contains(needle), "{name} lacks “{needle}”: {body}");
        }
        assert!(!body.contains("草稿"), "{name}: the list is confirmed");
    }
    let summary_docx = docx_text(&read("评审结果汇总表.docx"));
    assert!(summary_docx.contains("监督人员（签字）") && summary_docx.contains("王晓燕"), "{summary_docx}");
    assert!(text("评审结果汇总表.html").contains("A02 的实体化运作与人才培养成效更突出"));

    // 拟推荐名单: A01 and A02, not A03 nor A04 as rows; no per-expert score.
    let shortlist = xlsx_cells(&read("拟推荐名单.xlsx"));
    assert!(shortlist.contains(&"A01".to_string()) && shortlist.contains(&"A02".to_string()), "{shortlist:?}");
    assert!(!shortlist.contains(&"A03".to_string()) && !shortlist.contains(&"A04".to_string()), "{shortlist:?}");
    let shortlist_docx = docx_text(&read("拟推荐名单.docx"));
    assert!(!shortlist_docx.contains("张建国"), "no per-expert score: {shortlist_docx}");
    assert!(text("拟推荐名单.html").contains("拟推荐名单"));

    // 公示名单: no score at all, the notice with the dates and contact.
    for (name, body) in [
        ("公示名单.html", text("公示名单.html")),
        ("公示名单.docx", docx_text(&read("公示名单.docx"))),
        ("公示名单.xlsx", xlsx_cells(&read("公示名单.xlsx")).join("|")),
    ] {
        assert!(body.contains("公示期为2026年12月7日至2026年12月13日") && body.contains("李老师"), "{name}: {body}");
        assert!(!body.contains("得分") && !body.contains("A03") && !body.contains("A04"), "{name}: {body}");
    }

    // 评审意见表: one page per application, the 组长, the opinion texts, the experts' 推荐意见 line.
    let opinions_docx = docx_text(&read("评审意见表.docx"));
    for needle in ["评审意见表", "A01：产业基础扎实", "A04：产业基础扎实", "实体化运行机制尚待完善", "王晓燕"] {
        assert!(opinions_docx.contains(needle), "评审意见表.docx lacks “{needle}”");
    }
    assert_eq!(text("评审意见表.html").matches("<h1>评审意见表</h1>").count(), 4);
    let opinions_xlsx = xlsx_cells(&read("评审意见表.xlsx"));
    assert!(opinions_xlsx.iter().any(|c| c.contains("完善理事会章程")), "{opinions_xlsx:?}");

    // 评审报告: the 否定性指标 of A04 with its source, the 实地考察 finding, and the panel's vote.
    let report = text("评审报告.html");
    assert!(report.contains("实地考察：第 1 次（2026-11-28）核查“推荐书所称共建产业学院已挂牌运行”不属实（现场未见产业学院，亦无协议）"), "{report}");
    assert!(report.contains("维持（认定成立）：同意 5 票、反对 0 票"), "{report}");

    // 实地考察记录表: the finding and the members.
    let visits_docx = docx_text(&read("实地考察记录表.docx"));
    assert!(visits_docx.contains("推荐书所称共建产业学院已挂牌运行") && visits_docx.contains("周监督"), "{visits_docx}");
    app.quit().await;
}
