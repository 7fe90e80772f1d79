// The store part for a person's imported calendar. Kept apart from their main data: a 2 MiB
// calendar must not be rewritten with every workout logged.
import type { CalendarEvent } from '../calendar/calendar-types.js'

export interface CalendarSubscription {
  url: string
  refreshed_at: string
  /** the last refresh failed: why (the occurrences are those of the last good one) */
  last_error?: string
}

export interface StoredCalendar {
  source: 'ics' | 'json' | 'url'
  /** present when the calendar is fetched from a URL, periodically */
  subscription?: CalendarSubscription
  imported_at: string
  /** events in what was imported (a recurring one counts once) */
  events: number
  /** busy and free occurrences, expanded over [expanded_from, expanded_until), sorted by start */
  occurrences: CalendarEvent[]
  expanded_from: string
  expanded_until: string
  /** the expansion hit a cap: occurrences in the range may be missing */
  truncated: boolean
}

export interface CalendarStore {
  getCalendar (userId: string): Promise<StoredCalendar | null>
  /** replaces whatever was imported before */
  setCalendar (userId: string, calendar: StoredCalendar): Promise<void>
  /** false when nothing was imported */
  deleteCalendar (userId: string): Promise<boolean>
  /** makes `digest` the user's calendar feed token, and the previous one invalid at once; false when no such user */
  setCalendarToken (userId: string, digest: string): Promise<boolean>
  /** every user with a calendar subscription (for the periodic refresh) */
  listCalendarSubscriptions (): Promise<Array<{ userId: string, subscription: CalendarSubscription }>>
  /** the user whose current feed token has this digest */
  findUserByCalendarToken (digest: string): Promise<string | null>
}
