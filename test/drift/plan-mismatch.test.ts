import t from 'tap'
import type { EngineInput } from '../../src/drift/drift-types.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { planMismatchSignal } from '../../src/drift/plan-mismatch.js'
import { engineInput, onDays, planVersion, simulate } from './engine-fixtures.js'

const signal = (input: EngineInput) => planMismatchSignal(buildLedger(input))

t.test('the target met, mostly on unplanned days: low, with the days they really train', async t => {
  t.match(signal(engineInput({ workouts: simulate(onDays('tue', 'thu', 'sat', 'sun')) })), {
    type: 'plan_mismatch',
    severity: 'low',
    message: 'Target met in 4 of the last 4 weeks, but 12 of 16 sessions fell on unplanned days — moving the plan to tue, thu, sat, sun would match how you really train.',
    evidence: { weeks: 4, weeks_met: 4, sessions: 16, on_unplanned_days: 12, suggested_weekdays: 'tue,thu,sat,sun' }
  })
  // Five days a week on a four-day plan: the four most frequent, ties to the earlier weekday.
  t.match(signal(engineInput({ workouts: simulate(onDays('mon', 'tue', 'thu', 'fri', 'sun')) })), { evidence: { suggested_weekdays: 'mon,tue,thu,fri' } })
})

t.test('no mismatch: on the planned days, short of the target, too little history, no plan', async t => {
  t.equal(signal(engineInput({ workouts: simulate(onDays('mon', 'wed', 'fri', 'sat')) })), null)
  t.equal(signal(engineInput({ workouts: simulate(onDays('tue', 'thu', 'sun')) })), null, 'three a week is not the target met')
  t.equal(signal(engineInput({ workouts: simulate(onDays('tue', 'thu', 'sat', 'sun'), '2026-03-02'), defaultStart: '2026-03-02' })), null, 'two weeks')
  t.equal(signal(engineInput({ plans: [planVersion({ end_date: '2026-03-01' })], workouts: simulate(onDays('tue', 'thu', 'sat', 'sun')) })), null)
})
