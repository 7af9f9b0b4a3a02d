//! The error every command returns: the application layer's `{ kind, message, details }` as it is
//! (`CommandError` in TypeScript), and running long work off the UI thread.

pub use pingshen_app::{Error as CommandError, ErrorKind};

/// `Result` of a command.
pub type CmdResult<T> = Result<T, CommandError>;

/// Runs a long job (a file to read, check or write) on a blocking thread, so that the window stays
/// responsive; its error, or a job that died, comes back as the command's error.
pub async fn off_ui_thread<T: Send + 'static>(job: impl FnOnce() -> CmdResult<T> + Send + 'static) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(job).await.map_err(|e| CommandError::new(ErrorKind::Io, format!("后台任务异常中止：{e}")))?
}
