import type { FlagDto } from '../../ipc/bindings'

/** What a flag is about, in words: a point, or the total. */
export const flagWhat = (f: FlagDto) => (f.item ? `观测点 ${f.item}` : '总分')
