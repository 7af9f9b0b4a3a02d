//! Applications at the staff machine: packages read as they arrive (off the UI thread) and added to the round
//! all or nothing, the 形式审查 of every application, and the key fields staff type in from a scanned 推荐书.

use pingshen_import::arrive::{self, Arrival, Origin};
use pingshen_import::FormSource;
use pingshen_store::applications::{self, Source};
use pingshen_store::rounds::{NewApplication, NewMaterial};
use pingshen_store::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CmdResult, CommandError, ErrorKind};

/// What importing one package did.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageImportDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    /// How the 推荐书 came in, in words: 标准格式 / Word/WPS 文档 / PDF / 扫描件.
    pub origin: String,
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

/// Reads a package on a blocking thread (PDF text extraction takes a while on big materials).
pub async fn read(path: std::path::PathBuf) -> CmdResult<Arrival> {
    crate::error::off_ui_thread(move || {
        arrive::read(&path).map_err(|e| CommandError::new(ErrorKind::Package, format!("申报材料未导入（未做任何改动）：{e}")))
    })
    .await
}

/// Adds what was read to the round.
pub fn add(conn: &mut Connection, round_id: i64, a: Arrival, actor: &str) -> CmdResult<PackageImportDto> {
    let (source, origin) = match a.origin {
        Origin::Canonical => (Source::Canonical, "标准格式"),
        Origin::Form(FormSource::Docx) => (Source::Docx, "Word/WPS 文档"),
        Origin::Form(FormSource::Pdf) => (Source::Pdf, "PDF"),
        Origin::Form(FormSource::Scanned) => (Source::Scanned, "扫描件"),
    };
    let pages: usize = a.materials.iter().map(|(_, p)| p.len()).sum();
    let scanned: usize = a.materials.iter().map(|(_, p)| p.iter().filter(|t| t.scanned).count()).sum();
    let new = NewApplication {
        code: String::new(),
        application: a.application,
        materials: a
            .materials
            .into_iter()
            .map(|(m, p)| NewMaterial {
                file: m.file,
                title: m.title,
                pages: p.len() as u32,
                content: m.content,
                page_texts: p.into_iter().map(|t| (t.page, t.text, t.scanned)).collect(),
            })
            .collect(),
    };
    let materials = new.materials.len() as i32;
    let (id, code) = applications::add(conn, round_id, &new, source, a.needs_manual_entry, actor)?;
    let (row, app) = applications::get(conn, id)?;
    let findings = pingshen_core::formal::check(&app, &applications::material_infos(conn, id)?, a.needs_manual_entry);
    let count = |s: pingshen_core::formal::Severity| findings.iter().filter(|f| f.severity == s).count() as i32;
    Ok(PackageImportDto {
        application_id: id,
        code,
        name: row.name,
        origin: origin.into(),
        needs_manual_entry: a.needs_manual_entry,
        notes: a.notes,
        materials,
        pages: pages as i32,
        scanned_pages: scanned as i32,
        errors: count(pingshen_core::formal::Severity::Error),
        warnings: count(pingshen_core::formal::Severity::Warning),
    })
}

/// One finding of the 形式审查.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingDto {
    /// "error" | "warning"
    pub severity: String,
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

/// The 形式审查 of every application of a round, never fixing anything.
pub fn formal_checks(conn: &Connection, round_id: i64) -> CmdResult<Vec<FormalCheckDto>> {
    applications::list(conn, round_id)?
        .into_iter()
        .map(|a| {
            let (_, app) = applications::get(conn, a.id)?;
            let manual = applications::needs_manual_entry(conn, a.id)?;
            let findings = pingshen_core::formal::check(&app, &applications::material_infos(conn, a.id)?, manual)
                .into_iter()
                .map(|f| FindingDto {
                    severity: f.severity.as_str().to_string(),
                    code: f.code.to_string(),
                    section: f.section,
                    field: f.field.map(str::to_string),
                    message: f.message,
                })
                .collect();
            Ok(FormalCheckDto { application_id: a.id, code: a.code, name: a.name, needs_manual_entry: manual, findings })
        })
        .collect()
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

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![PackageImportDto::decl(), FindingDto::decl(), FormalCheckDto::decl(), KeyFieldsDto::decl()]
}
