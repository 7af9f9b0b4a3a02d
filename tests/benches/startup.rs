//! Startup benchmark: from asking tauri-driver for a session (the app is launched) to the first screen
//! painted with its content, and to the scoring screen of a sample application. Prints its figures.
//!
//! Run: `cargo bench -p pingshen-tests --bench startup` (needs a display or Xvfb, tauri-driver and
//! WebKitWebDriver, as the end-to-end tests do).

use std::time::{Duration, Instant};

use pingshen_tests::e2e::App;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    const RUNS: usize = 5;
    let data = tempfile::tempdir().unwrap();
    let mut first = Vec::new();
    let mut scoring = Vec::new();
    for _ in 0..RUNS {
        let Some(app) = App::launch(data.path(), &["--load-samples"]).await else { return };
        first.push(app.startup);
        app.click("[data-testid^=round-]").await;
        app.click("[data-testid=open-A01]").await;
        let t = Instant::now();
        app.wait_for("[data-testid=form-view] [data-field='plan']").await;
        app.wait_for("[data-score='6.3']").await;
        scoring.push(t.elapsed());
        app.quit().await;
    }
    report("launch → first screen painted", &mut first);
    report("click 评分 → scoring screen with 25 points and the 推荐书", &mut scoring);
}

fn report(what: &str, v: &mut [Duration]) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{what}: median {:.0} ms, min {:.0} ms, max {:.0} ms ({} runs)", ms(v[v.len() / 2]), ms(v[0]), ms(v[v.len() - 1]), v.len());
}
