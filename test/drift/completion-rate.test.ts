import t from 'tap'
import { completionRate, completionRateSignal } from '../../src/drift/completion-rate.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { engineInput, onDays, simulate, workout } from './engine-fixtures.js'

// Today is Wednesday 2026-03-18 (default plan, 4 a week, since 2026-01-05).
const history = ['2026-02-18', '2026-02-20', '2026-03-04', '2026-03-06', '2026-03-11', '2026-03-13', '2026-03-16'].map(d => workout(d))

t.test('7, 14 and 28 days against the weekly target, up to the last settled day', async t => {
  const input = engineInput({ workouts: history })
  t.same(completionRate(input, 7), { days: 7, from: '2026-03-11', to: '2026-03-17', sessions: 3, target: 4, rate: 75, counted_days: 7 },
    'no session yet today: the window ends yesterday')
  t.match(completionRate(input, 14), { from: '2026-03-04', sessions: 5, target: 8, rate: 63 }, '5 / 8 = 62.5%')
  t.match(completionRate(input, 28), { from: '2026-02-18', sessions: 7, target: 16, rate: 44 })
  const trained = engineInput({ workouts: [...history, workout('2026-03-18')] })
  t.match(completionRate(trained, 7), { from: '2026-03-12', to: '2026-03-18', sessions: 3, rate: 75 }, 'today counts once it has a session')
})

t.test('someone doing every planned session is at 100% whichever day it is', async t => {
  for (const today of ['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22']) {
    const workouts = simulate(onDays('mon', 'wed', 'fri', 'sat'), '2026-01-05', today)
    for (const days of [7, 14, 28]) t.equal(completionRate(engineInput({ workouts, today }), days).rate, 100, `${today}, ${days} days`)
    // Before the day's session (morning) the window simply ends yesterday.
    const morning = workouts.filter(w => w.local_date < today)
    t.equal(completionRate(engineInput({ workouts: morning, today }), 7).rate, 100, `${today} before training`)
  }
})

t.test('paused days count neither way; nothing asked for is null; above target is capped', async t => {
  const pauses = [{ pause_id: 'p', start_date: '2026-03-09', end_date: '2026-03-15', created_at: '2026-03-01T00:00:00Z' }]
  t.same(completionRate(engineInput({ workouts: history, pauses }), 14),
    { days: 14, from: '2026-03-04', to: '2026-03-17', sessions: 3, target: 4, rate: 75, counted_days: 7 },
    'the pause\'s week is out: its two workouts and its share of the target alike')
  const allPaused = [{ pause_id: 'p', start_date: '2026-03-01', end_date: '2026-03-31', created_at: '2026-03-01T00:00:00Z' }]
  t.match(completionRate(engineInput({ workouts: history, pauses: allPaused }), 7), { rate: null, target: 0, counted_days: 0 })
  t.match(completionRate(engineInput({ defaultStart: '2026-04-01' }), 7), { rate: null }, 'before the plan starts')
  const daily = simulate(() => 30, '2026-03-01', '2026-03-17')
  t.match(completionRate(engineInput({ workouts: daily }), 7), { sessions: 7, rate: 100 }, '7 of 4 is 100%, not 175%')
})

t.test('the completion signal follows the 14-day rate once it covers a week', async t => {
  const signal = (input: Parameters<typeof buildLedger>[0]) => completionRateSignal(buildLedger(input))
  t.match(signal(engineInput({ workouts: history })), {
    type: 'completion_rate',
    severity: 'medium',
    message: '5 sessions in the last 14 days against a target of 8 (63%); last 7 days 75%, last 28 days 44%.',
    evidence: { rate_7: 75, rate_14: 63, rate_28: 44, sessions_14: 5, target_14: 8, counted_days_14: 14 }
  })
  t.match(signal(engineInput({ workouts: history.slice(0, 5) })), { severity: 'high', evidence: { rate_14: 38 } })
  t.match(signal(engineInput({ workouts: simulate(onDays('mon', 'wed', 'fri', 'sat')) })), { severity: 'low', evidence: { rate_14: 100 } })
  t.match(signal(engineInput({ defaultStart: '2026-03-16' })), {
    severity: 'low',
    message: /counting 2 days in the plan/,
    evidence: { rate_14: 0, counted_days_14: 2 }
  }, 'two days into a plan, 0% is not yet a verdict')
  t.equal(signal(engineInput({ defaultStart: '2026-03-18' })), null, 'nothing to rate on the first morning')
})
