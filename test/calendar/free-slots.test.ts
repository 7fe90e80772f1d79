import t from 'tap'
import { freeSlots } from '../../src/calendar/free-slots.js'

const at = (time: string) => new Date(`2025-10-20T${time}:00.000Z`)
const span = (start: string, end: string) => ({ start: at(start), end: at(end) })
const hhmm = (intervals: Array<{ start: Date, end: Date }>) => intervals.map(i => [i.start.toISOString().slice(11, 16), i.end.toISOString().slice(11, 16)])

t.test('maximal free intervals of at least minMinutes inside the windows', async t => {
  const busy = [span('09:30', '10:00'), span('07:00', '08:10'), span('09:00', '09:40'), span('12:00', '13:00')]
  const windows = [span('06:00', '11:00'), span('11:30', '14:00')]
  t.same(hhmm(freeSlots({ busy, windows, minMinutes: 30, from: at('00:00') })), [
    ['06:00', '07:00'], ['08:10', '09:00'], ['10:00', '11:00'], ['11:30', '12:00'], ['13:00', '14:00']
  ], 'unsorted, overlapping busy time is fine')
  t.same(hhmm(freeSlots({ busy, windows, minMinutes: 45, from: at('00:00') })), [['06:00', '07:00'], ['08:10', '09:00'], ['10:00', '11:00'], ['13:00', '14:00']],
    'exactly minMinutes is enough, less is not')
  t.same(hhmm(freeSlots({ busy, windows, minMinutes: 30, from: at('10:35') })), [['11:30', '12:00'], ['13:00', '14:00']],
    'nothing in the past: 10:35–11:00 is too short now')
  t.same(hhmm(freeSlots({ busy: [], windows: [span('06:00', '08:00'), span('07:00', '09:00')], minMinutes: 150, from: at('00:00') })), [['06:00', '09:00']],
    'overlapping windows are one stretch of time')
  t.same(hhmm(freeSlots({ busy: [span('05:00', '10:00')], windows, minMinutes: 0, from: at('00:00') })), [['10:00', '11:00'], ['11:30', '14:00']],
    'minMinutes 0: any free time')
  t.same(freeSlots({ busy, windows: [span('09:00', '09:00')], minMinutes: 0, from: at('00:00') }), [], 'an empty window has no room')
  t.same(freeSlots({ busy, windows: [], minMinutes: 30, from: at('00:00') }), [])
})

t.test('minMinutes must be a number ≥ 0', async t => {
  for (const minMinutes of [-1, Number.NaN, Infinity]) {
    t.throws(() => freeSlots({ busy: [], windows: [], minMinutes, from: at('00:00') }), { name: 'CalendarError', message: 'minMinutes must be a non-negative number' })
  }
})
