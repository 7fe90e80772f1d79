import t from 'tap'
import { habitMultiplier, habitSeries, habitStrength, habitStrengthSignal } from '../../src/drift/habit-strength.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { addDays } from '../../src/shared/local-time.js'
import { engineInput, onDays, simulate, START, planVersion } from './engine-fixtures.js'

const perfect = onDays('mon', 'wed', 'fri', 'sat')

/** Habit strength after `days` scored days of a habit from START (today = the next morning). */
const after = (days: number, habit = perfect, extra = {}) => {
  const today = addDays(START, days)
  return habitStrength(engineInput({ workouts: simulate(habit, START, addDays(today, -1)), today, ...extra }))
}

t.test('the multiplier: m = 0.5^(√(sessions_per_week / 7) / 13)', async t => {
  t.equal(habitMultiplier(7), 0.5 ** (1 / 13))
  t.ok(Math.abs(habitMultiplier(4) - 0.96050) < 1e-5, `4 a week: ${habitMultiplier(4)}`)
  t.ok(habitMultiplier(1) > habitMultiplier(4), 'a rarer habit moves more slowly per day')
})

t.test('calibration: a perfect user of the default plan after 4, 8 and 12 weeks', async t => {
  t.equal(after(28), 64)
  t.equal(after(56), 88)
  t.equal(after(84), 96)
  t.equal(after(0), 0, 'nothing scored yet')
  // The first week ramps up as the 7-day window fills: Monday alone is 1 of 4.
  const series = habitSeries(buildLedger(engineInput({ workouts: simulate(perfect, START, START), today: START })))
  t.equal(series.length, 1)
  t.ok(Math.abs(series[0].score - 0.25 * (1 - habitMultiplier(4))) < 1e-12)
})

t.test('someone doing 3 of 4 settles at 75; nothing at all stays at 0', async t => {
  t.equal(after(30 * 7, onDays('mon', 'wed', 'fri')), 75)
  t.equal(after(70, () => null), 0)
})

t.test('paused days are cut out of the timeline: the habit is frozen, not eroded', async t => {
  const pauses = [{ pause_id: 'p', start_date: addDays(START, 28), end_date: addDays(START, 41), created_at: `${START}T00:00:00Z` }]
  const habit = (date: string, ...rest: Parameters<typeof perfect> extends [string, ...infer R] ? R : never) =>
    date >= pauses[0].start_date && date <= pauses[0].end_date ? null : perfect(date, ...rest)
  t.equal(after(35, habit, { pauses }), after(28), 'a week into the pause: still the score it had')
  t.equal(after(42, habit, { pauses }), after(28), 'on the pause\'s last day too')
  t.equal(after(56, habit, { pauses }), after(42), 'two weeks after it: as if the pause never happened')
  // Workouts on a paused day do not count either (the day is out of the plan's accounting).
  const trainedAnyway = (date: string, ...rest: Parameters<typeof perfect> extends [string, ...infer R] ? R : never) => perfect(date, ...rest)
  t.equal(after(42, trainedAnyway, { pauses }), after(28))
})

t.test('days outside any plan are not scored either', async t => {
  const plans = [planVersion({ end_date: addDays(START, 27) })]
  t.equal(after(56, perfect, { plans }), after(28), 'after the plan ended, the score waits')
})

t.test('the signal is a falling score, not a low one', async t => {
  const signal = (workouts: ReturnType<typeof simulate>, today: string) => habitStrengthSignal(buildLedger(engineInput({ workouts, today })))
  t.match(signal(simulate(perfect, START, '2026-01-13'), '2026-01-14'), {
    type: 'habit_strength', severity: 'low', message: /up \d+ points/, evidence: { score_14_days_ago: 0 }
  }, 'a young habit is weak by construction, and rising')
  // Settled: 16 perfect weeks, through Sunday 2026-04-26 (99 by then).
  const settled = simulate(perfect, START, '2026-04-26')
  const day = (n: number) => addDays('2026-04-26', n)
  t.match(signal(settled, day(1)), { severity: 'low', message: 'Habit strength 99 of 100, up 1 point over the last 14 days.' })
  t.match(signal(settled, day(4)), { severity: 'low', evidence: { change: -3 } }, 'stopped: 3 days in')
  t.match(signal(settled, day(5)), { severity: 'medium', evidence: { change: -5 } })
  t.match(signal(settled, day(8)), { severity: 'medium', evidence: { change: -14 } })
  t.match(signal(settled, day(9)), { severity: 'high', evidence: { score: 80, change: -18 } }, 'stopped: high on the 9th day')
  const slipping = [...settled, ...simulate(onDays('mon', 'wed', 'fri'), day(1), day(20))]
  t.match(signal(slipping, day(11)), { severity: 'low', evidence: { change: -4 } }, 'slipped to 3 a week')
  t.match(signal(slipping, day(12)), { severity: 'medium', evidence: { change: -6 } }, 'medium on the 12th day (a Monday session logged)')
  const steady = simulate(onDays('mon', 'wed', 'fri'), START, '2026-03-15')
  t.match(signal(steady, '2026-03-16'), { severity: 'low', message: /Habit strength 7\d of 100/ }, 'a steady 3 of 4 is not falling')
  t.match(signal(simulate(() => null), '2026-03-16'), { message: 'Habit strength 0 of 100, steady over the last 14 days.' })
  t.equal(signal([], START), null, 'nothing scored on the first morning')
})
