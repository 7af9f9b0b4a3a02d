import { computed, shallowRef, triggerRef } from 'vue'

// The undo stack: acknowledged changes, newest last; Ctrl+Z (or 撤销) takes the newest one back. It keeps
// the last `limit` changes (older ones drop off).

/** A change to a sheet, as the database acknowledged it: what an undo goes back to and what it left. */
export type Change =
  | { kind: 'score'; item: string; before: string | null; after: string | null }
  | { kind: 'comment'; item: string; before: string; after: string }
  | { kind: 'deduction'; before: { value: string; reason: string }; after: { value: string; reason: string } }
  | { kind: 'veto'; code: string; before: VetoState; after: VetoState }
  | { kind: 'opinion'; before: OpinionState; after: OpinionState }

/** The expert's 推荐意见 (null: not given) and 综合意见 on the sheet. */
export type OpinionState = { recommendation: 'recommend' | 'notRecommend' | null; text: string }

/** A 否定性指标 on the sheet: ticked or not, and its reason as typed. */
export type VetoState = { ticked: boolean; reason: string }

/** A change in words, for the 撤销 button's tooltip and the message after an undo. */
export function describeChange(c: Change): string {
  if (c.kind === 'score') return `观测点 ${c.item} 得分 ${c.before ?? '（空）'} → ${c.after ?? '（空）'}`
  if (c.kind === 'comment') return `观测点 ${c.item} 的评语`
  if (c.kind === 'opinion') {
    const word = (r: OpinionState['recommendation']) => (r === 'recommend' ? '推荐' : r === 'notRecommend' ? '不推荐' : '（未填）')
    if (c.before.recommendation !== c.after.recommendation) return `推荐意见 ${word(c.before.recommendation)} → ${word(c.after.recommendation)}`
    return '综合意见'
  }
  if (c.kind === 'veto') {
    if (c.before.ticked === c.after.ticked) return `否定性指标 ${c.code} 的理由`
    return `否定性指标 ${c.code} ${c.after.ticked ? '勾选' : '取消勾选'}`
  }
  return `建议扣分 ${c.before.value || '（无）'} → ${c.after.value || '（无）'}`
}

export const UNDO_LIMIT = 100

export function useUndo<T>(limit = UNDO_LIMIT) {
  const stack = shallowRef<T[]>([])
  /** How many changes can be undone. */
  const size = computed(() => stack.value.length)
  /** The change an undo takes back next. */
  const last = computed<T | null>(() => stack.value[stack.value.length - 1] ?? null)

  function push(c: T) {
    stack.value.push(c)
    if (stack.value.length > limit) stack.value.shift()
    triggerRef(stack)
  }
  /** The newest change, taken off the stack; undefined when there is none. */
  function pop(): T | undefined {
    const c = stack.value.pop()
    triggerRef(stack)
    return c
  }
  function clear() {
    stack.value = []
  }

  return { size, last, push, pop, clear }
}
