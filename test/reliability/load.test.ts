// Load: 100 keep-alive connections of mixed traffic (reads, writes, idempotent retries, health
// checks, and requests wrong on purpose) against the built service → no connection error, no
// timeout, no status but the ones each request documents, and every acknowledged write stored.
// On the LowDB store (one process), and on the PostgreSQL store with two instances sharing one
// database and one Redis. 30 s in the long version, 4 s in `npm test`.
import t, { type Test } from 'tap'
import pg from 'pg'
import { spawnServer, type ChildServer } from '../helpers/child-server.js'
import { tempDir } from '../helpers/build-app.js'
import { privateDatabase } from '../helpers/postgres.js'
import { startRedis } from '../helpers/redis-server.js'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { describe, mixedTraffic, percentile, pick, registerAccounts, startLoad, unexpectedOutcomes } from './harness.js'

const CONNECTIONS = 100
const DURATION_MS = pick(3000, 30_000)
const USERS = pick(10, 20)
/** a request unanswered after this is a timeout (the service's own deadlines are far shorter) */
const TIMEOUT_MS = 15_000

async function drive (t: Test, urls: string[], people: Awaited<ReturnType<typeof registerAccounts>>) {
  const acked = new Map<string, Set<string>>()
  const traffic = mixedTraffic(people, acked)
  const result = await startLoad({ urls, connections: CONNECTIONS, durationMs: DURATION_MS, next: traffic.next, timeoutMs: TIMEOUT_MS }).done
  const latencies = result.outcomes.map(o => o.ms)
  const writes = [...acked.values()].reduce((n, s) => n + s.size, 0)
  t.comment(`${result.outcomes.length} requests in ${(result.durationMs / 1000).toFixed(1)} s (${(result.outcomes.length / result.durationMs * 1000).toFixed(0)} req/s) over ${CONNECTIONS} connections to ${urls.length} instance(s); p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms; ${writes} writes acknowledged`)
  t.comment(describe(result.outcomes))
  const unexpected = unexpectedOutcomes(result.outcomes, traffic.expectOf)
  t.equal(result.outcomes.filter(o => o.status === 'timeout').length, 0, '0 timeouts')
  t.equal(result.outcomes.filter(o => typeof o.status === 'string' && o.status.startsWith('error')).length, 0, '0 connection errors')
  t.same(unexpected.slice(0, 20).map(o => `${o.name} ${o.status}`), [], `no status beyond each request's documented ones (${unexpected.length} others)`)
  t.ok(writes > 0 && result.outcomes.length >= CONNECTIONS, 'the load ran')
  return acked
}

t.test(`LowDB store: ${CONNECTIONS} connections of mixed traffic for ${DURATION_MS / 1000} s`, async t => {
  const dataDir = await tempDir(t)
  const server = await spawnServer(dataDir)
  t.teardown(() => { server.proc.kill('SIGKILL') })
  const people = await registerAccounts(server.url, 'load', USERS)
  const acked = await drive(t, [server.url], people)
  server.proc.kill('SIGTERM')
  t.same(await server.exit, { code: 0, signal: null }, 'a clean shutdown afterwards')
  const repo = await LowdbRepository.open({ dataDir })
  t.teardown(() => repo.close())
  let missing = 0
  let total = 0
  for (const [userId, ids] of acked) {
    const stored = new Set((await repo.listWorkouts(userId)).map(w => w.workout_id))
    for (const id of ids) { total++; if (!stored.has(id)) missing++ }
  }
  t.equal(missing, 0, `all ${total} acknowledged workouts stored`)
})

t.test(`PostgreSQL store, two instances: ${CONNECTIONS} connections of mixed traffic for ${DURATION_MS / 1000} s`, async t => {
  const url = await privateDatabase(t)
  const redis = await startRedis(t)
  const env = { DATABASE_URL: url, REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '3000' }
  const start = async (): Promise<ChildServer> => {
    const server = await spawnServer(await tempDir(t), env)
    t.teardown(() => { server.proc.kill('SIGKILL') })
    return server
  }
  const a = await start()
  const b = await start()
  const people = await registerAccounts([a.url, b.url], 'pgload', USERS)
  const acked = await drive(t, [a.url, b.url], people)
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  t.teardown(() => db.end())
  const ids = [...acked.values()].flatMap(s => [...s])
  const { rows } = await db.query('SELECT count(*)::int AS n FROM workouts WHERE workout_id = ANY($1)', [ids])
  t.equal(rows[0].n, ids.length, `all ${ids.length} acknowledged workouts stored`)
})
