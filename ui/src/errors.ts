// What went wrong, shown the same way everywhere: a command's error arrives as `{ kind, message, details }`
// with a Chinese message that says what to do; anything else thrown is shown as best it can be.
import { ElMessage } from 'element-plus'
import type { CommandError } from './ipc/bindings'

/** A command's error: `{ kind, message }` with a Chinese message. */
export function isCommandError(e: unknown): e is CommandError {
  return typeof e === 'object' && e !== null && 'kind' in e && 'message' in e
}

/** The message to show for anything a command threw. */
export function errorMessage(e: unknown): string {
  if (isCommandError(e)) return e.message
  if (typeof e === 'string') return e
  return '操作失败：' + String(e)
}

/** Shows what went wrong as an error message. */
export function reportError(e: unknown): void {
  ElMessage.error(errorMessage(e))
}

/** Runs `f`; when it throws, shows the error and gives `undefined`. Never throws itself. */
export async function attempt<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f()
  } catch (e) {
    reportError(e)
    return undefined
  }
}

/** Whether an `ElMessageBox` was dismissed (取消, the close button or Esc) rather than something failing. */
export function isDismissed(e: unknown): boolean {
  return e === 'cancel' || e === 'close'
}

/**
 * What stands between a sheet and its submission, one entry per problem, from a refused submit (`NotReady`):
 * the error's `details` (never a message taken apart); the message alone when it has none.
 */
export function submitProblems(err: CommandError): string[] {
  return err.details.length > 0 ? err.details : [err.message]
}
