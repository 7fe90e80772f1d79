import t from 'tap'
import { build, logWorkout, register } from '../helpers/build-app.js'
import { completionRate } from '../../src/drift/completion-rate.js'
import { gatherEngineInput } from '../../src/drift/gather-engine-input.js'

import { addDays } from '../../src/shared/local-time.js'

/** Noon UTC k days ago (always in the past, never near a day boundary); now for k = 0. */
const daysAgo = (k: number) => k === 0 ? new Date().toISOString() : `${addDays(new Date().toISOString().slice(0, 10), -k)}T12:00:00Z`

t.test('logging a workout stores it for the session user and returns week stats', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const res = await logWorkout(app, alice, { exercise_type: 'Running', duration_minutes: 45, reps: 3, sets: 2, form_quality: 'excellent', notes: 'easy pace' })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.equal(body.success, true)
  t.match(body.workout, {
    user_id: alice.user.id,
    exercise_type: 'running',
    duration_minutes: 45,
    reps: 3,
    sets: 2,
    form_quality: 'excellent',
    notes: 'easy pace',
    timezone: 'UTC'
  })
  t.match(body.workout.workout_id, /^w_[0-9a-f]{20}$/)
  t.ok(Math.abs(Date.parse(body.workout.performed_at) - Date.now()) < 60_000, 'performed_at defaults to now')
  t.equal(body.workout.local_date, new Date().toISOString().slice(0, 10))
  t.notOk('audit' in body.workout)
  t.match(body.stats, { total_workouts: 1, total_minutes: 45, average_duration: 45, exercise_breakdown: { running: 1 } })

  const plain = await logWorkout(app, alice, { exercise_type: 'yoga', duration_minutes: 20 })
  t.notOk('form_quality' in plain.json().workout, 'a form rating nobody gave stays absent')
  const stored = await app.repo.listWorkouts(alice.user.id)
  t.notOk('form_quality' in stored.find(w => w.exercise_type === 'yoga')!, 'also on disk')
})

t.test('local_date is the day in the user\'s zone at logging time', async t => {
  const app = await build(t)
  const tokyo = await register(app, 'kenji', { timezone: 'Asia/Tokyo' })
  // 23:30 in Tokyo is 14:30 UTC the same day; 00:30 Tokyo is 15:30 UTC the previous UTC day.
  const late = await logWorkout(app, tokyo, { performed_at: '2026-03-10T23:30:00+09:00' })
  t.equal(late.json().workout.local_date, '2026-03-10')
  t.equal(late.json().workout.performed_at, '2026-03-10T14:30:00.000Z', 'stored in UTC')
  const early = await logWorkout(app, tokyo, { performed_at: '2026-03-10T15:30:00Z' })
  t.equal(early.json().workout.local_date, '2026-03-11')

  // A later zone change affects new workouts only.
  await app.inject({ method: 'PATCH', url: '/api/me', headers: tokyo.headers, payload: { timezone: 'America/New_York' } })
  const after = await logWorkout(app, tokyo, { performed_at: '2026-03-10T15:30:00Z' })
  t.equal(after.json().workout.local_date, '2026-03-10')
  t.equal(after.json().workout.timezone, 'America/New_York')
  const first = await app.inject({ url: `/api/workout/${late.json().workout.workout_id}`, headers: tokyo.headers })
  t.equal(first.json().workout.local_date, '2026-03-10', 'old workout keeps its date')
})

t.test('bad workout input gets a 400 naming the field and stores nothing', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ duration_minutes: '30' }, /body\.duration_minutes must be an integer/],
    [{ duration_minutes: 30.5 }, /body\.duration_minutes must be an integer/],
    [{ duration_minutes: 0 }, /body\.duration_minutes must be >= 1/],
    [{ duration_minutes: 601 }, /body\.duration_minutes must be <= 600/],
    [{ duration_minutes: true }, /body\.duration_minutes must be an integer/],
    [{ exercise_type: '' }, /body\.exercise_type must be at least 1 character$/],
    [{ exercise_type: '   ' }, /body\.exercise_type must not be blank/],
    [{ exercise_type: 'x'.repeat(65) }, /body\.exercise_type must be at most 64/],
    [{ reps: 0 }, /body\.reps must be >= 1/],
    [{ sets: 1001 }, /body\.sets must be <= 1000/],
    [{ form_quality: 'great' }, /body\.form_quality must be one of: excellent, good, fair, needs_improvement/],
    [{ notes: 'n'.repeat(1001) }, /body\.notes must be at most 1000/],
    [{ performed_at: 'yesterday' }, /body\.performed_at must be an RFC 3339 date-time/],
    [{ performed_at: '2026-03-10T10:00:00' }, /body\.performed_at must be an RFC 3339 date-time/],
    [{ performed_at: new Date(Date.now() + 10 * 60_000).toISOString() }, /body\.performed_at is in the future/],
    [{ performed_at: '0001-01-01T00:00:00Z' }, /body\.performed_at must be on or after 2000-01-01/],
    [{ performed_at: '1999-12-31T23:59:59Z' }, /body\.performed_at must be on or after 2000-01-01/],
    [{ request_id: '' }, /body\.request_id must be at least 1/],
    [{ calories: 300 }, /body has unknown property 'calories'/]
  ]
  for (const [override, message] of cases) {
    const res = await logWorkout(app, alice, override)
    t.equal(res.statusCode, 400, JSON.stringify(override).slice(0, 60))
    t.match(res.json(), { statusCode: 400, error: 'Bad Request', message })
  }
  const missing = await app.inject({ method: 'POST', url: '/api/workout/log', headers: alice.headers, payload: { duration_minutes: 30 } })
  t.match(missing.json().message, /body\.exercise_type is required/)
  const history = await app.inject({ url: '/api/workout/history?days_back=30', headers: alice.headers })
  t.equal(history.json().workouts.length, 0, 'nothing was stored')
  const nearFuture = await logWorkout(app, alice, { performed_at: new Date(Date.now() + 2 * 60_000).toISOString() })
  t.equal(nearFuture.statusCode, 201, 'a couple of minutes of clock skew is tolerated')
})

t.test('request_id makes logging idempotent per user', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const bob = await register(app, 'bob')
  const body = { exercise_type: 'swim', duration_minutes: 40, request_id: 'req-1' }
  const first = await logWorkout(app, alice, body)
  t.equal(first.statusCode, 201)
  const retry = await logWorkout(app, alice, { duration_minutes: 40, request_id: 'req-1', exercise_type: 'swim' })
  t.equal(retry.statusCode, 200)
  t.same(retry.json(), first.json(), 'the original response, exactly')
  const conflicting = await logWorkout(app, alice, { ...body, duration_minutes: 41 })
  t.equal(conflicting.statusCode, 409)
  t.match(conflicting.json().message, /request_id "req-1" was already used/)
  const otherUser = await logWorkout(app, bob, body)
  t.equal(otherUser.statusCode, 201, 'ids are per user')
  const concurrent = await Promise.all(Array.from({ length: 5 }, () => logWorkout(app, alice, { ...body, request_id: 'req-2' })))
  t.same(concurrent.map(r => r.statusCode).sort(), [200, 200, 200, 200, 201])
  const history = await app.inject({ url: '/api/workout/history', headers: alice.headers })
  t.equal(history.json().stats.total_workouts, 2, 'one workout per request id')
})

t.test('a workout can be corrected and deleted, with an audit trail in the export', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const bob = await register(app, 'bob')
  const logged = (await logWorkout(app, alice, { exercise_type: 'bike', duration_minutes: 30, notes: 'windy' })).json().workout
  const url = `/api/workout/${logged.workout_id}`

  const patched = await app.inject({ method: 'PATCH', url, headers: alice.headers, payload: { duration_minutes: 50, notes: null } })
  t.equal(patched.statusCode, 200)
  t.equal(patched.json().workout.duration_minutes, 50)
  t.notOk('notes' in patched.json().workout, 'null clears an optional field')

  for (const payload of [{}, { duration_minutes: '50' }, { workout_id: 'w_x' }, { user_id: bob.user.id }, { request_id: 'r' }]) {
    const bad = await app.inject({ method: 'PATCH', url, headers: alice.headers, payload })
    t.ok([400, 403].includes(bad.statusCode), `rejected: ${JSON.stringify(payload)} → ${bad.statusCode}`)
  }

  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    const res = await app.inject({ method, url, headers: bob.headers, payload: method === 'PATCH' ? { duration_minutes: 1 } : undefined })
    t.equal(res.statusCode, 404, `bob cannot ${method} alice's workout`)
  }

  const one = await app.inject({ url, headers: alice.headers })
  t.match(one.json().workout.audit, [
    { action: 'create' },
    { action: 'update', changes: { duration_minutes: { from: 30, to: 50 }, notes: { from: 'windy', to: null } } }
  ])

  t.equal((await app.inject({ method: 'DELETE', url, headers: alice.headers })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url, headers: alice.headers })).statusCode, 404, 'already gone')
  t.equal((await app.inject({ url, headers: alice.headers })).statusCode, 404)
  const history = await app.inject({ url: '/api/workout/history', headers: alice.headers })
  t.equal(history.json().workouts.length, 0)

  const exported = (await app.inject({ url: '/api/me/export', headers: alice.headers })).json()
  const record = exported.workouts.find((w: { workout_id: string }) => w.workout_id === logged.workout_id)
  t.ok(record.deleted_at, 'the export shows the deletion')
  t.same(record.audit.map((a: { action: string }) => a.action), ['create', 'update', 'delete'])
  const bobs = (await app.inject({ url: '/api/workout/history', headers: bob.headers })).json()
  t.equal(bobs.workouts.length, 0)
})

t.test('history covers the last N local dates; completion and verdict come from the drift engine', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const today = new Date().toISOString().slice(0, 10)
  const plan = await app.inject({ method: 'PUT', url: '/api/me/plan', headers: alice.headers, payload: { start_date: addDays(today, -27), weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } })
  t.equal(plan.statusCode, 200)
  // Today and 2, 6, 7, 20 days ago.
  for (const [k, type, minutes] of [[0, 'run', 30], [2, 'yoga', 45], [6, 'run', 20], [7, 'swim', 60], [20, 'run', 10]] as const) {
    const res = await logWorkout(app, alice, { exercise_type: type, duration_minutes: minutes, performed_at: daysAgo(k) })
    t.equal(res.statusCode, 201)
  }
  const input = await gatherEngineInput(app.repo, alice.user.id)
  const patterns = (await app.inject({ url: '/api/patterns', headers: alice.headers })).json()
  const week = (await app.inject({ url: '/api/workout/history?days_back=7', headers: alice.headers })).json()
  t.equal(week.workouts.length, 3, 'today, 2 and 6 days ago')
  t.same(week.workouts.map((w: { exercise_type: string }) => w.exercise_type), ['run', 'yoga', 'run'], 'newest first')
  t.same(week.stats, {
    total_workouts: 3,
    total_minutes: 95,
    average_duration: 31.7,
    completion_rate: completionRate(input, 7).rate,
    workouts_per_week: 3,
    exercise_breakdown: { run: 2, yoga: 1 }
  })
  t.match(week.commitment_analysis, { on_track: !patterns.drift_detected, risk_level: patterns.risk_level, message: /planned sessions? in the last 7 days/ })

  const month = (await app.inject({ url: '/api/workout/history?days_back=28', headers: alice.headers })).json()
  t.equal(month.stats.total_workouts, 5)
  t.equal(month.stats.completion_rate, completionRate(input, 28).rate, 'the 10-minute session does not qualify (min 20)')
  t.same([month.commitment_analysis.on_track, month.commitment_analysis.risk_level], [!patterns.drift_detected, patterns.risk_level], 'the same verdict whatever the window')

  const defaulted = (await app.inject({ url: '/api/workout/history', headers: alice.headers })).json()
  t.equal(defaulted.stats.total_workouts, 3, 'days_back defaults to 7')

  for (const q of ['days_back=0', 'days_back=366', 'days_back=abc', 'days_back=1.5']) {
    const res = await app.inject({ url: `/api/workout/history?${q}`, headers: alice.headers })
    t.equal(res.statusCode, 400, q)
    t.match(res.json().message, /querystring\.days_back/)
  }
})

t.test('five workouts on one day are one session toward the week, not five', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  for (let i = 0; i < 5; i++) t.equal((await logWorkout(app, alice, { duration_minutes: 30 })).statusCode, 201)
  const week = (await app.inject({ url: '/api/workout/history?days_back=7', headers: alice.headers })).json()
  t.equal(week.stats.total_workouts, 5, 'all five are listed')
  t.match(week.commitment_analysis.message, /^1 of \d+ planned session/, 'one session counted')
  const logged = (await logWorkout(app, alice, { duration_minutes: 30 })).json()
  t.equal(logged.stats.completion_rate, week.stats.completion_rate, 'a sixth changes nothing either, in the log reply too')
})
