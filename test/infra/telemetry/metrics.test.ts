// GET /metrics (Prometheus text format, checked by a strict parser) and GET /api/performance
// (percentiles and targets) after known traffic, and who may read them.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, logWorkout, register } from '../../helpers/build-app.js'
import { ExpositionError, histogramSeries, parseExposition, sampleValue, type Family } from '../../helpers/prometheus-text.js'

const TOKEN = 'metrics-token-0123456789abcdef'

async function scrape (app: FastifyInstance, headers: Record<string, string> = {}): Promise<Map<string, Family>> {
  const res = await app.inject({ url: '/metrics', headers })
  if (res.statusCode !== 200) throw new Error(`/metrics: ${res.statusCode} ${res.body}`)
  return parseExposition(res.body)
}

function series (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) {
  const family = families.get(name)
  if (!family) throw new Error(`no metric ${name}`)
  return histogramSeries(family).find(s => JSON.stringify(Object.entries(s.labels).sort()) === JSON.stringify(Object.entries(labels).sort()))
}

/** Known traffic: 1 register, 3 workout logs, 2 history reads, 1 read of one workout, 1 unknown URL. */
async function traffic (app: FastifyInstance) {
  const alice = await register(app, 'alice')
  let workoutId = ''
  for (let i = 0; i < 3; i++) workoutId = (await logWorkout(app, alice, { duration_minutes: 20 + i })).json().workout.workout_id
  for (let i = 0; i < 2; i++) await app.inject({ url: '/api/workout/history?days_back=7', headers: alice.headers })
  await app.inject({ url: `/api/workout/${workoutId}`, headers: alice.headers })
  await app.inject({ url: '/no/such/thing?token=abc' })
  return { alice, workoutId }
}

t.test('the strict parser rejects what Prometheus would', async t => {
  t.ok(parseExposition('# HELP a b\n# TYPE a gauge\na{x="1",y="q\\"z"} 1.5e3\n'))
  for (const bad of [
    'a{x=1} 1\n', // unquoted label value
    'a 1 2 3\n', // trailing text
    'a{x="1"}1\n', // no space before the value
    'a one\n', // not a number
    '# TYPE a gauge\na 1\n# TYPE a counter\n', // TYPE after samples
    'a{x="1"} 1\na{x="1"} 2\n', // duplicate series
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n' // not cumulative
  ]) t.throws(() => parseExposition(bad), bad)
  t.throws(() => parseExposition('1a 1\n'), ExpositionError)
})

t.test('/metrics: valid exposition with process metrics and per-route histograms', async t => {
  const app = await build(t, { env: { PERF_AGENT_TARGET_MS: '2500' } })
  const { workoutId } = await traffic(app)
  app.perf.record('agent_response', 2600)
  app.perf.record('llm_call', 700)
  app.perf.record('tool:get_history', 3)
  app.perf.record('tool:get_history', 5)
  app.perf.record('tool:book_slot', 40)

  const res = await app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const families = parseExposition(res.body)

  for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
    t.ok(families.has(name), `default process metric ${name}`)
  }
  t.equal(families.get('http_request_duration_seconds')?.type, 'histogram')
  t.equal(series(families, 'http_request_duration_seconds', { method: 'POST', route: '/api/workout/log', status_code: '201' })?.count, 3)
  t.equal(series(families, 'http_request_duration_seconds', { method: 'GET', route: '/api/workout/history', status_code: '200' })?.count, 2)
  t.equal(series(families, 'http_request_duration_seconds', { method: 'POST', route: '/api/auth/register', status_code: '201' })?.count, 1)
  t.equal(series(families, 'http_request_duration_seconds', { method: 'GET', route: '/api/workout/:workout_id', status_code: '200' })?.count, 1,
    'the route pattern, not the URL')
  t.equal(series(families, 'http_request_duration_seconds', { method: 'GET', route: '(unmatched)', status_code: '404' })?.count, 1)
  t.notMatch(res.body, workoutId, 'no raw URL in any label')
  t.notMatch(res.body, 'token=abc')

  const agent = series(families, 'agent_response_seconds')!
  t.equal(agent.count, 1)
  t.equal(agent.buckets.get('2.5'), 0, 'the target is a bucket boundary; 2.6 s is over it')
  t.equal(agent.buckets.get('3'), 1)
  t.equal(series(families, 'llm_call_seconds')?.count, 1)
  t.equal(series(families, 'tool_call_seconds', { tool: 'get_history' })?.count, 2)
  t.equal(series(families, 'tool_call_seconds', { tool: 'book_slot' })?.count, 1)
  t.ok(series(families, 'store_flush_seconds')!.count >= 4, 'store flushes are timed (register + 3 logs)')
  t.equal(families.get('store_queued_writes')?.type, 'gauge')
  t.equal(sampleValue(families, 'store_queued_writes'), 0)
  t.equal(sampleValue(families, 'redis_up'), -1, 'Redis not configured')
})

t.test('redis_up follows the Redis layer\'s state', async t => {
  const state: { status: 'up' | 'down', latencyMs: number | null } = { status: 'up', latencyMs: 1 }
  const app = await build(t, {
    beforeReady: app => app.addHook('onReady', async () => { (app as { redisHealth: unknown }).redisHealth = state })
  })
  t.equal(sampleValue(await scrape(app), 'redis_up'), 1)
  state.status = 'down'
  t.equal(sampleValue(await scrape(app), 'redis_up'), 0)
})

t.test('several apps in one process each have their own registry', async t => {
  const one = await build(t)
  const two = await build(t)
  await register(one, 'alice')
  t.equal(series(await scrape(one), 'http_request_duration_seconds', { method: 'POST', route: '/api/auth/register', status_code: '201' })?.count, 1)
  t.equal(series(await scrape(two), 'http_request_duration_seconds', { method: 'POST', route: '/api/auth/register', status_code: '201' }), undefined)
})

t.test('/metrics with METRICS_TOKEN: 401 without the bearer token or with a wrong one', async t => {
  const app = await build(t, { env: { METRICS_TOKEN: TOKEN } })
  for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
    const res = await app.inject({ url: '/metrics', headers })
    t.equal(res.statusCode, 401, JSON.stringify(headers))
    t.same(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode'])
    t.equal(res.headers['www-authenticate'], 'Bearer realm="metrics"')
  }
  const alice = await register(app, 'alice')
  t.equal((await app.inject({ url: '/metrics', headers: alice.headers })).statusCode, 401, 'a session is not enough')
  const ok = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(ok.statusCode, 200)
  t.ok(parseExposition(ok.body).has('http_request_duration_seconds'))
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: `bearer  ${TOKEN}` } })).statusCode, 200, 'scheme is case-insensitive')
})

t.test('/api/performance after known traffic: counts match', async t => {
  const app = await build(t)
  const { alice } = await traffic(app)
  const res = await app.inject({ url: '/api/performance', headers: alice.headers })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(Object.keys(body).sort(), ['passing', 'stats', 'targets'])
  t.equal(body.stats['POST /api/auth/register'].count, 1)
  t.equal(body.stats['POST /api/workout/log'].count, 3)
  t.equal(body.stats['GET /api/workout/history'].count, 2)
  t.equal(body.stats['GET /api/workout/:workout_id'].count, 1)
  t.ok(body.stats.store_flush.count >= 4)
  t.notOk(Object.keys(body.stats).some(name => name.includes('/no/such')), 'unmatched URLs are not operations')
  const log = body.stats['POST /api/workout/log']
  t.ok(log.min <= log.p50 && log.p50 <= log.p95 && log.p95 <= log.p99 && log.p99 <= log.max, 'ordered percentiles')
  t.same(body.targets, {
    agentResponseTime: { target: 2000, actual: null, passing: null },
    llmCallTime: { target: 1500, actual: null, passing: null }
  })
  t.equal(body.passing, null, 'no target has data')

  app.perf.record('llm_call', 200)
  let after = (await app.inject({ url: '/api/performance', headers: alice.headers })).json()
  t.equal(after.stats['GET /api/performance'].count, 1, 'its own earlier request is counted')
  t.equal(after.passing, true)
  for (let i = 0; i < 5; i++) app.perf.record('agent_response', 4000)
  after = (await app.inject({ url: '/api/performance', headers: alice.headers })).json()
  t.same(after.targets.agentResponseTime, { target: 2000, actual: 4000, passing: false })
  t.equal(after.passing, false, 'one failing target fails the whole')
})

t.test('/api/performance: session, or the bearer token when METRICS_TOKEN is set', async t => {
  const open = await build(t)
  const res = await open.inject({ url: '/api/performance' })
  t.equal(res.statusCode, 401)
  t.same(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode'])
  t.equal((await open.inject({ url: '/api/performance', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 401,
    'no token is configured: a bearer token means nothing')

  const app = await build(t, { env: { METRICS_TOKEN: TOKEN } })
  t.equal((await app.inject({ url: '/api/performance' })).statusCode, 401)
  t.equal((await app.inject({ url: '/api/performance', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200)
  t.equal((await app.inject({ url: '/api/performance', headers: { authorization: 'Bearer not-the-token-at-all-000' } })).statusCode, 401)
  const alice = await register(app, 'alice')
  t.equal((await app.inject({ url: '/api/performance', headers: alice.headers })).statusCode, 200, 'a session suffices')
  t.equal((await app.inject({ url: '/api/performance', headers: { ...alice.headers, authorization: 'Bearer not-the-token-at-all-000' } })).statusCode, 401,
    'a wrong token is refused even with a session')
})
