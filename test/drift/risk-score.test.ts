import t from 'tap'
import type { CompletionRate, Severity, Signal } from '../../src/drift/drift-types.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { confidenceOf, judgedSessions, riskLevel, riskScore } from '../../src/drift/risk-score.js'
import { engineInput, onDays, simulate, START } from './engine-fixtures.js'
import { addDays } from '../../src/shared/local-time.js'

const s = (severity: Severity, type: Signal['type'] = 'weekday_pattern'): Signal => ({ type, severity, message: '', evidence: {} })
const rate = (value: number | null, counted = 14): CompletionRate => ({ days: 14, from: '', to: '', sessions: 0, target: 8, rate: value, counted_days: counted })

t.test('risk score: a noisy-OR of the evidence', async t => {
  t.equal(riskScore([], rate(100)), 0)
  t.equal(riskScore([s('low'), s('low', 'plan_mismatch'), s('low', 'safety_buffer')], rate(100)), 0, 'low signals weigh nothing')
  t.equal(riskScore([s('medium')], rate(100)), 34)
  t.equal(riskScore([s('high')], rate(100)), 67)
  t.equal(riskScore([s('medium'), s('medium')], rate(100)), 56)
  t.equal(riskScore([s('medium'), s('medium'), s('medium')], rate(100)), 71)
  t.equal(riskScore([s('high'), s('high'), s('high')], rate(100)), 96)
  t.equal(riskScore([], rate(75)), 13, 'the 14-day shortfall: 0.5 × 25%')
  t.equal(riskScore([], rate(0)), 50)
  t.equal(riskScore([], rate(0, 6)), 0, 'under a week of counted days it says nothing')
  t.equal(riskScore([], rate(null, 0)), 0)
})

t.test('risk level: bands, never below the most severe signal', async t => {
  t.equal(riskLevel(33, []), 'low')
  t.equal(riskLevel(34, []), 'medium')
  t.equal(riskLevel(66, []), 'medium')
  t.equal(riskLevel(67, []), 'high')
  t.equal(riskLevel(10, [s('low'), s('medium')]), 'medium')
  t.equal(riskLevel(40, [s('high')]), 'high')
  t.equal(riskLevel(80, [s('medium')]), 'high', 'the floor only raises')
})

t.test('confidence grows with the history judged', async t => {
  const at = (weeks: number) => {
    const today = addDays(START, 7 * weeks)
    return confidenceOf(buildLedger(engineInput({ workouts: simulate(onDays('mon', 'wed', 'fri', 'sat'), START, addDays(today, -1)), today })))
  }
  t.equal(at(0), 0, 'nothing judged on day one')
  t.equal(at(2), 0.5, '8 sessions judged')
  t.equal(at(4), 0.75)
  t.equal(at(8), 0.94)
  const ledger = buildLedger(engineInput({ today: addDays(START, 14), pauses: [{ pause_id: 'p', start_date: START, end_date: addDays(START, 13), created_at: `${START}T00:00:00Z` }] }))
  t.equal(judgedSessions(ledger), 0, 'paused sessions are not history judged')
})
