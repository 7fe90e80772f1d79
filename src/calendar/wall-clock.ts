// Wall-clock time ↔ instants in IANA zones, through Temporal (temporal-polyfill) rather than
// ical.js: ical.js only knows the zones a file defines in a VTIMEZONE and reads every other local
// time in the process's zone. One rule for times that do not exist or exist twice, everywhere in
// the calendar core: 'compatible' disambiguation (RFC 5545 §3.3.5 and what calendar apps do) —
// a time in a spring-forward gap moves forward by the gap's length (02:30 → 03:30), a time in a
// fall-back overlap takes its first, earlier, occurrence.
import { Temporal } from 'temporal-polyfill'
import { canonicalTimeZone } from '../shared/local-time.js'
import { CalendarError } from './calendar-error.js'

export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The zone's canonical IANA name; a CalendarError naming `what` when the runtime does not know it. */
export function requireTimeZone (name: string, what = 'timeZone'): string {
  const zone = typeof name === 'string' ? canonicalTimeZone(name) : null
  if (!zone) throw new CalendarError(`${what} ${JSON.stringify(name)} is not a known IANA time zone`)
  return zone
}

/** A TZID as some producers write it: a bare IANA name, or one behind a vendor prefix
 * ("/citadel.org/20190914_1/Europe/Berlin"). Null when no suffix of it names a zone. */
export function ianaZoneForTzid (tzid: string): string | null {
  const segments = tzid.split('/').filter(Boolean)
  // IANA names have at most three segments (America/Argentina/Buenos_Aires).
  for (let take = Math.min(3, segments.length); take >= 1; take--) {
    const zone = canonicalTimeZone(segments.slice(-take).join('/'))
    if (zone) return zone
  }
  return null
}

/**
 * The UTC offset (ms) holding all day long on `date` in `timeZone`, or null when the clocks change
 * that day. Memoised: a recurring event converts thousands of wall-clock times, and the polyfill
 * takes ~30 µs a conversion where this takes ~1 µs. Bounded, and a cache only — results are the same.
 */
const dayOffsets = new Map<string, number | null>()
const MAX_CACHED_DAYS = 20_000

function steadyOffsetMs (time: WallClock, timeZone: string): number | null {
  const key = `${timeZone}|${time.year}-${time.month}-${time.day}`
  let offset = dayOffsets.get(key)
  if (offset === undefined) {
    const start = Temporal.PlainDate.from(time, { overflow: 'reject' }).toZonedDateTime({ timeZone })
    offset = start.hoursInDay === 24 ? start.offsetNanoseconds / 1e6 : null
    if (dayOffsets.size >= MAX_CACHED_DAYS) dayOffsets.clear()
    dayOffsets.set(key, offset)
  }
  return offset
}

/** Epoch milliseconds of a wall-clock time in `timeZone` ('compatible' in gaps and overlaps). */
export function wallClockToEpochMs (time: WallClock, timeZone: string): number {
  const offset = steadyOffsetMs(time, timeZone)
  if (offset !== null) {
    const asIfUtc = new Date(0)
    // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
    asIfUtc.setUTCFullYear(time.year, time.month - 1, time.day)
    asIfUtc.setUTCHours(time.hour, time.minute, time.second, 0)
    return asIfUtc.getTime() - offset
  }
  return Temporal.PlainDateTime.from(time, { overflow: 'reject' })
    .toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds
}

/** A strict YYYY-MM-DD calendar date (Feb 30 is not one), or null. */
export function parseLocalDate (value: string): Temporal.PlainDate | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' })
  } catch {
    return null
  }
}

/** A strict HH:MM time of day (00:00–23:59), or null. */
export function parseLocalTime (value: string): Temporal.PlainTime | null {
  if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) return null
  return Temporal.PlainTime.from(value)
}

/** The instant `date` begins in `timeZone`: local midnight, or the first moment after it where a
 * zone skips midnight itself (some zones change clocks at 00:00). */
export function startOfLocalDay (date: Temporal.PlainDate, timeZone: string): number {
  return date.toZonedDateTime({ timeZone }).epochMilliseconds
}
