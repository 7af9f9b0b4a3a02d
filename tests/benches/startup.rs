//! Startup and saving benchmark: from asking tauri-driver for a session (the app is launched) to the first
//! screen painted with its content; to the scoring screen of a sample application; and the save round trip
//! of a score (the UI's `set_score` call → committed to SQLite with synchronous=FULL → acknowledged back in
//! the page), timed in the page. Prints its figures.
//!
//! Run: `cargo bench -p pingshen-tests --bench startup` (needs a display or Xvfb, tauri-driver and
//! WebKitWebDriver, as the end-to-end tests do).

use std::time::Duration;

use pingshen_tests::e2e::App;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    const RUNS: usize = 5;
    let data = tempfile::tempdir().unwrap();
    let mut first = Vec::new();
    let mut scoring = Vec::new();
    let mut saves: Vec<Duration> = Vec::new();
    let mut opens: Vec<Duration> = Vec::new();
    let mut first_page: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
        first.push(app.startup);
        app.click("[data-testid^=round-]").await;
        app.wait_for("[data-testid=open-A01]").await;
        // Timed in the page: from the click to the scoring screen interactive (25 points and the whole 推荐书
        // rendered, the first score field focused), checked on every animation frame.
        let ms = app
            .client
            .execute_async(
                "const done = arguments[0];
                 const t0 = performance.now();
                 document.querySelector('[data-testid=open-A01]').click();
                 const ready = () => document.querySelector(\"[data-score='6.3']\")
                   && document.querySelector(\"[data-testid=form-view] [data-field='plan']\")
                   && document.activeElement && document.activeElement.dataset.score === '1.1';
                 const at = (name) => { const m = performance.getEntriesByName(name).pop(); return m ? Math.round(m.startTime - t0) : null; };
                 const check = () => (ready()
                   ? done({ total: performance.now() - t0, open: at('scoring:open'), data: at('scoring:data'), rendered: at('scoring:rendered') })
                   : requestAnimationFrame(check));
                 requestAnimationFrame(check);",
                vec![],
            )
            .await
            .unwrap();
        scoring.push(Duration::from_secs_f64(ms["total"].as_f64().unwrap() / 1000.0));
        eprintln!("  phases (ms after the click): page mounted {}, data back {}, rendered {}", ms["open"], ms["data"], ms["rendered"]);
        // The first page of the application's first material on screen, a second after the scoring screen
        // opened (pdf.js and its worker are warmed up meanwhile; the bytes are read over IPC, the page drawn
        // and its text layer laid), timed in the page.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let ms = app
            .client
            .execute_async(
                "const done = arguments[0];
                 const t0 = performance.now();
                 document.querySelector('[data-testid=tab-materials]').click();
                 document.querySelector('[data-material]').click();
                 const at = (name) => { const m = performance.getEntriesByName(name).pop(); return m ? Math.round(m.startTime - t0) : null; };
                 const check = () => (document.querySelector('[data-testid=pdf-text] span') && performance.getEntriesByName('pdf:text').length
                   ? done({ total: performance.now() - t0, open: at('pdf:open'), document: at('pdf:document'), page: at('pdf:page'), drawn: at('pdf:drawn'), text: at('pdf:text') })
                   : requestAnimationFrame(check));
                 requestAnimationFrame(check);",
                vec![],
            )
            .await
            .unwrap();
        first_page.push(Duration::from_secs_f64(ms["total"].as_f64().unwrap() / 1000.0));
        eprintln!(
            "  viewer phases (ms after the click): viewer mounted {}, document open {}, page ready {}, drawn {}, text layer {}",
            ms["open"], ms["document"], ms["page"], ms["drawn"], ms["text"]
        );
        // The open_scoring command alone (IPC, store, core, DTO), timed in the page.
        let ms = app
            .client
            .execute_async(
                "const done = arguments[0];
                 const out = [];
                 for (let i = 0; i < 10; i++) {
                   const t = performance.now();
                   await window.__TAURI_INTERNALS__.invoke('open_scoring', { roundId: 1, expertId: 1, applicationId: 1 });
                   out.push(performance.now() - t);
                 }
                 done(out);",
                vec![],
            )
            .await
            .unwrap();
        opens.extend(ms.as_array().unwrap().iter().map(|v| Duration::from_secs_f64(v.as_f64().unwrap() / 1000.0)));
        // 200 saves through IPC, as the score field makes them, timed in the page.
        let times = app
            .client
            .execute_async(
                "const done = arguments[0];
                 const inv = window.__TAURI_INTERNALS__.invoke;
                 const sheet = (await inv('open_scoring', { roundId: 1, expertId: 1, applicationId: 1 })).sheetId;
                 const out = [];
                 for (let i = 0; i < 200; i++) {
                   const t = performance.now();
                   await inv('set_score', { args: { sheetId: sheet, item: '1.1', value: String((i % 11) / 2) } });
                   out.push(performance.now() - t);
                 }
                 done(out);",
                vec![],
            )
            .await
            .unwrap();
        saves.extend(times.as_array().unwrap().iter().map(|v| Duration::from_secs_f64(v.as_f64().unwrap() / 1000.0)));
        app.quit().await;
    }
    report("launch → first screen painted", &mut first);
    report("first page of a material on screen in the viewer (a second after the scoring screen opened: bytes over IPC, document parsed, page and text layer drawn)", &mut first_page);
    report("open_scoring command round trip (IPC, store, core, DTO)", &mut opens);
    report("click 评分 → scoring screen interactive (25 points, the whole 推荐书, first field focused; timed in the page)", &mut scoring);
    saves.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "save round trip (page → IPC → SQLite commit, synchronous=FULL → page): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} saves)",
        ms(saves[saves.len() / 2]),
        ms(saves[saves.len() * 99 / 100]),
        ms(saves[saves.len() - 1]),
        saves.len()
    );
}

fn report(what: &str, v: &mut [Duration]) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{what}: median {:.0} ms, min {:.0} ms, max {:.0} ms ({} runs)", ms(v[v.len() / 2]), ms(v[0]), ms(v[v.len() - 1]), v.len());
}
