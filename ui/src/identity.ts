// The expert of a laptop says who they are: one confirmation, wherever the choice is made (opening a round
// file, or the round page of a round whose expert was not chosen yet).
import { ElMessageBox } from 'element-plus'
import { titleAndUnit } from './format'

/** Asks the expert to confirm name, title, unit and code; whether they did. */
export async function confirmIdentity(e: { code: string; name: string; title: string; unit: string }, confirmButtonText: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(`请确认您的身份：${e.name}（${titleAndUnit(e)}），专家编号 ${e.code}。确认后本机将以该身份评分，开始评分后不能更换。`, '确认专家身份', {
      confirmButtonText,
      cancelButtonText: '返回',
      type: 'warning',
    })
    return true
  } catch {
    return false
  }
}
