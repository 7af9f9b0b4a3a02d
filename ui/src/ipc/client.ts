// The only place that calls `invoke`: one typed function per command. Types come from bindings.ts, which is
// generated from the Rust types; this file only names the commands and their arguments.
import { Channel, invoke } from '@tauri-apps/api/core'
import type {
  AppInfo,
  LineDto,
  ListDocument,
  PreviewDto,
  PublicityDto,
  RecommendationListDto,
  TieDecisionArgs,
  ApplicationStatusDto,
  ConsolidationDto,
  PaperImportDto,
  ScoreFileImportDto,
  ScoreFileSavedDto,
  SettingsDto,
  CompareSideDto,
  FormalCheckDto,
  HitDto,
  KeyFieldsDto,
  OpenedRoundDto,
  PackageImportDto,
  PinDto,
  ProgressDto,
  RoundFileInfoDto,
  RoundFileSavedDto,
  DeclarationDto,
  DeclaredDto,
  ExpertAdminDto,
  ExpertImportDto,
  ExpertInput,
  DeductionSavedDto,
  MissingDto,
  RoundDetailDto,
  RoundDto,
  ScoreSavedDto,
  ScoringDto,
  LibraryEntryDto,
  NewRoundInput,
  RoundSettingsDto,
  RubricDto,
  RubricRef,
  BackupInfoDto,
  BackupSavedDto,
  RestoredDto,
  SnapshotDto,
  VetoSavedDto,
  VetoVoteArgs,
  OpinionSavedDto,
  RecommendationDto,
  RecommendationTallyDto,
  ReconsiderationDto,
  OpenReconsiderationArgs,
  ReconsiderScoreArgs,
  OpinionInput,
  PanelOpinionsDto,
  SiteVisitDto,
  VisitInput,
} from './bindings'

export const appInfo = () => invoke<AppInfo>('app_info')
export const listRounds = () => invoke<RoundDto[]>('list_rounds')
export const createSampleRound = () => invoke<RoundDto>('create_sample_round')
export const getRound = (roundId: number) => invoke<RoundDetailDto>('get_round', { roundId })
export const listApplications = (roundId: number, expertId: number) =>
  invoke<ApplicationStatusDto[]>('list_applications', { roundId, expertId })
export const openScoring = (roundId: number, expertId: number, applicationId: number) =>
  invoke<ScoringDto>('open_scoring', { roundId, expertId, applicationId })
export const setScore = (sheetId: number, item: string, value: string | null) =>
  invoke<ScoreSavedDto>('set_score', { args: { sheetId, item, value } })
/** Saves a comment; the sheet's checklist back. */
export const setComment = (sheetId: number, item: string, comment: string) =>
  invoke<MissingDto[]>('set_comment', { sheetId, item, comment })
export const setDeduction = (sheetId: number, value: string | null, reason: string) =>
  invoke<DeductionSavedDto>('set_deduction', { sheetId, value, reason })
/** The same point in another of the expert's applications (refused for one they are recused from). */
export const compareItem = (roundId: number, expertId: number, applicationId: number, item: string) =>
  invoke<CompareSideDto>('compare_item', { roundId, expertId, applicationId, item })

export const consolidationOverview = (roundId: number) => invoke<ConsolidationDto>('consolidation_overview', { roundId })
/** `path` null: the user picks the file in the native dialog (null back when cancelled). */
export const importPaperScores = (roundId: number, path: string | null) =>
  invoke<PaperImportDto | null>('import_paper_scores', { roundId, path })
export const settleFlag = (applicationId: number, expert: string, item: string | null, panel: boolean, text: string) =>
  invoke<null>('settle_flag', { applicationId, expert, item, panel, text })
export const resolveDeduction = (
  roundId: number,
  applicationId: number,
  value: string,
  votesFor: number,
  votesAgainst: number,
  reason: string,
) => invoke<null>('resolve_deduction', { roundId, applicationId, value, votesFor, votesAgainst, reason })

export const summaryPreview = (roundId: number) => invoke<string>('summary_preview', { roundId })
/** 另存为 PDF of a paperwork preview's HTML (pages numbered); `path` null: the user picks where; null back when
 *  cancelled. Fails with kind `Unsupported` where the system's print dialog saves PDF instead. */
export const savePdf = (html: string, fileName: string, path: string | null) => invoke<string | null>('save_pdf', { html, fileName, path })
// ---- 推荐名单 ----
export const recommendation = (roundId: number) => invoke<RecommendationListDto>('recommendation', { roundId })
export const recommendationSetLine = (roundId: number, line: LineDto) =>
  invoke<RecommendationListDto>('recommendation_set_line', { roundId, line })
export const recommendationSetPublicity = (roundId: number, publicity: PublicityDto) =>
  invoke<RecommendationListDto>('recommendation_set_publicity', { roundId, publicity })
export const recommendationDecideTie = (roundId: number, decision: TieDecisionArgs) =>
  invoke<RecommendationListDto>('recommendation_decide_tie', { roundId, decision })
export const recommendationConfirm = (roundId: number) => invoke<RecommendationListDto>('recommendation_confirm', { roundId })
/** Reopens the confirmed list; the reason is required and logged. */
export const recommendationReopen = (roundId: number, reason: string) =>
  invoke<RecommendationListDto>('recommendation_reopen', { roundId, reason })
/** The 评审结果汇总表, 拟推荐名单 or 公示名单 as HTML, with its title and file name. */
export const recommendationPreview = (roundId: number, document: ListDocument) =>
  invoke<PreviewDto>('recommendation_preview', { roundId, document })

/** `dir` null: the user picks the folder (null back when cancelled); the written paths otherwise. */
export const exportPaperwork = (roundId: number, dir: string | null) => invoke<string[] | null>('export_paperwork', { roundId, dir })

/** Submits a sheet (locks it); the new version back. */
export const submitSheet = (sheetId: number) => invoke<number>('submit_sheet', { sheetId })
/** `path` null: the user picks where (null back when cancelled). */
export const exportScoreFile = (roundId: number, expertId: number, path: string | null) =>
  invoke<ScoreFileSavedDto | null>('export_score_file', { roundId, expertId, path })
/** The expert's printed 专家评分表 (HTML); `path` null: the user picks where (null back when cancelled); the written path otherwise. */
export const exportExpertSheets = (roundId: number, expertId: number, path: string | null) =>
  invoke<string | null>('export_expert_sheets', { roundId, expertId, path })
/** `paths` null: the user picks the files (null back when cancelled). */
export const importScoreFiles = (roundId: number, paths: string[] | null) =>
  invoke<ScoreFileImportDto[] | null>('import_score_files', { roundId, paths })

export const setConsolidationSettings = (roundId: number, settings: SettingsDto) =>
  invoke<null>('set_consolidation_settings', { roundId, settings })
/** `path` null: the user picks where (null back when cancelled); the written path otherwise. */
export const saveScoreTemplate = (roundId: number, path: string | null) => invoke<string | null>('save_score_template', { roundId, path })

export const setRecusal = (expertId: number, applicationId: number, recused: boolean, reason: string) =>
  invoke<null>('set_recusal', { expertId, applicationId, recused, reason })
export const reopenSheet = (sheetId: number, reason: string) => invoke<null>('reopen_sheet', { sheetId, reason })

// The expert list (staff) and the expert's own declaration.
export const listExperts = (roundId: number) => invoke<ExpertAdminDto[]>('list_experts', { roundId })
export const addExpert = (roundId: number, expert: ExpertInput) => invoke<number>('add_expert', { roundId, expert })
export const updateExpert = (expertId: number, expert: ExpertInput) => invoke<null>('update_expert', { expertId, expert })
export const removeExpert = (expertId: number) => invoke<null>('remove_expert', { expertId })
/** `path` null: the user picks the file (null back when cancelled). */
export const importExperts = (roundId: number, path: string | null) => invoke<ExpertImportDto | null>('import_experts', { roundId, path })
export const saveExpertTemplate = (path: string | null) => invoke<string | null>('save_expert_template', { path })
export const declaration = (roundId: number, expertId: number) => invoke<DeclarationDto>('declaration', { roundId, expertId })
export const signDeclaration = (expertId: number, declared: DeclaredDto[], statement: string) =>
  invoke<null>('sign_declaration', { expertId, declared, statement })
/** The printable 回避声明 and 承诺书 (HTML); `path` null: the user picks where. */
export const exportDeclaration = (roundId: number, expertId: number, path: string | null) =>
  invoke<string | null>('export_declaration', { roundId, expertId, path })
/** The round's printable 审计日志 (HTML); `path` null: the user picks where. */
export const exportAuditLog = (roundId: number, path: string | null) => invoke<string | null>('export_audit_log', { roundId, path })

// Round files (评审包). Progress arrives on a channel; `cancelLongTask` stops an export or an open.
export const exportRoundFile = (roundId: number, path: string | null, onProgress: Channel<ProgressDto>) =>
  invoke<RoundFileSavedDto | null>('export_round_file', { roundId, path, onProgress })
/** `path` null: the user picks the file (null back when cancelled). */
export const inspectRoundFile = (path: string | null) => invoke<RoundFileInfoDto | null>('inspect_round_file', { path })
export const openRoundFile = (path: string, expertCode: string | null, onProgress: Channel<ProgressDto>) =>
  invoke<OpenedRoundDto>('open_round_file', { path, expertCode, onProgress })
export const cancelLongTask = () => invoke<null>('cancel_long_task')
export const chooseExpert = (roundId: number, expertId: number) => invoke<null>('choose_expert', { roundId, expertId })
export const takePendingRoundFile = () => invoke<string | null>('take_pending_round_file')

export { Channel }

// Materials and evidence.
/** A material's bytes (only a material of the sheet's application). */
export const materialBytes = (sheetId: number, materialId: number) => invoke<ArrayBuffer>('material_bytes', { sheetId, materialId })
/** Pins a material page (with a passage) or a 推荐书 field to an item; the sheet's pins back. */
export const pinEvidence = (sheetId: number, item: string, target: { materialId: number; page: number } | { field: string }, passage: string) =>
  invoke<PinDto[]>('pin_evidence', {
    sheetId,
    item,
    materialId: 'materialId' in target ? target.materialId : null,
    page: 'page' in target ? target.page : null,
    field: 'field' in target ? target.field : null,
    passage,
  })
export const unpinEvidence = (sheetId: number, pinId: number) => invoke<PinDto[]>('unpin_evidence', { sheetId, pinId })
/** The 形式审查 of every application of a round. */
export const formalChecks = (roundId: number) => invoke<FormalCheckDto[]>('formal_checks', { roundId })
export const keyFields = (applicationId: number) => invoke<KeyFieldsDto>('key_fields', { applicationId })
export const enterKeyFields = (applicationId: number, fields: KeyFieldsDto) => invoke<null>('enter_key_fields', { applicationId, fields })
/** Full-text search over the sheet's application (推荐书 and materials), best first. */
export const searchSheet = (sheetId: number, query: string) => invoke<HitDto[]>('search_sheet', { sheetId, query })
/** Material pages that speak to an item (from the rubric's keywords), best first. */
export const evidenceSuggestions = (sheetId: number, item: string) => invoke<HitDto[]>('evidence_suggestions', { sheetId, item })
/** Imports an application package (a .zip, or a folder with `folder`); `path` null: the user picks it. */
export const importPackage = (roundId: number, path: string | null, folder: boolean) =>
  invoke<PackageImportDto | null>('import_package', { roundId, path, folder })

// ---- the round's life cycle and the rubric library ----

/** 新建评审批次 with a rubric of the library (frozen into the round now). */
export const createRound = (input: NewRoundInput) => invoke<RoundDto>('create_round', { input })
/** Changes the round's name and settings; `reason` is required once a round file was handed out. */
export const updateRound = (roundId: number, settings: RoundSettingsDto, reason: string) =>
  invoke<RoundDto>('update_round', { roundId, settings, reason })
/** 结束评审: the round becomes read-only. */
export const closeRound = (roundId: number) => invoke<RoundDto>('close_round', { roundId })
export const reopenRound = (roundId: number, reason: string) => invoke<RoundDto>('reopen_round', { roundId, reason })
/** Deletes a round without submitted sheets; `typedName` must be the round's name. */
export const deleteRound = (roundId: number, typedName: string) => invoke<null>('delete_round', { roundId, typedName })
export const listRubrics = () => invoke<LibraryEntryDto[]>('list_rubrics')
export const rubricDetail = (rubric: RubricRef) => invoke<RubricDto>('rubric_detail', { rubric })
/** Imports a rubric (TOML or the .xlsx template); `path` null: the user picks it (null back when cancelled). */
export const importRubric = (path: string | null) => invoke<LibraryEntryDto | null>('import_rubric', { path })
export const removeRubric = (rubric: RubricRef) => invoke<null>('remove_rubric', { rubric })
/** Writes the .xlsx rubric template filled with `rubric`; `path` null: the user picks where (null back when cancelled). */
export const saveRubricTemplate = (rubric: RubricRef, path: string | null) => invoke<string | null>('save_rubric_template', { rubric, path })

// ---- backups ----

/** 备份本批次; `path` null: the user picks where (null back when cancelled). */
export const backupRound = (roundId: number, path: string | null, onProgress: Channel<ProgressDto>) =>
  invoke<BackupSavedDto | null>('backup_round', { roundId, path, onProgress })
/** What a backup holds; `path` null: the user picks the file (null back when cancelled). */
export const inspectBackup = (path: string | null) => invoke<BackupInfoDto | null>('inspect_backup', { path })
/** Restores a backup (checked entry by entry), all or nothing. */
export const restoreBackup = (path: string, onProgress: Channel<ProgressDto>) => invoke<RestoredDto>('restore_backup', { path, onProgress })
/** The automatic snapshots of this machine's database, newest first. */
export const listSnapshots = () => invoke<SnapshotDto[]>('list_snapshots')
/** Puts a snapshot in place of the database; where the replaced one was set aside. */
export const restoreSnapshot = (file: string) => invoke<string | null>('restore_snapshot', { file })
// 否定性指标 (veto items).
/** Ticks (with the reason as typed so far) or unticks a veto item on a sheet; the sheet's proposals and checklist back. */
export const setVeto = (sheetId: number, code: string, ticked: boolean, reason: string) =>
  invoke<VetoSavedDto>('set_veto', { sheetId, code, ticked, reason })
/** Saves the expert's 推荐意见 (null: not given) and 综合意见 on a sheet, as typed. */
export const setOpinion = (sheetId: number, recommendation: RecommendationDto | null, opinion: string) =>
  invoke<OpinionSavedDto>('set_opinion', { sheetId, recommendation, opinion })
/** The experts' 推荐意见 per application of a round, over the submitted sheets. */
export const recommendationTally = (roundId: number) =>
  invoke<RecommendationTallyDto[]>('recommendation_tally', { roundId })
/** The round's 复议, oldest first. */
export const listReconsiderations = (roundId: number) => invoke<ReconsiderationDto[]>('list_reconsiderations', { roundId })
/** 发起复议. */
export const openReconsideration = (roundId: number, args: OpenReconsiderationArgs) =>
  invoke<ReconsiderationDto>('open_reconsideration', { roundId, args })
/** An expert's reconsidered scores typed from paper, each with its reason (all or nothing). */
export const reconsiderScores = (roundId: number, reconsiderationId: number, sheetId: number, changes: ReconsiderScoreArgs[]) =>
  invoke<ReconsiderationDto>('reconsider_scores', { roundId, reconsiderationId, sheetId, changes })
/** The expert's own change of scores under the open 复议 (the named points, each with a reason). */
export const reconsiderOwnScores = (sheetId: number, reconsiderationId: number, changes: ReconsiderScoreArgs[]) =>
  invoke<null>('reconsider_own_scores', { sheetId, reconsiderationId, changes })
/** 结束复议. */
export const closeReconsideration = (roundId: number, reconsiderationId: number) =>
  invoke<ReconsiderationDto[]>('close_reconsideration', { roundId, reconsiderationId })
/** Records the panel's decision on a veto item of an application (维持 or 不予认定, the vote, the reason). */
export const resolveVeto = (roundId: number, applicationId: number, vote: VetoVoteArgs) =>
  invoke<null>('resolve_veto', { roundId, applicationId, vote })

// What the panel writes: the 组长, the 专家组意见 (评审意见表) and 实地考察 (实地考察记录表).
/** Makes an expert the round's 组长 (null: no 组长). */
export const setLeader = (roundId: number, expertId: number | null) => invoke<null>('set_leader', { roundId, expertId })
export const panelOpinions = (roundId: number) => invoke<PanelOpinionsDto>('panel_opinions', { roundId })
/** Saves a new version of the 专家组意见 on an application (written by the round's 组长). */
export const savePanelOpinion = (roundId: number, applicationId: number, opinion: OpinionInput) =>
  invoke<null>('save_panel_opinion', { roundId, applicationId, opinion })
export const opinionsPreview = (roundId: number) => invoke<string>('opinions_preview', { roundId })
/** Writes the 评审意见表 (HTML, .xlsx, .docx) into a folder (`dir` null: the user picks it); the files written back. */
export const exportOpinions = (roundId: number, dir: string | null) => invoke<string[] | null>('export_opinions', { roundId, dir })
export const siteVisits = (roundId: number) => invoke<SiteVisitDto[]>('site_visits', { roundId })
/** Saves a 实地考察 (`visitId` null: a new one); its id back. */
export const saveSiteVisit = (roundId: number, applicationId: number, visitId: number | null, visit: VisitInput) =>
  invoke<number>('save_site_visit', { roundId, applicationId, visitId, visit })
export const deleteSiteVisit = (roundId: number, visitId: number) => invoke<null>('delete_site_visit', { roundId, visitId })
/** Proposes a 不属实 finding as one of the rubric's 否定性指标, for the panel's vote. */
export const proposeVisitVeto = (roundId: number, findingId: number, code: string) => invoke<null>('propose_visit_veto', { roundId, findingId, code })
export const visitsPreview = (roundId: number) => invoke<string>('visits_preview', { roundId })
/** Writes the 实地考察记录表 (HTML, .docx) into a folder; the files written back. */
export const exportVisits = (roundId: number, dir: string | null) => invoke<string[] | null>('export_visits', { roundId, dir })
