// Busy time given as JSON instead of an ICS file (a client that reads the phone's calendar itself):
// the same CalendarEvent shape as parseCalendar's, so everything downstream is shared.
import { parseInstant } from '../shared/local-time.js'
import { CalendarError } from './calendar-error.js'
import type { CalendarEvent } from './calendar-types.js'
import { parseLocalDate, requireTimeZone, startOfLocalDay } from './wall-clock.js'

export interface JsonCalendarEvent {
  summary: string
  /** RFC 3339 instant, or a local YYYY-MM-DD date when all_day */
  start: string
  /** RFC 3339 instant, or the local date the event no longer covers (exclusive) when all_day */
  end: string
  all_day?: boolean
}

/** Every event is busy (JSON has no transparency); the result is sorted by start, then end. */
export function parseEventsJson (events: JsonCalendarEvent[], timeZone: string): CalendarEvent[] {
  const zone = requireTimeZone(timeZone)
  if (!Array.isArray(events)) throw new CalendarError('events must be an array')
  const parsed = events.map((event, i) => {
    const summary = typeof event?.summary === 'string' ? event.summary.trim() : null
    const label = `event ${i + 1}${summary ? ` (${JSON.stringify(summary)})` : ''}`
    if (summary === null) throw new CalendarError(`${label}: summary must be a string`)
    const allDay = event.all_day === true
    const [startMs, endMs] = allDay
      ? [localDayStart(event.start, 'start', zone, label), localDayStart(event.end, 'end', zone, label)]
      : [instant(event.start, 'start', label), instant(event.end, 'end', label)]
    if (endMs <= startMs) {
      throw new CalendarError(`${label}: end must be after start${allDay ? ' (an all-day end is the first day it no longer covers)' : ''}`)
    }
    return { summary, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), all_day: allDay, busy: true }
  })
  return parsed.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || Date.parse(a.end) - Date.parse(b.end))
}

function instant (value: string, field: string, label: string): number {
  const date = typeof value === 'string' ? parseInstant(value) : null
  if (!date) throw new CalendarError(`${label}: ${field} must be an RFC 3339 date-time with an offset, e.g. 2025-10-20T09:00:00Z`)
  return date.getTime()
}

function localDayStart (value: string, field: string, zone: string, label: string): number {
  const date = parseLocalDate(value)
  if (!date) throw new CalendarError(`${label}: ${field} must be a YYYY-MM-DD date for an all-day event`)
  return startOfLocalDay(date, zone)
}
