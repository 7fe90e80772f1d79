// A plan's daily session window ("06:00"–"07:30" local) on one date, as instants.
//
// Wall-clock times that do not exist or exist twice resolve the way calendar apps resolve them
// ('compatible'): on the spring-forward day a window starting 02:30 in Europe/Berlin starts at
// 03:30 CEST; on the fall-back day 02:30 is the first, summer-time, 02:30. A window lying wholly
// inside a gap (02:00–03:00 on spring-forward day) collapses to no time at all — it has none.
import { CalendarError } from './calendar-error.js'
import type { Interval } from './calendar-types.js'
import { parseLocalDate, parseLocalTime, requireTimeZone, wallClockToEpochMs } from './wall-clock.js'

/**
 * @param date the local date the window belongs to (YYYY-MM-DD)
 * @param windowStart HH:MM
 * @param windowEnd HH:MM; earlier than windowStart means the window crosses midnight and ends on
 *   the next local day
 */
export function sessionWindow (date: string, windowStart: string, windowEnd: string, timeZone: string): Interval {
  const zone = requireTimeZone(timeZone)
  const day = parseLocalDate(date)
  if (!day) throw new CalendarError(`date ${JSON.stringify(date)} is not a YYYY-MM-DD date`)
  const start = parseLocalTime(windowStart)
  if (!start) throw new CalendarError(`window start ${JSON.stringify(windowStart)} is not an HH:MM time`)
  const end = parseLocalTime(windowEnd)
  if (!end) throw new CalendarError(`window end ${JSON.stringify(windowEnd)} is not an HH:MM time`)
  const order = start.until(end).sign
  if (order === 0) throw new CalendarError('window end must differ from window start (an earlier time means the window crosses midnight)')
  const endDay = order < 0 ? day.add({ days: 1 }) : day
  return {
    start: new Date(wallClockToEpochMs({ year: day.year, month: day.month, day: day.day, hour: start.hour, minute: start.minute, second: 0 }, zone)),
    end: new Date(wallClockToEpochMs({ year: endDay.year, month: endDay.month, day: endDay.day, hour: end.hour, minute: end.minute, second: 0 }, zone))
  }
}
