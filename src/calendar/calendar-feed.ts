// The planned sessions as an iCalendar feed a calendar app subscribes to. Times are UTC, so the
// feed needs no VTIMEZONE and means the same in every app. Each session keeps the UID the caller
// gives it: on the next refresh an app updates (or drops) that event instead of adding a copy.
import ical from 'ical-generator'
import { CalendarError } from './calendar-error.js'

export interface FeedSession {
  /** stable and globally unique, e.g. `${session_id}@resolution-autopilot` */
  uid: string
  start: Date
  end: Date
  summary: string
  description?: string
  /** when the session was last changed; DTSTAMP (without METHOD, RFC 5545 §3.8.7.2 reads it as
   * "last revised") and LAST-MODIFIED. Without it DTSTAMP is the session's start: never the
   * clock, so the same plan always gives the same bytes (and the same ETag). */
  updatedAt?: Date
}

export interface CalendarFeedOptions {
  /** shown by apps as the subscribed calendar's name (NAME, X-WR-CALNAME) */
  name: string
  /** "//Company//Product//EN" */
  prodId: string
  sessions: FeedSession[]
}

export function calendarFeed ({ name, prodId, sessions }: CalendarFeedOptions): string {
  const seen = new Set<string>()
  for (const [i, session] of sessions.entries()) {
    const label = `session ${i + 1}`
    if (typeof session.uid !== 'string' || session.uid.trim() === '') throw new CalendarError(`${label}: uid is missing`)
    if (seen.has(session.uid)) throw new CalendarError(`${label}: uid ${JSON.stringify(session.uid)} is used twice`)
    seen.add(session.uid)
    if (!validDate(session.start) || !validDate(session.end)) throw new CalendarError(`${label}: start and end must be valid Dates`)
    if (session.end < session.start) throw new CalendarError(`${label}: end is before start`)
    if (session.updatedAt !== undefined && !validDate(session.updatedAt)) throw new CalendarError(`${label}: updatedAt must be a valid Date`)
  }
  // ical-generator writes "PRODID:-" + prodId itself.
  const calendar = ical({ name, prodId: prodId.replace(/^-/, '') })
  for (const session of sessions) {
    calendar.createEvent({
      id: session.uid,
      start: session.start,
      end: session.end,
      summary: session.summary,
      description: session.description ?? null,
      stamp: session.updatedAt ?? session.start,
      lastModified: session.updatedAt ?? null
    })
  }
  return calendar.toString()
}

const validDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime())
