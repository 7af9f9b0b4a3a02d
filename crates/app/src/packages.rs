//! Applications at the staff machine: packages read as they arrive and added to the round all or nothing,
//! the 形式审查 of every application, and the key fields staff type in from a scanned 推荐书.

use pingshen_import::arrive::{self, Arrival, Origin};
use pingshen_import::FormSource;
use pingshen_store::applications::{self, Source};
use pingshen_store::rounds::{NewApplication, NewMaterial};
use pingshen_store::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::ids::{ApplicationId, RoundId};
use crate::overview::STAFF;

/// How an application's 推荐书 came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PackageOrigin {
    /// 标准格式: the canonical package (application.toml).
    Canonical,
    /// Word/WPS 文档
    Docx,
    /// PDF with text
    Pdf,
    /// 扫描件: staff type in the key fields.
    Scanned,
}

/// What importing one package did.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageImportDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// How the 推荐书 came in.
    pub origin: PackageOrigin,
    pub needs_manual_entry: bool,
    /// What the 推荐书 reader could not read, for staff to check.
    pub notes: Vec<String>,
    pub materials: i32,
    pub pages: i32,
    pub scanned_pages: i32,
    /// Errors and warnings of the 形式审查.
    pub errors: i32,
    pub warnings: i32,
}

/// Reads a package (a folder or a .zip) as it arrived; it takes a while on big materials (PDF text), so
/// the desktop runs it off the UI thread. Nothing is written.
pub fn read(path: &std::path::Path) -> Result<Arrival> {
    arrive::read(path).map_err(|e| Error::new(ErrorKind::Package, format!("申报材料未导入（未做任何改动）：{e}")))
}

/// An arrival as a round's new application (no 申报编号 yet): every material with its page texts, and its
/// PDF bytes when `keep_pdfs` (a search of a package alone does without them).
fn new_application(a: Arrival, keep_pdfs: bool) -> NewApplication {
    NewApplication {
        code: String::new(),
        application: a.application,
        materials: a
            .materials
            .into_iter()
            .map(|(m, p)| NewMaterial {
                file: m.file,
                title: m.title,
                pages: p.len() as u32,
                content: if keep_pdfs { m.content } else { Vec::new() },
                page_texts: p.into_iter().map(|t| (t.page, t.text, t.scanned)).collect(),
            })
            .collect(),
    }
}

/// The materials of an arrival as the 形式审查 sees them (pages, and which are scanned).
pub fn material_infos(a: &Arrival) -> Vec<pingshen_core::formal::MaterialInfo> {
    a.materials
        .iter()
        .map(|(m, pages)| pingshen_core::formal::MaterialInfo {
            file: m.file.clone(),
            title: m.title.clone(),
            pages: pages.len() as u32,
            scanned_pages: pages.iter().filter(|t| t.scanned).map(|t| t.page).collect(),
        })
        .collect()
}

/// Full-text search over the material pages of a package that is in no round (`pingshen search`): the
/// package in an in-memory store, searched, best first, at most `limit` hits.
pub fn search_package(a: Arrival, query: &str, limit: usize) -> Result<Vec<pingshen_store::search::Hit>> {
    let mut conn = pingshen_store::open_in_memory()?;
    let mut application = new_application(a, false);
    application.code = "A01".into();
    let new = pingshen_store::rounds::NewRound {
        name: "检索".into(),
        rubric_text: crate::samples::HENAN_RUBRIC.into(),
        applications: vec![application],
        experts: Vec::new(),
        is_sample: false,
        uid: None,
    };
    let round = pingshen_store::rounds::create(&mut conn, &new, "pingshen search")?;
    let hits = pingshen_store::search::search(&conn, None, round, query, usize::MAX >> 1)?;
    Ok(hits.into_iter().filter(|h| h.page.is_some()).take(limit).collect())
}

/// Adds what was read to the round, all or nothing; a new 申报编号 is given.
pub fn add(conn: &mut Connection, round: RoundId, a: Arrival) -> Result<PackageImportDto> {
    let (source, origin) = match a.origin {
        Origin::Canonical => (Source::Canonical, PackageOrigin::Canonical),
        Origin::Form(FormSource::Docx) => (Source::Docx, PackageOrigin::Docx),
        Origin::Form(FormSource::Pdf) => (Source::Pdf, PackageOrigin::Pdf),
        Origin::Form(FormSource::Scanned) => (Source::Scanned, PackageOrigin::Scanned),
    };
    let pages: usize = a.materials.iter().map(|(_, p)| p.len()).sum();
    let scanned: usize = a.materials.iter().map(|(_, p)| p.iter().filter(|t| t.scanned).count()).sum();
    let (needs_manual_entry, notes) = (a.needs_manual_entry, a.notes.clone());
    let new = new_application(a, true);
    crate::backups::snapshot_before(conn, "导入申报材料")?;
    let materials = new.materials.len() as i32;
    let (id, code) = applications::add(conn, round.0, &new, source, needs_manual_entry, STAFF)?;
    let (row, app) = applications::get(conn, id)?;
    let findings = pingshen_core::formal::check(&app, &applications::material_infos(conn, id)?, needs_manual_entry);
    let count = |s: pingshen_core::formal::Severity| findings.iter().filter(|f| f.severity == s).count() as i32;
    Ok(PackageImportDto {
        application_id: id,
        code,
        name: row.name,
        origin,
        needs_manual_entry,
        notes,
        materials,
        pages: pages as i32,
        scanned_pages: scanned as i32,
        errors: count(pingshen_core::formal::Severity::Error),
        warnings: count(pingshen_core::formal::Severity::Warning),
    })
}

/// How serious a finding of the 形式审查 is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// 错误
    Error,
    /// 提示
    Warning,
}

impl From<pingshen_core::formal::Severity> for Severity {
    fn from(s: pingshen_core::formal::Severity) -> Self {
        match s {
            pingshen_core::formal::Severity::Error => Severity::Error,
            pingshen_core::formal::Severity::Warning => Severity::Warning,
        }
    }
}

/// One finding of the 形式审查.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingDto {
    pub severity: Severity,
    pub code: String,
    pub section: String,
    pub field: Option<String>,
    pub message: String,
}

/// The 形式审查 of one application.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FormalCheckDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    pub needs_manual_entry: bool,
    pub findings: Vec<FindingDto>,
}

/// The 形式审查 of every application of a round, never fixing anything: each application's own findings,
/// then those that come from the round's settings (the deadline, the quota per 推荐单位).
pub fn formal_checks(conn: &Connection, round: RoundId) -> Result<Vec<FormalCheckDto>> {
    let settings = pingshen_store::rounds::get(conn, round.0)?.settings;
    let rules = pingshen_core::formal::RoundRules { deadline: settings.deadline, quota: settings.quota };
    let mut apps = Vec::new();
    for a in applications::list(conn, round.0)? {
        let (_, app) = applications::get(conn, a.id)?;
        let manual = applications::needs_manual_entry(conn, a.id)?;
        let findings = pingshen_core::formal::check(&app, &applications::material_infos(conn, a.id)?, manual);
        apps.push((a, app, manual, findings));
    }
    let refs: Vec<(&str, &pingshen_core::application::Application)> = apps.iter().map(|(a, app, ..)| (a.code.as_str(), app)).collect();
    let mut from_round = pingshen_core::formal::round_checks(&refs, &rules);
    Ok(apps
        .into_iter()
        .map(|(a, _, manual, mut findings)| {
            findings.extend(from_round.extract_if(.., |(code, _)| *code == a.code).map(|(_, f)| f));
            let findings = findings
                .into_iter()
                .map(|f| FindingDto {
                    severity: f.severity.into(),
                    code: f.code.to_string(),
                    section: f.section,
                    field: f.field.map(str::to_string),
                    message: f.message,
                })
                .collect();
            FormalCheckDto { application_id: a.id, code: a.code, name: a.name, needs_manual_entry: manual, findings }
        })
        .collect())
}

/// The key fields of a 推荐书 that staff type in from a scan.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyFieldsDto {
    pub name: String,
    pub recommender: String,
    pub park: String,
    pub lead_school: String,
    pub lead_enterprise: String,
    pub date: String,
    pub leader: String,
    pub secretariat_total: u32,
    pub secretariat_full_time: u32,
    pub secretariat_part_time: u32,
    pub leading_industry: String,
    pub policy: String,
    pub features: String,
    pub plan: String,
}

impl KeyFieldsDto {
    pub fn of(a: &pingshen_core::application::Application) -> Self {
        KeyFieldsDto {
            name: a.cover.name.clone(),
            recommender: a.cover.recommender.clone(),
            park: a.cover.park.clone(),
            lead_school: a.cover.lead_school.clone(),
            lead_enterprise: a.cover.lead_enterprise.clone(),
            date: a.cover.date.clone(),
            leader: a.overview.leader.clone(),
            secretariat_total: a.overview.secretariat.total,
            secretariat_full_time: a.overview.secretariat.full_time,
            secretariat_part_time: a.overview.secretariat.part_time,
            leading_industry: a.overview.leading_industry.clone(),
            policy: a.overview.policy.clone(),
            features: a.features.clone(),
            plan: a.plan.clone(),
        }
    }

    /// The application with these fields written over `a`'s (everything else kept).
    pub fn apply(&self, mut a: pingshen_core::application::Application) -> pingshen_core::application::Application {
        let t = |s: &String| s.trim().to_string();
        a.cover.name = t(&self.name);
        a.cover.recommender = t(&self.recommender);
        a.cover.park = t(&self.park);
        a.cover.lead_school = t(&self.lead_school);
        a.cover.lead_enterprise = t(&self.lead_enterprise);
        a.cover.date = t(&self.date);
        a.overview.leader = t(&self.leader);
        a.overview.secretariat.total = self.secretariat_total;
        a.overview.secretariat.full_time = self.secretariat_full_time;
        a.overview.secretariat.part_time = self.secretariat_part_time;
        a.overview.leading_industry = t(&self.leading_industry);
        a.overview.policy = t(&self.policy);
        a.features = t(&self.features);
        a.plan = t(&self.plan);
        a
    }
}

/// The key fields of an application's 推荐书 (for typing in a scanned one).
pub fn key_fields(conn: &Connection, application: ApplicationId) -> Result<KeyFieldsDto> {
    Ok(KeyFieldsDto::of(&applications::get(conn, application.0)?.1))
}

/// Staff type in the key fields of a scanned 推荐书; the application is then no longer 待录入.
pub fn enter_key_fields(conn: &Connection, application: ApplicationId, fields: &KeyFieldsDto) -> Result<()> {
    let app = fields.apply(applications::get(conn, application.0)?.1);
    Ok(applications::enter_manually(conn, application.0, &app, STAFF)?)
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![PackageOrigin::decl(), Severity::decl(), PackageImportDto::decl(), FindingDto::decl(), FormalCheckDto::decl(), KeyFieldsDto::decl()]
}
