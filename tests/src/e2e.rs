//! The end-to-end harness: the real app in its real window, driven through tauri-driver and WebKitWebDriver.
//!
//! [`App::launch`] starts a `tauri-driver` on free ports with `PINGSHEN_DATA_DIR` pointing at the test's own
//! folder, opens a WebDriver session whose application is the built `pingshen-desktop`, and waits for the
//! first screen. When there is no display, it starts an `Xvfb` of its own. When neither a display nor Xvfb
//! nor the drivers can be had, [`App::launch`] returns `None` after a loud message; under `CI=true` it
//! panics instead, so CI can never pass by skipping.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::{binary, root, target_dir};

/// A running app under WebDriver.
pub struct App {
    pub client: Client,
    driver: Child,
    _xvfb: Option<Child>,
    /// How long from asking for the session to the first screen being painted with its content.
    pub startup: Duration,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn which(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([home.join(".cargo/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Refuses to go on: a loud skip locally, a failure in CI.
fn unavailable(why: &str) -> Option<App> {
    let msg = format!("END-TO-END TEST NOT RUN: {why}. Run the README's test command, which installs and starts everything.");
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!!!!\n!!! {msg}\n!!!!!!!!!!\n");
    None
}

/// Whether display `n` is free: no socket, or a lock file naming a process that no longer runs (its stale
/// socket and lock are removed then).
fn display_free(n: u32) -> bool {
    let socket = format!("/tmp/.X11-unix/X{n}");
    let lock = format!("/tmp/.X{n}-lock");
    if !Path::new(&socket).exists() && !Path::new(&lock).exists() {
        return true;
    }
    let pid = std::fs::read_to_string(&lock).ok().and_then(|s| s.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if !Path::new(&format!("/proc/{pid}")).exists() => {
            let _ = std::fs::remove_file(&socket);
            let _ = std::fs::remove_file(&lock);
            true
        }
        _ => false,
    }
}

/// Stops a process group (tauri-driver, the WebKitWebDriver it starts and the app) or a process.
fn stop(pid: u32, group: bool) {
    let target = if group { format!("-{pid}") } else { pid.to_string() };
    let _ = Command::new("kill").args(["-TERM", "--", &target]).stdout(Stdio::null()).stderr(Stdio::null()).status();
}

/// Starts an Xvfb of our own when there is no display.
fn ensure_display() -> Result<Option<Child>, String> {
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return Ok(None);
    }
    let xvfb = which("Xvfb").ok_or("no display and no Xvfb (Debian package xvfb)")?;
    // Pick a display number no one uses (a display whose Xvfb is gone is free again).
    let n = (100..200).find(|&n| display_free(n)).ok_or("no free X display number")?;
    let child = Command::new(xvfb)
        .args([format!(":{n}"), "-screen".into(), "0".into(), "1920x1080x24".into(), "-nolisten".into(), "tcp".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("Xvfb did not start: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        if Instant::now() > deadline {
            return Err("Xvfb did not come up".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Tests that launch the app hold the e2e lock, so no other thread reads the environment now.
    std::env::set_var("DISPLAY", format!(":{n}"));
    Ok(Some(child))
}

impl App {
    /// Launches the desktop app on `data_dir` with `args`; `None` (after a loud message) when this machine
    /// cannot show a window, outside CI.
    pub async fn launch(data_dir: &Path, args: &[&str]) -> Option<App> {
        App::launch_binary(&binary("pingshen-desktop", "pingshen-desktop"), Some(data_dir), args).await
    }

    /// Launches the desktop executable at `app` (a copy of the built one, say), with `PINGSHEN_DATA_DIR` set
    /// to `data_dir` or, when `None`, not set at all (the app then finds its folder itself).
    pub async fn launch_binary(app: &Path, data_dir: Option<&Path>, args: &[&str]) -> Option<App> {
        App::start(app, data_dir, args, true).await
    }

    /// [`App::launch`] as a user starts it: the page may not name files.
    pub async fn launch_strict(data_dir: &Path, args: &[&str]) -> Option<App> {
        App::start(&binary("pingshen-desktop", "pingshen-desktop"), Some(data_dir), args, false).await
    }

    async fn start(app: &Path, data_dir: Option<&Path>, args: &[&str], page_paths: bool) -> Option<App> {
        let xvfb = match ensure_display() {
            Ok(x) => x,
            Err(why) => return unavailable(&why),
        };
        let Some(driver_bin) = which("tauri-driver") else { return unavailable("tauri-driver is not installed") };
        if which("WebKitWebDriver").is_none() {
            return unavailable("WebKitWebDriver is not installed (Debian package webkit2gtk-driver)");
        }
        let (port, native_port) = (free_port(), free_port());
        let logs = target_dir().join("e2e-logs");
        std::fs::create_dir_all(&logs).unwrap();
        let log = std::fs::File::create(logs.join(format!("tauri-driver-{port}.log"))).unwrap();
        let mut driver = Command::new(driver_bin);
        driver.process_group(0).args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]);
        match data_dir {
            Some(d) => driver.env("PINGSHEN_DATA_DIR", d),
            None => driver.env_remove("PINGSHEN_DATA_DIR"),
        };
        // The tests cannot click in a native file dialog, so the app lets them name files from the page
        // (src-tauri/src/dialogs.rs); `launch_strict` shows that a normal start does not.
        if page_paths {
            driver.env("PINGSHEN_E2E_PAGE_PATHS", "1");
        } else {
            driver.env_remove("PINGSHEN_E2E_PAGE_PATHS");
        }
        let driver = driver.stdout(log.try_clone().unwrap()).stderr(log).spawn().expect("start tauri-driver");
        let caps = json!({
            "tauri:options": { "application": app, "args": args },
            "browserName": "wry",
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let started = Instant::now();
        let mut last_err;
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => break c,
                Err(e) => last_err = e.to_string(),
            }
            if Instant::now() > deadline {
                panic!("no WebDriver session after 60 s: {last_err} (logs in {})", logs.display());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let mut app = App { client, driver, _xvfb: xvfb, startup: Duration::ZERO };
        app.wait_for("[data-ready]").await;
        app.startup = started.elapsed();
        Some(app)
    }

    /// Waits (up to 20 s) for an element and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waited 20 s for `{css}`: {e}"))
    }

    /// Clicks the element once no dialog is in transition and it can be clicked.
    pub async fn click(&self, css: &str) {
        // A dialog or message box fading in or out takes the click meant for what is under or inside it.
        self.settled().await;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let el = self.wait_for(css).await;
            match el.click().await {
                Ok(_) => return,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("could not click `{css}` for 20 s: {e}"),
            }
        }
    }

    /// Ticks the native checkbox `css`: clicks it until it is checked (a click can be lost while the page is busy
    /// re-rendering on a loaded machine; a checked box is never clicked again, so it is not unticked).
    pub async fn tick(&self, css: &str) {
        self.wait_until(&format!("{css} ticked"), || async {
            let checked = self.client.execute("return !!document.querySelector(arguments[0])?.checked", vec![json!(css)]).await.unwrap();
            if checked.as_bool() == Some(true) {
                return true;
            }
            self.click(css).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
            false
        })
        .await;
    }

    /// Waits until no overlay of a dialog or message box is left on the page: one that fades out stays over the
    /// page, transparent, and takes the clicks until its transition has ended (slow on a busy machine).
    pub async fn no_overlay(&self) {
        self.wait_until("no overlay left", || async {
            let v = self
                .client
                .execute("return [...document.querySelectorAll('.el-overlay')].every((o) => getComputedStyle(o).display === 'none')", vec![])
                .await
                .unwrap();
            v.as_bool() == Some(true)
        })
        .await;
    }

    /// Waits until no dialog or message box is fading in or out: an overlay in its transition is transparent
    /// but takes the clicks meant for what is under it (slow on a busy machine).
    pub async fn settled(&self) {
        self.wait_until("no dialog in transition", || async {
            let v = self
                .client
                .execute(
                    "return [...document.querySelectorAll('.el-overlay, .el-overlay-dialog, .el-dialog')]
                        .every((o) => getComputedStyle(o).display === 'none' || !/enter|leave/.test(o.className))",
                    vec![],
                )
                .await
                .unwrap();
            v.as_bool() == Some(true)
        })
        .await;
    }

    /// Waits until `f` holds, polling (up to 20 s).
    pub async fn wait_until<F, Fut>(&self, what: &str, mut f: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !f().await {
            assert!(Instant::now() < deadline, "waited 20 s for: {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// The `textContent` of the first element matching `css` (WebDriver's visible text skips some table
    /// cells of Element Plus; this reads what is in the DOM).
    pub async fn content(&self, css: &str) -> String {
        self.wait_for(css).await;
        let v = self.client.execute("return document.querySelector(arguments[0]).textContent", vec![serde_json::json!(css)]).await.unwrap();
        v.as_str().unwrap_or_default().to_string()
    }

    /// The text of the document shown in the open print preview (the visible iframe).
    pub async fn content_of_frame(&self) -> String {
        let v = self
            .client
            .execute(
                // The frame of the dialog that is open (a closed preview keeps its frame, hidden).
                "const f = [...document.querySelectorAll('iframe')].filter((x) => x.offsetParent !== null).pop(); \
                 return f && f.contentDocument ? f.contentDocument.body.textContent : ''",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_string()
    }

    /// Calls an app command straight over IPC, as the page's own code does: `{ok: result}` or `{err: error}`.
    /// For the steps a native dialog would take (it cannot be driven over WebDriver) and for checks that the
    /// core refuses what the UI would never send.
    pub async fn invoke(&self, cmd: &str, args: serde_json::Value) -> serde_json::Value {
        self.client
            .execute_async(
                "const [cmd, args, done] = arguments;
                 window.__TAURI_INTERNALS__.invoke(cmd, args).then((r) => done({ ok: r }), (e) => done({ err: e }));",
                vec![serde_json::json!(cmd), args],
            )
            .await
            .unwrap()
    }

    /// Calls a command that takes a progress channel (`onProgress`), as the page does: `{ok}` or `{err}`.
    pub async fn invoke_with_progress(&self, cmd: &str, mut args: serde_json::Value) -> serde_json::Value {
        args["onProgress"] = serde_json::json!(null);
        self.client
            .execute_async(
                "const [cmd, args, done] = arguments;
                 const id = window.__TAURI_INTERNALS__.transformCallback(() => {});
                 args.onProgress = '__CHANNEL__:' + id;
                 window.__TAURI_INTERNALS__.invoke(cmd, args).then((r) => done({ ok: r }), (e) => done({ err: e }));",
                vec![serde_json::json!(cmd), args],
            )
            .await
            .unwrap()
    }

    /// Types `text` (keys from [`keys`] included) into the element that has the focus, as a user does.
    pub async fn type_keys(&self, text: &str) {
        self.client.active_element().await.unwrap().send_keys(text).await.unwrap();
    }

    /// An attribute of the element that has the focus.
    pub async fn active_attr(&self, attr: &str) -> Option<String> {
        self.client.active_element().await.unwrap().attr(attr).await.unwrap()
    }

    /// Every element matching `css`.
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Saves a screenshot to `target/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        // Let the last change be painted (WebKit under Xvfb composites a moment after the DOM changes).
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.unwrap();
        let dir = root().join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the session (the app quits) and stops the driver.
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        stop(self.driver.id(), true);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Give the app a moment to be gone before the next launch reuses its data folder.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

impl Drop for App {
    fn drop(&mut self) {
        stop(self.driver.id(), true);
        let _ = self.driver.kill();
        if let Some(x) = &mut self._xvfb {
            // SIGTERM, so that Xvfb removes its socket and lock and the display number is free again.
            stop(x.id(), false);
            let _ = x.wait();
            std::env::remove_var("DISPLAY");
        }
    }
}

/// Keys as WebDriver spells them.
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const TAB: &str = "\u{E004}";
    pub const BACKSPACE: &str = "\u{E003}";
    pub const ESCAPE: &str = "\u{E00C}";
    /// Modifiers stay down until [`RELEASE`] or the end of the `send_keys` call.
    pub const SHIFT: &str = "\u{E008}";
    pub const CONTROL: &str = "\u{E009}";
    pub const RELEASE: &str = "\u{E000}";
}
