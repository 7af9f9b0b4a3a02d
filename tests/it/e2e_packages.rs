//! End to end, in the real window: staff import an application package as it arrives (a zip made on Chinese
//! Windows, names in GBK, a scanned 推荐书 and a text PDF of 支撑材料), a hostile zip is refused and changes
//! nothing, the 形式审查 shows the scan and staff type its key fields in; an expert then finds a term in the
//! new material and sees the page.

use pingshen_tests::e2e::App;
use pingshen_tests::root;
use serde_json::json;

use crate::e2e::ONE_AT_A_TIME;
use crate::package_cli::zip_bytes;

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn a_gbk_zip_with_a_scanned_form_is_imported_checked_entered_and_searched() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let scanned = std::fs::read(root().join("tests/fixtures/forms/form-scanned.pdf")).unwrap();
    let material = std::fs::read(root().join("sample-applications/lingang/materials/支撑材料汇编.pdf")).unwrap();
    let zip = usb.path().join("新申报材料.zip");
    std::fs::write(
        &zip,
        zip_bytes(&[(gbk("新申报材料/推荐书（扫描件）.pdf"), scanned), (gbk("新申报材料/附件1 支撑材料汇编.pdf"), material)], false),
    )
    .unwrap();
    let hostile = usb.path().join("恶意.zip");
    std::fs::write(&hostile, zip_bytes(&[(b"../../evil.pdf".to_vec(), b"%PDF-1.4".to_vec())], true)).unwrap();

    let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
    app.wait_for("[data-ready=rounds]").await;
    app.client.execute("location.hash = '#/round/1/consolidation'", vec![]).await.unwrap();
    app.wait_for("[data-ready=consolidation]").await;

    // The hostile zip: refused, naming the entry; nothing added.
    let r = app.invoke("import_package", json!({ "roundId": 1, "path": hostile.to_str().unwrap(), "folder": false })).await;
    assert_eq!(r["err"]["kind"], "Package", "{r}");
    assert!(r["err"]["message"].as_str().unwrap().contains("../../evil.pdf"), "{r}");
    assert_eq!(app.invoke("list_applications", json!({ "roundId": 1, "expertId": 1 })).await["ok"].as_array().unwrap().len(), 4);

    // The GBK zip: the path the native dialog hands over.
    let r = app.invoke("import_package", json!({ "roundId": 1, "path": zip.to_str().unwrap(), "folder": false })).await;
    let imported = &r["ok"];
    assert_eq!(imported["code"], "A05", "{r}");
    assert_eq!(imported["origin"], "scanned", "the origin is a closed set (PackageOrigin), worded by the UI");
    assert_eq!(imported["needsManualEntry"], true);
    assert!(imported["pages"].as_i64().unwrap() >= 1 && imported["materials"] == 1, "{r}");

    // 形式审查: the scan waits for its key fields; staff type them in.
    app.click("#tab-formal").await;
    app.wait_for("[data-formal=A05]").await;
    assert!(app.content("[data-formal=A05]").await.contains("扫描件，待录入"));
    app.click("[data-formal=A05] .el-collapse-item__header").await;
    app.click("[data-testid=manual-entry-A05]").await;
    let name = app.wait_for("[data-testid=key-name]").await;
    name.clear().await.unwrap();
    name.send_keys("临港新片区第二市域产教联合体").await.unwrap();
    app.screenshot("60-manual-entry").await;
    app.click("[data-testid=key-save]").await;
    app.wait_until("entered", || async { !app.content("[data-formal=A05]").await.contains("待录入") }).await;
    assert!(app.content("[data-formal=A05]").await.contains("临港新片区第二市域产教联合体"));
    app.screenshot("61-formal-check").await;

    // An expert finds a term of the new material and opens its page.
    app.client.execute("location.hash = '#/round/1/expert/1/application/5'", vec![]).await.unwrap();
    app.wait_for("[data-ready=scoring]").await;
    assert!(app.text("[data-testid=application-title]").await.contains("临港新片区第二市域产教联合体"));
    app.wait_for("[data-testid=search]").await.send_keys("临港").await.unwrap();
    app.wait_for("[data-testid=search-hits] [data-hit='0']").await;
    let i = app
        .client
        .execute("return [...document.querySelectorAll('[data-testid=search-hits] .hit')].findIndex((b) => / 第\\d+页/.test(b.textContent))", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(i >= 0, "a page of the imported material is found");
    app.click(&format!("[data-testid=search-hits] [data-hit='{i}']")).await;
    app.wait_until("the page's text", || async { app.content("[data-testid=pdf-text]").await.contains("临港") }).await;
    app.screenshot("62-imported-material-page").await;
    app.quit().await;
}
