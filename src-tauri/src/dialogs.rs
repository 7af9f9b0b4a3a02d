//! Native file dialogs (rfd over GTK) and writing what the user chose to save. The only place that opens a
//! dialog.
//!
//! **The page cannot name files.** A command's `path` from the page is ignored (the dialog opens instead)
//! unless the app was started with `PINGSHEN_E2E_PAGE_PATHS=1`, which only the end-to-end tests' harness sets
//! (they cannot click in a native dialog). A command that acts on a file the page names back (opening a round
//! file or restoring a backup after showing what it holds) accepts only a file the user chose in a dialog in
//! this session, or the one the app was started with ([`chosen`]).

use std::collections::HashSet;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use pingshen_app::paperwork::Document;

use crate::error::{CmdResult, CommandError, ErrorKind};

/// Whether the page may name files: only under the end-to-end tests (`PINGSHEN_E2E_PAGE_PATHS=1`).
fn page_paths_allowed() -> bool {
    static ALLOWED: OnceLock<bool> = OnceLock::new();
    *ALLOWED.get_or_init(|| std::env::var("PINGSHEN_E2E_PAGE_PATHS").is_ok_and(|v| v == "1"))
}

/// The files chosen in a dialog (or given to the app at start) in this session.
fn chosen_files() -> &'static Mutex<HashSet<PathBuf>> {
    static CHOSEN: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    CHOSEN.get_or_init(Mutex::default)
}

/// Remembers a file the user chose (or the app was started with), so that a later command may act on it.
pub fn remember(path: &std::path::Path) {
    chosen_files().lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_path_buf());
}

fn is_chosen(path: &std::path::Path) -> bool {
    chosen_files().lock().unwrap_or_else(|p| p.into_inner()).contains(path)
}

/// A path the page names back: one the user chose in a dialog in this session (or the app was started with);
/// anything else is refused.
pub fn chosen(path: &str) -> CmdResult<PathBuf> {
    page_path(Some(path.to_string()), page_paths_allowed())
        .ok_or_else(|| CommandError::new(ErrorKind::InvalidInput, "只能打开在对话框中选择的文件：请重新选择文件"))
}

/// The path the page gave when `allowed` (the end-to-end tests) or when the user chose it before, else
/// `None`: the dialog decides.
fn page_path(given: Option<String>, allowed: bool) -> Option<PathBuf> {
    given.map(PathBuf::from).filter(|p| allowed || is_chosen(p))
}

/// What the user picks in the dialog `ask` opens (remembered, see [`chosen`]); `None` when they cancel. A
/// path from the page is used only under the end-to-end tests.
pub async fn given_or(given: Option<String>, ask: impl Future<Output = Option<PathBuf>>) -> Option<PathBuf> {
    let path = match page_path(given, page_paths_allowed()) {
        Some(p) => Some(p),
        None => ask.await,
    };
    if let Some(p) = &path {
        remember(p);
    }
    path
}

/// Asks for one file of a kind; `None` when the user cancels.
async fn pick_one(window: &tauri::Window, title: &str, kind: &str, extensions: &[&str]) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new().set_title(title).add_filter(kind, extensions).set_parent(window).pick_file().await.map(|f| f.path().to_path_buf())
}

/// Asks for a score spreadsheet (.xlsx or CSV UTF-8); `None` when the user cancels.
pub async fn pick_spreadsheet(window: &tauri::Window) -> Option<PathBuf> {
    pick_one(window, "选择纸质评分录入表", "评分表（Excel/WPS 工作簿或 CSV UTF-8）", &["xlsx", "csv"]).await
}

/// Asks for a folder to save documents in; `None` when the user cancels.
pub async fn pick_folder(window: &tauri::Window) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new().set_title("选择保存评审材料的文件夹").set_parent(window).pick_folder().await.map(|f| f.path().to_path_buf())
}

/// Writes files into `dir` (created if missing); every file is written to a temporary name first and renamed,
/// so a failure never leaves a half-written document. Returns the written paths.
fn write_files(dir: &std::path::Path, files: &[(&str, &[u8])]) -> CmdResult<Vec<String>> {
    let fail = |what: &std::path::Path, e: std::io::Error| CommandError::new(ErrorKind::Io, format!("无法写入 {}：{e}", what.display()));
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.part"));
        std::fs::write(&tmp, bytes).map_err(|e| fail(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| fail(&path, e))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// Asks where to save a file; `None` when the user cancels.
pub async fn save_file(window: &tauri::Window, title: &str, suggested: &str, kind: &str, extension: &str) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_file_name(suggested)
        .add_filter(kind, &[extension])
        .set_parent(window)
        .save_file()
        .await
        .map(|f| f.path().to_path_buf())
}

/// Asks for score files to import (several at once); `None` when the user cancels.
pub async fn pick_score_files(window: &tauri::Window) -> Option<Vec<PathBuf>> {
    rfd::AsyncFileDialog::new()
        .set_title("选择专家交回的评分文件（可多选）")
        .add_filter("评审台评分文件", &["json"])
        .set_parent(window)
        .pick_files()
        .await
        .map(|v| v.into_iter().map(|f| f.path().to_path_buf()).collect())
}

/// What a "save as" dialog says and offers.
pub struct Save {
    pub title: &'static str,
    pub kind: &'static str,
    pub extension: &'static str,
}

impl Save {
    pub const SCORE_FILE: Save = Save { title: "保存评分文件", kind: "评审台评分文件", extension: "json" };
    pub const EXPERT_SHEETS: Save = Save { title: "保存专家评分表", kind: HTML, extension: "html" };
    pub const DECLARATION: Save = Save { title: "保存回避声明与承诺书", kind: HTML, extension: "html" };
    pub const AUDIT_LOG: Save = Save { title: "保存审计日志", kind: HTML, extension: "html" };
    pub const WORKBOOK_SCORES: Save = Save { title: "保存纸质评分录入表", kind: WORKBOOK, extension: "xlsx" };
    pub const WORKBOOK_EXPERTS: Save = Save { title: "保存专家名单模板", kind: WORKBOOK, extension: "xlsx" };
    pub const PDF: Save = Save { title: "另存为 PDF", kind: "PDF 文档", extension: "pdf" };
    pub const WORKBOOK_RUBRIC: Save = Save { title: "保存评分标准模板", kind: WORKBOOK, extension: "xlsx" };
}

const HTML: &str = "网页（可打印为 PDF）";
const WORKBOOK: &str = "Excel 工作簿";

/// Writes `doc` to `path`, or where the user chooses in the save dialog (its file name suggested); `None`
/// when they cancel, else the written path.
pub async fn save(window: &tauri::Window, path: Option<String>, what: Save, doc: &Document) -> CmdResult<Option<String>> {
    let ask = save_file(window, what.title, &doc.file_name, what.kind, what.extension);
    let Some(path) = given_or(path, ask).await else { return Ok(None) };
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| doc.file_name.clone());
    Ok(write_files(dir, &[(&name, &doc.bytes)])?.pop())
}

/// Writes the documents `make` renders into the folder the page gave (e2e) or the user picks; `None` when they
/// cancel, else the written paths. Nothing is rendered before the folder is known.
pub async fn export_to_folder(
    window: &tauri::Window,
    dir: Option<String>,
    make: impl FnOnce() -> CmdResult<Vec<Document>>,
) -> CmdResult<Option<Vec<String>>> {
    let Some(dir) = given_or(dir, pick_folder(window)).await else { return Ok(None) };
    write_documents(&dir, &make()?).map(Some)
}

/// Writes documents into `dir` under their own names; the written paths back.
pub fn write_documents(dir: &std::path::Path, docs: &[Document]) -> CmdResult<Vec<String>> {
    let files: Vec<(&str, &[u8])> = docs.iter().map(|d| (d.file_name.as_str(), d.bytes.as_slice())).collect();
    write_files(dir, &files)
}

/// Asks for an expert list (.xlsx or CSV UTF-8); `None` when the user cancels.
pub async fn pick_expert_list(window: &tauri::Window) -> Option<PathBuf> {
    pick_one(window, "选择专家名单", "专家名单（Excel/WPS 工作簿或 CSV UTF-8）", &["xlsx", "csv"]).await
}

/// Asks for a rubric to import (TOML or the .xlsx template); `None` when the user cancels.
pub async fn pick_rubric(window: &tauri::Window) -> Option<PathBuf> {
    pick_one(window, "选择评分标准", "评分标准（评审台 TOML 或 Excel/WPS 模板）", &["toml", "xlsx"]).await
}

/// Asks for a round backup (备份文件); `None` when the user cancels.
pub async fn pick_backup(window: &tauri::Window) -> Option<PathBuf> {
    pick_one(window, "选择评审批次备份", "评审台备份文件", &[pingshen_backup::EXTENSION]).await
}

/// Asks for a round file (评审包); `None` when the user cancels.
pub async fn pick_round_file(window: &tauri::Window) -> Option<PathBuf> {
    pick_one(window, "选择评审包", "评审台评审包", &["pingshen-round"]).await
}

/// Asks for an application package: a .zip (`folder` false) or a folder; `None` when the user cancels.
pub async fn pick_package(window: &tauri::Window, folder: bool) -> Option<PathBuf> {
    if folder {
        rfd::AsyncFileDialog::new().set_title("选择申报材料文件夹").set_parent(window).pick_folder().await.map(|f| f.path().to_path_buf())
    } else {
        pick_one(window, "选择申报材料压缩包", "申报材料（zip 压缩包）", &["zip"]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_no_file_outside_the_end_to_end_tests() {
        assert_eq!(page_path(Some("/etc/passwd".into()), false), None, "ignored: the dialog opens instead");
        assert_eq!(page_path(Some("/tmp/a.json".into()), true), Some(PathBuf::from("/tmp/a.json")));
        assert_eq!(page_path(None, true), None);
        remember(std::path::Path::new("/media/u盘/双击打开的.pingshen-round"));
        assert_eq!(
            page_path(Some("/media/u盘/双击打开的.pingshen-round".into()), false),
            Some(PathBuf::from("/media/u盘/双击打开的.pingshen-round"))
        );
    }

    #[test]
    fn only_a_chosen_file_can_be_named_back() {
        // The tests of this crate run without PINGSHEN_E2E_PAGE_PATHS.
        assert!(!page_paths_allowed());
        let e = chosen("/home/someone/评审包.pingshen-round").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        remember(std::path::Path::new("/media/u盘/评审包.pingshen-round"));
        assert_eq!(chosen("/media/u盘/评审包.pingshen-round").unwrap(), PathBuf::from("/media/u盘/评审包.pingshen-round"));
    }
}
