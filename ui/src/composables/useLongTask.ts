// A long job with progress and 取消 (a round file, a backup): the state the progress dialog shows, and a
// runner that gives the job its progress channel.
import { reactive } from 'vue'
import type { ProgressDto } from '../ipc/bindings'
import { cancelLongTask, Channel } from '../ipc/client'

export function useLongTask(cancel: () => Promise<unknown> = cancelLongTask) {
  const state = reactive({ running: false, progress: null as ProgressDto | null, cancelling: false })

  /** Runs `job` with a fresh progress channel; the dialog shows from the first report to the end. */
  async function run<T>(job: (channel: Channel<ProgressDto>) => Promise<T>): Promise<T> {
    const channel = new Channel<ProgressDto>()
    channel.onmessage = (p) => {
      state.running = true
      state.progress = p
    }
    state.progress = null
    state.cancelling = false
    try {
      return await job(channel)
    } finally {
      state.running = false
    }
  }

  /** 取消: the job stops at its next step and writes nothing. */
  async function stop() {
    state.cancelling = true
    await cancel()
  }

  return { state, run, stop }
}
