// Dates and times in what people say ("yesterday", "on Monday", "tomorrow at 7", "next week"),
// read with chrono-node in the person's own zone. Three things chrono does not do for us:
// - IANA zones: its reference takes only a fixed offset, so each match is rebuilt from its wall-clock
//   fields in the person's zone (right across a DST change between now and the date said);
// - durations are not dates: "for an hour", "45 minutes", "for 8 weeks" come back as times relative
//   to now; a relative match without a direction word (in, ago, next, tomorrow…) is dropped;
// - "at 7" with no am/pm: 7 in the evening when that is still ahead today and the morning is not;
// - for what lies ahead (a reminder), a time of day already past today, with no day said, is tomorrow's.
import { casual } from 'chrono-node/en'
import { Temporal } from 'temporal-polyfill'
import { wallClockToEpochMs } from '../../../calendar/wall-clock.js'
import { addDays, localDate, localTime } from '../../../shared/local-time.js'

export interface WhenMatch {
  /** the words that said it */
  text: string
  index: number
  /** the instant meant (the start of the day when no time was said) */
  at: Date
  /** the local date meant, in the person's zone */
  date: string
  /** HH:MM local when a time of day was said, else null */
  time: string | null
  /** the last local date of a range said ("from Friday to Monday"), else absent */
  endDate?: string
}

const DIRECTION = /\b(in|ago|later|from now|next|last|this|after|before|tomorrow|yesterday|today|tonight)\b/i

function offsetMinutes (at: Date, timeZone: string): number {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone).offsetNanoseconds / 60e9
}

export function parseWhen (text: string, now: Date, timeZone: string, options: { future?: boolean } = {}): WhenMatch[] {
  const reference = { instant: now, timezone: offsetMinutes(now, timeZone) }
  const plain = casual.parse(text, reference, { forwardDate: false })
  // What lies ahead reads a day as the coming one ("away on Friday", "from the 3rd to the 10th");
  // a time of day alone keeps the reading below ("at 7" is this evening, not tomorrow morning).
  const results = !options.future
    ? plain
    : casual.parse(text, reference, { forwardDate: true }).map(r => {
      const same = plain.find(p => p.index === r.index)
      return same && !same.start.isCertain('day') && !same.start.isCertain('weekday') ? same : r
    })
  const today = localDate(now, timeZone)
  return results
    .filter(r => !(r.tags().has('result/relativeDate') && !DIRECTION.test(r.text)))
    .map(r => {
      const c = r.start
      const hasTime = c.isCertain('hour')
      const wall = { year: c.get('year')!, month: c.get('month')!, day: c.get('day')!, hour: hasTime ? c.get('hour')! : 0, minute: hasTime ? c.get('minute') ?? 0 : 0, second: 0 }
      let at = wallClockToEpochMs(wall, timeZone)
      // "at 7" said at 14:00 means this evening, not tomorrow morning (nor this morning, gone).
      if (hasTime && !c.isCertain('meridiem') && wall.hour >= 1 && wall.hour <= 11) {
        const evening = wallClockToEpochMs({ ...wall, hour: wall.hour + 12 }, timeZone)
        const sameDay = localDate(new Date(at), timeZone) === today || localDate(new Date(evening), timeZone) === today
        if (sameDay && at <= now.getTime() && evening > now.getTime()) at = evening
      }
      if (options.future && hasTime && !c.isCertain('day') && at <= now.getTime()) {
        // The same time of day, tomorrow — rebuilt in local time, so a DST change overnight keeps it.
        const [year, month, day] = addDays(localDate(new Date(at), timeZone), 1).split('-').map(Number)
        const [hour, minute] = localTime(new Date(at), timeZone).split(':').map(Number)
        at = wallClockToEpochMs({ year, month, day, hour, minute, second: 0 }, timeZone)
      }
      const when = new Date(at)
      const end = r.end && wallClockToEpochMs({ year: r.end.get('year')!, month: r.end.get('month')!, day: r.end.get('day')!, hour: 12, minute: 0, second: 0 }, timeZone)
      return { text: r.text, index: r.index, at: when, date: localDate(when, timeZone), time: hasTime ? localTime(when, timeZone) : null, ...(end ? { endDate: localDate(new Date(end), timeZone) } : {}) }
    })
}
