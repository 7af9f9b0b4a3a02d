import { onBeforeUnmount, onMounted } from 'vue'

// The scoring screen's keyboard, as pure maps from a key press to what it does:
//
// - anywhere on the screen: Ctrl+Z (⌘Z) undoes the last change (not while typing a comment or a reason,
//   where the text field's own undo applies; Ctrl+Shift+Z does nothing here), Ctrl+Enter submits the sheet,
//   Ctrl+K compares the point in focus with another application;
// - in a score field: Enter / ↓ go to the next point, Shift+Enter / ↑ to the previous one, A/B/C/D (either
//   case, without Ctrl, ⌘ or Alt) put in that band's value.
//
// A key press in a score field is seen by the field first, then by the screen: Ctrl+Enter there both moves on
// (saving the score) and submits.

/** The parts of a key press the maps look at. */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
  /** Where it was typed: only its tag name matters. */
  target?: EventTarget | { tagName?: string } | null
}

export type ScreenAction = 'undo' | 'submit' | 'compare'
export type FieldAction = { kind: 'move'; direction: 1 | -1 } | { kind: 'band'; band: string }

function inTextArea(e: KeyPress): boolean {
  const t = e.target as { tagName?: unknown } | null | undefined
  return t?.tagName === 'TEXTAREA'
}

/** What a key press does on the scoring screen as a whole; null: nothing (the key does what it does). */
export function screenAction(e: KeyPress): ScreenAction | null {
  const mod = e.ctrlKey || e.metaKey
  if (!mod) return null
  if (!e.shiftKey && e.key.toLowerCase() === 'z' && !inTextArea(e)) return 'undo'
  if (e.key === 'Enter') return 'submit'
  if (e.key.toLowerCase() === 'k') return 'compare'
  return null
}

/** What a key press does in a score field; null: nothing (the key types as usual). */
export function scoreFieldAction(e: KeyPress): FieldAction | null {
  if (e.key === 'Enter') return { kind: 'move', direction: e.shiftKey ? -1 : 1 }
  if (e.key === 'ArrowDown') return { kind: 'move', direction: 1 }
  if (e.key === 'ArrowUp') return { kind: 'move', direction: -1 }
  if (!e.ctrlKey && !e.metaKey && !e.altKey && /^[a-dA-D]$/.test(e.key)) return { kind: 'band', band: e.key.toUpperCase() }
  return null
}

/** Listens for the screen's keys while the component is mounted. */
export function useScoringKeys(on: Record<ScreenAction, () => void>) {
  function onKeydown(e: KeyboardEvent) {
    const action = screenAction(e)
    if (!action) return
    e.preventDefault()
    on[action]()
  }
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
