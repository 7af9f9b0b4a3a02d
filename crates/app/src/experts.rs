//! The expert list (staff keep it: typed in or imported from a spreadsheet) and the expert's own 回避声明
//! and 承诺书: the use cases and their views.

use pingshen_core::expert::Expert;
use pingshen_store::experts::{self, RecusalSource};
use pingshen_store::{applications, declarations, sheets, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::ids::{ExpertId, RoundId};
use crate::overview::STAFF;
use crate::paperwork::Document;
use crate::scorefiles::file_name;
use crate::views::{sheet_state, ExpertDto, ExpertRoleDto};

/// An expert as staff type or change them.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpertInput {
    /// 专家编号; empty: the next free E01, E02…
    pub code: String,
    pub name: String,
    pub unit: String,
    pub title: String,
    pub field: String,
    pub phone: String,
}

impl ExpertInput {
    fn to_expert(&self) -> Expert {
        Expert {
            code: self.code.trim().to_string(),
            name: self.name.clone(),
            unit: self.unit.clone(),
            title: self.title.clone(),
            field: self.field.clone(),
            phone: self.phone.clone(),
            // The role is set on its own (`set_leader`), never by the details form.
            role: Default::default(),
        }
    }
}

/// An expert on the staff's list, with where they stand.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpertAdminDto {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub title: String,
    pub field: String,
    pub phone: String,
    /// Sheets begun (draft or submitted): the expert can no longer be removed or renumbered.
    pub sheets: i32,
    pub submitted: i32,
    pub recused: i32,
    /// When the expert signed their 回避声明 and 承诺书, if they did.
    pub declared_at: Option<String>,
    /// 组长 or 成员 (at most one 组长: `panel::set_leader`).
    pub role: ExpertRoleDto,
}

/// What an expert-list import did.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpertImportDto {
    pub file: String,
    pub added: i32,
    pub updated: i32,
    pub unchanged: i32,
    /// "新增 2 人，更新 1 人，未变 5 人".
    pub summary: String,
}

/// One application on the expert's declaration.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationRowDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub code: String,
    pub name: String,
    pub lead_school: String,
    pub lead_enterprise: String,
    pub recused: bool,
    pub reason: String,
    /// 统分人员登记 / 专家本人声明, when recused.
    pub source: Option<String>,
    /// The expert has scores for it already: a conflict can no longer be declared here (staff deal with it).
    pub scored: bool,
    /// A conflict the app proposes from the units (for the expert to consider).
    pub proposal: Option<String>,
}

/// The expert's 回避声明 and 承诺书 as it stands.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationDto {
    pub expert: ExpertDto,
    pub signed_at: Option<String>,
    pub statement: String,
    pub applications: Vec<DeclarationRowDto>,
    /// The 承诺书's commitments, as printed.
    pub commitments: Vec<String>,
}

/// A conflict the expert declares.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeclaredDto {
    #[ts(type = "number")]
    pub application_id: i64,
    pub reason: String,
}

/// The experts of a round for the staff's list.
pub fn list(conn: &Connection, round: RoundId) -> Result<Vec<ExpertAdminDto>> {
    let round_id = round.0;
    let assignments = experts::assignments(conn, round_id)?;
    experts::list(conn, round_id)?
        .into_iter()
        .map(|row| {
            let statuses = sheets::statuses(conn, round_id, row.id)?;
            let e = row.expert;
            Ok(ExpertAdminDto {
                id: row.id,
                sheets: statuses.iter().filter(|s| s.sheet_id.is_some()).count() as i32,
                submitted: statuses.iter().filter(|s| s.submitted).count() as i32,
                recused: assignments.iter().filter(|a| a.expert_id == row.id && a.recused).count() as i32,
                declared_at: declarations::latest(conn, row.id)?.map(|d| d.signed_at),
                role: e.role.into(),
                code: e.code,
                name: e.name,
                unit: e.unit,
                title: e.title,
                field: e.field,
                phone: e.phone,
            })
        })
        .collect()
}

/// Adds a typed-in expert (assigned to every application); an empty 专家编号 gets the next free one. The new
/// expert's id back.
pub fn add(conn: &mut Connection, round: RoundId, input: &ExpertInput) -> Result<i64> {
    let round_id = round.0;
    let mut e = input.to_expert();
    if e.code.is_empty() {
        let taken: Vec<String> = experts::list(conn, round_id)?.into_iter().map(|r| r.expert.code).collect();
        e.code = pingshen_core::code::next_free(pingshen_core::code::EXPERT, |c| taken.iter().any(|t| t == c));
    }
    Ok(experts::add(conn, round_id, &e, STAFF)?)
}

/// Changes an expert's details.
pub fn update(conn: &Connection, expert: ExpertId, input: &ExpertInput) -> Result<()> {
    Ok(experts::update(conn, expert.0, &input.to_expert(), STAFF)?)
}

/// Removes an expert who has no sheet yet.
pub fn remove(conn: &Connection, expert: ExpertId) -> Result<()> {
    Ok(experts::remove(conn, expert.0, STAFF)?)
}

/// The expert's declaration: every application of the round with its recusal, and what the app proposes.
pub fn declaration(conn: &Connection, round: RoundId, expert: ExpertId) -> Result<DeclarationDto> {
    let (round_id, expert_id) = (round.0, expert.0);
    let all = experts::list(conn, round_id)?;
    let me = all.iter().find(|e| e.id == expert_id).ok_or_else(|| Error::not_found("本批次没有这位专家"))?;
    let assignments: Vec<_> = experts::assignments(conn, round_id)?.into_iter().filter(|a| a.expert_id == expert_id).collect();
    let statuses = sheets::statuses(conn, round_id, expert_id)?;
    let rubric = pingshen_store::rounds::rubric(conn, round_id)?;
    let latest = declarations::latest(conn, expert_id)?;
    let mut rows = Vec::new();
    for a in applications::list(conn, round_id)? {
        let Some(asg) = assignments.iter().find(|x| x.application_id == a.id) else { continue };
        let (_, app) = applications::get(conn, a.id)?;
        let proposal =
            pingshen_core::recusal::propose(std::slice::from_ref(&me.expert), &[(a.code.clone(), &app)]).into_iter().next().map(|c| c.reason);
        rows.push(DeclarationRowDto {
            application_id: a.id,
            scored: statuses.iter().any(|s| s.application_id == a.id && sheet_state(s, &rubric).begun()),
            recused: asg.recused,
            reason: asg.reason.clone(),
            source: asg.source.map(|s| RecusalSource::zh(s).to_string()),
            proposal,
            code: a.code,
            name: a.name,
            lead_school: app.cover.lead_school.clone(),
            lead_enterprise: app.cover.lead_enterprise.clone(),
        });
    }
    Ok(DeclarationDto {
        expert: me.clone().into(),
        signed_at: latest.as_ref().map(|d| d.signed_at.clone()),
        statement: latest.map(|d| d.statement).unwrap_or_default(),
        applications: rows,
        commitments: pingshen_report::COMMITMENTS.iter().chain([&pingshen_report::COMMITMENT_CLOSING]).map(|s| s.to_string()).collect(),
    })
}

/// The expert signs: declared conflicts become their recusals, all or nothing.
pub fn sign(conn: &mut Connection, expert: ExpertId, declared: &[DeclaredDto], statement: &str) -> Result<()> {
    let declared: Vec<(i64, String)> = declared.iter().map(|d| (d.application_id, d.reason.trim().to_string())).collect();
    declarations::sign(conn, expert.0, &declared, statement)?;
    Ok(())
}

/// Every type of this module, for the generated bindings.
pub fn typescript_decls() -> Vec<String> {
    vec![ExpertInput::decl(), ExpertAdminDto::decl(), ExpertImportDto::decl(), DeclarationRowDto::decl(), DeclarationDto::decl(), DeclaredDto::decl()]
}

/// Imports an expert list file into a round, all or nothing; every problem of the file at once.
pub fn import(conn: &mut Connection, round: RoundId, path: &std::path::Path) -> Result<ExpertImportDto> {
    let round_id = round.0;
    let current: Vec<Expert> = experts::list(conn, round_id)?.into_iter().map(|r| r.expert).collect();
    let list = pingshen_import::experts::read_expert_list_file(path, &current)
        .map_err(|e| Error::new(ErrorKind::Spreadsheet, format!("专家名单未导入（未做任何改动）：\n{e}")))?;
    crate::backups::snapshot_before(conn, "导入专家名单")?;
    let r = experts::import_with_roles(conn, round_id, &list.experts, list.roles, STAFF)?;
    Ok(ExpertImportDto {
        file: file_name(path),
        added: r.added as i32,
        updated: r.updated as i32,
        unchanged: r.unchanged as i32,
        summary: r.summary_zh(),
    })
}

/// The blank expert-list template (.xlsx).
pub fn template() -> Document {
    Document::new("专家名单.xlsx", pingshen_import::experts::experts_template_xlsx())
}

/// The expert's printable 回避声明 and 承诺书.
pub fn declaration_document(conn: &Connection, round: RoundId, expert: ExpertId) -> Result<Document> {
    let d = declaration(conn, round, expert)?;
    let row = pingshen_store::rounds::get(conn, round.0)?;
    let expert = experts::list(conn, round.0)?.into_iter().find(|e| e.id == expert.0).map(|e| e.expert).unwrap_or_default();
    let doc = pingshen_report::DeclarationDoc {
        round_name: row.name,
        expert: (&expert).into(),
        applications: d
            .applications
            .into_iter()
            .map(|a| pingshen_report::DeclarationRow {
                code: a.code,
                name: a.name,
                lead_school: a.lead_school,
                lead_enterprise: a.lead_enterprise,
                recused: a.recused,
                reason: a.reason,
                recorded_by: a.source.unwrap_or_default(),
            })
            .collect(),
        statement: d.statement,
        signed_at: d.signed_at.as_deref().map(crate::clock::beijing_time).unwrap_or_default(),
    };
    let html = pingshen_report::declaration_html(&doc)?;
    let name = pingshen_core::names::safe_file_name(&format!("回避声明与承诺书-{}-{}.html", expert.code, expert.name));
    Ok(Document::new(name, html))
}
