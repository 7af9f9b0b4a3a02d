//! Builds the Tauri context with the app-command permissions.

use std::path::Path;

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
    "set_veto",
    "resolve_veto",
];

fn main() {
    let dist = Path::new("../ui/dist/index.html");
    if !dist.exists() {
        panic!("ui/dist is missing: build the UI first (`npm --prefix ui ci && npm --prefix ui run build`, or ./dev run)");
    }
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS))).expect("tauri build");
}
