//! Helpers shared by the integration tests: where the repository, its data and its binaries are.

use std::path::PathBuf;
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// `target/debug` (or wherever cargo put this test binary).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    // target/debug/deps/it-xxxx → target/debug
    exe.parent().and_then(|p| p.parent()).expect("target dir").to_path_buf()
}

/// Builds (if needed) and returns the path of a binary of the workspace, in the profile of the running test
/// or benchmark (benchmarks measure the release build).
///
/// It builds the workspace's binaries with the workspace's feature set (`--workspace --bins`), as `./dev test`
/// already did: building one package alone would unify features differently and rebuild tauri and its
/// dependencies a second time.
pub fn binary(package: &str, bin: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let release = target_dir().file_name().is_some_and(|n| n == "release");
    let args: &[&str] =
        if release { &["build", "--quiet", "--release", "--workspace", "--bins"] } else { &["build", "--quiet", "--workspace", "--bins"] };
    static BUILT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *BUILT.get_or_init(|| Command::new(cargo).current_dir(root()).args(args).status().expect("run cargo build").success());
    assert!(ok, "cargo build for {package} failed");
    let path = target_dir().join(bin);
    assert!(path.exists(), "{} not built", path.display());
    path
}

/// The sample application folders, sorted.
pub fn sample_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("sample-applications"))
        .expect("sample-applications/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("application.toml").exists())
        .collect();
    v.sort();
    v
}

pub mod crash;
pub mod e2e;

/// The sample packages as a round's applications A01, A02… in folder order; with the text of every page
/// (as the desktop reads them) when `page_texts`.
pub fn sample_applications(page_texts: bool) -> Vec<pingshen_store::rounds::NewApplication> {
    sample_dirs().iter().enumerate().map(|(i, d)| sample_application(d, &format!("A{:02}", i + 1), page_texts)).collect()
}

/// One sample package (its folder) as an application with this code.
pub fn sample_application(dir: &std::path::Path, code: &str, page_texts: bool) -> pingshen_store::rounds::NewApplication {
    let p = pingshen_import::read_package_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    pingshen_store::rounds::NewApplication {
        code: code.into(),
        application: p.application,
        materials: p
            .materials
            .into_iter()
            .map(|m| pingshen_store::rounds::NewMaterial {
                page_texts: if page_texts { pingshen_import::pdf::page_rows(&m.file, &m.content).expect("sample PDFs read") } else { Vec::new() },
                file: m.file,
                title: m.title,
                pages: m.pages,
                content: m.content,
            })
            .collect(),
    }
}
