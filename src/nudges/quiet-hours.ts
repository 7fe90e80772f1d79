// Quiet hours: a local-time range in the user's zone during which no external nudge goes out; a
// nudge due inside them waits until they end.
//
// Each night's quiet hours are one span of instants, [start, end): `start` on a local date D and
// `end` on D (a same-day range, 13:00–14:00) or on D + 1 (a range crossing midnight, 22:00–07:00).
// Both ends are placed with the project's wall-clock rule (src/calendar/wall-clock.ts, 'compatible'):
// an end in a spring-forward gap moves forward by the gap (02:30 → 03:30), one in a fall-back
// overlap takes the earlier occurrence. So a spring-forward night is an hour shorter and a fall-back
// night an hour longer in real time, and the answer is consistent: every instant from `atMs` up to
// the returned end is inside quiet hours too — a caller that defers to it is never told "still quiet"
// nor "not quiet" half-way. The wall clock's repeated hour after a fall-back end is not quiet again.
//
// `start === end` means no quiet hours at all (not 24 of them): it is what a form with both fields
// on the same default says, and a person who wants no external nudges turns the channel off.
import { Temporal } from 'temporal-polyfill'
import { parseLocalTime, wallClockToEpochMs } from '../calendar/wall-clock.js'
import { canonicalTimeZone, localDate } from '../shared/local-time.js'

export interface QuietHours {
  /** HH:MM local, inclusive */
  start: string
  /** HH:MM local, exclusive; earlier than start: the range crosses midnight */
  end: string
}

/**
 * Null when `atMs` is outside quiet hours (or there are none: start === end); else the epoch ms at
 * which they end — the next occurrence of `end`, local time in `timeZone`.
 * A RangeError for an unknown zone, a time that is not HH:MM or an instant that is not finite.
 */
export function quietHoursEnd (atMs: number, timeZone: string, quiet: QuietHours): number | null {
  if (!Number.isFinite(atMs)) throw new RangeError(`atMs must be a finite number, got ${atMs}`)
  const zone = canonicalTimeZone(timeZone)
  if (!zone) throw new RangeError(`timeZone ${JSON.stringify(timeZone)} is not a known IANA time zone`)
  const start = parseLocalTime(quiet.start)
  const end = parseLocalTime(quiet.end)
  if (!start) throw new RangeError(`quiet hours start ${JSON.stringify(quiet.start)} is not HH:MM`)
  if (!end) throw new RangeError(`quiet hours end ${JSON.stringify(quiet.end)} is not HH:MM`)
  if (start.equals(end)) return null
  const crossesMidnight = Temporal.PlainTime.compare(end, start) < 0

  // The night that started the day before holds the small hours; today's holds the evening. The day
  // after is looked at too: a zone that falls back across midnight shows some instants of tomorrow's
  // evening under today's date.
  const today = Temporal.PlainDate.from(localDate(new Date(atMs), zone))
  for (const offset of [-1, 0, 1]) {
    const day = today.add({ days: offset })
    const from = at(day, start, zone)
    const until = at(crossesMidnight ? day.add({ days: 1 }) : day, end, zone)
    // from >= until only where a spring-forward gap pushed the start past the end (02:30–03:00 on
    // that night: 03:30 → 03:00): then that night has none.
    if (from <= atMs && atMs < until) return until
  }
  return null
}

function at (date: Temporal.PlainDate, time: Temporal.PlainTime, timeZone: string): number {
  return wallClockToEpochMs({ year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute, second: 0 }, timeZone)
}
