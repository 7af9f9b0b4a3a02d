//! Settings of the app kept in its database.

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// The value of a setting, if set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM app_setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Sets a setting.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute("INSERT INTO app_setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params![key, value])?;
    Ok(())
}
