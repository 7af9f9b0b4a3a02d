//! Native file dialogs (rfd over GTK). The only place that opens one; tests pass paths instead.

use std::path::PathBuf;

/// Asks for a score spreadsheet (.xlsx or CSV UTF-8); `None` when the user cancels.
pub async fn pick_spreadsheet(window: &tauri::Window) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title("选择纸质评分录入表")
        .add_filter("评分表（Excel/WPS 工作簿或 CSV UTF-8）", &["xlsx", "csv"])
        .set_parent(window)
        .pick_file()
        .await
        .map(|f| f.path().to_path_buf())
}
