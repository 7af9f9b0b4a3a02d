//! Round files (评审包): export on the staff machine, inspect and open on an expert's laptop, and who this
//! laptop scores as. Export and open take a while on big materials: they report progress to the caller's
//! `report`, which also answers whether to go on (the user's 取消), and write nothing when stopped.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use pingshen_handout::Progress;
use pingshen_store::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::ids::{ExpertId, RoundId};

/// How far an export or an open has got.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProgressDto {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// What it is doing now, e.g. "正在校验 A03 支撑材料.pdf".
    pub stage: String,
}

/// A round file that was written.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundFileSavedDto {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub applications: i32,
    pub materials: i32,
    /// 8 groups of 4 hex digits: what staff and experts compare.
    pub short_hash: String,
}

/// An application listed in a round file.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundFileApplicationDto {
    pub code: String,
    pub name: String,
    pub materials: i32,
}

/// An expert listed in a round file (no phone numbers travel).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundFileExpertDto {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub title: String,
}

/// What a round file holds, read from its manifest before it is opened.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundFileInfoDto {
    pub path: String,
    pub name: String,
    pub rubric_title: String,
    pub rubric_fingerprint: String,
    pub applications: Vec<RoundFileApplicationDto>,
    pub experts: Vec<RoundFileExpertDto>,
    pub exported_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub short_hash: String,
}

/// The round a file was opened into.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenedRoundDto {
    #[ts(type = "number")]
    pub round_id: i64,
    pub name: String,
    /// The same file had been opened here before; nothing was written.
    pub already_open: bool,
}

/// A round that came to this machine in a round file, and who this machine scores as.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HandoutDto {
    pub short_hash: String,
    pub opened_at: String,
    #[ts(type = "number | null")]
    pub expert_id: Option<i64>,
    pub confirmed_at: Option<String>,
}

impl From<pingshen_store::handout::Handout> for HandoutDto {
    fn from(h: pingshen_store::handout::Handout) -> Self {
        HandoutDto {
            short_hash: pingshen_core::rubric::fingerprint(&h.file_hash),
            opened_at: h.opened_at,
            expert_id: h.expert_id,
            confirmed_at: h.confirmed_at,
        }
    }
}

impl From<&Progress> for ProgressDto {
    fn from(p: &Progress) -> Self {
        ProgressDto { done: p.done, total: p.total, stage: p.stage.clone() }
    }
}

/// What a long job tells its caller as it goes; `Break` stops it (nothing is written then).
pub type Report<'a> = dyn FnMut(&Progress) -> ControlFlow<()> + 'a;

/// Exports a round into a round file at `path`, stamped `exported_at` (`.part` first, renamed at the end).
pub fn export(conn: &mut Connection, round: RoundId, path: &Path, exported_at: &str, report: &mut Report<'_>) -> Result<RoundFileSavedDto> {
    let s = pingshen_handout::export(conn, round.0, path, exported_at, report)?;
    // From now on the round is handed out: its settings change only with a reason.
    let detail = format!(
        "导出评审包 {}（校验码 {}，申报 {} 项，支撑材料 {} 份）",
        crate::scorefiles::file_name(&s.path),
        s.short_hash,
        s.applications,
        s.materials
    );
    let entity = format!("round:{}", round.0);
    pingshen_store::audit::append(conn, crate::overview::STAFF, pingshen_store::audit::Action::ExportRoundFile, &entity, &detail)?;
    Ok(RoundFileSavedDto {
        path: s.path.display().to_string(),
        bytes: s.bytes,
        applications: s.applications as i32,
        materials: s.materials as i32,
        short_hash: s.short_hash,
    })
}

/// What a round file holds (its manifest checked), for the "who are you" picker.
pub fn inspect(path: &Path) -> Result<RoundFileInfoDto> {
    let i = pingshen_handout::inspect(path)?;
    Ok(RoundFileInfoDto {
        path: path.display().to_string(),
        name: i.name,
        rubric_title: i.rubric_title,
        rubric_fingerprint: i.rubric_fingerprint,
        applications: i
            .applications
            .into_iter()
            .map(|a| RoundFileApplicationDto { code: a.code, name: a.name, materials: a.materials as i32 })
            .collect(),
        experts: i.experts.into_iter().map(|e| RoundFileExpertDto { code: e.code, name: e.name, unit: e.unit, title: e.title }).collect(),
        exported_at: i.exported_at,
        bytes: i.bytes,
        short_hash: i.short_hash,
    })
}

/// Opens a round file: everything checked, written in one transaction (or nothing, on a refusal or a
/// stop). With `expert_code`, this machine then scores as that expert of the round.
pub fn open(conn: &mut Connection, path: &Path, expert_code: Option<&str>, report: &mut Report<'_>) -> Result<OpenedRoundDto> {
    let opened = pingshen_handout::open(conn, path, report)?;
    if let Some(code) = expert_code {
        choose_by_code(conn, opened.round_id, code)?;
    }
    Ok(OpenedRoundDto { round_id: opened.round_id, name: opened.name, already_open: opened.already_open })
}

/// This laptop scores as this expert of a round opened from a round file.
pub fn choose_expert(conn: &Connection, round: RoundId, expert: ExpertId) -> Result<()> {
    let name = pingshen_store::experts::list(conn, round.0)?.into_iter().find(|e| e.id == expert.0).map(|e| e.expert.name).unwrap_or_default();
    Ok(pingshen_store::handout::choose_expert(conn, round.0, expert.0, &name)?)
}

/// This machine scores as the expert with this code.
fn choose_by_code(conn: &Connection, round_id: i64, code: &str) -> Result<()> {
    let expert = pingshen_store::experts::list(conn, round_id)?
        .into_iter()
        .find(|e| e.expert.code == code)
        .ok_or_else(|| Error::not_found(format!("评审包的专家名单中没有编号为 {code} 的专家")))?;
    let actor = expert.expert.name.clone();
    Ok(pingshen_store::handout::choose_expert(conn, round_id, expert.id, &actor)?)
}

/// The file name to suggest for a round's file.
pub fn suggested_name(round_name: &str) -> String {
    format!("{}.{}", pingshen_core::names::safe_file_name(round_name), pingshen_handout::EXTENSION)
}

/// A round file named on the command line (the OS opens the app with the file a user double-clicked).
pub fn from_args(args: impl Iterator<Item = String>) -> Option<PathBuf> {
    args.skip(1).map(PathBuf::from).find(|p| p.extension().is_some_and(|e| e == pingshen_handout::EXTENSION) && Path::new(p).is_file())
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![
        ProgressDto::decl(),
        RoundFileSavedDto::decl(),
        RoundFileApplicationDto::decl(),
        RoundFileExpertDto::decl(),
        RoundFileInfoDto::decl(),
        OpenedRoundDto::decl(),
        HandoutDto::decl(),
    ]
}
