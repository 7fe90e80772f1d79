// The shapes the calendar core hands out. Occurrences carry ISO strings (they go into JSON replies
// and the store as they are); the interval arithmetic works on Dates.

/** One occurrence of a calendar event, placed on the timeline. */
export interface CalendarEvent {
  summary: string
  /** ISO instant, UTC (`…Z`) */
  start: string
  /** ISO instant, UTC; equal to `start` for an event that takes no time */
  end: string
  /** a whole-day event: `start`/`end` are the user's local midnights */
  all_day: boolean
  /** blocks time: false for TRANSP:TRANSPARENT, STATUS:CANCELLED and events that take no time */
  busy: boolean
}

/** A half-open span of time [start, end). */
export interface Interval {
  start: Date
  end: Date
}
