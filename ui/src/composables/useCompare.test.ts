import { beforeEach, describe, expect, it, vi } from 'vitest'

const shown = vi.hoisted(() => ({ errors: [] as string[], infos: [] as string[] }))
vi.mock('element-plus', () => ({
  ElMessage: { error: (m: string) => shown.errors.push(m), info: (m: string) => shown.infos.push(m) },
}))

import type { ApplicationStatusDto, CompareSideDto, ItemDto, SheetState } from '../ipc/bindings'
import { useCompare, type CompareCommands } from './useCompare'

const app = (id: number, state: SheetState): ApplicationStatusDto => ({
  id,
  code: `A0${id}`,
  name: `联合体${id}`,
  leadSchool: '',
  park: '',
  state,
  scored: 0,
  items: 25,
  total: '0',
})
const item = (code: string): ItemDto => ({ code, shortName: code, text: '', points: '4', fields: [`f${code}`], keywords: [], bandValues: [] })
const side = (id: number, code: string): CompareSideDto => ({
  application: { id, code: `A0${id}`, name: `联合体${id}` },
  state: 'inProgress',
  score: { item: code, value: String(id), comment: '', band: null, commentRequired: false },
  form: { sections: [] },
})

function fake(apps: ApplicationStatusDto[]) {
  const asked: Array<[number, string]> = []
  const commands: CompareCommands = {
    listApplications: async () => apps,
    compareItem: async (applicationId, code) => {
      asked.push([applicationId, code])
      return side(applicationId, code)
    },
  }
  return { commands, asked }
}

beforeEach(() => {
  shown.errors = []
  shown.infos = []
})

describe('useCompare', () => {
  it('offers the other applications the expert is not recused from, the first one picked', async () => {
    const f = fake([app(1, 'inProgress'), app(2, 'recused'), app(3, 'notStarted'), app(4, 'submitted')])
    const { compare, fields, open } = useCompare(f.commands, () => 1)
    await open(item('2.2'))
    expect(compare.open).toBe(true)
    expect(compare.others.map((a) => a.id)).toEqual([3, 4])
    expect(compare.otherId).toBe(3)
    expect(f.asked).toEqual([[3, '2.2']])
    expect(compare.other?.score?.value).toBe('3')
    expect(fields.value).toEqual(['f2.2'])
    expect(compare.loading).toBe(false)
  })

  it('keeps the application picked last for the next point', async () => {
    const f = fake([app(1, 'inProgress'), app(3, 'notStarted'), app(4, 'submitted')])
    const { compare, open, loadOther } = useCompare(f.commands, () => 1)
    await open(item('2.2'))
    compare.otherId = 4
    await loadOther()
    compare.open = false
    await open(item('3.1'))
    expect(f.asked).toEqual([
      [3, '2.2'],
      [4, '2.2'],
      [4, '3.1'],
    ])
  })

  it('says so when there is nothing to compare with, and does not open', async () => {
    const f = fake([app(1, 'inProgress'), app(2, 'recused')])
    const { compare, open } = useCompare(f.commands, () => 1)
    await open(item('1.1'))
    expect(compare.open).toBe(false)
    expect(shown.infos).toEqual(['您没有其他可对比的申报材料'])
    expect(f.asked).toEqual([])
  })

  it('reports a refused read and shows no other side', async () => {
    const f = fake([app(1, 'inProgress'), app(2, 'inProgress')])
    f.commands.compareItem = async () => {
      throw { kind: 'NotFound', message: '没有这份申报材料' }
    }
    const { compare, open } = useCompare(f.commands, () => 1)
    await open(item('1.1'))
    expect(compare.open).toBe(true)
    expect(compare.other).toBeNull()
    expect(compare.loading).toBe(false)
    expect(shown.errors).toEqual(['没有这份申报材料'])
  })
})
