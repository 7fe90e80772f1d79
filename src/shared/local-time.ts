// Day boundaries are the user's own: instants are stored in UTC and turned into local calendar
// dates with the user's IANA zone (Intl does the zone maths, with the runtime's tz database).

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The zone's canonical name, or null if the runtime does not know it. */
export function canonicalTimeZone (name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

function formatterFor (timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, f)
  }
  return f
}

/** YYYY-MM-DD of `instant` as seen on a wall calendar in `timeZone`. */
export function localDate (instant: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(instant)
  const get = (type: string) => parts.find(p => p.type === type)!.value
  // Four-digit years always ("0999-…", never "999-…"), as ISO 8601 and the API's format: date want.
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`
}

/** Calendar arithmetic on YYYY-MM-DD dates (no zone involved: a date is a date). */
export function addDays (date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** RFC 3339 date-time with a `Z` or numeric offset — the only instants the API accepts. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i

export function parseInstant (value: string): Date | null {
  const match = RFC3339.exec(value)
  // Date() rolls impossible dates over (Feb 30 → Mar 2); a calendar date must round-trip.
  if (!match || addDays(match[1], 0) !== match[1]) return null
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

/** Day of the week of a YYYY-MM-DD date in ISO order: 0 = Monday … 6 = Sunday. */
export function isoWeekday (date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
}

/** The Monday that starts the Monday–Sunday week holding `date`. */
export function startOfWeek (date: string): string {
  return addDays(date, -isoWeekday(date))
}

/** Whole calendar days from `from` to `to` (negative when `to` comes first). */
export function daysBetween (from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** Minutes since local midnight of an HH:MM wall-clock time ("06:30" → 390). */
export function minutesOfDay (time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>()

/** HH:MM (24-hour) of `instant` as seen on a wall clock in `timeZone`. */
export function localTime (instant: Date, timeZone: string): string {
  let f = clockFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    clockFormatters.set(timeZone, f)
  }
  const parts = f.formatToParts(instant)
  return `${parts.find(p => p.type === 'hour')!.value}:${parts.find(p => p.type === 'minute')!.value}`
}
