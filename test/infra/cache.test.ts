import t from 'tap'
import { Redis } from 'ioredis'
import { ResponseCache, MemoryCacheBackend } from '../../src/infra/cache/response-cache.js'
import { RedisCacheBackend } from '../../src/infra/cache/redis-cache-backend.js'
import { RedisHealth } from '../../src/infra/redis/redis-health.js'
import { build, logWorkout, register } from '../helpers/build-app.js'
import { startRedis } from '../helpers/redis-server.js'

for (const backend of ['memory', 'redis'] as const) {
  t.test(`${backend}: history is cached per user and query, and a write shows at once`, async t => {
    const env: Record<string, string> = backend === 'redis' ? { REDIS_URL: (await startRedis(t)).url } : {}
    const app = await build(t, { env })
    const alice = await register(app, 'alice')
    const bob = await register(app, 'bob')
    await logWorkout(app, alice, { exercise_type: 'run' })
    const get = (s: typeof alice, q = 'days_back=7') => app.inject({ url: `/api/workout/history?${q}`, headers: s.headers })

    const first = await get(alice)
    t.equal(first.headers['x-cache'], 'MISS')
    const second = await get(alice)
    t.equal(second.headers['x-cache'], 'HIT')
    t.same(second.json(), first.json(), 'a hit returns the same body')
    t.equal((await get(alice, 'days_back=30')).headers['x-cache'], 'MISS', 'another query is another entry')
    t.equal((await get(bob)).headers['x-cache'], 'MISS', "bob never gets alice's entry")
    t.equal((await get(bob)).json().workouts.length, 0)

    await logWorkout(app, alice, { exercise_type: 'swim' })
    const after = await get(alice)
    t.equal(after.headers['x-cache'], 'MISS', 'the write dropped the cached entries')
    t.equal(after.json().workouts.length, 2, 'the new workout is in the very next response')
    t.equal((await get(alice, 'days_back=30')).headers['x-cache'], 'MISS', 'all of the user\'s entries')
    t.equal((await get(bob)).headers['x-cache'], 'HIT', "bob's entries survive alice's write")

    // Corrections, deletions and profile changes invalidate too.
    const id = after.json().workouts[0].workout_id
    await get(alice)
    await app.inject({ method: 'PATCH', url: `/api/workout/${id}`, headers: alice.headers, payload: { duration_minutes: 99 } })
    const patched = await get(alice)
    t.equal(patched.headers['x-cache'], 'MISS')
    t.equal(patched.json().workouts[0].duration_minutes, 99)
    await app.inject({ method: 'DELETE', url: `/api/workout/${id}`, headers: alice.headers })
    t.equal((await get(alice)).json().workouts.length, 1)
  })
}

t.test('an invalidation on one instance drops the entry for every instance', async t => {
  const redis = await startRedis(t)
  const clients = [0, 1].map(() => new Redis(redis.url, { enableOfflineQueue: true }))
  t.teardown(() => clients.forEach(c => c.disconnect()))
  const caches = await Promise.all(clients.map(async client => {
    const health = new RedisHealth(client, { pingTimeoutMs: 500 })
    await health.start()
    t.teardown(() => health.close())
    return new ResponseCache(new RedisCacheBackend(client, health, 'resolution:'))
  }))
  let computed = 0
  const compute = async () => ({ n: ++computed })
  t.same((await caches[0].userCached('u_1', 'history', 60, compute)).hit, false)
  t.same(await caches[1].userCached('u_1', 'history', 60, compute), { value: { n: 1 }, hit: true }, 'instance B reads what A cached')
  await caches[1].invalidateUser('u_1')
  t.same(await caches[0].userCached('u_1', 'history', 60, compute), { value: { n: 2 }, hit: false }, 'A recomputes after B invalidated')
})

for (const backend of ['memory', 'redis'] as const) {
  t.test(`${backend}: cacheOperation runs fn once for concurrent misses, then serves the cached value`, async t => {
    let cache: ResponseCache
    if (backend === 'redis') {
      const redis = await startRedis(t)
      const client = new Redis(redis.url)
      t.teardown(() => client.disconnect())
      const health = new RedisHealth(client, { pingTimeoutMs: 500 })
      await health.start()
      t.teardown(() => health.close())
      cache = new ResponseCache(new RedisCacheBackend(client, health, 'resolution:'))
    } else {
      cache = new ResponseCache(new MemoryCacheBackend(100))
    }
    let runs = 0
    const slow = async () => { runs++; await new Promise(resolve => setTimeout(resolve, 50)); return { answer: 42 } }
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.cacheOperation('expensive', 60, slow)))
    t.equal(runs, 1, 'single flight')
    t.ok(results.every(r => r.answer === 42))
    t.same(await cache.cacheOperation('expensive', 60, slow), { answer: 42 })
    t.equal(runs, 1, 'served from cache afterwards')
    const failing = cache.cacheOperation('broken', 60, async () => { throw new Error('boom') })
    await t.rejects(failing, /boom/, 'a failure is not cached')
    t.same(await cache.cacheOperation('broken', 60, async () => 'fixed'), 'fixed')
  })
}

t.test('the memory cache is bounded and entries expire', async t => {
  const backend = new MemoryCacheBackend(3)
  for (let i = 0; i < 10; i++) await backend.set(`k${i}`, String(i), 60)
  t.equal(await backend.get('k0'), null, 'oldest dropped beyond the bound')
  t.equal(await backend.get('k9'), '9')
  await backend.set('short', 'x', 0.05)
  await new Promise(resolve => setTimeout(resolve, 80))
  t.equal(await backend.get('short'), null, 'expired')
})

t.test('a result computed while the user wrote is neither stored nor shared with later requests', async t => {
  const cache = new ResponseCache(new MemoryCacheBackend(100))
  let release!: () => void
  const gate = new Promise<void>(resolve => { release = resolve })
  let computed = 0
  const slowBeforeWrite = cache.userCached('u_1', 'history', 60, async () => { computed++; await gate; return 'before the write' })
  await new Promise(resolve => setImmediate(resolve))
  await cache.invalidateUser('u_1') // the write lands while the old computation is running
  const afterWrite = cache.userCached('u_1', 'history', 60, async () => { computed++; return 'after the write' })
  release()
  t.same(await slowBeforeWrite, { value: 'before the write', hit: false })
  t.same(await afterWrite, { value: 'after the write', hit: false }, 'the later request did not join the stale computation')
  t.same(await cache.userCached('u_1', 'history', 60, async () => 'recomputed'), { value: 'after the write', hit: true }, 'only the fresh result was stored')
  t.equal(computed, 2)
})

t.test("a cached history belongs to the user's day: an entry from another local date never answers", async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url } })
  const kiri = await register(app, 'kiri', { timezone: 'Pacific/Kiritimati' })
  const history = () => app.inject({ url: '/api/workout/history?days_back=7', headers: kiri.headers })
  await history()
  const key = `resolution:cache:user:${kiri.user.id}`
  const fields = await redis.client.hkeys(key)
  t.same(fields, ['workout-history?days_back=7'], 'one entry per window; the request\'s query alone names it (it can be read before the session)')
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  // Stored as {exp, value}: value is the JSON of the cached result.
  const entry = async () => JSON.parse(JSON.parse((await redis.client.hget(key, fields[0]))!).value)
  const stored = await entry()
  t.equal(stored.today, today, 'the entry carries the local date it was computed for')
  t.equal((await history()).headers['x-cache'], 'HIT')
  // As if the entry were computed yesterday (local midnight passed since): recomputed, not served.
  const yesterday = { ...stored, today: '2000-01-01', history: { ...stored.history, workouts: [{ stale: true }] } }
  await redis.client.hset(key, fields[0], JSON.stringify({ exp: Date.now() + 60_000, value: JSON.stringify(yesterday) }))
  const after = await history()
  t.equal(after.headers['x-cache'], 'MISS', 'after local midnight: no answer from yesterday')
  t.same(after.json().workouts, [])
  t.equal((await entry()).today, today, 'and the entry is today\'s again')
})
