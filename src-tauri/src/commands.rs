//! The app's commands. Each is an adapter: decode, call core/store, encode a DTO of [`crate::ipc`].

use pingshen_core::{form, sheet};
use pingshen_store::settlements::{self, SettlementKind};
use pingshen_store::{applications, experts, rounds, sheets};
use tauri::State;

use crate::dialogs::{save_as, SaveAs};
use crate::error::{CmdResult, CommandError, ErrorKind};
use crate::experts::{DeclarationDto, DeclaredDto, ExpertAdminDto, ExpertImportDto, ExpertInput};
use crate::ipc::*;
use crate::samples;
use crate::state::AppState;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        db_path: state.db_path.display().to_string(),
        schema_version: pingshen_store::SCHEMA_VERSION as i32,
        db_error: state.db_error(),
    }
}

#[tauri::command]
pub fn list_rounds(state: State<'_, AppState>) -> CmdResult<Vec<RoundDto>> {
    Ok(rounds::list(&*state.db()?)?.into_iter().map(RoundDto::from).collect())
}

#[tauri::command]
pub fn create_sample_round(state: State<'_, AppState>) -> CmdResult<RoundDto> {
    let mut db = state.db()?;
    let id = samples::ensure_sample_round(&mut db)?;
    Ok(rounds::get(&db, id)?.into())
}

#[tauri::command]
pub fn get_round(state: State<'_, AppState>, round_id: i64) -> CmdResult<RoundDetailDto> {
    let db = state.db()?;
    let list = experts::list(&db, round_id)?;
    let mut declared = std::collections::BTreeMap::new();
    for e in &list {
        if let Some(d) = pingshen_store::declarations::latest(&db, e.id)? {
            declared.insert(e.id, d.signed_at);
        }
    }
    Ok(RoundDetailDto {
        round: rounds::get(&db, round_id)?.into(),
        handout: pingshen_store::handout::get(&db, round_id)?.map(Into::into),
        declared,
        experts: list.into_iter().map(ExpertDto::from).collect(),
        rubric: (&rounds::rubric(&db, round_id)?).into(),
    })
}

#[tauri::command]
pub fn list_applications(state: State<'_, AppState>, round_id: i64, expert_id: i64) -> CmdResult<Vec<ApplicationStatusDto>> {
    let db = state.db()?;
    let items = rounds::rubric(&db, round_id)?.items().count() as i64;
    let statuses = sheets::statuses(&db, round_id, expert_id)?;
    applications::list(&db, round_id)?
        .into_iter()
        .filter_map(|row| statuses.iter().find(|s| s.application_id == row.id).map(|s| (row, s)))
        .map(|(row, s)| {
            let (_, app) = applications::get(&db, row.id)?;
            Ok(ApplicationStatusDto {
                id: row.id,
                code: row.code,
                name: row.name,
                lead_school: app.cover.lead_school,
                park: app.cover.park,
                state: SheetState::of(s, items),
                scored: s.scored as i32,
                items: items as i32,
                total: s.total.to_string(),
            })
        })
        .collect()
}

#[tauri::command]
pub fn open_scoring(state: State<'_, AppState>, round_id: i64, expert_id: i64, application_id: i64) -> CmdResult<ScoringDto> {
    let db = state.db()?;
    let rubric = rounds::rubric(&db, round_id)?;
    let (row, app) = applications::get(&db, application_id)?;
    if row.round_id != round_id {
        return Err(CommandError::new(ErrorKind::NotFound, "这份申报书不属于当前评审批次"));
    }
    let expert = experts::list(&db, round_id)?
        .into_iter()
        .find(|e| e.id == expert_id)
        .ok_or_else(|| CommandError::new(ErrorKind::NotFound, "本批次没有这位专家"))?;
    pingshen_store::handout::may_score(&db, round_id, expert_id)?;
    let sheet_id = sheets::open(&db, expert_id, application_id)?;
    let data = sheets::load(&db, sheet_id)?;
    Ok(ScoringDto {
        sheet_id,
        round_name: rounds::get(&db, round_id)?.name,
        expert: expert.into(),
        application: ApplicationHeadDto { id: row.id, code: row.code, name: row.name },
        totals: sheet::totals(&rubric, &data.scored()).into(),
        rubric: (&rubric).into(),
        form: form::render(&app).into(),
        materials: applications::materials(&db, application_id)?
            .into_iter()
            .map(|m| MaterialDto { id: m.id, file: m.file, title: m.title, pages: m.pages })
            .collect(),
        scores: data.scores.iter().map(|s| score_dto(&rubric, s)).collect(),
        checklist: MissingDto::checklist(&rubric, &data),
        pins: pingshen_store::evidence::list(&db, sheet_id)?.into_iter().map(PinDto::from).collect(),
        version: data.version as i32,
        submitted_at: data.submitted_at.clone(),
        deduction: data.deduction.map(|d| DeductionDto { value: d.value.to_string(), reason: d.reason }),
        submitted: data.submitted,
    })
}

fn score_dto(rubric: &pingshen_core::rubric::Rubric, s: &sheets::ScoreRow) -> ScoreDto {
    let max = rubric.item(&s.item).map(|i| i.points).unwrap_or_default();
    ScoreDto {
        item: s.item.clone(),
        value: s.value.map(|v| v.to_string()),
        comment: s.comment.clone(),
        band: s.value.and_then(|v| rubric.band_of(v, max)).map(|b| b.code.clone()),
        comment_required: s.value.is_some_and(|v| rubric.comment_required(v, max)),
    }
}

/// The same point in another of the expert's own applications (never one they are recused from), for
/// side-by-side comparison.
#[tauri::command]
pub fn compare_item(state: State<'_, AppState>, round_id: i64, expert_id: i64, application_id: i64, item: String) -> CmdResult<CompareSideDto> {
    let db = state.db()?;
    let rubric = rounds::rubric(&db, round_id)?;
    let (status, score) = sheets::peer(&db, &rubric, round_id, expert_id, application_id, &item)?;
    let (row, app) = applications::get(&db, application_id)?;
    Ok(CompareSideDto {
        state: SheetState::of(&status, rubric.items().count() as i64),
        application: ApplicationHeadDto { id: row.id, code: row.code, name: row.name },
        score: score.as_ref().map(|s| score_dto(&rubric, s)),
        form: form::render(&app).into(),
    })
}

#[tauri::command]
pub fn set_score(state: State<'_, AppState>, args: SetScoreArgs) -> CmdResult<ScoreSavedDto> {
    let db = state.db()?;
    let value =
        parse_value(args.value.as_deref()).map_err(|e| CommandError::new(ErrorKind::InvalidScore, format!("观测点 {} 的得分{e}", args.item)))?;
    let (round_id, _, _) = sheets::context(&db, args.sheet_id)?;
    let rubric = rounds::rubric(&db, round_id)?;
    sheets::set_score(&db, &rubric, args.sheet_id, &args.item, value)?;
    let data = sheets::load(&db, args.sheet_id)?;
    let max = rubric.item(&args.item).map(|i| i.points).unwrap_or_default();
    Ok(ScoreSavedDto {
        band: value.and_then(|v| rubric.band_of(v, max)).map(|b| b.code.clone()),
        comment_required: value.is_some_and(|v| rubric.comment_required(v, max)),
        value: value.map(|v| v.to_string()),
        item: args.item,
        totals: sheet::totals(&rubric, &data.scored()).into(),
        checklist: MissingDto::checklist(&rubric, &data),
    })
}

#[tauri::command]
pub fn set_comment(state: State<'_, AppState>, sheet_id: i64, item: String, comment: String) -> CmdResult<Vec<MissingDto>> {
    let db = state.db()?;
    let (round_id, _, _) = sheets::context(&db, sheet_id)?;
    let rubric = rounds::rubric(&db, round_id)?;
    sheets::set_comment(&db, &rubric, sheet_id, &item, &comment)?;
    Ok(MissingDto::checklist(&rubric, &sheets::load(&db, sheet_id)?))
}

#[tauri::command]
pub fn set_deduction(state: State<'_, AppState>, sheet_id: i64, value: Option<String>, reason: String) -> CmdResult<DeductionSavedDto> {
    let db = state.db()?;
    let v = parse_value(value.as_deref()).map_err(|e| CommandError::new(ErrorKind::InvalidScore, format!("扣分{e}")))?;
    let (round_id, _, _) = sheets::context(&db, sheet_id)?;
    let rubric = rounds::rubric(&db, round_id)?;
    sheets::set_deduction(&db, &rubric, sheet_id, v, &reason)?;
    Ok(DeductionSavedDto {
        deduction: v.map(|v| DeductionDto { value: v.to_string(), reason }),
        checklist: MissingDto::checklist(&rubric, &sheets::load(&db, sheet_id)?),
    })
}

#[tauri::command]
pub fn consolidation_overview(state: State<'_, AppState>, round_id: i64) -> CmdResult<crate::consolidation::ConsolidationDto> {
    crate::consolidation::overview(&*state.db()?, round_id)
}

/// Imports a paper-score spreadsheet: from `path`, or from a file the user picks in the native dialog
/// (`None` back when they cancel).
#[tauri::command]
pub async fn import_paper_scores(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    path: Option<String>,
) -> CmdResult<Option<PaperImportDto>> {
    let path = match path {
        Some(p) => std::path::PathBuf::from(p),
        None => match crate::dialogs::pick_spreadsheet(&window).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    crate::consolidation::import_paper(&mut *state.db()?, round_id, &path).map(Some)
}

#[tauri::command]
pub fn settle_flag(
    state: State<'_, AppState>,
    application_id: i64,
    expert: String,
    item: Option<String>,
    panel: bool,
    text: String,
) -> CmdResult<()> {
    let kind = if panel { SettlementKind::PanelResolution } else { SettlementKind::ExpertReason };
    Ok(settlements::settle_flag(&*state.db()?, application_id, &expert, item.as_deref(), kind, &text, "统分人")?)
}

#[tauri::command]
pub fn resolve_deduction(
    state: State<'_, AppState>,
    round_id: i64,
    application_id: i64,
    value: String,
    votes_for: u32,
    votes_against: u32,
    reason: String,
) -> CmdResult<()> {
    let db = state.db()?;
    let v = parse_value(Some(&value))
        .map_err(|e| CommandError::new(ErrorKind::InvalidScore, format!("扣分{e}")))?
        .ok_or_else(|| CommandError::new(ErrorKind::InvalidScore, "请填写决议扣分（不扣分填 0）"))?;
    let rubric = rounds::rubric(&db, round_id)?;
    Ok(settlements::resolve_deduction(&db, &rubric, application_id, v, votes_for, votes_against, &reason, "统分人")?)
}

/// The 汇总表 as HTML, for the print preview in the window.
#[tauri::command]
pub fn summary_preview(state: State<'_, AppState>, round_id: i64) -> CmdResult<String> {
    Ok(crate::consolidation::paperwork(&*state.db()?, round_id, &crate::consolidation::today_zh())?.summary_html)
}

/// Writes 汇总表.html, 汇总表.xlsx and 评审报告.html into a folder the user picks (or `dir`); `None` when
/// they cancel.
#[tauri::command]
pub async fn export_paperwork(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    dir: Option<String>,
) -> CmdResult<Option<Vec<String>>> {
    let dir = match dir {
        Some(d) => std::path::PathBuf::from(d),
        None => match crate::dialogs::pick_folder(&window).await {
            Some(d) => d,
            None => return Ok(None),
        },
    };
    let p = crate::consolidation::paperwork(&*state.db()?, round_id, &crate::consolidation::today_zh())?;
    crate::dialogs::write_files(
        &dir,
        &[("汇总表.html", p.summary_html.as_bytes()), ("汇总表.xlsx", &p.summary_xlsx), ("评审报告.html", p.review_html.as_bytes())],
    )
    .map(Some)
}

/// Submits a sheet (every item must be scored); it is locked from then on.
#[tauri::command]
pub fn submit_sheet(state: State<'_, AppState>, sheet_id: i64) -> CmdResult<i64> {
    Ok(sheets::submit(&*state.db()?, sheet_id, "专家")?)
}

/// Writes the expert's submitted sheets as a score file, to `path` or where the user chooses.
#[tauri::command]
pub async fn export_score_file(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    expert_id: i64,
    path: Option<String>,
) -> CmdResult<Option<ScoreFileSavedDto>> {
    let file = pingshen_store::scorefiles::export(&*state.db()?, round_id, expert_id, &crate::consolidation::now_iso())?;
    let name = file.file_name();
    let what = SaveAs { title: "保存评分文件", suggested: &name, kind: "评审台评分文件", extension: "json" };
    let Some(path) = save_as(&window, path, what, file.to_json().as_bytes()).await? else { return Ok(None) };
    Ok(Some(ScoreFileSavedDto { path, short_hash: file.short_hash(), sheets: file.sheets.len() as i32 }))
}

/// Writes the expert's printed 专家评分表 (a page per submitted sheet with its 评分表校验码, then a summary),
/// to `path` or where the user chooses; `None` when the user cancels.
#[tauri::command]
pub async fn export_expert_sheets(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    expert_id: i64,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let (html, suggested) = crate::consolidation::expert_sheets(&*state.db()?, round_id, expert_id, &crate::consolidation::now_iso())?;
    let what = SaveAs { title: "保存专家评分表", suggested: &suggested, kind: "网页（可打印为 PDF）", extension: "html" };
    save_as(&window, path, what, html.as_bytes()).await
}

/// Imports score files, from `paths` or those the user picks; one result per file.
#[tauri::command]
pub async fn import_score_files(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    paths: Option<Vec<String>>,
) -> CmdResult<Option<Vec<ScoreFileImportDto>>> {
    let paths: Vec<std::path::PathBuf> = match paths {
        Some(p) => p.into_iter().map(std::path::PathBuf::from).collect(),
        None => match crate::dialogs::pick_score_files(&window).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    Ok(Some(crate::consolidation::import_score_files(&mut *state.db()?, round_id, &paths)))
}

/// Changes the consolidation rules of a round (checked against its rubric; logged).
#[tauri::command]
pub fn set_consolidation_settings(state: State<'_, AppState>, round_id: i64, settings: crate::consolidation::SettingsDto) -> CmdResult<()> {
    let db = state.db()?;
    let s = settings.to_settings(&rounds::rubric(&db, round_id)?)?;
    Ok(settlements::set_settings(&db, round_id, &s, "统分人")?)
}

/// Writes the blank paper-score template of the round (.xlsx), to `path` or where the user chooses.
#[tauri::command]
pub async fn save_score_template(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let bytes = {
        let db = state.db()?;
        let rubric = rounds::rubric(&db, round_id)?;
        let experts: Vec<(String, String)> = experts::list(&db, round_id)?.into_iter().map(|e| (e.expert.code, e.expert.name)).collect();
        let apps: Vec<String> = applications::list(&db, round_id)?.into_iter().map(|a| a.code).collect();
        pingshen_import::scores::write_template_xlsx(&rubric, &experts, &apps)
    };
    let what = SaveAs { title: "保存纸质评分录入表", suggested: "纸质评分录入表.xlsx", kind: "Excel 工作簿", extension: "xlsx" };
    save_as(&window, path, what, &bytes).await
}

/// Records (or withdraws) an expert's recusal from an application, with the reason.
#[tauri::command]
pub fn set_recusal(state: State<'_, AppState>, expert_id: i64, application_id: i64, recused: bool, reason: String) -> CmdResult<()> {
    Ok(experts::set_recused(&*state.db()?, expert_id, application_id, recused, &reason, experts::RecusalSource::Staff, "统分人")?)
}

/// Staff reopen (退回) a submitted sheet so that its expert can change it; the reason is logged.
#[tauri::command]
pub fn reopen_sheet(state: State<'_, AppState>, sheet_id: i64, reason: String) -> CmdResult<()> {
    Ok(sheets::reopen(&*state.db()?, sheet_id, "统分人", &reason)?)
}

// ---- the expert list and the expert's declaration ----

/// The round's experts for the staff's list.
#[tauri::command]
pub fn list_experts(state: State<'_, AppState>, round_id: i64) -> CmdResult<Vec<ExpertAdminDto>> {
    crate::experts::list(&*state.db()?, round_id)
}

/// Adds a typed-in expert (assigned to every application); the new expert's id back.
#[tauri::command]
pub fn add_expert(state: State<'_, AppState>, round_id: i64, expert: ExpertInput) -> CmdResult<i64> {
    crate::experts::add(&mut *state.db()?, round_id, &expert, "统分人")
}

#[tauri::command]
pub fn update_expert(state: State<'_, AppState>, expert_id: i64, expert: ExpertInput) -> CmdResult<()> {
    crate::experts::update(&*state.db()?, expert_id, &expert, "统分人")
}

/// Removes an expert who has no sheet yet.
#[tauri::command]
pub fn remove_expert(state: State<'_, AppState>, expert_id: i64) -> CmdResult<()> {
    Ok(experts::remove(&*state.db()?, expert_id, "统分人")?)
}

/// The expert's 回避声明 and 承诺书 as it stands.
#[tauri::command]
pub fn declaration(state: State<'_, AppState>, round_id: i64, expert_id: i64) -> CmdResult<DeclarationDto> {
    crate::experts::declaration(&*state.db()?, round_id, expert_id)
}

/// The expert signs their 回避声明 and 承诺书; declared conflicts become recusals (all or nothing).
#[tauri::command]
pub fn sign_declaration(state: State<'_, AppState>, expert_id: i64, declared: Vec<DeclaredDto>, statement: String) -> CmdResult<()> {
    crate::experts::sign(&mut *state.db()?, expert_id, &declared, &statement)
}

/// Imports an expert list (.xlsx or CSV UTF-8), from `path` or a file the user picks; `None` when cancelled.
#[tauri::command]
pub async fn import_experts(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    path: Option<String>,
) -> CmdResult<Option<ExpertImportDto>> {
    let path = match path {
        Some(p) => std::path::PathBuf::from(p),
        None => match crate::dialogs::pick_expert_list(&window).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    crate::experts::import(&mut *state.db()?, round_id, &path, "统分人").map(Some)
}

/// Writes the blank expert-list template (.xlsx), to `path` or where the user chooses.
#[tauri::command]
pub async fn save_expert_template(window: tauri::Window, path: Option<String>) -> CmdResult<Option<String>> {
    let bytes = pingshen_import::experts::experts_template_xlsx();
    let what = SaveAs { title: "保存专家名单模板", suggested: "专家名单.xlsx", kind: "Excel 工作簿", extension: "xlsx" };
    save_as(&window, path, what, &bytes).await
}

/// Writes the expert's printable 回避声明 and 承诺书, to `path` or where the user chooses.
#[tauri::command]
pub async fn export_declaration(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    expert_id: i64,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let (html, suggested) = crate::experts::declaration_document(&*state.db()?, round_id, expert_id)?;
    let what = SaveAs { title: "保存回避声明与承诺书", suggested: &suggested, kind: "网页（可打印为 PDF）", extension: "html" };
    save_as(&window, path, what, html.as_bytes()).await
}

/// Writes the round's printable 审计日志, to `path` or where the user chooses.
#[tauri::command]
pub async fn export_audit_log(window: tauri::Window, state: State<'_, AppState>, round_id: i64, path: Option<String>) -> CmdResult<Option<String>> {
    let html = crate::consolidation::audit_log(&*state.db()?, round_id, &crate::consolidation::today_zh())?;
    let what = SaveAs { title: "保存审计日志", suggested: "审计日志.html", kind: "网页（可打印为 PDF）", extension: "html" };
    save_as(&window, path, what, html.as_bytes()).await
}

// ---- round files (评审包) ----

/// Writes a round file of the round, to `path` or where the user chooses, with progress; `None` when the
/// user cancels the dialog. 取消 during the export (`cancel_long_task`) leaves no file.
#[tauri::command]
pub async fn export_round_file(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    path: Option<String>,
    on_progress: tauri::ipc::Channel<crate::handout::ProgressDto>,
) -> CmdResult<Option<crate::handout::RoundFileSavedDto>> {
    let name = rounds::get(&*state.db()?, round_id)?.name;
    let path = match path {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let suggested = crate::handout::suggested_name(&name);
            match crate::dialogs::save_file(&window, "保存评审包", &suggested, "评审台评审包", pingshen_handout::EXTENSION).await {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    state.cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    crate::handout::export(state.db_path.clone(), round_id, path, on_progress, state.cancel.clone()).await.map(Some)
}

/// What a round file holds (read from `path`, or a file the user picks); `None` when the user cancels.
#[tauri::command]
pub async fn inspect_round_file(window: tauri::Window, path: Option<String>) -> CmdResult<Option<crate::handout::RoundFileInfoDto>> {
    let path = match path {
        Some(p) => std::path::PathBuf::from(p),
        None => match crate::dialogs::pick_round_file(&window).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    crate::handout::inspect(path).await.map(Some)
}

/// Opens a round file with progress, all or nothing; this machine then scores as `expert_code`.
#[tauri::command]
pub async fn open_round_file(
    state: State<'_, AppState>,
    path: String,
    expert_code: Option<String>,
    on_progress: tauri::ipc::Channel<crate::handout::ProgressDto>,
) -> CmdResult<crate::handout::OpenedRoundDto> {
    state.cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    crate::handout::open(state.db_path.clone(), path.into(), expert_code, on_progress, state.cancel.clone()).await
}

/// 取消: stops the running export or open; it then writes nothing.
#[tauri::command]
pub fn cancel_long_task(state: State<'_, AppState>) {
    state.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// This laptop scores as this expert of a round opened from a round file.
#[tauri::command]
pub fn choose_expert(state: State<'_, AppState>, round_id: i64, expert_id: i64) -> CmdResult<()> {
    let db = state.db()?;
    let name = experts::list(&db, round_id)?.into_iter().find(|e| e.id == expert_id).map(|e| e.expert.name).unwrap_or_default();
    Ok(pingshen_store::handout::choose_expert(&db, round_id, expert_id, &name)?)
}

/// The round file the app was started with, once (the page then offers to open it).
#[tauri::command]
pub fn take_pending_round_file(state: State<'_, AppState>) -> Option<String> {
    state.pending_round_file.lock().unwrap_or_else(|p| p.into_inner()).take().map(|p| p.display().to_string())
}

// ---- materials and evidence ----

/// A material's bytes for the page viewer (only a material of the sheet's application).
#[tauri::command]
pub fn material_bytes(state: State<'_, AppState>, sheet_id: i64, material_id: i64) -> CmdResult<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(applications::material_bytes_for_sheet(&*state.db()?, sheet_id, material_id)?))
}

/// Pins a material page (with the selected passage) or a 推荐书 field to an item; the sheet's pins back.
#[tauri::command]
pub fn pin_evidence(
    state: State<'_, AppState>,
    sheet_id: i64,
    item: String,
    material_id: Option<i64>,
    page: Option<u32>,
    field: Option<String>,
    passage: String,
) -> CmdResult<Vec<PinDto>> {
    use pingshen_store::evidence::{self, Target};
    let target = match (material_id, page, field) {
        (Some(material_id), Some(page), _) => Target::Page { material_id, page },
        (_, _, Some(field)) => Target::Field { field },
        _ => return Err(CommandError::new(ErrorKind::InvalidInput, "请指明要钉选的材料页或推荐书栏目")),
    };
    let db = state.db()?;
    evidence::pin(&db, sheet_id, &item, &target, &passage)?;
    Ok(evidence::list(&db, sheet_id)?.into_iter().map(PinDto::from).collect())
}

/// Removes a pin; the sheet's pins back.
#[tauri::command]
pub fn unpin_evidence(state: State<'_, AppState>, sheet_id: i64, pin_id: i64) -> CmdResult<Vec<PinDto>> {
    let db = state.db()?;
    pingshen_store::evidence::unpin(&db, sheet_id, pin_id)?;
    Ok(pingshen_store::evidence::list(&db, sheet_id)?.into_iter().map(PinDto::from).collect())
}

/// The 形式审查 of every application of the round.
#[tauri::command]
pub fn formal_checks(state: State<'_, AppState>, round_id: i64) -> CmdResult<Vec<crate::packages::FormalCheckDto>> {
    crate::packages::formal_checks(&*state.db()?, round_id)
}

/// The key fields of an application's 推荐书 (for typing in a scanned one).
#[tauri::command]
pub fn key_fields(state: State<'_, AppState>, application_id: i64) -> CmdResult<crate::packages::KeyFieldsDto> {
    Ok(crate::packages::KeyFieldsDto::of(&applications::get(&*state.db()?, application_id)?.1))
}

/// Staff type in the key fields of a scanned 推荐书; the application is then no longer "待录入".
#[tauri::command]
pub fn enter_key_fields(state: State<'_, AppState>, application_id: i64, fields: crate::packages::KeyFieldsDto) -> CmdResult<()> {
    let db = state.db()?;
    let app = fields.apply(applications::get(&db, application_id)?.1);
    Ok(applications::enter_manually(&db, application_id, &app, "统分人")?)
}

/// Full-text search over the 推荐书 and the materials of the sheet's application, best first.
#[tauri::command]
pub fn search_sheet(state: State<'_, AppState>, sheet_id: i64, query: String) -> CmdResult<Vec<HitDto>> {
    let db = state.db()?;
    let (round_id, _, application_id) = sheets::context(&db, sheet_id)?;
    let materials = applications::materials(&db, application_id)?;
    Ok(pingshen_store::search::search(&db, Some(application_id), round_id, &query, 100)?.into_iter().map(|h| HitDto::of(h, &materials)).collect())
}

/// The material pages that speak to an item, from its keywords, best first.
#[tauri::command]
pub fn evidence_suggestions(state: State<'_, AppState>, sheet_id: i64, item: String) -> CmdResult<Vec<HitDto>> {
    let db = state.db()?;
    let (_, _, application_id) = sheets::context(&db, sheet_id)?;
    let materials = applications::materials(&db, application_id)?;
    Ok(pingshen_store::evidence::suggestions(&db, sheet_id, &item, 8)?.into_iter().map(|h| HitDto::of(h, &materials)).collect())
}

/// Imports an application package (a .zip or a folder, from `path` or picked in the native dialog) into the
/// round, all or nothing; `None` when the user cancels.
#[tauri::command]
pub async fn import_package(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: i64,
    path: Option<String>,
    folder: bool,
) -> CmdResult<Option<crate::packages::PackageImportDto>> {
    let path = match path {
        Some(p) => std::path::PathBuf::from(p),
        None => match crate::dialogs::pick_package(&window, folder).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let arrival = crate::packages::read(path).await?;
    crate::packages::add(&mut *state.db()?, round_id, arrival, "统分人").map(Some)
}
