import t from 'tap'
import type { EngineInput } from '../../src/drift/drift-types.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { weekdayPatternSignal } from '../../src/drift/weekday-pattern.js'
import { engineInput, onDays, planVersion, simulate, START, workout } from './engine-fixtures.js'

const signal = (input: EngineInput) => weekdayPatternSignal(buildLedger(input))

t.test('the planned weekday that keeps being missed', async t => {
  t.match(signal(engineInput({ workouts: simulate(onDays('wed', 'fri', 'sat')) })), {
    type: 'weekday_pattern',
    severity: 'medium',
    message: 'Missed 5 of the last 5 Mondays, against 0% of the other planned days — maybe that day needs a different slot.',
    evidence: { weekday: 'mon', missed: 5, planned: 5, other_days_missed_pct: 0 }
  })
  // Mondays missed from 9 February on but for 9 March: 4 of the last 5 judged (16 March is still open).
  const habit = onDays('mon', 'wed', 'fri', 'sat')
  const workouts = simulate((date, weekday, week) => weekday === 'mon' && date >= '2026-02-09' && date !== '2026-03-09' ? null : habit(date, weekday, week))
  t.match(signal(engineInput({ workouts })), { message: /^Missed 4 of the last 5 Mondays/, evidence: { weekday: 'mon', missed: 4, planned: 5 } })
})

t.test('no pattern when every weekday slips alike, when Mondays are made up, or with too little history', async t => {
  t.equal(signal(engineInput({ workouts: simulate(onDays('mon', 'wed', 'fri', 'sat'), START, '2026-02-14') })), null, 'stopped: all days missed alike')
  t.equal(signal(engineInput({ workouts: simulate(onDays('tue', 'wed', 'fri', 'sat')) })), null, 'made up on Tuesdays: not missed')
  t.equal(signal(engineInput({ workouts: simulate(onDays('wed', 'fri', 'sat'), START, '2026-01-17'), today: '2026-01-19' })), null, 'two missed Mondays are not yet a pattern')
  t.equal(signal(engineInput({ plans: [planVersion({ end_date: '2026-03-01' })] })), null, 'no plan today')
})

t.test('a one-day plan has no other days to compare with', async t => {
  const plans = [planVersion({ sessions_per_week: 1, weekdays: ['sun'] })]
  t.match(signal(engineInput({ plans, workouts: [workout('2026-01-11')] })), { evidence: { weekday: 'sun', missed: 5, planned: 5, other_days_missed_pct: 0 } })
})

t.test('two weekdays skipped alike: the first in week order is named', async t => {
  t.match(signal(engineInput({ workouts: simulate(onDays('fri', 'sat')) })), { evidence: { weekday: 'mon', missed: 5, planned: 5, other_days_missed_pct: 33 } })
  const listedBackwards = [planVersion({ weekdays: ['sat', 'fri', 'wed', 'mon'] })]
  t.match(signal(engineInput({ plans: listedBackwards, workouts: simulate(onDays('fri', 'sat')) })), { evidence: { weekday: 'mon' } })
})
