//! The rubric library (评分标准库): the rubrics shipped with the app (`rubrics/`) and those staff imported
//! from a rubric TOML or the .xlsx template, each with its title, total, 校验码 and where it came from. A
//! round freezes one of them at creation.

use std::path::Path;

use pingshen_core::rubric::{self, fingerprint, Rubric};
use pingshen_store::{rounds, rubrics, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::overview::STAFF;
use crate::paperwork::Document;
use crate::scorefiles::file_name;
use crate::views::RubricDto;

/// Which rubric of the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RubricRef {
    /// Shipped with the app: its folder under `rubrics/`.
    Shipped { folder: String },
    /// Imported by staff: its id in the library.
    Imported {
        #[ts(type = "number")]
        id: i64,
    },
}

/// A rubric as the library lists it.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryEntryDto {
    pub rubric: RubricRef,
    pub title: String,
    /// The rubric's own identifier (`id` in its TOML).
    pub id: String,
    pub total: String,
    pub groups: u32,
    pub items: u32,
    pub vetoes: u32,
    pub deduction_cap: Option<String>,
    /// 8 groups of 4 hex digits.
    pub fingerprint: String,
    /// 随软件提供（rubrics/henan-2023） or the file it was imported from.
    pub origin: String,
    pub imported_at: Option<String>,
    /// The rounds of this machine that froze it.
    pub used_by: Vec<String>,
}

/// The text of a library rubric.
pub fn text(conn: &Connection, r: &RubricRef) -> Result<String> {
    match r {
        RubricRef::Shipped { folder } => crate::samples::SHIPPED_RUBRICS
            .iter()
            .find(|(f, _)| f == folder)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| Error::not_found(format!("没有随软件提供的评分标准 {folder}"))),
        RubricRef::Imported { id } => Ok(rubrics::get(conn, *id)?.text),
    }
}

fn parsed(text: &str) -> Result<Rubric> {
    rubric::parse(text).map_err(|e| {
        let lines: Vec<String> = e.problems.iter().map(|p| p.to_string()).collect();
        Error::with_details(ErrorKind::Rubric, format!("评分标准无效：{}", lines.join("；")), lines)
    })
}

fn entry(conn: &Connection, r: RubricRef, text: &str, origin: String, imported_at: Option<String>) -> Result<LibraryEntryDto> {
    let rubric = parsed(text)?;
    let hash = rubric.hash();
    let used_by = rounds::list(conn)?.into_iter().filter(|x| x.rubric_hash == hash).map(|x| x.name).collect();
    Ok(LibraryEntryDto {
        rubric: r,
        title: rubric.title.clone(),
        id: rubric.id.clone(),
        total: rubric.total.to_string(),
        groups: rubric.groups.len() as u32,
        items: rubric.items().count() as u32,
        vetoes: rubric.vetoes.len() as u32,
        deduction_cap: rubric.deduction.as_ref().map(|d| d.cap.to_string()),
        fingerprint: fingerprint(&hash),
        origin,
        imported_at,
        used_by,
    })
}

/// Every rubric of the library: the shipped ones, then the imported ones (newest first).
pub fn list(conn: &Connection) -> Result<Vec<LibraryEntryDto>> {
    let mut out = Vec::new();
    for (folder, text) in crate::samples::SHIPPED_RUBRICS {
        let r = RubricRef::Shipped { folder: folder.to_string() };
        out.push(entry(conn, r, text, format!("随软件提供（rubrics/{folder}）"), None)?);
    }
    for x in rubrics::list(conn)? {
        out.push(entry(conn, RubricRef::Imported { id: x.id }, &x.text, format!("导入自 {}", x.source), Some(x.imported_at))?);
    }
    Ok(out)
}

/// One rubric in full (every 一级指标 and 观测点), for the library's preview.
pub fn detail(conn: &Connection, r: &RubricRef) -> Result<RubricDto> {
    Ok((&parsed(&text(conn, r)?)?).into())
}

/// Imports a rubric TOML or an .xlsx rubric template into the library: every problem at once (in `details`,
/// each naming its line or its sheet and row), and nothing added while any exists.
pub fn import(conn: &Connection, path: &Path) -> Result<LibraryEntryDto> {
    let name = file_name(path);
    let bytes = read_limited(path)?;
    let text = if name.to_lowercase().ends_with(".toml") {
        let text = String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::Rubric, format!("{name} 不是 UTF-8 编码的文本文件")))?;
        parsed(&text).map_err(|e| Error::with_details(ErrorKind::Rubric, format!("{name}：{}", e.message), e.details))?;
        text
    } else {
        // Anything else is read as the .xlsx template and judged by its bytes (a .xls or a CSV is refused).
        match pingshen_import::rubric_xlsx::read_rubric_xlsx(&name, &bytes) {
            Ok((text, _)) => text,
            Err(problems) => {
                let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                let message = format!("{name} 有 {} 处问题，未导入：\n{}", lines.len(), lines.join("\n"));
                return Err(Error::with_details(ErrorKind::Rubric, message, lines));
            }
        }
    };
    let id = rubrics::add(conn, &text, &name, STAFF)?;
    let x = rubrics::get(conn, id)?;
    entry(conn, RubricRef::Imported { id }, &x.text, format!("导入自 {}", x.source), Some(x.imported_at))
}

/// A rubric file is small: anything larger is refused before it is read.
const RUBRIC_FILE_LIMIT: u64 = 5 << 20;

fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let name = file_name(path);
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("无法读取 {name}：{e}"));
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > RUBRIC_FILE_LIMIT {
        return Err(Error::new(ErrorKind::Rubric, format!("{name} 有 {} MB，评分标准文件不应超过 5 MB，请确认选择的文件", size >> 20)));
    }
    std::fs::read(path).map_err(io)
}

/// The .xlsx rubric template (保存评分标准模板) filled with a rubric of the library, for staff to edit in
/// Excel or WPS and import back.
pub fn template(conn: &Connection, r: &RubricRef) -> Result<Document> {
    let rubric = parsed(&text(conn, r)?)?;
    let name = format!("评分标准模板-{}.xlsx", pingshen_core::names::safe_file_name(&rubric.title));
    Ok(Document::new(name, pingshen_import::rubric_xlsx::write_template(&rubric)))
}

/// Removes an imported rubric that no round uses.
pub fn remove(conn: &Connection, r: &RubricRef) -> Result<()> {
    match r {
        RubricRef::Shipped { .. } => Err(Error::invalid("随软件提供的评分标准不能删除")),
        RubricRef::Imported { id } => Ok(rubrics::remove(conn, *id, STAFF)?),
    }
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![RubricRef::decl(), LibraryEntryDto::decl()]
}
