//! The round file (评审包): a round carried from the staff machine to an expert's laptop on a USB stick.
//!
//! [`export`] writes a round of the staff's database into one `.pingshen-round` file (a zip: a manifest,
//! the frozen rubric, every application's `application.toml`, its PDFs and the text of their pages).
//! [`inspect`] reads only the manifest, for the "who are you" picker. [`open`] checks the whole file and
//! creates the round on the laptop in one transaction, under the same round identity (批次标识), so that the
//! laptop's score files import into the staff's round, and its search finds what the staff's finds. Format, hash and refusals: `docs/round-file.md`.
//!
//! Files are streamed entry by entry: neither side holds more than one buffer of a material (or more than
//! one application's page texts) in memory.
//! Material blobs go into and out of SQLite through `blob_open`.

mod error;
mod export;
pub mod manifest;
mod open;
pub mod pages;
pub mod zipsafety;

use std::ops::ControlFlow;

pub use error::{HandoutError, Result};
pub use export::{export, ExportSummary};
pub use open::{inspect, open, ApplicationInfo, ExpertInfo, OpenedRound, RoundFileInfo};

/// The file extension of a round file, without the dot.
pub const EXTENSION: &str = "pingshen-round";

/// The audit-log actor of what [`open`] writes.
pub const OPEN_ACTOR: &str = "评审包";

/// How far an export or an open has got: `done` of `total` bytes of the entries, and what it is doing now
/// in Chinese, e.g. "正在校验 A03 支撑材料.pdf".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub stage: String,
}

/// Called as work proceeds (at each entry and after each buffer of up to 1 MiB); `Break` cancels, and the
/// operation then fails with [`HandoutError::Cancelled`] having written nothing.
pub type OnProgress<'a> = &'a mut dyn FnMut(&Progress) -> ControlFlow<()>;

/// The size of one read or write buffer (also used by `pingshen-backup`).
pub const CHUNK: usize = 1 << 20;

/// The caller cancelled: the progress callback returned `Break`. Each format turns it into its own
/// `Cancelled` error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl From<Cancelled> for HandoutError {
    fn from(_: Cancelled) -> Self {
        HandoutError::Cancelled
    }
}

/// Counts the bytes and asks the caller whether to go on (shared with `pingshen-backup`).
pub struct Tracker<'a, 'b> {
    done: u64,
    total: u64,
    stage: String,
    on_progress: &'a mut OnProgress<'b>,
}

impl<'a, 'b> Tracker<'a, 'b> {
    /// A tracker of `total` bytes, none done yet.
    pub fn new(total: u64, on_progress: &'a mut OnProgress<'b>) -> Self {
        Tracker { done: 0, total, stage: String::new(), on_progress }
    }

    /// Starts a stage (reported at once).
    pub fn stage(&mut self, stage: String) -> std::result::Result<(), Cancelled> {
        self.stage = stage;
        self.report()
    }

    /// `n` more bytes done (reported).
    pub fn advance(&mut self, n: u64) -> std::result::Result<(), Cancelled> {
        self.done += n;
        self.report()
    }

    fn report(&mut self) -> std::result::Result<(), Cancelled> {
        let p = Progress { done: self.done.min(self.total), total: self.total, stage: self.stage.clone() };
        match (self.on_progress)(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Cancelled),
        }
    }
}

/// How a [`copy_hashed`] stopped.
#[derive(Debug)]
pub enum CopyError {
    /// Reading the source failed. From a zip entry, `InvalidData` or `UnexpectedEof` means the entry is
    /// damaged or was changed ([`CopyError::is_damaged`]).
    Read(std::io::Error),
    Write(std::io::Error),
    /// More than the expected bytes came.
    TooLong,
    Cancelled,
}

impl CopyError {
    /// A read error that says the data itself is wrong (a damaged or changed zip entry), not the disk.
    pub fn is_damaged(e: &std::io::Error) -> bool {
        matches!(e.kind(), std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof)
    }
}

/// Copies `from` into `to` in chunks of `buf` (a material between the database and a zip, either way),
/// through SHA-256, reporting every chunk to `tracker`, and stops as soon as more than `limit` bytes came.
/// Returns the bytes copied and their SHA-256 (hex); the caller compares them with what it expects.
/// Shared with `pingshen-backup`.
pub fn copy_hashed(
    from: &mut impl std::io::Read,
    to: &mut impl std::io::Write,
    buf: &mut [u8],
    limit: u64,
    tracker: &mut Tracker<'_, '_>,
) -> std::result::Result<(u64, String), CopyError> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    loop {
        let n = match from.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        total += n as u64;
        if total > limit {
            return Err(CopyError::TooLong);
        }
        hasher.update(&buf[..n]);
        to.write_all(&buf[..n]).map_err(CopyError::Write)?;
        tracker.advance(n as u64).map_err(|_| CopyError::Cancelled)?;
    }
    Ok((total, pingshen_core::hash::hex(&hasher.finalize())))
}

/// Limits that refuse a zip bomb or an absurd entry before anything is decompressed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// `manifest.json`.
    pub manifest: u64,
    /// `rubric.toml` and each `application.toml`.
    pub text: u64,
    /// Each `pages.json`.
    pub pages: u64,
    /// Each material.
    pub material: u64,
    /// Uncompressed : compressed, for entries of more than `ratio_from` bytes.
    pub ratio: u64,
    pub ratio_from: u64,
}

/// The limits in force (`docs/round-file.md`, "Safety").
pub(crate) const LIMITS: Limits =
    Limits { manifest: 16 << 20, text: 4 << 20, pages: 64 << 20, material: 512 << 20, ratio: 100, ratio_from: 64 << 10 };

#[cfg(test)]
mod tests;
