// `npm run bench`: everything measured as a ratio to a baseline measured in the same run on the
// same machine, because absolute numbers on a shared machine mean little. It builds the service
// first, starts what it needs (a private redis-server, a stub LLM, the built service, a bare
// node:http baseline) and stops all of it at the end, on an error or on Ctrl-C.
//
//   The table of issue #17 (bench/service.ts): the built service as a child process driven by
//   autocannon, each HTTP scenario next to the node:http baseline answering the same bytes;
//   printed last, and written to bench/results/latest.json as
//   [{scenario, rps, p50_ms, p99_ms, errors, ratio, target, pass, measured}].
//   Its in-process row (one person's history with 10,000 vs 1,000,000 workouts stored) comes from
//   section 4. docs/PERFORMANCE.md has a full run and says what each number means.
//
// Then the in-process store sections (issues #14, #16, #18):
//   1. Cost independent of other users: one user's writes and history reads with 10 other users
//      (baseline) vs BENCH_USERS other users (default 100,000). Target ratio ≈ 1.
//   2. Group commit: 1,000 concurrent writes from 10 users vs the same writes one at a time
//      (baseline). Target: concurrent throughput well above sequential.
//   3. The autopilot at scale: BENCH_USERS people with plans and a queued checkpoint each; one tick
//      with 0, 10 and 1,000 checkpoints due. Target: an idle tick costs little whatever the number
//      of people, and the cost per due checkpoint is the same at 10 and at 1,000.
//   4. The two stores side by side (bench/stores.ts): acknowledged durable writes/s from 50
//      writers, and one person's history with 10,000 vs 1,000,000 workouts stored.
//   5. The web app's first load (bench/web-first-load.ts): bytes and time to the week's numbers.
//
// Run: npm run bench   (about 8 minutes on 2 cores). Shorter runs while developing:
//   BENCH_ONLY=service,users,groupcommit,autopilot,stores,web (any of them, comma-separated)
//   BENCH_USERS=20000, and the service knobs at the top of bench/service.ts (BENCH_SECONDS=3 …)
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { newUserId } from '../src/accounts/accounts.js'
import { shardedPath } from '../src/store/lowdb/doc-pool.js'
import { LowdbRepository } from '../src/store/lowdb/lowdb-repository.js'
import { USER_DOC_VERSION, type UserDoc } from '../src/store/lowdb/user-doc.js'
import { emptyAgentUsage } from '../src/store/user-data.js'
import type { Account } from '../src/accounts/account-schemas.js'
import type { WorkoutRecord } from '../src/workouts/workout-schemas.js'
import { logWorkout, workoutHistory } from '../src/workouts/workouts.js'
import { AutopilotRunner } from '../src/autopilot/autopilot-runner.js'
import type { Outreach } from '../src/nudges/outreach.js'
import { compareStores, printStoreComparison, type StoreRow } from './stores.js'
import { printWebFirstLoad, webFirstLoad } from './web-first-load.js'
import { printTable, writeResults } from './table.js'
import { serviceRows, type Row } from './service.js'

const OTHER_USERS = Number(process.env.BENCH_USERS ?? 100_000)
const WRITES = 200
const READS = 2_000

function account (id: string, i: number): Account {
  const at = new Date().toISOString()
  return { id, username: `user${i}`, password_hash: 'scrypt$1024$8$1$x$y', timezone: 'UTC', resolution: null, created_at: at, updated_at: at }
}

function seedWorkouts (userId: string, n: number): WorkoutRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.now() - i * 36e5 * 20).toISOString()
    return {
      workout_id: `w_seed${i}`, user_id: userId, exercise_type: i % 2 ? 'run' : 'yoga', duration_minutes: 30,
      form_quality: 'good', performed_at: at, local_date: at.slice(0, 10), local_time: at.slice(11, 16), timezone: 'UTC', created_at: at, updated_at: at,
      audit: [{ at, action: 'create' }]
    }
  })
}

/** Writes user files directly (a seed, not the durable path), `concurrency` at a time. */
async function seed (dataDir: string, count: number): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const id = newUserId()
      const doc: UserDoc = { schema_version: USER_DOC_VERSION, account: account(id, i), workouts: seedWorkouts(id, 20), request_keys: {}, conversation: [], agent_traces: [], agent_usage: emptyAgentUsage(), plans: [], pauses: [], preferences: null, channels: null, buddy: null, nudges: [], interventions: [], commitments: [], commitment_audit: {}, autopilot: null, autopilot_runs: [] }
      const file = shardedPath(join(dataDir, 'users'), id)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, JSON.stringify(doc))
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker))
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]

async function perUserCosts (otherUsers: number) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-bench-'))
  try {
    const seedStart = performance.now()
    await seed(dataDir, otherUsers)
    const seedMs = performance.now() - seedStart
    const repo = await LowdbRepository.open({ dataDir })
    const me = newUserId()
    await repo.createAccount(account(me, -1))
    const writes: number[] = []
    for (let i = 0; i < WRITES; i++) {
      const t0 = performance.now()
      await logWorkout(repo, me, { exercise_type: 'run', duration_minutes: 1 + (i % 60) })
      writes.push(performance.now() - t0)
    }
    const reads: number[] = []
    for (let i = 0; i < READS; i++) {
      const t0 = performance.now()
      await workoutHistory(repo, me, 30)
      reads.push(performance.now() - t0)
    }
    await repo.close()
    return { seedMs, writeMedian: median(writes), writeP95: p95(writes), readMedian: median(reads), readP95: p95(reads) }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

async function groupCommit () {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-bench-'))
  try {
    const repo = await LowdbRepository.open({ dataDir })
    const users = Array.from({ length: 10 }, () => newUserId())
    for (const [i, id] of users.entries()) await repo.createAccount(account(id, i))
    const body = (i: number) => ({ exercise_type: 'run', duration_minutes: 1 + (i % 600) })

    let t0 = performance.now()
    for (let i = 0; i < 1000; i++) await logWorkout(repo, users[i % 10], body(i))
    const sequentialMs = performance.now() - t0

    const flushesBefore = repo.status().flushes_total as number
    t0 = performance.now()
    await Promise.all(Array.from({ length: 1000 }, (_, i) => logWorkout(repo, users[i % 10], body(i))))
    const concurrentMs = performance.now() - t0
    const flushes = (repo.status().flushes_total as number) - flushesBefore
    await repo.close()
    return { sequentialMs, concurrentMs, flushes }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

/** People with a daily 18:00–19:00 plan and 20 workouts, and each one's next checkpoint queued. */
async function seedAutopilot (dataDir: string, count: number, dueNow: number, nowMs: number): Promise<void> {
  const day = new Date(nowMs).toISOString().slice(0, 10)
  const plan = { sessions_per_week: 7, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], window_start: '18:00', window_end: '19:00', min_minutes: 20, max_sessions_per_day: 1, start_date: '2026-01-01', end_date: null, created_at: new Date(nowMs).toISOString() }
  const shards = new Map<string, Array<{ id: string, due_at: string, checkpoint: object }>>()
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const id = newUserId()
      const doc: UserDoc = { schema_version: USER_DOC_VERSION, account: account(id, i), workouts: seedWorkouts(id, 20), request_keys: {}, conversation: [], agent_traces: [], agent_usage: emptyAgentUsage(), plans: [plan as UserDoc['plans'][number]], pauses: [], preferences: null, channels: null, buddy: null, nudges: [], interventions: [], commitments: [], commitment_audit: {}, autopilot: null, autopilot_runs: [] }
      const file = shardedPath(join(dataDir, 'users'), id)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, JSON.stringify(doc))
      // The first `dueNow` are due a minute ago (their session still ahead); the rest tomorrow.
      const due = i < dueNow ? nowMs - 60_000 : nowMs + 86_400_000
      const key = `shard-${createHash('sha256').update(id).digest('hex').slice(0, 2)}`
      const entries = shards.get(key) ?? []
      entries.push({ id, due_at: new Date(due).toISOString(), checkpoint: { checkpoint_id: `before_session:${day}`, kind: 'before_session', due_at: new Date(due).toISOString(), useful_until: new Date(nowMs + 3_600_000).toISOString(), session_date: day, window_start: new Date(nowMs + 3_600_000).toISOString(), window_end: new Date(nowMs + 7_200_000).toISOString() } })
      shards.set(key, entries)
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker))
  for (const [key, entries] of shards) {
    entries.sort((a, b) => a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0)
    const file = shardedPath(join(dataDir, 'checkpoints'), key)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify({ entries }))
  }
}

async function autopilotTick (people: number, dueNow: number) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-bench-'))
  try {
    const nowMs = Date.now()
    await seedAutopilot(dataDir, people, dueNow, nowMs)
    const repo = await LowdbRepository.open({ dataDir, maxOpen: 2000 })
    const outreach: Outreach = {
      repo, email: null, sms: null, webhook: { send: async () => ({ outcome: 'delivered', detail: '' }) },
      fetcher: { validate: async (raw: string) => new URL(raw) }, links: { baseUrl: 'http://127.0.0.1', secret: 'x'.repeat(32) }, outcomeWindowHours: 24, kick: () => {}
    }
    const runner = new AutopilotRunner({ repo, outreach, outcomeWindowHours: 24, log: { error: (obj) => { throw Object.assign(new Error('checkpoint failed'), obj) } } })
    // An idle tick first (nothing due yet, a minute before), then the tick that runs the due ones.
    let t0 = performance.now()
    await runner.tick(nowMs - 120_000)
    const idleMs = performance.now() - t0
    t0 = performance.now()
    const ran = await runner.tick(nowMs)
    const tickMs = performance.now() - t0
    await repo.close()
    return { idleMs, tickMs, ran }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

const fmt = (n: number) => n.toFixed(2)
const SECTIONS = new Set((process.env.BENCH_ONLY ?? 'service,users,groupcommit,autopilot,stores,web').split(',').map(x => x.trim()))
const runStarted = performance.now()

console.log(`# Benchmarks (node ${process.version})\n`)
const load = loadavg().map(x => x.toFixed(2)).join(', ')
console.log(`Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory (${(freemem() / 2 ** 30).toFixed(1)} free), load average at start ${load}\n`)

// The service scenarios run the built JS, as `npm start` does: build it first (quick when nothing changed).
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] })

let service: Awaited<ReturnType<typeof serviceRows>> | null = null
if (SECTIONS.has('service')) service = await serviceRows()

if (SECTIONS.has('users')) {
  const base = await perUserCosts(10)
  const big = await perUserCosts(OTHER_USERS)
  console.log(`## 1. One user's cost with 10 vs ${OTHER_USERS.toLocaleString('en')} other users (seeded in ${(big.seedMs / 1000).toFixed(1)} s)`)
  console.log('| operation | 10 users (baseline) | many users | ratio |')
  console.log('|---|---|---|---|')
  console.log(`| durable write, median ms | ${fmt(base.writeMedian)} | ${fmt(big.writeMedian)} | ${fmt(big.writeMedian / base.writeMedian)} |`)
  console.log(`| durable write, p95 ms | ${fmt(base.writeP95)} | ${fmt(big.writeP95)} | ${fmt(big.writeP95 / base.writeP95)} |`)
  console.log(`| 30-day history, median ms | ${fmt(base.readMedian)} | ${fmt(big.readMedian)} | ${fmt(big.readMedian / base.readMedian)} |`)
  console.log(`| 30-day history, p95 ms | ${fmt(base.readP95)} | ${fmt(big.readP95)} | ${fmt(big.readP95 / base.readP95)} |\n`)
}

if (SECTIONS.has('groupcommit')) {
  const gc = await groupCommit()
  console.log('## 2. Group commit: 1,000 writes from 10 users')
  console.log('| mode | total ms | writes/s | flushes |')
  console.log('|---|---|---|---|')
  console.log(`| one at a time (baseline) | ${gc.sequentialMs.toFixed(0)} | ${(1000 / gc.sequentialMs * 1000).toFixed(0)} | 1000 |`)
  console.log(`| all concurrent | ${gc.concurrentMs.toFixed(0)} | ${(1000 / gc.concurrentMs * 1000).toFixed(0)} | ${gc.flushes} |`)
  console.log(`\nconcurrent throughput = ${fmt(gc.sequentialMs / gc.concurrentMs)} × sequential\n`)
}

if (SECTIONS.has('autopilot')) {
  const few = await autopilotTick(OTHER_USERS, 10)
  const many = await autopilotTick(OTHER_USERS, 1000)
  console.log(`## 3. The autopilot with ${OTHER_USERS.toLocaleString('en')} people, each with a queued checkpoint`)
  console.log('| due checkpoints | idle tick ms | tick ms | ms per checkpoint |')
  console.log('|---|---|---|---|')
  console.log(`| 10 (baseline) | ${fmt(few.idleMs)} | ${fmt(few.tickMs)} | ${fmt(few.tickMs / few.ran)} |`)
  console.log(`| 1,000 | ${fmt(many.idleMs)} | ${fmt(many.tickMs)} | ${fmt(many.tickMs / many.ran)} |`)
  console.log(`\ncost per due checkpoint at 1,000 = ${fmt((many.tickMs / many.ran) / (few.tickMs / few.ran))} × at 10; 1,000 processed in ${(many.tickMs / 1000).toFixed(1)} s\n`)
}

let stores: Array<StoreRow | string> = []
if (SECTIONS.has('stores')) {
  stores = await compareStores()
  printStoreComparison(stores)
}
if (SECTIONS.has('web')) printWebFirstLoad(await webFirstLoad())

/** Section 4's history rows, as rows of the table. */
function historyRows (): Row[] {
  const found = stores.filter((r): r is StoreRow => typeof r !== 'string')
  if (found.length === 0) {
    return [{ scenario: 'per-user history query (in-process, hrtime) with 10,000 vs 1,000,000 total workouts', rps: null, p50_ms: null, p99_ms: null, errors: null, ratio: null, target: 'p50 ratio ≤ 1.5', pass: null, measured: SECTIONS.has('stores') ? String(stores[0]) : 'not run (BENCH_ONLY without stores)' }]
  }
  return found.map(row => {
    const ratio = row.readP50Large / row.readP50Small
    return {
      scenario: `per-user history query (in-process, hrtime) with 10,000 vs 1,000,000 total workouts — ${row.store}`,
      rps: null, p50_ms: row.readP50Large, p99_ms: null, errors: null, ratio,
      target: 'p50 ratio ≤ 1.5',
      pass: ratio <= 1.5,
      measured: `p50 ${fmt(row.readP50Small)} ms with 10,000 → ${fmt(row.readP50Large)} ms with 1,000,000 (p50 column: at 1,000,000; ratio: 1M / 10k)`
    }
  })
}

if (service) {
  const rows = [...service.reads, ...service.writes, ...historyRows(), ...service.agent, ...service.coldAndMemory]
  const minutes = (performance.now() - runStarted) / 60_000
  printTable(rows, `node ${process.version}, ${cpus().length} CPUs, load average at start ${load}; whole run ${minutes.toFixed(1)} min`)
  const file = await writeResults(rows)
  console.log(`\n(written to ${file})`)
} else {
  console.log(`\nwhole run ${((performance.now() - runStarted) / 60_000).toFixed(1)} min`)
}
