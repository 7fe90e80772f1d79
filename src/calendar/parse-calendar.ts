// An RFC 5545 file → the occurrences of its events inside [from, until), on the UTC timeline.
// Pure: the range and the user's zone come in, nothing is read from the clock or the process zone.
//
// Which time blocks the user: every event but TRANSP:TRANSPARENT and STATUS:CANCELLED ones, and
// not events that take no time (a DTSTART date-time without DTEND or DURATION ends when it starts,
// RFC 5545 §3.6.1 — a reminder, not a meeting). All of them still come back, with `busy` saying so.
import ICAL from 'ical.js'
import { CalendarError } from './calendar-error.js'
import type { CalendarEvent } from './calendar-types.js'
import { type Occurrence, StepBudget, expandIcsEvent } from './expand-ics-event.js'
import { type IcalComponent, type IcsEvent, readIcsEvent } from './read-ics-event.js'
import { requireTimeZone } from './wall-clock.js'

export interface ParseCalendarOptions {
  /** the user's IANA zone: floating times, unknown TZIDs and all-day events are read in it */
  timeZone: string
  from: Date
  until: Date
  /** at most this many occurrences per file, the earliest (default 5000) */
  maxOccurrences?: number
}

export interface ParsedCalendar {
  /** VEVENTs in the file (a moved occurrence is a VEVENT of its own) */
  events: number
  /** sorted by start, then end */
  occurrences: CalendarEvent[]
  /** occurrences in the range may be missing: maxOccurrences was reached (the earliest are kept),
   * or a rule needed more iteration steps than it may take (an unbounded or impossible rule) */
  truncated: boolean
}

export const DEFAULT_MAX_OCCURRENCES = 5000
/** Iteration steps one file may take, and one event of it. ical.js takes 10–20 µs a step here, so
 * a hostile file costs well under a second (measured: 0.2–0.8 s). A legitimate rule needs about
 * one step per occurrence in the range once fast-forwarded, and occurrences are capped far lower. */
export const MAX_STEPS_PER_FILE = 50_000
export const MAX_STEPS_PER_EVENT = 20_000

const NO_OVERRIDES: ReadonlySet<number> = new Set()

export function parseCalendar (text: string, options: ParseCalendarOptions): ParsedCalendar {
  const timeZone = requireTimeZone(options.timeZone)
  const fromMs = validTime(options.from, 'from')
  const untilMs = validTime(options.until, 'until')
  if (untilMs <= fromMs) throw new CalendarError('until must be after from')
  const maxOccurrences = options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES
  if (!Number.isSafeInteger(maxOccurrences) || maxOccurrences < 1) throw new CalendarError('maxOccurrences must be a positive integer')

  const components = veventsOf(text)
  const events = components.map((component, i) => readIcsEvent(component, i + 1, timeZone))

  // Occurrences a series must leave out because another VEVENT with its UID replaces them.
  const overrides = new Map<string, Set<number>>()
  for (const event of events) {
    if (event.recurrenceIdMs === null || event.uid === null) continue
    const set = overrides.get(event.uid) ?? new Set<number>()
    set.add(event.recurrenceIdMs)
    overrides.set(event.uid, set)
  }

  const fileBudget = new StepBudget(MAX_STEPS_PER_FILE)
  let found: Array<{ occurrence: Occurrence, event: IcsEvent }> = []
  let truncated = false
  for (const event of events) {
    const overridden = event.recurrenceIdMs === null && event.uid !== null ? overrides.get(event.uid) ?? NO_OVERRIDES : NO_OVERRIDES
    const expansion = expandIcsEvent(event, { fromMs, untilMs }, overridden, new StepBudget(MAX_STEPS_PER_EVENT, fileBudget), maxOccurrences)
    truncated ||= expansion.truncated
    for (const occurrence of expansion.occurrences) found.push({ occurrence, event })
    // Keep memory bounded by the cap, not by the file: trim to the earliest whenever it doubles.
    if (found.length > 2 * maxOccurrences) {
      found = earliest(found, maxOccurrences)
      truncated = true
    }
  }
  if (found.length > maxOccurrences) truncated = true
  found = earliest(found, maxOccurrences)

  return {
    events: events.length,
    truncated,
    occurrences: found.map(({ occurrence, event }) => ({
      summary: event.summary,
      start: new Date(occurrence.startMs).toISOString(),
      end: new Date(occurrence.endMs).toISOString(),
      all_day: occurrence.allDay,
      busy: event.blocksTime && occurrence.endMs > occurrence.startMs
    }))
  }
}

function earliest<T extends { occurrence: Occurrence, event: IcsEvent }> (found: T[], count: number): T[] {
  return found
    .sort((a, b) => a.occurrence.startMs - b.occurrence.startMs || a.occurrence.endMs - b.occurrence.endMs ||
      (a.event.summary < b.event.summary ? -1 : a.event.summary > b.event.summary ? 1 : 0))
    .slice(0, count)
}

function validTime (value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN
  if (Number.isNaN(ms)) throw new CalendarError(`${name} must be a valid Date`)
  return ms
}

/** Every VEVENT of the file, in file order; a CalendarError when the text is not iCalendar. */
function veventsOf (text: string): IcalComponent[] {
  if (typeof text !== 'string' || text.trim() === '') throw new CalendarError('the calendar file is empty')
  let parsed: any[]
  try {
    // A byte-order mark is not part of the first line's name.
    parsed = ICAL.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new CalendarError(`the calendar file is not valid iCalendar (${(err as Error).message})`)
  }
  // ICAL.parse returns one component (jCal: ['vcalendar', …]), or an array of them when the text
  // holds several.
  const roots = (typeof parsed[0] === 'string' ? [parsed] : parsed) as any[][]
  return roots.flatMap(jcal => {
    const root = new ICAL.Component(jcal)
    if (root.name !== 'vcalendar') throw new CalendarError(`the calendar file holds a ${root.name.toUpperCase()} where a VCALENDAR belongs`)
    return root.getAllSubcomponents('vevent')
  })
}
