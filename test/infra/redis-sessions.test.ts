import t from 'tap'
import { build, login, PASSWORD, register, tempDir } from '../helpers/build-app.js'
import { startRedis } from '../helpers/redis-server.js'

const sidOf = (sessionId: string) => sessionId.slice(0, sessionId.lastIndexOf('.'))

t.test('sessions live in Redis with SESSION_TTL, indexed per user', async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url, SESSION_TTL: '600' } })
  const s = await register(app, 'alice')
  const key = `resolution:session:${sidOf(s.sessionId)}`
  const stored = JSON.parse((await redis.client.get(key))!)
  t.equal(stored.userId, s.user.id)
  const ttl = await redis.client.pttl(key)
  t.ok(ttl > 590_000 && ttl <= 600_000, `TTL ${ttl} ms ≈ SESSION_TTL`)
  t.same(await redis.client.smembers(`resolution:session:user:${s.user.id}`), [sidOf(s.sessionId)])
  t.equal((await app.inject({ url: '/api/auth/session', headers: s.headers })).statusCode, 200)
  const anonymousKeys = await redis.client.keys('resolution:session:*')
  await app.inject({ url: '/api/me' })
  await app.inject({ url: '/health' })
  t.same((await redis.client.keys('resolution:session:*')).sort(), anonymousKeys.sort(), 'anonymous requests store nothing')
})

t.test('sliding expiry: renewed once half the TTL has passed, not written on every request', async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url, SESSION_TTL: '60' } })
  const s = await register(app, 'bob')
  const key = `resolution:session:${sidOf(s.sessionId)}`
  await redis.client.pexpire(key, 45_000) // as if 15 s had passed
  await app.inject({ url: '/api/me', headers: s.headers })
  t.ok(await redis.client.pttl(key) <= 45_000, 'early on, a request does not rewrite the session')
  await redis.client.pexpire(key, 20_000) // as if 40 s had passed
  const realNow = Date.now
  Date.now = () => realNow() + 40_000
  try {
    await app.inject({ url: '/api/me', headers: s.headers })
  } finally {
    Date.now = realNow
  }
  t.ok(await redis.client.pttl(key) > 50_000, 'past half the TTL the session is renewed in Redis')
})

t.test('login deletes the presented session key (fixation)', async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url } })
  const first = await register(app, 'carol')
  const second = await login(app, 'carol', PASSWORD, first.headers)
  t.equal(await redis.client.exists(`resolution:session:${sidOf(first.sessionId)}`), 0, 'old key gone from Redis')
  t.equal(await redis.client.exists(`resolution:session:${sidOf(second.sessionId)}`), 1)
  t.equal((await app.inject({ url: '/api/me', headers: first.headers })).statusCode, 401)
})

t.test('account deletion and password change end sessions on every instance', async t => {
  const redis = await startRedis(t)
  const env = { REDIS_URL: redis.url }
  const a = await build(t, { env })
  const b = await build(t, { env })
  const s1 = await register(a, 'dave')
  // b has its own data directory (user data is per instance until PostgreSQL), but sessions are shared.
  const s2 = await login(a, 'dave')
  const s3 = await login(a, 'dave')
  t.equal((await b.inject({ url: '/api/auth/session', headers: s2.headers })).statusCode, 200, 'b accepts a session made on a')

  const change = await a.inject({ method: 'PUT', url: '/api/me/password', headers: s1.headers, payload: { current_password: PASSWORD, new_password: 'a whole new secret' } })
  t.equal(change.statusCode, 204)
  t.equal((await b.inject({ url: '/api/auth/session', headers: s2.headers })).statusCode, 401, 'ended on b too')
  t.equal((await a.inject({ url: '/api/auth/session', headers: s1.headers })).statusCode, 200, 'the changing session stays')

  const s4 = await login(a, 'dave', 'a whole new secret')
  const del = await a.inject({ method: 'DELETE', url: '/api/me', headers: s1.headers, payload: { password: 'a whole new secret' } })
  t.equal(del.statusCode, 204)
  for (const s of [s1, s3, s4]) t.equal((await b.inject({ url: '/api/auth/session', headers: s.headers })).statusCode, 401)
  t.same(await redis.client.keys('resolution:session:*'), [], 'no session key of dave remains')
})

t.test('two instances on one Redis share sessions and limits', async t => {
  const redis = await startRedis(t)
  const env = { REDIS_URL: redis.url, RATE_LIMIT_API_MAX: '6' }
  const a = await build(t, { env })
  const b = await build(t, { env })
  const s = await register(a, 'erin')
  const onB = await b.inject({ url: '/api/auth/session', headers: s.headers })
  t.equal(onB.statusCode, 200)
  t.equal(onB.json().user.username, 'erin')
  // erin's api counter: 1 so far (b). Alternate instances up to the limit.
  for (let i = 2; i <= 6; i++) {
    const app = i % 2 ? b : a
    const res = await app.inject({ url: '/api/auth/session', headers: s.headers })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-remaining'], String(6 - i), 'one counter across both instances')
  }
  const refused = await a.inject({ url: '/api/auth/session', headers: s.headers })
  t.equal(refused.statusCode, 429)
})

t.test('with no Redis configured, everything runs on bounded in-memory equivalents', async t => {
  const dataDir = await tempDir(t)
  const app = await build(t, { dataDir })
  t.equal(app.redisHealth.status, 'disabled')
  const s = await register(app, 'fay')
  t.equal((await app.inject({ url: '/api/me', headers: s.headers })).statusCode, 200)
})

t.test("a user's session index holds only live sessions", async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url } })
  const first = await register(app, 'gus')
  const index = `resolution:session:user:${first.user.id}`
  for (let i = 0; i < 5; i++) {
    const s = await login(app, 'gus')
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers })
  }
  const last = await login(app, 'gus')
  t.same((await redis.client.smembers(index)).sort(), [sidOf(first.sessionId), sidOf(last.sessionId)].sort(), 'logged-out sessions are pruned')
})
