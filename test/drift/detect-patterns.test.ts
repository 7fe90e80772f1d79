import t from 'tap'
import { currentVerdict, detectPatterns } from '../../src/drift/detect-patterns.js'
import { engineInput, onDays, planVersion, simulate, START } from './engine-fixtures.js'

t.test('an empty history on the first day: nothing to worry about, nothing known', async t => {
  // Account created this Monday, nothing logged yet.
  t.same(detectPatterns(engineInput({ defaultStart: '2026-03-16', today: '2026-03-16', nowLocalTime: '05:00' })), {
    drift_detected: false,
    risk_score: 0,
    risk_level: 'low',
    confidence: 0,
    signals: [{
      type: 'safety_buffer',
      severity: 'low',
      message: '4 sessions still needed by Sunday 2026-03-22; they all still fit if you start by 2026-03-19 (room for 3 more to spare).',
      evidence: { needed: 4, target: 4, done: 0, capacity_left: 7, slack: 3, skipped_planned_days: 0, trains_on_own_days: 0, fails_on: '2026-03-19' }
    }],
    habit_strength: 0,
    safety_buffer: { needed: 4, by: '2026-03-22', fails_on: '2026-03-19' },
    recommended_intervention: { type: 'none', why: 'On track: no intervention needed.' },
    reasoning: 'On track: risk low (0/100, confidence 0). This week 0 of 4 sessions, 4 still needed by Sunday. Habit strength 0 of 100.'
  })
  t.same(currentVerdict(engineInput({ defaultStart: '2026-03-16', today: '2026-03-16' })), { on_track: true, risk_level: 'low' })
})

t.test('an empty history three weeks on is drift, and says why', async t => {
  const report = detectPatterns(engineInput({ defaultStart: '2026-02-23', today: '2026-03-18' }))
  t.match(report, { drift_detected: true, risk_level: 'high', habit_strength: 0, recommended_intervention: { type: 'calendar' } })
  t.same(report.signals.map(s => `${s.type}:${s.severity}`), ['consecutive_misses:high', 'completion_rate:high', 'safety_buffer:medium', 'habit_strength:low'])
  t.match(report.reasoning, /^Drift detected: risk high \(96\/100, confidence 0\.65\)\. This week 0 of 4 sessions, 4 still needed by Sunday\. Habit strength 0 of 100\. 12 planned sessions missed in a row/)
  t.match(report.reasoning, /Suggested: calendar — Block the next session in your calendar\./)
  t.same(currentVerdict(engineInput({ defaultStart: '2026-02-23', today: '2026-03-18' })), { on_track: false, risk_level: 'high' })
})

t.test('drifting with no type allowed: no intervention, and the reasoning says nothing to try', async t => {
  const none = { calendar: false, message: false, social: false, financial: false }
  const report = detectPatterns(engineInput({ defaultStart: '2026-02-23', preferences: none }))
  t.same(report.recommended_intervention, { type: 'none', why: 'No intervention type is allowed in your preferences.' })
  t.notMatch(report.reasoning, /Suggested/)
})

t.test('measured outcomes steer the recommendation', async t => {
  const outcomes = [
    { type: 'calendar' as const, helped: false, at: '2026-03-01T10:00:00Z' },
    { type: 'calendar' as const, helped: false, at: '2026-03-08T10:00:00Z' }
  ]
  t.equal(detectPatterns(engineInput({ defaultStart: '2026-02-23', outcomes })).recommended_intervention.type, 'message')
})

t.test('nothing planned this week (the plan ended): the past is still judged', async t => {
  const report = detectPatterns(engineInput({ plans: [planVersion({ end_date: '2026-03-08' })], workouts: simulate(onDays('mon', 'wed', 'fri', 'sat'), START, '2026-03-08') }))
  t.match(report, { drift_detected: false, safety_buffer: { needed: 0, fails_on: null } })
  t.match(report.reasoning, /Nothing is planned this week\./)
  t.notOk(report.signals.some(s => s.type === 'safety_buffer'))
})

t.test('a plan starting next month: nothing yet', async t => {
  const report = detectPatterns(engineInput({ plans: [planVersion({ start_date: '2026-04-06' })] }))
  t.match(report, { drift_detected: false, risk_score: 0, confidence: 0, habit_strength: 0, signals: [] })
})
