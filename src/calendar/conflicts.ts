// Which planned sessions a calendar collides with, and with what — so the coach can say
// "Thursday's run clashes with 'Quarterly review'" and offer a free slot instead.
import type { CalendarEvent } from './calendar-types.js'

export interface PlannedSession {
  /** the local date the session belongs to (a window crossing midnight belongs to its first day) */
  date: string
  start: Date
  end: Date
}

export interface Conflict<S extends PlannedSession = PlannedSession> {
  session: S
  event: { summary: string, start: string, end: string }
}

/** Every (session, busy event) pair that overlaps by more than an instant — a meeting ending
 * when the session starts is no conflict. In session order, then by event start. */
export function conflicts<S extends PlannedSession> (sessions: S[], occurrences: CalendarEvent[]): Array<Conflict<S>> {
  const busy = occurrences
    .filter(occurrence => occurrence.busy)
    .map(occurrence => ({ occurrence, startMs: Date.parse(occurrence.start), endMs: Date.parse(occurrence.end) }))
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
  return sessions.flatMap(session => {
    const startMs = session.start.getTime()
    const endMs = session.end.getTime()
    return busy
      .filter(event => event.startMs < endMs && event.endMs > startMs)
      .map(({ occurrence }) => ({ session, event: { summary: occurrence.summary, start: occurrence.start, end: occurrence.end } }))
  })
}
