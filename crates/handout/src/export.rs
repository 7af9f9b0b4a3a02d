//! Writing a round of this machine's database into a round file (the staff machine).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use pingshen_core::consolidation::Aggregation;
use pingshen_core::expert::Role;
use pingshen_core::hash::sha256_hex;
use pingshen_core::rubric::fingerprint;
use pingshen_store::{applications, experts, rounds, settlements};
use rusqlite::{Connection, MAIN_DB};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{HandoutError, Result};
use crate::manifest::{
    application_entry, material_entry, pages_entry, safe_component, ApplicationEntry, AssignmentEntry, ExpertEntry, Manifest, MaterialEntry,
    OpinionsEntry, PagesEntry, ReconsiderationEntry, ReconsiderationScopeEntry, RoundEntry, RubricEntry, SettingsEntry, FORMAT, FORMAT_VERSION,
    MANIFEST_ENTRY, RUBRIC_ENTRY,
};
use crate::{copy_hashed, CopyError};
use crate::{pages, OnProgress, Tracker, CHUNK};

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file written (the `path` given).
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    pub applications: usize,
    pub materials: usize,
    /// The round's content hash (64 hex digits).
    pub content_hash: String,
    /// Its short form, `1a2b-3c4d-…` (8 groups of 4), as people compare it.
    pub short_hash: String,
}

/// A material to stream out of the database.
struct MaterialOut {
    id: i64,
    file: String,
}

/// Exports round `round_id` into a round file at `path`. The file is written as `<path>.part`, synced and
/// then renamed to `path`; on cancel (`Break` from `on_progress`) or any error the partial file is removed
/// and `path` is left as it was. `exported_at` is the time to record (the caller's clock). Each material's
/// bytes are checked against the hash recorded when it was imported.
pub fn export(conn: &Connection, round_id: i64, path: &Path, exported_at: &str, on_progress: OnProgress) -> Result<ExportSummary> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let mut on_progress = on_progress;
    match write(conn, round_id, path, &part, exported_at, &mut on_progress) {
        Ok(s) => Ok(s),
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

fn write(conn: &Connection, round_id: i64, path: &Path, part: &Path, exported_at: &str, on_progress: &mut OnProgress) -> Result<ExportSummary> {
    // One consistent view of the round while it is read (unless the caller already holds a transaction).
    let _read = if conn.is_autocommit() { Some(conn.unchecked_transaction()?) } else { None };
    let (manifest, rubric_text, apps) = gather(conn, round_id, exported_at)?;
    let content_hash = manifest.content_hash();

    let io = |source: std::io::Error| HandoutError::Io { action: "写入", path: part.display().to_string(), source };
    let file = File::create(part).map_err(io)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, file));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(DateTime::default());
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored).last_modified_time(DateTime::default());
    let zerr = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(source) => io(source),
        other => HandoutError::Write(other.to_string()),
    };

    let total: u64 = manifest.entries().iter().map(|(_, size, _)| size).sum();
    let mut tracker = Tracker::new(total, on_progress);
    tracker.stage("正在写入清单".into())?;
    zip.start_file(MANIFEST_ENTRY, deflated).map_err(zerr)?;
    zip.write_all(manifest.to_file_text().as_bytes()).map_err(io)?;
    tracker.stage("正在写入评分标准".into())?;
    zip.start_file(RUBRIC_ENTRY, deflated).map_err(zerr)?;
    zip.write_all(rubric_text.as_bytes()).map_err(io)?;
    tracker.advance(rubric_text.len() as u64)?;
    drop(rubric_text);

    // Each application in manifest order: its application.toml, its materials, its page texts.
    let mut buf = vec![0u8; CHUNK];
    for (a, entry) in apps.iter().zip(&manifest.applications) {
        tracker.stage(format!("正在写入 {} 推荐书", a.code))?;
        zip.start_file(entry.entry.as_str(), deflated).map_err(zerr)?;
        zip.write_all(a.body.as_bytes()).map_err(io)?;
        tracker.advance(a.body.len() as u64)?;
        for (m, expected) in a.materials.iter().zip(&entry.materials) {
            tracker.stage(format!("正在导出 {} {}", a.code, m.file))?;
            zip.start_file(expected.entry.as_str(), stored).map_err(zerr)?;
            let mut blob = conn.blob_open(MAIN_DB, "material", "content", m.id, true)?;
            let damaged = || HandoutError::StoredMaterialDamaged { code: a.code.clone(), file: m.file.clone() };
            let (n, sha256) = copy_hashed(&mut blob, &mut zip, &mut buf, expected.size, &mut tracker).map_err(|e| match e {
                CopyError::Read(source) => HandoutError::Io { action: "读取数据库中的", path: m.file.clone(), source },
                CopyError::Write(source) => io(source),
                CopyError::TooLong => damaged(),
                CopyError::Cancelled => HandoutError::Cancelled,
            })?;
            if n != expected.size || sha256 != expected.sha256 {
                return Err(damaged());
            }
        }
        if let Some(expected) = &entry.pages {
            // Made again from the database (in the same read transaction: the same text), so that only one
            // application's page texts are held at a time.
            tracker.stage(format!("正在写入 {} 材料文字", a.code))?;
            let text = pages::gather(conn, &a.material_ids())?.map(|p| p.to_file_text()).unwrap_or_default();
            if text.len() as u64 != expected.size || sha256_hex(text.as_bytes()) != expected.sha256 {
                return Err(HandoutError::Write(format!("申报 {} 的材料文字在导出过程中发生了变化", a.code)));
            }
            zip.start_file(expected.entry.as_str(), deflated).map_err(zerr)?;
            zip.write_all(text.as_bytes()).map_err(io)?;
            tracker.advance(text.len() as u64)?;
        }
    }
    let writer = zip.finish().map_err(zerr)?;
    let file = writer.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(part, path).map_err(|source| HandoutError::Io { action: "写入", path: path.display().to_string(), source })?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(ExportSummary {
        path: path.to_path_buf(),
        bytes,
        applications: manifest.applications.len(),
        materials: manifest.applications.iter().map(|a| a.materials.len()).sum(),
        short_hash: fingerprint(&content_hash),
        content_hash,
    })
}

/// An application to write: its `application.toml` text as stored and its materials to stream.
struct ApplicationOut {
    code: String,
    body: String,
    materials: Vec<MaterialOut>,
}

impl ApplicationOut {
    fn material_ids(&self) -> Vec<(i64, String)> {
        self.materials.iter().map(|m| (m.id, m.file.clone())).collect()
    }
}

/// The manifest, the rubric's text, and the applications in manifest order.
type Gathered = (Manifest, String, Vec<ApplicationOut>);

fn gather(conn: &Connection, round_id: i64, exported_at: &str) -> Result<Gathered> {
    let round = rounds::get(conn, round_id)?;
    // Checks the frozen rubric against its hash.
    let rubric = rounds::rubric(conn, round_id)?;
    let rubric_text: String = conn.query_row("SELECT rubric_toml FROM round WHERE id = ?1", [round_id], |r| r.get(0))?;
    let settings = settlements::settings(conn, round_id)?;

    let mut apps = Vec::new();
    let mut out = Vec::new();
    for a in applications::list(conn, round_id)? {
        if !safe_component(&a.code) {
            return Err(HandoutError::UnsafeName { what: "申报编号", name: a.code });
        }
        let (body, source, needs_manual_entry): (String, String, bool) =
            conn.query_row("SELECT body_toml, source, needs_manual_entry FROM application WHERE id = ?1", [a.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let mut ms = Vec::new();
        let mut materials = Vec::new();
        for m in applications::materials(conn, a.id)? {
            if !safe_component(&m.file) {
                return Err(HandoutError::UnsafeName { what: "材料文件名", name: m.file });
            }
            ms.push(MaterialEntry {
                entry: material_entry(&a.code, &m.file),
                file: m.file.clone(),
                title: m.title,
                pages: m.pages,
                sha256: m.sha256,
                size: m.size as u64,
            });
            materials.push(MaterialOut { id: m.id, file: m.file });
        }
        let app = ApplicationOut { code: a.code.clone(), body, materials };
        // Hashed here for the manifest and dropped; written later from the database again.
        let pages = pages::gather(conn, &app.material_ids())?.map(|p| {
            let text = p.to_file_text();
            PagesEntry { entry: pages_entry(&a.code), sha256: sha256_hex(text.as_bytes()), size: text.len() as u64 }
        });
        apps.push(ApplicationEntry {
            entry: application_entry(&a.code),
            sha256: sha256_hex(app.body.as_bytes()),
            size: app.body.len() as u64,
            code: a.code,
            name: a.name,
            materials: ms,
            pages,
            source,
            needs_manual_entry,
        });
        out.push(app);
    }

    let experts = experts::list(conn, round_id)?
        .into_iter()
        .map(|e| ExpertEntry {
            role: if e.expert.role == Role::Leader { Role::Leader.as_db().to_string() } else { String::new() },
            code: e.expert.code,
            name: e.expert.name,
            unit: e.expert.unit,
            title: e.expert.title,
            field: e.expert.field,
        })
        .collect();
    let mut st = conn.prepare(
        "SELECT e.code, a.code, s.recused, s.recusal_reason, s.recusal_source
         FROM assignment s JOIN expert e ON e.id = s.expert_id JOIN application a ON a.id = s.application_id
         WHERE a.round_id = ?1 ORDER BY e.code, a.code",
    )?;
    let assignments = st
        .query_map([round_id], |r| {
            Ok(AssignmentEntry {
                expert: r.get(0)?,
                application: r.get(1)?,
                recused: r.get(2)?,
                recusal_reason: r.get(3)?,
                recusal_source: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        round: RoundEntry { uid: round.uid, name: round.name, is_sample: round.is_sample },
        rubric: RubricEntry {
            id: rubric.id.clone(),
            title: rubric.title.clone(),
            hash: rubric.hash(),
            entry: RUBRIC_ENTRY.into(),
            sha256: sha256_hex(rubric_text.as_bytes()),
            size: rubric_text.len() as u64,
        },
        settings: SettingsEntry {
            aggregation: match settings.aggregation {
                Aggregation::TrimmedMean => "trimmed_mean",
                Aggregation::Median => "median",
                Aggregation::PerItemTrimmedMean => "per_item_trimmed_mean",
            }
            .into(),
            trim_min_sheets: settings.trim_min_sheets as u32,
            tiebreak_groups: settings.tiebreak_groups.clone(),
            item_flag_percent: settings.item_flag_percent,
            total_flag_points: settings.total_flag_points.to_string(),
        },
        experts,
        applications: apps,
        assignments,
        opinions: OpinionsEntry::of(&round.settings.opinions),
        reconsideration: pingshen_store::reconsiderations::current(conn, round_id)?.map(|r| ReconsiderationEntry {
            number: r.id,
            opened_by: r.opened_by_code.clone(),
            reason: r.reason.clone(),
            opened_at: r.opened_at.clone(),
            applications: r
                .scopes
                .iter()
                .map(|(_, s)| ReconsiderationScopeEntry { application: s.application.clone(), items: s.items.clone() })
                .collect(),
        }),
        exported_at: exported_at.to_string(),
    };
    Ok((manifest, rubric_text, out))
}
