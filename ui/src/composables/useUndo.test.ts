import { describe, expect, it } from 'vitest'
import { describeChange, UNDO_LIMIT, useUndo, type Change } from './useUndo'

const score = (item: string, before: string | null, after: string | null): Change => ({ kind: 'score', item, before, after })

describe('useUndo', () => {
  it('takes changes back newest first', () => {
    const u = useUndo<Change>()
    expect(u.size.value).toBe(0)
    expect(u.last.value).toBeNull()
    u.push(score('1.1', null, '4'))
    u.push(score('1.2', null, '3'))
    u.push(score('1.1', '4', '4.5'))
    expect(u.size.value).toBe(3)
    expect(u.last.value).toEqual(score('1.1', '4', '4.5'))
    expect(u.pop()).toEqual(score('1.1', '4', '4.5'))
    expect(u.pop()).toEqual(score('1.2', null, '3'))
    expect(u.last.value).toEqual(score('1.1', null, '4'))
    expect(u.pop()).toEqual(score('1.1', null, '4'))
    expect(u.pop()).toBeUndefined()
    expect(u.size.value).toBe(0)
  })

  it(`keeps the last ${UNDO_LIMIT} changes`, () => {
    expect(UNDO_LIMIT).toBe(100)
    const u = useUndo<number>()
    for (let i = 1; i <= 101; i++) u.push(i)
    expect(u.size.value).toBe(100)
    expect(u.last.value).toBe(101)
    const popped: number[] = []
    for (let c = u.pop(); c !== undefined; c = u.pop()) popped.push(c)
    expect(popped.length).toBe(100)
    expect(popped[0]).toBe(101)
    expect(popped[99]).toBe(2)
  })

  it('takes a smaller limit', () => {
    const u = useUndo<string>(2)
    u.push('a')
    u.push('b')
    u.push('c')
    expect(u.pop()).toBe('c')
    expect(u.pop()).toBe('b')
    expect(u.pop()).toBeUndefined()
  })

  it('clear empties it', () => {
    const u = useUndo<string>()
    u.push('a')
    u.clear()
    expect(u.size.value).toBe(0)
    expect(u.last.value).toBeNull()
  })
})

describe('describeChange', () => {
  it('words each kind of change', () => {
    expect(describeChange(score('2.3', null, '1.5'))).toBe('观测点 2.3 得分 （空） → 1.5')
    expect(describeChange(score('2.3', '1.5', null))).toBe('观测点 2.3 得分 1.5 → （空）')
    expect(describeChange({ kind: 'comment', item: '2.3', before: '', after: '章程未见' })).toBe('观测点 2.3 的评语')
    const veto = (a: boolean, b: boolean): Change => ({ kind: 'veto', code: 'V1', before: { ticked: a, reason: '' }, after: { ticked: b, reason: 'x' } })
    expect(describeChange(veto(false, true))).toBe('否定性指标 V1 勾选')
    expect(describeChange(veto(true, false))).toBe('否定性指标 V1 取消勾选')
    expect(describeChange(veto(true, true))).toBe('否定性指标 V1 的理由')
    expect(describeChange({ kind: 'deduction', before: { value: '', reason: '' }, after: { value: '1', reason: '事故' } })).toBe(
      '建议扣分 （无） → 1',
    )
    expect(describeChange({ kind: 'deduction', before: { value: '2', reason: 'x' }, after: { value: '', reason: '' } })).toBe(
      '建议扣分 2 → （无）',
    )
  })
})
