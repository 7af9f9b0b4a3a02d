//! Backups of a round and of the whole database: 备份本批次 (one file with everything of the round,
//! `docs/backup.md`), its restore on this or another machine (all or nothing), and the automatic database
//! snapshots taken before every import that changes a round, the newest 10 kept, listed on the 恢复 screen.

use std::path::{Path, PathBuf};

use pingshen_backup::BackupError;
use pingshen_store::{snapshots, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::handout::Report;
use crate::ids::RoundId;

impl From<BackupError> for Error {
    fn from(e: BackupError) -> Self {
        let e = match e {
            BackupError::Store(s) => return Error::from(s),
            other => other,
        };
        let kind = match &e {
            BackupError::Io { .. } | BackupError::Write(_) => ErrorKind::Io,
            BackupError::Cancelled => ErrorKind::Cancelled,
            _ => ErrorKind::Backup,
        };
        Error::new(kind, e.to_string())
    }
}

/// How many of each thing a backup holds.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupCountsDto {
    pub applications: u32,
    pub materials: u32,
    pub experts: u32,
    pub sheets: u32,
    pub submitted: u32,
    pub audit_entries: u32,
}

impl From<&pingshen_backup::Counts> for BackupCountsDto {
    fn from(c: &pingshen_backup::Counts) -> Self {
        BackupCountsDto {
            applications: c.applications as u32,
            materials: c.materials as u32,
            experts: c.experts as u32,
            sheets: c.sheets as u32,
            submitted: c.submitted as u32,
            audit_entries: c.audit_entries as u32,
        }
    }
}

/// A backup that was written.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupSavedDto {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub name: String,
    pub counts: BackupCountsDto,
    /// 8 groups of 4 hex digits.
    pub short_hash: String,
}

/// What a backup file holds, read before it is restored.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfoDto {
    pub path: String,
    pub name: String,
    pub uid: String,
    pub closed: bool,
    pub rubric_title: String,
    pub rubric_fingerprint: String,
    pub counts: BackupCountsDto,
    pub written_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub short_hash: String,
}

/// The round a backup was restored into.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoredDto {
    #[ts(type = "number")]
    pub round_id: i64,
    pub name: String,
}

/// An automatic snapshot of the database.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotDto {
    pub file: String,
    /// Local time, `2026-12-03 08:45:12`.
    pub when: String,
    /// What it was taken before, e.g. 导入评分文件.
    pub label: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The file name to suggest for a backup of the round: `<name>-备份.pingshen-backup`.
pub fn suggested_name(conn: &Connection, round: RoundId) -> Result<String> {
    let name = pingshen_store::rounds::get(conn, round.0)?.name;
    Ok(format!("{}-备份.{}", pingshen_core::names::safe_file_name(&name), pingshen_backup::EXTENSION))
}

/// 备份本批次: everything of the round in one file at `path` (`.part` first, renamed at the end).
pub fn write(conn: &Connection, round: RoundId, path: &Path, report: &mut Report<'_>) -> Result<BackupSavedDto> {
    let s = pingshen_backup::write(conn, round.0, path, &crate::clock::now_iso(), report)?;
    Ok(BackupSavedDto { path: s.path.display().to_string(), bytes: s.bytes, name: s.name, counts: (&s.counts).into(), short_hash: s.short_hash })
}

/// What a backup holds (its manifest checked), before restoring it.
pub fn inspect(path: &Path) -> Result<BackupInfoDto> {
    let i = pingshen_backup::inspect(path)?;
    Ok(BackupInfoDto {
        path: path.display().to_string(),
        name: i.name,
        uid: i.uid,
        closed: i.closed_at.is_some(),
        rubric_title: i.rubric_title,
        rubric_fingerprint: i.rubric_fingerprint,
        counts: (&i.counts).into(),
        written_at: crate::clock::beijing_time(&i.written_at),
        bytes: i.bytes,
        short_hash: i.short_hash,
    })
}

/// Restores a backup into this machine's database, all or nothing (every entry checked first); a snapshot
/// of the database is taken before.
pub fn restore(conn: &mut Connection, path: &Path, report: &mut Report<'_>) -> Result<RestoredDto> {
    snapshot_before(conn, "恢复备份")?;
    let r = pingshen_backup::restore(conn, path, report)?;
    Ok(RestoredDto { round_id: r.round_id, name: r.name })
}

/// The database file of a connection (none for an in-memory one).
fn db_path(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// Takes an automatic snapshot of the database before an import that changes a round (`label` says
/// which), keeping the newest 10. Nothing for an in-memory database.
pub fn snapshot_before(conn: &Connection, label: &str) -> Result<()> {
    if let Some(db) = db_path(conn) {
        snapshots::snapshot(conn, &snapshots::dir_for(&db), label)?;
    }
    Ok(())
}

/// The automatic snapshots of this machine's database, newest first.
pub fn snapshots(conn: &Connection) -> Result<Vec<SnapshotDto>> {
    let Some(db) = db_path(conn) else { return Ok(Vec::new()) };
    Ok(snapshots::list(&snapshots::dir_for(&db))?
        .into_iter()
        .map(|s| SnapshotDto { file: s.file, when: s.when, label: s.label, bytes: s.bytes })
        .collect())
}

/// Puts a snapshot (by its file name in the snapshot folder) in place of the live database at `db`, after
/// checking it; the live one is set aside, its path back. The caller has closed every connection to `db`
/// and opens it again afterwards.
pub fn restore_snapshot(db: &Path, file: &str) -> Result<Option<String>> {
    let dir = snapshots::dir_for(db);
    let snapshot =
        snapshots::list(&dir)?.into_iter().find(|s| s.file == file).ok_or_else(|| Error::not_found(format!("找不到数据库自动备份“{file}”")))?;
    Ok(snapshots::restore_snapshot(&snapshot.path, db)?.map(|p| p.display().to_string()))
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![BackupCountsDto::decl(), BackupSavedDto::decl(), BackupInfoDto::decl(), RestoredDto::decl(), SnapshotDto::decl()]
}
