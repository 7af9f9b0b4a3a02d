import { computed, reactive } from 'vue'
import { ElMessage } from 'element-plus'
import type { ApplicationStatusDto, CompareSideDto, ItemDto } from '../ipc/bindings'
import { reportError } from '../errors'

// Side-by-side comparison of the point in focus with another of the expert's own applications (Ctrl+K): the
// expert picks which one; the one compared last stays picked while it can be compared.

/** The commands the comparison reads with (the IPC client's, or fakes in tests). */
export interface CompareCommands {
  /** The expert's applications in the round. */
  listApplications(): Promise<ApplicationStatusDto[]>
  /** The same point in another of the expert's applications. */
  compareItem(applicationId: number, item: string): Promise<CompareSideDto>
}

export function useCompare(commands: CompareCommands, currentApplicationId: () => number) {
  const compare = reactive({
    open: false,
    item: null as ItemDto | null,
    others: [] as ApplicationStatusDto[],
    otherId: null as number | null,
    other: null as CompareSideDto | null,
    loading: false,
  })
  const fields = computed(() => compare.item?.fields ?? [])

  /** Opens the comparison of `item`, with the application compared last or the first other one. */
  async function open(item: ItemDto) {
    compare.item = item
    try {
      compare.others = (await commands.listApplications()).filter((a) => a.id !== currentApplicationId() && a.state !== 'recused')
    } catch (e) {
      reportError(e)
      return
    }
    if (compare.others.length === 0) {
      ElMessage.info('您没有其他可对比的申报材料')
      return
    }
    compare.open = true
    if (compare.otherId === null || !compare.others.some((a) => a.id === compare.otherId)) compare.otherId = compare.others[0].id
    await loadOther()
  }

  /** Reads the picked application's side. */
  async function loadOther() {
    if (compare.otherId === null || !compare.item) return
    compare.loading = true
    try {
      compare.other = await commands.compareItem(compare.otherId, compare.item.code)
    } catch (e) {
      compare.other = null
      reportError(e)
    } finally {
      compare.loading = false
    }
  }

  return { compare, fields, open, loadOther }
}
