//! The expert's use cases: their applications, the scoring screen, every save (a score, a comment, the
//! deduction, a 否定性指标 with its reason), the side-by-side comparison, the submit, and the evidence beside a point (search,
//! suggestions, pins, a material's bytes for the viewer).

use pingshen_core::opinion::OpinionRules;
use pingshen_core::rubric::Rubric;
use pingshen_core::{form, sheet};
use pingshen_store::evidence::{self, Target};
use pingshen_store::{applications, experts, rounds, sheets, Connection};

use crate::error::{Error, ErrorKind, Result};
use crate::ids::{ApplicationId, ExpertId, RoundId, SheetId};
use crate::views::*;

/// The applications an expert is assigned, with where the expert stands with each.
pub fn applications(conn: &Connection, round: RoundId, expert: ExpertId) -> Result<Vec<ApplicationStatusDto>> {
    let rubric = rounds::rubric(conn, round.0)?;
    let items = rubric.items().count() as i32;
    let statuses = sheets::statuses(conn, round.0, expert.0)?;
    applications::list(conn, round.0)?
        .into_iter()
        .filter_map(|row| statuses.iter().find(|s| s.application_id == row.id).map(|s| (row, s)))
        .map(|(row, s)| {
            let (_, app) = applications::get(conn, row.id)?;
            Ok(ApplicationStatusDto {
                id: row.id,
                code: row.code,
                name: row.name,
                lead_school: app.cover.lead_school,
                park: app.cover.park,
                state: SheetState::of(s, &rubric),
                scored: s.scored as i32,
                items,
                total: s.total.to_string(),
            })
        })
        .collect()
}

/// Everything the scoring screen shows; the sheet is created on first opening. Refused for an expert who
/// is recused or not assigned, and on a laptop for anyone but its expert after their declaration.
pub fn open(conn: &Connection, round: RoundId, expert: ExpertId, application: ApplicationId) -> Result<ScoringDto> {
    let rubric = rounds::rubric(conn, round.0)?;
    let (row, app) = applications::get(conn, application.0)?;
    if row.round_id != round.0 {
        return Err(Error::not_found("这份申报材料不属于当前评审批次"));
    }
    let me = experts::list(conn, round.0)?.into_iter().find(|e| e.id == expert.0).ok_or_else(|| Error::not_found("本批次没有这位专家"))?;
    pingshen_store::handout::may_score(conn, round.0, expert.0)?;
    let sheet_id = sheets::open(conn, expert.0, application.0)?;
    let data = sheets::load(conn, sheet_id)?;
    let rules = rounds::opinion_rules(conn, round.0)?;
    let reconsideration = sheet_reconsideration(conn, round.0, &row.code, &data)?;
    Ok(ScoringDto {
        sheet_id,
        round_name: rounds::get(conn, round.0)?.name,
        expert: me.into(),
        application: ApplicationHeadDto { id: row.id, code: row.code, name: row.name },
        totals: sheet::totals(&rubric, &data.scored()).into(),
        rubric: (&rubric).into(),
        form: form::render(&app).into(),
        materials: applications::materials(conn, application.0)?
            .into_iter()
            .map(|m| MaterialDto { id: m.id, file: m.file, title: m.title, pages: m.pages })
            .collect(),
        scores: data.scores.iter().map(|s| ScoreDto::of(&rubric, s)).collect(),
        checklist: MissingDto::checklist(&rubric, &rules, &data),
        pins: pins(conn, SheetId(sheet_id))?,
        version: data.version as i32,
        submitted_at: data.submitted_at.clone(),
        vetoes: VetoProposalDto::of(&rubric, &data),
        recommendation: data.recommendation.map(Into::into),
        opinion: data.opinion.clone(),
        opinion_rules: rules.into(),
        reconsideration,
        deduction: data.deduction.map(|d| DeductionDto { value: d.value.to_string(), reason: d.reason }),
        submitted: data.submitted,
    })
}

/// The same point in another of the expert's own applications (never one they are recused from), for
/// side-by-side comparison.
pub fn compare(conn: &Connection, round: RoundId, expert: ExpertId, application: ApplicationId, item: &str) -> Result<CompareSideDto> {
    let rubric = rounds::rubric(conn, round.0)?;
    let (status, score) = sheets::peer(conn, &rubric, round.0, expert.0, application.0, item)?;
    let (row, app) = applications::get(conn, application.0)?;
    Ok(CompareSideDto {
        state: SheetState::of(&status, &rubric),
        application: ApplicationHeadDto { id: row.id, code: row.code, name: row.name },
        score: score.as_ref().map(|s| ScoreDto::of(&rubric, s)),
        form: form::render(&app).into(),
    })
}

/// The round's open 复议 as this sheet's screen shows it: only when it names the application and the sheet
/// is submitted.
fn sheet_reconsideration(conn: &Connection, round_id: i64, application: &str, data: &sheets::SheetData) -> Result<Option<SheetReconsiderationDto>> {
    if !data.submitted {
        return Ok(None);
    }
    let Some(rec) = pingshen_store::reconsiderations::current(conn, round_id)? else { return Ok(None) };
    let Some((_, scope)) = rec.scopes.iter().find(|(_, s)| s.application == application) else { return Ok(None) };
    Ok(Some(SheetReconsiderationDto {
        id: rec.id,
        opened_by: format!("{} {}", rec.opened_by_code, rec.opened_by_name),
        reason: rec.reason.clone(),
        items: scope.items.clone(),
        changes: rec
            .changes
            .iter()
            .filter(|c| c.sheet_id == data.id)
            .map(|c| SheetReconsideredDto {
                item: c.item.clone(),
                before: c.before.to_string(),
                after: c.after.to_string(),
                reason: c.reason.clone(),
            })
            .collect(),
    }))
}

/// The expert changes their own scores under the open 复议 on their machine (a submitted sheet, only the
/// named points, each with a reason; all or nothing). The change travels in their score file.
pub fn reconsider(conn: &Connection, sheet: SheetId, reconsideration: i64, changes: &[crate::reconsiderations::ReconsiderScoreArgs]) -> Result<()> {
    let (round_id, _, _) = sheets::context(conn, sheet.0)?;
    let mut parsed = Vec::new();
    for c in changes {
        let value = parse_value(Some(&c.value))
            .map_err(|e| Error::new(ErrorKind::InvalidScore, format!("观测点 {} 的复议分值{e}", c.item)))?
            .ok_or_else(|| Error::new(ErrorKind::InvalidScore, format!("请填写观测点 {} 的复议分值", c.item)))?;
        parsed.push((c.item.clone(), value, c.reason.clone()));
    }
    // On the expert's laptop the change is theirs and travels in their score file; on the staff machine the
    // scoring screen is staff typing from paper.
    let laptop = pingshen_store::handout::get(conn, round_id)?.is_some();
    let (expert, _) = sheets::codes(conn, sheet.0)?;
    let (source, actor) = if laptop {
        (pingshen_store::reconsiderations::Source::File, expert.as_str())
    } else {
        (pingshen_store::reconsiderations::Source::Paper, crate::overview::STAFF)
    };
    pingshen_store::reconsiderations::change(conn, reconsideration, sheet.0, &parsed, source, actor)?;
    Ok(())
}

/// The rubric of a sheet's round and its rules for the 推荐意见 and 综合意见.
fn rubric_of(conn: &Connection, sheet: SheetId) -> Result<(Rubric, OpinionRules)> {
    let (round_id, _, _) = sheets::context(conn, sheet.0)?;
    Ok((rounds::rubric(conn, round_id)?, rounds::opinion_rules(conn, round_id)?))
}

/// Saves the expert's 推荐意见 (none: not given) and 综合意见 as typed; committed before it returns. The
/// checklist back (what the round requires is checked there and at submission).
pub fn set_opinion(conn: &Connection, sheet: SheetId, recommendation: Option<RecommendationDto>, opinion: &str) -> Result<OpinionSavedDto> {
    let (rubric, rules) = rubric_of(conn, sheet)?;
    sheets::set_opinion(conn, sheet.0, recommendation.map(Into::into), opinion)?;
    let data = sheets::load(conn, sheet.0)?;
    Ok(OpinionSavedDto {
        recommendation: data.recommendation.map(Into::into),
        opinion_chars: pingshen_core::opinion::opinion_chars(&data.opinion),
        opinion: data.opinion.clone(),
        checklist: MissingDto::checklist(&rubric, &rules, &data),
    })
}

/// Saves a typed score (empty text clears it); committed before it returns.
pub fn set_score(conn: &Connection, sheet: SheetId, item: &str, typed: Option<&str>) -> Result<ScoreSavedDto> {
    let value = parse_value(typed).map_err(|e| Error::new(ErrorKind::InvalidScore, format!("观测点 {item} 的得分{e}")))?;
    let (rubric, rules) = rubric_of(conn, sheet)?;
    sheets::set_score(conn, &rubric, sheet.0, item, value)?;
    let data = sheets::load(conn, sheet.0)?;
    let max = rubric.item(item).map(|i| i.points).unwrap_or_default();
    Ok(ScoreSavedDto {
        band: value.and_then(|v| rubric.band_of(v, max)).map(|b| b.code.clone()),
        comment_required: value.is_some_and(|v| rubric.comment_required(v, max)),
        value: value.map(|v| v.to_string()),
        item: item.to_string(),
        totals: sheet::totals(&rubric, &data.scored()).into(),
        checklist: MissingDto::checklist(&rubric, &rules, &data),
    })
}

/// Saves an item's comment; the sheet's checklist back.
pub fn set_comment(conn: &Connection, sheet: SheetId, item: &str, comment: &str) -> Result<Vec<MissingDto>> {
    let (rubric, rules) = rubric_of(conn, sheet)?;
    sheets::set_comment(conn, &rubric, sheet.0, item, comment)?;
    Ok(MissingDto::checklist(&rubric, &rules, &sheets::load(conn, sheet.0)?))
}

/// Saves the proposed deduction and its reason (empty value: none proposed).
pub fn set_deduction(conn: &Connection, sheet: SheetId, typed: Option<&str>, reason: &str) -> Result<DeductionSavedDto> {
    let value = parse_value(typed).map_err(|e| Error::new(ErrorKind::InvalidScore, format!("扣分{e}")))?;
    let (rubric, rules) = rubric_of(conn, sheet)?;
    sheets::set_deduction(conn, &rubric, sheet.0, value, reason)?;
    Ok(DeductionSavedDto {
        deduction: value.map(|v| DeductionDto { value: v.to_string(), reason: reason.to_string() }),
        checklist: MissingDto::checklist(&rubric, &rules, &sheets::load(conn, sheet.0)?),
    })
}

/// Ticks (with the reason as typed so far) or unticks a 否定性指标 on a sheet; committed before it returns.
/// The sheet's proposals and checklist back (a ticked veto without a reason is on the checklist).
pub fn set_veto(conn: &Connection, sheet: SheetId, code: &str, ticked: bool, reason: &str) -> Result<VetoSavedDto> {
    let (rubric, rules) = rubric_of(conn, sheet)?;
    sheets::set_veto(conn, &rubric, sheet.0, code, ticked, reason)?;
    let data = sheets::load(conn, sheet.0)?;
    Ok(VetoSavedDto { vetoes: VetoProposalDto::of(&rubric, &data), checklist: MissingDto::checklist(&rubric, &rules, &data) })
}

/// Submits a sheet (locked from then on); its new version back. A sheet that is not ready is refused with
/// every problem in the error's `details`.
pub fn submit(conn: &Connection, sheet: SheetId) -> Result<i64> {
    Ok(sheets::submit(conn, sheet.0, "专家")?)
}

/// The evidence pinned to a sheet's scores.
pub fn pins(conn: &Connection, sheet: SheetId) -> Result<Vec<PinDto>> {
    Ok(evidence::list(conn, sheet.0)?.into_iter().map(PinDto::from).collect())
}

/// What a pin points at: a material page (with the selected passage) or a 推荐书 field.
pub enum PinTarget {
    Page { material_id: i64, page: u32 },
    Field(String),
}

impl PinTarget {
    /// From the screen's optional parts: a material and a page, else a field.
    pub fn from_parts(material_id: Option<i64>, page: Option<u32>, field: Option<String>) -> Result<PinTarget> {
        match (material_id, page, field) {
            (Some(material_id), Some(page), _) => Ok(PinTarget::Page { material_id, page }),
            (_, _, Some(field)) => Ok(PinTarget::Field(field)),
            _ => Err(Error::invalid("请指明要设为评分依据的材料页或推荐书栏目")),
        }
    }
}

/// Pins evidence to an item; the sheet's pins back.
pub fn pin(conn: &Connection, sheet: SheetId, item: &str, target: PinTarget, passage: &str) -> Result<Vec<PinDto>> {
    let target = match target {
        PinTarget::Page { material_id, page } => Target::Page { material_id, page },
        PinTarget::Field(field) => Target::Field { field },
    };
    evidence::pin(conn, sheet.0, item, &target, passage)?;
    pins(conn, sheet)
}

/// Removes a pin; the sheet's pins back.
pub fn unpin(conn: &Connection, sheet: SheetId, pin_id: i64) -> Result<Vec<PinDto>> {
    evidence::unpin(conn, sheet.0, pin_id)?;
    pins(conn, sheet)
}

/// Full-text search over the 推荐书 and the materials of the sheet's application, best first.
pub fn search(conn: &Connection, sheet: SheetId, query: &str) -> Result<Vec<HitDto>> {
    let (round_id, _, application_id) = sheets::context(conn, sheet.0)?;
    let materials = applications::materials(conn, application_id)?;
    Ok(pingshen_store::search::search(conn, Some(application_id), round_id, query, 100)?.into_iter().map(|h| HitDto::of(h, &materials)).collect())
}

/// The material pages that speak to an item, from its keywords, best first.
pub fn suggestions(conn: &Connection, sheet: SheetId, item: &str) -> Result<Vec<HitDto>> {
    let (_, _, application_id) = sheets::context(conn, sheet.0)?;
    let materials = applications::materials(conn, application_id)?;
    Ok(evidence::suggestions(conn, sheet.0, item, 8)?.into_iter().map(|h| HitDto::of(h, &materials)).collect())
}

/// A material's bytes for the page viewer (only a material of the sheet's application).
pub fn material_bytes(conn: &Connection, sheet: SheetId, material_id: i64) -> Result<Vec<u8>> {
    Ok(applications::material_bytes_for_sheet(conn, sheet.0, material_id)?)
}
