//! Applications of a round and their materials.

use pingshen_core::application::{parse_application, Application};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

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
    tx.execute(
        "INSERT INTO application (round_id, code, name, body_toml) VALUES (?1, ?2, ?3, ?4)",
        params![round_id, code, name, body],
    )?;
    let id = tx.last_insert_rowid();
    for m in materials {
        let sha: String = Sha256::digest(&m.content).iter().map(|b| format!("{b:02x}")).collect();
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
        .ok_or(StoreError::NotFound { entity: "申报书", id })?;
    let app = parse_application(&body).map_err(|e| StoreError::ApplicationUnreadable { code: row.code.clone(), message: e.to_string() })?;
    Ok((row, app))
}

/// The materials of an application.
pub fn materials(conn: &Connection, application_id: i64) -> Result<Vec<MaterialRow>> {
    let mut st = conn.prepare(
        "SELECT id, file, title, pages, sha256, length(content) FROM material WHERE application_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([application_id], |r| {
        Ok(MaterialRow { id: r.get(0)?, file: r.get(1)?, title: r.get(2)?, pages: r.get(3)?, sha256: r.get(4)?, size: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
