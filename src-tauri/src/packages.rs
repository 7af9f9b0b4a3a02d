//! Application packages arriving at the staff machine: read a folder or .zip (off the UI thread), add it to
//! the round all or nothing, and say what came in and what staff must check.

use pingshen_import::arrive::{self, Arrival, Origin};
use pingshen_import::FormSource;
use pingshen_store::applications::{self, Source};
use pingshen_store::rounds::{NewApplication, NewMaterial};
use pingshen_store::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CmdResult, CommandError, ErrorKind};

/// What importing one package did.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageImportDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// How the 推荐书 came in, in words: 标准格式 / Word/WPS 文档 / PDF / 扫描件.
    pub origin: String,
    pub needs_manual_entry: bool,
    /// What the 推荐书 reader could not read, for staff to check.
    pub notes: Vec<String>,
    pub materials: i32,
    pub pages: i32,
    pub scanned_pages: i32,
    /// Errors and warnings of the 形式审查.
    pub errors: i32,
    pub warnings: i32,
}

/// Reads a package on a blocking thread (PDF text extraction takes a while on big materials).
pub async fn read(path: std::path::PathBuf) -> CmdResult<Arrival> {
    tauri::async_runtime::spawn_blocking(move || arrive::read(&path))
        .await
        .map_err(|e| CommandError::new(ErrorKind::Io, format!("后台任务异常中止：{e}")))?
        .map_err(|e| CommandError::new(ErrorKind::Package, format!("申报材料未导入（未做任何改动）：{e}")))
}

/// Adds what was read to the round.
pub fn add(conn: &mut Connection, round_id: i64, a: Arrival, actor: &str) -> CmdResult<PackageImportDto> {
    let (source, origin) = match a.origin {
        Origin::Canonical => (Source::Canonical, "标准格式"),
        Origin::Form(FormSource::Docx) => (Source::Docx, "Word/WPS 文档"),
        Origin::Form(FormSource::Pdf) => (Source::Pdf, "PDF"),
        Origin::Form(FormSource::Scanned) => (Source::Scanned, "扫描件"),
    };
    let pages: usize = a.materials.iter().map(|(_, p)| p.len()).sum();
    let scanned: usize = a.materials.iter().map(|(_, p)| p.iter().filter(|t| t.scanned).count()).sum();
    let new = NewApplication {
        code: String::new(),
        application: a.application,
        materials: a
            .materials
            .into_iter()
            .map(|(m, p)| NewMaterial {
                file: m.file,
                title: m.title,
                pages: p.len() as u32,
                content: m.content,
                page_texts: p.into_iter().map(|t| (t.page, t.text, t.scanned)).collect(),
            })
            .collect(),
    };
    let materials = new.materials.len() as i32;
    let (id, code) = applications::add(conn, round_id, &new, source, a.needs_manual_entry, actor)?;
    let (row, app) = applications::get(conn, id)?;
    let findings = pingshen_core::formal::check(&app, &applications::material_infos(conn, id)?, a.needs_manual_entry);
    let count = |s: pingshen_core::formal::Severity| findings.iter().filter(|f| f.severity == s).count() as i32;
    Ok(PackageImportDto {
        application_id: id,
        code,
        name: row.name,
        origin: origin.into(),
        needs_manual_entry: a.needs_manual_entry,
        notes: a.notes,
        materials,
        pages: pages as i32,
        scanned_pages: scanned as i32,
        errors: count(pingshen_core::formal::Severity::Error),
        warnings: count(pingshen_core::formal::Severity::Warning),
    })
}

pub fn typescript_decls() -> Vec<String> {
    vec![PackageImportDto::decl()]
}
