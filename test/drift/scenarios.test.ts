// Simulated people over ten and a half weeks (2026-01-05 to Wednesday 2026-03-18) on the default
// plan — 4 sessions a week, Mon/Wed/Fri/Sat 06:00–07:30, 20 minutes at least — with seeded
// variation in how long and when they train. The question each one asks: does the engine see what
// a coach would see, and leave alone the people keeping their resolution?
import t from 'tap'
import { detectPatterns } from '../../src/drift/detect-patterns.js'
import type { DriftReport, EngineInput, SignalType, Weekday } from '../../src/drift/drift-types.js'
import { addDays } from '../../src/shared/local-time.js'
import { clock, engineInput, seeded, simulate, START, TODAY, type Habit } from './engine-fixtures.js'

const PLANNED: Weekday[] = ['mon', 'wed', 'fri', 'sat']

/** Trains on `days`, 25–55 minutes, starting somewhere between 06:00 and 07:00. */
function person (seed: number, days: Weekday[], minutes: (week: number, random: number) => number = (_w, r) => 25 + Math.floor(30 * r)): Habit {
  const random = seeded(seed)
  return (_date, weekday, week) => {
    const r = random()
    return days.includes(weekday) ? { minutes: minutes(week, r), time: clock(360 + Math.floor(60 * random())) } : null
  }
}

const signalsOf = (report: DriftReport) => Object.fromEntries(report.signals.map(s => [s.type, s.severity])) as Partial<Record<SignalType, string>>
const mediumOrWorse = (report: DriftReport) => report.signals.filter(s => s.severity !== 'low').map(s => s.type)

/** Every day of the current week, before and after that day's training. */
function everyDayOfAWeek (habit: Habit, extra: Partial<EngineInput> = {}): Array<{ label: string, report: DriftReport }> {
  const out = []
  for (let i = 0; i < 7; i++) {
    const today = addDays('2026-03-16', i)
    const workouts = simulate(habit, START, today)
    for (const morning of [true, false]) {
      const report = detectPatterns(engineInput({ workouts: workouts.filter(w => !morning || w.local_date < today), today, ...extra }))
      out.push({ label: `${today}${morning ? ' morning' : ''}`, report })
    }
  }
  return out
}

t.test('consistent: four a week on the planned days — no drift, ever', async t => {
  const habit = person(1, PLANNED)
  const report = detectPatterns(engineInput({ workouts: simulate(habit) }))
  t.match(report, { drift_detected: false, risk_level: 'low', risk_score: 0, recommended_intervention: { type: 'none' } })
  t.same(mediumOrWorse(report), [])
  t.ok(report.habit_strength >= 90, `habit ${report.habit_strength}`)
  t.ok(report.confidence > 0.9)
  for (const { label, report } of everyDayOfAWeek(habit)) t.notOk(report.drift_detected, `${label}: ${mediumOrWorse(report)}`)
})

t.test('four a week on other days than planned: on track, with a hint to move the plan', async t => {
  const habit = person(2, ['tue', 'thu', 'sat', 'sun'])
  const report = detectPatterns(engineInput({ workouts: simulate(habit) }))
  t.match(report, { drift_detected: false, risk_level: 'low' })
  t.equal(signalsOf(report).plan_mismatch, 'low')
  t.notOk(signalsOf(report).consecutive_misses)
  t.match(report.reasoning, /moving the plan to tue, thu, sat, sun/)
  for (const { label, report } of everyDayOfAWeek(habit)) t.notOk(report.drift_detected, `${label}: ${mediumOrWorse(report)}`)
})

t.test('skips Mondays: the weekday pattern', async t => {
  const report = detectPatterns(engineInput({ workouts: simulate(person(3, ['wed', 'fri', 'sat'])) }))
  t.match(report.signals.find(s => s.type === 'weekday_pattern'), { severity: 'medium', evidence: { weekday: 'mon', missed: 5, planned: 5 } })
  t.match(report, { drift_detected: true, risk_level: 'medium' })
  t.notOk(signalsOf(report).frequency_trend, 'a steady 3 of 4 is not a falling trend')
})

t.test('a slow decline: the frequency trend', async t => {
  const perWeek = [4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1]
  const random = seeded(4)
  const habit: Habit = (_date, weekday, week) => {
    const r = random()
    // Which planned days survive rotates, so no single weekday carries the decline.
    const slot = (PLANNED.indexOf(weekday) + week) % 4
    return PLANNED.includes(weekday) && slot < perWeek[week] ? 25 + Math.floor(30 * r) : null
  }
  const report = detectPatterns(engineInput({ workouts: simulate(habit) }))
  t.match(report.signals.find(s => s.type === 'frequency_trend'), { severity: 'high', evidence: { weeks: 6, last_week_sessions: 1 } })
  t.match(report, { drift_detected: true, risk_level: 'high' })
  t.equal(signalsOf(report).completion_rate, 'high')
  t.notOk(signalsOf(report).weekday_pattern)
})

t.test('sessions shrinking below the minimum: the duration trend, then misses', async t => {
  const report = detectPatterns(engineInput({ workouts: simulate(person(5, PLANNED, week => 45 - 3 * week)) }))
  t.match(signalsOf(report), { duration_trend: 'high', consecutive_misses: 'high' })
  t.match(report.signals.find(s => s.type === 'duration_trend'), { evidence: { min_minutes: 20, last_week_mean_minutes: 18 } })
  t.match(report, { drift_detected: true, risk_level: 'high' })
  t.match(report.reasoning, /Sessions are getting shorter/)
})

t.test('stopped 9 days ago: consecutive misses, high', async t => {
  const report = detectPatterns(engineInput({ workouts: simulate(person(6, PLANNED), START, addDays(TODAY, -9)) }))
  t.match(report.signals[0], { type: 'consecutive_misses', severity: 'high', evidence: { missed_in_a_row: 3, days_since_last_session: 9 } })
  t.match(report, { drift_detected: true, risk_level: 'high' })
  t.ok(report.risk_score >= 67)
  t.match(report.reasoning, /3 planned sessions missed in a row; the last qualifying session was 9 days ago/)
  t.equal(report.recommended_intervention.type, 'calendar')
})

t.test('two weeks of vacation, paused: no drift, the habit kept', async t => {
  const habit = person(7, PLANNED)
  const vacation = (date: string) => date >= '2026-03-02' && date <= '2026-03-15'
  const workouts = simulate((date, ...rest) => vacation(date) ? null : habit(date, ...rest))
  const pauses = [{ pause_id: 'p1', start_date: '2026-03-02', end_date: '2026-03-15', reason: 'vacation', created_at: '2026-02-20T10:00:00Z' }]
  const report = detectPatterns(engineInput({ workouts, pauses }))
  t.match(report, { drift_detected: false, risk_level: 'low' })
  t.same(mediumOrWorse(report), [])
  t.ok(report.habit_strength >= 85, `habit ${report.habit_strength}`)
  // The same two weeks without a pause are drift.
  t.match(detectPatterns(engineInput({ workouts })), { drift_detected: true, risk_level: 'high' })
  // Still on vacation today (paused through Sunday): nothing expected, nothing flagged.
  const ongoing = [{ pause_id: 'p2', start_date: '2026-03-09', end_date: '2026-03-22', created_at: '2026-03-01T10:00:00Z' }]
  const away = simulate((date, ...rest) => date >= '2026-03-09' ? null : habit(date, ...rest))
  t.match(detectPatterns(engineInput({ workouts: away, pauses: ongoing })), { drift_detected: false, safety_buffer: { needed: 0 } })
})

t.test('sessions drifting from the morning window to the evening: noticed, not drift', async t => {
  const random = seeded(8)
  const habit: Habit = (date, weekday) => PLANNED.includes(weekday)
    ? { minutes: 30, time: clock((date >= '2026-03-02' ? 19 * 60 : 6 * 60) + Math.floor(60 * random())) }
    : null
  const report = detectPatterns(engineInput({ workouts: simulate(habit) }))
  t.match(report.signals.find(s => s.type === 'time_of_day_drift'), { severity: 'low', evidence: { direction: 'later' } })
  t.match(report, { drift_detected: false })
  t.match(report.reasoning, /drifted later than the planned window/)
})
