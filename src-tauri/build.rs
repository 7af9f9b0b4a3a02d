//! Builds the Tauri context (with the app-command permissions) and embeds the sample round's data.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every app command; each gets an `allow-…` permission, granted in capabilities/main.json.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_rounds",
    "create_sample_round",
    "get_round",
    "list_applications",
    "open_scoring",
    "set_score",
    "set_comment",
    "set_deduction",
    "consolidation_overview",
    "import_paper_scores",
    "settle_flag",
    "resolve_deduction",
    "summary_preview",
    "export_paperwork",
    "submit_sheet",
    "export_score_file",
    "export_expert_sheets",
    "import_score_files",
    "set_consolidation_settings",
    "save_score_template",
    "set_recusal",
    "reopen_sheet",
    "compare_item",
    "list_experts",
    "add_expert",
    "update_expert",
    "remove_expert",
    "declaration",
    "sign_declaration",
    "import_experts",
    "save_expert_template",
    "export_declaration",
    "export_audit_log",
    "export_round_file",
    "inspect_round_file",
    "open_round_file",
    "cancel_long_task",
    "choose_expert",
    "take_pending_round_file",
    "material_bytes",
    "pin_evidence",
    "unpin_evidence",
    "formal_checks",
    "key_fields",
    "enter_key_fields",
    "search_sheet",
    "evidence_suggestions",
    "import_package",
];

fn main() {
    embed_samples();
    let dist = Path::new("../ui/dist/index.html");
    if !dist.exists() {
        panic!("ui/dist is missing: build the UI first (`npm --prefix ui ci && npm --prefix ui run build`, or ./dev run)");
    }
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS))).expect("tauri build");
}

/// Writes `$OUT_DIR/samples.rs`: the Henan rubric and every sample package as `include_bytes!`.
fn embed_samples() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    let rubric = root.join("rubrics/henan-2023/rubric.toml");
    println!("cargo:rerun-if-changed={}", rubric.display());
    let samples = root.join("sample-applications");
    println!("cargo:rerun-if-changed={}", samples.display());
    let mut out = String::new();
    writeln!(out, "pub const HENAN_RUBRIC: &str = include_str!({:?});", rubric.canonicalize().unwrap()).unwrap();
    writeln!(out, "pub const SAMPLES: &[(&str, &[(&str, &[u8])])] = &[").unwrap();
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&samples).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("application.toml").exists()).collect();
    dirs.sort();
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(out, "    ({name:?}, &[").unwrap();
        let mut files = vec![("application.toml".to_string(), d.join("application.toml"))];
        let mdir = d.join("materials");
        if mdir.is_dir() {
            println!("cargo:rerun-if-changed={}", mdir.display());
            let mut m: Vec<_> = std::fs::read_dir(&mdir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
            m.sort();
            for p in m {
                files.push((format!("materials/{}", p.file_name().unwrap().to_string_lossy()), p));
            }
        }
        for (rel, p) in files {
            println!("cargo:rerun-if-changed={}", p.display());
            writeln!(out, "        ({rel:?}, include_bytes!({:?})),", p.canonicalize().unwrap()).unwrap();
        }
        writeln!(out, "    ]),").unwrap();
    }
    writeln!(out, "];").unwrap();
    std::fs::write(PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("samples.rs"), out).unwrap();
}
