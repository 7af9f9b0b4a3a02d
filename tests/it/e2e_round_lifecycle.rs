//! End to end, in the real window, a whole round from an empty install (the "must show"): staff
//! import a rubric from the .xlsx template and create their round with it, import three packages from zips
//! and the expert list, and hand out the round file; two laptop profiles open it, score, one expert ticks a
//! 否定性指标 with a reason on the scoring screen, and both hand back score files; staff import them, the
//! panel confirms the veto on the 统分 screen, the ranking shows 取消资格; staff close the round and back it
//! up; restored into a fresh data directory, it gives the same ranking and the same 汇总表 bytes.

use std::path::{Path, PathBuf};

use pingshen_tests::e2e::App;
use serde_json::{json, Value};

use crate::e2e::ONE_AT_A_TIME;
use crate::e2e_rounds::zip_of_sample;

/// The ranking as the 统分 screen's data has it: (申报编号, 最终得分, 名次, status).
async fn ranking(app: &App) -> Vec<(String, Value, Value, Value)> {
    let o = app.invoke("consolidation_overview", json!({ "roundId": 1 })).await;
    o["ok"]["ranking"]
        .as_array()
        .unwrap_or_else(|| panic!("{o}"))
        .iter()
        .map(|r| (r["code"].as_str().unwrap().to_string(), r["finalScore"].clone(), r["rank"].clone(), r["status"].clone()))
        .collect()
}

/// A laptop: opens the round file as `expert`, signs the declaration, scores every application at `percent`
/// of each maximum (through the commands, as the scoring screen does) and returns the score file written.
async fn score_on_a_laptop(dir: &Path, round_file: &Path, expert: &str, percent: i64, usb: &Path, veto_on: Option<&str>) -> Option<PathBuf> {
    let app = App::launch(dir, &[]).await?;
    app.wait_for("[data-ready=rounds]").await;
    let opened = app.invoke_with_progress("open_round_file", json!({ "path": round_file.to_str().unwrap(), "expertCode": expert })).await;
    assert_eq!(opened["ok"]["roundId"], 1, "{opened}");
    let round = app.invoke("get_round", json!({ "roundId": 1 })).await;
    let me = round["ok"]["experts"].as_array().unwrap().iter().find(|e| e["code"] == expert).unwrap()["id"].as_i64().unwrap();
    let signed = app.invoke("sign_declaration", json!({ "expertId": me, "declared": [], "statement": "" })).await;
    assert!(signed.get("ok").is_some(), "{signed}");
    let apps = app.invoke("list_applications", json!({ "roundId": 1, "expertId": me })).await;
    for a in apps["ok"].as_array().unwrap() {
        let opened = app.invoke("open_scoring", json!({ "roundId": 1, "expertId": me, "applicationId": a["id"] })).await;
        let sheet = opened["ok"]["sheetId"].as_i64().unwrap_or_else(|| panic!("{opened}"));
        for g in opened["ok"]["rubric"]["groups"].as_array().unwrap() {
            for i in g["items"].as_array().unwrap() {
                let max: f64 = i["points"].as_str().unwrap().parse().unwrap();
                let value = ((max * percent as f64 / 100.0) * 2.0).floor() / 2.0;
                let r = app.invoke("set_score", json!({ "args": { "sheetId": sheet, "item": i["code"], "value": value.to_string() } })).await;
                assert!(r.get("ok").is_some(), "{r}");
            }
        }
        // A new round asks each expert's 推荐意见 and 综合意见 before a sheet is submitted.
        let refused = app.invoke("submit_sheet", json!({ "sheetId": sheet })).await;
        assert_eq!(refused["err"]["kind"], "NotReady", "{refused}");
        let opinion =
            app.invoke("set_opinion", json!({ "sheetId": sheet, "recommendation": "recommend", "opinion": "产教融合实体化运行，建议推荐" })).await;
        assert!(opinion["ok"].is_object(), "{opinion}");
        if veto_on == a["code"].as_str() {
            // On the scoring screen: the 否定性指标 after the scored groups, ticked with a reason.
            let url = format!("location.hash = '#/round/1/expert/{me}/application/{}'", a["id"]);
            app.client.execute(&url, vec![]).await.unwrap();
            app.wait_for("[data-ready=scoring]").await;
            app.wait_for("[data-testid=checklist-ready]").await;
            app.client.execute("document.querySelector('[data-testid=veto-list]').scrollIntoView({ block: 'center' })", vec![]).await.unwrap();
            app.tick("[data-veto='F1']").await;
            app.wait_for("[data-missing='vetoReason-F1']").await;
            app.type_keys("推荐书所附合作协议的企业公章与企业名称不一致，疑为伪造").await;
            app.wait_for("[data-testid=checklist-ready]").await;
            crate::e2e::wait_saved(&app).await;
            app.client.execute("document.querySelector('[data-testid=veto-list]').scrollIntoView({ block: 'center' })", vec![]).await.unwrap();
            app.screenshot("80-lifecycle-veto-on-the-scoring-screen").await;
        }
        let submitted = app.invoke("submit_sheet", json!({ "sheetId": sheet })).await;
        assert_eq!(submitted["ok"], 1, "{submitted}");
    }
    let file = usb.join(format!("{expert}.json"));
    let r = app.invoke("export_score_file", json!({ "roundId": 1, "expertId": me, "path": file.to_str().unwrap() })).await;
    assert!(r["ok"]["path"].is_string(), "{r}");
    app.quit().await;
    Some(file)
}

#[tokio::test(flavor = "current_thread")]
async fn a_whole_round_from_an_empty_install_to_a_restored_backup() {
    let _one = ONE_AT_A_TIME.lock().await;
    let (hub, laptop1, laptop2, elsewhere, usb) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let template = usb.path().join("本省评分标准.xlsx");
    let round_file = usb.path().join("评审包.pingshen-round");
    let backup = usb.path().join("备份.pingshen-backup");

    // ---- Staff machine, empty: the rubric comes from the .xlsx template. ----
    let Some(app) = App::launch(hub.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    let saved = app
        .invoke("save_rubric_template", json!({ "rubric": { "kind": "shipped", "folder": "example-with-veto" }, "path": template.to_str().unwrap() }))
        .await;
    assert!(saved["ok"].is_string(), "{saved}");
    let imported = app.invoke("import_rubric", json!({ "path": template.to_str().unwrap() })).await;
    assert_eq!(imported["ok"]["origin"], "导入自 本省评分标准.xlsx", "{imported}");
    assert_eq!(imported["ok"]["vetoes"], 3, "{imported}");
    app.click("[data-testid=open-rubric-library]").await;
    app.wait_until("the imported rubric is listed", || async {
        app.content("[data-testid=rubric-table]").await.contains("导入自 本省评分标准.xlsx")
    })
    .await;
    app.screenshot("81-lifecycle-rubric-library").await;
    app.client.execute("location.hash = '#/'", vec![]).await.unwrap();
    app.wait_for("[data-ready=rounds]").await;

    // 新建评审批次 with the imported rubric.
    app.click("[data-testid=new-round]").await;
    app.wait_for("input[data-testid=new-round-name], [data-testid=new-round-name] input")
        .await
        .send_keys("2024年某省市域产教联合体遴选")
        .await
        .unwrap();
    app.click("[data-testid=new-round-rubric]").await;
    app.wait_for(".el-select-dropdown__item").await;
    app.client
        .execute(
            "[...document.querySelectorAll('.el-select-dropdown__item')].find((o) => o.textContent.includes('导入自 本省评分标准.xlsx')).click()",
            vec![],
        )
        .await
        .unwrap();
    app.wait_until("the imported rubric is chosen", || async {
        app.text("[data-testid=new-round-rubric-facts]").await.contains("否定性指标 3 项")
    })
    .await;
    app.screenshot("82-lifecycle-new-round").await;
    app.click("[data-testid=new-round-create]").await;
    app.wait_for("[data-ready=consolidation]").await;

    for dir in ["jiyuan", "lingang", "ningbo"] {
        let zip = usb.path().join(format!("{dir}.zip"));
        std::fs::write(&zip, zip_of_sample(dir)).unwrap();
        let r = app.invoke("import_package", json!({ "roundId": 1, "path": zip.to_str().unwrap(), "folder": false })).await;
        assert!(r["ok"]["code"].is_string(), "{r}");
    }
    let list = usb.path().join("专家名单.csv");
    std::fs::write(&list, "专家编号,姓名,单位,职称,专业领域,手机\nE01,周某某,某省教育科学研究院,研究员,职业教育,13800000001\nE02,吴某某,某市工业和信息化局,高级工程师,先进制造,13800000002\n").unwrap();
    let r = app.invoke("import_experts", json!({ "roundId": 1, "path": list.to_str().unwrap() })).await;
    assert_eq!(r["ok"]["added"], 2, "{r}");
    let handed = app.invoke_with_progress("export_round_file", json!({ "roundId": 1, "path": round_file.to_str().unwrap() })).await;
    assert_eq!(handed["ok"]["applications"], 3, "{handed}");
    app.quit().await;

    // ---- Two laptops: E01 ticks 否定性指标 F1 on A02 with a reason. ----
    let Some(e01) = score_on_a_laptop(laptop1.path(), &round_file, "E01", 90, usb.path(), Some("A02")).await else { return };
    let Some(e02) = score_on_a_laptop(laptop2.path(), &round_file, "E02", 80, usb.path(), None).await else { return };

    // ---- Back on the staff machine: the score files, the panel's decision, the ranking. ----
    let Some(app) = App::launch(hub.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    let r = app.invoke("import_score_files", json!({ "roundId": 1, "paths": [e01.to_str().unwrap(), e02.to_str().unwrap()] })).await;
    assert!(r["ok"].as_array().unwrap().iter().all(|f| f["imported"] == true), "{r}");
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;
    app.click("#tab-vetoes").await;
    let proposal = app.content("[data-veto-proposal='A02-F1-E01']").await;
    assert!(proposal.contains("疑为伪造"), "{proposal}");
    app.click("[data-testid='veto-resolve-A02-F1']").await;
    let votes = app.wait_for("[data-testid=veto-for] input").await;
    votes.clear().await.unwrap();
    votes.send_keys("2").await.unwrap();
    app.wait_for("[data-testid=veto-reason] textarea, textarea[data-testid=veto-reason]")
        .await
        .send_keys("经评审组核实，合作协议系伪造")
        .await
        .unwrap();
    app.click("[data-testid=veto-save]").await;
    app.wait_until("the veto stands", || async {
        app.wait_for("[data-veto-outcome='A02-F1']").await.attr("data-outcome").await.unwrap().as_deref() == Some("upheld")
    })
    .await;
    app.screenshot("83-lifecycle-veto-on-the-consolidation-screen").await;
    app.click("#tab-ranking").await;
    app.wait_until("A02 取消资格", || async { app.content("[data-rank='A02']").await.trim() == "取消资格" }).await;
    app.screenshot("84-lifecycle-ranking").await;
    let before = ranking(&app).await;
    assert_eq!(before.iter().filter(|r| r.3 == "disqualified").count(), 1, "{before:?}");
    assert!(before.iter().filter(|r| r.0 != "A02").all(|r| r.2.is_number()), "the others are ranked: {before:?}");

    // Close the round (批次管理), back it up, print the 汇总表.
    app.click("#tab-admin").await;
    app.click("[data-testid=close-round]").await;
    app.click(".el-message-box .el-button--primary").await;
    app.wait_for("[data-testid=round-closed]").await;
    let b = app.invoke_with_progress("backup_round", json!({ "roundId": 1, "path": backup.to_str().unwrap() })).await;
    assert_eq!(b["ok"]["counts"]["submitted"], 6, "{b}");
    let printed_here = hub.path().join("材料");
    let r = app.invoke("export_paperwork", json!({ "roundId": 1, "dir": printed_here.to_str().unwrap() })).await;
    assert!(r["ok"].is_array(), "{r}");
    app.quit().await;

    // ---- Another machine: restore the backup (checked entry by entry), the same ranking and 汇总表. ----
    let Some(app) = App::launch(elsewhere.path(), &[]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    app.click("[data-testid=open-restore]").await;
    app.wait_for("[data-ready=restore]").await;
    let info = app.invoke("inspect_backup", json!({ "path": backup.to_str().unwrap() })).await;
    assert_eq!(info["ok"]["closed"], true, "{info}");
    let restored = app.invoke_with_progress("restore_backup", json!({ "path": backup.to_str().unwrap() })).await;
    assert_eq!(restored["ok"]["roundId"], 1, "{restored}");
    // The restore was preceded by an automatic snapshot of this machine's database, listed on the page.
    app.client.execute("location.reload()", vec![]).await.unwrap();
    app.wait_for("[data-ready=restore]").await;
    app.wait_until("the snapshot before the restore is listed", || async {
        app.content("[data-testid=snapshot-table]").await.contains("恢复备份之前")
    })
    .await;
    app.screenshot("85-lifecycle-restore").await;
    assert_eq!(ranking(&app).await, before, "the same ranking after the restore");
    let printed_there = elsewhere.path().join("材料");
    let r = app.invoke("export_paperwork", json!({ "roundId": 1, "dir": printed_there.to_str().unwrap() })).await;
    assert!(r["ok"].is_array(), "{r}");
    for doc in ["评审结果汇总表.html", "评审结果汇总表.xlsx", "评审结果汇总表.docx", "公示名单.html"] {
        assert!(std::fs::read(printed_here.join(doc)).unwrap() == std::fs::read(printed_there.join(doc)).unwrap(), "{doc}: the same bytes");
    }
    let summary = std::fs::read_to_string(printed_there.join("评审结果汇总表.html")).unwrap();
    assert!(summary.contains("取消资格"), "the 汇总表 shows the disqualification");
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-testid=round-closed]").await;
    app.quit().await;
}
