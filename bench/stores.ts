// The two stores side by side (section 4 of npm run bench; also runnable alone:
// `node --import ./scripts/ts-register.mjs bench/stores.ts`):
//
//   a. Acknowledged durable writes per second: 50 writers over 50 distinct people for a few
//      seconds, each write acknowledged only once durable (LowDB: fsync'd file; PostgreSQL: the
//      transaction committed with synchronous_commit on); then every acknowledged write is counted
//      in the store (0 lost). Target ≥ 2,000/s.
//   b. One person's history read (100 workouts of theirs) with 10,000 vs 1,000,000 workouts in the
//      store; p50 ratio ≤ 1.5 (the cost must not grow with everyone else's data).
//
// PostgreSQL: a private database on BENCH_DATABASE_ADMIN_URL (default the local server), seeded
// with SQL (generate_series) and dropped afterwards; skipped with a note when there is no server.
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { newUserId } from '../src/accounts/accounts.js'
import { shardedPath } from '../src/store/lowdb/doc-pool.js'
import { LowdbRepository } from '../src/store/lowdb/lowdb-repository.js'
import { USER_DOC_VERSION, type UserDoc } from '../src/store/lowdb/user-doc.js'
import { openPgRepository } from '../src/store/postgres/pg-repository.js'
import { migrate } from '../src/store/postgres/migrate.js'
import { emptyAgentUsage } from '../src/store/user-data.js'
import type { Repository } from '../src/store/repository.js'
import type { Account } from '../src/accounts/account-schemas.js'
import type { WorkoutRecord } from '../src/workouts/workout-schemas.js'
import { logWorkout, workoutHistory } from '../src/workouts/workouts.js'

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const WRITERS = 50
const WRITE_SECONDS = 5
const READS = 500
const MINE = 100
/** the pool as deployed by default (DATABASE_POOL_MAX=10); BENCH_PG_POOL tries another */
const PG_POOL = Number(process.env.BENCH_PG_POOL ?? 10)

export interface StoreRow { store: string, writesPerSecond: number, lost: number, writeP99: number, readP50Small: number, readP50Large: number }

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

function account (id: string, i: number): Account {
  const at = new Date().toISOString()
  return { id, username: `user${i}`, password_hash: 'scrypt$1024$8$1$x$y', timezone: 'UTC', resolution: null, created_at: at, updated_at: at }
}

function workouts (userId: string, n: number): WorkoutRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.now() - i * 36e5 * 5).toISOString()
    return {
      workout_id: `w_seed${i}`, user_id: userId, exercise_type: i % 2 ? 'run' : 'yoga', duration_minutes: 30,
      performed_at: at, local_date: at.slice(0, 10), local_time: at.slice(11, 16), timezone: 'UTC', created_at: at, updated_at: at,
      audit: [{ at, action: 'create' }]
    }
  })
}

/** 50 writers, one person each, writing for WRITE_SECONDS; every acknowledged write counted back. */
async function writeThroughput (repo: Repository) {
  const people = Array.from({ length: WRITERS }, () => newUserId())
  for (const [i, id] of people.entries()) await repo.createAccount(account(id, 1_000_000 + i))
  const acknowledged = new Map<string, number>()
  const latencies: number[] = []
  const end = performance.now() + WRITE_SECONDS * 1000
  const started = performance.now()
  await Promise.all(people.map(async id => {
    let n = 0
    while (performance.now() < end) {
      const t0 = performance.now()
      await logWorkout(repo, id, { exercise_type: 'run', duration_minutes: 20 })
      latencies.push(performance.now() - t0)
      n++
    }
    acknowledged.set(id, n)
  }))
  const seconds = (performance.now() - started) / 1000
  let lost = 0
  for (const [id, n] of acknowledged) lost += Math.max(0, n - (await repo.listWorkouts(id)).length)
  const total = [...acknowledged.values()].reduce((a, b) => a + b, 0)
  return { writesPerSecond: total / seconds, lost, writeP99: percentile(latencies, 0.99) }
}

async function historyP50 (repo: Repository, userId: string): Promise<number> {
  for (let i = 0; i < 50; i++) await workoutHistory(repo, userId, 30) // warm
  const times: number[] = []
  for (let i = 0; i < READS; i++) {
    const t0 = performance.now()
    await workoutHistory(repo, userId, 30)
    times.push(performance.now() - t0)
  }
  return percentile(times, 0.5)
}

// ---- LowDB ----

/** People with `perPerson` workouts each, written as files (a seed, not the durable path). */
async function seedLowdb (dataDir: string, people: number, perPerson: number): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < people) {
      const i = next++
      const id = newUserId()
      const doc: UserDoc = { schema_version: USER_DOC_VERSION, account: account(id, i), workouts: workouts(id, perPerson), request_keys: {}, conversation: [], agent_traces: [], agent_usage: emptyAgentUsage(), plans: [], pauses: [], preferences: null, channels: null, buddy: null, nudges: [], interventions: [], commitments: [], commitment_audit: {}, autopilot: null, autopilot_runs: [] }
      const file = shardedPath(join(dataDir, 'users'), id)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, JSON.stringify(doc))
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker))
}

async function lowdbReads (totalWorkouts: number): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-bench-stores-'))
  try {
    await seedLowdb(dataDir, totalWorkouts / 100, 100)
    const repo = await LowdbRepository.open({ dataDir })
    const me = newUserId()
    await repo.createAccount(account(me, -1))
    for (const w of workouts(me, MINE)) await repo.insertWorkout(me, { ...w, user_id: me }, undefined, () => null)
    const p50 = await historyP50(repo, me)
    await repo.close()
    return p50
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

async function lowdbRow (): Promise<StoreRow> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-bench-stores-'))
  let writes
  try {
    const repo = await LowdbRepository.open({ dataDir })
    writes = await writeThroughput(repo)
    await repo.close()
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
  return { store: 'LowDB (files, fsync)', ...writes, readP50Small: await lowdbReads(10_000), readP50Large: await lowdbReads(1_000_000) }
}

// ---- PostgreSQL ----

async function admin (url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try { await client.query(sql) } finally { await client.end() }
}

/** `people` accounts with `perPerson` workouts each, inserted by SQL in one statement per table. */
async function seedPg (url: string, people: number, perPerson: number): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`INSERT INTO accounts (id, username, body)
      SELECT 'u_seed' || g, 'seed' || g, jsonb_build_object('id', 'u_seed' || g, 'username', 'seed' || g, 'timezone', 'UTC', 'resolution', null,
        'password_hash', 'x', 'created_at', '2026-01-01T00:00:00.000Z', 'updated_at', '2026-01-01T00:00:00.000Z')
      FROM generate_series(1, $1::int) g`, [people])
    await client.query("INSERT INTO user_settings (user_id) SELECT 'u_seed' || g FROM generate_series(1, $1::int) g", [people])
    await client.query(`INSERT INTO workouts (user_id, workout_id, local_date, performed_at, body)
      SELECT 'u_seed' || (g % $1::int + 1), 'w_seed' || g, d::date, d,
        jsonb_build_object('workout_id', 'w_seed' || g, 'user_id', 'u_seed' || (g % $1::int + 1), 'exercise_type', 'run', 'duration_minutes', 30,
          'performed_at', to_char(d, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'local_date', to_char(d, 'YYYY-MM-DD'), 'local_time', to_char(d, 'HH24:MI'),
          'timezone', 'UTC', 'created_at', to_char(d, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'updated_at', to_char(d, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'audit', '[]'::jsonb)
      FROM generate_series(1, $2::int) g, LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (g % 400) * interval '1 day' AS d) x`, [people, people * perPerson])
    await client.query('ANALYZE')
  } finally {
    await client.end()
  }
}

async function withPgDatabase<R> (fn: (url: string) => Promise<R>): Promise<R> {
  const name = `ra_bench_${randomBytes(5).toString('hex')}`
  await admin(ADMIN_URL, `CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  try {
    await migrate(url.toString())
    return await fn(url.toString())
  } finally {
    await admin(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}

async function pgReads (totalWorkouts: number): Promise<number> {
  return withPgDatabase(async url => {
    await seedPg(url, totalWorkouts / 100, 100)
    const repo = await openPgRepository({ connectionString: url, poolMax: 10, statementTimeoutMs: 30_000 })
    try {
      const me = newUserId()
      await repo.createAccount(account(me, -1))
      for (const w of workouts(me, MINE)) await repo.insertWorkout(me, { ...w, user_id: me }, undefined, () => null)
      return await historyP50(repo, me)
    } finally {
      await repo.close()
    }
  })
}

async function pgRow (): Promise<StoreRow | string> {
  try {
    await admin(ADMIN_URL, 'SELECT 1')
  } catch (err) {
    return `PostgreSQL skipped: no server at ${new URL(ADMIN_URL).host} (${(err as Error).message})`
  }
  const writes = await withPgDatabase(async url => {
    // The pool as deployed (DATABASE_POOL_MAX, default 10): 50 writers share it.
    const repo = await openPgRepository({ connectionString: url, poolMax: PG_POOL, statementTimeoutMs: 30_000 })
    try { return await writeThroughput(repo) } finally { await repo.close() }
  })
  return { store: `PostgreSQL (synchronous_commit on, pool ${PG_POOL})`, ...writes, readP50Small: await pgReads(10_000), readP50Large: await pgReads(1_000_000) }
}

export async function compareStores (): Promise<Array<StoreRow | string>> {
  return [await lowdbRow(), await pgRow()]
}

export function printStoreComparison (rows: Array<StoreRow | string>): void {
  const fmt = (n: number) => n.toFixed(2)
  console.log(`\n## 4. The two stores: durable writes from ${WRITERS} writers over ${WRITERS} people (${WRITE_SECONDS} s), and one person's history with 10,000 vs 1,000,000 workouts stored`)
  console.log('| store | acknowledged writes/s (target ≥ 2,000) | lost | write p99 ms | history p50 ms, 10k | history p50 ms, 1M | ratio (target ≤ 1.5) |')
  console.log('|---|---|---|---|---|---|---|')
  for (const row of rows) {
    if (typeof row === 'string') { console.log(`| ${row} |||||||`); continue }
    const ratio = row.readP50Large / row.readP50Small
    console.log(`| ${row.store} | ${row.writesPerSecond.toFixed(0)} ${row.writesPerSecond >= 2000 ? '✓' : '✗ below target'} | ${row.lost} | ${fmt(row.writeP99)} | ${fmt(row.readP50Small)} | ${fmt(row.readP50Large)} | ${fmt(ratio)} ${ratio <= 1.5 ? '✓' : '✗ above target'} |`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printStoreComparison(await compareStores())
