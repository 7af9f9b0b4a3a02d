//! The error every command returns: `{ kind, message }`, the message in Chinese and actionable.

use pingshen_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What went wrong, for the UI to branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
pub enum ErrorKind {
    NotFound,
    InvalidScore,
    Locked,
    InvalidInput,
    Rubric,
    Package,
    Spreadsheet,
    /// A sheet cannot be submitted yet; the message lists what is missing.
    NotReady,
    Io,
    Database,
    /// A round file (评审包) was refused: changed, foreign, unsafe or not a round file.
    RoundFile,
    /// The user cancelled a long operation; nothing was changed.
    Cancelled,
}

/// A command's error as the UI receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CommandError { kind, message: message.into() }
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Score(_) => ErrorKind::InvalidScore,
            StoreError::Locked => ErrorKind::Locked,
            StoreError::NotReady { .. } => ErrorKind::NotReady,
            StoreError::Invalid(_) => ErrorKind::InvalidInput,
            StoreError::RubricTampered | StoreError::RubricUnreadable(_) => ErrorKind::Rubric,
            StoreError::ApplicationUnreadable { .. } => ErrorKind::Package,
            _ => ErrorKind::Database,
        };
        CommandError::new(kind, e.to_string())
    }
}

impl From<pingshen_import::ImportError> for CommandError {
    fn from(e: pingshen_import::ImportError) -> Self {
        CommandError::new(ErrorKind::Package, e.to_string())
    }
}

impl From<pingshen_report::ReportError> for CommandError {
    fn from(e: pingshen_report::ReportError) -> Self {
        CommandError::new(ErrorKind::InvalidInput, format!("无法生成文书：{e}"))
    }
}

/// Runs a long job (a file to read, check or write) on a blocking thread, so that the window stays
/// responsive; its error, or a job that died, comes back as the command's error.
pub async fn off_ui_thread<T: Send + 'static>(job: impl FnOnce() -> CmdResult<T> + Send + 'static) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(job).await.map_err(|e| CommandError::new(ErrorKind::Io, format!("后台任务异常中止：{e}")))?
}

/// `Result` of a command.
pub type CmdResult<T> = Result<T, CommandError>;
