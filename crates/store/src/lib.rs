//! SQLite storage for Pingshen.
//!
//! One database file per machine: rounds with their frozen rubric, applications, experts, assignments,
//! sheets and scores (integer tenths), and an append-only audit log. [`open`] sets the pragmas (WAL,
//! foreign keys, `synchronous=FULL`) and applies the numbered migrations in `migrations/`; a database made
//! by a newer Pingshen is refused. Storage is free functions over `&Connection`, one module per aggregate,
//! mapping rows to and from `pingshen-core` values. Business rules stay in core: every score passes
//! `pingshen_core::sheet::check_score` before it is written.

pub mod applications;
pub mod audit;
pub mod declarations;
mod error;
pub mod evidence;
pub mod experts;
pub mod handout;
mod migrate;
pub mod panel;
pub mod panel_records;
pub mod recommendation;
pub mod reconsiderations;
pub mod rounds;
pub mod rubrics;
pub mod scorefiles;
pub mod search;
pub mod settlements;
pub mod sheets;
pub mod snapshots;
#[cfg(test)]
mod veto_tests;

pub use error::{Result, StoreError};
pub use migrate::{MIGRATIONS, SCHEMA_VERSION};
pub use rusqlite::Connection;

use std::path::Path;

/// Opens (or creates) the database at `path` and brings it to the current schema.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path).map_err(|e| StoreError::Open { path: path.display().to_string(), source: e })?;
    // A database from a newer Pingshen is refused before anything (even the journal mode) is changed in it.
    migrate::refuse_newer(&conn)?;
    prepare(&conn)?;
    migrate::to_latest(&mut conn)?;
    Ok(conn)
}

/// An empty in-memory database at the current schema (tests, dry runs).
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    prepare(&conn)?;
    migrate::to_latest(&mut conn)?;
    Ok(conn)
}

/// Pragmas are per connection and stay outside migrations.
fn prepare(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // Every committed score is on disk before the UI is told it is saved.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Runs `f` atomically on a shared connection, inside a savepoint: on its own that is a transaction, and
/// inside a caller's transaction it nests. All of it is written, or none of it (also when `f` panics).
pub(crate) fn atomically<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    /// Rolls the savepoint back unless it was released.
    struct Guard<'a> {
        conn: &'a Connection,
        done: bool,
    }
    impl Drop for Guard<'_> {
        fn drop(&mut self) {
            if !self.done {
                let _ = self.conn.execute_batch("ROLLBACK TO pingshen_atomic; RELEASE pingshen_atomic");
            }
        }
    }
    conn.execute_batch("SAVEPOINT pingshen_atomic")?;
    let mut guard = Guard { conn, done: false };
    let v = f()?;
    conn.execute_batch("RELEASE pingshen_atomic")?;
    guard.done = true;
    Ok(v)
}

/// Runs `f` in one transaction: all of it is written, or none of it.
pub fn transaction<T>(conn: &mut Connection, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
    let tx = conn.transaction()?;
    let v = f(&tx)?;
    tx.commit()?;
    Ok(v)
}
