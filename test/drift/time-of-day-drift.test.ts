import t from 'tap'
import type { EngineInput } from '../../src/drift/drift-types.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { minutesOutsideWindow, timeOfDayDriftSignal } from '../../src/drift/time-of-day-drift.js'
import { engineInput, simulate, START, type Habit } from './engine-fixtures.js'

const signal = (input: EngineInput) => timeOfDayDriftSignal(buildLedger(input))
const at = (time: (date: string) => string | undefined): Habit => (date, weekday) =>
  ['mon', 'wed', 'fri', 'sat'].includes(weekday) ? { minutes: 30, time: time(date) } : null

t.test('minutes outside the window, signed', async t => {
  const morning = { window_start: '06:00', window_end: '07:30' }
  t.equal(minutesOutsideWindow('06:00', morning), 0)
  t.equal(minutesOutsideWindow('07:30', morning), 0)
  t.equal(minutesOutsideWindow('05:15', morning), -45)
  t.equal(minutesOutsideWindow('21:00', morning), 810, 'same day\'s clock: 13½ hours late, not 9 early')
  t.equal(minutesOutsideWindow('00:10', morning), -350)
  const night = { window_start: '22:00', window_end: '01:00' }
  t.equal(minutesOutsideWindow('23:30', night), 0)
  t.equal(minutesOutsideWindow('00:30', night), 0)
  t.equal(minutesOutsideWindow('02:00', night), 60, 'the nearer side: an hour late')
  t.equal(minutesOutsideWindow('20:00', night), -120, 'two hours early')
})

t.test('sessions moving away from the planned window', async t => {
  const workouts = simulate(at(date => date >= '2026-03-04' ? '20:30' : '06:30'))
  t.match(signal(engineInput({ workouts })), {
    type: 'time_of_day_drift',
    severity: 'low',
    message: 'Sessions have drifted later than the planned window: typically 13 hours outside it over the last 14 days, against inside it before.',
    evidence: { recent_median_minutes_outside: 780, earlier_median_minutes_outside: 0, recent_sessions: 8, earlier_sessions: 24, direction: 'later' }
  })
  const earlier = simulate(at(date => date >= '2026-03-04' ? '04:00' : date >= '2026-02-01' ? '05:30' : '06:30'))
  t.match(signal(engineInput({ workouts: earlier })), {
    message: 'Sessions have drifted earlier than the planned window: typically 2 hours outside it over the last 14 days, against 30 minutes outside before.',
    evidence: { direction: 'earlier', recent_median_minutes_outside: 120, earlier_median_minutes_outside: 30 }
  })
})

t.test('no drift: inside the window, always the same distance out, too few timed workouts', async t => {
  t.equal(signal(engineInput({ workouts: simulate(at(() => '06:45')) })), null)
  t.equal(signal(engineInput({ workouts: simulate(at(() => '18:00')) })), null, 'always 10½ hours late: a habit, not a drift')
  t.equal(signal(engineInput({ workouts: simulate(at(date => date >= '2026-03-04' ? '08:00' : '06:30')) })), null, '30 minutes late is under an hour')
  t.equal(signal(engineInput({ workouts: simulate(at(date => date >= '2026-03-04' ? '20:30' : undefined)) })), null, 'old records carry no time')
  t.equal(signal(engineInput({ workouts: simulate(at(() => '20:30'), '2026-03-09'), defaultStart: '2026-03-09' })), null, 'no earlier weeks to compare with')
  t.equal(signal(engineInput({ workouts: simulate(at(() => '20:30'), START, '2026-03-01') })), null, 'no recent timed sessions')
})
