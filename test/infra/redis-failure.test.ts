// Redis failing under a running service: killed, frozen, paused. The contract: active users keep
// working (2xx, p99 < 500 ms, no 5xx), limits fail open, the cache falls through, anything that
// needs Redis to be trusted answers 503 + retry-after: 5 within 1 s, /health says so within
// 200 ms, and within 10 s of Redis returning everything is enforced again.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, logWorkout, PASSWORD, register, type Session } from '../helpers/build-app.js'
import { startRedis, type PrivateRedis } from '../helpers/redis-server.js'

async function timed<T> (fn: () => Promise<T>): Promise<{ value: T, ms: number }> {
  const started = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - started }
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]

async function until (t: Test, what: string, check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    if (await check()) return Date.now() - started
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.fail(`${what} did not happen within ${withinMs} ms`)
  return withinMs
}

interface Scene { redis: PrivateRedis, app: FastifyInstance, other: FastifyInstance, alice: Session, strangerOnOther: Session }

async function scene (t: Test): Promise<Scene> {
  const redis = await startRedis(t)
  const env = { REDIS_URL: redis.url, RATE_LIMIT_API_MAX: '5', RATE_LIMIT_WORKOUT_MAX: '1000' }
  const app = await build(t, { env })
  const other = await build(t, { env })
  const alice = await register(app, 'alice')
  await logWorkout(app, alice)
  // A session made on another instance: this one has never seen it.
  const strangerOnOther = await register(other, 'stranger')
  return { redis, app, other, alice, strangerOnOther }
}

async function assertDegradedBehaviour (t: Test, { app, alice, strangerOnOther }: Scene): Promise<void> {
  // Active users keep working — more requests than the api limit (5) allows: limits fail open.
  const latencies: number[] = []
  const statuses: number[] = []
  // 100 requests: p99 is then what 99 in 100 requests see (the very first one may pay one
  // command timeout before Redis is marked down — that is the design, not an outlier to hide).
  const REQUESTS = 100
  for (let i = 0; i < REQUESTS; i++) {
    const request = i % 3 === 0
      ? () => logWorkout(app, alice, { exercise_type: 'walk', duration_minutes: 10 })
      : () => app.inject({ url: i % 3 === 1 ? '/api/workout/history' : '/api/me', headers: alice.headers })
    const { value, ms } = await timed(request)
    latencies.push(ms)
    statuses.push(value.statusCode)
    if (i % 3 === 1) t.equal(value.headers['x-cache'], 'MISS', 'cache falls through to the store')
  }
  t.same(statuses.filter(s => s < 200 || s >= 300), [], 'every request of the active user succeeded (no 5xx, no 429)')
  t.ok(p99(latencies) < 500, `active user p99 ${p99(latencies).toFixed(0)} ms < 500 ms`)
  const history = await app.inject({ url: '/api/workout/history', headers: alice.headers })
  t.equal(history.json().workouts.length, 1 + Math.ceil(REQUESTS / 3), 'writes during the outage are stored')
  t.ok(Math.max(...latencies) < 1000, `even the slowest request took ${Math.max(...latencies).toFixed(0)} ms`)

  // What cannot be trusted without Redis: 503 with retry-after: 5 within 1 s.
  for (const [what, request] of [
    ['a session this instance has not seen', () => app.inject({ url: '/api/me', headers: strangerOnOther.headers })],
    ['a login', () => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: PASSWORD } })],
    ['a registration', () => app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'newbie', password: PASSWORD } })]
  ] as const) {
    const { value, ms } = await timed(request)
    t.equal(value.statusCode, 503, what)
    t.equal(value.headers['retry-after'], '5', `${what}: retry-after 5`)
    t.match(value.json(), { statusCode: 503, error: 'Service Unavailable', message: /try again/ })
    t.ok(ms < 1000, `${what} answered in ${ms.toFixed(0)} ms`)
  }
  // Changes that must end sessions are refused whole, not half-done.
  const change = await app.inject({ method: 'PUT', url: '/api/me/password', headers: alice.headers, payload: { current_password: PASSWORD, new_password: 'another long secret' } })
  t.equal(change.statusCode, 503, 'a password change waits for Redis')
  const removal = await app.inject({ method: 'DELETE', url: '/api/me', headers: alice.headers, payload: { password: PASSWORD } })
  t.equal(removal.statusCode, 503, 'an account deletion waits for Redis')
  t.equal((await app.inject({ url: '/api/me', headers: alice.headers })).statusCode, 200, 'and nothing was changed')

  const noCredential = await app.inject({ url: '/api/me' })
  t.equal(noCredential.statusCode, 401, 'no credential is still a plain 401')

  const { value: health, ms } = await timed(() => app.inject({ url: '/health' }))
  t.ok(ms < 200, `/health in ${ms.toFixed(0)} ms`)
  t.equal(health.statusCode, 200)
  t.match(health.json(), { status: 'degraded', redis: { status: 'down' } })
}

async function assertRecovered (t: Test, { app, alice }: Scene, sessionSurvived: boolean): Promise<void> {
  const ms = await until(t, 'recovery', async () => (await app.inject({ url: '/health' })).json().redis?.status === 'up', 10_000)
  t.comment(`Redis seen up again after ${ms} ms`)
  // Checked first, while alice's api budget (5) still has room.
  if (sessionSurvived) t.equal((await app.inject({ url: '/api/me', headers: alice.headers })).statusCode, 200, "alice's session survived the outage")
  const fresh = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: PASSWORD } })
  t.equal(fresh.statusCode, 200, 'logins work again')
  const s = { headers: { 'x-session-id': fresh.json().sessionId } }
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await app.inject({ url: '/api/me', headers: s.headers })).statusCode)
  t.ok(statuses.includes(429), `limits enforced again: ${statuses.join(' ')}`)
  const registration = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'newbie', password: PASSWORD } })
  t.equal(registration.statusCode, 201, 'the refused registration created no account: the name is still free')
}

t.test('Redis killed (SIGKILL), then restarted', async t => {
  const s = await scene(t)
  await s.redis.kill()
  await assertDegradedBehaviour(t, s)
  await s.redis.restart()
  await assertRecovered(t, s, false)
})

t.test('Redis frozen (SIGSTOP), then thawed', async t => {
  const s = await scene(t)
  s.redis.freeze()
  await assertDegradedBehaviour(t, s)
  s.redis.thaw()
  await assertRecovered(t, s, true)
})

t.test('Redis paused (CLIENT PAUSE), then resumed', async t => {
  const s = await scene(t)
  await s.redis.client.call('CLIENT', 'PAUSE', '4000', 'ALL')
  await assertDegradedBehaviour(t, s)
  await assertRecovered(t, s, true)
})

t.test('the service starts while Redis is down, and recovers when it appears', async t => {
  const redis = await startRedis(t)
  await redis.kill()
  const lines: string[] = []
  const { value: app, ms } = await timed(() => build(t, { env: { REDIS_URL: redis.url }, logLines: lines }))
  t.ok(ms < 5000, `started degraded in ${ms.toFixed(0)} ms`)
  t.ok(lines.some(l => /unreachable at start-up/.test(l)), 'a clear warning')
  t.match((await app.inject({ url: '/health' })).json(), { status: 'degraded', redis: { status: 'down' } })
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'early', password: PASSWORD } })).statusCode, 503)
  await redis.restart()
  await until(t, 'recovery', async () => (await app.inject({ url: '/health' })).json().redis?.status === 'up', 10_000)
  const s = await register(app, 'early')
  t.equal((await app.inject({ url: '/api/me', headers: s.headers })).statusCode, 200, 'sessions work once Redis is back')
})

t.test('shutting down while Redis is down neither fails nor waits', async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url } })
  await register(app, 'zoe')
  await redis.kill()
  const { ms } = await timed(() => app.close())
  t.ok(ms < 2000, `closed in ${ms.toFixed(0)} ms`)
})

t.test('a frozen Redis does not hold up shutdown either', async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url } })
  redis.freeze()
  await app.inject({ url: '/api/auth/session', headers: { 'x-session-id': 'x.y' } })
  const { ms } = await timed(() => app.close())
  t.ok(ms < 2000, `closed in ${ms.toFixed(0)} ms`)
})
