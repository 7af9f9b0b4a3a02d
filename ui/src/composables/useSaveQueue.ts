import { computed, ref, type ComputedRef } from 'vue'

// Saves run one after another, in the order they were made: a later value for an item is never overtaken
// by an earlier one, however long the earlier one takes. A save made while typing first waits for a pause,
// per key (a score, a comment, the deduction): typing again for the same key starts the pause again, and
// only the last save is made. `flush` makes every waiting save at once and waits until all are done (before
// an undo, a submit, leaving the page).

export interface SaveQueue {
  /** Saves made and not finished yet (a save waiting for its pause is not made yet). */
  pending: ComputedRef<number>
  /** Runs `job` once every save made before it has finished (whether it failed or not). */
  enqueue(job: () => Promise<void>): Promise<void>
  /** Calls `save` after `delay` ms, unless `key` is called for again first (then only that one counts). */
  debounce(key: string, delay: number, save: () => void): void
  /** Forgets the save waiting for `key`'s pause (it is being made now, or no longer wanted). */
  cancel(key: string): void
  /**
   * Makes every save still waiting for its pause now, then waits for every save made so far. The waiting
   * saves are made in the order of `order` (keys starting with its first entry first, …; the rest after),
   * each group in the order its keys began to wait.
   */
  flush(order?: string[]): Promise<void>
}

export function useSaveQueue(): SaveQueue {
  let tail: Promise<void> = Promise.resolve()
  const running = ref(0)
  const waiting = new Map<string, { timer: ReturnType<typeof setTimeout>; save: () => void }>()

  function enqueue(job: () => Promise<void>): Promise<void> {
    running.value++
    const done = tail.then(job).finally(() => running.value--)
    // The next save runs after this one even if it failed.
    tail = done.catch(() => {})
    return done
  }

  function cancel(key: string) {
    const w = waiting.get(key)
    if (!w) return
    clearTimeout(w.timer)
    waiting.delete(key)
  }

  function debounce(key: string, delay: number, save: () => void) {
    const w = waiting.get(key)
    if (w) clearTimeout(w.timer)
    const timer = setTimeout(() => {
      waiting.delete(key)
      save()
    }, delay)
    // A key that waits already keeps its place.
    waiting.set(key, { timer, save })
  }

  async function flush(order: string[] = []) {
    const rank = (key: string) => {
      const i = order.findIndex((prefix) => key.startsWith(prefix))
      return i < 0 ? order.length : i
    }
    // A stable sort: within a group, the order the keys began to wait.
    for (const [key, w] of [...waiting].sort(([a], [b]) => rank(a) - rank(b))) {
      cancel(key)
      w.save()
    }
    await tail
  }

  return { pending: computed(() => running.value), enqueue, debounce, cancel, flush }
}
