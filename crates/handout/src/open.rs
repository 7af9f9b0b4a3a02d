//! Reading a round file: [`inspect`] (the manifest only) and [`open`] (everything, into the database).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use pingshen_core::application::parse_application;
use pingshen_core::expert::{Expert, Role};
use pingshen_core::hash::sha256_hex;
use pingshen_core::rubric::{self, fingerprint};
use pingshen_store::rounds::{self, NewApplication, NewRound};
use pingshen_store::{audit, handout, search, settlements};
use rusqlite::{params, Connection, MAIN_DB};
use zip::ZipArchive;

use crate::error::{HandoutError, Result};
use crate::manifest::{self, malformed, Manifest, OpinionsEntry, ReadManifest, MANIFEST_ENTRY, RUBRIC_ENTRY};
use crate::zipsafety::{self, RatioLimit};
use crate::{copy_hashed, CopyError};
use crate::{pages, Limits, OnProgress, Tracker, CHUNK, LIMITS, OPEN_ACTOR};

/// An application as the picker lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationInfo {
    /// 申报编号
    pub code: String,
    /// 联合体名称
    pub name: String,
    /// How many materials it carries.
    pub materials: usize,
}

/// An expert as the picker lists it (the file has no phone numbers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertInfo {
    /// 专家编号
    pub code: String,
    /// 姓名
    pub name: String,
    /// 单位
    pub unit: String,
    /// 职称
    pub title: String,
}

/// What a round file holds, from its manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundFileInfo {
    /// 批次标识
    pub uid: String,
    pub name: String,
    pub is_sample: bool,
    pub rubric_id: String,
    pub rubric_title: String,
    /// The rubric's hash (64 hex digits) and its fingerprint (8 groups of 4).
    pub rubric_hash: String,
    pub rubric_fingerprint: String,
    pub applications: Vec<ApplicationInfo>,
    pub experts: Vec<ExpertInfo>,
    pub exported_at: String,
    /// The file's size on disk.
    pub bytes: u64,
    /// The round's content hash (64 hex digits) and its short form (8 groups of 4).
    pub content_hash: String,
    pub short_hash: String,
}

/// The round a file was opened into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedRound {
    pub round_id: i64,
    pub name: String,
    /// The same round file had been opened on this machine before; nothing was written.
    pub already_open: bool,
    /// The round's content hash (64 hex digits).
    pub content_hash: String,
}

type Archive = ZipArchive<BufReader<File>>;

/// Reads the manifest of a round file and checks it (its hash, its structure) and the zip's directory
/// (every entry's name, kind, size and compression ratio; that the entries are exactly those the manifest
/// lists). No entry other than the manifest is decompressed: fast, for showing what a file holds before
/// opening it. [`open`] does all of this again, then checks every entry's bytes.
pub fn inspect(path: &Path) -> Result<RoundFileInfo> {
    let (_, read, bytes) = read_archive(path, &LIMITS)?;
    let m = &read.manifest;
    Ok(RoundFileInfo {
        uid: m.round.uid.clone(),
        name: m.round.name.clone(),
        is_sample: m.round.is_sample,
        rubric_id: m.rubric.id.clone(),
        rubric_title: m.rubric.title.clone(),
        rubric_hash: m.rubric.hash.clone(),
        rubric_fingerprint: fingerprint(&m.rubric.hash),
        applications: m
            .applications
            .iter()
            .map(|a| ApplicationInfo { code: a.code.clone(), name: a.name.clone(), materials: a.materials.len() })
            .collect(),
        experts: m
            .experts
            .iter()
            .map(|e| ExpertInfo { code: e.code.clone(), name: e.name.clone(), unit: e.unit.clone(), title: e.title.clone() })
            .collect(),
        exported_at: m.exported_at.clone(),
        bytes,
        short_hash: fingerprint(&read.content_hash),
        content_hash: read.content_hash.clone(),
    })
}

/// Opens a round file into this machine's database: checks everything and creates the round (same 批次标识),
/// its applications and materials (with the text of their pages, indexed for search), experts, assignments
/// and recusals, and consolidation settings, and records the handout (`pingshen_store::handout`), all in one
/// transaction. Materials are streamed entry by entry into their blobs, each checked against its SHA-256
/// before the commit. On any refusal, error or
/// cancel nothing is written.
///
/// A round already on this machine from the same file content returns `already_open: true` and writes
/// nothing; from another version (or made here) it is refused ([`HandoutError::OtherVersion`]).
pub fn open(conn: &mut Connection, path: &Path, on_progress: OnProgress) -> Result<OpenedRound> {
    open_with(conn, path, on_progress, &LIMITS)
}

pub(crate) fn open_with(conn: &mut Connection, path: &Path, on_progress: OnProgress, limits: &Limits) -> Result<OpenedRound> {
    let (mut archive, read, _) = read_archive(path, limits)?;
    let ReadManifest { manifest: m, content_hash } = read;

    if let Some(id) = rounds::find_by_uid(conn, &m.round.uid)? {
        let existing = rounds::get(conn, id)?;
        return match handout::get(conn, id)? {
            Some(h) if h.file_hash == content_hash => Ok(OpenedRound { round_id: id, name: existing.name, already_open: true, content_hash }),
            h => Err(HandoutError::OtherVersion {
                name: existing.name,
                uid: existing.uid,
                here: match h {
                    Some(h) => format!("来自评审包，校验码 {}", fingerprint(&h.file_hash)),
                    None => "在本机创建".into(),
                },
                file: fingerprint(&content_hash),
            }),
        };
    }

    let total: u64 = m.entries().iter().map(|(_, size, _)| size).sum();
    let mut on_progress = on_progress;
    let mut tracker = Tracker::new(total, &mut on_progress);

    // Pass 1: the rubric and every application.toml (small), checked and parsed.
    tracker.stage("正在校验评分标准".into())?;
    let rubric_text = read_text(&mut archive, RUBRIC_ENTRY, m.rubric.size, &m.rubric.sha256)?;
    tracker.advance(m.rubric.size)?;
    let rubric_text = String::from_utf8(rubric_text).map_err(|_| HandoutError::RubricUnreadable("不是 UTF-8 编码的文本".into()))?;
    let rubric = rubric::parse(&rubric_text)
        .map_err(|e| HandoutError::RubricUnreadable(e.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("；")))?;
    if rubric.hash() != m.rubric.hash || rubric.id != m.rubric.id || rubric.title != m.rubric.title {
        return Err(HandoutError::RubricMismatch { manifest: fingerprint(&m.rubric.hash), file: fingerprint(&rubric.hash()) });
    }
    let settings = m.settings()?;
    settings.check(&rubric).map_err(|problems| malformed(format!("统分设置与评分标准不符：{}", problems.join("；"))))?;

    let mut applications = Vec::new();
    let mut bodies = Vec::new();
    for a in &m.applications {
        tracker.stage(format!("正在校验 {} 推荐书", a.code))?;
        let bytes = read_text(&mut archive, &a.entry, a.size, &a.sha256)?;
        tracker.advance(a.size)?;
        let unreadable = |message: String| HandoutError::ApplicationUnreadable { code: a.code.clone(), entry: a.entry.clone(), message };
        let body = String::from_utf8(bytes).map_err(|_| unreadable("不是 UTF-8 编码的文本".into()))?;
        let application = parse_application(&body).map_err(|e| unreadable(e.to_string()))?;
        applications.push(NewApplication { code: a.code.clone(), application, materials: Vec::new() });
        bodies.push(body);
    }

    // Pass 2, in one transaction: the round, then the materials streamed into their blobs.
    let tx = conn.transaction()?;
    let new = NewRound {
        name: m.round.name.clone(),
        rubric_text,
        applications,
        experts: m
            .experts
            .iter()
            .map(|e| Expert {
                code: e.code.clone(),
                name: e.name.clone(),
                unit: e.unit.clone(),
                title: e.title.clone(),
                field: e.field.clone(),
                phone: String::new(),
                role: Role::from_db(&e.role).unwrap_or_default(),
            })
            .collect(),
        is_sample: m.round.is_sample,
        uid: Some(m.round.uid.clone()),
    };
    let round_id = rounds::create_in(&tx, &new, OPEN_ACTOR)?;
    drop(new);
    let mut app_ids = HashMap::new();
    for (a, body) in m.applications.iter().zip(&bodies) {
        // The body exactly as the staff machine holds it (not re-serialized), and the name it lists.
        let id: i64 = tx.query_row(
            "UPDATE application SET name = ?3, body_toml = ?4, source = ?5, needs_manual_entry = ?6
             WHERE round_id = ?1 AND code = ?2 RETURNING id",
            params![round_id, a.code, a.name, body, a.source, a.needs_manual_entry],
            |r| r.get(0),
        )?;
        app_ids.insert(a.code.as_str(), id);
    }
    drop(bodies);
    write_assignments(&tx, round_id, &m)?;
    settlements::set_settings(&tx, round_id, &settings, OPEN_ACTOR)?;
    let rules = OpinionsEntry::rules(m.opinions.as_ref()).ok_or_else(|| malformed("综合意见字数上限须大于 0".to_string()))?;
    rounds::set_opinion_rules_in(&tx, round_id, &rules)?;
    if let Some(r) = &m.reconsideration {
        // The open 复议 travels with the round: the laptop shows it for the named applications.
        let leader: i64 = tx
            .query_row("SELECT id FROM expert WHERE round_id = ?1 AND code = ?2", params![round_id, r.opened_by], |row| row.get(0))
            .map_err(|_| malformed(format!("复议的组长 {} 不在专家名单中", r.opened_by)))?;
        let mut targets = Vec::new();
        for s in &r.applications {
            let id = *app_ids.get(s.application.as_str()).ok_or_else(|| malformed(format!("复议的申报 {} 不在申报名单中", s.application)))?;
            targets.push((id, s.items.clone()));
        }
        pingshen_store::reconsiderations::open(&tx, round_id, leader, &targets, &r.reason, OPEN_ACTOR)
            .map_err(|e| malformed(format!("复议有误：{e}")))?;
    }
    handout::record(&tx, round_id, &content_hash)?;

    let mut buf = vec![0u8; CHUNK];
    let mut n_pages = 0usize;
    for a in &m.applications {
        let mut material_ids = HashMap::new();
        for mat in &a.materials {
            tracker.stage(format!("正在校验 {} {}", a.code, mat.file))?;
            let rowid = handout::reserve_material(&tx, app_ids[a.code.as_str()], &mat.file, &mat.title, mat.pages, &mat.sha256, mat.size)?;
            material_ids.insert(mat.file.as_str(), rowid);
            let mut blob = tx.blob_open(MAIN_DB, "material", "content", rowid, false)?;
            let mut entry = archive.by_name(&mat.entry).map_err(|_| HandoutError::EntryMissing { entry: mat.entry.clone() })?;
            let mismatch = || HandoutError::EntryMismatch { entry: mat.entry.clone() };
            let (n, sha256) = copy_hashed(&mut entry, &mut blob, &mut buf, mat.size, &mut tracker).map_err(|e| match e {
                CopyError::Read(e) if CopyError::is_damaged(&e) => mismatch(),
                CopyError::Read(source) => HandoutError::Io { action: "读取", path: path.display().to_string(), source },
                CopyError::Write(source) => HandoutError::Io { action: "写入数据库中的材料", path: mat.file.clone(), source },
                CopyError::TooLong => mismatch(),
                CopyError::Cancelled => HandoutError::Cancelled,
            })?;
            if n != mat.size || sha256 != mat.sha256 {
                return Err(mismatch());
            }
        }
        // The text of the materials' pages (one application's at a time), for search on this machine.
        if let Some(p) = &a.pages {
            tracker.stage(format!("正在校验 {} 材料文字", a.code))?;
            let bytes = read_text(&mut archive, &p.entry, p.size, &p.sha256)?;
            let pages = pages::read(bytes, &a.code, &p.entry, &a.materials)?;
            for mp in pages.materials {
                let rows: Vec<(u32, String, bool)> = mp.pages.into_iter().map(|t| (t.page, t.text, t.scanned)).collect();
                n_pages += rows.len();
                search::store_pages(&tx, material_ids[mp.file.as_str()], &rows)?;
            }
            tracker.advance(p.size)?;
        }
        search::index_application(&tx, app_ids[a.code.as_str()])?;
    }
    let n_materials: usize = m.applications.iter().map(|a| a.materials.len()).sum();
    audit::append(
        &tx,
        OPEN_ACTOR,
        audit::Action::OpenRoundFile,
        &format!("round:{round_id}"),
        &format!(
            "从评审包打开评审批次「{}」：申报 {} 项、材料 {} 份（文字 {} 页）、专家 {} 人，回避 {} 项；导出时间 {}；校验码 {}；文件校验值 {}",
            m.round.name,
            m.applications.len(),
            n_materials,
            n_pages,
            m.experts.len(),
            m.assignments.iter().filter(|s| s.recused).count(),
            m.exported_at,
            fingerprint(&content_hash),
            content_hash
        ),
    )?;
    tx.commit()?;
    Ok(OpenedRound { round_id, name: m.round.name.clone(), already_open: false, content_hash })
}

/// `create_in` assigns every expert to every application; keep exactly the file's assignments, with
/// their recusals.
fn write_assignments(tx: &rusqlite::Transaction<'_>, round_id: i64, m: &Manifest) -> Result<()> {
    let listed: HashSet<(&str, &str)> = m.assignments.iter().map(|s| (s.expert.as_str(), s.application.as_str())).collect();
    let all: Vec<(i64, i64, String, String)> = {
        let mut st = tx.prepare(
            "SELECT s.expert_id, s.application_id, e.code, a.code
             FROM assignment s JOIN expert e ON e.id = s.expert_id JOIN application a ON a.id = s.application_id
             WHERE a.round_id = ?1",
        )?;
        let rows = st.query_map([round_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (e, a, ec, ac) in &all {
        if !listed.contains(&(ec.as_str(), ac.as_str())) {
            tx.execute("DELETE FROM assignment WHERE expert_id = ?1 AND application_id = ?2", [e, a])?;
        }
    }
    for s in m.assignments.iter().filter(|s| s.recused || !s.recusal_reason.is_empty() || !s.recusal_source.is_empty()) {
        tx.execute(
            "UPDATE assignment SET recused = ?3, recusal_reason = ?4, recusal_source = ?5
             WHERE expert_id = (SELECT id FROM expert WHERE round_id = ?1 AND code = ?2)
               AND application_id = (SELECT id FROM application WHERE round_id = ?1 AND code = ?6)",
            params![round_id, s.expert, s.recused, s.recusal_reason, s.recusal_source, s.application],
        )?;
    }
    Ok(())
}

/// Reads a small entry whole and checks its size and SHA-256 against the manifest.
fn read_text(archive: &mut Archive, entry: &str, size: u64, sha256: &str) -> Result<Vec<u8>> {
    let mismatch = || HandoutError::EntryMismatch { entry: entry.to_string() };
    let mut f = archive.by_name(entry).map_err(|_| HandoutError::EntryMissing { entry: entry.to_string() })?;
    let mut out = Vec::with_capacity(size as usize);
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
        if (out.len() + n) as u64 > size {
            return Err(mismatch());
        }
        out.extend_from_slice(&buf[..n]);
    }
    if out.len() as u64 != size || sha256_hex(&out) != sha256 {
        return Err(mismatch());
    }
    Ok(out)
}

/// Opens the zip, checks its directory and reads the manifest. Returns the archive, the manifest and the
/// file's size.
fn read_archive(path: &Path, limits: &Limits) -> Result<(Archive, ReadManifest, u64)> {
    let io = |source| HandoutError::Io { action: "读取", path: path.display().to_string(), source };
    let file = File::open(path).map_err(io)?;
    let bytes = file.metadata().map_err(io)?.len();
    let mut archive = ZipArchive::new(BufReader::new(file)).map_err(|e| match e {
        zip::result::ZipError::Io(e) if e.kind() != std::io::ErrorKind::UnexpectedEof && e.kind() != std::io::ErrorKind::InvalidData => io(e),
        _ => HandoutError::NotRoundFile,
    })?;
    if archive.index_for_name(MANIFEST_ENTRY).is_none() {
        return Err(HandoutError::NotRoundFile);
    }
    let names = zipsafety::check_directory(
        &mut archive,
        |name| {
            let parts: Vec<&str> = name.split('/').collect();
            match parts.as_slice() {
                [MANIFEST_ENTRY] => limits.manifest,
                [RUBRIC_ENTRY] | ["applications", _, "application.toml"] => limits.text,
                ["applications", _, "pages.json"] => limits.pages,
                _ => limits.material,
            }
        },
        RatioLimit { limit: limits.ratio, from: limits.ratio_from },
    )?;

    let mut text = Vec::new();
    {
        let mut f = archive.by_name(MANIFEST_ENTRY).map_err(|_| HandoutError::ManifestTampered)?;
        (&mut f).take(limits.manifest + 1).read_to_end(&mut text).map_err(|_| HandoutError::ManifestTampered)?;
    }
    let read = manifest::read(&text)?;

    // Exactly the entries the manifest lists, with the sizes it gives.
    let declared: HashMap<&str, u64> = names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let listed = read.manifest.entries();
    for (entry, size, _) in &listed {
        match declared.get(entry) {
            None => return Err(HandoutError::EntryMissing { entry: entry.to_string() }),
            Some(s) if s != size => return Err(HandoutError::EntryMismatch { entry: entry.to_string() }),
            Some(_) => {}
        }
    }
    let listed: HashSet<&str> = listed.iter().map(|(e, _, _)| *e).collect();
    if let Some((extra, _)) = names.iter().find(|(n, _)| n != MANIFEST_ENTRY && !listed.contains(n.as_str())) {
        return Err(HandoutError::UnexpectedEntry { entry: extra.clone() });
    }
    Ok((archive, read, bytes))
}
