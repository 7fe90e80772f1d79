// Where a session still fits: the parts of the planned session windows that no busy time covers.
import { CalendarError } from './calendar-error.js'
import type { Interval } from './calendar-types.js'
import { mergeSpans, subtractSpans, toInterval, toSpan } from './intervals.js'

export interface FreeSlotsInput {
  /** busy time (need not be merged or sorted) */
  busy: Interval[]
  /** the session windows to search, as instants (see sessionWindow) */
  windows: Interval[]
  /** shortest slot worth offering */
  minMinutes: number
  /** now: time already past is not free */
  from: Date
}

/** Maximal free intervals of at least minMinutes inside the windows and after `from`, sorted.
 * Overlapping windows are searched as one, so a slot is never split at a window's edge. */
export function freeSlots ({ busy, windows, minMinutes, from }: FreeSlotsInput): Interval[] {
  if (!Number.isFinite(minMinutes) || minMinutes < 0) throw new CalendarError('minMinutes must be a non-negative number')
  const fromMs = from.getTime()
  const minMs = minMinutes * 60_000
  const covered = mergeSpans(busy.map(toSpan))
  const searched = mergeSpans(windows.map(toSpan).map(w => ({ start: Math.max(w.start, fromMs), end: w.end })))
  return searched
    .flatMap(window => subtractSpans(window, covered))
    .filter(slot => slot.end - slot.start >= minMs && slot.end > slot.start)
    .map(toInterval)
}
