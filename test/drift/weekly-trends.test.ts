import t from 'tap'
import type { Weekday } from '../../src/drift/drift-types.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { durationTrendSignal, frequencyTrendSignal, leastSquares } from '../../src/drift/weekly-trends.js'
import { engineInput, simulate, START, type Habit } from './engine-fixtures.js'

const PLANNED: Weekday[] = ['mon', 'wed', 'fri', 'sat']

/** `perWeek[k]` sessions in week k (on the first planned days, rotating which are dropped). */
const sessionsPerWeek = (perWeek: number[], minutes = 30): Habit => (_date, weekday, week) => {
  const slot = (PLANNED.indexOf(weekday) + week) % 4
  return PLANNED.includes(weekday) && slot < (perWeek[week] ?? 4) ? minutes : null
}
/** Minutes of each week's sessions, on every planned day. */
const minutesPerWeek = (minutes: number[]): Habit => (_date, weekday, week) => PLANNED.includes(weekday) ? minutes[week] ?? 30 : null

const frequency = (habit: Habit, today = '2026-03-18') => frequencyTrendSignal(buildLedger(engineInput({ workouts: simulate(habit, START, today), today })))
const duration = (habit: Habit, today = '2026-03-18') => durationTrendSignal(buildLedger(engineInput({ workouts: simulate(habit, START, today), today })))

t.test('least squares', async t => {
  t.same(leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), { slope: 2, intercept: 1 })
  t.same(leastSquares([{ x: 3, y: 1 }, { x: 3, y: 2 }]), { slope: 0, intercept: 1.5 }, 'one x: flat')
})

t.test('frequency: a steady fall over the last 6 complete weeks', async t => {
  // Ten complete weeks (today is Wednesday of the eleventh): 4 4 4 4 | 4 3 3 2 2 1.
  t.match(frequency(sessionsPerWeek([4, 4, 4, 4, 4, 3, 3, 2, 2, 1])), {
    type: 'frequency_trend',
    severity: 'high',
    message: 'Training less often: 4 of 4 sessions in the week of 2026-02-02, 1 of 4 last week — a steady fall of about 68% of the target over 6 weeks.',
    evidence: { weeks: 6, slope_pct_per_week: -14, fall_pct: 68, first_week_sessions: 4, last_week_sessions: 1, last_week_target: 4 }
  })
  // 4 4 4 3 3 3: a fitted fall of 32% of the target — one session in four.
  t.match(frequency(sessionsPerWeek([4, 4, 4, 4, 4, 4, 4, 3, 3, 3])), { severity: 'medium', evidence: { fall_pct: 32 } })
})

t.test('frequency: no trend for the steady, the recovered, the over-achiever, or too few weeks', async t => {
  t.equal(frequency(sessionsPerWeek([])), null, 'every week met')
  t.equal(frequency(sessionsPerWeek([3, 3, 3, 3, 3, 3, 3, 3, 3, 3])), null, 'a steady 3 of 4 is a level, not a trend')
  t.equal(frequency(sessionsPerWeek([4, 4, 4, 4, 4, 4, 3, 2, 3, 4])), null, 'last week met again: the dip is behind them')
  t.equal(frequency(sessionsPerWeek([4, 4, 4, 4, 4, 4, 4, 4, 3, 4])), null, 'a single short week is not a trend')
  const sixToFour: Habit = (_d, weekday, week) => week < 7 ? (weekday === 'sun' ? null : 30) : PLANNED.includes(weekday) ? 30 : null
  t.equal(frequency(sixToFour), null, 'from 6 a week back to the 4 planned is not a decline')
  t.equal(frequency(sessionsPerWeek([4, 3, 2]), '2026-01-28'), null, 'three complete weeks are too few')
})

t.test('duration: sessions getting shorter, high once under the minimum', async t => {
  t.match(duration(minutesPerWeek([60, 60, 60, 60, 60, 56, 52, 48, 44, 40])), {
    type: 'duration_trend',
    severity: 'medium',
    message: 'Sessions are getting shorter: about 60 → 40 minutes over 6 weeks.',
    evidence: { weeks: 6, slope_minutes_per_week: -4, fitted_first_minutes: 60, fitted_last_minutes: 40, last_week_mean_minutes: 40, min_minutes: 20 }
  })
  t.match(duration(minutesPerWeek([45, 42, 39, 36, 33, 30, 27, 24, 21, 18])), {
    severity: 'high',
    message: 'Sessions are getting shorter: about 33 → 18 minutes over 6 weeks, last week 18 on average — under the 20-minute minimum, so they stop counting.'
  })
})

t.test('duration: no trend when the fall is small, or small against the length', async t => {
  t.equal(duration(minutesPerWeek([])), null, 'steady 30 minutes')
  t.equal(duration(minutesPerWeek([32, 32, 32, 32, 32, 32, 31, 30, 30, 29])), null, 'under 5 minutes')
  t.equal(duration(minutesPerWeek([100, 100, 100, 100, 100, 97, 94, 91, 88, 85])), null, '15 minutes of 100 is under 20%')
  const sparse: Habit = (_d, weekday, week) => week >= 7 && weekday === 'mon' ? 10 : null
  t.equal(duration(sparse), null, 'weeks without workouts have no length: three weeks are too few')
})
