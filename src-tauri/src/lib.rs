//! The Pingshen desktop app: a Tauri 2 shell around the application layer (`pingshen-app`).
//!
//! `run` opens the database in the user's data directory (or `--data-dir`, `$PINGSHEN_DATA_DIR`, or beside the
//! executable when it is portable: [`chosen_data_dir`]), optionally loads the
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

/// The name of the marker file that makes an installation portable: beside the executable, it keeps the data
/// in [`PORTABLE_DIR`] beside the executable too (a review-room laptop run from a USB stick).
pub const PORTABLE_MARKER: &str = "portable";
/// The data folder of a portable installation, beside the executable.
pub const PORTABLE_DIR: &str = "pingshen-data";

/// Where the database lives, in this order: `--data-dir <folder>` (or `--data-dir=<folder>`) on the command
/// line; `$PINGSHEN_DATA_DIR` (tests); [`PORTABLE_DIR`] beside the executable when a [`PORTABLE_MARKER`]
/// file is there; `None`: the OS's app data directory. `docs/portable.md`.
pub fn chosen_data_dir(args: &[String], env: Option<PathBuf>, exe_dir: Option<&std::path::Path>) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--data-dir" {
            if let Some(d) = it.next() {
                return Some(PathBuf::from(d));
            }
        } else if let Some(d) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(d));
        }
    }
    if let Some(d) = env {
        return Some(d);
    }
    let exe_dir = exe_dir?;
    exe_dir.join(PORTABLE_MARKER).is_file().then(|| exe_dir.join(PORTABLE_DIR))
}

fn data_dir(app: &tauri::App) -> anyhow::Result<PathBuf> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let exe = std::env::current_exe().ok();
    match chosen_data_dir(&args, std::env::var_os("PINGSHEN_DATA_DIR").map(PathBuf::from), exe.as_deref().and_then(|e| e.parent())) {
        Some(d) => Ok(d),
        None => app.path().app_data_dir().context("找不到用户数据目录"),
    }
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
            commands::recommendation,
            commands::recommendation_set_line,
            commands::recommendation_set_publicity,
            commands::recommendation_decide_tie,
            commands::recommendation_confirm,
            commands::recommendation_reopen,
            commands::recommendation_preview,
            commands::set_opinion,
            commands::recommendation_tally,
            commands::list_reconsiderations,
            commands::open_reconsideration,
            commands::reconsider_scores,
            commands::close_reconsideration,
            commands::reconsider_own_scores,
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{chosen_data_dir, PORTABLE_DIR, PORTABLE_MARKER};

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_data_dir_comes_from_the_command_line_the_environment_the_marker_or_the_os() {
        let exe = tempfile::tempdir().unwrap();
        let env = Some(PathBuf::from("/env"));
        assert_eq!(chosen_data_dir(&args(&["--data-dir", "/u盘/数据"]), env.clone(), Some(exe.path())), Some(PathBuf::from("/u盘/数据")));
        assert_eq!(chosen_data_dir(&args(&["--load-samples", "--data-dir=/d"]), env.clone(), Some(exe.path())), Some(PathBuf::from("/d")));
        assert_eq!(chosen_data_dir(&args(&["--data-dir"]), None, Some(exe.path())), None, "a flag without its folder is ignored");
        assert_eq!(chosen_data_dir(&[], env.clone(), Some(exe.path())), env);
        assert_eq!(chosen_data_dir(&[], None, Some(exe.path())), None, "no marker: the OS's folder");
        std::fs::write(exe.path().join(PORTABLE_MARKER), "").unwrap();
        assert_eq!(chosen_data_dir(&[], None, Some(exe.path())), Some(exe.path().join(PORTABLE_DIR)));
        assert_eq!(chosen_data_dir(&[], None, None::<&Path>), None);
    }
}
