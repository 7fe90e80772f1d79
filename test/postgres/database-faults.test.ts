// The PostgreSQL store when its database goes away under load: requests that need it get 503 with
// retry-after (never a 500, never a hang), /health says so within a second and answers fast, and
// the service recovers on its own once the database is back — no restart. A private cluster (the
// test's own initdb/pg_ctl) is stopped and started; nothing else is touched.
import t from 'tap'
import { build, register, type Session } from '../helpers/build-app.js'
import { databaseUrl, privatePostgresCluster } from '../helpers/postgres.js'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function createDatabase (adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  return databaseUrl(adminUrl, name)
}

interface Outcome { status: number, retryAfter: string | undefined, ms: number }

/** Writers logging workouts as fast as they are answered, until stopped. */
function load (app: FastifyInstance, session: Session, writers: number) {
  const outcomes: Outcome[] = []
  let running = true
  const loops = Array.from({ length: writers }, async () => {
    while (running) {
      const started = performance.now()
      const res = await app.inject({ method: 'POST', url: '/api/workout/log', headers: session.headers, payload: { exercise_type: 'rowing', duration_minutes: 20 } })
      outcomes.push({ status: res.statusCode, retryAfter: res.headers['retry-after'] as string | undefined, ms: performance.now() - started })
      if (res.statusCode !== 201) await sleep(20)
    }
  })
  return { outcomes, stop: async () => { running = false; await Promise.all(loops) } }
}

t.test('database stopped under load: 503s with retry-after, health down within a second, recovery on its own', async t => {
  const cluster = await privatePostgresCluster(t)
  const url = await createDatabase(cluster.adminUrl, 'faults')
  const app = await build(t, { env: { DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: '2000' } })
  const session = await register(app, 'steady')
  const health = async () => {
    const started = performance.now()
    const res = await app.inject({ url: '/health' })
    return { status: res.statusCode, body: res.json(), ms: performance.now() - started }
  }
  t.equal((await health()).body.database.kind, 'postgres')

  const writers = load(app, session, 8)
  const warm = performance.now()
  while (writers.outcomes.filter(o => o.status === 201).length < 20 && performance.now() - warm < 10_000) await sleep(20)
  const beforeStop = writers.outcomes.length
  t.ok(writers.outcomes.filter(o => o.status === 201).length >= 20, 'writes succeed while the database is up')

  const stoppedAt = performance.now()
  const stopping = cluster.stop().then(() => t.comment(`pg_ctl stop took ${(performance.now() - stoppedAt).toFixed(0)} ms`))
  // /health notices within a second, and stays fast while the database is gone.
  let downAfterMs: number | null = null
  const healthTimes: number[] = []
  while (performance.now() - stoppedAt < 3000) {
    const h = await health()
    healthTimes.push(h.ms)
    if (h.status === 503 && h.body.database.writable === false) { downAfterMs ??= performance.now() - stoppedAt }
    await sleep(50)
  }
  await stopping
  const firstRefusal = writers.outcomes.slice(beforeStop).findIndex(o => o.status === 503)
  t.comment(`first 503 was write #${firstRefusal} after the stop began`)
  t.ok(downAfterMs !== null && downAfterMs <= 1000, `health reported the database down after ${downAfterMs?.toFixed(0)} ms`)
  t.ok(Math.max(...healthTimes) < 200, `health answered within ${Math.max(...healthTimes).toFixed(0)} ms while it was down`)

  const whileDown = writers.outcomes.slice(beforeStop)
  t.ok(whileDown.some(o => o.status === 503), 'writes while it is down get 503')
  const unexpected = whileDown.filter(o => o.status !== 201 && o.status !== 503)
  t.same(unexpected.map(o => o.status), [], 'nothing but 201 and 503 — no 500')
  t.ok(whileDown.filter(o => o.status === 503).every(o => Number(o.retryAfter) > 0), 'every 503 says when to retry')
  const slowest = Math.max(...whileDown.map(o => o.ms))
  t.ok(slowest < 4000, `no request hung: the slowest took ${slowest.toFixed(0)} ms (statement timeout 2000 ms)`)

  const restartedAt = performance.now()
  await cluster.start()
  let recoveredAfterMs: number | null = null
  while (performance.now() - restartedAt < 15_000) {
    const recent = writers.outcomes.at(-1)
    const h = await health()
    if (recent?.status === 201 && h.status === 200) { recoveredAfterMs = performance.now() - restartedAt; break }
    await sleep(100)
  }
  await writers.stop()
  t.ok(recoveredAfterMs !== null && recoveredAfterMs < 10_000, `writes and health recovered ${recoveredAfterMs?.toFixed(0)} ms after the database came back`)
  t.same(writers.outcomes.filter(o => o.status !== 201 && o.status !== 503).map(o => o.status), [], 'no other status at any point')

  // What was acknowledged is there.
  const acknowledged = writers.outcomes.filter(o => o.status === 201).length
  const history = (await app.inject({ url: '/api/workout/history?limit=1', headers: session.headers })).json()
  t.ok(history.stats.total_workouts >= acknowledged, `${history.stats.total_workouts} stored ≥ ${acknowledged} acknowledged`)
})

t.test('a database that is not there at start-up: one clear line', async t => {
  const { runToExit } = await import('../helpers/child-server.js')
  const { tempDir } = await import('../helpers/build-app.js')
  const result = await runToExit(await tempDir(t), { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' })
  t.equal(result.code, 1)
  t.match(result.output, /Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none \(DATABASE_URL\): ECONNREFUSED/)
  t.notMatch(result.output, /secret/, 'the password is never printed')
  t.equal(result.output.trim().split('\n').length, 1, 'one line')
})

t.test('SESSION_SECRET is required with DATABASE_URL', async t => {
  const { runToExit } = await import('../helpers/child-server.js')
  const { tempDir } = await import('../helpers/build-app.js')
  const result = await runToExit(await tempDir(t), { DATABASE_URL: 'postgres://127.0.0.1:1/none', SESSION_SECRET: '' })
  t.equal(result.code, 1)
  t.match(result.output, /SESSION_SECRET is required with DATABASE_URL/)
})
