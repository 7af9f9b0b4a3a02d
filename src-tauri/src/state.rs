//! The state every command shares: one database connection (or why there is none), the cancel flag of a
//! long job, and the round file the app was started with.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use pingshen_app::handout::ProgressDto;
use pingshen_store::Connection;
use tauri::ipc::Channel;

use crate::error::{off_ui_thread, CmdResult, CommandError, ErrorKind};

/// Held by Tauri for the app's lifetime.
pub struct AppState {
    /// The open database, or the Chinese message saying why it could not be opened (a database from a newer
    /// Pingshen, a damaged file, a folder without write access). The window still opens and shows it.
    db: Result<Mutex<Connection>, String>,
    pub db_path: PathBuf,
    /// Set by the user's 取消 during a long operation (a round file's export or open).
    cancel: Arc<AtomicBool>,
    /// A round file the app was started with (double-clicked on a USB stick), until the page takes it.
    pending_round_file: Mutex<Option<PathBuf>>,
}

impl AppState {
    pub fn new(db: Result<Connection, String>, db_path: PathBuf, pending_round_file: Option<PathBuf>) -> Self {
        AppState { db: db.map(Mutex::new), db_path, cancel: Arc::default(), pending_round_file: Mutex::new(pending_round_file) }
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

    /// Runs a long job on a blocking thread with its own connection to the database (the shared one stays
    /// free for the window).
    pub async fn with_own_connection<T: Send + 'static>(&self, job: impl FnOnce(&mut Connection) -> CmdResult<T> + Send + 'static) -> CmdResult<T> {
        let path = self.db_path.clone();
        off_ui_thread(move || {
            let mut conn = pingshen_store::open(&path)?;
            job(&mut conn)
        })
        .await
    }

    /// Runs `job` with the database file closed (restoring a snapshot replaces it), then opens it again.
    pub fn with_database_closed<T>(&self, job: impl FnOnce(&std::path::Path) -> CmdResult<T>) -> CmdResult<T> {
        let mut conn = self.db()?;
        let closed = std::mem::replace(&mut *conn, Connection::open_in_memory().map_err(pingshen_store::StoreError::from)?);
        drop(closed);
        let result = job(&self.db_path);
        // Whatever happened, the live database is opened again (the old one when the job refused).
        *conn = pingshen_store::open(&self.db_path)?;
        result
    }

    /// A long job starts: 取消 is reset, and its progress goes to `channel`.
    pub fn start_long_task(&self, channel: Channel<ProgressDto>) -> Progress {
        self.cancel.store(false, Ordering::Relaxed);
        Progress { channel, cancel: self.cancel.clone() }
    }

    /// 取消: the running long job stops at its next step.
    pub fn cancel_long_task(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The round file the app was started with, once.
    pub fn take_pending_round_file(&self) -> Option<String> {
        let taken = self.pending_round_file.lock().unwrap_or_else(|p| p.into_inner()).take();
        // The user opened the app with this file: the page may name it back to open it.
        taken.inspect(|p| crate::dialogs::remember(p)).map(|p| p.display().to_string())
    }
}

/// A long job's progress, sent to the page, and the user's 取消.
pub struct Progress {
    channel: Channel<ProgressDto>,
    cancel: Arc<AtomicBool>,
}

impl Progress {
    /// Reports a step; `Break` once the user cancelled.
    pub fn step(&mut self, p: &pingshen_handout::Progress) -> ControlFlow<()> {
        // A closed page cannot receive progress; the work goes on.
        let _ = self.channel.send(p.into());
        if self.cancel.load(Ordering::Relaxed) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}
