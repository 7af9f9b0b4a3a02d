//! The state every command shares: one database connection.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use pingshen_store::Connection;

/// Held by Tauri for the app's lifetime.
pub struct AppState {
    db: Mutex<Connection>,
    pub db_path: PathBuf,
}

impl AppState {
    pub fn new(conn: Connection, db_path: PathBuf) -> Self {
        AppState { db: Mutex::new(conn), db_path }
    }

    /// The connection; a panic in another command does not lock everyone out (SQLite rolled its
    /// transaction back already).
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }
}
