//! The Pingshen desktop app: a Tauri 2 shell around the application layer (`pingshen-app`).
//!
//! `run` opens the database in the user's data directory (or `$PINGSHEN_DATA_DIR`), optionally loads the
//! sample round (`--load-samples`), and serves the Vue UI embedded from `ui/dist`. Commands are adapters:
//! decode, call a use case, encode its view (whose TypeScript twins [`bindings`] generates into
//! `ui/src/ipc/bindings.ts`).

pub mod bindings;
pub mod commands;
pub mod dialogs;
pub mod error;
pub mod pdf;
pub mod state;

use std::path::PathBuf;

use anyhow::Context as _;
use serde::Serialize;
use tauri::Manager;
use ts_rs::TS;

/// About this installation.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub schema_version: i32,
    /// Why the database could not be opened (the app then shows this and nothing else).
    pub db_error: Option<String>,
}

/// Where the database lives: `$PINGSHEN_DATA_DIR` if set (tests, portable installs), else the OS's app
/// data directory.
fn data_dir(app: &tauri::App) -> anyhow::Result<PathBuf> {
    if let Some(d) = std::env::var_os("PINGSHEN_DATA_DIR") {
        return Ok(PathBuf::from(d));
    }
    app.path().app_data_dir().context("找不到用户数据目录")
}

/// Opens (or creates) the database; on failure, the message the window will show.
fn open_database(dir: &std::path::Path, db_path: &std::path::Path, load_samples: bool) -> Result<pingshen_store::Connection, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建数据目录 {}：{e}", dir.display()))?;
    let mut conn = pingshen_store::open(db_path).map_err(|e| e.to_string())?;
    if load_samples {
        pingshen_app::samples::ensure_sample_round(&mut conn).map_err(|e| format!("样例评审批次载入失败：{}", e.message))?;
    }
    Ok(conn)
}

/// Starts the app.
pub fn run() {
    let load_samples = std::env::args().any(|a| a == "--load-samples");
    tauri::Builder::default()
        .setup(move |app| {
            let dir = data_dir(app)?;
            let db_path = dir.join("pingshen.db");
            let db = open_database(&dir, &db_path, load_samples);
            if let Err(e) = &db {
                eprintln!("pingshen: {e}");
            }
            app.manage(state::AppState::new(db, db_path, pingshen_app::handout::from_args(std::env::args())));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_rounds,
            commands::create_sample_round,
            commands::get_round,
            commands::list_applications,
            commands::open_scoring,
            commands::set_score,
            commands::set_comment,
            commands::set_deduction,
            commands::consolidation_overview,
            commands::import_paper_scores,
            commands::settle_flag,
            commands::resolve_deduction,
            commands::summary_preview,
            commands::export_paperwork,
            commands::submit_sheet,
            commands::export_score_file,
            commands::export_expert_sheets,
            commands::import_score_files,
            commands::set_consolidation_settings,
            commands::save_score_template,
            commands::set_recusal,
            commands::reopen_sheet,
            commands::compare_item,
            commands::list_experts,
            commands::add_expert,
            commands::update_expert,
            commands::remove_expert,
            commands::declaration,
            commands::sign_declaration,
            commands::import_experts,
            commands::save_expert_template,
            commands::export_declaration,
            commands::export_audit_log,
            commands::export_round_file,
            commands::inspect_round_file,
            commands::open_round_file,
            commands::cancel_long_task,
            commands::choose_expert,
            commands::take_pending_round_file,
            commands::material_bytes,
            commands::pin_evidence,
            commands::unpin_evidence,
            commands::formal_checks,
            commands::key_fields,
            commands::enter_key_fields,
            commands::search_sheet,
            commands::evidence_suggestions,
            commands::import_package,
            commands::create_round,
            commands::update_round,
            commands::close_round,
            commands::reopen_round,
            commands::delete_round,
            commands::list_rubrics,
            commands::rubric_detail,
            commands::import_rubric,
            commands::remove_rubric,
            commands::save_rubric_template,
            commands::backup_round,
            commands::inspect_backup,
            commands::restore_backup,
            commands::list_snapshots,
            commands::restore_snapshot,
            commands::set_veto,
            commands::resolve_veto,
            commands::save_pdf,
            commands::set_leader,
            commands::panel_opinions,
            commands::save_panel_opinion,
            commands::opinions_preview,
            commands::export_opinions,
            commands::site_visits,
            commands::save_site_visit,
            commands::delete_site_visit,
            commands::propose_visit_veto,
            commands::visits_preview,
            commands::export_visits,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Pingshen app");
}
