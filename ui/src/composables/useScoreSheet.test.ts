import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const shown = vi.hoisted(() => ({ errors: [] as string[] }))
vi.mock('element-plus', () => ({ ElMessage: { error: (m: string) => shown.errors.push(m) } }))

import type { DeductionSavedDto, MissingDto, OpinionSavedDto, ScoreSavedDto, ScoringDto, VetoSavedDto } from '../ipc/bindings'
import { SCORE_PAUSE, TEXT_PAUSE, useScoreSheet, type SheetCommands } from './useScoreSheet'

/** A sheet of three points (1.1, 1.2 in group 1; 2.1 in group 2), 1.1 scored 4 already; two veto items, V2
 * ticked already with its reason. */
function opened(): ScoringDto {
  const item = (code: string) => ({
    code,
    shortName: `点${code}`,
    text: '',
    points: '5',
    fields: [],
    keywords: [],
    bandValues: [],
  })
  return {
    sheetId: 7,
    roundName: '样例',
    expert: { id: 1, code: 'E01', name: '张建国', unit: '', title: '', role: 'member' },
    application: { id: 1, code: 'A01', name: '样例联合体' },
    rubric: {
      id: 'r',
      title: 't',
      total: '15',
      step: '0.5',
      fingerprint: '',
      bands: [],
      commentBelowPercent: 60,
      groups: [
        { code: '1', name: '一', points: '10', items: [item('1.1'), item('1.2')] },
        { code: '2', name: '二', points: '5', items: [item('2.1')] },
      ],
      deduction: { code: '7', name: '其他', text: '', cap: '5', fields: [] },
      vetoes: [
        { code: 'V1', text: '申报材料弄虚作假', effect: 'disqualify' },
        { code: 'V2', text: '近三年发生重大安全事故', effect: 'zero' },
      ],
    },
    form: { sections: [] },
    materials: [],
    scores: [{ item: '1.1', value: '4', comment: '', band: 'A', commentRequired: false }],
    deduction: null,
    vetoes: [{ code: 'V2', reason: '2022年发生事故' }],
    recommendation: null,
    opinion: '',
    opinionRules: { requireRecommendation: true, requireOpinion: true, opinionMaxChars: 10 },
    reconsideration: null,
    totals: { groups: [], total: '4', scored: 1, items: 3 },
    submitted: false,
    version: 0,
    submittedAt: null,
    checklist: [],
    pins: [],
  }
}

const missing = (item: string): MissingDto => ({ kind: 'score', item, veto: null, message: `观测点 ${item} 未评分` })
const vetoMissing = (code: string): MissingDto => ({ kind: 'vetoReason', item: null, veto: code, message: `否定性指标 ${code} 须写明理由` })

/** What a call to a fake command was. */
type Call = { cmd: string; args: unknown[] }

/**
 * Commands that store like the core (a score is normalised: "4.50" → "4.5"; "4.3" is off-step) and log every
 * call; `hold` makes the next setScore wait until its reply is released.
 */
function fakeCommands() {
  const calls: Call[] = []
  const held: Array<() => void> = []
  let holdNext = false
  const commands: SheetCommands = {
    async setScore(sheetId, item, value) {
      calls.push({ cmd: 'setScore', args: [sheetId, item, value] })
      if (holdNext) {
        holdNext = false
        await new Promise<void>((r) => held.push(r))
      }
      if (value === '4.3') throw { kind: 'InvalidScore', message: '得分须为 0.5 的整数倍' }
      const stored = value === null ? null : String(Number(value))
      const reply: ScoreSavedDto = {
        item,
        value: stored,
        band: stored === null ? null : 'B',
        commentRequired: stored !== null && Number(stored) < 3,
        totals: { groups: [], total: stored ?? '0', scored: 1, items: 3 },
        checklist: stored === null ? [missing(item)] : [],
      }
      return reply
    },
    async setComment(sheetId, item, comment) {
      calls.push({ cmd: 'setComment', args: [sheetId, item, comment] })
      return []
    },
    async setDeduction(sheetId, value, reason) {
      calls.push({ cmd: 'setDeduction', args: [sheetId, value, reason] })
      const reply: DeductionSavedDto = { deduction: value === null ? null : { value, reason }, checklist: [] }
      return reply
    },
    async setVeto(sheetId, code, ticked, reason) {
      calls.push({ cmd: 'setVeto', args: [sheetId, code, ticked, reason] })
      const reply: VetoSavedDto = {
        vetoes: ticked ? [{ code, reason }] : [],
        checklist: ticked && !reason.trim() ? [vetoMissing(code)] : [],
      }
      return reply
    },
    async setOpinion(sheetId, recommendation, opinion) {
      calls.push({ cmd: 'setOpinion', args: [sheetId, recommendation, opinion] })
      const checklist: MissingDto[] = []
      if (recommendation === null) checklist.push({ kind: 'recommendation', item: null, veto: null, message: '须填写推荐意见' })
      if (!opinion.trim()) checklist.push({ kind: 'opinion', item: null, veto: null, message: '须填写综合意见' })
      const reply: OpinionSavedDto = { recommendation, opinion, opinionChars: [...opinion.trim()].length, checklist }
      return reply
    },
  }
  return {
    commands,
    calls,
    /** The values setScore was called with, in order. */
    scores: () => calls.filter((c) => c.cmd === 'setScore').map((c) => c.args[2]),
    hold: () => (holdNext = true),
    release: () => held.shift()?.(),
  }
}

function sheetWith(fake: ReturnType<typeof fakeCommands>) {
  const sheet = useScoreSheet(fake.commands)
  sheet.reset(opened())
  return sheet
}

beforeEach(() => {
  vi.useFakeTimers()
  shown.errors = []
})
afterEach(() => {
  vi.useRealTimers()
})

describe('opening', () => {
  it('takes what the database holds', () => {
    const sheet = sheetWith(fakeCommands())
    expect(sheet.typed).toEqual({ '1.1': '4', '1.2': '', '2.1': '' })
    expect(sheet.saved).toEqual({ '1.1': '4', '1.2': null, '2.1': null })
    expect(sheet.bands['1.1']).toBe('A')
    expect(sheet.deduction).toEqual({ value: '', reason: '', error: '' })
    expect(sheet.saveState.value).toBe('已保存')
    expect(sheet.undoStack.size.value).toBe(0)
  })
})

describe('saving scores', () => {
  it('saves after a pause in typing, once, with the last value', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.inputScore('1.2', '3')
    await vi.advanceTimersByTimeAsync(200)
    sheet.inputScore('1.2', '3.')
    await vi.advanceTimersByTimeAsync(200)
    sheet.inputScore('1.2', '3.5')
    await vi.advanceTimersByTimeAsync(SCORE_PAUSE - 1)
    expect(fake.scores()).toEqual([])
    expect(sheet.saveState.value).toBe('已保存')
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.scores()).toEqual(['3.5'])
    await vi.advanceTimersByTimeAsync(0)
    expect(sheet.saved['1.2']).toBe('3.5')
    expect(sheet.totals.value?.total).toBe('3.5')
    await vi.advanceTimersByTimeAsync(2000)
    expect(fake.calls.length).toBe(1)
  })

  it('a slow earlier save is never overtaken by a later one for the same point', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    fake.hold()
    sheet.inputScore('1.2', '2')
    sheet.saveItem('1.2') // left the field: saved now (slow: its reply is held)
    sheet.inputScore('1.2', '4.5')
    sheet.saveItem('1.2') // the correction, made right after
    await vi.advanceTimersByTimeAsync(1000)
    // The correction waits for the first reply.
    expect(fake.scores()).toEqual(['2'])
    expect(sheet.saveState.value).toBe('保存中…')
    expect(sheet.pending.value).toBe(2)
    fake.release()
    await sheet.flush()
    expect(fake.scores()).toEqual(['2', '4.5'])
    expect(sheet.saved['1.2']).toBe('4.5')
    expect(sheet.typed['1.2']).toBe('4.5')
    expect(sheet.saveState.value).toBe('已保存')
  })

  it('does not save a value the database holds already', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.saveItem('1.1')
    sheet.inputScore('1.1', ' 4 ')
    await vi.advanceTimersByTimeAsync(SCORE_PAUSE)
    expect(fake.calls).toEqual([])
  })

  it('saves the value as the core stored it, and clearing a field saves null', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.setScore('1.2', '4.50')
    expect(fake.scores()).toEqual(['4.50'])
    expect(sheet.saved['1.2']).toBe('4.5')
    expect(sheet.bands['1.2']).toBe('B')
    sheet.inputScore('1.1', '')
    await sheet.flush()
    expect(fake.scores()).toEqual(['4.50', null])
    expect(sheet.saved['1.1']).toBeNull()
    expect(sheet.checklist.value).toEqual([missing('1.1')])
  })

  it('a refused score is shown in place and keeps the sheet unsaved until corrected', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.setScore('1.2', '4.3')
    expect(sheet.errors['1.2']).toBe('得分须为 0.5 的整数倍')
    expect(sheet.saved['1.2']).toBeNull()
    expect(sheet.failed.value).toBe(true)
    expect(sheet.saveState.value).toBe('有未保存的输入')
    // The same refused value is tried again when the field is left again (the error stands until it saves).
    await sheet.saveItem('1.2')
    expect(fake.scores()).toEqual(['4.3', '4.3'])
    await sheet.setScore('1.2', '4')
    expect(sheet.errors['1.2']).toBe('')
    expect(sheet.failed.value).toBe(false)
    expect(sheet.saveState.value).toBe('已保存')
    expect(sheet.undoStack.size.value).toBe(1)
  })

  it('flush saves what waits for its pause at once (scores, then comments, then the deduction), and only once', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.deduction.value = '1'
    sheet.deduction.reason = '事故'
    sheet.saveDeduction()
    sheet.inputComment('2.1', '佐证充分')
    sheet.inputScore('2.1', '5')
    expect(fake.calls).toEqual([])
    await sheet.flush()
    expect(fake.calls).toEqual([
      { cmd: 'setScore', args: [7, '2.1', '5'] },
      { cmd: 'setComment', args: [7, '2.1', '佐证充分'] },
      { cmd: 'setDeduction', args: [7, '1', '事故'] },
    ])
    expect(sheet.pending.value).toBe(0)
    await vi.advanceTimersByTimeAsync(5000)
    expect(fake.calls.length).toBe(3)
  })
})

describe('saving the deduction', () => {
  it('waits for a pause, saves now when asked, and saves no deduction for empty or 0', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.deduction.value = '2'
    sheet.saveDeduction()
    await vi.advanceTimersByTimeAsync(TEXT_PAUSE - 1)
    expect(fake.calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.calls).toEqual([{ cmd: 'setDeduction', args: [7, '2', ''] }])
    sheet.deduction.value = '0'
    await sheet.saveDeduction(true)
    sheet.deduction.value = ' '
    await sheet.saveDeduction(true)
    expect(fake.calls.map((c) => c.args[1])).toEqual(['2', null, null])
  })
})

describe('veto items (否定性指标)', () => {
  it('opens with what the sheet proposes', () => {
    const sheet = sheetWith(fakeCommands())
    expect(sheet.vetoes).toEqual({ V1: { ticked: false, reason: '' }, V2: { ticked: true, reason: '2022年发生事故' } })
  })

  it('ticking saves at once and asks for a reason; the reason is saved after a pause', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.tickVeto('V1', true)
    expect(fake.calls).toEqual([{ cmd: 'setVeto', args: [7, 'V1', true, ''] }])
    expect(sheet.checklist.value).toEqual([vetoMissing('V1')])
    sheet.inputVetoReason('V1', '合作')
    await vi.advanceTimersByTimeAsync(200)
    sheet.inputVetoReason('V1', '合作协议系伪造')
    await vi.advanceTimersByTimeAsync(TEXT_PAUSE - 1)
    expect(fake.calls.length).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.calls[1]).toEqual({ cmd: 'setVeto', args: [7, 'V1', true, '合作协议系伪造'] })
    expect(sheet.checklist.value).toEqual([])
    expect(sheet.saveState.value).toBe('已保存')
  })

  it('unticking saves no reason, keeps the typed one on screen, and a reason typed while unticked is not saved', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.tickVeto('V2', false)
    expect(fake.calls).toEqual([{ cmd: 'setVeto', args: [7, 'V2', false, ''] }])
    expect(sheet.vetoes.V2).toEqual({ ticked: false, reason: '2022年发生事故' })
    sheet.inputVetoReason('V2', '改写')
    await vi.advanceTimersByTimeAsync(TEXT_PAUSE * 2)
    expect(fake.calls.length).toBe(1)
    await sheet.tickVeto('V2', true)
    expect(fake.calls[1]).toEqual({ cmd: 'setVeto', args: [7, 'V2', true, '改写'] })
  })

  it('flush saves a reason still waiting for its pause, after the deduction', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.inputVetoReason('V2', '通报属实')
    sheet.deduction.value = '1'
    sheet.saveDeduction()
    await sheet.flush()
    expect(fake.calls.map((c) => c.cmd)).toEqual(['setDeduction', 'setVeto'])
    expect(fake.calls[1].args).toEqual([7, 'V2', true, '通报属实'])
  })

  it('undo takes a tick and a reason back', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.tickVeto('V1', true)
    sheet.inputVetoReason('V1', '伪造')
    await sheet.flush()
    expect(sheet.undoStack.last.value).toEqual({ kind: 'veto', code: 'V1', before: { ticked: true, reason: '' }, after: { ticked: true, reason: '伪造' } })
    await sheet.undo()
    expect(sheet.vetoes.V1).toEqual({ ticked: true, reason: '' })
    await sheet.undo()
    expect(sheet.vetoes.V1).toEqual({ ticked: false, reason: '' })
    expect(fake.calls.map((c) => c.args.slice(1))).toEqual([
      ['V1', true, ''],
      ['V1', true, '伪造'],
      ['V1', true, ''],
      ['V1', false, ''],
    ])
    expect(sheet.undoStack.size.value).toBe(0)
  })

  it('a refused veto is reported and leaves the sheet unsaved', async () => {
    const fake = fakeCommands()
    fake.commands.setVeto = async () => {
      throw { kind: 'Locked', message: '评分表已提交并锁定' }
    }
    const sheet = sheetWith(fake)
    await sheet.tickVeto('V1', true)
    expect(shown.errors).toEqual(['评分表已提交并锁定'])
    expect(sheet.failed.value).toBe(true)
    expect(sheet.undoStack.size.value).toBe(0)
  })
})

describe('undo', () => {
  it('takes a saved score back to what it was, without going on the stack itself', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.inputScore('1.2', '3')
    await sheet.flush()
    expect(sheet.undoStack.last.value).toEqual({ kind: 'score', item: '1.2', before: null, after: '3' })
    const c = await sheet.undo()
    expect(c).toEqual({ kind: 'score', item: '1.2', before: null, after: '3' })
    expect(fake.scores()).toEqual(['3', null])
    expect(sheet.typed['1.2']).toBe('')
    expect(sheet.saved['1.2']).toBeNull()
    expect(sheet.undoStack.size.value).toBe(0)
    expect(await sheet.undo()).toBeNull()
  })

  it('saves what was still being typed first, then takes that back', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.inputScore('1.1', '4.5')
    const c = await sheet.undo()
    expect(c).toEqual({ kind: 'score', item: '1.1', before: '4', after: '4.5' })
    expect(fake.scores()).toEqual(['4.5', '4'])
    expect(sheet.typed['1.1']).toBe('4')
    expect(sheet.saved['1.1']).toBe('4')
  })

  it('goes back one change at a time, newest first', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.setScore('1.2', '3')
    await sheet.setScore('1.2', '2')
    sheet.inputComment('1.2', '不足')
    await sheet.flush()
    expect(sheet.undoStack.size.value).toBe(3)
    expect(await sheet.undo()).toEqual({ kind: 'comment', item: '1.2', before: '', after: '不足' })
    expect(sheet.comments['1.2']).toBe('')
    expect(await sheet.undo()).toEqual({ kind: 'score', item: '1.2', before: '3', after: '2' })
    expect(sheet.typed['1.2']).toBe('3')
    expect(await sheet.undo()).toEqual({ kind: 'score', item: '1.2', before: null, after: '3' })
    expect(sheet.typed['1.2']).toBe('')
    expect(fake.calls.map((c) => `${c.cmd} ${c.args[2]}`)).toEqual([
      'setScore 3',
      'setScore 2',
      'setComment 不足',
      'setComment ',
      'setScore 3',
      'setScore null',
    ])
  })

  it('a save that changes nothing (the same value again) is not a change to undo', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.setScore('1.2', '3')
    await sheet.setScore('1.2', '3.0') // stored as 3: nothing changed
    expect(fake.scores()).toEqual(['3', '3.0'])
    expect(sheet.undoStack.size.value).toBe(1)
  })

  it('takes the deduction back, value and reason together', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    sheet.deduction.value = '1'
    sheet.deduction.reason = '实习安全事故'
    await sheet.saveDeduction(true)
    expect(sheet.undoStack.last.value).toEqual({
      kind: 'deduction',
      before: { value: '', reason: '' },
      after: { value: '1', reason: '实习安全事故' },
    })
    await sheet.undo()
    expect(sheet.deduction.value).toBe('')
    expect(sheet.deduction.reason).toBe('')
    expect(fake.calls.at(-1)).toEqual({ cmd: 'setDeduction', args: [7, null, ''] })
    expect(sheet.undoStack.size.value).toBe(0)
  })

  it('a refused comment is reported and leaves the sheet unsaved', async () => {
    const fake = fakeCommands()
    fake.commands.setComment = async () => {
      throw { kind: 'Locked', message: '评分表已提交，不能修改' }
    }
    const sheet = sheetWith(fake)
    sheet.inputComment('1.1', '好')
    await sheet.flush()
    expect(shown.errors).toEqual(['评分表已提交，不能修改'])
    expect(sheet.failed.value).toBe(true)
    expect(sheet.undoStack.size.value).toBe(0)
  })

  it('opening the sheet again empties the stack', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    await sheet.setScore('1.2', '3')
    sheet.reset(opened())
    expect(sheet.undoStack.size.value).toBe(0)
    expect(sheet.typed['1.2']).toBe('')
  })
})

describe('the 推荐意见 and 综合意见', () => {
  it('a choice saves at once, the text after a pause with its count, and an undo takes each back', async () => {
    const fake = fakeCommands()
    const sheet = sheetWith(fake)
    expect(sheet.opinion).toEqual({ recommendation: null, text: '' })
    await sheet.setRecommendation('recommend')
    expect(fake.calls).toEqual([{ cmd: 'setOpinion', args: [7, 'recommend', ''] }])
    expect(sheet.checklist.value.map((m) => m.kind)).toEqual(['opinion'])
    sheet.inputOpinion(' 建议')
    await vi.advanceTimersByTimeAsync(200)
    sheet.inputOpinion(' 建议推荐 ')
    expect(sheet.opinionChars.value).toBe(4)
    await vi.advanceTimersByTimeAsync(TEXT_PAUSE - 1)
    expect(fake.calls.length).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.calls[1]).toEqual({ cmd: 'setOpinion', args: [7, 'recommend', ' 建议推荐 '] })
    expect(sheet.checklist.value).toEqual([])
    const c = await sheet.undo()
    expect(c?.kind).toBe('opinion')
    expect(sheet.opinion).toEqual({ recommendation: 'recommend', text: '' })
    expect(fake.calls[2]).toEqual({ cmd: 'setOpinion', args: [7, 'recommend', ''] })
    await sheet.undo()
    expect(sheet.opinion.recommendation).toBe(null)
  })
})
