import { describe, expect, it } from 'vitest'
import { scoreFieldAction, screenAction, type KeyPress } from './useScoringKeys'

/** A key press: `mods` is any of ctrl, meta, shift, alt; `in` the tag it was typed in. */
function press(key: string, mods: string[] = [], tag = 'INPUT'): KeyPress {
  return {
    key,
    ctrlKey: mods.includes('ctrl'),
    metaKey: mods.includes('meta'),
    shiftKey: mods.includes('shift'),
    altKey: mods.includes('alt'),
    target: { tagName: tag },
  }
}

describe('screenAction', () => {
  it('Ctrl+Z or ⌘Z undoes, in either case', () => {
    expect(screenAction(press('z', ['ctrl']))).toBe('undo')
    expect(screenAction(press('z', ['meta']))).toBe('undo')
    expect(screenAction(press('Z', ['ctrl']))).toBe('undo')
    expect(screenAction(press('z', ['ctrl', 'alt']))).toBe('undo')
    expect(screenAction(press('z', ['ctrl'], 'BODY'))).toBe('undo')
  })

  it('Ctrl+Z is left to the text field while typing a comment or reason, and Ctrl+Shift+Z does nothing', () => {
    expect(screenAction(press('z', ['ctrl'], 'TEXTAREA'))).toBeNull()
    expect(screenAction(press('z', ['meta'], 'TEXTAREA'))).toBeNull()
    expect(screenAction(press('z', ['ctrl', 'shift']))).toBeNull()
    expect(screenAction(press('Z', ['ctrl', 'shift']))).toBeNull()
  })

  it('Ctrl+Enter submits, from anywhere (a comment too)', () => {
    expect(screenAction(press('Enter', ['ctrl']))).toBe('submit')
    expect(screenAction(press('Enter', ['meta']))).toBe('submit')
    expect(screenAction(press('Enter', ['ctrl'], 'TEXTAREA'))).toBe('submit')
    expect(screenAction(press('Enter', ['ctrl', 'shift']))).toBe('submit')
  })

  it('Ctrl+K compares, from anywhere', () => {
    expect(screenAction(press('k', ['ctrl']))).toBe('compare')
    expect(screenAction(press('K', ['meta']))).toBe('compare')
    expect(screenAction(press('k', ['ctrl'], 'TEXTAREA'))).toBe('compare')
    expect(screenAction(press('k', ['ctrl', 'shift']))).toBe('compare')
  })

  it('leaves every other key alone', () => {
    for (const p of [
      press('z'),
      press('Enter'),
      press('k'),
      press('Z', ['shift']),
      press('z', ['alt']),
      press('Enter', ['shift']),
      press('a', ['ctrl']),
      press('s', ['ctrl']),
      press('y', ['ctrl']),
      press('Escape'),
    ])
      expect(screenAction(p), JSON.stringify(p)).toBeNull()
  })

  it('works on a real KeyboardEvent-like target without a tag name', () => {
    expect(screenAction({ key: 'z', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false, target: null })).toBe('undo')
    expect(screenAction({ key: 'z', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false })).toBe('undo')
  })
})

describe('scoreFieldAction', () => {
  it('Enter and ↓ go to the next point, Shift+Enter and ↑ to the previous one', () => {
    expect(scoreFieldAction(press('Enter'))).toEqual({ kind: 'move', direction: 1 })
    expect(scoreFieldAction(press('Enter', ['shift']))).toEqual({ kind: 'move', direction: -1 })
    expect(scoreFieldAction(press('ArrowDown'))).toEqual({ kind: 'move', direction: 1 })
    expect(scoreFieldAction(press('ArrowUp'))).toEqual({ kind: 'move', direction: -1 })
  })

  it('Ctrl+Enter in a score field moves on as well (the screen then submits)', () => {
    expect(scoreFieldAction(press('Enter', ['ctrl']))).toEqual({ kind: 'move', direction: 1 })
    expect(screenAction(press('Enter', ['ctrl']))).toBe('submit')
  })

  it('A–D pick a band, in either case', () => {
    expect(scoreFieldAction(press('a'))).toEqual({ kind: 'band', band: 'A' })
    expect(scoreFieldAction(press('b'))).toEqual({ kind: 'band', band: 'B' })
    expect(scoreFieldAction(press('C', ['shift']))).toEqual({ kind: 'band', band: 'C' })
    expect(scoreFieldAction(press('d'))).toEqual({ kind: 'band', band: 'D' })
  })

  it('band letters with Ctrl, ⌘ or Alt are left to the field (select all, copy…)', () => {
    expect(scoreFieldAction(press('a', ['ctrl']))).toBeNull()
    expect(scoreFieldAction(press('c', ['meta']))).toBeNull()
    expect(scoreFieldAction(press('b', ['alt']))).toBeNull()
  })

  it('digits, the point, other letters and editing keys type as usual', () => {
    for (const k of ['4', '.', '0', 'e', 'E', 'z', 'Backspace', 'Tab', 'ArrowLeft', 'Escape', 'ab'])
      expect(scoreFieldAction(press(k)), k).toBeNull()
  })
})
