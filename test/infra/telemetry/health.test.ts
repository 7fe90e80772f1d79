// GET /health in each Redis state (disabled, up, down) and with a store that cannot write, always
// answering from memory: within a bound well under what a wait on Redis would cost (the real-Redis
// case sets a 3 s command timeout, so an inline ping of a frozen Redis could not pass), and loose
// enough for a busy shared machine.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, register } from '../../helpers/build-app.js'
import { startRedis } from '../../helpers/redis-server.js'

const TIME_BOUND_MS = 1500

async function health (t: Test, app: FastifyInstance, headers: Record<string, string> = {}) {
  const started = performance.now()
  const res = await app.inject({ url: '/health', headers })
  const ms = performance.now() - started
  t.ok(ms < TIME_BOUND_MS, `answered in ${ms.toFixed(1)} ms (< ${TIME_BOUND_MS})`)
  return { status: res.statusCode, body: res.json() }
}

/** The Redis layer's contract: `fastify.redisHealth`, kept current in memory. A test stands in for it. */
function fakeRedis (state: { status: 'up' | 'down', latencyMs: number | null }) {
  // Replaces the Redis layer's (disabled) state once the plugins are loaded; only these two fields
  // are read, at each request.
  return (app: FastifyInstance) => {
    app.addHook('onReady', async () => { (app as { redisHealth: unknown }).redisHealth = state })
  }
}

t.test('Redis not configured: healthy, redis "disabled", the documented fields', async t => {
  const app = await build(t)
  const { status, body } = await health(t, app)
  t.equal(status, 200)
  t.equal(body.status, 'healthy')
  t.equal(body.redis, 'disabled')
  t.same(body.llm, { provider: 'offline', configured: false })
  t.same(body.performance, {
    agentResponseTime: { target: 2000, actual: null, passing: null },
    llmCallTime: { target: 1500, actual: null, passing: null }
  }, 'no data yet: null, not passing')
  t.match(body.database, { kind: 'lowdb', writable: true, open_handles: Number, queued_writes: Number, last_error: null })
  t.ok(!Number.isNaN(Date.parse(body.timestamp)), 'timestamp is a date')
  t.type(body.uptime, 'number')
  t.same(Object.keys(body.process).sort(), ['event_loop_delay_ms', 'event_loop_utilization', 'heap_used_bytes', 'rss_bytes'])
})

t.test('Redis up, then down (read at each request): healthy, then degraded with 200', async t => {
  const state: { status: 'up' | 'down', latencyMs: number | null } = { status: 'up', latencyMs: 0.8 }
  const app = await build(t, { beforeReady: fakeRedis(state) })
  let res = await health(t, app)
  t.equal(res.status, 200)
  t.equal(res.body.status, 'healthy')
  t.same(res.body.redis, { status: 'up', latency_ms: 0.8 })

  state.status = 'down'
  state.latencyMs = null
  res = await health(t, app)
  t.equal(res.status, 200, 'degraded still serves: do not take the instance out of rotation')
  t.equal(res.body.status, 'degraded')
  t.same(res.body.redis, { status: 'down', latency_ms: null })

  state.status = 'up'
  state.latencyMs = 1.2
  res = await health(t, app)
  t.equal(res.body.status, 'healthy', 'recovers with Redis')
})

t.test('llm: the provider the coach uses, configured when it is a real model', async t => {
  const app = await build(t, { env: { OPENAI_API_KEY: 'sk-test-not-a-real-key' } })
  const { body } = await health(t, app)
  t.same(body.llm, { provider: 'openai', configured: true })
  t.notMatch(JSON.stringify(body), 'sk-test', 'no key in the report')
})

t.test('the store unable to write: unhealthy with 503, whatever Redis says', async t => {
  const state: { status: 'up' | 'down', latencyMs: number | null } = { status: 'down', latencyMs: null }
  const app = await build(t, { beforeReady: fakeRedis(state) })
  const real = app.repo.status.bind(app.repo)
  app.repo.status = () => ({ ...real(), writable: false, last_error: 'ENOSPC: no space left on device' })
  const { status, body } = await health(t, app)
  t.equal(status, 503)
  t.equal(body.status, 'unhealthy')
  t.equal(body.database.writable, false)
  t.equal(body.database.last_error, 'ENOSPC: no space left on device')
  t.same(body.redis, { status: 'down', latency_ms: null }, 'the full report comes with the 503')
})

t.test('performance targets show the p95 of recorded agent and LLM times', async t => {
  const app = await build(t, { env: { PERF_AGENT_TARGET_MS: '1000', PERF_LLM_TARGET_MS: '800' } })
  for (let i = 0; i < 20; i++) app.perf.record('agent_response', 400 + i)
  for (let i = 0; i < 20; i++) app.perf.record('llm_call', 900)
  const { body } = await health(t, app)
  t.same(body.performance, {
    agentResponseTime: { target: 1000, actual: 418, passing: true }, // nearest rank: 19th of 20
    llmCallTime: { target: 800, actual: 900, passing: false }
  })
  t.equal(body.status, 'healthy', 'a missed latency target is reported, not an outage')
})

t.test('event-loop delay and memory come from the sampler once it has run', async t => {
  const app = await build(t)
  await new Promise(resolve => setTimeout(resolve, 1200))
  const { body } = await health(t, app)
  t.type(body.process.event_loop_delay_ms, 'number')
  t.type(body.process.event_loop_utilization, 'number')
  t.ok(body.process.heap_used_bytes > 0)
  t.ok(body.process.rss_bytes >= body.process.heap_used_bytes)
})

t.test('needs no session, ignores a bad one, and is never rate-limited', async t => {
  const app = await build(t, { env: { RATE_LIMIT_API_MAX: '1', RATE_LIMIT_AUTH_MAX: '1' } })
  const alice = await register(app, 'alice')
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ url: '/health', headers: i % 2 ? alice.headers : { 'x-session-id': 'not-a-session' } })
    if (res.statusCode !== 200) return t.fail(`request ${i}: ${res.statusCode} ${res.body}`)
  }
  t.pass('30 requests, all 200')
})

t.test('with a real Redis: up, then killed → degraded, every answer within the bound', async t => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '3000' } })
  let res = await health(t, app)
  t.equal(res.body.status, 'healthy')
  t.equal(res.body.redis.status, 'up')
  t.type(res.body.redis.latency_ms, 'number')

  redis.freeze()
  res = await health(t, app)
  t.equal(res.status, 200, `frozen Redis: ${res.body.status}, answered within the bound (nothing is pinged inline)`)
  redis.thaw()

  await redis.kill()
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    res = await health(t, app)
    if (res.body.status === 'degraded') break
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  t.equal(res.status, 200)
  t.equal(res.body.status, 'degraded', 'a dead Redis is noticed by the background check')
  t.same(res.body.redis, { status: 'down', latency_ms: null })

  // Recovery: the background ping notices Redis is back.
  await redis.restart()
  const back = Date.now() + 15_000
  while (Date.now() < back) {
    res = await health(t, app)
    if (res.body.status === 'healthy') break
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  t.equal(res.body.status, 'healthy', 'and healthy again once Redis returns')
})
