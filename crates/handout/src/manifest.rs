//! The manifest (`manifest.json`) of a round file: its members, its canonical JSON, its content hash, and
//! reading it back with every check that needs no other entry. Format: `docs/round-file.md`.

use std::collections::HashSet;

use pingshen_core::consolidation::{Aggregation, Settings};
use pingshen_core::hash::sha256_hex;
use pingshen_core::Tenths;
use serde::{Deserialize, Serialize};

use crate::error::{HandoutError, Result};

/// The value of the `format` member.
pub const FORMAT: &str = "pingshen-round-file";
/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's entry name.
pub const MANIFEST_ENTRY: &str = "manifest.json";
/// The rubric's entry name.
pub const RUBRIC_ENTRY: &str = "rubric.toml";

const HASH_MEMBER: &str = ",\"content_hash\":\"";

/// The manifest: everything about the round, and the size and SHA-256 of every other entry. Members are
/// serialized in declaration order; that order is the format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub round: RoundEntry,
    pub rubric: RubricEntry,
    pub settings: SettingsEntry,
    pub experts: Vec<ExpertEntry>,
    pub applications: Vec<ApplicationEntry>,
    pub assignments: Vec<AssignmentEntry>,
    /// The round's rules for the experts' 推荐意见 and 综合意见; absent when the round requires neither and
    /// sets no length (and in files written before these existed: then nothing is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinions: Option<OpinionsEntry>,
    /// The round's open 复议 when the file was written (so that the laptop shows it); absent when none is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconsideration: Option<ReconsiderationEntry>,
    pub exported_at: String,
}

/// An open 复议 (`reconsideration`): members in this order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconsiderationEntry {
    /// Its number on the staff machine (第 N 号).
    pub number: i64,
    /// The 组长's 专家编号.
    pub opened_by: String,
    pub reason: String,
    pub opened_at: String,
    /// The applications it names, each with its points (empty: every point).
    pub applications: Vec<ReconsiderationScopeEntry>,
}

/// One application an open 复议 names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconsiderationScopeEntry {
    pub application: String,
    pub items: Vec<String>,
}

/// The round's rules for the expert's opinion on a sheet (`opinions`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionsEntry {
    /// 提交前须填写推荐意见
    pub require_recommendation: bool,
    /// 提交前须填写综合意见
    pub require_opinion: bool,
    /// 综合意见字数上限, in characters; absent for no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion_max_chars: Option<u32>,
}

impl OpinionsEntry {
    /// The member for a round's rules: `None` when they are the default (nothing required, no limit).
    pub fn of(rules: &pingshen_core::opinion::OpinionRules) -> Option<OpinionsEntry> {
        (*rules != pingshen_core::opinion::OpinionRules::default()).then_some(OpinionsEntry {
            require_recommendation: rules.require_recommendation,
            require_opinion: rules.require_opinion,
            opinion_max_chars: rules.opinion_max_chars,
        })
    }

    /// The rules a manifest carries (nothing required without the member); a limit of 0 is refused.
    pub fn rules(entry: Option<&OpinionsEntry>) -> Option<pingshen_core::opinion::OpinionRules> {
        match entry {
            None => Some(pingshen_core::opinion::OpinionRules::default()),
            Some(e) if e.opinion_max_chars == Some(0) => None,
            Some(e) => Some(pingshen_core::opinion::OpinionRules {
                require_recommendation: e.require_recommendation,
                require_opinion: e.require_opinion,
                opinion_max_chars: e.opinion_max_chars,
            }),
        }
    }
}

/// The round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundEntry {
    /// 批次标识, 32 lower-case hex digits.
    pub uid: String,
    pub name: String,
    pub is_sample: bool,
}

/// The frozen rubric and its entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricEntry {
    pub id: String,
    pub title: String,
    /// `Rubric::hash` of the rubric (64 hex digits).
    pub hash: String,
    /// Always `rubric.toml`.
    pub entry: String,
    /// SHA-256 of the entry's bytes.
    pub sha256: String,
    pub size: u64,
}

/// The consolidation settings (`pingshen_core::consolidation::Settings`); points as decimal text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsEntry {
    /// `trimmed_mean`, `median` or `per_item_trimmed_mean`.
    pub aggregation: String,
    pub trim_min_sheets: u32,
    pub tiebreak_groups: Vec<String>,
    pub item_flag_percent: u32,
    /// Decimal text, e.g. `"15"`.
    pub total_flag_points: String,
}

/// An expert, without the phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertEntry {
    /// 专家编号
    pub code: String,
    /// 姓名
    pub name: String,
    /// 单位
    pub unit: String,
    /// 职称
    pub title: String,
    /// 专业领域
    pub field: String,
    /// `leader` for the panel's 组长; absent for a 成员 (and in files written before roles travelled).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

/// An application, its `application.toml` entry and its materials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationEntry {
    /// 申报编号
    pub code: String,
    /// 联合体名称
    pub name: String,
    /// `applications/<code>/application.toml`
    pub entry: String,
    pub sha256: String,
    pub size: u64,
    pub materials: Vec<MaterialEntry>,
    /// The entry holding the text of its materials' pages (`applications/<code>/pages.json`); absent when
    /// the application has no stored page (and in files written before page texts travelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<PagesEntry>,
    /// How the 推荐书 came in: `canonical` (absent from the file), `docx`, `pdf` or `scanned`.
    #[serde(default = "canonical_source", skip_serializing_if = "is_canonical_source")]
    pub source: String,
    /// A scanned 推荐书 whose key fields are still to be typed in (absent from the file when false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub needs_manual_entry: bool,
}

/// The `pages.json` entry of an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagesEntry {
    /// `applications/<code>/pages.json`
    pub entry: String,
    pub sha256: String,
    pub size: u64,
}

/// The default (and omitted) application source.
pub const CANONICAL_SOURCE: &str = "canonical";
/// Every application source (`application.source`, migration 006).
pub const SOURCES: [&str; 4] = [CANONICAL_SOURCE, "docx", "pdf", "scanned"];

fn canonical_source() -> String {
    CANONICAL_SOURCE.to_string()
}

fn is_canonical_source(s: &str) -> bool {
    s == CANONICAL_SOURCE
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A supporting material (a PDF) and its entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialEntry {
    pub file: String,
    pub title: String,
    pub pages: u32,
    /// `applications/<code>/materials/<file>`
    pub entry: String,
    pub sha256: String,
    pub size: u64,
}

/// Which expert scores which application, and recusals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentEntry {
    /// 专家编号
    pub expert: String,
    /// 申报编号
    pub application: String,
    pub recused: bool,
    pub recusal_reason: String,
    /// `""`, `"staff"` or `"expert"`.
    pub recusal_source: String,
}

/// The entry name of an application's `application.toml`.
pub fn application_entry(code: &str) -> String {
    format!("applications/{code}/application.toml")
}

/// The entry name of an application's page texts.
pub fn pages_entry(code: &str) -> String {
    format!("applications/{code}/pages.json")
}

/// The entry name of a material.
pub fn material_entry(code: &str, file: &str) -> String {
    format!("applications/{code}/materials/{file}")
}

/// Whether a 申报编号 or material file name can be one component of an entry name: not empty, at most 200
/// bytes, no `/`, `\`, `:` or control character, not starting with `.`.
pub fn safe_component(s: &str) -> bool {
    !s.is_empty() && s.len() <= 200 && !s.starts_with('.') && !s.chars().any(|c| c == '/' || c == '\\' || c == ':' || c.is_control())
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Manifest {
    /// The canonical JSON without `content_hash`: compact, members in declaration order, strings with
    /// only the escapes JSON requires. This is what the content hash covers.
    pub fn canonical_without_hash(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serializes")
    }

    /// SHA-256 (64 lower-case hex digits) of [`Self::canonical_without_hash`]: the round's content hash.
    pub fn content_hash(&self) -> String {
        sha256_hex(self.canonical_without_hash().as_bytes())
    }

    /// `manifest.json` as written: the canonical JSON with `content_hash` as its last member, then `\n`.
    pub fn to_file_text(&self) -> String {
        seal(&self.canonical_without_hash())
    }

    /// Every entry other than the manifest, with its size and SHA-256, in file order.
    pub fn entries(&self) -> Vec<(&str, u64, &str)> {
        let mut v = vec![(self.rubric.entry.as_str(), self.rubric.size, self.rubric.sha256.as_str())];
        for a in &self.applications {
            v.push((a.entry.as_str(), a.size, a.sha256.as_str()));
            for m in &a.materials {
                v.push((m.entry.as_str(), m.size, m.sha256.as_str()));
            }
            if let Some(p) = &a.pages {
                v.push((p.entry.as_str(), p.size, p.sha256.as_str()));
            }
        }
        v
    }

    /// The consolidation settings.
    pub fn settings(&self) -> Result<Settings> {
        let s = &self.settings;
        let aggregation = match s.aggregation.as_str() {
            "trimmed_mean" => Aggregation::TrimmedMean,
            "median" => Aggregation::Median,
            "per_item_trimmed_mean" => Aggregation::PerItemTrimmedMean,
            other => return Err(malformed(format!("统分方法“{other}”未知"))),
        };
        let total_flag_points =
            Tenths::parse(&s.total_flag_points).map_err(|_| malformed(format!("总分偏离阈值“{}”不是分数", s.total_flag_points)))?;
        Ok(Settings {
            aggregation,
            trim_min_sheets: s.trim_min_sheets as usize,
            tiebreak_groups: s.tiebreak_groups.clone(),
            item_flag_percent: s.item_flag_percent,
            total_flag_points,
        })
    }

    /// The checks that need nothing but the manifest: identities, entry names, uniqueness, references.
    fn check(&self) -> Result<()> {
        if !is_hex(&self.round.uid, 32) {
            return Err(malformed(format!("批次标识“{}”应为 32 位小写十六进制数字", self.round.uid)));
        }
        if !is_hex(&self.rubric.hash, 64) {
            return Err(malformed("评分标准校验码应为 64 位小写十六进制数字".into()));
        }
        if self.rubric.entry != RUBRIC_ENTRY {
            return Err(malformed(format!("评分标准的文件名应为 {RUBRIC_ENTRY}")));
        }
        let mut experts = HashSet::new();
        for e in &self.experts {
            if e.code.trim().is_empty() || !experts.insert(e.code.as_str()) {
                return Err(malformed(format!("专家编号“{}”为空或重复", e.code)));
            }
            if !["", "leader"].contains(&e.role.as_str()) {
                return Err(malformed(format!("专家 {} 的角色“{}”无效", e.code, e.role)));
            }
        }
        if self.experts.iter().filter(|e| e.role == "leader").count() > 1 {
            return Err(malformed("专家名单中有不止一位组长".into()));
        }
        let mut applications = HashSet::new();
        for a in &self.applications {
            if !safe_component(&a.code) || !applications.insert(a.code.as_str()) {
                return Err(malformed(format!("申报编号“{}”无效或重复", a.code)));
            }
            if a.entry != application_entry(&a.code) {
                return Err(malformed(format!("申报 {} 的推荐书文件名应为 {}", a.code, application_entry(&a.code))));
            }
            let mut files = HashSet::new();
            for m in &a.materials {
                if !safe_component(&m.file) || !files.insert(m.file.as_str()) {
                    return Err(malformed(format!("申报 {} 的材料文件名“{}”无效或重复", a.code, m.file)));
                }
                if m.entry != material_entry(&a.code, &m.file) {
                    return Err(malformed(format!("申报 {} 的材料 {} 的文件名应为 {}", a.code, m.file, material_entry(&a.code, &m.file))));
                }
            }
            if let Some(p) = &a.pages {
                if p.entry != pages_entry(&a.code) {
                    return Err(malformed(format!("申报 {} 的材料文字的文件名应为 {}", a.code, pages_entry(&a.code))));
                }
            }
            if !SOURCES.contains(&a.source.as_str()) {
                return Err(malformed(format!("申报 {} 的推荐书来源“{}”未知", a.code, a.source)));
            }
        }
        for (entry, _, sha) in self.entries() {
            if !is_hex(sha, 64) {
                return Err(malformed(format!("{entry} 的校验值应为 64 位小写十六进制数字")));
            }
        }
        let mut pairs = HashSet::new();
        for s in &self.assignments {
            if !experts.contains(s.expert.as_str()) || !applications.contains(s.application.as_str()) {
                return Err(malformed(format!("分配中的专家 {} 或申报 {} 不在名单中", s.expert, s.application)));
            }
            if !pairs.insert((s.expert.as_str(), s.application.as_str())) {
                return Err(malformed(format!("专家 {} 对申报 {} 的分配出现了两次", s.expert, s.application)));
            }
            if !["", "staff", "expert"].contains(&s.recusal_source.as_str()) {
                return Err(malformed(format!("回避来源“{}”未知", s.recusal_source)));
            }
        }
        self.settings()?;
        Ok(())
    }
}

pub(crate) fn malformed(detail: String) -> HandoutError {
    HandoutError::Malformed { detail }
}

/// A manifest as read, with its content hash.
#[derive(Clone, Debug)]
pub struct ReadManifest {
    pub manifest: Manifest,
    pub content_hash: String,
}

/// Reads and verifies `manifest.json`, in this order: it must be JSON naming the format
/// ([`HandoutError::NotRoundFile`]), of a version this build reads ([`HandoutError::UnsupportedVersion`],
/// before the hash, since another version may hash differently), match its content hash byte for byte
/// ([`HandoutError::ManifestTampered`]), have the right structure and values and be in canonical form
/// ([`HandoutError::Malformed`]).
pub fn read(bytes: &[u8]) -> Result<ReadManifest> {
    let claims = || bytes.windows(FORMAT.len()).any(|w| w == FORMAT.as_bytes());
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(if claims() { HandoutError::ManifestTampered } else { HandoutError::NotRoundFile });
    };
    let line = text.strip_suffix('\n').unwrap_or(text);
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(_) => return Err(if claims() { HandoutError::ManifestTampered } else { HandoutError::NotRoundFile }),
    };
    let Some(obj) = value.as_object() else {
        return Err(HandoutError::NotRoundFile);
    };
    if obj.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(if obj.contains_key("content_hash") { HandoutError::ManifestTampered } else { HandoutError::NotRoundFile });
    }
    match obj.get("format_version") {
        Some(v) if v.as_u64() == Some(FORMAT_VERSION as u64) => {}
        Some(v) => return Err(HandoutError::UnsupportedVersion { found: v.to_string() }),
        None => return Err(HandoutError::ManifestTampered),
    }
    // The hash is the last member; the text before it (closed with `}`) is what it covers.
    let Some((body, hash)) = unseal(line) else {
        return Err(HandoutError::ManifestTampered);
    };
    if sha256_hex(body.as_bytes()) != hash {
        return Err(HandoutError::ManifestTampered);
    }
    let manifest: Manifest = serde_json::from_str(&body).map_err(|e| malformed(format!("结构不对（{e}）")))?;
    if manifest.canonical_without_hash() != body {
        return Err(malformed("不是评审台写出的规范格式，可能已被其他软件改写".into()));
    }
    manifest.check()?;
    Ok(ReadManifest { manifest, content_hash: hash.to_string() })
}

/// A canonical JSON object (`{…}`, compact) sealed with its content hash: `content_hash` (the SHA-256 of
/// `body`, 64 lower-case hex digits) appended as its last member, then a line feed. The manifests of the
/// round file and of the round backup are written this way.
pub fn seal(body: &str) -> String {
    debug_assert!(body.starts_with('{') && body.ends_with('}') && body.len() > 2, "a non-empty JSON object");
    let hash = sha256_hex(body.as_bytes());
    format!("{}{HASH_MEMBER}{hash}\"}}\n", &body[..body.len() - 1])
}

/// The inverse of [`seal`] for one line (without its line feed): the body the hash covers (the line without
/// its last member `content_hash`, closed with `}`) and that hash, when the line ends with a
/// `"content_hash"` member of 64 lower-case hex digits. Whether the hash matches the body is for the caller
/// to check.
pub fn unseal(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_suffix("\"}")?;
    let split = rest.len().checked_sub(64)?;
    let hash = rest.get(split..)?;
    if !is_hex(hash, 64) {
        return None;
    }
    let head = rest[..split].strip_suffix(HASH_MEMBER)?;
    Some((format!("{head}}}"), hash))
}
