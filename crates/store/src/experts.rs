//! Experts of a round and their assignments.

use pingshen_core::expert::Expert;
use rusqlite::{params, Connection, Transaction};

use crate::Result;

/// An expert as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertRow {
    pub id: i64,
    pub round_id: i64,
    pub expert: Expert,
}

pub(crate) fn insert(tx: &Transaction<'_>, round_id: i64, e: &Expert) -> Result<i64> {
    tx.execute(
        "INSERT INTO expert (round_id, code, name, unit, title, field, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![round_id, e.code, e.name, e.unit, e.title, e.field, e.phone],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The experts of a round, by 专家编号.
pub fn list(conn: &Connection, round_id: i64) -> Result<Vec<ExpertRow>> {
    let mut st = conn.prepare("SELECT id, round_id, code, name, unit, title, field, phone FROM expert WHERE round_id = ?1 ORDER BY code")?;
    let rows = st.query_map([round_id], |r| {
        Ok(ExpertRow {
            id: r.get(0)?,
            round_id: r.get(1)?,
            expert: Expert { code: r.get(2)?, name: r.get(3)?, unit: r.get(4)?, title: r.get(5)?, field: r.get(6)?, phone: r.get(7)? },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
