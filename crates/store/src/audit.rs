//! The append-only audit log (the database refuses updates and deletes of it).

use rusqlite::{params, Connection};

use crate::Result;

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
}

/// Appends an entry.
pub fn append(conn: &Connection, actor: &str, action: &str, entity: &str, detail: &str) -> Result<()> {
    conn.execute("INSERT INTO audit_log (actor, action, entity, detail) VALUES (?1, ?2, ?3, ?4)", params![actor, action, entity, detail])?;
    Ok(())
}

/// Every entry, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare("SELECT id, at, actor, action, entity, detail FROM audit_log ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(AuditEntry { id: r.get(0)?, at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, entity: r.get(4)?, detail: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
