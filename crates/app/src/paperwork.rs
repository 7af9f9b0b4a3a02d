//! The paperwork of a round: the 评审结果汇总表, the 拟推荐名单 and the 公示名单 (each as HTML, .xlsx and .docx),
//! the 评审报告, the 评审意见表 (HTML, .xlsx, .docx) and the 实地考察记录表 (HTML, .docx), each expert's 专家评分表
//! and the 审计日志, rendered from the store, with the file name each is saved under. The desktop's 导出 and
//! `pingshen export` render the same set through [`render`].

use pingshen_report::panel::{self, OpinionEntry, PanelRecords, VisitEntry};
use pingshen_report::{ApplicationInfo, ExpertInfo, ExpertSheetsInput, ListInfo, ReportInput, RoundInfo};
use pingshen_store::{applications, experts, panel_records, rounds, sheets, Connection};

use crate::error::{Error, Result};
use crate::ids::{ExpertId, RoundId};
use crate::overview::{consolidated, flag_settlements, Consolidated};

/// One document to save: its bytes and the file name it is saved under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Document {
    pub(crate) fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Document {
        Document { file_name: file_name.into(), bytes: bytes.into() }
    }
}

/// The file names of the round's paperwork set, in the order [`render`] returns them.
pub const PAPERWORK_FILES: [&str; 15] = [
    "评审结果汇总表.html",
    "评审结果汇总表.xlsx",
    "评审结果汇总表.docx",
    "拟推荐名单.html",
    "拟推荐名单.xlsx",
    "拟推荐名单.docx",
    "公示名单.html",
    "公示名单.xlsx",
    "公示名单.docx",
    "评审报告.html",
    "评审意见表.html",
    "评审意见表.xlsx",
    "评审意见表.docx",
    "实地考察记录表.html",
    "实地考察记录表.docx",
];

/// The 评审结果汇总表, the 拟推荐名单 and the 公示名单 (HTML, .xlsx, .docx each) of `list`, the 评审报告 of a
/// consolidation, the 评审意见表 (HTML, .xlsx, .docx) and the 实地考察记录表 (HTML, .docx) with what the panel
/// wrote (`records`; the default prints them as blank forms), all rendered before anything is returned: bad
/// input gives an error and no document.
pub fn render(input: &ReportInput<'_>, list: &ListInfo, records: &PanelRecords) -> Result<Vec<Document>> {
    use pingshen_report as r;
    let f = PAPERWORK_FILES;
    let round = input.round;
    Ok(vec![
        Document::new(f[0], r::summary_html(input, list)?),
        Document::new(f[1], r::summary_xlsx(input, list)?),
        Document::new(f[2], r::summary_docx(input, list)?),
        Document::new(f[3], r::shortlist_html(round, list)?),
        Document::new(f[4], r::shortlist_xlsx(round, list)?),
        Document::new(f[5], r::shortlist_docx(round, list)?),
        Document::new(f[6], r::publicity_html(round, list)?),
        Document::new(f[7], r::publicity_xlsx(round, list)?),
        Document::new(f[8], r::publicity_docx(round, list)?),
        Document::new(f[9], r::review_report_html(input)?),
        Document::new(f[10], panel::opinions_html(input, records)?),
        Document::new(f[11], panel::opinions_xlsx(input, records)?),
        Document::new(f[12], panel::opinions_docx(input, records)?),
        Document::new(f[13], panel::visits_html(input, records)?),
        Document::new(f[14], panel::visits_docx(input, records)?),
    ])
}

/// Everything the round's documents are made from, owned (a [`ReportInput`] borrows it).
pub(crate) struct RoundReport {
    consolidated: Consolidated,
    round: RoundInfo,
    applications: Vec<ApplicationInfo>,
    experts: Vec<ExpertInfo>,
    settlements: Vec<pingshen_core::consolidation::Settlement>,
    list: ListInfo,
    pub(crate) records: PanelRecords,
}

/// What the panel wrote in a round, for the paperwork: the 组长, the 专家组意见 in force, the 实地考察 records.
pub(crate) fn panel_records(conn: &Connection, round: RoundId) -> Result<PanelRecords> {
    Ok(PanelRecords {
        leader: experts::leader(conn, round.0)?.map(|e| ExpertInfo::from(&e.expert)),
        opinions: panel_records::latest_opinions(conn, round.0)?
            .into_iter()
            .map(|o| OpinionEntry { application: o.application_code, opinion: o.opinion })
            .collect(),
        recommendations: panel_tallies(conn, round)?,
        visits: panel_records::visits(conn, round.0)?
            .into_iter()
            .map(|v| VisitEntry {
                application: v.application_code,
                seq: v.seq,
                visit: pingshen_core::panel::Visit {
                    date: v.date,
                    place: v.place,
                    members: v.members,
                    checks: v.findings.into_iter().map(|f| f.check).collect(),
                },
            })
            .collect(),
    })
}

/// Per 申报编号, the experts' 推荐意见 on the application as the 评审意见表 prints it (「推荐 4 / 不推荐 1」);
/// applications without a submitted sheet are left out.
fn panel_tallies(conn: &Connection, round: RoundId) -> Result<Vec<(String, String)>> {
    let codes: std::collections::HashMap<i64, String> = applications::list(conn, round.0)?.into_iter().map(|a| (a.id, a.code)).collect();
    Ok(crate::overview::recommendation_tally(conn, round)?
        .into_iter()
        .filter(|t| t.recommend + t.not_recommend + t.not_given > 0)
        .filter_map(|t| codes.get(&t.application_id).map(|c| (c.clone(), t.text)))
        .collect())
}

impl RoundReport {
    pub(crate) fn gather(conn: &Connection, round: RoundId, date: &str) -> Result<RoundReport> {
        let consolidated = consolidated(conn, round)?;
        let row = rounds::get(conn, round.0)?;
        let mut applications = Vec::new();
        for a in applications::list(conn, round.0)? {
            let (_, app) = applications::get(conn, a.id)?;
            applications.push(ApplicationInfo::from_application(a.code, &app));
        }
        Ok(RoundReport {
            round: RoundInfo {
                date: date.to_string(),
                reconsiderations: crate::reconsiderations::records(conn, round)?,
                visit_proposals: panel_records::visit_proposals(conn, round.0)?
                    .into_iter()
                    .map(|p| {
                        let note = if p.finding.note.trim().is_empty() { String::new() } else { format!("（{}）", p.finding.note.trim()) };
                        let finding = format!("第 {} 次（{}）核查“{}”不属实{note}", p.visit_seq, p.visit_date, p.finding.claim.trim());
                        (p.application_code, p.veto, finding)
                    })
                    .collect(),
                ..RoundInfo::for_rubric(row.name, &consolidated.rubric)
            },
            consolidated,
            applications,
            experts: experts::list(conn, round.0)?.iter().map(|e| ExpertInfo::from(&e.expert)).collect(),
            settlements: flag_settlements(conn, round)?,
            list: crate::recommendation::list_for_documents(conn, round)?,
            records: panel_records(conn, round)?,
        })
    }

    pub(crate) fn input(&self) -> ReportInput<'_> {
        let c = &self.consolidated;
        ReportInput {
            settlements: &self.settlements,
            round: &self.round,
            rubric: &c.rubric,
            settings: &c.settings,
            consolidation: &c.result,
            panel: &c.input,
            applications: &self.applications,
            experts: &self.experts,
        }
    }
}

/// The round's paperwork set, dated `date` ("2026年11月23日").
pub fn for_round(conn: &Connection, round: RoundId, date: &str) -> Result<Vec<Document>> {
    let r = RoundReport::gather(conn, round, date)?;
    render(&r.input(), &r.list, &r.records)
}

/// A document the web view printed to PDF, with "第 N 页 共 M 页" stamped at the bottom of every page.
pub fn number_pages(pdf: &[u8]) -> Result<Vec<u8>> {
    Ok(pingshen_report::page_numbers::number_pages(pdf)?)
}

/// The name a document saved as PDF is suggested under: its own name with `.pdf`, made safe.
pub fn pdf_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{}.pdf", pingshen_core::names::safe_file_name(stem))
}

/// One of the documents of the 推荐名单 as HTML, for the print preview: (file name, HTML).
pub(crate) fn list_html(conn: &Connection, round: RoundId, which: crate::recommendation::ListDocument, date: &str) -> Result<(String, String)> {
    use crate::recommendation::ListDocument as D;
    let r = RoundReport::gather(conn, round, date)?;
    Ok(match which {
        D::Summary => (PAPERWORK_FILES[0].into(), pingshen_report::summary_html(&r.input(), &r.list)?),
        D::Shortlist => (PAPERWORK_FILES[3].into(), pingshen_report::shortlist_html(&r.round, &r.list)?),
        D::Publicity => (PAPERWORK_FILES[6].into(), pingshen_report::publicity_html(&r.round, &r.list)?),
    })
}

/// The 评审结果汇总表 as HTML, for the print preview in the window.
pub fn summary_preview(conn: &Connection, round: RoundId, date: &str) -> Result<String> {
    let r = RoundReport::gather(conn, round, date)?;
    Ok(pingshen_report::summary_html(&r.input(), &r.list)?)
}

/// One expert's printed 专家评分表 from their submitted sheets (as their score file, exported `exported_at`,
/// carries them), with the evidence pinned to each score.
pub fn expert_sheets(conn: &Connection, round: RoundId, expert: ExpertId, exported_at: &str) -> Result<Document> {
    let file = pingshen_store::scorefiles::export(conn, round.0, expert.0, exported_at)?;
    let rubric = rounds::rubric(conn, round.0)?;
    let row = rounds::get(conn, round.0)?;
    let me = experts::list(conn, round.0)?
        .into_iter()
        .find(|e| e.id == expert.0)
        .map(|e| ExpertInfo::from(&e.expert))
        .ok_or_else(|| Error::not_found(format!("找不到专家 {}", expert.0)))?;
    let apps = applications::list(conn, round.0)?;
    let mut sheets = Vec::new();
    for s in file.sheets {
        let a = apps.iter().find(|a| a.code == s.application).ok_or_else(|| Error::not_found(format!("找不到申报 {}", s.application)))?;
        sheets.push((ApplicationInfo::from_application(a.code.clone(), &applications::get(conn, a.id)?.1), s));
    }
    let info = RoundInfo { rubric_hash: row.rubric_hash.clone(), ..RoundInfo::for_rubric(row.name, &rubric) };
    let mut evidence = Vec::new();
    for st in sheets::statuses(conn, round.0, expert.0)? {
        let (Some(sheet_id), true) = (st.sheet_id, st.submitted) else { continue };
        let code = apps.iter().find(|a| a.id == st.application_id).map(|a| a.code.clone()).unwrap_or_default();
        for p in pingshen_store::evidence::list(conn, sheet_id)? {
            evidence.push((code.clone(), p.item, p.label));
        }
    }
    let input = ExpertSheetsInput { round: &info, rubric: &rubric, expert: &me, round_uid: &row.uid, sheets: &sheets, evidence: &evidence };
    let html = pingshen_report::expert_sheets_html(&input)?;
    Ok(Document::new(format!("{}-专家评分表.html", pingshen_core::names::safe_file_name(&me.code)), html))
}

/// The round's 审计日志, printed on `date`.
pub fn audit_log(conn: &Connection, round: RoundId, date: &str) -> Result<Document> {
    let row = rounds::get(conn, round.0)?;
    let entries = pingshen_store::audit::for_round(conn, round.0)?
        .into_iter()
        .map(|e| pingshen_report::AuditRow { at: crate::clock::beijing_time(&e.at), action: e.action_zh(), actor: e.actor, detail: e.detail })
        .collect();
    let doc = pingshen_report::AuditDoc {
        round_name: row.name,
        rubric_title: row.rubric_title,
        rubric_hash: row.rubric_hash,
        printed_on: date.to_string(),
        entries,
    };
    Ok(Document::new("审计日志.html", pingshen_report::audit_log_html(&doc)?))
}
