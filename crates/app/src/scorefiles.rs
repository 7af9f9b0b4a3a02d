//! Scores between machines and from paper: an expert's score file written on their laptop, score files and
//! the paper-score spreadsheet imported on the staff machine (each file all or nothing), and the blank
//! spreadsheet template.

use std::path::{Path, PathBuf};

use pingshen_store::{applications, experts, panel, rounds, Connection};

use crate::error::{Error, ErrorKind, Result};
use crate::ids::{ExpertId, RoundId};
use crate::overview::STAFF;
use crate::paperwork::Document;
use crate::views::{PaperImportDto, ScoreFileImportDto};

/// The name of a file as the user sees it (for messages and summaries).
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Imports a score spreadsheet typed in from paper into the round: every row checked first (all problems
/// at once, with file and row, also in `details`), then written in one transaction.
pub fn import_paper(conn: &mut Connection, round: RoundId, path: &Path) -> Result<PaperImportDto> {
    let rubric = rounds::rubric(conn, round.0)?;
    let apps: Vec<String> = applications::list(conn, round.0)?.into_iter().map(|a| a.code).collect();
    let experts: Vec<String> = experts::list(conn, round.0)?.into_iter().map(|e| e.expert.code).collect();
    let file = file_name(path);
    crate::backups::snapshot_before(conn, "导入纸质评分")?;
    let imported = pingshen_import::scores::read_scores_file(path, &rubric, Some(&apps), Some(&experts)).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let message = format!("评分表有 {} 处问题，未导入任何数据：\n{}", lines.len(), lines.join("\n"));
        Error::with_details(ErrorKind::Spreadsheet, message, lines)
    })?;
    let done = panel::import_paper(conn, round.0, &imported.input.cells, &imported.opinions, &file, STAFF)?;
    Ok(PaperImportDto { file, sheets: done.sheets as i32, recusals: done.recusals as i32 })
}

/// Imports score files one by one: each is all or nothing; a refused file is reported and the next one
/// still goes in.
pub fn import_score_files(conn: &mut Connection, round: RoundId, paths: &[PathBuf]) -> Result<Vec<ScoreFileImportDto>> {
    crate::backups::snapshot_before(conn, "导入评分文件")?;
    Ok(paths
        .iter()
        .map(|path| {
            let file = file_name(path);
            let result = std::fs::read(path)
                .map_err(|e| format!("无法读取：{e}"))
                .and_then(|bytes| pingshen_core::scorefile::parse_bytes(&bytes).map_err(|e| e.to_string()))
                .and_then(|sf| pingshen_store::scorefiles::import(conn, round.0, &sf, STAFF).map_err(|e| e.to_string()));
            match result {
                Ok(report) => ScoreFileImportDto { file, imported: true, message: report.summary_zh() },
                Err(message) => ScoreFileImportDto { file, imported: false, message },
            }
        })
        .collect())
}

/// An expert's score file, ready to save.
pub struct ScoreFileOut {
    pub document: Document,
    /// 8 groups of 4 hex digits, as printed on the 专家评分表.
    pub short_hash: String,
    pub sheets: usize,
}

/// The expert's submitted sheets as a score file, stamped `exported_at`.
pub fn export_score_file(conn: &Connection, round: RoundId, expert: ExpertId, exported_at: &str) -> Result<ScoreFileOut> {
    let file = pingshen_store::scorefiles::export(conn, round.0, expert.0, exported_at)?;
    Ok(ScoreFileOut { document: Document::new(file.file_name(), file.to_json()), short_hash: file.short_hash(), sheets: file.sheets.len() })
}

/// The blank paper-score template of the round (.xlsx): its experts and applications filled in.
pub fn score_template(conn: &Connection, round: RoundId) -> Result<Document> {
    let rubric = rounds::rubric(conn, round.0)?;
    let experts: Vec<(String, String)> = experts::list(conn, round.0)?.into_iter().map(|e| (e.expert.code, e.expert.name)).collect();
    let apps: Vec<String> = applications::list(conn, round.0)?.into_iter().map(|a| a.code).collect();
    Ok(Document::new("纸质评分录入表.xlsx", pingshen_import::scores::write_template_xlsx(&rubric, &experts, &apps)))
}
