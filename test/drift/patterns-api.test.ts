// GET /api/patterns and the coach's detectPatterns tool over the real store: a person keeping the
// plan gets no drift; one who stopped gets the misses, with the same report from both front doors.
import t from 'tap'
import { addDays, localDate } from '../../src/shared/local-time.js'
import { build, logWorkout, register, type Session } from '../helpers/build-app.js'
import type { FastifyInstance } from 'fastify'

const DAY = 86_400_000

/** Plan from 5 weeks ago (every day allowed, 4 a week) and workouts on the given days back, at 07:00 UTC. */
async function person (app: FastifyInstance, name: string, daysAgo: number[]): Promise<Session> {
  const s = await register(app, name)
  const today = localDate(new Date(), 'UTC')
  const plan = await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { start_date: addDays(today, -35), weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } })
  t.equal(plan.statusCode, 200)
  for (const d of daysAgo) {
    const at = new Date(Date.parse(`${addDays(today, -d)}T07:00:00Z`))
    if (at.getTime() > Date.now()) continue
    const res = await logWorkout(app, s, { duration_minutes: 40, performed_at: at.toISOString() })
    t.equal(res.statusCode, 201)
  }
  return s
}

t.test('a person training every other day has no drift; one who stopped 9 days ago has', async t => {
  const app = await build(t)
  const steady = await person(app, 'steady', Array.from({ length: 18 }, (_, i) => 1 + i * 2))
  const stopped = await person(app, 'stopped', Array.from({ length: 12 }, (_, i) => 9 + i * 2))

  const good = await app.inject({ url: '/api/patterns', headers: steady.headers })
  t.equal(good.statusCode, 200)
  t.match(good.json(), { drift_detected: false, risk_level: 'low' })
  t.ok(good.json().habit_strength > 20, `habit strength ${good.json().habit_strength}`)

  const bad = (await app.inject({ url: '/api/patterns', headers: stopped.headers })).json()
  t.match(bad, { drift_detected: true })
  t.not(bad.risk_level, 'low')
  const misses = bad.signals.find((s: { type: string }) => s.type === 'consecutive_misses')
  t.ok(misses, 'consecutive misses are reported')
  t.equal(misses?.severity, 'high')
  t.match(bad.reasoning, /\d/, 'the reasoning cites numbers')

  // The coach's tool reads the same report.
  const call = { id: 'c1', type: 'function' as const, function: { name: 'detectPatterns', arguments: '{}' } }
  const outcome = await app.agentTools.execute(call, { repo: app.repo, userId: stopped.user.id, now: new Date(), recordReasoning: () => {} })
  t.equal(outcome.ok, true)
  t.equal(JSON.parse(outcome.content).risk_level, bad.risk_level)
  t.match(outcome.summary, new RegExp(`Risk ${bad.risk_level}`))

  t.equal((await app.inject({ url: '/api/patterns' })).statusCode, 401)
})
