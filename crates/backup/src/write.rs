//! Writing a round of this machine's database into a backup file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use pingshen_core::hash::sha256_hex;
use pingshen_core::rubric::fingerprint;
use pingshen_handout::{copy_hashed, CopyError};
use pingshen_handout::{Tracker, CHUNK};
use pingshen_store::{audit, rounds, SCHEMA_VERSION};
use rusqlite::{Connection, MAIN_DB};
use serde_json::Value;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{BackupError, Result};
use crate::manifest::{
    material_entry, pages_entry, Counts, Entry, Manifest, RoundEntry, AUDIT_ENTRY, FORMAT, FORMAT_VERSION, MANIFEST_ENTRY, ROUND_ENTRY, SHEETS_ENTRY,
};
use crate::tables::{self, Row, AUDIT_TABLE, PAGES_TABLE, ROUND_TABLES, SHEETS_TABLES};
use crate::{OnProgress, ACTOR};

/// What a backup wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSaved {
    /// The file written (the `path` given).
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The round's name and 批次标识.
    pub name: String,
    pub uid: String,
    pub counts: Counts,
    /// The backup's content hash (64 hex digits) and its short form, `1a2b-3c4d-…` (8 groups of 4).
    pub content_hash: String,
    pub short_hash: String,
}

/// A material to stream out of the database.
struct MaterialOut {
    id: i64,
    code: String,
    file: String,
}

/// An application's entries, in file order: its materials, then its page texts if it has any.
struct ApplicationOut {
    id: i64,
    code: String,
    materials: Vec<MaterialOut>,
    /// The size and SHA-256 of its `pages/<id>.json`, if it has stored pages.
    pages: Option<(u64, String)>,
}

/// Writes everything of round `round_id` into a backup at `path` (format: `docs/backup.md`): the file is
/// written as `<path>.part`, synced and renamed to `path`; on cancel (`Break` from `report`) or any error
/// the partial file is removed and `path` is left as it was. `written_at` is the time to record (the
/// caller's clock). Each material's bytes are checked against the hash recorded when it was imported. The
/// round is read in one read transaction (unless the caller holds one). Once the file is in place, a
/// `backup_round` entry is appended to the round's audit log (the backup itself holds the log up to it).
pub fn write(conn: &Connection, round_id: i64, path: &Path, written_at: &str, report: OnProgress) -> Result<BackupSaved> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let mut report = report;
    let saved = {
        // One consistent view of the round while it is read (unless the caller already holds a transaction).
        let read = if conn.is_autocommit() { Some(conn.unchecked_transaction()?) } else { None };
        let saved = write_part(conn, round_id, path, &part, written_at, &mut report);
        drop(read);
        saved
    };
    let saved = match saved {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
    };
    let c = &saved.counts;
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let logged = audit::append(
        conn,
        ACTOR,
        audit::Action::BackupRound,
        &format!("round:{round_id}"),
        &format!(
            "备份评审批次「{}」到文件 {file}：申报 {} 项、材料 {} 份（文字 {} 页）、专家 {} 人、评分表 {} 份（已提交 {} 份，保留版本 {} 个）、审计记录 {} 条；备份时间 {written_at}；校验码 {}；文件校验值 {}",
            saved.name, c.applications, c.materials, c.pages, c.experts, c.sheets, c.submitted, c.versions, c.audit_entries, saved.short_hash, saved.content_hash
        ),
    );
    if let Err(e) = logged {
        let _ = std::fs::remove_file(path);
        return Err(e.into());
    }
    Ok(saved)
}

fn write_part(conn: &Connection, round_id: i64, path: &Path, part: &Path, written_at: &str, report: &mut OnProgress) -> Result<BackupSaved> {
    let round = rounds::get(conn, round_id)?;
    // The frozen rubric must be intact: a backup of a tampered round could not be restored.
    rounds::rubric(conn, round_id)?;

    let round_rows: Vec<Vec<Row>> = ROUND_TABLES.iter().map(|t| tables::dump(conn, t, round_id)).collect::<Result<_>>()?;
    let sheet_rows: Vec<Vec<Row>> = SHEETS_TABLES.iter().map(|t| tables::dump(conn, t, round_id)).collect::<Result<_>>()?;
    let audit_rows: Vec<Row> = audit::for_round(conn, round_id)?
        .into_iter()
        .map(|e| {
            vec![
                ("id".to_string(), Value::from(e.id)),
                ("at".to_string(), Value::String(e.at)),
                ("actor".to_string(), Value::String(e.actor)),
                ("action".to_string(), Value::String(e.action)),
                ("entity".to_string(), Value::String(e.entity)),
                ("detail".to_string(), Value::String(e.detail)),
            ]
        })
        .collect();
    let round_json = tables::encode(&ROUND_TABLES.iter().zip(&round_rows).map(|(t, r)| (t.name, r.as_slice())).collect::<Vec<_>>());
    let sheets_json = tables::encode(&SHEETS_TABLES.iter().zip(&sheet_rows).map(|(t, r)| (t.name, r.as_slice())).collect::<Vec<_>>());
    let audit_json = tables::encode(&[(AUDIT_TABLE, audit_rows.as_slice())]);

    let count = |rows: &[Row]| rows.len() as u64;
    let by_name: HashMap<&str, &[Row]> =
        ROUND_TABLES.iter().zip(&round_rows).chain(SHEETS_TABLES.iter().zip(&sheet_rows)).map(|(t, r)| (t.name, r.as_slice())).collect();
    let table = |name: &str| -> &[Row] { by_name[name] };
    let int = |row: &Row, column: &str| row.iter().find(|(c, _)| c == column).and_then(|(_, v)| v.as_i64()).expect("an integer column");
    let text =
        |row: &Row, column: &str| row.iter().find(|(c, _)| c == column).and_then(|(_, v)| v.as_str()).map(str::to_string).expect("a text column");

    // The applications in id order, each with its materials (their recorded hashes go into the manifest,
    // checked as they are streamed) and the hash of its page texts (made again when written).
    let mut apps = Vec::new();
    let mut entries = vec![
        Entry { name: ROUND_ENTRY.into(), size: round_json.len() as u64, sha256: sha256_hex(&round_json) },
        Entry { name: SHEETS_ENTRY.into(), size: sheets_json.len() as u64, sha256: sha256_hex(&sheets_json) },
        Entry { name: AUDIT_ENTRY.into(), size: audit_json.len() as u64, sha256: sha256_hex(&audit_json) },
    ];
    let mut pages_total = 0u64;
    let mut st = conn.prepare("SELECT length(content) FROM material WHERE id = ?1")?;
    for a in table("application") {
        let (id, code) = (int(a, "id"), text(a, "code"));
        let mut materials = Vec::new();
        for m in table("material").iter().filter(|m| int(m, "application_id") == id) {
            let mid = int(m, "id");
            let size: i64 = st.query_row([mid], |r| r.get(0))?;
            entries.push(Entry { name: material_entry(mid), size: size as u64, sha256: text(m, "sha256") });
            materials.push(MaterialOut { id: mid, code: code.clone(), file: text(m, "file") });
        }
        let pages = tables::dump(conn, &PAGES_TABLE, id)?;
        let pages = if pages.is_empty() {
            None
        } else {
            pages_total += pages.len() as u64;
            let json = tables::encode(&[(PAGES_TABLE.name, pages.as_slice())]);
            entries.push(Entry { name: pages_entry(id), size: json.len() as u64, sha256: sha256_hex(&json) });
            Some((json.len() as u64, sha256_hex(&json)))
        };
        apps.push(ApplicationOut { id, code, materials, pages });
    }
    drop(st);

    let counts = Counts {
        applications: count(table("application")),
        materials: count(table("material")),
        pages: pages_total,
        experts: count(table("expert")),
        sheets: count(table("sheet")),
        submitted: table("sheet").iter().filter(|s| text(s, "status") == "submitted").count() as u64,
        versions: count(table("sheet_version")),
        audit_entries: audit_rows.len() as u64,
    };
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: SCHEMA_VERSION,
        round: RoundEntry {
            uid: round.uid.clone(),
            name: round.name.clone(),
            is_sample: round.is_sample,
            closed_at: round.closed_at.clone(),
            rubric_id: round.rubric_id.clone(),
            rubric_title: round.rubric_title.clone(),
            rubric_hash: round.rubric_hash.clone(),
        },
        counts,
        entries,
        written_at: written_at.to_string(),
    };
    let content_hash = manifest.content_hash();

    let io = |source: std::io::Error| BackupError::Io { action: "写入", path: part.display().to_string(), source };
    let file = File::create(part).map_err(io)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, file));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(DateTime::default());
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored).last_modified_time(DateTime::default());
    let zerr = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(source) => io(source),
        other => BackupError::Write(other.to_string()),
    };
    let total: u64 = manifest.entries.iter().map(|e| e.size).sum();
    let mut tracker = Tracker::new(total, report);

    tracker.stage("正在写入清单".into())?;
    zip.start_file(MANIFEST_ENTRY, deflated).map_err(zerr)?;
    zip.write_all(manifest.to_file_text().as_bytes()).map_err(io)?;
    for (name, bytes, stage) in
        [(ROUND_ENTRY, round_json, "正在写入批次数据"), (SHEETS_ENTRY, sheets_json, "正在写入评分表"), (AUDIT_ENTRY, audit_json, "正在写入审计日志")]
    {
        tracker.stage(stage.into())?;
        zip.start_file(name, deflated).map_err(zerr)?;
        zip.write_all(&bytes).map_err(io)?;
        tracker.advance(bytes.len() as u64)?;
    }

    let mut buf = vec![0u8; CHUNK];
    for a in &apps {
        for m in &a.materials {
            let expected = manifest.entry(&material_entry(m.id)).expect("listed above");
            tracker.stage(format!("正在备份 {} 的材料 {}", m.code, m.file))?;
            zip.start_file(expected.name.as_str(), stored).map_err(zerr)?;
            let mut blob = conn.blob_open(MAIN_DB, "material", "content", m.id, true)?;
            let damaged = || BackupError::StoredMaterialDamaged { code: m.code.clone(), file: m.file.clone() };
            let (n, sha256) = copy_hashed(&mut blob, &mut zip, &mut buf, expected.size, &mut tracker).map_err(|e| match e {
                CopyError::Read(source) => BackupError::Io { action: "读取数据库中的", path: m.file.clone(), source },
                CopyError::Write(source) => io(source),
                CopyError::TooLong => damaged(),
                CopyError::Cancelled => BackupError::Cancelled,
            })?;
            if n != expected.size || sha256 != expected.sha256 {
                return Err(damaged());
            }
        }
        if let Some((size, sha256)) = &a.pages {
            // Made again from the database (in the same read transaction: the same rows), so that only one
            // application's page texts are held at a time.
            tracker.stage(format!("正在写入 {} 的材料文字", a.code))?;
            let json = tables::encode(&[(PAGES_TABLE.name, tables::dump(conn, &PAGES_TABLE, a.id)?.as_slice())]);
            if json.len() as u64 != *size || sha256_hex(&json) != *sha256 {
                return Err(BackupError::Write(format!("申报 {} 的材料文字在备份过程中发生了变化", a.code)));
            }
            zip.start_file(pages_entry(a.id).as_str(), deflated).map_err(zerr)?;
            zip.write_all(&json).map_err(io)?;
            tracker.advance(json.len() as u64)?;
        }
    }
    let writer = zip.finish().map_err(zerr)?;
    let file = writer.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(part, path).map_err(|source| BackupError::Io { action: "写入", path: path.display().to_string(), source })?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupSaved {
        path: path.to_path_buf(),
        bytes,
        name: round.name,
        uid: round.uid,
        counts: manifest.counts,
        short_hash: fingerprint(&content_hash),
        content_hash,
    })
}
