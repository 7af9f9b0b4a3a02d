//! Score files (评分文件): one expert's submitted sheets of a round, carried from their laptop to the
//! consolidation machine (PRODUCT.md, "Several machines, no network"; format: `docs/score-file.md`).
//!
//! A score file is one UTF-8 JSON text. `to_json` ([`ScoreFile`]) writes it in a canonical form (compact, fixed
//! field order) whose last member, `content_hash`, is the SHA-256 of the canonical JSON of the file *without*
//! that member. [`parse`] reads a file back and refuses, before anything else looks at it, a text that is
//! not a score file, a format version this build does not know, or any changed byte
//! ([`ScoreFileError::Tampered`]). `short_hash` is the hash in the 8 × 4 hex-digit form that
//! the export and import screens show; the printed 专家评分表 shows each sheet's own
//! [`FileSheet::content_hash`] in that form (评分表校验码), so staff can match paper to data.
//!
//! This module only writes and reads the file; whether a file fits a round (same round, same rubric, a
//! known expert, newer versions) is decided by the store when it imports it. Scores are exact
//! [`Tenths`], written as decimal text (`"4.5"`), never as JSON numbers.
//!
//! Three kinds of members are optional and written only when there is something to write, so that a file
//! without them has exactly the bytes (and the hash) it had before they existed: a recusal entry's
//! `recusal_reason` and `recusal_source` (why and by whom the recusal was recorded, [`FileRecusal`]), a
//! sheet's `vetoes` (the 否定性指标 the expert proposes, each with its reason, [`FileVeto`]), and the
//! top-level `declaration` (the expert's newest signed 回避声明和承诺书, [`FileDeclaration`]). When present
//! they are part of the canonical text and so of the hash; a sheet's `vetoes` are also part of the printed
//! 评分表校验码 ([`FileSheet::content_hash`]), which a sheet without them keeps unchanged.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::names::safe_file_name;
use crate::opinion::Recommendation;
use crate::rubric::fingerprint;
use crate::score::{ParseTenthsError, Tenths};

/// The value of the `format` member: what marks a JSON text as a Pingshen score file.
pub const FORMAT: &str = "pingshen-score-file";

/// The newest format version this build writes and reads. Version 2 adds a sheet's 推荐意见 and 综合意见
/// (`recommendation`, `opinion`); a file is written as version 2 only when one of its sheets has one of them,
/// otherwise as version 1, byte for byte what a version-1 build writes ([`ScoreFile::format_version`]).
/// Files of every version up to this one are read.
pub const FORMAT_VERSION: u32 = 2;

/// The key of the hash member, written last, and what precedes its value in the canonical text.
const HASH_MEMBER: &str = ",\"content_hash\":\"";

/// One expert's score file: who scored, in which round, against which rubric, and their sheets.
///
/// The format marker, the format version and the content hash are not fields: `to_json`
/// writes them and [`parse`] checks them, so a value of this type never carries a stale hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreFile {
    pub round: RoundRef,
    pub rubric: RubricRef,
    pub expert: ExpertRef,
    /// When the file was exported, as the exporting machine's clock said (the caller passes it in; core
    /// has no clock). Free text, by convention `2024-05-20T09:30:00Z`.
    pub exported_at: String,
    /// The expert's submitted sheets and recusals, by application code.
    pub sheets: Vec<FileSheet>,
    /// Why and by whom recusals were recorded, by application code. Written into the recusal's entry as
    /// `recusal_reason` and `recusal_source`; a recusal without an entry here (recorded before reasons were
    /// kept) has neither. Only recusals (`recused: true` in `sheets`) carry them: an entry here for an
    /// application that is not a recusal in `sheets` is not written.
    pub recusal_details: BTreeMap<String, FileRecusal>,
    /// The expert's newest signed declaration (回避声明和承诺书), if they signed one: the `declaration` member.
    pub declaration: Option<FileDeclaration>,
}

/// Why and by whom a recusal was recorded (the `recusal_reason` and `recusal_source` of a recusal entry).
/// They appear together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRecusal {
    /// The reason, never empty.
    pub reason: String,
    pub source: FileRecusalSource,
}

/// Who recorded a recusal: `"staff"` (统分人员登记) or `"expert"` (专家本人声明).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileRecusalSource {
    Staff,
    Expert,
}

impl FileRecusalSource {
    /// As written in the file: `"staff"` or `"expert"` (the same words as `assignment.recusal_source`).
    pub fn as_str(self) -> &'static str {
        match self {
            FileRecusalSource::Staff => "staff",
            FileRecusalSource::Expert => "expert",
        }
    }

    /// From the file's text; `None` for anything else.
    pub fn parse(s: &str) -> Option<FileRecusalSource> {
        match s {
            "staff" => Some(FileRecusalSource::Staff),
            "expert" => Some(FileRecusalSource::Expert),
            _ => None,
        }
    }
}

/// The expert's signed 回避声明和承诺书 (the `declaration` member): members in this order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDeclaration {
    /// When it was signed on the expert's machine, as that machine stored it (`2024-05-20T09:12:03.456Z`).
    pub signed_at: String,
    /// Anything else the expert declared in words (may be empty).
    pub statement: String,
}

/// The round the sheets belong to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundRef {
    /// The round's stable identity (批次标识), the same on every machine that holds the round.
    pub uid: String,
    /// The round's name, for people (not compared on import).
    pub name: String,
}

/// The rubric the sheets were scored against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricRef {
    pub id: String,
    /// [`crate::rubric::Rubric::hash`] of the round's frozen rubric.
    pub hash: String,
}

/// The expert whose sheets these are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertRef {
    /// 专家编号 within the round, e.g. "E01".
    pub code: String,
    pub name: String,
    pub unit: String,
}

/// One application in the file: a submitted sheet, or a recusal.
///
/// A sheet has `recused: false`, a version ≥ 1 and a `submitted_at`; a recusal has `recused: true`,
/// version 0, no `submitted_at`, no scores and no deduction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileSheet {
    /// 申报编号 within the round.
    pub application: String,
    /// How many times the sheet has been submitted: 1 at the first submission, one more after each reopening
    /// and re-submission. On import a higher version replaces a lower one.
    pub version: i64,
    /// When this version was submitted on the expert's machine.
    pub submitted_at: Option<String>,
    pub recused: bool,
    /// Every scored item of the rubric, in rubric order.
    pub scores: Vec<FileScore>,
    /// The proposed group-7 deduction, if any.
    pub deduction: Option<FileDeduction>,
    /// The 否定性指标 the expert proposes, in the rubric's order, each with its reason: the optional `vetoes`
    /// member, written after `deduction` only when there is one (a sheet without it writes, and hashes,
    /// exactly what it did before vetoes existed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vetoes: Vec<FileVeto>,
    /// The expert's 推荐意见, if given: the optional `recommendation` member (`"recommend"` or
    /// `"not_recommend"`), written after `vetoes` only when given (format version 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendation>,
    /// The expert's 综合意见: the optional `opinion` member, written last only when not empty (format
    /// version 2).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub opinion: String,
    /// The scores the expert changed under the open 复议 on their machine, each with the first value and the
    /// reason: the optional `reconsidered` member, written last only when there is one (format version 2).
    /// The staff machine imports them only under its open 复议, all or nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reconsidered: Vec<FileReconsidered>,
}

/// A score changed under a 复议 (`reconsidered`): the point, the first value, the reconsidered value and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReconsidered {
    pub item: String,
    pub before: Tenths,
    pub after: Tenths,
    /// Never empty.
    pub reason: String,
}

impl FileSheet {
    /// Whether the sheet carries a 推荐意见 or a 综合意见 (which needs format version 2).
    pub fn has_opinion(&self) -> bool {
        self.recommendation.is_some() || !self.opinion.is_empty()
    }

    /// Whether the sheet needs format version 2 (an opinion, or 复议 changes).
    pub fn needs_version_2(&self) -> bool {
        self.has_opinion() || !self.reconsidered.is_empty()
    }
}

/// A 否定性指标 the expert proposes on a sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileVeto {
    /// The veto item's code in the rubric, e.g. "V1".
    pub code: String,
    /// Why, never empty.
    pub reason: String,
}

/// One item score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileScore {
    /// The observation point's code, e.g. "2.3".
    pub item: String,
    /// Written as decimal text: `"4.5"`.
    pub value: Tenths,
    pub comment: String,
}

/// A proposed deduction and its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDeduction {
    /// Written as decimal text: `"1"`.
    pub value: Tenths,
    pub reason: String,
}

/// Why a text is refused as a score file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreFileError {
    #[error("这不是评审台的评分文件（评分文件由评审台“导出评分文件”生成，是一个 .json 文件）")]
    NotScoreFile,
    #[error("评分文件的格式版本是 {found}，本软件只能读取第 1–{supported} 版；请使用与导出端相同或更新版本的评审台")]
    UnsupportedVersion { found: String, supported: u32 },
    #[error("文件内容与校验值不符，可能已被改动或损坏")]
    Tampered,
    #[error("评分文件的结构不对：{0}；文件可能不是由评审台导出的")]
    Malformed(String),
    #[error("评分文件不是评审台写出的规范格式，可能已被其他软件改写")]
    NotCanonical,
    #[error("评分文件中申报 {application} 观测点 {item} 的得分有误：{error}")]
    BadNumber { application: String, item: String, error: ParseTenthsError },
    #[error("评分文件中申报 {application} 的扣分有误：{error}")]
    BadDeduction { application: String, error: ParseTenthsError },
    #[error("评分文件中申报 {application} 出现了两次")]
    DuplicateSheet { application: String },
    #[error("评分文件中申报 {application} 的观测点 {item} 出现了两次")]
    DuplicateItem { application: String, item: String },
    #[error("评分文件中申报 {application} 标为回避，却带有版本号、提交时间、评分或扣分")]
    RecusalWithScores { application: String },
    #[error("评分文件中申报 {application} 的评分表版本号 {version} 无效（应不小于 1）")]
    BadVersion { application: String, version: i64 },
    #[error("评分文件中申报 {application} 的评分表缺少提交时间")]
    MissingSubmittedAt { application: String },
    #[error("评分文件中申报 {application} 未标为回避，却带有回避理由或回避来源")]
    RecusalDetailsWithoutRecusal { application: String },
    #[error("评分文件中申报 {application} 的回避须同时写明理由和来源（理由不能为空）")]
    IncompleteRecusal { application: String },
    #[error("评分文件中申报 {application} 的否定性指标 {code} 有误：须有代码和理由、不能重复，回避的申报不能有")]
    BadVeto { application: String, code: String },
}

// ---- writing ----

/// The canonical JSON without the hash: the members in this order, nothing else; `declaration` only when
/// there is one.
#[derive(Serialize)]
struct Body<'a> {
    format: &'a str,
    format_version: u32,
    round: &'a RoundRef,
    rubric: &'a RubricRef,
    expert: &'a ExpertRef,
    exported_at: &'a str,
    sheets: Vec<Entry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    declaration: Option<&'a FileDeclaration>,
}

/// One entry of `sheets` as written: the members of [`FileSheet`] in its order, with a recusal's reason and
/// source after `recused` only when there are any. Without them it is exactly what [`FileSheet`] writes.
#[derive(Serialize)]
struct Entry<'a> {
    application: &'a str,
    version: i64,
    submitted_at: &'a Option<String>,
    recused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    recusal_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recusal_source: Option<FileRecusalSource>,
    scores: &'a [FileScore],
    deduction: &'a Option<FileDeduction>,
    #[serde(skip_serializing_if = "no_vetoes")]
    vetoes: &'a [FileVeto],
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendation: Option<Recommendation>,
    #[serde(skip_serializing_if = "str::is_empty")]
    opinion: &'a str,
    #[serde(skip_serializing_if = "<[FileReconsidered]>::is_empty")]
    reconsidered: &'a [FileReconsidered],
}

fn no_vetoes(v: &&[FileVeto]) -> bool {
    v.is_empty()
}

impl ScoreFile {
    /// The canonical JSON of the file without its `content_hash` member: compact (no whitespace outside
    /// strings), members in the order of the format, strings with only the escapes JSON requires
    /// (non-ASCII characters are written as themselves), scores as decimal text. This is what the hash covers.
    pub fn canonical_without_hash(&self) -> String {
        let body = Body {
            format: FORMAT,
            format_version: self.format_version(),
            round: &self.round,
            rubric: &self.rubric,
            expert: &self.expert,
            exported_at: &self.exported_at,
            sheets: self
                .sheets
                .iter()
                .map(|s| {
                    let details = if s.recused { self.recusal_details.get(&s.application) } else { None };
                    Entry {
                        application: &s.application,
                        version: s.version,
                        submitted_at: &s.submitted_at,
                        recused: s.recused,
                        recusal_reason: details.map(|d| d.reason.as_str()),
                        recusal_source: details.map(|d| d.source),
                        scores: &s.scores,
                        deduction: &s.deduction,
                        vetoes: &s.vetoes,
                        recommendation: s.recommendation,
                        opinion: &s.opinion,
                        reconsidered: &s.reconsidered,
                    }
                })
                .collect(),
            declaration: self.declaration.as_ref(),
        };
        serde_json::to_string(&body).expect("a score file always serializes")
    }

    /// The format version this file is written as: 2 when a sheet carries a 推荐意见 or 综合意见, else 1
    /// (so that a file without them is exactly what a version-1 build writes and reads).
    pub fn format_version(&self) -> u32 {
        if self.sheets.iter().any(FileSheet::needs_version_2) {
            2
        } else {
            1
        }
    }

    /// SHA-256 (64 lower-case hex digits) of [`Self::canonical_without_hash`].
    pub fn content_hash(&self) -> String {
        sha256_hex(self.canonical_without_hash().as_bytes())
    }

    /// The content hash as people compare it by eye (export and import screens): the first 32 hex
    /// digits in 8 groups of 4 (`1a2b-3c4d-…`), like [`crate::rubric::fingerprint`].
    pub fn short_hash(&self) -> String {
        fingerprint(&self.content_hash())
    }

    /// The file's text: the canonical JSON with `"content_hash"` as its last member, then one line feed.
    /// The same value always gives the same bytes.
    pub fn to_json(&self) -> String {
        let body = self.canonical_without_hash();
        let hash = sha256_hex(body.as_bytes());
        // `body` is one JSON object, `{…}`: the hash goes in as its last member.
        format!("{}{HASH_MEMBER}{hash}\"}}\n", &body[..body.len() - 1])
    }

    /// A file name to suggest when saving: expert code and name and the first 8 digits of the hash, e.g.
    /// `评分文件_E01_张三_1a2b3c4d.json` (code and name through [`crate::names::safe_file_name`]).
    pub fn file_name(&self) -> String {
        let (code, name) = (safe_file_name(&self.expert.code), safe_file_name(&self.expert.name));
        format!("评分文件_{code}_{name}_{}.json", &self.content_hash()[..8])
    }

    /// The entry of this application, if the file has one.
    pub fn sheet(&self, application: &str) -> Option<&FileSheet> {
        self.sheets.iter().find(|s| s.application == application)
    }

    /// Why and by whom the expert is recused from this application, if the file says so.
    pub fn recusal(&self, application: &str) -> Option<&FileRecusal> {
        self.recusal_details.get(application)
    }
}

/// The canonical JSON a printed sheet's hash covers: the members in this order, nothing else.
#[derive(Serialize)]
struct SheetHashBody<'a> {
    format: &'a str,
    round_uid: &'a str,
    rubric_hash: &'a str,
    expert_code: &'a str,
    sheet: &'a FileSheet,
}

/// The value of the `format` member of the sheet hash's canonical JSON.
pub const SHEET_HASH_FORMAT: &str = "pingshen-sheet";

impl FileSheet {
    /// SHA-256 (64 lower-case hex digits) of one sheet as the printed 专家评分表 carries it: the canonical JSON
    /// (same writer and rules as the file: compact, fixed member order, scores as decimal text) of
    /// `{"format":"pingshen-sheet","round_uid":…,"rubric_hash":…,"expert_code":…,"sheet":{application, version,
    /// submitted_at, recused, scores, deduction[, vetoes]}}` (`vetoes` only when the expert proposes one). Printed in the short form of [`fingerprint`] as the
    /// 评分表校验码, so that a paper sheet can be matched to the data: any changed score, comment, deduction,
    /// reason, veto proposal, version or submission time gives another code. A recusal's reason and source
    /// ([`ScoreFile::recusal_details`]) are not part of it. See `docs/score-file.md`.
    pub fn content_hash(&self, round_uid: &str, rubric_hash: &str, expert_code: &str) -> String {
        sha256_hex(self.canonical_for_hash(round_uid, rubric_hash, expert_code).as_bytes())
    }

    /// The canonical JSON that [`Self::content_hash`] hashes (for documentation and checking by hand).
    /// The store keeps each submitted version of a sheet in this form; [`Self::from_canonical`] reads it back.
    pub fn canonical_for_hash(&self, round_uid: &str, rubric_hash: &str, expert_code: &str) -> String {
        // The 复议 changes a file carries beside a sheet are not part of the sheet's content (the sheet's scores
        // already hold the reconsidered values): a kept version and the printed code never include them.
        let plain;
        let sheet = if self.reconsidered.is_empty() {
            self
        } else {
            plain = FileSheet { reconsidered: Vec::new(), ..self.clone() };
            &plain
        };
        let body = SheetHashBody { format: SHEET_HASH_FORMAT, round_uid, rubric_hash, expert_code, sheet };
        serde_json::to_string(&body).expect("a sheet always serializes")
    }

    /// Reads back the sheet from a text that [`Self::canonical_for_hash`] wrote (a kept version of a sheet):
    /// `canonical_for_hash` of the result, with the round, rubric and expert the text names, gives the text
    /// again. Refused ([`SheetContentError`]): a text that is not JSON of exactly that shape (a member
    /// missing, unknown or of another type), another `format` than [`SHEET_HASH_FORMAT`], or a score or
    /// deduction that is not decimal text.
    pub fn from_canonical(text: &str) -> Result<FileSheet, SheetContentError> {
        let raw: RawSheetHashBody = serde_json::from_str(text).map_err(|e| SheetContentError::Malformed(serde_message_zh(&e)))?;
        if raw.format != SHEET_HASH_FORMAT {
            return Err(SheetContentError::Malformed(format!("字段 `format` 应为 \"{SHEET_HASH_FORMAT}\"，却是“{}”", raw.format)));
        }
        let s = raw.sheet;
        let scores = s
            .scores
            .into_iter()
            .map(|sc| match Tenths::parse(&sc.value) {
                Ok(value) => Ok(FileScore { item: sc.item, value, comment: sc.comment }),
                Err(error) => Err(SheetContentError::BadNumber { item: sc.item, error }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let deduction = match s.deduction {
            Some(d) => {
                Some(FileDeduction { value: Tenths::parse(&d.value).map_err(|error| SheetContentError::BadDeduction { error })?, reason: d.reason })
            }
            None => None,
        };
        let vetoes = s.vetoes.into_iter().map(|v| FileVeto { code: v.code, reason: v.reason }).collect();
        let recommendation = match s.recommendation {
            Some(r) => Some(Recommendation::parse(&r).ok_or_else(|| SheetContentError::Malformed(bad_recommendation(&r)))?),
            None => None,
        };
        Ok(FileSheet {
            application: s.application,
            version: s.version,
            submitted_at: s.submitted_at,
            recused: s.recused,
            scores,
            deduction,
            vetoes,
            recommendation,
            opinion: s.opinion,
            reconsidered: Vec::new(),
        })
    }
}

/// Why a text is not the canonical JSON of a sheet ([`FileSheet::from_canonical`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SheetContentError {
    #[error("评分表内容的结构不对：{0}")]
    Malformed(String),
    #[error("评分表内容中观测点 {item} 的得分有误：{error}")]
    BadNumber { item: String, error: ParseTenthsError },
    #[error("评分表内容中的扣分有误：{error}")]
    BadDeduction { error: ParseTenthsError },
}

// ---- reading ----

/// The file as read, before the values are checked. Score values stay text here so that a value that is
/// not a number is reported with its application and item rather than as a JSON type error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)] // checked on the JSON value before the struct is read
    format: String,
    #[allow(dead_code)]
    format_version: u32,
    round: RoundRef,
    rubric: RubricRef,
    expert: ExpertRef,
    exported_at: String,
    sheets: Vec<RawSheet>,
    #[serde(default)]
    declaration: Option<FileDeclaration>,
    #[allow(dead_code)] // checked on the text before the struct is read
    content_hash: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheet {
    application: String,
    version: i64,
    submitted_at: Option<String>,
    recused: bool,
    #[serde(default)]
    recusal_reason: Option<String>,
    #[serde(default)]
    recusal_source: Option<String>,
    scores: Vec<RawScore>,
    deduction: Option<RawDeduction>,
    #[serde(default)]
    vetoes: Vec<RawVeto>,
    #[serde(default)]
    recommendation: Option<String>,
    #[serde(default)]
    opinion: String,
    #[serde(default)]
    reconsidered: Vec<RawReconsidered>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReconsidered {
    item: String,
    before: String,
    after: String,
    reason: String,
}

/// The sheet hash's canonical JSON as read back ([`SheetHashBody`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheetHashBody {
    format: String,
    #[allow(dead_code)] // named by the text, not part of the sheet
    round_uid: String,
    #[allow(dead_code)]
    rubric_hash: String,
    #[allow(dead_code)]
    expert_code: String,
    sheet: RawHashedSheet,
}

/// A [`FileSheet`] as [`SheetHashBody`] writes it: its members, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHashedSheet {
    application: String,
    version: i64,
    submitted_at: Option<String>,
    recused: bool,
    scores: Vec<RawScore>,
    deduction: Option<RawDeduction>,
    #[serde(default)]
    vetoes: Vec<RawVeto>,
    #[serde(default)]
    recommendation: Option<String>,
    #[serde(default)]
    opinion: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVeto {
    code: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScore {
    item: String,
    value: String,
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeduction {
    value: String,
    reason: String,
}

/// Reads a score file from its bytes (as read from disk): text that is not UTF-8 is refused like any other
/// damage.
pub fn parse_bytes(bytes: &[u8]) -> Result<ScoreFile, ScoreFileError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(_) if contains(bytes, FORMAT.as_bytes()) => Err(ScoreFileError::Tampered),
        Err(_) => Err(ScoreFileError::NotScoreFile),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads and verifies a score file.
///
/// In this order: the text must be JSON and claim to be a score file ([`ScoreFileError::NotScoreFile`]);
/// its format version must be [`FORMAT_VERSION`] (checked before the hash, since another version may
/// compute it differently); the hash must match the text byte for byte ([`ScoreFileError::Tampered`]);
/// then the structure, the values and the canonical form are checked. One final line feed is optional.
pub fn parse(text: &str) -> Result<ScoreFile, ScoreFileError> {
    let t = text.strip_suffix('\n').unwrap_or(text);

    // 1. Is it a score file at all? A file that names the format (or has a content hash) claims to be one;
    //    if it is then broken, it was damaged.
    let claims = || text.contains(FORMAT);
    let value: serde_json::Value = match serde_json::from_str(t) {
        Ok(v) => v,
        Err(_) if claims() => return Err(ScoreFileError::Tampered),
        Err(_) => return Err(ScoreFileError::NotScoreFile),
    };
    let Some(obj) = value.as_object() else { return Err(ScoreFileError::NotScoreFile) };
    let format_ok = obj.get("format").and_then(|f| f.as_str()) == Some(FORMAT);
    if !format_ok {
        return Err(if obj.contains_key("content_hash") { ScoreFileError::Tampered } else { ScoreFileError::NotScoreFile });
    }

    // 2. A version we can read (every one up to ours; the canonical check below makes sure the file is
    //    written as the version its content calls for).
    match obj.get("format_version") {
        Some(v) if v.as_u64().is_some_and(|n| (1..=FORMAT_VERSION as u64).contains(&n)) => {}
        found => {
            let found = found.map(|v| v.to_string()).unwrap_or_else(|| "（未写明）".into());
            return Err(ScoreFileError::UnsupportedVersion { found, supported: FORMAT_VERSION });
        }
    }

    // 3. The hash, over the bytes: the text is `{…},"content_hash":"<64 hex>"}` and `{…}}` must hash to it.
    let (body, hash) = split_hash(t).ok_or(ScoreFileError::Tampered)?;
    if sha256_hex(body.as_bytes()) != hash {
        return Err(ScoreFileError::Tampered);
    }

    // 4. The structure and the values.
    let raw: RawFile = serde_json::from_str(t).map_err(|e| ScoreFileError::Malformed(serde_message_zh(&e)))?;
    let file = check(raw)?;

    // 5. The canonical form: the intact text must be exactly what this build writes for its content, so that
    //    one content has one hash.
    if file.to_json().strip_suffix('\n') != Some(t) {
        return Err(ScoreFileError::NotCanonical);
    }
    Ok(file)
}

/// Splits a canonical text into the JSON without the hash member and the hash.
fn split_hash(t: &str) -> Option<(String, &str)> {
    let inner = t.strip_suffix("\"}")?;
    let cut = inner.len().checked_sub(64)?;
    if !inner.is_char_boundary(cut) {
        return None;
    }
    let (head, hash) = inner.split_at(cut);
    if !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let head = head.strip_suffix(HASH_MEMBER)?;
    Some((format!("{head}}}"), hash))
}

/// Checks the values and the rules between fields, and turns score texts into [`Tenths`].
fn check(raw: RawFile) -> Result<ScoreFile, ScoreFileError> {
    let required = [("round.uid", &raw.round.uid), ("rubric.hash", &raw.rubric.hash), ("expert.code", &raw.expert.code)];
    for (field, value) in required {
        if value.trim().is_empty() {
            return Err(ScoreFileError::Malformed(format!("字段 `{field}` 为空")));
        }
    }
    if let Some(d) = &raw.declaration {
        if d.signed_at.trim().is_empty() {
            return Err(ScoreFileError::Malformed("字段 `declaration.signed_at` 为空".into()));
        }
    }
    let mut seen = HashSet::new();
    let mut sheets = Vec::with_capacity(raw.sheets.len());
    let mut recusal_details = BTreeMap::new();
    for s in raw.sheets {
        let application = s.application;
        if application.trim().is_empty() {
            return Err(ScoreFileError::Malformed("有一份评分表的申报编号为空".into()));
        }
        if !seen.insert(application.clone()) {
            return Err(ScoreFileError::DuplicateSheet { application });
        }
        match (s.recusal_reason, s.recusal_source) {
            (None, None) => {}
            _ if !s.recused => return Err(ScoreFileError::RecusalDetailsWithoutRecusal { application }),
            (Some(reason), Some(source)) if !reason.trim().is_empty() => {
                let source = FileRecusalSource::parse(&source)
                    .ok_or_else(|| ScoreFileError::Malformed(format!("字段 `recusal_source` 应为 \"staff\" 或 \"expert\"，却是“{source}”")))?;
                recusal_details.insert(application.clone(), FileRecusal { reason, source });
            }
            _ => return Err(ScoreFileError::IncompleteRecusal { application }),
        }
        if s.recused {
            if s.version != 0 || s.submitted_at.is_some() || !s.scores.is_empty() || s.deduction.is_some() {
                return Err(ScoreFileError::RecusalWithScores { application });
            }
        } else {
            if s.version < 1 {
                return Err(ScoreFileError::BadVersion { application, version: s.version });
            }
            if s.submitted_at.as_deref().is_none_or(|t| t.trim().is_empty()) {
                return Err(ScoreFileError::MissingSubmittedAt { application });
            }
        }
        let mut items = HashSet::new();
        let mut scores = Vec::with_capacity(s.scores.len());
        for sc in s.scores {
            if !items.insert(sc.item.clone()) {
                return Err(ScoreFileError::DuplicateItem { application, item: sc.item });
            }
            let value = Tenths::parse(&sc.value).map_err(|error| ScoreFileError::BadNumber {
                application: application.clone(),
                item: sc.item.clone(),
                error,
            })?;
            scores.push(FileScore { item: sc.item, value, comment: sc.comment });
        }
        let deduction = match s.deduction {
            Some(d) => Some(FileDeduction {
                value: Tenths::parse(&d.value).map_err(|error| ScoreFileError::BadDeduction { application: application.clone(), error })?,
                reason: d.reason,
            }),
            None => None,
        };
        let mut codes = HashSet::new();
        let mut vetoes = Vec::with_capacity(s.vetoes.len());
        for v in s.vetoes {
            if s.recused || v.code.trim().is_empty() || v.reason.trim().is_empty() || !codes.insert(v.code.clone()) {
                return Err(ScoreFileError::BadVeto { application, code: v.code });
            }
            vetoes.push(FileVeto { code: v.code, reason: v.reason });
        }
        if s.recused && (s.recommendation.is_some() || !s.opinion.is_empty()) {
            return Err(ScoreFileError::RecusalWithScores { application });
        }
        let recommendation = match s.recommendation {
            Some(r) => Some(Recommendation::parse(&r).ok_or_else(|| ScoreFileError::Malformed(bad_recommendation(&r)))?),
            None => None,
        };
        let mut reconsidered = Vec::with_capacity(s.reconsidered.len());
        for r in s.reconsidered {
            let bad = |why: &str| ScoreFileError::Malformed(format!("申报 {application} 的复议修改（观测点 {}）{why}", r.item));
            if s.recused || r.reason.trim().is_empty() || reconsidered.iter().any(|x: &FileReconsidered| x.item == r.item) {
                return Err(bad("须有理由、不能重复，回避的申报不能有"));
            }
            let before = Tenths::parse(&r.before).map_err(|_| bad("的原评分不是数字"))?;
            let after = Tenths::parse(&r.after).map_err(|_| bad("的复议分值不是数字"))?;
            reconsidered.push(FileReconsidered { item: r.item, before, after, reason: r.reason });
        }
        sheets.push(FileSheet {
            application,
            version: s.version,
            submitted_at: s.submitted_at,
            recused: s.recused,
            scores,
            deduction,
            vetoes,
            recommendation,
            opinion: s.opinion,
            reconsidered,
        });
    }
    Ok(ScoreFile {
        round: raw.round,
        rubric: raw.rubric,
        expert: raw.expert,
        exported_at: raw.exported_at,
        sheets,
        recusal_details,
        declaration: raw.declaration,
    })
}

/// The structure message for a `recommendation` member that is neither of its two words.
fn bad_recommendation(found: &str) -> String {
    format!("字段 `recommendation` 应为 \"recommend\" 或 \"not_recommend\"，却是“{found}”")
}

/// serde_json's messages about the structure, in Chinese.
fn serde_message_zh(e: &serde_json::Error) -> String {
    let m = e.to_string();
    let tick = m.split('`').nth(1).unwrap_or("").to_string();
    if m.starts_with("missing field") {
        format!("缺少字段 `{tick}`")
    } else if m.starts_with("unknown field") {
        format!("有未知字段 `{tick}`")
    } else if m.starts_with("duplicate field") {
        format!("字段 `{tick}` 写了两次")
    } else if m.starts_with("invalid type") {
        format!("字段的类型不对（{m}）")
    } else {
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ScoreFile {
        ScoreFile {
            round: RoundRef { uid: "0123456789abcdef0123456789abcdef".into(), name: "2024年河南省市域产教联合体评审".into() },
            rubric: RubricRef { id: "henan-2023".into(), hash: "ab".repeat(32) },
            expert: ExpertRef { code: "E01".into(), name: "张三".into(), unit: "河南工业职业技术学院".into() },
            exported_at: "2024-05-20T09:30:00Z".into(),
            sheets: vec![
                FileSheet {
                    application: "A01".into(),
                    version: 2,
                    submitted_at: Some("2024-05-20T09:00:00.000Z".into()),
                    recused: false,
                    scores: vec![
                        FileScore { item: "1.1".into(), value: Tenths(45), comment: String::new() },
                        FileScore { item: "1.2".into(), value: Tenths(20), comment: "制度\"不全\"\n待补".into() },
                    ],
                    deduction: Some(FileDeduction { value: Tenths(10), reason: "发生安全事故".into() }),
                    vetoes: vec![],
                    recommendation: None,
                    opinion: String::new(),
                    reconsidered: vec![],
                },
                FileSheet {
                    application: "A02".into(),
                    version: 0,
                    submitted_at: None,
                    recused: true,
                    scores: vec![],
                    deduction: None,
                    vetoes: vec![],
                    recommendation: None,
                    opinion: String::new(),
                    reconsidered: vec![],
                },
            ],
            recusal_details: BTreeMap::new(),
            declaration: None,
        }
    }

    /// `sample` with E01's reason for recusing from A02 and their signed declaration.
    fn sample_declared() -> ScoreFile {
        let mut f = sample();
        f.recusal_details.insert("A02".into(), FileRecusal { reason: "本人在该联合体牵头学校兼职".into(), source: FileRecusalSource::Expert });
        f.declaration = Some(FileDeclaration { signed_at: "2024-05-20T08:55:12.345Z".into(), statement: "曾参与 A01 的前期\"咨询\"".into() });
        f
    }

    /// Recomputes the hash of a text whose body was edited, as a forger (or a buggy writer) would.
    fn rehash(text: &str) -> String {
        let t = text.strip_suffix('\n').unwrap_or(text);
        let at = t.rfind(HASH_MEMBER).unwrap();
        let body = format!("{}}}", &t[..at]);
        format!("{}{HASH_MEMBER}{}\"}}\n", &t[..at], sha256_hex(body.as_bytes()))
    }

    #[test]
    fn writes_canonical_json_and_reads_it_back() {
        let f = sample();
        let text = f.to_json();
        assert_eq!(text, f.to_json(), "the same value gives the same bytes");
        assert!(text.starts_with(r#"{"format":"pingshen-score-file","format_version":1,"round":{"uid":"#), "{text}");
        assert!(text.contains(r#"{"item":"1.1","value":"4.5","comment":""}"#), "scores are decimal text: {text}");
        assert!(text.contains(r#""deduction":{"value":"1","reason":"发生安全事故"}"#));
        assert!(text.contains("张三"), "non-ASCII is written as itself");
        assert!(text.ends_with(&format!(",\"content_hash\":\"{}\"}}\n", f.content_hash())));
        assert_eq!(f.content_hash(), sha256_hex(f.canonical_without_hash().as_bytes()));
        assert_eq!(parse(&text).unwrap(), f);
        assert_eq!(parse(text.trim_end()).unwrap(), f, "the final line feed is optional");
        assert_eq!(parse_bytes(text.as_bytes()).unwrap(), f);
    }

    #[test]
    fn the_short_hash_is_eight_groups_of_four() {
        let s = sample().short_hash();
        let groups: Vec<&str> = s.split('-').collect();
        assert_eq!(groups.len(), 8, "{s}");
        assert!(groups.iter().all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_hexdigit())), "{s}");
        assert!(sample().content_hash().starts_with(&s.replace('-', "")));
        let mut other = sample();
        other.sheets[0].scores[0].value = Tenths(40);
        assert_ne!(other.short_hash(), s, "another score, another hash");
    }

    #[test]
    fn every_changed_byte_is_refused() {
        let declared = sample_declared().to_json();
        for bytes in [sample().to_json().as_bytes(), declared.as_bytes()] {
            for i in 0..bytes.len() {
                for flip in [0x01u8, 0x20, 0x80] {
                    let mut b = bytes.to_vec();
                    b[i] ^= flip;
                    let got = parse_bytes(&b);
                    assert!(got.is_err(), "byte {i} ^ {flip:#x} was accepted");
                    // Apart from a changed format marker or version (then the file no longer says it is one we
                    // read), a changed byte is reported as a changed file.
                    let in_header = i < r#"{"format":"pingshen-score-file","format_version":1"#.len();
                    if !in_header {
                        assert_eq!(got.unwrap_err(), ScoreFileError::Tampered, "byte {i} ^ {flip:#x}");
                    }
                }
            }
        }
        let text = sample().to_json();
        assert_eq!(parse(&text.replacen(':', ": ", 1)), Err(ScoreFileError::Tampered), "an added space");
        assert_eq!(parse(&text.replacen("4.5", "4", 1)), Err(ScoreFileError::Tampered), "a removed byte");
        assert_eq!(parse(&format!("\u{feff}{text}")), Err(ScoreFileError::Tampered), "a byte-order mark");
        assert_eq!(parse(&text.replace('\n', "\r\n")), Err(ScoreFileError::Tampered), "CRLF");
        assert_eq!(ScoreFileError::Tampered.to_string(), "文件内容与校验值不符，可能已被改动或损坏");
    }

    #[test]
    fn another_format_version_is_refused_even_with_a_matching_hash() {
        let text = sample().to_json().replacen("\"format_version\":1", "\"format_version\":3", 1);
        for t in [text.clone(), rehash(&text)] {
            let err = parse(&t).unwrap_err();
            assert_eq!(err, ScoreFileError::UnsupportedVersion { found: "3".into(), supported: 2 });
            assert!(err.to_string().contains("格式版本是 3，本软件只能读取第 1–2 版"), "{err}");
        }
        let no_version = rehash(&sample().to_json().replacen("\"format_version\":1,", "", 1));
        assert!(matches!(parse(&no_version), Err(ScoreFileError::UnsupportedVersion { .. })));
    }

    #[test]
    fn what_is_not_a_score_file_says_so() {
        for t in ["", "hello", "{}", "[1,2]", r#"{"format":"other"}"#, "id = \"henan-2023\"\n"] {
            assert_eq!(parse(t), Err(ScoreFileError::NotScoreFile), "{t:?}");
        }
        assert_eq!(parse_bytes(&[0xff, 0xfe, 0x00]), Err(ScoreFileError::NotScoreFile));
    }

    #[test]
    fn a_value_that_is_not_a_number_names_the_application_and_item() {
        let text = rehash(&sample().to_json().replacen("\"value\":\"2\"", "\"value\":\"两分\"", 1));
        let err = parse(&text).unwrap_err();
        assert!(matches!(&err, ScoreFileError::BadNumber { application, item, .. } if application == "A01" && item == "1.2"), "{err:?}");
        assert_eq!(err.to_string(), "评分文件中申报 A01 观测点 1.2 的得分有误：“两分”不是数字");

        let text = rehash(&sample().to_json().replacen("\"value\":\"1\"", "\"value\":\"1.25\"", 1));
        let err = parse(&text).unwrap_err();
        assert!(matches!(&err, ScoreFileError::BadDeduction { application, .. } if application == "A01"), "{err:?}");

        // A number written as a JSON number rather than text is a structural error.
        let text = rehash(&sample().to_json().replacen("\"value\":\"4.5\"", "\"value\":4.5", 1));
        assert!(matches!(parse(&text), Err(ScoreFileError::Malformed(_))));
    }

    #[test]
    fn an_intact_but_not_canonical_text_is_refused() {
        for (from, to) in [("\"4.5\"", "\"4.50\""), ("张三", "\\u5f20三"), ("\"value\":\"2\"", "\"value\":\" 2\"")] {
            let text = rehash(&sample().to_json().replacen(from, to, 1));
            assert_eq!(parse(&text), Err(ScoreFileError::NotCanonical), "{from} → {to}");
        }
    }

    #[test]
    fn structural_rules_between_fields() {
        type Case = (&'static str, &'static str, fn(&ScoreFileError) -> bool);
        let cases: [Case; 6] = [
            ("\"application\":\"A02\"", "\"application\":\"A01\"", |e| matches!(e, ScoreFileError::DuplicateSheet { .. })),
            ("\"item\":\"1.2\"", "\"item\":\"1.1\"", |e| matches!(e, ScoreFileError::DuplicateItem { .. })),
            ("\"version\":0", "\"version\":1", |e| matches!(e, ScoreFileError::RecusalWithScores { .. })),
            ("\"version\":2", "\"version\":0", |e| matches!(e, ScoreFileError::BadVersion { version: 0, .. })),
            ("\"submitted_at\":\"2024-05-20T09:00:00.000Z\"", "\"submitted_at\":null", |e| matches!(e, ScoreFileError::MissingSubmittedAt { .. })),
            (",\"comment\":\"\"", "", |e| matches!(e, ScoreFileError::Malformed(m) if m.contains("comment"))),
        ];
        for (from, to, expected) in cases {
            let text = rehash(&sample().to_json().replacen(from, to, 1));
            let err = parse(&text).unwrap_err();
            assert!(expected(&err), "{from} → {to}: {err:?}");
        }
        let text = rehash(&sample().to_json().replacen("\"rubric\":{", "\"extra\":1,\"rubric\":{", 1));
        assert_eq!(parse(&text), Err(ScoreFileError::Malformed("有未知字段 `extra`".into())));
    }

    #[test]
    fn the_documented_example_is_a_valid_file() {
        let doc = include_str!("../../../docs/score-file.md");
        let lines: Vec<&str> = doc.lines().filter(|l| l.starts_with("{\"format\":\"pingshen-score-file\"")).collect();
        assert_eq!(lines.len(), 3, "docs/score-file.md shows three exact files");
        for line in &lines {
            let f = parse(line).unwrap();
            assert_eq!(f.to_json(), format!("{line}\n"));
            assert!(doc.contains(&format!("short hash, as the export and import screens show it, is `{}`", f.short_hash())), "{line}");
        }
        let f = parse(lines[0]).unwrap();
        assert_eq!((f.sheets.len(), f.sheets[0].version, f.sheets[0].scores[0].value), (2, 2, Tenths(45)));
        // The first example is in the format as it was before the optional members: its hash never changes.
        assert_eq!(f.content_hash(), "e89ffc0d995f3cc5a54409201322949c4016422146292970340f83caf8b465b9");
        assert_eq!((f.recusal_details.len(), f.declaration.as_ref()), (0, None));
        // The second one is the same file with E01's declaration and the reason and source of the recusal.
        let g = parse(lines[1]).unwrap();
        assert_eq!((&g.round, &g.rubric, &g.expert, &g.exported_at, &g.sheets), (&f.round, &f.rubric, &f.expert, &f.exported_at, &f.sheets));
        let r = g.recusal("A02").unwrap();
        assert_eq!((r.reason.as_str(), r.source), ("本人在该联合体牵头学校兼职", FileRecusalSource::Expert));
        assert_eq!(g.declaration.as_ref().unwrap().signed_at, "2024-05-20T08:52:31.046Z");
        // The third is the first with a 否定性指标 proposed on A01, and nothing else changed.
        let h = parse(lines[2]).unwrap();
        let v = &h.sheets[0].vetoes;
        assert_eq!((v.len(), v[0].code.as_str(), v[0].reason.as_str()), (1, "V1", "合作协议所盖企业公章与工商登记名称不符"));
        let mut without = h.clone();
        without.sheets[0].vetoes.clear();
        assert_eq!(without, f);
    }

    #[test]
    fn a_file_written_before_the_optional_members_reads_with_the_same_bytes_and_hash() {
        // Exported by the store before recusal reasons and declarations travelled (never regenerated).
        let text = include_str!("../../../tests/fixtures/scores/score-files/v1-before-declarations-E02.json");
        let f = parse(text).unwrap();
        assert_eq!(f.content_hash(), "bfa9c8a37dc11d6129265b2b571811645babb161e78c7d4af73157a3b6179587");
        assert_eq!(f.to_json(), text, "written again byte for byte");
        assert!(f.sheet("A03").unwrap().recused);
        assert_eq!((f.recusal("A03"), f.declaration.as_ref()), (None, None));
        // A value without the optional members writes what the old code wrote.
        assert!(!sample().to_json().contains("recusal_") && !sample().to_json().contains("declaration"));
    }

    #[test]
    fn recusal_reasons_and_the_declaration_round_trip_and_are_covered_by_the_hash() {
        let f = sample_declared();
        let text = f.to_json();
        assert!(
            text.contains(r#"{"application":"A02","version":0,"submitted_at":null,"recused":true,"recusal_reason":"本人在该联合体牵头学校兼职","recusal_source":"expert","scores":[],"deduction":null}"#),
            "{text}"
        );
        assert!(
            text.contains(r#""deduction":null}],"declaration":{"signed_at":"2024-05-20T08:55:12.345Z","statement":"曾参与 A01 的前期\"咨询\""},"content_hash":""#),
            "{text}"
        );
        assert_eq!(parse(&text).unwrap(), f);
        assert_ne!(f.content_hash(), sample().content_hash());

        // Each new member is hashed: changing it refuses the file, and a recomputed hash gives another file.
        for (from, to) in [
            ("牵头学校兼职", "牵头学校任职"),
            (r#""recusal_source":"expert""#, r#""recusal_source":"staff""#),
            ("08:55:12.345Z", "08:55:12.346Z"),
            ("前期", "后期"),
        ] {
            let changed = text.replacen(from, to, 1);
            assert_ne!(changed, text, "{from}");
            assert_eq!(parse(&changed), Err(ScoreFileError::Tampered), "{from} → {to}");
            let g = parse(&rehash(&changed)).unwrap();
            assert_ne!(g, f);
            assert_ne!(g.content_hash(), f.content_hash());
        }
        let staff = parse(&rehash(&text.replacen(r#""recusal_source":"expert""#, r#""recusal_source":"staff""#, 1))).unwrap();
        assert_eq!(staff.recusal("A02").unwrap().source, FileRecusalSource::Staff);
        // Removing the members is a change too.
        let stripped = text.replacen(r#","recusal_reason":"本人在该联合体牵头学校兼职","recusal_source":"expert""#, "", 1);
        assert_eq!(parse(&stripped), Err(ScoreFileError::Tampered));

        // Reasons of applications that are not recusals in `sheets` are not written.
        let mut g = sample();
        g.recusal_details.insert("A01".into(), FileRecusal { reason: "x".into(), source: FileRecusalSource::Staff });
        assert_eq!(g.to_json(), sample().to_json());
        // The printed sheet hash does not depend on them.
        assert_eq!(f.sheets[1].content_hash("u", "r", "E01"), sample().sheets[1].content_hash("u", "r", "E01"));
    }

    #[test]
    fn rules_of_the_optional_members() {
        let text = sample_declared().to_json();
        let reason = r#","recusal_reason":"本人在该联合体牵头学校兼职""#;
        let source = r#","recusal_source":"expert""#;
        let both = format!("{reason}{source}");
        let bad = |from: &str, to: &str| parse(&rehash(&text.replacen(from, to, 1))).unwrap_err();

        // On a sheet that is not a recusal.
        let on_sheet = rehash(&text.replacen(&both, "", 1).replacen(r#""recused":false"#, &format!(r#""recused":false{both}"#), 1));
        assert_eq!(parse(&on_sheet), Err(ScoreFileError::RecusalDetailsWithoutRecusal { application: "A01".into() }));
        // One without the other, or an empty reason.
        assert_eq!(bad(source, ""), ScoreFileError::IncompleteRecusal { application: "A02".into() });
        assert_eq!(bad(reason, ""), ScoreFileError::IncompleteRecusal { application: "A02".into() });
        assert_eq!(bad("本人在该联合体牵头学校兼职", " "), ScoreFileError::IncompleteRecusal { application: "A02".into() });
        assert!(bad(reason, r#","recusal_reason":1"#).to_string().contains("类型不对"));
        // Only the two sources.
        let err = bad(r#""recusal_source":"expert""#, r#""recusal_source":"panel""#);
        assert!(matches!(&err, ScoreFileError::Malformed(m) if m.contains("recusal_source") && m.contains("panel")), "{err:?}");
        // Another order, or a null written out, is not the canonical form.
        assert_eq!(bad(&both, &format!("{source}{reason}")), ScoreFileError::NotCanonical);
        assert_eq!(bad(&both, r#","recusal_reason":null,"recusal_source":null"#), ScoreFileError::NotCanonical);
        let no_declaration = sample().to_json();
        let null = rehash(&no_declaration.replacen(r#"}],"content_hash""#, r#"}],"declaration":null,"content_hash""#, 1));
        assert_eq!(parse(&null), Err(ScoreFileError::NotCanonical));
        // The declaration: its two members and nothing else, and a time.
        assert_eq!(bad(r#""statement":"#, r#""extra":1,"statement":"#), ScoreFileError::Malformed("有未知字段 `extra`".into()));
        assert_eq!(bad(r#","statement":"曾参与 A01 的前期\"咨询\"""#, ""), ScoreFileError::Malformed("缺少字段 `statement`".into()));
        assert_eq!(bad("2024-05-20T08:55:12.345Z", ""), ScoreFileError::Malformed("字段 `declaration.signed_at` 为空".into()));
        assert_eq!(
            bad(
                r#""signed_at":"2024-05-20T08:55:12.345Z","statement":"曾参与 A01 的前期\"咨询\"""#,
                r#""statement":"曾参与 A01 的前期\"咨询\"","signed_at":"2024-05-20T08:55:12.345Z""#
            ),
            ScoreFileError::NotCanonical
        );
        // An empty statement is fine.
        let mut f = sample_declared();
        f.declaration.as_mut().unwrap().statement.clear();
        assert_eq!(parse(&f.to_json()).unwrap(), f);
    }

    #[test]
    fn the_sheet_hash_is_stable_and_covers_every_score_and_comment() {
        let f = sample();
        let s = &f.sheets[0];
        let h = s.content_hash(&f.round.uid, &f.rubric.hash, &f.expert.code);
        assert_eq!(h.len(), 64);
        assert!(h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{h}");
        assert_eq!(h, sample().sheets[0].content_hash(&f.round.uid, &f.rubric.hash, &f.expert.code), "stable");
        assert_eq!(h, sha256_hex(s.canonical_for_hash(&f.round.uid, &f.rubric.hash, &f.expert.code).as_bytes()));
        let canonical = s.canonical_for_hash("u", "r", "E01");
        assert!(
            canonical.starts_with(
                r#"{"format":"pingshen-sheet","round_uid":"u","rubric_hash":"r","expert_code":"E01","sheet":{"application":"A01","version":2,"#
            ),
            "{canonical}"
        );
        assert!(canonical.contains(r#"{"item":"1.1","value":"4.5","comment":""}"#), "{canonical}");

        let mut score = s.clone();
        score.scores[0].value = Tenths(40);
        let mut comment = s.clone();
        comment.scores[1].comment.push('。');
        let mut version = s.clone();
        version.version = 3;
        let mut reason = s.clone();
        reason.deduction.as_mut().unwrap().reason = "另一理由".into();
        for other in [score, comment, version, reason] {
            assert_ne!(other.content_hash(&f.round.uid, &f.rubric.hash, &f.expert.code), h, "{other:?}");
        }
        assert_ne!(s.content_hash("another round", &f.rubric.hash, &f.expert.code), h);
        assert_ne!(s.content_hash(&f.round.uid, &f.rubric.hash, "E02"), h);
        assert_ne!(f.sheets[1].content_hash(&f.round.uid, &f.rubric.hash, &f.expert.code), h);
    }

    #[test]
    fn a_sheet_reads_back_from_its_canonical_json() {
        let f = sample();
        for s in &f.sheets {
            let text = s.canonical_for_hash(&f.round.uid, &f.rubric.hash, &f.expert.code);
            let back = FileSheet::from_canonical(&text).unwrap();
            assert_eq!(&back, s);
            assert_eq!(back.canonical_for_hash(&f.round.uid, &f.rubric.hash, &f.expert.code), text);
        }
        // Escapes as serde_json writes them, and as another writer might (\u, \/).
        let text = r#"{"format":"pingshen-sheet","round_uid":"u","rubric_hash":"r","expert_code":"E01","sheet":{"application":"A01","version":1,"submitted_at":"t","recused":false,"scores":[{"item":"1.1","value":"4.5","comment":"\"\u00e9\ud83d\ude00\/\n中"}],"deduction":null}}"#;
        let back = FileSheet::from_canonical(text).unwrap();
        assert_eq!((back.scores[0].value, back.scores[0].comment.as_str(), back.deduction), (Tenths(45), "\"é😀/\n中", None));
    }

    #[test]
    fn what_is_not_a_canonical_sheet_is_refused() {
        let f = sample();
        let good = f.sheets[0].canonical_for_hash("u", "r", "E01");
        let malformed = |t: &str| matches!(FileSheet::from_canonical(t), Err(SheetContentError::Malformed(_)));
        for bad in ["", "{}", "[]", "{\"format\":\"pingshen-sheet\"}", &good[..good.len() - 1], &format!("{good} x")] {
            assert!(malformed(bad), "{bad}");
        }
        assert!(malformed(&good.replace("pingshen-sheet", "pingshen-score-file")));
        assert!(malformed(&good.replace(r#""recused":false"#, r#""recused":false,"recusal_reason":"x""#)), "unknown member");
        assert!(malformed(&good.replace(r#""version":2"#, r#""version":"2""#)), "another type");
        assert!(matches!(
            FileSheet::from_canonical(&good.replace(r#""value":"4.5""#, r#""value":"4.55""#)),
            Err(SheetContentError::BadNumber { item, .. }) if item == "1.1"
        ));
        assert!(matches!(FileSheet::from_canonical(&good.replace(r#""value":"1""#, r#""value":"一""#)), Err(SheetContentError::BadDeduction { .. })));
    }

    /// `sample` with E01's proposal of two 否定性指标 on A01.
    fn sample_vetoed() -> ScoreFile {
        let mut f = sample();
        f.sheets[0].vetoes = vec![
            FileVeto { code: "V1".into(), reason: "合作协议系\"伪造\"".into() },
            FileVeto { code: "V2".into(), reason: "2022年发生重大安全事故".into() },
        ];
        f
    }

    #[test]
    fn veto_proposals_are_written_after_the_deduction_only_when_there_are_any() {
        let f = sample_vetoed();
        let text = f.to_json();
        assert!(
            text.contains(r#""deduction":{"value":"1","reason":"发生安全事故"},"vetoes":[{"code":"V1","reason":"合作协议系\"伪造\""},{"code":"V2","reason":"2022年发生重大安全事故"}]},{"application":"A02""#),
            "{text}"
        );
        assert_eq!(parse(&text).unwrap(), f);
        // Without proposals nothing is written: not in the file, not in the sheet's canonical JSON.
        assert!(!sample().to_json().contains("vetoes"));
        assert!(!sample().sheets[0].canonical_for_hash("u", "r", "E01").contains("vetoes"));
        // The sheet's canonical JSON carries them, reads back, and its 评分表校验码 changes with them.
        let canonical = f.sheets[0].canonical_for_hash("u", "r", "E01");
        assert!(
            canonical.ends_with(r#""vetoes":[{"code":"V1","reason":"合作协议系\"伪造\""},{"code":"V2","reason":"2022年发生重大安全事故"}]}}"#),
            "{canonical}"
        );
        assert_eq!(FileSheet::from_canonical(&canonical).unwrap(), f.sheets[0]);
        assert_ne!(f.sheets[0].content_hash("u", "r", "E01"), sample().sheets[0].content_hash("u", "r", "E01"));
        let mut other = f.clone();
        other.sheets[0].vetoes[1].reason.push('。');
        assert_ne!(other.sheets[0].content_hash("u", "r", "E01"), f.sheets[0].content_hash("u", "r", "E01"));
        // Each byte is hashed: a changed reason or a removed proposal is a changed file.
        assert_eq!(parse(&text.replacen("重大安全事故", "一般安全事故", 1)), Err(ScoreFileError::Tampered));
        let removed = text.replacen(r#",{"code":"V2","reason":"2022年发生重大安全事故"}"#, "", 1);
        assert_eq!(parse(&removed), Err(ScoreFileError::Tampered));
        assert_eq!(parse(&rehash(&removed)).unwrap().sheets[0].vetoes.len(), 1);
    }

    #[test]
    fn rules_of_veto_proposals() {
        let text = sample_vetoed().to_json();
        let bad = |from: &str, to: &str| parse(&rehash(&text.replacen(from, to, 1))).unwrap_err();
        let veto = |application: &str, code: &str| ScoreFileError::BadVeto { application: application.into(), code: code.into() };
        assert_eq!(bad("2022年发生重大安全事故", " "), veto("A01", "V2"), "a reason is required");
        assert_eq!(bad(r#""code":"V2""#, r#""code":"""#), veto("A01", ""), "a code is required");
        assert_eq!(bad(r#""code":"V2""#, r#""code":"V1""#), veto("A01", "V1"), "twice");
        let on_recusal = r#""deduction":null,"vetoes":[{"code":"V1","reason":"x"}]}]"#;
        assert_eq!(bad(r#""deduction":null}]"#, on_recusal), veto("A02", "V1"), "a recusal proposes nothing");
        assert_eq!(bad(r#""reason":"2022年"#, r#""extra":1,"reason":"2022年"#), ScoreFileError::Malformed("有未知字段 `extra`".into()));
        // An empty list written out is not the canonical form (a sheet without proposals has no member).
        let empty = rehash(&sample().to_json().replacen(r#""reason":"发生安全事故"}"#, r#""reason":"发生安全事故"},"vetoes":[]"#, 1));
        assert_eq!(parse(&empty), Err(ScoreFileError::NotCanonical));
        // In a kept sheet version an empty list reads as none.
        let kept = sample().sheets[0].canonical_for_hash("u", "r", "E01").replacen(
            r#""reason":"发生安全事故"}"#,
            r#""reason":"发生安全事故"},"vetoes":[]"#,
            1,
        );
        assert_eq!(FileSheet::from_canonical(&kept).unwrap(), sample().sheets[0]);
    }

    #[test]
    fn sheets_without_vetoes_keep_their_printed_sheet_codes() {
        // Computed, outside this crate, from the canonical JSON as the code wrote it before sheets could carry
        // veto proposals: the 评分表校验码 printed on earlier paper stays what it was.
        let f = parse(include_str!("../../../tests/fixtures/scores/score-files/v1-before-declarations-E02.json")).unwrap();
        let hashes: Vec<(&str, String)> =
            f.sheets.iter().map(|s| (s.application.as_str(), s.content_hash(&f.round.uid, &f.rubric.hash, &f.expert.code))).collect();
        assert_eq!(
            hashes,
            [
                ("A01", "d655ee2b5111b9a4b41c312cf7092ea06a4015e3d16a496902bd6bf4f8ef0af0".to_string()),
                ("A02", "2761ce7ecdc8e2d45d226a8fce62772faf2b693e64c163c03bbde41fbea407bb".to_string()),
                ("A03", "a72870fc22976e8b5935847dfe2bcbc5488405dc3144daf34722ad013d9790d4".to_string()),
            ]
        );
        assert!(f.sheets.iter().all(|s| s.vetoes.is_empty()));
    }

    fn sample_opinions() -> ScoreFile {
        let mut f = sample();
        f.sheets[0].recommendation = Some(Recommendation::Recommend);
        f.sheets[0].opinion = "产教融合\"实体化\"运行，建议推荐。".into();
        f
    }

    #[test]
    fn opinions_make_a_version_2_file_that_round_trips_and_is_covered_by_the_hash() {
        assert_eq!(sample().format_version(), 1);
        let f = sample_opinions();
        assert_eq!(f.format_version(), 2);
        let text = f.to_json();
        assert!(text.starts_with(r#"{"format":"pingshen-score-file","format_version":2,"#), "{text}");
        assert!(text.contains(r#""recommendation":"recommend","opinion":"产教融合\"实体化\"运行，建议推荐。"}"#), "{text}");
        assert_eq!(parse(&text).unwrap(), f);
        // A changed opinion is tampering.
        assert_eq!(parse(&text.replace("建议推荐", "建议缓推")), Err(ScoreFileError::Tampered));
        // Only the 推荐意见, or only the 综合意见: each alone is version 2.
        let mut only = sample();
        only.sheets[0].recommendation = Some(Recommendation::NotRecommend);
        assert!(only.to_json().contains(r#""recommendation":"not_recommend"}"#));
        assert_eq!(parse(&only.to_json()).unwrap(), only);
        // A version-1 file that carries them, or a version-2 file that does not, is not canonical.
        let v1 = rehash(&text.replacen("\"format_version\":2", "\"format_version\":1", 1));
        assert_eq!(parse(&v1), Err(ScoreFileError::NotCanonical));
        let v2 = rehash(&sample().to_json().replacen("\"format_version\":1", "\"format_version\":2", 1));
        assert_eq!(parse(&v2), Err(ScoreFileError::NotCanonical));
        // Another word than the two, or an opinion on a recusal, is refused.
        let bad = rehash(&text.replace("\"recommend\"", "\"yes\""));
        assert!(matches!(parse(&bad), Err(ScoreFileError::Malformed(m)) if m.contains("recommendation")));
        let mut recused = sample();
        let r = recused.sheets.iter_mut().find(|s| s.recused).unwrap();
        r.opinion = "回避".into();
        assert!(matches!(parse(&recused.to_json()), Err(ScoreFileError::RecusalWithScores { .. })));
    }

    #[test]
    fn opinions_are_part_of_the_kept_version_only_when_given() {
        let f = sample_opinions();
        let s = &f.sheets[0];
        let text = s.canonical_for_hash("u", "h", "E01");
        assert!(text.ends_with(r#","recommendation":"recommend","opinion":"产教融合\"实体化\"运行，建议推荐。"}}"#), "{text}");
        assert_eq!(&FileSheet::from_canonical(&text).unwrap(), s);
        let mut plain = s.clone();
        plain.recommendation = None;
        plain.opinion.clear();
        assert_ne!(plain.content_hash("u", "h", "E01"), s.content_hash("u", "h", "E01"));
        assert!(!plain.canonical_for_hash("u", "h", "E01").contains("opinion"));
        assert!(FileSheet::from_canonical(&text.replace("\"recommend\"", "\"maybe\"")).is_err());
    }

    #[test]
    fn reconsidered_scores_are_carried_by_the_file_but_not_hashed_into_the_sheet_code() {
        let mut f = sample();
        let plain_code = f.sheets[0].content_hash("u", "h", "E01");
        f.sheets[0].reconsidered = vec![FileReconsidered { item: "1.1".into(), before: Tenths(50), after: Tenths(45), reason: "复核".into() }];
        assert_eq!(f.format_version(), 2);
        let text = f.to_json();
        assert!(text.contains(r#""reconsidered":[{"item":"1.1","before":"5","after":"4.5","reason":"复核"}]}"#), "{text}");
        assert_eq!(parse(&text).unwrap(), f);
        assert_eq!(f.sheets[0].content_hash("u", "h", "E01"), plain_code);
        let bad = rehash(&text.replace("\"reason\":\"复核\"", "\"reason\":\" \""));
        assert!(matches!(parse(&bad), Err(ScoreFileError::Malformed(_))));
    }

    /// A kept version stored before sheets had opinions reads back and hashes to what it always did.
    #[test]
    fn a_kept_version_without_opinions_keeps_its_hash() {
        let stored = r#"{"format":"pingshen-sheet","round_uid":"0123456789abcdef0123456789abcdef","rubric_hash":"abab","expert_code":"E01","sheet":{"application":"A01","version":1,"submitted_at":"2024-05-20T09:00:00.000Z","recused":false,"scores":[{"item":"1.1","value":"4.5","comment":"佐证充分"}],"deduction":null}}"#;
        let s = FileSheet::from_canonical(stored).unwrap();
        assert_eq!((s.recommendation, s.opinion.as_str()), (None, ""));
        assert_eq!(s.canonical_for_hash("0123456789abcdef0123456789abcdef", "abab", "E01"), stored);
        assert_eq!(s.content_hash("0123456789abcdef0123456789abcdef", "abab", "E01"), crate::hash::sha256_hex(stored.as_bytes()));
    }

    #[test]
    fn the_suggested_file_name_is_safe() {
        let mut f = sample();
        f.expert.name = "张/三:".into();
        let name = f.file_name();
        assert!(name.starts_with("评分文件_E01_张_三__") && name.ends_with(".json"), "{name}");
        assert!(!name.contains('/') && !name.contains(':'));
    }
}
