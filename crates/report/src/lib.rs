//! The paperwork of a round: what staff print, sign and file after consolidation.
//!
//! - [`summary_html`], [`summary_xlsx`] and [`summary_docx`]: the 市域产教联合体评审结果汇总表, the province's
//!   result table: rank, 申报编号, name, 推荐单位, lead units, one column per expert, the panel result and
//!   是否推荐 (from the 推荐名单, [`ListInfo`]), the method, the rubric 校验码 and the signature lines of every
//!   expert, the 组长 and the 监督人员.
//! - [`shortlist_html`]/[`shortlist_xlsx`]/[`shortlist_docx`] (拟推荐名单) and
//!   [`publicity_html`]/[`publicity_xlsx`]/[`publicity_docx`] (公示名单, with the 公示 notice).
//! - [`review_report_html`]: the 评审报告: round, rubric, experts, method, flags, deductions, panel
//!   statistics, the ranking and signature lines.
//! - [`expert_sheets_html`]: one expert's 专家评分表, a page per submitted sheet with its 评分表校验码 and
//!   the expert's signature line, then a summary page ([`ExpertSheetsInput`]).
//! - [`declaration_html`]: an expert's 回避声明 (every application of the round, 回避 marked with its reason
//!   and who recorded it) and 承诺书, with signature lines ([`DeclarationDoc`]).
//! - [`docx`]: a small .docx writer (A4, 仿宋 body, 黑体 titles, tables, 第 N 页 共 M 页 in the footer) for the
//!   documents an office pastes into its own 红头 template.
//! - [`panel`]: the 评审意见表 (the 专家组意见 on each application, HTML, .xlsx and .docx) and the 实地考察记录表
//!   (HTML and .docx), from a [`ReportInput`] and the [`panel::PanelRecords`].
//! - [`audit_log_html`]: a round's 审计日志 as a table with the rubric fingerprint and print date
//!   ([`AuditDoc`]).
//!
//! Values in, text and bytes out: callers build a [`ReportInput`] from core values plus the plain
//! descriptions below ([`RoundInfo`], [`ApplicationInfo`], [`ExpertInfo`]) and write the result wherever they
//! like. This crate does no IO (templates are embedded with `include_str!`), reads no clock (the date is
//! passed in) and never formats a score from a float: every score is an exact [`pingshen_core::Ratio`]
//! shown with `round_half_up(2)`. The HTML is self-contained (inline CSS, no external resource of any kind),
//! A4, and prints with repeated table headers and signature lines; `docs/paperwork.md` says how to print it
//! to PDF.

use pingshen_core::application::Application;
use pingshen_core::consolidation::{Consolidation, PanelInput, Settings, Settlement};
use pingshen_core::expert::Expert;
use pingshen_core::rubric::{fingerprint, Rubric};

mod audit_log;
mod declaration;
pub mod docx;
mod expert_sheets;
pub mod page_numbers;
pub mod panel;
pub mod recommendation;
mod review;
mod summary;
mod text;
mod view;

pub use audit_log::{audit_log_html, AuditDoc, AuditRow};
pub use declaration::{declaration_html, DeclarationDoc, DeclarationRow, COMMITMENTS, COMMITMENT_CLOSING};
pub use expert_sheets::{expert_sheets_html, ExpertSheetsInput, DEDUCTION_NOTE, PLEDGE};
pub use recommendation::{
    publicity_docx, publicity_html, publicity_notice, publicity_xlsx, shortlist_docx, shortlist_html, shortlist_xlsx, ListInfo, ListRowInfo,
    PublicityInfo, PublicityOrder, PUBLICITY_TITLE, SHORTLIST_TITLE,
};
pub use review::review_report_html;
pub use summary::{summary_docx, summary_html, summary_xlsx, SUMMARY_SHEET, SUMMARY_TITLE};

/// The round the paperwork belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundInfo {
    /// 评审批次 name, e.g. "2023年河南省市域产教联合体评审".
    pub name: String,
    /// The title of the round's (frozen) rubric.
    pub rubric_title: String,
    /// The round's frozen rubric hash (64 hex digits); must be the hash of the rubric passed in.
    pub rubric_hash: String,
    /// 推荐单位 (printed before （公章）); empty leaves a line to fill in by hand.
    pub recommender: String,
    /// 填报人及联系方式; empty leaves a line to fill in by hand.
    pub filled_by: String,
    /// The date printed on the documents, as text ("2023年8月15日"); empty leaves a line. No clock is read.
    pub date: String,
    /// The round's 复议, oldest first: the 评审报告 prints a 复议 section when there is one.
    pub reconsiderations: Vec<ReconsiderationRecord>,
    /// 否定性指标 proposed from a 实地考察 (申报编号, veto code, the finding in words): the 评审报告 lists them
    /// beside the experts' proposals.
    pub visit_proposals: Vec<(String, String, String)>,
}

/// A 复议 as the 评审报告 prints it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReconsiderationRecord {
    /// 第 N 号
    pub number: i64,
    /// The 组长 who opened it: "E01 张三".
    pub opened_by: String,
    /// What it named: "A01（观测点 2.1、3.1）、A02（全部观测点）".
    pub scope: String,
    pub reason: String,
    /// When it was opened and closed, as stored (closed: empty while open).
    pub opened_at: String,
    pub closed_at: String,
    pub changes: Vec<ReconsideredScore>,
}

/// One score changed under a 复议: the first value and the reconsidered value are both printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReconsideredScore {
    pub application: String,
    /// "2.1 校企合作协议"
    pub item: String,
    /// "E02 李四"
    pub expert: String,
    pub before: pingshen_core::Tenths,
    pub after: pingshen_core::Tenths,
    pub reason: String,
}

impl RoundInfo {
    /// A round named `name` whose rubric is `rubric` (title and hash taken from it); the other fields empty.
    pub fn for_rubric(name: impl Into<String>, rubric: &Rubric) -> RoundInfo {
        RoundInfo { name: name.into(), rubric_title: rubric.title.clone(), rubric_hash: rubric.hash(), ..RoundInfo::default() }
    }
}

/// One application as the paperwork names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplicationInfo {
    /// 申报编号, as in the consolidation.
    pub code: String,
    /// 市域产教联合体名称
    pub name: String,
    /// 推荐单位 (the city's bureau that nominated it); empty when not known.
    pub recommender: String,
    /// 牵头学校
    pub lead_school: String,
    /// 牵头企业
    pub lead_enterprise: String,
    /// 成员数量 (all member units); 0 means not known and prints as an empty cell.
    pub members: u32,
    /// 联系人及联系方式 (kept for the documents to come; the 汇总表 and 评审报告 do not print it).
    pub contact: String,
}

impl ApplicationInfo {
    /// From an imported 推荐书: the cover's name and lead units, the member count summed over the form's member
    /// rows, and the secretariat's head and phone as the contact.
    pub fn from_application(code: impl Into<String>, app: &Application) -> ApplicationInfo {
        let sec = &app.overview.secretariat;
        ApplicationInfo {
            code: code.into(),
            name: app.cover.name.clone(),
            recommender: app.cover.recommender.clone(),
            lead_school: app.cover.lead_school.clone(),
            lead_enterprise: app.cover.lead_enterprise.clone(),
            members: app.overview.members.iter().map(|m| m.count).sum(),
            contact: [sec.head.as_str(), sec.phone.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" "),
        }
    }
}

/// One expert as the paperwork names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpertInfo {
    /// 专家编号, as in the consolidation.
    pub code: String,
    /// 姓名
    pub name: String,
    /// 单位
    pub unit: String,
    /// 职称
    pub title: String,
}

impl From<&Expert> for ExpertInfo {
    fn from(e: &Expert) -> ExpertInfo {
        ExpertInfo { code: e.code.clone(), name: e.name.clone(), unit: e.unit.clone(), title: e.title.clone() }
    }
}

/// Everything a document is made from. All borrowed: the caller owns the values.
#[derive(Clone, Copy, Debug)]
pub struct ReportInput<'a> {
    pub round: &'a RoundInfo,
    pub rubric: &'a Rubric,
    pub settings: &'a Settings,
    /// What [`pingshen_core::consolidation::consolidate`] made of `panel`.
    pub consolidation: &'a Consolidation,
    /// The input of that consolidation: the 评审报告 lists each expert's proposed deduction and the panel
    /// resolutions (votes, reason) from it.
    pub panel: &'a PanelInput,
    /// One per application of the consolidation (more are ignored).
    pub applications: &'a [ApplicationInfo],
    /// One per expert of the consolidation (more are ignored); the 汇总表's expert columns follow the
    /// consolidation's order, not this one's.
    pub experts: &'a [ExpertInfo],
    /// How flags were settled (the latest per flag stands, [`pingshen_core::consolidation::settlement_of`]); a flag without one gets a blank 处理结果 cell
    /// to write in by hand.
    pub settlements: &'a [Settlement],
}

/// Why a document cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The round's frozen rubric is not the rubric passed in: printing would put the wrong method on paper.
    #[error("评审批次冻结的评分标准（校验码 {round}）与用于生成材料的评分标准（校验码 {given}）不一致，不能生成材料")]
    RubricMismatch { round: String, given: String },
    /// Applications or experts of the consolidation without their description.
    #[error("{}", missing_message(.applications, .experts))]
    MissingInfo { applications: Vec<String>, experts: Vec<String> },
    /// A template failed to render (a defect of this crate, not of the input).
    #[error("生成材料时模板出错（程序缺陷，请报告开发者）：{0}")]
    Template(String),
    /// The workbook could not be written (a defect of this crate, not of the input).
    #[error("生成 Excel 工作簿时出错（程序缺陷，请报告开发者）：{0}")]
    Xlsx(String),
    /// The .docx package could not be written (a defect of this crate, not of the input).
    #[error("生成 Word 文档时出错（程序缺陷，请报告开发者）：{0}")]
    Docx(String),
    /// The printed PDF could not be read or written back when numbering its pages.
    #[error("给 PDF 加页码时无法读取打印结果：{0}")]
    Pdf(String),
}

fn missing_message(applications: &[String], experts: &[String]) -> String {
    let mut parts = Vec::new();
    if !applications.is_empty() {
        parts.push(format!("缺少申报 {} 的基本信息（联合体名称等）", applications.join("、")));
    }
    if !experts.is_empty() {
        parts.push(format!("缺少专家 {} 的基本信息（姓名等）", experts.join("、")));
    }
    format!("{}，不能生成材料", parts.join("；"))
}

impl<'a> ReportInput<'a> {
    /// Checks that the input hangs together: the rubric is the round's, and every application and expert of
    /// the consolidation is described (all missing codes at once).
    fn check(&self) -> Result<(), ReportError> {
        let given = self.rubric.hash();
        if !self.round.rubric_hash.eq_ignore_ascii_case(&given) {
            return Err(ReportError::RubricMismatch { round: fingerprint(&self.round.rubric_hash), given: fingerprint(&given) });
        }
        let mut applications: Vec<String> =
            self.consolidation.applications.iter().filter(|a| !self.applications.iter().any(|i| i.code == a.code)).map(|a| a.code.clone()).collect();
        let mut experts: Vec<String> =
            self.consolidation.experts.iter().filter(|e| !self.experts.iter().any(|i| i.code == e.expert)).map(|e| e.expert.clone()).collect();
        applications.sort();
        experts.sort();
        if applications.is_empty() && experts.is_empty() {
            Ok(())
        } else {
            Err(ReportError::MissingInfo { applications, experts })
        }
    }

    fn application(&self, code: &str) -> &'a ApplicationInfo {
        self.applications.iter().find(|a| a.code == code).expect("checked by ReportInput::check")
    }

    fn expert(&self, code: &str) -> &'a ExpertInfo {
        self.experts.iter().find(|e| e.code == code).expect("checked by ReportInput::check")
    }
}

#[cfg(test)]
mod tests;
