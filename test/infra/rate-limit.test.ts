import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { failureScopesFor, isFailedAttempt, scopesFor, tightest, refusing } from '../../src/infra/rate-limit-scopes.js'
import { build, logWorkout, PASSWORD, register, type Session } from '../helpers/build-app.js'
import { startRedis } from '../helpers/redis-server.js'

t.test('scope table', async t => {
  t.same(scopesFor('GET', '/api/workout/history'), ['api', 'workout'])
  t.same(scopesFor('POST', '/api/workout/log'), ['api', 'workout'])
  t.same(scopesFor('POST', '/api/agent'), ['api', 'agent'])
  t.same(scopesFor('POST', '/api/auth/login'), ['api'], 'a login counts in api; in auth only when it fails')
  t.same(failureScopesFor('POST', '/api/auth/login'), ['auth', 'auth_user'])
  t.same(failureScopesFor('POST', '/api/auth/register'), ['auth'])
  t.same(failureScopesFor('POST', '/api/auth/logout'), [])
  t.same(failureScopesFor('GET', '/api/auth/login'), [])
  t.same([200, 201, 400, 401, 409, 429, 503].filter(isFailedAttempt), [400, 401, 409], 'client errors but the refusal are failures')
  t.same(scopesFor('GET', '/api/auth/session'), ['api'])
  t.same(scopesFor('GET', '/health'), [])
  t.same(scopesFor('GET', '/documentation/json'), [])
  t.same(scopesFor('GET', '/metrics'), [])
  const a = { scope: 'api' as const, max: 100, remaining: 5, resetSeconds: 800, exceeded: false }
  const w = { scope: 'workout' as const, max: 50, remaining: 5, resetSeconds: 3000, exceeded: false }
  t.equal(tightest([a, w])?.scope, 'workout', 'tie on remaining: the longer wait is shown')
  t.equal(refusing([a, w]), undefined)
})

async function hit (app: FastifyInstance, s: Session | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return app.inject({ method, url, headers: s?.headers, payload: payload as object })
}

for (const backend of ['memory', 'redis'] as const) {
  t.test(`${backend}: each scope allows exactly its max, then 429 with headers and body`, async t => {
    const env: Record<string, string> = {
      RATE_LIMIT_API_MAX: '1000', RATE_LIMIT_WORKOUT_MAX: '3', RATE_LIMIT_WORKOUT_WINDOW: '3600', RATE_LIMIT_AUTH_MAX: '1000'
    }
    if (backend === 'redis') env.REDIS_URL = (await startRedis(t)).url
    const app = await build(t, { env })
    const alice = await register(app, 'alice')
    for (let i = 1; i <= 3; i++) {
      const res = await logWorkout(app, alice)
      t.equal(res.statusCode, 201)
      t.equal(res.headers['x-ratelimit-limit'], '3', 'the tightest scope is shown')
      t.equal(res.headers['x-ratelimit-remaining'], String(3 - i))
      t.ok(Number(res.headers['x-ratelimit-reset']) > 3500 && Number(res.headers['x-ratelimit-reset']) <= 3600)
    }
    const refused = await logWorkout(app, alice)
    t.equal(refused.statusCode, 429)
    t.equal(refused.headers['x-ratelimit-remaining'], '0')
    t.ok(Number(refused.headers['retry-after']) > 3500)
    t.match(refused.json(), { statusCode: 429, error: 'Too Many Requests', message: /workout limit/, limit: 'workout', retry_after: Number(refused.headers['retry-after']) })
    const history = await hit(app, alice, 'GET', '/api/workout/history?days_back=30')
    t.equal(history.statusCode, 429, 'history is in the workout scope too')
    const me = await hit(app, alice, 'GET', '/api/me')
    t.equal(me.statusCode, 200, 'the api scope still has room')

    const bob = await register(app, 'bob')
    t.equal((await logWorkout(app, bob)).statusCode, 201, "alice's exhaustion does not touch bob")
    const stored = await app.inject({ url: '/api/me/export', headers: alice.headers })
    t.equal(stored.json().workouts.length, 3, 'the refused request stored nothing')
  })

  t.test(`${backend}: scopes keep separate counters`, async t => {
    const env: Record<string, string> = {
      RATE_LIMIT_API_MAX: '8', RATE_LIMIT_WORKOUT_MAX: '5', RATE_LIMIT_AUTH_MAX: '1000'
    }
    const redis = backend === 'redis' ? await startRedis(t) : undefined
    if (redis) env.REDIS_URL = redis.url
    const app = await build(t, { env })
    const s = await register(app, 'carol') // counted for the IP (no session yet)
    for (let i = 0; i < 5; i++) t.equal((await logWorkout(app, s)).statusCode, 201) // user: api 1..5, workout 1..5
    const me = await hit(app, s, 'GET', '/api/me') // api 6
    t.equal(me.headers['x-ratelimit-limit'], '8')
    t.equal(me.headers['x-ratelimit-remaining'], '2', 'api counted 6 requests: its own counter, not the workout one')
    t.equal((await logWorkout(app, s)).json().limit, 'workout', 'workout exhausted at 5 while api still had room') // api 7
    t.equal((await hit(app, s, 'GET', '/api/me')).statusCode, 200) // api 8
    const last = await hit(app, s, 'GET', '/api/me') // api 9
    t.equal(last.statusCode, 429)
    t.equal(last.json().limit, 'api')
    if (redis) {
      const keys = (await redis.client.keys('resolution:ratelimit:*')).sort()
      t.ok(keys.some(k => k.startsWith('resolution:ratelimit:api:')) && keys.some(k => k.startsWith('resolution:ratelimit:workout:')), `named key spaces: ${keys.join(', ')}`)
    }
  })

  t.test(`${backend}: only failed logins and registrations count: per IP (auth) and, for logins, per username (auth_user)`, async t => {
    const env: Record<string, string> = { RATE_LIMIT_API_MAX: '1000', RATE_LIMIT_AUTH_MAX: '3' }
    if (backend === 'redis') env.REDIS_URL = (await startRedis(t)).url
    const app = await build(t, { env })
    const login = (username: string, password: string, ip: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip })
    const registerFrom = (username: string, ip: string) =>
      app.inject({ method: 'POST', url: '/api/auth/register', payload: { username, password: PASSWORD }, remoteAddress: ip })

    t.equal((await registerFrom('dana', '127.0.0.1')).statusCode, 201)
    t.equal((await registerFrom('eve', '127.0.0.1')).statusCode, 201)
    for (let i = 0; i < 6; i++) t.equal((await login('dana', PASSWORD, '127.0.0.1')).statusCode, 200, `successful login ${i + 1} is not counted`)

    // Three different names, so only the per-address count reaches its limit.
    for (let i = 0; i < 3; i++) t.equal((await login(`nobody${i}`, 'wrong password', '127.0.0.1')).statusCode, 401)
    const blocked = await login('dana', PASSWORD, '127.0.0.1')
    t.equal(blocked.statusCode, 429, 'three failures lock the address out, even with the right password')
    t.equal(blocked.json().limit, 'auth')
    t.equal(blocked.headers['x-ratelimit-remaining'], '0')
    t.equal((await registerFrom('frank', '127.0.0.1')).statusCode, 429, 'registration from that address too')
    t.equal((await login('dana', PASSWORD, '10.0.0.2')).statusCode, 200, 'another address has its own count')

    // Failed registrations (a taken name) count like failed logins.
    for (let i = 0; i < 3; i++) t.equal((await registerFrom('dana', '10.0.0.3')).statusCode, 409)
    const refusedRegistration = await registerFrom('gina', '10.0.0.3')
    t.equal(refusedRegistration.statusCode, 429)
    t.equal(refusedRegistration.json().limit, 'auth')
    t.equal(await app.repo.findAccountByUsername('gina'), null, 'nothing was created')

    // Credential stuffing: wrong passwords for one username from many addresses.
    for (let i = 0; i < 3; i++) t.equal((await login('eve', 'guess', `10.0.1.${i}`)).statusCode, 401)
    const stuffed = await login('eve', PASSWORD, '10.0.2.1')
    t.equal(stuffed.statusCode, 429, '3 failed logins for eve lock her name whatever the address')
    t.equal(stuffed.json().limit, 'auth_user', 'the per-username limit says so')
    t.ok(Number(stuffed.headers['retry-after']) > 0)
    t.equal(stuffed.headers['x-ratelimit-remaining'], '0', 'the headers describe the limit that refused')
    t.equal((await login('dana', PASSWORD, '10.0.2.2')).statusCode, 200, 'other usernames are unaffected')
  })
}

t.test('health, docs and metrics are never limited', async t => {
  const app = await build(t, { env: { RATE_LIMIT_API_MAX: '1' } })
  for (let i = 0; i < 5; i++) {
    t.equal((await app.inject({ url: '/health' })).statusCode, 200)
    t.equal((await app.inject({ url: '/documentation/json' })).statusCode, 200)
    t.equal((await app.inject({ url: '/metrics' })).statusCode, 200)
  }
  t.notOk((await app.inject({ url: '/health' })).headers['x-ratelimit-limit'])
})

t.test('every limit and window is configurable', async t => {
  const scopes = [
    ['API', 'GET', '/api/me'],
    ['WORKOUT', 'GET', '/api/workout/history'],
    ['AGENT', 'POST', '/api/agent'],
    ['AUTH', 'POST', '/api/auth/login']
  ] as const
  for (const [scope, method, url] of scopes) {
    // Only this scope is tight; its window is distinctive.
    const app = await build(t, { env: { [`RATE_LIMIT_${scope}_MAX`]: '3', [`RATE_LIMIT_${scope}_WINDOW`]: '42' } })
    const s = await register(app, 'tess')
    const payload = method === 'POST' ? (scope === 'AUTH' ? { username: 'tess', password: 'wrong password' } : { message: 'hi' }) : undefined
    const res = await app.inject({ method, url, headers: s.headers, payload })
    t.equal(res.headers['x-ratelimit-limit'], '3', `${scope} max`)
    const reset = Number(res.headers['x-ratelimit-reset'])
    t.ok(reset > 0 && reset <= 42, `${scope} window: reset ${reset} s`)
  }
})

t.test('refusals carry CORS headers, so a browser can read them', async t => {
  const app = await build(t, { env: { RATE_LIMIT_API_MAX: '1', FRONTEND_URL: 'https://app.example.com' } })
  const origin = { origin: 'https://app.example.com' }
  await app.inject({ url: '/api/me', headers: origin })
  const refused = await app.inject({ url: '/api/me', headers: origin })
  t.equal(refused.statusCode, 429)
  t.equal(refused.headers['access-control-allow-origin'], 'https://app.example.com')
  t.match(refused.headers['access-control-expose-headers'], /retry-after/)
  t.ok(refused.headers['x-request-id'])
})

t.test('the agent scope: POST /api/agent has its own per-user limit', async t => {
  const app = await build(t, { env: { RATE_LIMIT_API_MAX: '1000', RATE_LIMIT_AGENT_MAX: '2', RATE_LIMIT_AGENT_WINDOW: '60' } })
  const alice = await register(app, 'alice')
  const bob = await register(app, 'bob')
  const ask = (s: Session) => app.inject({ method: 'POST', url: '/api/agent', headers: s.headers, payload: { message: 'how am I doing?' } })
  t.equal((await ask(alice)).statusCode, 200)
  const second = await ask(alice)
  t.equal(second.statusCode, 200)
  t.equal(second.headers['x-ratelimit-limit'], '2')
  t.equal(second.headers['x-ratelimit-remaining'], '0')
  const third = await ask(alice)
  t.equal(third.statusCode, 429)
  t.match(third.json(), { limit: 'agent', retry_after: Number })
  t.equal((await app.inject({ url: '/api/agent/traces', headers: alice.headers })).statusCode, 200, 'reading traces is not an agent run')
  t.equal((await ask(bob)).statusCode, 200, "bob's own limit")
})
