//! The round backup (备份本批次 / 恢复): everything of one round in one file, restored all or nothing on
//! this machine or another.
//!
//! [`write`] puts a round of the database into one `.pingshen-backup` file (a zip: a sealed manifest, the
//! round's rows table by table as JSON, every material's bytes and the text of its pages, and the round's
//! audit log). [`inspect`] reads only the manifest and the zip's directory. [`restore`] checks the whole file
//! and inserts the round with fresh ids in one transaction, under the same 批次标识; it never replaces a round
//! this machine has. Format, hashes, version rules and refusals: `docs/backup.md`.
//!
//! The zip safety checks, the sealed manifest line and the progress tracker are the round file's
//! (`pingshen-handout`). Material blobs are streamed in and out of SQLite: neither side holds more than one
//! buffer of a material, or more than one application's page texts, in memory.

mod error;
pub mod manifest;
mod restore;
mod tables;
mod write;

pub use error::{BackupError, Result};
pub use manifest::Counts;
pub use pingshen_handout::Progress;
pub use restore::{inspect, restore, BackupInfo, Restored};
pub use write::{write, BackupSaved};

/// The file extension of a backup, without the dot.
pub const EXTENSION: &str = "pingshen-backup";

/// The audit-log actor of the entries [`write`] and [`restore`] append.
pub const ACTOR: &str = "统分人";

/// Called as work proceeds (at each entry and after each buffer of up to 1 MiB); `Break` cancels: the
/// operation then fails with [`BackupError::Cancelled`] having written nothing.
pub type OnProgress<'a> = pingshen_handout::OnProgress<'a>;

/// Limits that refuse a zip bomb or an absurd entry before anything is decompressed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// `manifest.json`.
    pub manifest: u64,
    /// `round.json`, `sheets.json` and `audit.json` each.
    pub tables: u64,
    /// Each `pages/<id>.json`.
    pub pages: u64,
    /// Each material.
    pub material: u64,
    /// All entries together.
    pub total: u64,
    /// Uncompressed : compressed, for entries of more than `ratio_from` bytes.
    pub ratio: u64,
    pub ratio_from: u64,
}

/// The limits in force (`docs/backup.md`, "Safety").
pub(crate) const LIMITS: Limits =
    Limits { manifest: 16 << 20, tables: 256 << 20, pages: 64 << 20, material: 512 << 20, total: 32 << 30, ratio: 100, ratio_from: 64 << 10 };

#[cfg(test)]
mod tests;
