// Half-open interval arithmetic shared by busy time and free slots, on epoch milliseconds so that
// comparing is cheap and Date identity never matters.
import type { Interval } from './calendar-types.js'

export interface Span {
  start: number
  end: number
}

export const toSpan = (interval: Interval): Span => ({ start: interval.start.getTime(), end: interval.end.getTime() })
export const toInterval = (span: Span): Interval => ({ start: new Date(span.start), end: new Date(span.end) })

/** Sorted, non-overlapping spans; touching spans join (a meeting at 9–10 and one at 10–11 leave no
 * gap at 10:00 worth offering). Empty spans are dropped: they cover no time. */
export function mergeSpans (spans: Span[]): Span[] {
  const sorted = spans.filter(s => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: Span[] = []
  for (const span of sorted) {
    const last = merged[merged.length - 1]
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end)
    else merged.push({ ...span })
  }
  return merged
}

/** The parts of `span` not covered by `covered` (which must be merged: sorted, disjoint). */
export function subtractSpans (span: Span, covered: Span[]): Span[] {
  const left: Span[] = []
  let cursor = span.start
  for (const c of covered) {
    if (c.end <= cursor) continue
    if (c.start >= span.end) break
    if (c.start > cursor) left.push({ start: cursor, end: c.start })
    cursor = Math.max(cursor, c.end)
    if (cursor >= span.end) break
  }
  if (cursor < span.end) left.push({ start: cursor, end: span.end })
  return left
}
