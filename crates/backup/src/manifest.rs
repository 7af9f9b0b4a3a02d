//! The manifest (`manifest.json`) of a backup: its members, its canonical JSON sealed with the content
//! hash, and reading it back with every check that needs no other entry. Format: `docs/backup.md`.

use std::collections::HashSet;

use pingshen_core::hash::sha256_hex;
use pingshen_handout::manifest::{seal, unseal};
use pingshen_store::SCHEMA_VERSION;
use serde::{Deserialize, Serialize};

use crate::error::{malformed, BackupError, Result};

/// The value of the `format` member.
pub const FORMAT: &str = "pingshen-round-backup";
/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The oldest schema version a backup can have: the one this format came with.
pub const MIN_SCHEMA_VERSION: i64 = 7;
/// The manifest's entry name.
pub const MANIFEST_ENTRY: &str = "manifest.json";
/// The round's own rows: the round, its settings, experts, declarations, applications, materials (without
/// their bytes), assignments, the handout and the panel's decisions.
pub const ROUND_ENTRY: &str = "round.json";
/// Sheets and everything on them: scores, deductions, versions, evidence, veto proposals.
pub const SHEETS_ENTRY: &str = "sheets.json";
/// The round's audit log.
pub const AUDIT_ENTRY: &str = "audit.json";

/// The entry of the material with this (source) id: its bytes.
pub fn material_entry(material_id: i64) -> String {
    format!("materials/{material_id}")
}

/// The entry of the page texts of the application with this (source) id.
pub fn pages_entry(application_id: i64) -> String {
    format!("pages/{application_id}.json")
}

/// What an entry name is, by the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Tables,
    Material(i64),
    Pages(i64),
}

/// The kind of an entry other than the manifest, or `None` for a name the layout does not have. Ids are
/// positive decimal numbers without leading zeros.
pub(crate) fn entry_kind(name: &str) -> Option<EntryKind> {
    let id = |s: &str| -> Option<i64> {
        if s.is_empty() || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    if [ROUND_ENTRY, SHEETS_ENTRY, AUDIT_ENTRY].contains(&name) {
        return Some(EntryKind::Tables);
    }
    if let Some(rest) = name.strip_prefix("materials/") {
        return id(rest).map(EntryKind::Material);
    }
    name.strip_prefix("pages/").and_then(|r| r.strip_suffix(".json")).and_then(id).map(EntryKind::Pages)
}

/// The manifest: what the backup holds and the size and SHA-256 of every other entry. Members are
/// serialized in declaration order; that order is the format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// `pingshen_store::SCHEMA_VERSION` of the build that wrote it: the tables and columns are those of that
    /// schema.
    pub schema_version: i64,
    pub round: RoundEntry,
    pub counts: Counts,
    /// Every entry but the manifest, in file order.
    pub entries: Vec<Entry>,
    /// When the backup was written, by the writing machine's clock (the caller passes it in).
    pub written_at: String,
}

/// The round's identity and state, as `round.json` has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundEntry {
    /// 批次标识, 32 lower-case hex digits.
    pub uid: String,
    pub name: String,
    pub is_sample: bool,
    /// When the round was closed (结束评审), or `null`.
    pub closed_at: Option<String>,
    pub rubric_id: String,
    pub rubric_title: String,
    /// `Rubric::hash` of the frozen rubric (64 hex digits).
    pub rubric_hash: String,
}

/// How many of each the backup holds (checked against the data on restore).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub applications: u64,
    pub materials: u64,
    /// Stored material pages (`material_page` rows).
    pub pages: u64,
    pub experts: u64,
    pub sheets: u64,
    /// Sheets whose status is submitted.
    pub submitted: u64,
    /// Kept submitted versions (`sheet_version` rows).
    pub versions: u64,
    pub audit_entries: u64,
}

/// An entry other than the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    pub size: u64,
    /// SHA-256 of its bytes, 64 lower-case hex digits.
    pub sha256: String,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Manifest {
    /// The canonical JSON without `content_hash`: compact, members in declaration order, strings with only
    /// the escapes JSON requires. This is what the content hash covers.
    pub fn canonical_without_hash(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serializes")
    }

    /// SHA-256 (64 lower-case hex digits) of [`Self::canonical_without_hash`]: the backup's content hash.
    pub fn content_hash(&self) -> String {
        sha256_hex(self.canonical_without_hash().as_bytes())
    }

    /// `manifest.json` as written: the canonical JSON with `content_hash` as its last member, then `\n`.
    pub fn to_file_text(&self) -> String {
        seal(&self.canonical_without_hash())
    }

    /// The entry named `name`.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The checks that need nothing but the manifest.
    fn check(&self) -> Result<()> {
        if self.schema_version < MIN_SCHEMA_VERSION {
            return Err(malformed(format!("数据库结构版本 {} 早于备份格式所要求的 {MIN_SCHEMA_VERSION}", self.schema_version)));
        }
        if !is_hex(&self.round.uid, 32) {
            return Err(malformed(format!("批次标识“{}”应为 32 位小写十六进制数字", self.round.uid)));
        }
        if !is_hex(&self.round.rubric_hash, 64) {
            return Err(malformed("评分标准校验码应为 64 位小写十六进制数字"));
        }
        let mut names = HashSet::new();
        for e in &self.entries {
            if e.name == MANIFEST_ENTRY || entry_kind(&e.name).is_none() {
                return Err(malformed(format!("清单中的文件名“{}”不是备份文件中应有的", e.name)));
            }
            if !names.insert(e.name.as_str()) {
                return Err(malformed(format!("清单中的文件 {} 出现了两次", e.name)));
            }
            if !is_hex(&e.sha256, 64) {
                return Err(malformed(format!("{} 的校验值应为 64 位小写十六进制数字", e.name)));
            }
        }
        for fixed in [ROUND_ENTRY, SHEETS_ENTRY, AUDIT_ENTRY] {
            if !names.contains(fixed) {
                return Err(malformed(format!("清单中没有 {fixed}")));
            }
        }
        let materials = self.entries.iter().filter(|e| matches!(entry_kind(&e.name), Some(EntryKind::Material(_)))).count() as u64;
        if materials != self.counts.materials {
            return Err(malformed(format!("清单列出材料 {materials} 份，计数却是 {} 份", self.counts.materials)));
        }
        Ok(())
    }
}

/// A manifest as read, with its content hash.
#[derive(Clone, Debug)]
pub struct ReadManifest {
    pub manifest: Manifest,
    pub content_hash: String,
}

/// Reads and verifies `manifest.json`, in this order: JSON naming the format ([`BackupError::NotBackup`];
/// a round file's manifest is [`BackupError::RoundFile`]); a format version and a schema version this build
/// reads ([`BackupError::NewerFormat`], [`BackupError::NewerSchema`]: before the hash, since a newer version
/// may seal differently); its content hash matching the text byte for byte ([`BackupError::ManifestTampered`]);
/// the right structure and values, in canonical form ([`BackupError::Malformed`]).
pub fn read(bytes: &[u8]) -> Result<ReadManifest> {
    let claims = || bytes.windows(FORMAT.len()).any(|w| w == FORMAT.as_bytes());
    let not_ours = || if claims() { BackupError::ManifestTampered } else { BackupError::NotBackup };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(not_ours());
    };
    let line = text.strip_suffix('\n').unwrap_or(text);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
        return Err(not_ours());
    };
    let Some(obj) = value.as_object() else {
        return Err(BackupError::NotBackup);
    };
    match obj.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(pingshen_handout::manifest::FORMAT) => return Err(BackupError::RoundFile),
        _ => return Err(if obj.contains_key("content_hash") { BackupError::ManifestTampered } else { BackupError::NotBackup }),
    }
    match obj.get("format_version") {
        Some(v) if v.as_u64() == Some(FORMAT_VERSION as u64) => {}
        Some(v) if v.as_u64().is_some_and(|n| n > FORMAT_VERSION as u64) => return Err(BackupError::NewerFormat { found: v.to_string() }),
        _ => return Err(BackupError::ManifestTampered),
    }
    match obj.get("schema_version").and_then(|v| v.as_i64()) {
        Some(v) if v > SCHEMA_VERSION => return Err(BackupError::NewerSchema { found: v, supported: SCHEMA_VERSION }),
        Some(_) => {}
        None => return Err(BackupError::ManifestTampered),
    }
    let Some((body, hash)) = unseal(line) else {
        return Err(BackupError::ManifestTampered);
    };
    if sha256_hex(body.as_bytes()) != hash {
        return Err(BackupError::ManifestTampered);
    }
    let manifest: Manifest = serde_json::from_str(&body).map_err(|e| malformed(format!("清单的结构不对（{e}）")))?;
    if manifest.canonical_without_hash() != body {
        return Err(malformed("清单不是评审台写出的规范格式，可能已被其他软件改写"));
    }
    manifest.check()?;
    Ok(ReadManifest { manifest, content_hash: hash.to_string() })
}
