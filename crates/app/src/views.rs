//! The views shared by several use cases (a round, an expert, the rubric, the 推荐书, a sheet's scores), with
//! their conversions from core and store values. Every view is also an IPC wire type: the desktop crate
//! generates their TypeScript twins into `ui/src/ipc/bindings.ts`. Scores are decimal text ("4.5"), never
//! floats; a closed set of values is an enum (a TypeScript union), never free text.

use pingshen_core::form::{self, BlockContent};
use pingshen_core::opinion::{OpinionRules, Recommendation};
use pingshen_core::rubric::{fingerprint, Rubric, VetoEffect};
use pingshen_core::sheet::{self, SheetTotals};
use pingshen_core::Tenths;
use pingshen_store::experts::ExpertRow;
use pingshen_store::rounds::RoundRow;
use pingshen_store::sheets::SheetStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A round (评审批次) as listed.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundDto {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub rubric_title: String,
    pub rubric_hash: String,
    /// 8 groups of 4 hex digits.
    pub rubric_fingerprint: String,
    pub is_sample: bool,
    pub created_at: String,
    pub applications: i32,
    pub experts: i32,
    pub settings: RoundSettingsDto,
    /// When the round was closed (结束评审): read-only from then on.
    pub closed_at: Option<String>,
    /// A round file was handed out: settings change only with a reason.
    pub handed_out: bool,
}

/// What staff set on a round besides its rubric.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundSettingsDto {
    /// 评审批次名称, e.g. 2024年河南省市域产教联合体遴选
    pub name: String,
    /// 组织单位
    pub organiser: String,
    pub year: Option<i32>,
    /// 申报截止日期, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// 每个推荐单位限报项数.
    pub quota: Option<u32>,
    /// 提交前须填写推荐意见.
    #[serde(default)]
    pub require_recommendation: bool,
    /// 提交前须填写综合意见.
    #[serde(default)]
    pub require_opinion: bool,
    /// 综合意见字数上限 (characters); none for no limit.
    #[serde(default)]
    pub opinion_max_chars: Option<u32>,
}

impl From<pingshen_store::rounds::RoundSettings> for RoundSettingsDto {
    fn from(s: pingshen_store::rounds::RoundSettings) -> Self {
        RoundSettingsDto {
            name: s.name,
            organiser: s.organiser,
            year: s.year,
            deadline: s.deadline,
            quota: s.quota,
            require_recommendation: s.opinions.require_recommendation,
            require_opinion: s.opinions.require_opinion,
            opinion_max_chars: s.opinions.opinion_max_chars,
        }
    }
}

impl RoundSettingsDto {
    /// As the store keeps them: texts trimmed, an empty deadline none.
    pub fn to_store(&self) -> pingshen_store::rounds::RoundSettings {
        pingshen_store::rounds::RoundSettings {
            name: self.name.trim().to_string(),
            organiser: self.organiser.trim().to_string(),
            year: self.year,
            deadline: self.deadline.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string),
            quota: self.quota,
            opinions: OpinionRules {
                require_recommendation: self.require_recommendation,
                require_opinion: self.require_opinion,
                opinion_max_chars: self.opinion_max_chars,
            },
        }
    }
}

/// The round's rules for the expert's 推荐意见 and 综合意见, as the scoring screen needs them.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpinionRulesDto {
    pub require_recommendation: bool,
    pub require_opinion: bool,
    pub opinion_max_chars: Option<u32>,
}

impl From<OpinionRules> for OpinionRulesDto {
    fn from(o: OpinionRules) -> Self {
        OpinionRulesDto {
            require_recommendation: o.require_recommendation,
            require_opinion: o.require_opinion,
            opinion_max_chars: o.opinion_max_chars,
        }
    }
}

/// An expert's 推荐意见: 推荐 or 不推荐.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RecommendationDto {
    Recommend,
    NotRecommend,
}

impl From<Recommendation> for RecommendationDto {
    fn from(r: Recommendation) -> Self {
        match r {
            Recommendation::Recommend => RecommendationDto::Recommend,
            Recommendation::NotRecommend => RecommendationDto::NotRecommend,
        }
    }
}

impl From<RecommendationDto> for Recommendation {
    fn from(r: RecommendationDto) -> Self {
        match r {
            RecommendationDto::Recommend => Recommendation::Recommend,
            RecommendationDto::NotRecommend => Recommendation::NotRecommend,
        }
    }
}

/// The open 复议 as the expert's scoring screen shows it.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SheetReconsiderationDto {
    #[ts(type = "number")]
    pub id: i64,
    /// "E01 张三"
    pub opened_by: String,
    pub reason: String,
    /// The points under reconsideration for this application; empty: every point.
    pub items: Vec<String>,
    /// What the expert changed under it: point, first value, reconsidered value, reason.
    pub changes: Vec<SheetReconsideredDto>,
}

/// One score the expert changed under the 复议.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SheetReconsideredDto {
    pub item: String,
    pub before: String,
    pub after: String,
    pub reason: String,
}

/// What the UI learns after the 推荐意见 and 综合意见 are durably saved.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpinionSavedDto {
    pub recommendation: Option<RecommendationDto>,
    pub opinion: String,
    /// Characters of the 综合意见 as counted against the limit.
    pub opinion_chars: u32,
    pub checklist: Vec<MissingDto>,
}

impl From<RoundRow> for RoundDto {
    fn from(r: RoundRow) -> Self {
        RoundDto {
            id: r.id,
            name: r.name,
            rubric_title: r.rubric_title,
            rubric_fingerprint: fingerprint(&r.rubric_hash),
            rubric_hash: r.rubric_hash,
            is_sample: r.is_sample,
            created_at: r.created_at,
            applications: r.applications as i32,
            experts: r.experts as i32,
            settings: r.settings.into(),
            closed_at: r.closed_at,
            handed_out: r.handed_out,
        }
    }
}

/// An expert's role on the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExpertRoleDto {
    /// 成员
    Member,
    /// 组长
    Leader,
}

impl From<pingshen_core::expert::Role> for ExpertRoleDto {
    fn from(r: pingshen_core::expert::Role) -> Self {
        match r {
            pingshen_core::expert::Role::Member => ExpertRoleDto::Member,
            pingshen_core::expert::Role::Leader => ExpertRoleDto::Leader,
        }
    }
}

/// An expert of a round.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpertDto {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub title: String,
    /// 组长 or 成员.
    pub role: ExpertRoleDto,
}

impl From<ExpertRow> for ExpertDto {
    fn from(r: ExpertRow) -> Self {
        ExpertDto { id: r.id, role: r.expert.role.into(), code: r.expert.code, name: r.expert.name, unit: r.expert.unit, title: r.expert.title }
    }
}

/// A level band.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BandDto {
    pub code: String,
    pub label: String,
    pub from_percent: u32,
    pub to_percent: u32,
}

/// What a band button of an item puts in (none when no on-step value falls in the band).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BandValueDto {
    pub band: String,
    pub value: Option<String>,
}

/// An observation point.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemDto {
    pub code: String,
    pub short_name: String,
    pub text: String,
    pub points: String,
    /// 推荐书 field ids that speak to this point.
    pub fields: Vec<String>,
    pub keywords: Vec<String>,
    pub band_values: Vec<BandValueDto>,
}

/// A scored group.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupDto {
    pub code: String,
    pub name: String,
    pub points: String,
    pub items: Vec<ItemDto>,
}

/// The deduction group (其他).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeductionDefDto {
    pub code: String,
    pub name: String,
    pub text: String,
    pub cap: String,
    pub fields: Vec<String>,
}

/// What an upheld 否定性指标 does: 计零分 or 取消资格.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VetoEffectDto {
    /// 计零分: the final score becomes 0.
    Zero,
    /// 取消资格: no rank.
    Disqualify,
}

impl From<VetoEffect> for VetoEffectDto {
    fn from(e: VetoEffect) -> Self {
        match e {
            VetoEffect::Zero => VetoEffectDto::Zero,
            VetoEffect::Disqualify => VetoEffectDto::Disqualify,
        }
    }
}

/// A 否定性指标 (veto item) of the rubric.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoDefDto {
    pub code: String,
    pub text: String,
    pub effect: VetoEffectDto,
}

impl VetoDefDto {
    /// The rubric's veto items, in its order.
    pub fn all(r: &Rubric) -> Vec<VetoDefDto> {
        r.vetoes.iter().map(|v| VetoDefDto { code: v.code.clone(), text: v.text.clone(), effect: v.effect.into() }).collect()
    }
}

/// A round's rubric.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RubricDto {
    pub id: String,
    pub title: String,
    pub total: String,
    pub step: String,
    pub fingerprint: String,
    pub bands: Vec<BandDto>,
    pub comment_below_percent: u32,
    pub groups: Vec<GroupDto>,
    pub deduction: Option<DeductionDefDto>,
    /// The 否定性指标, in the rubric's order (none for most rubrics).
    pub vetoes: Vec<VetoDefDto>,
}

impl From<&Rubric> for RubricDto {
    fn from(r: &Rubric) -> Self {
        RubricDto {
            id: r.id.clone(),
            title: r.title.clone(),
            total: r.total.to_string(),
            step: r.step.to_string(),
            fingerprint: fingerprint(&r.hash()),
            bands: r
                .bands
                .iter()
                .map(|b| BandDto { code: b.code.clone(), label: b.label.clone(), from_percent: b.from_percent, to_percent: b.to_percent })
                .collect(),
            comment_below_percent: r.comments.required_below_percent,
            groups: r
                .groups
                .iter()
                .map(|g| GroupDto {
                    code: g.code.clone(),
                    name: g.name.clone(),
                    points: g.points.to_string(),
                    items: g
                        .items
                        .iter()
                        .map(|i| ItemDto {
                            code: i.code.clone(),
                            short_name: i.short_name.clone(),
                            text: i.text.clone(),
                            points: i.points.to_string(),
                            fields: i.evidence.fields.clone(),
                            keywords: i.evidence.keywords.clone(),
                            band_values: r
                                .bands
                                .iter()
                                .map(|b| BandValueDto { band: b.code.clone(), value: r.band_value(&b.code, i.points).map(|v| v.to_string()) })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            deduction: r.deduction.as_ref().map(|d| DeductionDefDto {
                code: d.code.clone(),
                name: d.name.clone(),
                text: d.text.clone(),
                cap: d.cap.to_string(),
                fields: d.evidence.fields.clone(),
            }),
            vetoes: VetoDefDto::all(r),
        }
    }
}

/// A round with its experts and rubric.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoundDetailDto {
    pub round: RoundDto,
    /// Set when the round came to this machine in a round file (an expert's laptop).
    pub handout: Option<crate::handout::HandoutDto>,
    /// Whether each expert signed their 回避声明 and 承诺书, by expert id.
    #[ts(type = "Record<number, string>")]
    pub declared: std::collections::BTreeMap<i64, String>,
    pub experts: Vec<ExpertDto>,
    pub rubric: RubricDto,
}

/// Where one expert stands with one application ([`pingshen_core::sheet::SheetState`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SheetState {
    NotStarted,
    InProgress,
    Complete,
    Submitted,
    Recused,
}

impl From<sheet::SheetState> for SheetState {
    fn from(s: sheet::SheetState) -> Self {
        match s {
            sheet::SheetState::NotStarted => SheetState::NotStarted,
            sheet::SheetState::InProgress => SheetState::InProgress,
            sheet::SheetState::Complete => SheetState::Complete,
            sheet::SheetState::Submitted => SheetState::Submitted,
            sheet::SheetState::Recused => SheetState::Recused,
        }
    }
}

impl SheetState {
    /// The state of a stored sheet under `rubric`.
    pub fn of(s: &SheetStatus, rubric: &Rubric) -> SheetState {
        sheet_state(s, rubric).into()
    }
}

/// Where a stored sheet stands under `rubric` (the core's one rule).
pub fn sheet_state(s: &SheetStatus, rubric: &Rubric) -> sheet::SheetState {
    sheet::SheetState::of(s.recused, s.submitted, s.scored as usize, rubric.items().count())
}

/// An application in the round list, for one expert.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationStatusDto {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub lead_school: String,
    pub park: String,
    pub state: SheetState,
    pub scored: i32,
    pub items: i32,
    pub total: String,
}

/// The 推荐书 as a readable form.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FormDocDto {
    pub sections: Vec<FormSectionDto>,
}

/// A numbered part of the form.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FormSectionDto {
    pub title: String,
    pub blocks: Vec<FormBlockDto>,
}

/// One field of the form.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FormBlockDto {
    pub field: String,
    pub label: String,
    pub content: BlockContentDto,
}

/// What a form block holds.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BlockContentDto {
    Pairs { rows: Vec<(String, String)> },
    Table { header: Vec<String>, rows: Vec<Vec<String>> },
    Text { text: String, limit: Option<u32>, chars: u32 },
}

impl From<form::FormDoc> for FormDocDto {
    fn from(d: form::FormDoc) -> Self {
        FormDocDto {
            sections: d
                .sections
                .into_iter()
                .map(|s| FormSectionDto {
                    title: s.title,
                    blocks: s
                        .blocks
                        .into_iter()
                        .map(|b| FormBlockDto {
                            field: b.field.to_string(),
                            label: b.label,
                            content: match b.content {
                                BlockContent::Pairs(rows) => BlockContentDto::Pairs { rows },
                                BlockContent::Table { header, rows } => BlockContentDto::Table { header, rows },
                                BlockContent::Text { text, limit } => {
                                    let chars = form::char_count(&text);
                                    BlockContentDto::Text { text, limit, chars }
                                }
                            },
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A stored item score.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreDto {
    pub item: String,
    pub value: Option<String>,
    pub comment: String,
    pub band: Option<String>,
    pub comment_required: bool,
}

impl ScoreDto {
    /// A stored score with its band and whether it needs a comment under `rubric`.
    pub fn of(rubric: &Rubric, s: &pingshen_store::sheets::ScoreRow) -> ScoreDto {
        let max = rubric.item(&s.item).map(|i| i.points).unwrap_or_default();
        ScoreDto {
            item: s.item.clone(),
            value: s.value.map(|v| v.to_string()),
            comment: s.comment.clone(),
            band: s.value.and_then(|v| rubric.band_of(v, max)).map(|b| b.code.clone()),
            comment_required: s.value.is_some_and(|v| rubric.comment_required(v, max)),
        }
    }
}

/// A proposed deduction.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeductionDto {
    pub value: String,
    pub reason: String,
}

/// A 否定性指标 the expert ticked on their sheet, with the reason (empty while they write it).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoProposalDto {
    pub code: String,
    pub reason: String,
}

impl VetoProposalDto {
    /// The proposals of a stored sheet, in the rubric's order.
    pub fn of(rubric: &Rubric, data: &pingshen_store::sheets::SheetData) -> Vec<VetoProposalDto> {
        rubric
            .vetoes
            .iter()
            .filter_map(|v| data.vetoes.iter().find(|p| p.veto == v.code))
            .map(|p| VetoProposalDto { code: p.veto.clone(), reason: p.reason.clone() })
            .collect()
    }
}

/// What the UI learns after a veto proposal is durably saved.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VetoSavedDto {
    /// The sheet's proposals as stored, in the rubric's order.
    pub vetoes: Vec<VetoProposalDto>,
    pub checklist: Vec<MissingDto>,
}

/// A group subtotal.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SubtotalDto {
    pub group: String,
    pub subtotal: String,
}

/// Totals of a sheet.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TotalsDto {
    pub groups: Vec<SubtotalDto>,
    pub total: String,
    pub scored: i32,
    pub items: i32,
}

impl From<SheetTotals> for TotalsDto {
    fn from(t: SheetTotals) -> Self {
        TotalsDto {
            groups: t.groups.into_iter().map(|(group, s)| SubtotalDto { group, subtotal: s.to_string() }).collect(),
            total: t.total.to_string(),
            scored: t.scored as i32,
            items: t.items as i32,
        }
    }
}

/// The application being scored.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationHeadDto {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A supporting-material file of an application.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaterialDto {
    #[ts(type = "number")]
    pub id: i64,
    pub file: String,
    pub title: String,
    pub pages: u32,
}

/// Evidence pinned to a score: a material page (with a passage) or a 推荐书 field.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PinDto {
    #[ts(type = "number")]
    pub id: i64,
    /// The item's code, or the deduction group's.
    pub item: String,
    #[ts(type = "number | null")]
    pub material_id: Option<i64>,
    pub page: Option<u32>,
    pub field: Option<String>,
    /// "支撑材料汇编 第14页" or "推荐书·秘书处(办公室)情况".
    pub label: String,
    pub passage: String,
}

impl From<pingshen_store::evidence::Pin> for PinDto {
    fn from(p: pingshen_store::evidence::Pin) -> Self {
        let (material_id, page, field) = match p.target {
            pingshen_store::evidence::Target::Page { material_id, page } => (Some(material_id), Some(page), None),
            pingshen_store::evidence::Target::Field { field } => (None, None, Some(field)),
        };
        PinDto { id: p.id, item: p.item, material_id, page, field, label: p.label, passage: p.passage }
    }
}

/// Everything the scoring screen shows.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoringDto {
    #[ts(type = "number")]
    pub sheet_id: i64,
    pub round_name: String,
    pub expert: ExpertDto,
    pub application: ApplicationHeadDto,
    pub rubric: RubricDto,
    pub form: FormDocDto,
    pub materials: Vec<MaterialDto>,
    pub scores: Vec<ScoreDto>,
    pub deduction: Option<DeductionDto>,
    /// The 否定性指标 the expert ticked, in the rubric's order.
    pub vetoes: Vec<VetoProposalDto>,
    /// The expert's 推荐意见, once given.
    pub recommendation: Option<RecommendationDto>,
    /// The expert's 综合意见.
    pub opinion: String,
    /// What the round requires of them.
    pub opinion_rules: OpinionRulesDto,
    /// The round's open 复议 when it names this application and the sheet is submitted: the points the expert
    /// may change (each with a reason) and what they changed so far.
    pub reconsideration: Option<SheetReconsiderationDto>,
    pub totals: TotalsDto,
    pub submitted: bool,
    /// How many times the sheet was submitted (0: never).
    pub version: i32,
    /// When the current version was submitted (ISO 8601, UTC).
    pub submitted_at: Option<String>,
    /// What is still missing before the sheet can be submitted.
    pub checklist: Vec<MissingDto>,
    /// Evidence pinned to the sheet's scores.
    pub pins: Vec<PinDto>,
}

/// One entry of a sheet's checklist: what is missing and where to go back to.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MissingDto {
    pub kind: MissingKind,
    /// The item to go back to; none for the deduction and a veto.
    pub item: Option<String>,
    /// The 否定性指标 to go back to (a ticked one without its reason).
    pub veto: Option<String>,
    pub message: String,
}

/// What kind of thing is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MissingKind {
    Score,
    Comment,
    DeductionReason,
    /// A ticked 否定性指标 without its reason.
    VetoReason,
    /// No 推荐意见 while the round requires one.
    Recommendation,
    /// No 综合意见 while the round requires one.
    Opinion,
    /// A 综合意见 over the round's length limit.
    OpinionTooLong,
}

impl MissingDto {
    /// The checklist of a stored sheet.
    pub fn checklist(rubric: &pingshen_core::rubric::Rubric, rules: &OpinionRules, data: &pingshen_store::sheets::SheetData) -> Vec<MissingDto> {
        data.checklist(rubric, rules)
            .into_iter()
            .map(|m| MissingDto {
                kind: match m {
                    pingshen_core::sheet::Missing::Score { .. } => MissingKind::Score,
                    pingshen_core::sheet::Missing::Comment { .. } => MissingKind::Comment,
                    pingshen_core::sheet::Missing::DeductionReason { .. } => MissingKind::DeductionReason,
                    pingshen_core::sheet::Missing::VetoReason { .. } => MissingKind::VetoReason,
                    pingshen_core::sheet::Missing::Recommendation => MissingKind::Recommendation,
                    pingshen_core::sheet::Missing::Opinion => MissingKind::Opinion,
                    pingshen_core::sheet::Missing::OpinionTooLong { .. } => MissingKind::OpinionTooLong,
                },
                item: m.item().map(str::to_string),
                veto: m.veto().map(str::to_string),
                message: m.message_zh(),
            })
            .collect()
    }
}

/// What the UI learns after a deduction is durably saved.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeductionSavedDto {
    pub deduction: Option<DeductionDto>,
    pub checklist: Vec<MissingDto>,
}

/// The same point in another of the expert's applications, for side-by-side comparison.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompareSideDto {
    pub application: ApplicationHeadDto,
    pub state: SheetState,
    /// The expert's score on the point there, if any.
    pub score: Option<ScoreDto>,
    pub form: FormDocDto,
}

/// What the UI learns after a score is durably saved.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreSavedDto {
    pub item: String,
    /// The value as stored (normalised: "4.50" → "4.5"), or none when cleared.
    pub value: Option<String>,
    /// The band the value falls in.
    pub band: Option<String>,
    /// Whether this value needs a comment (below the rubric's threshold).
    pub comment_required: bool,
    pub totals: TotalsDto,
    pub checklist: Vec<MissingDto>,
}

/// Arguments of `set_score`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetScoreArgs {
    #[ts(type = "number")]
    pub sheet_id: i64,
    pub item: String,
    /// Decimal text as typed; empty or none clears the score.
    pub value: Option<String>,
}

/// What a paper-score import wrote.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperImportDto {
    pub file: String,
    pub sheets: i32,
    pub recusals: i32,
}

/// A score file written for an expert.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreFileSavedDto {
    pub path: String,
    /// 8 groups of 4 hex digits, as printed on the 专家评分表.
    pub short_hash: String,
    pub sheets: i32,
}

/// What importing one score file did.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScoreFileImportDto {
    pub file: String,
    pub imported: bool,
    /// The summary of what changed, or why the file was refused (nothing changed then).
    pub message: String,
}

/// Parses a typed score; empty text is "no score".
pub fn parse_value(text: Option<&str>) -> Result<Option<Tenths>, pingshen_core::score::ParseTenthsError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => Tenths::parse(t).map(Some),
    }
}

/// A search hit or a suggested page: a material page or a 推荐书 field.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HitDto {
    #[ts(type = "number | null")]
    pub material_id: Option<i64>,
    pub page: Option<u32>,
    pub field: Option<String>,
    pub file: Option<String>,
    /// "支撑材料汇编 第7页" or "推荐书·特色与创新".
    pub label: String,
    /// Text around the match, the matched words in 【】.
    pub snippet: String,
}

impl HitDto {
    /// A hit with its label (the material's title from `materials`).
    pub fn of(h: pingshen_store::search::Hit, materials: &[pingshen_store::applications::MaterialRow]) -> HitDto {
        let label = match (h.material_id, h.page, &h.field) {
            (Some(m), Some(p), _) => {
                let title = materials.iter().find(|x| x.id == m).map(|x| x.title.clone()).or(h.file.clone()).unwrap_or_default();
                format!("{title} 第{p}页")
            }
            (_, _, Some(f)) => format!("推荐书·{}", pingshen_core::form::FIELDS.iter().find(|d| d.id == f).map(|d| d.label).unwrap_or(f.as_str())),
            _ => String::new(),
        };
        HitDto { material_id: h.material_id, page: h.page, field: h.field, file: h.file, label, snippet: h.snippet }
    }
}
