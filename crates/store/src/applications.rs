//! Applications of a round and their materials.

use pingshen_core::application::{parse_application, Application};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::rounds::NewMaterial;
use crate::{Result, StoreError};

/// An application as listed in its round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRow {
    pub id: i64,
    pub round_id: i64,
    /// 申报编号
    pub code: String,
    /// 联合体名称
    pub name: String,
}

/// A material file's description (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaterialRow {
    pub id: i64,
    pub file: String,
    pub title: String,
    pub pages: u32,
    pub sha256: String,
    pub size: i64,
}

pub(crate) fn insert(tx: &Transaction<'_>, round_id: i64, code: &str, body: &str, name: &str, materials: &[NewMaterial]) -> Result<i64> {
    tx.execute("INSERT INTO application (round_id, code, name, body_toml) VALUES (?1, ?2, ?3, ?4)", params![round_id, code, name, body])?;
    let id = tx.last_insert_rowid();
    for m in materials {
        let sha = pingshen_core::hash::sha256_hex(&m.content);
        tx.execute(
            "INSERT INTO material (application_id, file, title, pages, sha256, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, m.file, m.title, m.pages, sha, m.content],
        )?;
        crate::search::store_pages(tx, tx.last_insert_rowid(), &m.page_texts)?;
    }
    Ok(id)
}

/// The applications of a round, by 申报编号.
pub fn list(conn: &Connection, round_id: i64) -> Result<Vec<ApplicationRow>> {
    let mut st = conn.prepare("SELECT id, round_id, code, name FROM application WHERE round_id = ?1 ORDER BY code")?;
    let rows = st.query_map([round_id], |r| Ok(ApplicationRow { id: r.get(0)?, round_id: r.get(1)?, code: r.get(2)?, name: r.get(3)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One application with its structured 推荐书.
pub fn get(conn: &Connection, id: i64) -> Result<(ApplicationRow, Application)> {
    let (row, body): (ApplicationRow, String) = conn
        .query_row("SELECT id, round_id, code, name, body_toml FROM application WHERE id = ?1", [id], |r| {
            Ok((ApplicationRow { id: r.get(0)?, round_id: r.get(1)?, code: r.get(2)?, name: r.get(3)? }, r.get(4)?))
        })
        .optional()?
        .ok_or(StoreError::NotFound { entity: "申报材料", id })?;
    let app = parse_application(&body).map_err(|e| StoreError::ApplicationUnreadable { code: row.code.clone(), message: e.to_string() })?;
    Ok((row, app))
}

/// The materials of an application.
pub fn materials(conn: &Connection, application_id: i64) -> Result<Vec<MaterialRow>> {
    let mut st = conn.prepare("SELECT id, file, title, pages, sha256, length(content) FROM material WHERE application_id = ?1 ORDER BY id")?;
    let rows = st.query_map([application_id], |r| {
        Ok(MaterialRow { id: r.get(0)?, file: r.get(1)?, title: r.get(2)?, pages: r.get(3)?, sha256: r.get(4)?, size: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A material's bytes, for the viewer: only a material of this sheet's application (so an expert never
/// reads the material of an application they are recused from: they have no sheet for it).
pub fn material_bytes_for_sheet(conn: &Connection, sheet_id: i64, material_id: i64) -> Result<Vec<u8>> {
    conn.query_row(
        "SELECT m.content FROM material m JOIN sheet s ON s.application_id = m.application_id WHERE s.id = ?1 AND m.id = ?2",
        [sheet_id, material_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(StoreError::ForeignMaterial)
}

/// What the 形式审查 needs to know of an application's materials: each file with its scanned pages.
pub fn material_infos(conn: &Connection, application_id: i64) -> Result<Vec<pingshen_core::formal::MaterialInfo>> {
    let mut out = Vec::new();
    for m in materials(conn, application_id)? {
        let mut st = conn.prepare_cached("SELECT page FROM material_page WHERE material_id = ?1 AND scanned = 1 ORDER BY page")?;
        let scanned_pages = st.query_map([m.id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<u32>>>()?;
        out.push(pingshen_core::formal::MaterialInfo { file: m.file, title: m.title, pages: m.pages, scanned_pages });
    }
    Ok(out)
}

/// Whether the 推荐书 still waits for its key fields to be typed in (it came in as a scan).
pub fn needs_manual_entry(conn: &Connection, application_id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT needs_manual_entry FROM application WHERE id = ?1", [application_id], |r| r.get(0))?)
}

/// Replaces an application's structured 推荐书 with what staff typed in from the scanned form, and marks it
/// as entered (`needs_manual_entry` 0). Refused once any sheet of the application has a score: experts must
/// not score a text that changes under them. Logged.
pub fn enter_manually(conn: &Connection, application_id: i64, app: &Application, actor: &str) -> Result<()> {
    crate::atomically(conn, || {
        let (row, _) = get(conn, application_id)?;
        let scored: i64 = conn.query_row(
            "SELECT count(*) FROM sheet s WHERE s.application_id = ?1
               AND (s.status = 'submitted' OR EXISTS (SELECT 1 FROM score c WHERE c.sheet_id = s.id AND c.tenths IS NOT NULL))",
            [application_id],
            |r| r.get(0),
        )?;
        if scored > 0 {
            return Err(StoreError::ScoringStarted { code: row.code });
        }
        if app.cover.name.trim().is_empty() {
            return Err(StoreError::NameRequired);
        }
        conn.execute(
            "UPDATE application SET body_toml = ?2, name = ?3, needs_manual_entry = 0 WHERE id = ?1",
            params![application_id, pingshen_core::application::write_application(app), app.cover.name],
        )?;
        crate::search::index_application(conn, application_id)?;
        crate::audit::append(
            conn,
            actor,
            crate::audit::Action::EnterForm,
            &format!("application:{application_id}"),
            &format!("录入申报 {} 扫描版推荐书的关键字段（联合体名称：{}）", row.code, app.cover.name),
        )
    })
}

/// How a 推荐书 came in (`application.source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Canonical,
    Docx,
    Pdf,
    Scanned,
}

impl Source {
    pub fn as_db(self) -> &'static str {
        match self {
            Source::Canonical => "canonical",
            Source::Docx => "docx",
            Source::Pdf => "pdf",
            Source::Scanned => "scanned",
        }
    }
}

/// Adds an application package to an existing round, all or nothing: the 推荐书, its materials with their
/// page texts, one sheet-less assignment per expert of the round, and the search index. `code` empty: the
/// next free A01, A02…; a taken code is refused. Refused once any sheet of the round is submitted (the
/// round's applications are then fixed). Returns the application's id and code.
pub fn add(
    conn: &mut Connection,
    round_id: i64,
    new: &crate::rounds::NewApplication,
    source: Source,
    needs_manual_entry: bool,
    actor: &str,
) -> Result<(i64, String)> {
    crate::transaction(conn, |tx| {
        crate::rounds::get(tx, round_id)?;
        let submitted: i64 = tx.query_row(
            "SELECT count(*) FROM sheet s JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1 AND s.status = 'submitted'",
            [round_id],
            |r| r.get(0),
        )?;
        if submitted > 0 {
            return Err(StoreError::RoundHasSubmissions);
        }
        let taken: Vec<String> = list(tx, round_id)?.into_iter().map(|a| a.code).collect();
        let code = if new.code.trim().is_empty() {
            pingshen_core::code::next_free(pingshen_core::code::APPLICATION, |c| taken.iter().any(|t| t == c))
        } else if taken.iter().any(|c| c == new.code.trim()) {
            return Err(StoreError::DuplicateCode { code: new.code.trim().to_string() });
        } else {
            new.code.trim().to_string()
        };
        if let Some(same) = list(tx, round_id)?.into_iter().find(|a| !new.application.cover.name.is_empty() && a.name == new.application.cover.name) {
            return Err(StoreError::DuplicateApplication { code: same.code, name: same.name });
        }
        let name = if new.application.cover.name.trim().is_empty() { format!("（待录入）{code}") } else { new.application.cover.name.clone() };
        let id = insert(tx, round_id, &code, &pingshen_core::application::write_application(&new.application), &name, &new.materials)?;
        tx.execute("UPDATE application SET source = ?2, needs_manual_entry = ?3 WHERE id = ?1", params![id, source.as_db(), needs_manual_entry])?;
        tx.execute("INSERT INTO assignment (expert_id, application_id) SELECT e.id, ?2 FROM expert e WHERE e.round_id = ?1", [round_id, id])?;
        crate::search::index_application(tx, id)?;
        let pages: usize = new.materials.iter().map(|m| m.pages as usize).sum();
        crate::audit::append(
            tx,
            actor,
            crate::audit::Action::ImportApplication,
            &format!("application:{id}"),
            &format!(
                "导入申报 {code}「{name}」：推荐书（{}）{}，支撑材料 {} 份 {pages} 页",
                match source {
                    Source::Canonical => "标准格式",
                    Source::Docx => "Word/WPS 文档",
                    Source::Pdf => "PDF",
                    Source::Scanned => "扫描件，待录入",
                },
                if needs_manual_entry { "，须录入关键字段" } else { "" },
                new.materials.len()
            ),
        )?;
        Ok((id, code))
    })
}
