//! The state every command shares: one database connection, or why there is none.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use pingshen_store::Connection;

use crate::error::{CmdResult, CommandError, ErrorKind};

/// Held by Tauri for the app's lifetime.
pub struct AppState {
    /// The open database, or the Chinese message saying why it could not be opened (a database from a newer
    /// Pingshen, a damaged file, a folder without write access). The window still opens and shows it.
    db: Result<Mutex<Connection>, String>,
    pub db_path: PathBuf,
    /// Set by the user's 取消 during a long operation (a round file's export or open).
    pub cancel: Arc<AtomicBool>,
    /// A round file the app was started with (double-clicked on a USB stick), until the page takes it.
    pub pending_round_file: Mutex<Option<PathBuf>>,
}

impl AppState {
    pub fn new(db: Result<Connection, String>, db_path: PathBuf) -> Self {
        AppState { db: db.map(Mutex::new), db_path, cancel: Arc::default(), pending_round_file: Mutex::default() }
    }

    /// The connection; a panic in another command does not lock everyone out (SQLite rolled its
    /// transaction back already).
    pub fn db(&self) -> CmdResult<MutexGuard<'_, Connection>> {
        match &self.db {
            Ok(m) => Ok(m.lock().unwrap_or_else(|p| p.into_inner())),
            Err(message) => Err(CommandError::new(ErrorKind::Database, message.clone())),
        }
    }

    /// Why the database could not be opened, if it could not.
    pub fn db_error(&self) -> Option<String> {
        self.db.as_ref().err().cloned()
    }
}
