// The service table of `npm run bench` (issue #17): the built service as a child process on
// loopback — full stack: helmet, CORS (every request carries an allowed Origin), sessions, rate
// limits and the response cache in a private redis-server — driven by autocannon, each HTTP
// scenario side by side with a bare node:http server answering the same JSON bytes, measured
// a moment before on the same machine (bench/baseline-server.mjs). Every RATE_LIMIT_* and
// AGENT_DAILY_RUNS is set here so that no limit is hit.
//
// Knobs for shorter runs while developing (defaults are the full run):
//   BENCH_SECONDS (10)             measured seconds per HTTP scenario (and per baseline)
//   BENCH_WARMUP_SECONDS (2)       warm-up before each measured run (baseline and service)
//   BENCH_MIXED_REQUESTS (100000)  requests between the two heap measurements of the memory row…
//   BENCH_MIXED_SECONDS (60)       …or as many as this many seconds allow, whichever comes first
//                                  (the row says how many were served; fewer than asked is a miss)
//   BENCH_MIXED_WARMUP_SECONDS (20) mixed requests before the first heap measurement
//   BENCH_AGENT_ROUNDS (6)         coach runs per person in the 800 ms row
//   BENCH_COLD_STARTS (3)          cold starts measured (median and worst reported)
//   BENCH_SERVICE (reads,store,agent)  which groups of rows to run
//   BENCH_CPU_PROF=<dir>           a V8 CPU profile of every service process, written there at exit
//   BENCH_KEEP=1                   keep the temporary directories (the service's log has a line per
//                                  request with its route, status and duration)
import { LowdbRepository } from '../src/store/lowdb/lowdb-repository.js'
import { api, cannon, cleanUp, gcAndMeasure, login, ORIGIN, privateRedis, removeDir, startBaseline, startService, tempDir, type CannonRequest, type CannonResult, type PrivateRedis } from './harness.js'
import { PASSWORD, seedPeople, workoutsOn } from './seed.js'
import { startBenchLlm } from './stub-llm.js'

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const SECONDS = num('BENCH_SECONDS', 10)
const WARMUP = num('BENCH_WARMUP_SECONDS', 2)
const MIXED = num('BENCH_MIXED_REQUESTS', 100_000)
const MIXED_SECONDS = num('BENCH_MIXED_SECONDS', 60)
const MIXED_WARMUP_SECONDS = num('BENCH_MIXED_WARMUP_SECONDS', 20)
const AGENT_ROUNDS = num('BENCH_AGENT_ROUNDS', 6)
const COLD_STARTS = num('BENCH_COLD_STARTS', 3)
const CONNECTIONS = 50
/** BENCH_SERVICE=reads,store,agent: which groups of rows to run (all by default) */
const PARTS = new Set((process.env.BENCH_SERVICE ?? 'reads,store,agent').split(',').map(x => x.trim()))

/** One line of the table and of bench/results/latest.json. */
export interface Row {
  scenario: string
  /** successful requests (or runs) per second; null where the row is not a throughput */
  rps: number | null
  p50_ms: number | null
  p99_ms: number | null
  errors: number | null
  /** to the baseline measured in the same run (what the row compares with is in `measured`) */
  ratio: number | null
  target: string
  pass: boolean | null
  /** the figures the target was judged on, in words */
  measured: string
}

const LIMITS = {
  RATE_LIMIT_API_MAX: '1000000000', RATE_LIMIT_API_WINDOW: '900',
  RATE_LIMIT_AGENT_MAX: '1000000000', RATE_LIMIT_AGENT_WINDOW: '60',
  RATE_LIMIT_WORKOUT_MAX: '1000000000', RATE_LIMIT_WORKOUT_WINDOW: '3600',
  RATE_LIMIT_FEED_MAX: '1000000000', RATE_LIMIT_FEED_WINDOW: '3600',
  RATE_LIMIT_AUTH_MAX: '1000000000', RATE_LIMIT_AUTH_WINDOW: '900',
  AGENT_DAILY_RUNS: '1000000'
}

function serviceEnv (redis: PrivateRedis, extra: Record<string, string> = {}): Record<string, string> {
  return { ...LIMITS, REDIS_URL: redis.url, FRONTEND_URL: ORIGIN, LOG_LEVEL: 'info', ...extra }
}

const headersFor = (sessionId: string, json = false): Record<string, string> =>
  ({ origin: ORIGIN, 'x-session-id': sessionId, ...(json ? { 'content-type': 'application/json' } : {}) })

/** ', answers: 503 ×12' when some answers were not 2xx */
function oddAnswers (...results: CannonResult[]): string {
  const counts: Record<string, number> = {}
  for (const r of results) for (const [code, n] of Object.entries(r.statuses)) if (!code.startsWith('2')) counts[code] = (counts[code] ?? 0) + n
  const other = results.reduce((a, r) => a + r.errors - r.non2xx, 0)
  const parts = [...Object.entries(counts).map(([code, n]) => `${code} ×${n}`), ...(other > 0 ? [`connection errors/timeouts ×${other}`] : [])]
  return parts.length > 0 ? `; errors: ${parts.join(', ')}` : ''
}

const f0 = (n: number) => Math.round(n).toLocaleString('en')
const f2 = (n: number) => n.toFixed(2)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

const t0 = performance.now()
function log (line: string): void {
  process.stderr.write(`bench: ${((performance.now() - t0) / 1000).toFixed(1)} s ${line}\n`)
}

/** The baseline with `body` then the service, same connections and seconds, each after a warm-up. */
async function sideBySide (body: string, status: number, service: { url: string, connections: number, requestsFor: (i: number) => CannonRequest[], warmupFor?: (i: number) => CannonRequest[] }): Promise<{ base: CannonResult, svc: CannonResult }> {
  const plain = (requestsFor: (i: number) => CannonRequest[]) => (i: number) => requestsFor(i).map(({ onResponse: _, ...r }) => r)
  const warmupFor = plain(service.warmupFor ?? service.requestsFor)
  const baseline = await startBaseline(body, status)
  // The baseline gets the same requests (method, path, headers, body) as the service.
  const base = await (async () => {
    try {
      if (WARMUP > 0) await cannon({ url: baseline.url, connections: service.connections, duration: WARMUP, requestsFor: warmupFor })
      return await cannon({ url: baseline.url, connections: service.connections, duration: SECONDS, requestsFor: plain(service.requestsFor) })
    } finally {
      await baseline.stop()
    }
  })()
  if (WARMUP > 0) await cannon({ url: service.url, connections: service.connections, duration: WARMUP, requestsFor: warmupFor })
  const svc = await cannon({ url: service.url, connections: service.connections, duration: SECONDS, requestsFor: service.requestsFor })
  return { base, svc }
}

// ---- reads: warm cache and cache miss ----------------------------------------------------------

/** 1,000 workouts each: 7 in the last week, 993 more than a year old (1 a day, 400–1,392 days ago). */
const READER_DAYS = [...Array.from({ length: 7 }, (_, d) => d), ...Array.from({ length: 993 }, (_, d) => 400 + d)]

async function readScenarios (redis: PrivateRedis): Promise<Row[]> {
  const dir = await tempDir('ra-bench-reads-')
  const dataDir = `${dir}/data`
  // 100 measured people (2 a connection in the miss row) + 50 for the miss row's warm-up.
  log('reads: seeding 150 people with 1,000 workouts each')
  const readers = await seedPeople(dataDir, 150, 'reader', id => workoutsOn(id, READER_DAYS))
  const service = await startService(dataDir, serviceEnv(redis))
  const rows: Row[] = []
  try {
    log('reads: logins')
    const sessions = await login(service.url, readers.usernames, PASSWORD)
    const first = await api(service.url, 'GET', '/api/workout/history?days_back=7', undefined, sessions[0])
    if (first.status !== 200) throw new Error(`history answered ${first.status}: ${first.text}`)
    const body = first.text

    // Warm cache: person i on connection i, the same URL every time, its cache filled beforehand.
    for (let i = 0; i < CONNECTIONS; i++) await api(service.url, 'GET', '/api/workout/history?days_back=7', undefined, sessions[i])
    const warmCache = { HIT: 0, MISS: 0 } as Record<string, number>
    log('warm-cache history')
    const warm = await sideBySide(body, 200, {
      url: service.url,
      connections: CONNECTIONS,
      requestsFor: i => [{ method: 'GET', path: '/api/workout/history?days_back=7', headers: headersFor(sessions[i]), onResponse: (_s, _b, _c, h) => { warmCache[h['x-cache'] ?? '-'] = (warmCache[h['x-cache'] ?? '-'] ?? 0) + 1 } }]
    })
    const warmRatio = warm.svc.rps / warm.base.rps
    const warmPass = warmRatio >= 0.35 && warm.svc.p99 <= 25 && warm.svc.errors === 0
    rows.push({
      scenario: 'GET /api/workout/history, warm cache, full stack (helmet, CORS, session, Redis rate limits, Redis cache), 50 connections',
      rps: warm.svc.rps, p50_ms: warm.svc.p50, p99_ms: warm.svc.p99, errors: warm.svc.errors, ratio: warmRatio,
      target: '≥ 0.35 × baseline req/s, p99 ≤ 25 ms, 0 errors',
      pass: warmPass,
      measured: `${f2(warmRatio)} × baseline (${f0(warm.base.rps)} req/s, p99 ${warm.base.p99} ms), p99 ${warm.svc.p99} ms, ${warm.svc.errors} errors; x-cache HIT ${warmCache.HIT ?? 0}, MISS ${warmCache.MISS ?? 0}${oddAnswers(warm.svc)}`
    })

    // Cache miss: every request a key not asked before — days_back cycles 7…365 over two people per
    // connection, all with the same answer (their 7 workouts of the last week; the other 993 are
    // older than a year), so the body matches the baseline's; each request still reads the person's
    // 1,000 workouts. The warm-up uses 50 other people, so it takes no key from the measured run.
    const missCache = { HIT: 0, MISS: 0 } as Record<string, number>
    const cycle = (people: number[]) => Array.from({ length: 359 }, (_, k) => 7 + k).flatMap(days => people.map(p => ({ p, days })))
    log('cache-miss history')
    const miss = await sideBySide(body, 200, {
      url: service.url,
      connections: CONNECTIONS,
      requestsFor: i => cycle([i, CONNECTIONS + i]).map(({ p, days }) => ({
        method: 'GET' as const, path: `/api/workout/history?days_back=${days}`, headers: headersFor(sessions[p]),
        onResponse: (_s: number, _b: string, _c: Record<string, unknown>, h: Record<string, string>) => { missCache[h['x-cache'] ?? '-'] = (missCache[h['x-cache'] ?? '-'] ?? 0) + 1 }
      })),
      warmupFor: i => cycle([2 * CONNECTIONS + i]).map(({ p, days }) => ({ method: 'GET' as const, path: `/api/workout/history?days_back=${days}`, headers: headersFor(sessions[p]) }))
    })
    const missRatio = miss.svc.rps / miss.base.rps
    rows.push({
      scenario: 'same, cache miss, user with 1,000 workouts',
      rps: miss.svc.rps, p50_ms: miss.svc.p50, p99_ms: miss.svc.p99, errors: miss.svc.errors, ratio: missRatio,
      target: '≥ 0.15 × baseline',
      pass: missRatio >= 0.15,
      measured: `${f2(missRatio)} × baseline (${f0(miss.base.rps)} req/s); x-cache MISS ${missCache.MISS ?? 0}, HIT ${missCache.HIT ?? 0}${oddAnswers(miss.svc)}`
    })
  } finally {
    await service.stop()
    removeDir(dir)
  }
  return rows
}

// ---- writes, cold start, memory: 100,000 workouts over 10,000 people ----------------------------

/** 10 workouts each over the last 10 weeks */
const WRITER_DAYS = Array.from({ length: 10 }, (_, k) => k * 7 + (k % 3))

async function storeScenarios (redis: PrivateRedis): Promise<Row[]> {
  const dir = await tempDir('ra-bench-writes-')
  const dataDir = `${dir}/data`
  log('seeding 10,000 people with 100,000 workouts')
  const people = await seedPeople(dataDir, 10_000, 'writer', id => workoutsOn(id, WRITER_DAYS))
  const rows: Row[] = []
  const env = serviceEnv(redis)
  try {
    // Cold start: spawn → first /health 200, from the built JS, the data above on disk.
    log('cold starts')
    const starts: number[] = []
    for (let k = 0; k < COLD_STARTS; k++) {
      const s = await startService(dataDir, env)
      starts.push(s.startMs)
      await s.stop()
    }
    starts.sort((a, b) => a - b)
    const coldMedian = starts[Math.floor(starts.length / 2)]
    // The same with an empty DATA_DIR: how much of the start is the data and how much the code.
    const emptyDir = `${dir}/empty`
    const empty: number[] = []
    for (let k = 0; k < COLD_STARTS; k++) {
      const s = await startService(emptyDir, env)
      empty.push(s.startMs)
      await s.stop()
    }
    empty.sort((a, b) => a - b)
    const emptyMedian = empty[Math.floor(empty.length / 2)]
    rows.push({
      scenario: 'cold start from the built JS, 100,000 workouts on disk → first /health 200',
      rps: null, p50_ms: coldMedian, p99_ms: starts.at(-1)!, errors: 0, ratio: coldMedian / emptyMedian,
      target: '≤ 1 s',
      pass: coldMedian <= 1000,
      measured: `median ${f0(coldMedian)} ms of ${starts.length} starts (${starts.map(f0).join(', ')} ms; p99 column: the slowest); with an empty DATA_DIR ${f0(emptyMedian)} ms (ratio column: with the data / empty)`
    })

    // Writes: 50 connections, one person each; every acknowledged write counted in the files afterwards.
    log('writes: start and logins')
    const service = await startService(dataDir, env)
    let acknowledged = 0
    let written: string[] = []
    try {
      const sessions = await login(service.url, people.usernames.slice(0, 2 * CONNECTIONS), PASSWORD)
      const payload = JSON.stringify({ exercise_type: 'run', duration_minutes: 20 })
      const sample = await api(service.url, 'POST', '/api/workout/log', JSON.parse(payload), sessions[CONNECTIONS])
      if (sample.status !== 201) throw new Error(`log answered ${sample.status}: ${sample.text}`)
      log('POST /api/workout/log')
      const writes = await sideBySide(sample.text, 201, {
        url: service.url,
        connections: CONNECTIONS,
        requestsFor: i => [{ method: 'POST', path: '/api/workout/log', headers: headersFor(sessions[i], true), body: payload }],
        warmupFor: i => [{ method: 'POST', path: '/api/workout/log', headers: headersFor(sessions[CONNECTIONS + i], true), body: payload }]
      })
      acknowledged = writes.svc.ok
      written = people.userIds.slice(0, CONNECTIONS)
      const health = await api(service.url, 'GET', '/health')
      await service.stop()
      log('writes: counting in the files')
      const repo = await LowdbRepository.open({ dataDir })
      let stored = 0
      try {
        for (const id of written) stored += (await repo.listWorkouts(id)).length - WRITER_DAYS.length
      } finally {
        await repo.close()
      }
      const lost = Math.max(0, acknowledged - stored)
      const ratio = writes.svc.rps / writes.base.rps
      rows.push({
        scenario: 'POST /api/workout/log, 50 connections over 50 users, store seeded with 100,000 workouts over 10,000 users',
        rps: writes.svc.rps, p50_ms: writes.svc.p50, p99_ms: writes.svc.p99, errors: writes.svc.errors, ratio,
        target: "≥ 2,000 acknowledged fsync'd writes/s, p99 ≤ 200 ms, 0 lost",
        pass: writes.svc.rps >= 2000 && writes.svc.p99 <= 200 && lost === 0,
        measured: `${f0(writes.svc.rps)} acknowledged writes/s, p99 ${writes.svc.p99} ms; ${f0(acknowledged)} acknowledged, ${f0(stored)} in the files afterwards, ${lost} lost; ${f2(ratio)} × baseline (${f0(writes.base.rps)} req/s); ${health.body?.database?.flushes_total ?? '?'} flushes for ${health.body?.database?.writes_total ?? '?'} writes${oddAnswers(writes.svc)}`
      })
    } finally {
      await service.stop()
    }

    rows.push(await memoryScenario(dataDir, env, people.usernames))
  } finally {
    removeDir(dir)
  }
  return rows
}

/**
 * Memory: the service started with --inspect (no change to it): a forced GC and
 * process.memoryUsage() through the inspector protocol. 1,000 people (STORE_MAX_OPEN, the handle
 * pool's bound) log in and warm up; heap after GC; then BENCH_MIXED_REQUESTS mixed requests
 * (reads, cached and not, writes, session, patterns, /health) with /health's RSS sampled every
 * second; heap after GC again.
 */
async function memoryScenario (dataDir: string, env: Record<string, string>, usernames: string[]): Promise<Row> {
  const service = await startService(dataDir, { ...env, STORE_MAX_OPEN: '1000' }, { inspect: true })
  try {
    const PEOPLE = 1000
    log('memory: 1,000 logins')
    const sessions = await login(service.url, usernames.slice(1000, 1000 + PEOPLE), PASSWORD)
    const perConnection = PEOPLE / CONNECTIONS
    const kinds = (sessionId: string): CannonRequest[] => [
      { method: 'GET', path: '/api/workout/history?days_back=7', headers: headersFor(sessionId) },
      { method: 'GET', path: '/api/workout/history?days_back=30', headers: headersFor(sessionId) },
      { method: 'GET', path: '/api/auth/session', headers: headersFor(sessionId) },
      { method: 'GET', path: '/api/workout/history?days_back=7', headers: headersFor(sessionId) },
      { method: 'GET', path: '/health', headers: { origin: ORIGIN } },
      { method: 'GET', path: '/api/workout/history?days_back=90', headers: headersFor(sessionId) },
      { method: 'POST', path: '/api/workout/log', headers: headersFor(sessionId, true), body: JSON.stringify({ exercise_type: 'yoga', duration_minutes: 25 }) },
      { method: 'GET', path: '/api/patterns', headers: headersFor(sessionId) },
      { method: 'GET', path: '/api/workout/history?days_back=14', headers: headersFor(sessionId) },
      { method: 'GET', path: '/api/me', headers: headersFor(sessionId) }
    ]
    // Connection i: its 20 people in turn, each through every kind of request.
    const requestsFor = (i: number) => Array.from({ length: perConnection * 10 }, (_, k) => kinds(sessions[i * perConnection + Math.floor(k / 10) % perConnection])[k % 10])
    log('memory: warm-up')
    const warmup = await cannon({ url: service.url, connections: CONNECTIONS, duration: MIXED_WARMUP_SECONDS, requestsFor })
    log('memory: GC')
    const before = await gcAndMeasure(service.inspectPort!)
    const healthBefore = (await api(service.url, 'GET', '/health')).body
    let peakRss = healthBefore.process.rss_bytes ?? 0
    let atBound = healthBefore.database.open_handles >= healthBefore.database.max_open
    const sampler = setInterval(() => {
      api(service.url, 'GET', '/health').then(res => {
        peakRss = Math.max(peakRss, res.body.process.rss_bytes ?? 0)
        atBound &&= res.body.database.open_handles >= res.body.database.max_open
      }, () => {})
    }, 1000)
    log(`memory: ${MIXED.toLocaleString('en')} mixed requests`)
    let run: CannonResult
    try {
      run = await cannon({ url: service.url, connections: CONNECTIONS, amount: MIXED, duration: MIXED_SECONDS, requestsFor })
    } finally {
      clearInterval(sampler)
    }
    const after = await gcAndMeasure(service.inspectPort!)
    const healthAfter = (await api(service.url, 'GET', '/health')).body
    peakRss = Math.max(peakRss, healthAfter.process.rss_bytes ?? 0, after.rss)
    const growth = (after.heapUsed - before.heapUsed) / before.heapUsed
    const served = run.ok + run.non2xx
    const writes = Math.round(served / 10)
    const short = served < MIXED
    return {
      scenario: `memory: RSS with the handle pool at its bound; heap after ${MIXED.toLocaleString('en')} mixed requests vs after warm-up, both after a forced GC`,
      rps: run.rps, p50_ms: run.p50, p99_ms: run.p99, errors: run.errors + warmup.errors, ratio: after.heapUsed / before.heapUsed,
      target: 'RSS ≤ 200 MB; heap growth ≤ 10 %',
      pass: peakRss <= 200 * 1024 * 1024 && growth <= 0.10 && atBound && !short,
      measured: `${short ? `only ${f0(served)} of ${f0(MIXED)} requests answered within ${MIXED_SECONDS} s (heap compared after those); ` : `${f0(served)} requests in ${run.seconds} s; `}peak RSS ${mb(peakRss)} (after GC ${mb(before.rss)} → ${mb(after.rss)}); heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %, ~${f0(writes)} workouts added meanwhile); handle pool ${healthAfter.database.open_handles}/${healthAfter.database.max_open}${atBound ? ' (at its bound throughout)' : ' (NOT at its bound throughout)'}; ratio column: heap after / before${oddAnswers(warmup, run)}`
    }
  } finally {
    await service.stop()
  }
}

// ---- the coach ----------------------------------------------------------------------------------

async function agentScenarios (redis: PrivateRedis): Promise<Row[]> {
  const dir = await tempDir('ra-bench-agent-')
  const dataDir = `${dir}/data`
  log('agent: seeding')
  const people = await seedPeople(dataDir, 102, 'coached', id => workoutsOn(id, WRITER_DAYS))
  const llm = await startBenchLlm(0)
  const service = await startService(dataDir, serviceEnv(redis, { LLM_PROVIDER: 'compatible', LLM_BASE_URL: llm.url, LLM_MODEL: 'bench-stub', LLM_API_KEY: 'bench' }))
  const rows: Row[] = []
  try {
    const sessions = await login(service.url, people.usernames, PASSWORD)
    const message = JSON.stringify({ message: 'How am I doing this week?' })
    const ask = (sessionId: string, onResponse?: CannonRequest['onResponse']): CannonRequest => ({ method: 'POST', path: '/api/agent', headers: headersFor(sessionId, true), body: message, onResponse })

    const check = await api(service.url, 'POST', '/api/agent', JSON.parse(message), sessions[101])
    if (check.status !== 200 || check.body.toolCalls.length !== 2 || check.body.iterations !== 2) throw new Error(`the coach run is not 2 tool calls in 2 model calls: ${check.status} ${check.text.slice(0, 500)}`)

    // Instant stub, 1 connection: service overhead per run = the run's duration minus the time it
    // waited on the model (the reply's performance block; whole ms).
    const overheads: number[] = []
    let shapeErrors = 0
    log('POST /api/agent, instant stub')
    if (WARMUP > 0) await cannon({ url: service.url, connections: 1, duration: WARMUP, requestsFor: () => [ask(sessions[101])] })
    const instant = await cannon({
      url: service.url, connections: 1, duration: SECONDS,
      requestsFor: () => [ask(sessions[100], (status, body) => {
        if (status !== 200) return
        const reply = JSON.parse(body)
        if (reply.toolCalls.length !== 2) shapeErrors++
        overheads.push(reply.performance.duration - reply.performance.llmDuration)
      })]
    })
    overheads.sort((a, b) => a - b)
    const pct = (p: number) => overheads[Math.min(overheads.length - 1, Math.floor(overheads.length * p))]
    rows.push({
      scenario: 'POST /api/agent, stub LLM answering instantly, 2 tool calls per run, 1 connection',
      rps: instant.rps, p50_ms: instant.p50, p99_ms: instant.p99, errors: instant.errors + shapeErrors, ratio: null,
      target: 'service overhead (run time minus time waiting on the stub) p99 ≤ 10 ms',
      pass: overheads.length > 0 && pct(0.99) <= 10 && instant.errors + shapeErrors === 0,
      measured: `overhead p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${overheads.at(-1)} ms over ${overheads.length} runs (p50/p99 columns: whole request, client side)${oddAnswers(instant)}`
    })

    // 800 ms per model call, 100 people at once: every run is 2 calls, so the bound is 100 / 1.6 s.
    llm.delayMs = 800
    const bound = 100 / (2 * 0.8)
    log('POST /api/agent, 800 ms stub, 100 in parallel')
    const runs: Array<{ duration: number, llm: number }> = []
    const slow = await cannon({
      url: service.url, connections: 100, amount: 100 * AGENT_ROUNDS, timeoutSeconds: 30,
      requestsFor: i => [ask(sessions[i], (status, body) => {
        if (status === 200) { const p = JSON.parse(body).performance; runs.push({ duration: p.duration, llm: p.llmDuration }) }
      })]
    })
    const ratio = slow.rps / bound
    const median = (xs: number[]) => xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN
    const runMedian = median(runs.map(r => r.duration))
    const llmMedian = median(runs.map(r => r.llm))
    rows.push({
      scenario: 'same with the stub taking 800 ms per call, 100 users in parallel',
      rps: slow.rps, p50_ms: slow.p50, p99_ms: slow.p99, errors: slow.errors, ratio,
      target: 'throughput within 20 % of the latency bound (≈ 100 / (2 × 0.8 s))',
      pass: ratio >= 0.8 && slow.errors === 0,
      measured: `${f2(slow.rps)} runs/s = ${f2(ratio)} × the bound ${f2(bound)} runs/s (${slow.ok} runs in ${slow.seconds} s); per run (the reply's performance block) median ${f0(runMedian)} ms, of which waiting on the model ${f0(llmMedian)} ms (2 calls × 800 ms = 1,600); ratio column: to the bound${oddAnswers(slow)}`
    })
  } finally {
    await service.stop()
    await llm.close()
    removeDir(dir)
  }
  return rows
}

/** The rows the service contributes to the table, in the issue's order (the in-process history row is added by run.ts). */
export async function serviceRows (): Promise<{ reads: Row[], writes: Row[], agent: Row[], coldAndMemory: Row[] }> {
  const redis = await privateRedis()
  try {
    const reads = PARTS.has('reads') ? await readScenarios(redis) : []
    const store = PARTS.has('store') ? await storeScenarios(redis) : []
    const agent = PARTS.has('agent') ? await agentScenarios(redis) : []
    const writes = store.filter(r => r.scenario.startsWith('POST'))
    const coldAndMemory = store.filter(r => !r.scenario.startsWith('POST'))
    return { reads, writes, agent, coldAndMemory }
  } finally {
    await cleanUp()
  }
}
