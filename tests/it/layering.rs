//! Crate boundaries, checked from `cargo metadata` and the sources (see ARCHITECTURE.md, "Invariants").

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use pingshen_tests::root;
use serde_json::Value;

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo).current_dir(root()).args(["metadata", "--format-version", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (package name, dependency name, kind) for every direct dependency of every workspace member.
fn direct_deps(meta: &Value) -> Vec<(String, String, String)> {
    let members: BTreeSet<&str> = meta["workspace_members"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let mut v = Vec::new();
    for p in meta["packages"].as_array().unwrap() {
        if !members.contains(p["id"].as_str().unwrap()) {
            continue;
        }
        for d in p["dependencies"].as_array().unwrap() {
            let kind = d["kind"].as_str().unwrap_or("normal").to_string();
            v.push((p["name"].as_str().unwrap().to_string(), d["name"].as_str().unwrap().to_string(), kind));
        }
    }
    v
}

/// The names of every package `package` reaches through normal (not dev, not build) dependencies.
fn reachable(meta: &Value, package: &str) -> BTreeSet<String> {
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let by_id: HashMap<&str, &Value> = nodes.iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    let name_of: HashMap<&str, &str> =
        meta["packages"].as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap())).collect();
    let start = name_of.iter().find(|(_, n)| **n == package).map(|(id, _)| *id).unwrap_or_else(|| panic!("{package} is a workspace member"));
    let mut stack = vec![start];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for d in by_id[id]["deps"].as_array().unwrap() {
            let normal = d["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null());
            if normal {
                stack.push(d["pkg"].as_str().unwrap());
            }
        }
    }
    seen.into_iter().filter(|id| *id != start).map(|id| name_of[id].to_string()).collect()
}

#[test]
fn core_depends_only_on_pure_crates_directly_and_transitively() {
    let meta = metadata();
    let allowed = ["serde", "serde_json", "toml", "thiserror", "sha2"];
    for (pkg, dep, kind) in direct_deps(&meta) {
        if pkg == "pingshen-core" && kind == "normal" {
            assert!(allowed.contains(&dep.as_str()), "pingshen-core must stay pure; it gained `{dep}`");
        }
    }
    // Transitively: nothing that does IO, async, storage or UI may be reachable from core.
    let forbidden = ["rusqlite", "libsqlite3-sys", "tokio", "tauri", "rfd", "ts-rs", "tera", "reqwest", "hyper", "mio"];
    for n in reachable(&meta, "pingshen-core") {
        assert!(!forbidden.contains(&n.as_str()), "pingshen-core reaches `{n}`");
    }
}

#[test]
fn the_application_layer_knows_no_window_no_async_runtime_and_no_dialog() {
    let meta = metadata();
    let forbidden = ["tauri", "tauri-build", "wry", "tao", "gtk", "webkit2gtk", "rfd", "tokio", "async-std", "anyhow"];
    let reached = reachable(&meta, "pingshen-app");
    for n in &reached {
        assert!(!forbidden.contains(&n.as_str()), "pingshen-app reaches `{n}`");
    }
    assert!(reached.contains("pingshen-store") && reached.contains("pingshen-core"), "{reached:?}");
}

#[test]
fn the_libraries_below_the_application_layer_do_not_depend_on_it_or_on_the_desktop() {
    let below = ["pingshen-core", "pingshen-store", "pingshen-import", "pingshen-report", "pingshen-handout", "pingshen-backup"];
    let meta = metadata();
    for pkg in below {
        let reached = reachable(&meta, pkg);
        for above in ["pingshen-app", "pingshen-desktop", "pingshen-cli"] {
            assert!(!reached.contains(above), "{pkg} depends on {above}");
        }
    }
}

#[test]
fn report_depends_only_on_core_templates_and_the_workbook_writer() {
    let allowed = ["pingshen-core", "tera", "rust_xlsxwriter", "zip", "lopdf", "serde", "serde_json", "thiserror"];
    let mut seen = false;
    for (pkg, dep, kind) in direct_deps(&metadata()) {
        if pkg == "pingshen-report" && kind == "normal" {
            seen = true;
            assert!(allowed.contains(&dep.as_str()), "pingshen-report may depend only on {allowed:?}; it gained `{dep}`");
        }
    }
    assert!(seen, "pingshen-report is a workspace member");
}

#[test]
fn report_sources_do_no_io_and_embed_their_templates() {
    // Tests may read files; the library may not (templates come in with include_str!, documents go out as
    // String / Vec<u8>, the date is passed in).
    let banned = ["std::fs", "std::net", "std::process", "std::env", "SystemTime", "Instant::now", "File::", "println!", "tokio", "tauri"];
    let dir = root().join("crates/report/src");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "rs") || p.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        n += 1;
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.trim_start().starts_with("//!"), "{} must open with a `//!` paragraph", p.display());
        for b in banned {
            assert!(!text.contains(b), "{} uses `{b}`: the report crate does no IO", p.display());
        }
    }
    assert!(n >= 3);
    // The HTML loads nothing from anywhere (the app's CSP and the offline review room).
    for e in std::fs::read_dir(root().join("crates/report/templates")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        for b in ["http:", "https:", "<link", "<script", "url(", "@import"] {
            assert!(!text.contains(b), "{} contains `{b}`", p.display());
        }
    }
}

#[test]
fn only_the_desktop_crate_depends_on_tauri_rfd_and_tokio_and_only_it_and_app_on_ts_rs() {
    let desktop_only = ["tauri", "tauri-build", "tauri-plugin-dialog", "rfd", "tokio", "ts-rs"];
    for (pkg, dep, kind) in direct_deps(&metadata()) {
        if !desktop_only.contains(&dep.as_str()) || pkg == "pingshen-desktop" {
            continue;
        }
        // The application layer's views are the IPC wire types: their TypeScript twins are derived there.
        if pkg == "pingshen-app" && dep == "ts-rs" {
            continue;
        }
        // The end-to-end tests run their WebDriver client on tokio; they never link tauri.
        let test_runtime = pkg == "pingshen-tests" && dep == "tokio";
        assert!(test_runtime, "`{pkg}` depends on `{dep}` ({kind}); only src-tauri may");
    }
}

#[test]
fn core_sources_do_no_io_and_every_module_says_what_it_is_for() {
    let banned = ["std::fs", "std::net", "std::process", "std::env", "SystemTime", "Instant::now", "File::", "std::io::stdin", "println!"];
    let mut files = Vec::new();
    let mut dirs = vec![root().join("crates/core/src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 5);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let is_test = f.file_name().is_some_and(|n| n == "tests.rs");
        if !is_test {
            assert!(text.trim_start().starts_with("//!"), "{} must open with a `//!` paragraph", f.display());
        }
        for b in banned {
            // A whole word only: `ScoreFile::` is not `File::`.
            let used = text.match_indices(b).any(|(i, _)| !text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'));
            assert!(!used, "{} uses `{b}`: core does no IO", f.display());
        }
    }
}
