// Properties over random histories: whatever the plans, pauses and workouts, the report stays in
// its ranges, the statuses keep their definitions, and more training never looks worse.
import fc from 'fast-check'
import t from 'tap'
import { consecutiveMissesOf } from '../../src/drift/consecutive-misses.js'
import { completionRate } from '../../src/drift/completion-rate.js'
import { detectPatterns } from '../../src/drift/detect-patterns.js'
import { WEEKDAYS, type EngineInput, type EngineWorkout, type PlanVersion } from '../../src/drift/drift-types.js'
import { habitStrength } from '../../src/drift/habit-strength.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { sessionStatuses } from '../../src/drift/session-status.js'
import { addDays } from '../../src/shared/local-time.js'
import { clock, engineInput } from './engine-fixtures.js'

const FIRST = '2025-12-01'
const date = (min = 0, max = 120) => fc.integer({ min, max }).map(n => addDays(FIRST, n))
const time = fc.integer({ min: 0, max: 24 * 60 - 1 }).map(clock)

const plan: fc.Arbitrary<PlanVersion> = fc.record({
  max_sessions_per_day: fc.integer({ min: 1, max: 3 }),
  perDay: fc.integer({ min: 1, max: 7 }),
  weekdays: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  window_start: time,
  window_end: time,
  min_minutes: fc.integer({ min: 10, max: 40 }),
  start_date: date(0, 80),
  ends: fc.option(fc.integer({ min: 0, max: 60 })),
  created: fc.integer({ min: 0, max: 1000 })
}).map(p => ({
  // A valid plan asks at most what its days can hold.
  sessions_per_week: Math.min(14, p.perDay * p.max_sessions_per_day),
  weekdays: p.weekdays,
  window_start: p.window_start,
  window_end: p.window_end,
  min_minutes: p.min_minutes,
  max_sessions_per_day: p.max_sessions_per_day,
  start_date: p.start_date,
  end_date: p.ends === null ? null : addDays(p.start_date, p.ends),
  created_at: new Date(Date.UTC(2025, 10, 1) + p.created * 60_000).toISOString()
}))

const workout: fc.Arbitrary<EngineWorkout> = fc.record({
  local_date: date(),
  local_time: fc.option(time, { nil: undefined }),
  duration_minutes: fc.integer({ min: 1, max: 90 })
}).map(w => w.local_time === undefined ? { local_date: w.local_date, duration_minutes: w.duration_minutes } : w)

const input: fc.Arbitrary<EngineInput> = fc.record({
  plans: fc.array(plan, { maxLength: 3 }),
  workouts: fc.array(workout, { maxLength: 80 }),
  pauses: fc.array(fc.record({ start: date(), length: fc.integer({ min: 0, max: 20 }) }), { maxLength: 2 }),
  today: date(20, 120),
  outcomes: fc.array(fc.record({ type: fc.constantFrom('calendar' as const, 'message' as const, 'social' as const, 'financial' as const), helped: fc.boolean(), at: fc.constant('2026-01-01T00:00:00Z') }), { maxLength: 6 })
}).map(r => engineInput({
  plans: r.plans,
  defaultStart: FIRST,
  workouts: r.workouts,
  pauses: r.pauses.map((p, i) => ({ pause_id: `p${i}`, start_date: p.start, end_date: addDays(p.start, p.length), created_at: '2025-12-01T00:00:00Z' })),
  today: r.today,
  outcomes: r.outcomes
}))

const RANK = { low: 0, medium: 1, high: 2 }
const RUNS = { numRuns: 150 }

t.test('the report stays in its ranges and its level follows its rules', async t => {
  fc.assert(fc.property(input, input => {
    const r = detectPatterns(input)
    const worst = Math.max(0, ...r.signals.map(s => RANK[s.severity]))
    const band = r.risk_score < 34 ? 0 : r.risk_score < 67 ? 1 : 2
    return Number.isInteger(r.risk_score) && r.risk_score >= 0 && r.risk_score <= 100 &&
      r.confidence >= 0 && r.confidence <= 1 &&
      Number.isInteger(r.habit_strength) && r.habit_strength >= 0 && r.habit_strength <= 100 &&
      RANK[r.risk_level] === Math.max(band, worst) &&
      r.drift_detected === (r.risk_level !== 'low') &&
      r.safety_buffer.needed >= 0 && (r.safety_buffer.needed > 0 || r.safety_buffer.fails_on === null) &&
      (r.drift_detected || r.recommended_intervention.type === 'none') &&
      r.reasoning.length > 0
  }), RUNS)
  t.pass('fast-check found no counterexample')
})

t.test('statuses keep their definitions', async t => {
  fc.assert(fc.property(input, input => {
    const ledger = buildLedger(input, addDays(input.today, 14))
    for (const s of sessionStatuses(input, FIRST, addDays(input.today, 14))) {
      const day = ledger.day(s.date)!
      const week = ledger.week(s.date)!
      const ok = ({
        paused: day.paused,
        done: !day.paused && day.sessions > 0,
        upcoming: !day.paused && day.sessions === 0 && s.date >= input.today,
        made_up: day.sessions === 0 && s.date < input.today && week.sessions >= week.target,
        missed: day.sessions === 0 && s.date < input.today && week.sessions < week.target,
        skipped: day.sessions === 0 && s.date < input.today && !week.complete && week.sessions < week.target
      })[s.status]
      if (!ok || !day.planned) return false
    }
    return true
  }), RUNS)
  t.pass('fast-check found no counterexample')
})

t.test('more training never looks worse; duplicates beyond max_sessions_per_day change nothing', async t => {
  fc.assert(fc.property(input, fc.integer({ min: 1, max: 60 }), (input, back) => {
    const extra = { local_date: addDays(input.today, -back), duration_minutes: 90 }
    const more = { ...input, workouts: [...input.workouts, extra] }
    return consecutiveMissesOf(buildLedger(more)) <= consecutiveMissesOf(buildLedger(input)) &&
      habitStrength(more) >= habitStrength(input) &&
      (completionRate(more, 28).rate ?? 0) >= (completionRate(input, 28).rate ?? 0)
  }), RUNS)
  fc.assert(fc.property(input, input => {
    const once = { ...input, plans: input.plans.map(p => ({ ...p, max_sessions_per_day: 1, sessions_per_week: Math.min(7, p.sessions_per_week) })) }
    const twice = { ...once, workouts: [...once.workouts, ...once.workouts] }
    return JSON.stringify(sessionStatuses(once, FIRST, once.today)) === JSON.stringify(sessionStatuses(twice, FIRST, twice.today)) &&
      habitStrength(once) === habitStrength(twice) &&
      completionRate(once, 28).rate === completionRate(twice, 28).rate
  }), RUNS)
  t.pass('fast-check found no counterexample')
})

t.test('pure: the input is not touched and the same input gives the same report', async t => {
  fc.assert(fc.property(input, input => {
    const before = JSON.stringify(input)
    const a = JSON.stringify(detectPatterns(input))
    return JSON.stringify(input) === before && JSON.stringify(detectPatterns(input)) === a
  }), { numRuns: 50 })
  t.pass('fast-check found no counterexample')
})
