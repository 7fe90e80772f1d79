// The time a calendar blocks between `from` and `until`, as few intervals as possible.
import type { CalendarEvent, Interval } from './calendar-types.js'
import { mergeSpans, toInterval } from './intervals.js'

/** Busy occurrences clipped to [from, until), merged (overlapping or touching) and sorted. */
export function busyIntervals (occurrences: CalendarEvent[], from: Date, until: Date): Interval[] {
  const fromMs = from.getTime()
  const untilMs = until.getTime()
  const spans = occurrences
    .filter(occurrence => occurrence.busy)
    .map(occurrence => ({ start: Math.max(Date.parse(occurrence.start), fromMs), end: Math.min(Date.parse(occurrence.end), untilMs) }))
  return mergeSpans(spans).map(toInterval)
}
