import t from 'tap'
import { busyIntervals } from '../../src/calendar/busy-intervals.js'
import type { CalendarEvent } from '../../src/calendar/calendar-types.js'

const event = (start: string, end: string, busy = true): CalendarEvent =>
  ({ summary: 'e', start: `2025-10-20T${start}:00.000Z`, end: `2025-10-20T${end}:00.000Z`, all_day: false, busy })
const at = (time: string) => new Date(`2025-10-20T${time}:00.000Z`)
const hhmm = (intervals: Array<{ start: Date, end: Date }>) => intervals.map(i => [i.start.toISOString().slice(11, 16), i.end.toISOString().slice(11, 16)])

t.test('merged, sorted, clipped to the range; free and empty events ignored', async t => {
  const occurrences = [
    event('13:00', '14:00'),
    event('09:00', '10:00'),
    event('09:30', '11:00'), // overlaps
    event('11:00', '11:30'), // touches
    event('12:00', '12:30', false), // transparent
    event('12:45', '12:45', false), // no time
    event('06:00', '08:30'), // starts before the range
    event('17:00', '19:00'), // ends after it
    event('20:00', '21:00') // outside
  ]
  t.same(hhmm(busyIntervals(occurrences, at('08:00'), at('18:00'))), [['08:00', '08:30'], ['09:00', '11:30'], ['13:00', '14:00'], ['17:00', '18:00']])
  t.same(busyIntervals([], at('08:00'), at('18:00')), [])
  t.ok(busyIntervals(occurrences, at('08:00'), at('18:00'))[0].start instanceof Date)
})
