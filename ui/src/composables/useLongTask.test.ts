import { describe, expect, it, vi } from 'vitest'

vi.mock('../ipc/client', () => {
  class Channel<T> {
    onmessage: (p: T) => void = () => {}
  }
  return { Channel, cancelLongTask: vi.fn(async () => null) }
})

import { useLongTask } from './useLongTask'

describe('useLongTask', () => {
  it('shows the dialog from the first progress report and hides it at the end, also on failure', async () => {
    const { state, run } = useLongTask()
    const seen: boolean[] = []
    const result = await run(async (channel) => {
      seen.push(state.running)
      channel.onmessage({ done: 1, total: 3, stage: '正在写入' })
      seen.push(state.running)
      expect(state.progress?.stage).toBe('正在写入')
      return 42
    })
    expect(result).toBe(42)
    expect(seen).toEqual([false, true])
    expect(state.running).toBe(false)
    await expect(
      run(async (channel) => {
        channel.onmessage({ done: 0, total: 1, stage: 'x' })
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect(state.running).toBe(false)
  })

  it('cancels through the given function and marks the dialog as cancelling until the next run', async () => {
    const cancel = vi.fn(async () => null)
    const { state, run, stop } = useLongTask(cancel)
    await stop()
    expect(cancel).toHaveBeenCalledTimes(1)
    expect(state.cancelling).toBe(true)
    await run(async () => null)
    expect(state.cancelling).toBe(false)
  })
})
