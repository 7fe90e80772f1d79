import fc from 'fast-check'
import t from 'tap'
import { addDays, canonicalTimeZone, localDate, parseInstant } from '../../src/shared/local-time.js'
import { computeStats, describeCommitment, workoutsSince } from '../../src/workouts/workout-stats.js'
import type { CompletionRate } from '../../src/drift/drift-types.js'
import type { WorkoutRecord } from '../../src/workouts/workout-schemas.js'

function workout (local_date: string, minutes: number, type = 'run', extra: Partial<WorkoutRecord> = {}): WorkoutRecord {
  const at = `${local_date}T12:00:00.000Z`
  return {
    workout_id: `w_${local_date}_${minutes}`, user_id: 'u_1', exercise_type: type, duration_minutes: minutes,
    form_quality: 'good', performed_at: at, local_date, local_time: '12:00', timezone: 'UTC', created_at: at, updated_at: at, audit: [], ...extra
  }
}

/** A completion rate as the drift engine reports it. */
const rate = (value: number | null, sessions = 3, target = 4): CompletionRate =>
  ({ days: 7, from: '2026-01-01', to: '2026-01-07', sessions, target, rate: value, counted_days: 7 })

t.test('stats follow the documented formulas; the completion rate is the engine\'s', async t => {
  const list = [workout('2026-01-07', 30), workout('2026-01-06', 45, 'yoga'), workout('2026-01-02', 20)]
  t.same(computeStats(list, 7, rate(75)), {
    total_workouts: 3, total_minutes: 95, average_duration: 31.7, completion_rate: 75, workouts_per_week: 3,
    exercise_breakdown: { run: 2, yoga: 1 }
  })
  t.equal(computeStats([], 7, rate(0, 0)).average_duration, 0, 'no division by zero')
  t.equal(computeStats([], 7, rate(null, 0, 0)).completion_rate, 100, 'nothing asked (all paused): nothing undone')
})

t.test('commitment: the engine\'s verdict, the window\'s sessions in words', async t => {
  t.same(describeCommitment(rate(75), { on_track: true, risk_level: 'low' }, 7),
    { on_track: true, risk_level: 'low', message: '3 of 4 planned sessions in the last 7 days (75%). On track — keep the rhythm.' })
  t.match(describeCommitment(rate(50, 2), { on_track: false, risk_level: 'medium' }, 7), { risk_level: 'medium', message: /2 of 4 .*\(50%\)\. Slipping/ })
  t.match(describeCommitment(rate(0, 0), { on_track: false, risk_level: 'high' }, 1), { message: /0 of 4 planned sessions today \(0%\)\. Start with one short session today/ })
  t.match(describeCommitment(rate(null, 0, 0), { on_track: true, risk_level: 'low' }, 7), { message: /^Nothing was planned in the last 7 days/ })
})

t.test('properties hold for any workouts and window', async t => {
  const arb = fc.record({
    minutes: fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 60 }),
    days: fc.integer({ min: 1, max: 365 })
  })
  fc.assert(fc.property(arb, ({ minutes, days }) => {
    const stats = computeStats(minutes.map((m, i) => workout('2026-01-01', m, `t${i % 3}`)), days, rate(50))
    return stats.completion_rate >= 0 && stats.completion_rate <= 100 &&
      stats.total_minutes === minutes.reduce((a, b) => a + b, 0) &&
      Object.values(stats.exercise_breakdown).reduce((a, b) => a + b, 0) === minutes.length &&
      (minutes.length === 0 || (stats.average_duration >= Math.min(...minutes) - 0.05 && stats.average_duration <= Math.max(...minutes) + 0.05))
  }))
  t.pass('fast-check found no counterexample')
})

t.test('workoutsSince keeps live workouts from a local date on, newest first', async t => {
  const deleted = workout('2026-01-07', 5, 'run', { deleted_at: '2026-01-07T13:00:00Z' })
  const list = [workout('2026-01-01', 10), workout('2026-01-05', 20), deleted, workout('2026-01-06', 30)]
  t.same(workoutsSince(list, '2026-01-05').map(w => w.duration_minutes), [30, 20])
})

t.test('local dates use the user\'s zone, across DST', async t => {
  t.equal(localDate(new Date('2026-03-10T14:30:00Z'), 'Asia/Tokyo'), '2026-03-10')
  t.equal(localDate(new Date('2026-03-10T15:30:00Z'), 'Asia/Tokyo'), '2026-03-11')
  t.equal(localDate(new Date('2026-03-08T06:59:00Z'), 'America/Los_Angeles'), '2026-03-07', 'before the spring-forward night ends')
  t.equal(localDate(new Date('2026-03-08T08:30:00Z'), 'America/Los_Angeles'), '2026-03-08')
  t.equal(addDays('2026-03-01', -1), '2026-02-28')
  t.equal(addDays('2024-12-31', 1), '2025-01-01')
  t.equal(canonicalTimeZone('Europe/Berlin'), 'Europe/Berlin')
  t.equal(canonicalTimeZone('UTC'), 'UTC')
  t.equal(canonicalTimeZone('Mars/Base'), null)
  t.equal(canonicalTimeZone('../etc/passwd'), null)
  t.ok(parseInstant('2026-01-05T07:30:00+01:00'))
  t.ok(parseInstant('2026-01-05T07:30:00.123Z'))
  t.equal(parseInstant('2026-01-05T07:30:00'), null, 'no zone, no instant')
  t.equal(parseInstant('2026-02-30T07:30:00Z'), null, 'impossible date')
})
