import { computed, reactive, ref } from 'vue'
import type { DeductionSavedDto, MissingDto, OpinionSavedDto, RecommendationDto, ScoreSavedDto, ScoringDto, TotalsDto, VetoSavedDto } from '../ipc/bindings'
import { errorMessage, reportError } from '../errors'
import { useSaveQueue } from './useSaveQueue'
import { useUndo, type Change, type OpinionState, type VetoState } from './useUndo'

// One expert's sheet on the scoring screen: what is typed in each field, what the database holds (the last
// acknowledged save), and the saves between the two. A score is saved after a pause in typing or when the
// field is left; a comment, the deduction or a 否定性指标's reason after a pause; ticking a 否定性指标 at once. Every acknowledged change goes on the undo stack,
// and an undo saves the value before it (without going on the stack itself).

/** The commands the sheet saves with (the IPC client's, or fakes in tests). */
export interface SheetCommands {
  setScore(sheetId: number, item: string, value: string | null): Promise<ScoreSavedDto>
  /** The sheet's checklist back. */
  setComment(sheetId: number, item: string, comment: string): Promise<MissingDto[]>
  setDeduction(sheetId: number, value: string | null, reason: string): Promise<DeductionSavedDto>
  /** Ticks (with its reason) or unticks a 否定性指标; the sheet's proposals and checklist back. */
  setVeto(sheetId: number, code: string, ticked: boolean, reason: string): Promise<VetoSavedDto>
  /** Saves the 推荐意见 (null: not given) and 综合意见; what is stored and the checklist back. */
  setOpinion(sheetId: number, recommendation: RecommendationDto | null, opinion: string): Promise<OpinionSavedDto>
}

/** The pauses (ms) after which what is being typed is saved. */
export const SCORE_PAUSE = 350
export const TEXT_PAUSE = 400

export function useScoreSheet(commands: SheetCommands) {
  let sheetId: number | null = null
  const totals = ref<TotalsDto | null>(null)
  /** What is in each score field, as typed. */
  const typed = reactive<Record<string, string>>({})
  /** What the database holds for each item (the last acknowledged save). */
  const saved = reactive<Record<string, string | null>>({})
  const comments = reactive<Record<string, string>>({})
  const bands = reactive<Record<string, string | null>>({})
  const needsComment = reactive<Record<string, boolean>>({})
  const errors = reactive<Record<string, string>>({})
  const deduction = reactive({ value: '', reason: '', error: '' })
  /** The comments and the deduction as last acknowledged (what an undo goes back to). */
  const savedComments = reactive<Record<string, string>>({})
  const savedDeduction = reactive({ value: '', reason: '' })
  /** Every 否定性指标 of the rubric on the sheet, by code: ticked or not, and the reason as typed. A reason
   * typed for a veto that is then unticked stays on screen (ticking it again brings it back). */
  const vetoes = reactive<Record<string, VetoState>>({})
  /** The vetoes as last acknowledged. */
  const savedVetoes = reactive<Record<string, VetoState>>({})
  /** The 推荐意见 and 综合意见 as on screen, and as last acknowledged. */
  const opinion = reactive<OpinionState>({ recommendation: null, text: '' })
  const savedOpinion = reactive<OpinionState>({ recommendation: null, text: '' })
  /** Characters of the 综合意见 as counted against the round's limit (blanks around it not counted). */
  const opinionChars = computed(() => [...opinion.text.trim()].length)
  /** What is still missing before the sheet can be submitted (from the core, after every save). */
  const checklist = ref<MissingDto[]>([])
  /** Whether a save was refused (the refused input is still on screen). */
  const failed = ref(false)

  const queue = useSaveQueue()
  const undoStack = useUndo<Change>()
  const pending = queue.pending
  // 已保存 only when no save is pending and the last one of each input succeeded.
  const saveState = computed(() => (pending.value > 0 ? '保存中…' : failed.value ? '有未保存的输入' : '已保存'))

  /** Takes the sheet as opened (or reopened after a submit); the undo stack starts empty. */
  function reset(d: ScoringDto) {
    sheetId = d.sheetId
    totals.value = d.totals
    for (const i of d.rubric.groups.flatMap((g) => g.items)) {
      const s = d.scores.find((x) => x.item === i.code)
      typed[i.code] = s?.value ?? ''
      saved[i.code] = s?.value ?? null
      comments[i.code] = s?.comment ?? ''
      bands[i.code] = s?.band ?? null
      needsComment[i.code] = s?.commentRequired ?? false
      errors[i.code] = ''
    }
    deduction.value = d.deduction?.value ?? ''
    deduction.reason = d.deduction?.reason ?? ''
    for (const [k, v] of Object.entries(comments)) savedComments[k] = v
    savedDeduction.value = deduction.value
    savedDeduction.reason = deduction.reason
    for (const k of Object.keys(vetoes)) delete vetoes[k]
    for (const k of Object.keys(savedVetoes)) delete savedVetoes[k]
    for (const v of d.rubric.vetoes) {
      const p = d.vetoes.find((x) => x.code === v.code)
      vetoes[v.code] = { ticked: !!p, reason: p?.reason ?? '' }
      savedVetoes[v.code] = { ...vetoes[v.code] }
    }
    opinion.recommendation = d.recommendation
    opinion.text = d.opinion
    Object.assign(savedOpinion, opinion)
    checklist.value = d.checklist
    undoStack.clear()
  }

  /** Saves the 推荐意见 and 综合意见 as on screen now; `undoable`: goes on the stack. */
  function saveOpinion(undoable = true): Promise<void> {
    queue.cancel('opinion')
    return queue.enqueue(async () => {
      if (sheetId === null) return
      const after = { ...opinion }
      try {
        const r = await commands.setOpinion(sheetId, after.recommendation, after.text)
        checklist.value = r.checklist
        const before = { ...savedOpinion }
        if (undoable && (before.recommendation !== after.recommendation || before.text !== after.text)) {
          undoStack.push({ kind: 'opinion', before, after })
        }
        Object.assign(savedOpinion, after)
      } catch (e) {
        failed.value = true
        reportError(e)
      }
    })
  }

  /** 推荐 / 不推荐 chosen: saved at once (with the 综合意见 typed so far). */
  function setRecommendation(r: RecommendationDto | null): Promise<void> {
    opinion.recommendation = r
    return saveOpinion()
  }

  /** The 综合意见 typed into: saved after a pause. */
  function inputOpinion(text: string) {
    opinion.text = text
    queue.debounce('opinion', TEXT_PAUSE, () => void saveOpinion())
  }

  /** Saves the item's field now (unless the database holds that already); `undoable`: goes on the stack. */
  function saveItem(code: string, undoable = true): Promise<void> {
    queue.cancel(`score:${code}`)
    const value = (typed[code] ?? '').trim()
    if ((saved[code] ?? '') === value && !errors[code]) return Promise.resolve()
    return queue.enqueue(async () => {
      if (sheetId === null) return
      try {
        const r = await commands.setScore(sheetId, code, value === '' ? null : value)
        const before = saved[code] ?? null
        if (undoable && before !== r.value) undoStack.push({ kind: 'score', item: code, before, after: r.value })
        saved[code] = r.value
        checklist.value = r.checklist
        bands[code] = r.band
        needsComment[code] = r.commentRequired
        totals.value = r.totals
        errors[code] = ''
        failed.value = Object.values(errors).some((x) => x)
      } catch (e) {
        errors[code] = errorMessage(e)
        failed.value = true
      }
    })
  }

  /** A score field typed into: saved after a pause. */
  function inputScore(code: string, v: string) {
    typed[code] = v
    queue.debounce(`score:${code}`, SCORE_PAUSE, () => saveItem(code))
  }

  /** A value put in a score field at once (a band): saved now. */
  function setScore(code: string, v: string) {
    typed[code] = v
    return saveItem(code)
  }

  function saveComment(code: string, undoable = true): Promise<void> {
    queue.cancel(`comment:${code}`)
    const text = comments[code] ?? ''
    return queue.enqueue(async () => {
      if (sheetId === null) return
      try {
        checklist.value = await commands.setComment(sheetId, code, text)
        const before = savedComments[code] ?? ''
        if (undoable && before !== text) undoStack.push({ kind: 'comment', item: code, before, after: text })
        savedComments[code] = text
      } catch (e) {
        failed.value = true
        reportError(e)
      }
    })
  }

  /** A comment typed into: saved after a pause. */
  function inputComment(code: string, text: string) {
    comments[code] = text
    queue.debounce(`comment:${code}`, TEXT_PAUSE, () => saveComment(code))
  }

  /**
   * Saves the deduction (value and reason) after a pause, or `now`. The job reads the fields when it runs, so
   * the save carries what is in them then.
   */
  function saveDeduction(now = false, undoable = true): Promise<void> {
    const run = () =>
      queue.enqueue(async () => {
        if (sheetId === null) return
        try {
          const v = deduction.value.trim()
          const after = { value: deduction.value, reason: deduction.reason }
          const r = await commands.setDeduction(sheetId, v === '' || v === '0' ? null : v, after.reason)
          checklist.value = r.checklist
          const before = { value: savedDeduction.value, reason: savedDeduction.reason }
          if (undoable && (before.value !== after.value || before.reason !== after.reason)) undoStack.push({ kind: 'deduction', before, after })
          Object.assign(savedDeduction, after)
          deduction.error = ''
        } catch (e) {
          deduction.error = errorMessage(e)
          failed.value = true
        }
      })
    if (!now) {
      queue.debounce('deduction', TEXT_PAUSE, () => void run())
      return Promise.resolve()
    }
    queue.cancel('deduction')
    return run()
  }

  /** Saves a 否定性指标 as it is on screen (ticked or not, with its reason) now; `undoable`: goes on the stack. */
  function saveVeto(code: string, undoable = true): Promise<void> {
    queue.cancel(`veto:${code}`)
    return queue.enqueue(async () => {
      const v = vetoes[code]
      if (sheetId === null || !v) return
      const after = { ...v }
      try {
        const r = await commands.setVeto(sheetId, code, after.ticked, after.ticked ? after.reason : '')
        checklist.value = r.checklist
        const before = savedVetoes[code] ?? { ticked: false, reason: '' }
        const changed = before.ticked !== after.ticked || (after.ticked && before.reason !== after.reason)
        if (undoable && changed) undoStack.push({ kind: 'veto', code, before: { ...before }, after })
        savedVetoes[code] = after
      } catch (e) {
        failed.value = true
        reportError(e)
      }
    })
  }

  /** A 否定性指标 ticked or unticked: saved at once, with the reason typed so far. */
  function tickVeto(code: string, ticked: boolean): Promise<void> {
    const v = (vetoes[code] ??= { ticked: false, reason: '' })
    v.ticked = ticked
    return saveVeto(code)
  }

  /** A 否定性指标's reason typed into: saved after a pause (only while it is ticked). */
  function inputVetoReason(code: string, text: string) {
    const v = (vetoes[code] ??= { ticked: false, reason: '' })
    v.reason = text
    if (v.ticked) queue.debounce(`veto:${code}`, TEXT_PAUSE, () => void saveVeto(code))
  }

  /** Saves whatever is still waiting for its pause (scores, then comments, the deduction, the vetoes' reasons), and waits for every save. */
  function flush(): Promise<void> {
    return queue.flush(['score:', 'comment:', 'deduction', 'veto:', 'opinion'])
  }

  /** Takes the newest change back (after saving whatever waits for its pause); the change, or null when none. */
  async function undo(): Promise<Change | null> {
    await flush()
    const c = undoStack.pop()
    if (!c) return null
    if (c.kind === 'score') {
      typed[c.item] = c.before ?? ''
      await saveItem(c.item, false)
    } else if (c.kind === 'comment') {
      comments[c.item] = c.before
      await saveComment(c.item, false)
    } else if (c.kind === 'veto') {
      vetoes[c.code] = { ...c.before }
      await saveVeto(c.code, false)
    } else if (c.kind === 'opinion') {
      Object.assign(opinion, c.before)
      await saveOpinion(false)
    } else {
      deduction.value = c.before.value
      deduction.reason = c.before.reason
      await saveDeduction(true, false)
    }
    return c
  }

  return {
    totals,
    typed,
    saved,
    comments,
    bands,
    needsComment,
    errors,
    deduction,
    vetoes,
    opinion,
    opinionChars,
    checklist,
    failed,
    pending,
    saveState,
    undoStack,
    reset,
    saveItem,
    inputScore,
    setScore,
    inputComment,
    saveDeduction,
    tickVeto,
    inputVetoReason,
    setRecommendation,
    inputOpinion,
    undo,
    flush,
  }
}
