import { beforeEach, describe, expect, it, vi } from 'vitest'

const shown = vi.hoisted(() => ({ errors: [] as string[] }))
vi.mock('element-plus', () => ({ ElMessage: { error: (m: string) => shown.errors.push(m) } }))

import { attempt, errorMessage, isCommandError, isDismissed, reportError, submitProblems } from './errors'
import type { CommandError } from './ipc/bindings'

beforeEach(() => {
  shown.errors = []
})

describe('errorMessage', () => {
  it('shows a command error by its message, a string as it is, anything else after 操作失败', () => {
    expect(errorMessage({ kind: 'InvalidScore', message: '得分须为 0.5 的整数倍' })).toBe('得分须为 0.5 的整数倍')
    expect(errorMessage('评审包已损坏')).toBe('评审包已损坏')
    expect(errorMessage(new Error('boom'))).toBe('操作失败：Error: boom')
    expect(errorMessage(undefined)).toBe('操作失败：undefined')
  })

  it('knows a command error by its kind and message', () => {
    expect(isCommandError({ kind: 'Io', message: 'x' })).toBe(true)
    expect(isCommandError({ message: 'x' })).toBe(false)
    expect(isCommandError(null)).toBe(false)
    expect(isCommandError('Io')).toBe(false)
  })
})

describe('attempt and reportError', () => {
  it('gives the value back and shows nothing when all goes well', async () => {
    await expect(attempt(async () => 42)).resolves.toBe(42)
    expect(shown.errors).toEqual([])
  })

  it('shows the command error message once and gives undefined instead of throwing', async () => {
    const r = await attempt(async () => {
      throw { kind: 'Locked', message: '评分表已提交，不能修改' }
    })
    expect(r).toBeUndefined()
    expect(shown.errors).toEqual(['评分表已提交，不能修改'])
  })

  it('stops at the failing step', async () => {
    const steps: string[] = []
    await attempt(async () => {
      steps.push('before')
      await Promise.reject('数据库不可写')
      steps.push('after')
    })
    expect(steps).toEqual(['before'])
    expect(shown.errors).toEqual(['数据库不可写'])
  })

  it('reportError shows what errorMessage words', () => {
    reportError(new TypeError('x is null'))
    expect(shown.errors).toEqual(['操作失败：TypeError: x is null'])
  })

  it('tells a dismissed message box from a failure', () => {
    expect(isDismissed('cancel')).toBe(true)
    expect(isDismissed('close')).toBe(true)
    expect(isDismissed({ kind: 'Io', message: 'cancel' })).toBe(false)
    expect(isDismissed('confirm')).toBe(false)
  })
})

describe('submitProblems', () => {
  const problems = ['观测点 1.1 未评分', '观测点 2.2 得 3 分，低于满分 6 的 60%，须填写评语', '建议扣分 1 分，须写明扣分理由']
  const refused: CommandError = { kind: 'NotReady', message: `评分表还不能提交：${problems.join('；')}`, details: problems }

  it('gives the structured details, one entry per problem', () => {
    expect(submitProblems(refused)).toEqual(problems)
  })

  it('never takes a message apart: a semicolon inside a problem stays', () => {
    const withSemicolon = { ...refused, details: ['观测点 1.1 未评分', '扣分理由；含分号也不拆开'] }
    expect(submitProblems(withSemicolon)).toEqual(['观测点 1.1 未评分', '扣分理由；含分号也不拆开'])
  })

  it('gives the message alone when there are no details', () => {
    expect(submitProblems({ ...refused, details: [] })).toEqual([refused.message])
  })
})
