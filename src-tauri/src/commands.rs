//! The app's commands. Each is an adapter: decode, call a use case of `pingshen_app`, encode. Where a
//! command takes a file, the page may pass a path (the end-to-end tests do); otherwise the native dialog
//! asks, and `None` comes back when the user cancels it.

use pingshen_app::handout::{OpenedRoundDto, ProgressDto, RoundFileInfoDto, RoundFileSavedDto};
use pingshen_app::ids::{ApplicationId, ExpertId, FindingId, RoundId, SheetId, SiteVisitId};
use pingshen_app::packages::{FormalCheckDto, KeyFieldsDto, PackageImportDto};
use pingshen_app::recommendation::{self, LineDto, ListDocument, PreviewDto, PublicityDto, RecommendationListDto, TieDecisionArgs};
use pingshen_app::views::*;
use pingshen_app::{backups, clock, experts, handout, overview, packages, panel, paperwork, reconsiderations, rounds, rubrics, scorefiles, scoring};
use tauri::ipc::Channel;
use tauri::State;

use crate::dialogs::{self, given_or, Save};
use crate::error::{off_ui_thread, CmdResult};
use crate::state::AppState;
use crate::AppInfo;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        db_path: state.db_path.display().to_string(),
        schema_version: pingshen_store::SCHEMA_VERSION as i32,
        db_error: state.db_error(),
    }
}

// ---- rounds ----

#[tauri::command]
pub fn list_rounds(state: State<'_, AppState>) -> CmdResult<Vec<RoundDto>> {
    rounds::list(&*state.db()?)
}

#[tauri::command]
pub fn create_sample_round(state: State<'_, AppState>) -> CmdResult<RoundDto> {
    rounds::sample(&mut *state.db()?)
}

#[tauri::command]
pub fn get_round(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<RoundDetailDto> {
    rounds::get(&*state.db()?, round_id)
}

// ---- scoring ----

#[tauri::command]
pub fn list_applications(state: State<'_, AppState>, round_id: RoundId, expert_id: ExpertId) -> CmdResult<Vec<ApplicationStatusDto>> {
    scoring::applications(&*state.db()?, round_id, expert_id)
}

#[tauri::command]
pub fn open_scoring(state: State<'_, AppState>, round_id: RoundId, expert_id: ExpertId, application_id: ApplicationId) -> CmdResult<ScoringDto> {
    scoring::open(&*state.db()?, round_id, expert_id, application_id)
}

#[tauri::command]
pub fn compare_item(
    state: State<'_, AppState>,
    round_id: RoundId,
    expert_id: ExpertId,
    application_id: ApplicationId,
    item: String,
) -> CmdResult<CompareSideDto> {
    scoring::compare(&*state.db()?, round_id, expert_id, application_id, &item)
}

#[tauri::command]
pub fn set_score(state: State<'_, AppState>, args: SetScoreArgs) -> CmdResult<ScoreSavedDto> {
    scoring::set_score(&*state.db()?, SheetId(args.sheet_id), &args.item, args.value.as_deref())
}

#[tauri::command]
pub fn set_comment(state: State<'_, AppState>, sheet_id: SheetId, item: String, comment: String) -> CmdResult<Vec<MissingDto>> {
    scoring::set_comment(&*state.db()?, sheet_id, &item, &comment)
}

#[tauri::command]
pub fn set_deduction(state: State<'_, AppState>, sheet_id: SheetId, value: Option<String>, reason: String) -> CmdResult<DeductionSavedDto> {
    scoring::set_deduction(&*state.db()?, sheet_id, value.as_deref(), &reason)
}

#[tauri::command]
pub fn submit_sheet(state: State<'_, AppState>, sheet_id: SheetId) -> CmdResult<i64> {
    scoring::submit(&*state.db()?, sheet_id)
}

#[tauri::command]
pub fn material_bytes(state: State<'_, AppState>, sheet_id: SheetId, material_id: i64) -> CmdResult<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(scoring::material_bytes(&*state.db()?, sheet_id, material_id)?))
}

#[tauri::command]
pub fn pin_evidence(
    state: State<'_, AppState>,
    sheet_id: SheetId,
    item: String,
    material_id: Option<i64>,
    page: Option<u32>,
    field: Option<String>,
    passage: String,
) -> CmdResult<Vec<PinDto>> {
    let target = scoring::PinTarget::from_parts(material_id, page, field)?;
    scoring::pin(&*state.db()?, sheet_id, &item, target, &passage)
}

#[tauri::command]
pub fn unpin_evidence(state: State<'_, AppState>, sheet_id: SheetId, pin_id: i64) -> CmdResult<Vec<PinDto>> {
    scoring::unpin(&*state.db()?, sheet_id, pin_id)
}

#[tauri::command]
pub fn search_sheet(state: State<'_, AppState>, sheet_id: SheetId, query: String) -> CmdResult<Vec<HitDto>> {
    scoring::search(&*state.db()?, sheet_id, &query)
}

#[tauri::command]
pub fn evidence_suggestions(state: State<'_, AppState>, sheet_id: SheetId, item: String) -> CmdResult<Vec<HitDto>> {
    scoring::suggestions(&*state.db()?, sheet_id, &item)
}

/// Writes the expert's submitted sheets as a score file.
#[tauri::command]
pub async fn export_score_file(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    expert_id: ExpertId,
    path: Option<String>,
) -> CmdResult<Option<ScoreFileSavedDto>> {
    let out = scorefiles::export_score_file(&*state.db()?, round_id, expert_id, &clock::now_iso())?;
    let Some(path) = dialogs::save(&window, path, Save::SCORE_FILE, &out.document).await? else { return Ok(None) };
    Ok(Some(ScoreFileSavedDto { path, short_hash: out.short_hash, sheets: out.sheets as i32 }))
}

/// Writes the expert's printed 专家评分表 (a page per submitted sheet with its 评分表校验码, then a summary).
#[tauri::command]
pub async fn export_expert_sheets(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    expert_id: ExpertId,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let doc = paperwork::expert_sheets(&*state.db()?, round_id, expert_id, &clock::now_iso())?;
    dialogs::save(&window, path, Save::EXPERT_SHEETS, &doc).await
}

// ---- the staff's 统分 ----

#[tauri::command]
pub fn consolidation_overview(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<overview::ConsolidationDto> {
    overview::overview(&*state.db()?, round_id)
}

#[tauri::command]
pub async fn import_paper_scores(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
) -> CmdResult<Option<PaperImportDto>> {
    let Some(path) = given_or(path, dialogs::pick_spreadsheet(&window)).await else { return Ok(None) };
    scorefiles::import_paper(&mut *state.db()?, round_id, &path).map(Some)
}

#[tauri::command]
pub async fn import_score_files(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    paths: Option<Vec<String>>,
) -> CmdResult<Option<Vec<ScoreFileImportDto>>> {
    let paths = match paths {
        Some(p) => p.into_iter().map(std::path::PathBuf::from).collect(),
        None => match dialogs::pick_score_files(&window).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    scorefiles::import_score_files(&mut *state.db()?, round_id, &paths).map(Some)
}

#[tauri::command]
pub fn settle_flag(
    state: State<'_, AppState>,
    application_id: ApplicationId,
    expert: String,
    item: Option<String>,
    panel: bool,
    text: String,
) -> CmdResult<()> {
    overview::settle_flag(&*state.db()?, application_id, &expert, item.as_deref(), panel, &text)
}

#[tauri::command]
pub fn resolve_deduction(
    state: State<'_, AppState>,
    round_id: RoundId,
    application_id: ApplicationId,
    value: String,
    votes_for: u32,
    votes_against: u32,
    reason: String,
) -> CmdResult<()> {
    let vote = overview::DeductionVote { value: &value, votes_for, votes_against, reason: &reason };
    overview::resolve_deduction(&*state.db()?, round_id, application_id, &vote)
}

#[tauri::command]
pub fn set_consolidation_settings(state: State<'_, AppState>, round_id: RoundId, settings: overview::SettingsDto) -> CmdResult<()> {
    overview::set_settings(&*state.db()?, round_id, &settings)
}

#[tauri::command]
pub fn set_recusal(state: State<'_, AppState>, expert_id: ExpertId, application_id: ApplicationId, recused: bool, reason: String) -> CmdResult<()> {
    overview::set_recusal(&*state.db()?, expert_id, application_id, recused, &reason)
}

#[tauri::command]
pub fn reopen_sheet(state: State<'_, AppState>, sheet_id: SheetId, reason: String) -> CmdResult<()> {
    overview::reopen_sheet(&*state.db()?, sheet_id, &reason)
}

/// The 评审结果汇总表 as HTML, for the print preview in the window.
#[tauri::command]
pub fn summary_preview(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<String> {
    paperwork::summary_preview(&*state.db()?, round_id, &clock::today_zh())
}

// ---- 推荐名单 ----

/// The 推荐名单 screen: the line, the proposal or the confirmed list, the tie, the decision.
#[tauri::command]
pub fn recommendation(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<RecommendationListDto> {
    recommendation::overview(&*state.db()?, round_id)
}

#[tauri::command]
pub fn recommendation_set_line(state: State<'_, AppState>, round_id: RoundId, line: LineDto) -> CmdResult<RecommendationListDto> {
    recommendation::set_line(&*state.db()?, round_id, &line)
}

#[tauri::command]
pub fn recommendation_set_publicity(state: State<'_, AppState>, round_id: RoundId, publicity: PublicityDto) -> CmdResult<RecommendationListDto> {
    recommendation::set_publicity(&*state.db()?, round_id, &publicity)
}

#[tauri::command]
pub fn recommendation_decide_tie(state: State<'_, AppState>, round_id: RoundId, decision: TieDecisionArgs) -> CmdResult<RecommendationListDto> {
    recommendation::decide_tie(&*state.db()?, round_id, &decision)
}

#[tauri::command]
pub fn recommendation_confirm(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<RecommendationListDto> {
    recommendation::confirm(&*state.db()?, round_id)
}

#[tauri::command]
pub fn recommendation_reopen(state: State<'_, AppState>, round_id: RoundId, reason: String) -> CmdResult<RecommendationListDto> {
    recommendation::reopen(&*state.db()?, round_id, &reason)
}

/// One of the 评审结果汇总表, 拟推荐名单, 公示名单 as HTML, for the print preview.
#[tauri::command]
pub fn recommendation_preview(state: State<'_, AppState>, round_id: RoundId, document: ListDocument) -> CmdResult<PreviewDto> {
    recommendation::preview(&*state.db()?, round_id, document, &clock::today_zh())
}

/// Writes the round's paperwork set into a folder.
#[tauri::command]
pub async fn export_paperwork(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    dir: Option<String>,
) -> CmdResult<Option<Vec<String>>> {
    dialogs::export_to_folder(&window, dir, || paperwork::for_round(&*state.db()?, round_id, &clock::today_zh())).await
}

/// Writes the blank paper-score template of the round (.xlsx).
#[tauri::command]
pub async fn save_score_template(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let doc = scorefiles::score_template(&*state.db()?, round_id)?;
    dialogs::save(&window, path, Save::WORKBOOK_SCORES, &doc).await
}

#[tauri::command]
pub async fn export_audit_log(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let doc = paperwork::audit_log(&*state.db()?, round_id, &clock::today_zh())?;
    dialogs::save(&window, path, Save::AUDIT_LOG, &doc).await
}

// ---- the expert list and the expert's declaration ----

#[tauri::command]
pub fn list_experts(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<Vec<experts::ExpertAdminDto>> {
    experts::list(&*state.db()?, round_id)
}

#[tauri::command]
pub fn add_expert(state: State<'_, AppState>, round_id: RoundId, expert: experts::ExpertInput) -> CmdResult<i64> {
    experts::add(&mut *state.db()?, round_id, &expert)
}

#[tauri::command]
pub fn update_expert(state: State<'_, AppState>, expert_id: ExpertId, expert: experts::ExpertInput) -> CmdResult<()> {
    experts::update(&*state.db()?, expert_id, &expert)
}

#[tauri::command]
pub fn remove_expert(state: State<'_, AppState>, expert_id: ExpertId) -> CmdResult<()> {
    experts::remove(&*state.db()?, expert_id)
}

#[tauri::command]
pub fn declaration(state: State<'_, AppState>, round_id: RoundId, expert_id: ExpertId) -> CmdResult<experts::DeclarationDto> {
    experts::declaration(&*state.db()?, round_id, expert_id)
}

#[tauri::command]
pub fn sign_declaration(state: State<'_, AppState>, expert_id: ExpertId, declared: Vec<experts::DeclaredDto>, statement: String) -> CmdResult<()> {
    experts::sign(&mut *state.db()?, expert_id, &declared, &statement)
}

#[tauri::command]
pub async fn import_experts(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
) -> CmdResult<Option<experts::ExpertImportDto>> {
    let Some(path) = given_or(path, dialogs::pick_expert_list(&window)).await else { return Ok(None) };
    experts::import(&mut *state.db()?, round_id, &path).map(Some)
}

#[tauri::command]
pub async fn save_expert_template(window: tauri::Window, path: Option<String>) -> CmdResult<Option<String>> {
    dialogs::save(&window, path, Save::WORKBOOK_EXPERTS, &experts::template()).await
}

#[tauri::command]
pub async fn export_declaration(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    expert_id: ExpertId,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let doc = experts::declaration_document(&*state.db()?, round_id, expert_id)?;
    dialogs::save(&window, path, Save::DECLARATION, &doc).await
}

// ---- round files (评审包) ----

/// Writes a round file of the round, with progress. 取消 during the export (`cancel_long_task`) leaves no
/// file.
#[tauri::command]
pub async fn export_round_file(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
    on_progress: Channel<ProgressDto>,
) -> CmdResult<Option<RoundFileSavedDto>> {
    let name = pingshen_store::rounds::get(&*state.db()?, round_id.0)?.name;
    let suggested = handout::suggested_name(&name);
    let ask = dialogs::save_file(&window, "保存评审包", &suggested, "评审台评审包", pingshen_handout::EXTENSION);
    let Some(path) = given_or(path, ask).await else { return Ok(None) };
    let exported_at = clock::now_iso();
    let mut progress = state.start_long_task(on_progress);
    state.with_own_connection(move |conn| handout::export(conn, round_id, &path, &exported_at, &mut |p| progress.step(p))).await.map(Some)
}

#[tauri::command]
pub async fn inspect_round_file(window: tauri::Window, path: Option<String>) -> CmdResult<Option<RoundFileInfoDto>> {
    let Some(path) = given_or(path, dialogs::pick_round_file(&window)).await else { return Ok(None) };
    off_ui_thread(move || handout::inspect(&path)).await.map(Some)
}

/// Opens a round file with progress, all or nothing; this machine then scores as `expert_code`.
#[tauri::command]
pub async fn open_round_file(
    state: State<'_, AppState>,
    path: String,
    expert_code: Option<String>,
    on_progress: Channel<ProgressDto>,
) -> CmdResult<OpenedRoundDto> {
    let path = dialogs::chosen(&path)?;
    let mut progress = state.start_long_task(on_progress);
    state.with_own_connection(move |conn| handout::open(conn, &path, expert_code.as_deref(), &mut |p| progress.step(p))).await
}

/// 取消: stops the running export or open; it then writes nothing.
#[tauri::command]
pub fn cancel_long_task(state: State<'_, AppState>) {
    state.cancel_long_task();
}

#[tauri::command]
pub fn choose_expert(state: State<'_, AppState>, round_id: RoundId, expert_id: ExpertId) -> CmdResult<()> {
    handout::choose_expert(&*state.db()?, round_id, expert_id)
}

/// The round file the app was started with, once (the page then offers to open it).
#[tauri::command]
pub fn take_pending_round_file(state: State<'_, AppState>) -> Option<String> {
    state.take_pending_round_file()
}

// ---- applications ----

#[tauri::command]
pub fn formal_checks(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<Vec<FormalCheckDto>> {
    packages::formal_checks(&*state.db()?, round_id)
}

#[tauri::command]
pub fn key_fields(state: State<'_, AppState>, application_id: ApplicationId) -> CmdResult<KeyFieldsDto> {
    packages::key_fields(&*state.db()?, application_id)
}

#[tauri::command]
pub fn enter_key_fields(state: State<'_, AppState>, application_id: ApplicationId, fields: KeyFieldsDto) -> CmdResult<()> {
    packages::enter_key_fields(&*state.db()?, application_id, &fields)
}

/// Imports an application package (a .zip or a folder) into the round, all or nothing; read off the UI
/// thread.
#[tauri::command]
pub async fn import_package(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
    folder: bool,
) -> CmdResult<Option<PackageImportDto>> {
    let Some(path) = given_or(path, dialogs::pick_package(&window, folder)).await else { return Ok(None) };
    let arrival = off_ui_thread(move || packages::read(&path)).await?;
    packages::add(&mut *state.db()?, round_id, arrival).map(Some)
}

// ---- the round's life cycle and the rubric library ----

/// 新建评审批次 with a rubric of the library.
#[tauri::command]
pub fn create_round(state: State<'_, AppState>, input: rounds::NewRoundInput) -> CmdResult<RoundDto> {
    rounds::create(&mut *state.db()?, &input)
}

/// Changes a round's name and settings (with a reason once a round file was handed out).
#[tauri::command]
pub fn update_round(state: State<'_, AppState>, round_id: RoundId, settings: RoundSettingsDto, reason: String) -> CmdResult<RoundDto> {
    rounds::update(&*state.db()?, round_id, &settings, &reason)
}

/// 结束评审.
#[tauri::command]
pub fn close_round(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<RoundDto> {
    rounds::close(&*state.db()?, round_id)
}

/// Opens a closed round again, with the reason.
#[tauri::command]
pub fn reopen_round(state: State<'_, AppState>, round_id: RoundId, reason: String) -> CmdResult<RoundDto> {
    rounds::reopen(&*state.db()?, round_id, &reason)
}

/// Deletes a round without submitted sheets, its name typed to confirm.
#[tauri::command]
pub fn delete_round(state: State<'_, AppState>, round_id: RoundId, typed_name: String) -> CmdResult<()> {
    rounds::delete(&*state.db()?, round_id, &typed_name)
}

#[tauri::command]
pub fn list_rubrics(state: State<'_, AppState>) -> CmdResult<Vec<rubrics::LibraryEntryDto>> {
    rubrics::list(&*state.db()?)
}

#[tauri::command]
pub fn rubric_detail(state: State<'_, AppState>, rubric: rubrics::RubricRef) -> CmdResult<RubricDto> {
    rubrics::detail(&*state.db()?, &rubric)
}

/// Imports a rubric TOML or .xlsx template into the library; every problem at once.
#[tauri::command]
pub async fn import_rubric(window: tauri::Window, state: State<'_, AppState>, path: Option<String>) -> CmdResult<Option<rubrics::LibraryEntryDto>> {
    let Some(path) = given_or(path, dialogs::pick_rubric(&window)).await else { return Ok(None) };
    rubrics::import(&*state.db()?, &path).map(Some)
}

#[tauri::command]
pub fn remove_rubric(state: State<'_, AppState>, rubric: rubrics::RubricRef) -> CmdResult<()> {
    rubrics::remove(&*state.db()?, &rubric)
}

/// Writes the .xlsx rubric template filled with a rubric of the library.
#[tauri::command]
pub async fn save_rubric_template(
    window: tauri::Window,
    state: State<'_, AppState>,
    rubric: rubrics::RubricRef,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let doc = rubrics::template(&*state.db()?, &rubric)?;
    dialogs::save(&window, path, Save::WORKBOOK_RUBRIC, &doc).await
}

// ---- backups ----

/// 备份本批次: one file with everything of the round, with progress; 取消 leaves no file.
#[tauri::command]
pub async fn backup_round(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    path: Option<String>,
    on_progress: Channel<ProgressDto>,
) -> CmdResult<Option<backups::BackupSavedDto>> {
    let suggested = backups::suggested_name(&*state.db()?, round_id)?;
    let ask = dialogs::save_file(&window, "备份本批次", &suggested, "评审台备份文件", pingshen_backup::EXTENSION);
    let Some(path) = given_or(path, ask).await else { return Ok(None) };
    let mut progress = state.start_long_task(on_progress);
    state.with_own_connection(move |conn| backups::write(conn, round_id, &path, &mut |p| progress.step(p))).await.map(Some)
}

/// What a backup file holds, before it is restored.
#[tauri::command]
pub async fn inspect_backup(window: tauri::Window, path: Option<String>) -> CmdResult<Option<backups::BackupInfoDto>> {
    let Some(path) = given_or(path, dialogs::pick_backup(&window)).await else { return Ok(None) };
    off_ui_thread(move || backups::inspect(&path)).await.map(Some)
}

/// Restores a backup (checked entry by entry), all or nothing, with progress.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: String, on_progress: Channel<ProgressDto>) -> CmdResult<backups::RestoredDto> {
    let path = dialogs::chosen(&path)?;
    let mut progress = state.start_long_task(on_progress);
    state.with_own_connection(move |conn| backups::restore(conn, &path, &mut |p| progress.step(p))).await
}

/// The automatic snapshots of this machine's database, newest first.
#[tauri::command]
pub fn list_snapshots(state: State<'_, AppState>) -> CmdResult<Vec<backups::SnapshotDto>> {
    backups::snapshots(&*state.db()?)
}

/// Puts an automatic snapshot in place of the database (the current one is set aside); where it went back.
#[tauri::command]
pub fn restore_snapshot(state: State<'_, AppState>, file: String) -> CmdResult<Option<String>> {
    state.with_database_closed(|db| backups::restore_snapshot(db, &file))
}

/// Ticks (with its reason) or unticks a 否定性指标 on a sheet; saved like a comment.
#[tauri::command]
pub fn set_veto(state: State<'_, AppState>, sheet_id: SheetId, code: String, ticked: bool, reason: String) -> CmdResult<VetoSavedDto> {
    scoring::set_veto(&*state.db()?, sheet_id, &code, ticked, &reason)
}

/// Saves the expert's 推荐意见 (none: not given) and 综合意见 on a sheet, as typed.
#[tauri::command]
pub fn set_opinion(
    state: State<'_, AppState>,
    sheet_id: SheetId,
    recommendation: Option<RecommendationDto>,
    opinion: String,
) -> CmdResult<OpinionSavedDto> {
    scoring::set_opinion(&*state.db()?, sheet_id, recommendation, &opinion)
}

/// The experts' 推荐意见 per application of a round (推荐 n / 不推荐 m / 未填 k over submitted sheets).
#[tauri::command]
pub fn recommendation_tally(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<Vec<overview::RecommendationTallyDto>> {
    overview::recommendation_tally(&*state.db()?, round_id)
}

/// The round's 复议, oldest first.
#[tauri::command]
pub fn list_reconsiderations(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<Vec<reconsiderations::ReconsiderationDto>> {
    reconsiderations::list(&*state.db()?, round_id)
}

/// 发起复议: the 组长 names the applications and, optionally, the points, with a reason.
#[tauri::command]
pub fn open_reconsideration(
    state: State<'_, AppState>,
    round_id: RoundId,
    args: reconsiderations::OpenReconsiderationArgs,
) -> CmdResult<reconsiderations::ReconsiderationDto> {
    reconsiderations::open(&*state.db()?, round_id, &args)
}

/// Staff type an expert's reconsidered scores from paper, each with its reason (all or nothing).
#[tauri::command]
pub fn reconsider_scores(
    state: State<'_, AppState>,
    round_id: RoundId,
    reconsideration_id: i64,
    sheet_id: SheetId,
    changes: Vec<reconsiderations::ReconsiderScoreArgs>,
) -> CmdResult<reconsiderations::ReconsiderationDto> {
    reconsiderations::change_on_paper(&*state.db()?, round_id, reconsideration_id, sheet_id, &changes)
}

/// The expert changes their own scores under the open 复议 (the named points, each with a reason).
#[tauri::command]
pub fn reconsider_own_scores(
    state: State<'_, AppState>,
    sheet_id: SheetId,
    reconsideration_id: i64,
    changes: Vec<reconsiderations::ReconsiderScoreArgs>,
) -> CmdResult<()> {
    scoring::reconsider(&*state.db()?, sheet_id, reconsideration_id, &changes)
}

/// 结束复议.
#[tauri::command]
pub fn close_reconsideration(
    state: State<'_, AppState>,
    round_id: RoundId,
    reconsideration_id: i64,
) -> CmdResult<Vec<reconsiderations::ReconsiderationDto>> {
    reconsiderations::close(&*state.db()?, round_id, reconsideration_id)
}

/// Records the panel's decision on a 否定性指标 of an application (维持 or 不予认定, the vote and the reason).
#[tauri::command]
pub fn resolve_veto(state: State<'_, AppState>, round_id: RoundId, application_id: ApplicationId, vote: overview::VetoVoteArgs) -> CmdResult<()> {
    overview::resolve_veto(&*state.db()?, round_id, application_id, &vote.as_vote())
}

/// 另存为 PDF: a paperwork preview's HTML printed by the web view, its pages numbered, saved where the user
/// chooses (the suggested name is `file_name` with .pdf).
#[tauri::command]
pub async fn save_pdf(
    app: tauri::AppHandle,
    window: tauri::Window,
    html: String,
    file_name: String,
    path: Option<String>,
) -> CmdResult<Option<String>> {
    let suggested = paperwork::pdf_file_name(&file_name);
    let ask = dialogs::save_file(&window, Save::PDF.title, &suggested, Save::PDF.kind, Save::PDF.extension);
    let Some(path) = given_or(path, ask).await else { return Ok(None) };
    let bytes = crate::pdf::html_to_pdf(&app, html).await?;
    dialogs::save(&window, Some(path.display().to_string()), Save::PDF, &paperwork::Document { file_name: suggested, bytes }).await
}

// ---- what the panel writes: the 组长, the 专家组意见 (评审意见表) and 实地考察 (实地考察记录表) ----

/// Makes an expert the round's 组长 (`expert_id` null: no 组长).
#[tauri::command]
pub fn set_leader(state: State<'_, AppState>, round_id: RoundId, expert_id: Option<ExpertId>) -> CmdResult<()> {
    panel::set_leader(&*state.db()?, round_id, expert_id)
}

#[tauri::command]
pub fn panel_opinions(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<panel::PanelOpinionsDto> {
    panel::opinions(&*state.db()?, round_id)
}

#[tauri::command]
pub fn save_panel_opinion(
    state: State<'_, AppState>,
    round_id: RoundId,
    application_id: ApplicationId,
    opinion: panel::OpinionInput,
) -> CmdResult<()> {
    panel::save_opinion(&*state.db()?, round_id, application_id, &opinion)
}

/// The 评审意见表 as HTML, for the print preview.
#[tauri::command]
pub fn opinions_preview(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<String> {
    panel::opinions_preview(&*state.db()?, round_id, &clock::today_zh())
}

/// Writes the 评审意见表 (HTML, .xlsx, .docx) into a folder.
#[tauri::command]
pub async fn export_opinions(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    dir: Option<String>,
) -> CmdResult<Option<Vec<String>>> {
    dialogs::export_to_folder(&window, dir, || panel::opinion_documents(&*state.db()?, round_id, &clock::today_zh())).await
}

#[tauri::command]
pub fn site_visits(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<Vec<panel::SiteVisitDto>> {
    panel::visits(&*state.db()?, round_id)
}

/// Saves a 实地考察 (`visit_id` null: a new one); its id back.
#[tauri::command]
pub fn save_site_visit(
    state: State<'_, AppState>,
    round_id: RoundId,
    application_id: ApplicationId,
    visit_id: Option<SiteVisitId>,
    visit: panel::VisitInput,
) -> CmdResult<i64> {
    panel::save_visit(&*state.db()?, round_id, application_id, visit_id, &visit)
}

#[tauri::command]
pub fn delete_site_visit(state: State<'_, AppState>, round_id: RoundId, visit_id: SiteVisitId) -> CmdResult<()> {
    panel::delete_visit(&*state.db()?, round_id, visit_id)
}

/// Proposes a 不属实 finding as a 否定性指标 for the panel's vote.
#[tauri::command]
pub fn propose_visit_veto(state: State<'_, AppState>, round_id: RoundId, finding_id: FindingId, code: String) -> CmdResult<()> {
    panel::propose_veto(&*state.db()?, round_id, finding_id, &code)
}

/// The 实地考察记录表 as HTML, for the print preview.
#[tauri::command]
pub fn visits_preview(state: State<'_, AppState>, round_id: RoundId) -> CmdResult<String> {
    panel::visits_preview(&*state.db()?, round_id, &clock::today_zh())
}

/// Writes the 实地考察记录表 (HTML, .docx) into a folder.
#[tauri::command]
pub async fn export_visits(
    window: tauri::Window,
    state: State<'_, AppState>,
    round_id: RoundId,
    dir: Option<String>,
) -> CmdResult<Option<Vec<String>>> {
    dialogs::export_to_folder(&window, dir, || panel::visit_documents(&*state.db()?, round_id, &clock::today_zh())).await
}
