//! Reading a backup: [`inspect`] (the manifest and the zip's directory) and [`restore`] (everything, into the
//! database, with fresh ids).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use pingshen_core::hash::sha256_hex;
use pingshen_core::rubric::{self, fingerprint};
use pingshen_handout::zipsafety::{self, RatioLimit};
use pingshen_handout::{copy_hashed, CopyError};
use pingshen_handout::{Tracker, CHUNK};
use pingshen_store::{audit, rounds, search};
use rusqlite::blob::ZeroBlob;
use rusqlite::types::Null;
use rusqlite::{params, Connection, TransactionBehavior, MAIN_DB};
use serde_json::{Map, Value};
use zip::ZipArchive;

use crate::error::{malformed, BackupError, Result};
use crate::manifest::{
    self, entry_kind, material_entry, pages_entry, Counts, EntryKind, Manifest, ReadManifest, AUDIT_ENTRY, MANIFEST_ENTRY, ROUND_ENTRY, SHEETS_ENTRY,
};
use crate::tables::{self, nothing_fixed, row_id, Fixed, FixedFor, Key, Maps, Table, Target, AUDIT_TABLE, PAGES_TABLE, ROUND_TABLES, SHEETS_TABLES};
use crate::{Limits, OnProgress, ACTOR, LIMITS};

/// What a backup holds, from its manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// 批次标识
    pub uid: String,
    pub name: String,
    pub is_sample: bool,
    /// When the round was closed (结束评审), if it was.
    pub closed_at: Option<String>,
    pub rubric_id: String,
    pub rubric_title: String,
    /// The rubric's fingerprint (8 groups of 4 hex digits).
    pub rubric_fingerprint: String,
    pub counts: Counts,
    /// When the backup was written (the writing machine's clock).
    pub written_at: String,
    /// The schema version of the build that wrote it.
    pub schema_version: i64,
    /// The file's size on disk.
    pub bytes: u64,
    /// The backup's content hash (64 hex digits) and its short form (8 groups of 4).
    pub content_hash: String,
    pub short_hash: String,
}

/// The round a backup was restored into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// Its id on this machine (not the one it had where the backup was written).
    pub round_id: i64,
    pub name: String,
}

type Archive = ZipArchive<BufReader<File>>;

/// Reads the manifest of a backup and checks it (its hash, its structure, the versions) and the zip's
/// directory (every entry's name, kind, size and compression ratio; that the entries are exactly those the
/// manifest lists). No entry other than the manifest is decompressed. [`restore`] does all of this again,
/// then checks every entry's bytes.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    let (_, read, bytes) = read_archive(path, &LIMITS)?;
    let m = read.manifest;
    Ok(BackupInfo {
        uid: m.round.uid,
        name: m.round.name,
        is_sample: m.round.is_sample,
        closed_at: m.round.closed_at,
        rubric_id: m.round.rubric_id,
        rubric_title: m.round.rubric_title,
        rubric_fingerprint: fingerprint(&m.round.rubric_hash),
        counts: m.counts,
        written_at: m.written_at,
        schema_version: m.schema_version,
        bytes,
        short_hash: fingerprint(&read.content_hash),
        content_hash: read.content_hash,
    })
}

/// Restores a backup into this machine's database: checks everything (zip safety, the manifest and its
/// hash, the versions, every entry's size and SHA-256, the rows) and inserts the round, all its rows with
/// fresh ids, every material (streamed into its blob) and page text, its audit log (each entry appended
/// with its original time, actor, action and detail, its entity renumbered), rebuilds its search index and
/// appends a `restore_round` entry, all in one transaction. A closed round is restored closed.
///
/// Refused when this machine already has a round with the backup's 批次标识 ([`BackupError::RoundExists`]):
/// a backup never replaces a round. On any refusal, error or cancel nothing is written.
pub fn restore(conn: &mut Connection, path: &Path, report: OnProgress) -> Result<Restored> {
    restore_with(conn, path, report, &LIMITS)
}

pub(crate) fn restore_with(conn: &mut Connection, path: &Path, report: OnProgress, limits: &Limits) -> Result<Restored> {
    let (mut archive, read, _) = read_archive(path, limits)?;
    let ReadManifest { manifest: m, content_hash } = read;
    if let Some(id) = rounds::find_by_uid(conn, &m.round.uid)? {
        let here = rounds::get(conn, id)?;
        return Err(BackupError::RoundExists { name: here.name, uid: here.uid });
    }

    let total: u64 = m.entries.iter().map(|e| e.size).sum();
    let mut report = report;
    let mut tracker = Tracker::new(total, &mut report);
    let names = |ts: &[Table]| ts.iter().map(|t| t.name).collect::<Vec<_>>();

    // The tables, checked and read before anything is written.
    let mut read_tables = |entry: &str, tables: &[&str], stage: &str| -> Result<Vec<Vec<Map<String, Value>>>> {
        tracker.stage(stage.to_string())?;
        let bytes = read_entry(&mut archive, &m, entry)?;
        let size = bytes.len() as u64;
        let rows = tables::decode(&bytes, entry, tables)?;
        tracker.advance(size)?;
        Ok(rows)
    };
    let round_rows = read_tables(ROUND_ENTRY, &names(ROUND_TABLES), "正在校验批次数据")?;
    let sheet_rows = read_tables(SHEETS_ENTRY, &names(SHEETS_TABLES), "正在校验评分表")?;
    let audit_rows = read_tables(AUDIT_ENTRY, &[AUDIT_TABLE], "正在校验审计日志")?.remove(0);
    let rows_of = |name: &str| -> &[Map<String, Value>] {
        let (tables, rows) = if ROUND_TABLES.iter().any(|t| t.name == name) { (ROUND_TABLES, &round_rows) } else { (SHEETS_TABLES, &sheet_rows) };
        &rows[tables.iter().position(|t| t.name == name).expect("a table of the backup")]
    };
    let closed_at = check_round(&m, rows_of("round"))?;
    let old_round = row_id("round", &rows_of("round")[0])?;
    check_counts(&m, rows_of("application"), rows_of("material"), rows_of("expert"), rows_of("sheet"), rows_of("sheet_version"), &audit_rows)?;
    let materials = check_materials(&m, rows_of("application"), rows_of("material"))?;
    let codes: HashMap<i64, String> =
        rows_of("application").iter().map(|a| Ok((row_id("application", a)?, text(a, "application", "code")?))).collect::<Result<_>>()?;

    // Everything in one transaction, which holds the write lock from the start: the round cannot appear
    // here between the check and the insert.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(id) = rounds::find_by_uid(&tx, &m.round.uid)? {
        let here = rounds::get(&tx, id)?;
        return Err(BackupError::RoundExists { name: here.name, uid: here.uid });
    }
    let mut maps = Maps::default();
    let mut target = Target::new();
    for (t, rows) in ROUND_TABLES.iter().zip(&round_rows) {
        let round_open = |_: &Map<String, Value>| -> Result<Fixed> { Ok(vec![("closed_at", Box::new(Null))]) };
        let reserved = |row: &Map<String, Value>| -> Result<Fixed> {
            let size = m.entry(&material_entry(row_id("material", row)?)).map_or(0, |e| e.size);
            let size = i32::try_from(size).map_err(|_| malformed(format!("材料的大小 {size} 字节超出了本机数据库的上限")))?;
            Ok(vec![("content", Box::new(ZeroBlob(size)))])
        };
        let fixed: FixedFor = match t.name {
            "round" => &round_open,
            "material" => &reserved,
            _ => &nothing_fixed,
        };
        tables::insert(&tx, &mut target, t, rows, &mut maps, fixed)?;
    }
    let round_id = maps.new_id(Key::Round, old_round, "round")?;

    // Materials streamed into their blobs and the page texts, entry by entry in file order.
    let mut buf = vec![0u8; CHUNK];
    let mut n_pages = 0u64;
    for e in &m.entries {
        match entry_kind(&e.name) {
            Some(EntryKind::Material(old)) => {
                let (app, file) = &materials[&old];
                tracker.stage(format!("正在恢复 {} 的材料 {file}", codes[app]))?;
                let rowid = maps.new_id(Key::Material, old, "material")?;
                let mut blob = tx.blob_open(MAIN_DB, "material", "content", rowid, false)?;
                let mut entry = archive.by_name(&e.name).map_err(|_| BackupError::EntryMissing { entry: e.name.clone() })?;
                let mismatch = || BackupError::EntryMismatch { entry: e.name.clone() };
                let (n, sha256) = copy_hashed(&mut entry, &mut blob, &mut buf, e.size, &mut tracker).map_err(|err| match err {
                    CopyError::Read(err) if CopyError::is_damaged(&err) => mismatch(),
                    CopyError::Read(source) => BackupError::Io { action: "读取", path: path.display().to_string(), source },
                    CopyError::Write(source) => BackupError::Io { action: "写入数据库中的材料", path: file.clone(), source },
                    CopyError::TooLong => mismatch(),
                    CopyError::Cancelled => BackupError::Cancelled,
                })?;
                if n != e.size || sha256 != e.sha256 {
                    return Err(mismatch());
                }
            }
            Some(EntryKind::Pages(app)) => {
                tracker.stage(format!("正在恢复 {} 的材料文字", codes[&app]))?;
                let bytes = read_entry(&mut archive, &m, &e.name)?;
                let rows = tables::decode(&bytes, &e.name, &[PAGES_TABLE.name])?.remove(0);
                for row in &rows {
                    let material = row.get("material_id").and_then(Value::as_i64);
                    if material.and_then(|id| materials.get(&id)).map(|(a, _)| *a) != Some(app) {
                        return Err(malformed(format!("{} 中有不属于申报 {} 的材料的页", e.name, codes[&app])));
                    }
                }
                n_pages += rows.len() as u64;
                tables::insert(&tx, &mut target, &PAGES_TABLE, &rows, &mut maps, &nothing_fixed)?;
                tracker.advance(bytes.len() as u64)?;
            }
            _ => {}
        }
    }
    if n_pages != m.counts.pages {
        return Err(malformed(format!("清单记录材料文字 {} 页，实际有 {n_pages} 页", m.counts.pages)));
    }
    tracker.stage("正在重建检索索引".into())?;
    for old in codes.keys() {
        search::index_application(&tx, maps.new_id(Key::Application, *old, "application")?)?;
    }

    tracker.stage("正在恢复评分表".into())?;
    for (t, rows) in SHEETS_TABLES.iter().zip(&sheet_rows) {
        tables::insert(&tx, &mut target, t, rows, &mut maps, &nothing_fixed)?;
    }
    tracker.stage("正在恢复审计日志".into())?;
    insert_audit(&tx, &audit_rows, &maps)?;
    tx.execute("UPDATE round SET closed_at = ?2 WHERE id = ?1", params![round_id, closed_at])?;
    let c = &m.counts;
    audit::append(
        &tx,
        ACTOR,
        audit::Action::RestoreRound,
        &format!("round:{round_id}"),
        &format!(
            "从备份恢复评审批次「{}」（批次标识 {}）：申报 {} 项、材料 {} 份（文字 {} 页）、专家 {} 人、评分表 {} 份（已提交 {} 份，保留版本 {} 个）、审计记录 {} 条；备份时间 {}；校验码 {}；文件校验值 {}",
            m.round.name,
            m.round.uid,
            c.applications,
            c.materials,
            c.pages,
            c.experts,
            c.sheets,
            c.submitted,
            c.versions,
            c.audit_entries,
            m.written_at,
            fingerprint(&content_hash),
            content_hash
        ),
    )?;
    tracker.stage("正在保存".into())?;
    tx.commit()?;
    Ok(Restored { round_id, name: m.round.name })
}

/// A text column of a row.
fn text(row: &Map<String, Value>, table: &str, column: &str) -> Result<String> {
    row.get(column).and_then(Value::as_str).map(str::to_string).ok_or_else(|| malformed(format!("{table} 表的 {column} 应为文字")))
}

/// The round row: exactly one, the round the manifest names, its frozen rubric intact. Returns its
/// `closed_at` (restored last, since a closed round refuses rows).
fn check_round(m: &Manifest, rows: &[Map<String, Value>]) -> Result<Option<String>> {
    let [row] = rows else {
        return Err(malformed(format!("{ROUND_ENTRY} 应有且只有一个评审批次，实际有 {} 个", rows.len())));
    };
    let closed_at = match row.get("closed_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(malformed("round 表的 closed_at 应为文字")),
    };
    let r = &m.round;
    let same = text(row, "round", "uid")? == r.uid
        && text(row, "round", "name")? == r.name
        && row.get("is_sample").and_then(Value::as_i64) == Some(r.is_sample as i64)
        && closed_at == r.closed_at
        && text(row, "round", "rubric_id")? == r.rubric_id
        && text(row, "round", "rubric_title")? == r.rubric_title
        && text(row, "round", "rubric_hash")? == r.rubric_hash;
    if !same {
        return Err(malformed(format!("{ROUND_ENTRY} 中的评审批次与清单记录的不同")));
    }
    let rubric = rubric::parse(&text(row, "round", "rubric_toml")?).map_err(|_| malformed("评审批次冻结的评分标准无法读取"))?;
    if rubric.hash() != r.rubric_hash {
        return Err(malformed("评审批次冻结的评分标准与其校验码不符"));
    }
    Ok(closed_at)
}

fn check_counts(
    m: &Manifest,
    applications: &[Map<String, Value>],
    materials: &[Map<String, Value>],
    experts: &[Map<String, Value>],
    sheets: &[Map<String, Value>],
    versions: &[Map<String, Value>],
    audit: &[Map<String, Value>],
) -> Result<()> {
    let submitted = sheets.iter().filter(|s| s.get("status").and_then(Value::as_str) == Some("submitted")).count();
    let found = [applications.len(), materials.len(), experts.len(), sheets.len(), submitted, versions.len(), audit.len()].map(|n| n as u64);
    let c = &m.counts;
    let listed = [c.applications, c.materials, c.experts, c.sheets, c.submitted, c.versions, c.audit_entries];
    if found != listed {
        return Err(malformed(format!("清单中的数量与数据不符（清单 {listed:?}，数据 {found:?}）")));
    }
    Ok(())
}

/// Every material row has its entry, with the hash recorded for it, and every entry of a material or of page
/// texts has its row. Returns each material's application and file name, by its old id.
fn check_materials(m: &Manifest, applications: &[Map<String, Value>], materials: &[Map<String, Value>]) -> Result<HashMap<i64, (i64, String)>> {
    let apps: HashSet<i64> = applications.iter().map(|a| row_id("application", a)).collect::<Result<_>>()?;
    let mut out = HashMap::new();
    for row in materials {
        let id = row_id("material", row)?;
        let app = row.get("application_id").and_then(Value::as_i64).filter(|a| apps.contains(a));
        let app = app.ok_or_else(|| malformed(format!("材料（编号 {id}）不属于备份中的任何申报")))?;
        let entry = m.entry(&material_entry(id)).ok_or_else(|| malformed(format!("清单中没有材料（编号 {id}）的文件 {}", material_entry(id))))?;
        if text(row, "material", "sha256")? != entry.sha256 {
            return Err(malformed(format!("材料（编号 {id}）入库时的校验值与清单记录的不同")));
        }
        if out.insert(id, (app, text(row, "material", "file")?)).is_some() {
            return Err(malformed(format!("material 表中编号 {id} 出现了两次")));
        }
    }
    for e in &m.entries {
        match entry_kind(&e.name) {
            Some(EntryKind::Material(id)) if !out.contains_key(&id) => {
                return Err(malformed(format!("清单中的 {} 不是备份中任何材料的文件", e.name)));
            }
            Some(EntryKind::Pages(id)) if !apps.contains(&id) => {
                return Err(malformed(format!("清单中的 {} 不是备份中任何申报的材料文字", pages_entry(id))));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Appends the round's audit entries as they were, each one's entity renumbered.
fn insert_audit(tx: &Connection, rows: &[Map<String, Value>], maps: &Maps) -> Result<()> {
    let mut st = tx.prepare("INSERT INTO audit_log (at, actor, action, entity, detail) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for row in rows {
        if let Some(k) = row.keys().find(|k| !["id", "at", "actor", "action", "entity", "detail"].contains(&k.as_str())) {
            return Err(malformed(format!("audit_log 表中有本软件不认识的列“{k}”")));
        }
        row_id(AUDIT_TABLE, row)?;
        let get = |c: &str| text(row, AUDIT_TABLE, c);
        let entity = renumber(&get("entity")?, maps)?;
        st.execute(params![get("at")?, get("actor")?, get("action")?, entity, get("detail")?]).map_err(|e| tables::refused_row(AUDIT_TABLE, e))?;
    }
    Ok(())
}

/// An audit entry's entity (`round:ID`, `application:ID`, `expert:ID`, `sheet:ID`,
/// `assignment:EXPERT:APPLICATION`) with the new ids.
fn renumber(entity: &str, maps: &Maps) -> Result<String> {
    let bad = || malformed(format!("审计日志中的对象“{entity}”无法对应到备份中的数据"));
    let id = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let parts: Vec<&str> = entity.split(':').collect();
    let new = |key: Key, s: &str| -> Result<i64> { maps.get(key, id(s)?).ok_or_else(bad) };
    Ok(match parts.as_slice() {
        ["round", r] => format!("round:{}", new(Key::Round, r)?),
        ["application", a] => format!("application:{}", new(Key::Application, a)?),
        ["expert", e] => format!("expert:{}", new(Key::Expert, e)?),
        ["sheet", s] => format!("sheet:{}", new(Key::Sheet, s)?),
        ["assignment", e, a] => format!("assignment:{}:{}", new(Key::Expert, e)?, new(Key::Application, a)?),
        _ => return Err(bad()),
    })
}

/// Reads an entry whole and checks its size and SHA-256 against the manifest.
fn read_entry(archive: &mut Archive, m: &Manifest, name: &str) -> Result<Vec<u8>> {
    let listed = m.entry(name).ok_or_else(|| BackupError::EntryMissing { entry: name.to_string() })?;
    let mismatch = || BackupError::EntryMismatch { entry: name.to_string() };
    let mut f = archive.by_name(name).map_err(|_| BackupError::EntryMissing { entry: name.to_string() })?;
    let mut out = Vec::with_capacity(listed.size as usize);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match f.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(mismatch()),
        };
        if n == 0 {
            break;
        }
        if (out.len() + n) as u64 > listed.size {
            return Err(mismatch());
        }
        out.extend_from_slice(&buf[..n]);
    }
    if out.len() as u64 != listed.size || sha256_hex(&out) != listed.sha256 {
        return Err(mismatch());
    }
    Ok(out)
}

/// Opens the zip, checks its directory and reads the manifest. Returns the archive, the manifest and the
/// file's size.
fn read_archive(path: &Path, limits: &Limits) -> Result<(Archive, ReadManifest, u64)> {
    let io = |source| BackupError::Io { action: "读取", path: path.display().to_string(), source };
    let mut file = File::open(path).map_err(io)?;
    let bytes = file.metadata().map_err(io)?.len();
    let mut magic = [0u8; 2];
    let zip_like = file.read_exact(&mut magic).is_ok() && &magic == b"PK";
    let mut archive = ZipArchive::new(BufReader::new(file)).map_err(|e| match e {
        zip::result::ZipError::Io(e) if e.kind() != std::io::ErrorKind::UnexpectedEof && e.kind() != std::io::ErrorKind::InvalidData => io(e),
        _ if zip_like => BackupError::Damaged,
        _ => BackupError::NotBackup,
    })?;
    if archive.index_for_name(MANIFEST_ENTRY).is_none() {
        return Err(BackupError::NotBackup);
    }
    let names = zipsafety::check_directory(
        &mut archive,
        |name| match entry_kind(name) {
            _ if name == MANIFEST_ENTRY => limits.manifest,
            Some(EntryKind::Tables) => limits.tables,
            Some(EntryKind::Pages(_)) => limits.pages,
            _ => limits.material,
        },
        RatioLimit { limit: limits.ratio, from: limits.ratio_from },
    )?;
    let size: u64 = names.iter().map(|(_, s)| s).fold(0u64, |a, s| a.saturating_add(*s));
    if size > limits.total {
        return Err(BackupError::TotalTooLarge { size, limit: limits.total });
    }

    let mut text = Vec::new();
    {
        let mut f = archive.by_name(MANIFEST_ENTRY).map_err(|_| BackupError::ManifestTampered)?;
        (&mut f).take(limits.manifest + 1).read_to_end(&mut text).map_err(|_| BackupError::ManifestTampered)?;
    }
    let read = manifest::read(&text)?;

    // Exactly the entries the manifest lists, with the sizes it gives.
    let declared: HashMap<&str, u64> = names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    for e in &read.manifest.entries {
        match declared.get(e.name.as_str()) {
            None => return Err(BackupError::EntryMissing { entry: e.name.clone() }),
            Some(s) if *s != e.size => return Err(BackupError::EntryMismatch { entry: e.name.clone() }),
            Some(_) => {}
        }
    }
    let listed: HashSet<&str> = read.manifest.entries.iter().map(|e| e.name.as_str()).collect();
    if let Some((extra, _)) = names.iter().find(|(n, _)| n != MANIFEST_ENTRY && !listed.contains(n.as_str())) {
        return Err(BackupError::UnexpectedEntry { entry: extra.clone() });
    }
    Ok((archive, read, bytes))
}
