import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useSaveQueue } from './useSaveQueue'

/** A promise settled from outside: a save whose reply the test decides when to deliver. */
function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets every settled promise run its callbacks. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0))

describe('enqueue', () => {
  it('runs a later save only after a slower earlier one has finished', async () => {
    const q = useSaveQueue()
    const log: string[] = []
    const slow = deferred()
    q.enqueue(async () => {
      log.push('start 4')
      await slow.promise
      log.push('end 4')
    })
    const later = q.enqueue(async () => {
      log.push('start 4.5')
      log.push('end 4.5')
    })
    await settle()
    expect(log).toEqual(['start 4'])
    expect(q.pending.value).toBe(2)
    slow.resolve()
    await later
    expect(log).toEqual(['start 4', 'end 4', 'start 4.5', 'end 4.5'])
    expect(q.pending.value).toBe(0)
  })

  it('goes on after a failed save, and the failure reaches whoever waits for that save', async () => {
    const q = useSaveQueue()
    const ran: number[] = []
    const failing = q.enqueue(async () => {
      ran.push(1)
      throw new Error('refused')
    })
    const next = q.enqueue(async () => {
      ran.push(2)
    })
    await expect(failing).rejects.toThrow('refused')
    await next
    expect(ran).toEqual([1, 2])
    expect(q.pending.value).toBe(0)
  })
})

describe('debounce and flush', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('makes one save, the last, after a pause in the calls for a key', async () => {
    const q = useSaveQueue()
    const saves: string[] = []
    q.debounce('score:1.1', 350, () => saves.push('4'))
    await vi.advanceTimersByTimeAsync(300)
    q.debounce('score:1.1', 350, () => saves.push('4.'))
    await vi.advanceTimersByTimeAsync(300)
    q.debounce('score:1.1', 350, () => saves.push('4.5'))
    await vi.advanceTimersByTimeAsync(349)
    expect(saves).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(saves).toEqual(['4.5'])
    await vi.advanceTimersByTimeAsync(5000)
    expect(saves).toEqual(['4.5'])
  })

  it('keeps the pauses of different keys apart', async () => {
    const q = useSaveQueue()
    const saves: string[] = []
    q.debounce('score:1.1', 350, () => saves.push('1.1'))
    q.debounce('comment:1.1', 400, () => saves.push('comment 1.1'))
    q.debounce('score:1.2', 350, () => saves.push('1.2'))
    await vi.advanceTimersByTimeAsync(350)
    expect(saves).toEqual(['1.1', '1.2'])
    await vi.advanceTimersByTimeAsync(50)
    expect(saves).toEqual(['1.1', '1.2', 'comment 1.1'])
  })

  it('cancel forgets a waiting save', async () => {
    const q = useSaveQueue()
    const saves: string[] = []
    q.debounce('deduction', 400, () => saves.push('deduction'))
    q.cancel('deduction')
    q.cancel('never-waited')
    await vi.advanceTimersByTimeAsync(1000)
    expect(saves).toEqual([])
  })

  it('flush makes the waiting saves at once and waits for them and for those already running', async () => {
    const q = useSaveQueue()
    const log: string[] = []
    const running = deferred()
    q.enqueue(async () => {
      await running.promise
      log.push('running done')
    })
    q.debounce('score:1.2', 350, () => {
      void q.enqueue(async () => {
        log.push('1.2 saved')
      })
    })
    let flushed = false
    const f = q.flush().then(() => (flushed = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(flushed).toBe(false)
    expect(q.pending.value).toBe(2)
    running.resolve()
    await f
    expect(log).toEqual(['running done', '1.2 saved'])
    // Its pause was cut short: it is not made a second time when the pause would have ended.
    await vi.advanceTimersByTimeAsync(1000)
    expect(log).toEqual(['running done', '1.2 saved'])
    expect(q.pending.value).toBe(0)
  })

  it('flush makes them in the order asked for, each group in the order its keys began to wait', async () => {
    const q = useSaveQueue()
    const made: string[] = []
    const wait = (key: string) => q.debounce(key, 350, () => made.push(key))
    wait('deduction')
    wait('comment:1.1')
    wait('score:1.2')
    wait('other')
    wait('score:1.1')
    wait('score:1.2') // typed again: keeps its place
    await q.flush(['score:', 'comment:', 'deduction'])
    expect(made).toEqual(['score:1.2', 'score:1.1', 'comment:1.1', 'deduction', 'other'])
  })

  it('flush with nothing waiting resolves at once', async () => {
    const q = useSaveQueue()
    await expect(q.flush()).resolves.toBeUndefined()
    expect(q.pending.value).toBe(0)
  })
})
