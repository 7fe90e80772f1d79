// Crash safety of the real service on the LowDB store: 1,000 concurrent workout writes, and a
// kill -9 at a random moment among them; then a restart on the same directory. Every round: every
// file parses, every write the service acknowledged (a 201 received) is in its user's file, and the
// restarted service answers /health 200 within 2 s of being started (or, on a machine too busy to
// start a clean service that fast, within 3× the clean start measured in the same run). 2 rounds in `npm test`, 25 in
// the long version. (test/store/lowdb/crash.test.ts does the same to the store alone, in a writer
// process of its own; this is the whole service, over HTTP.)
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { Pool } from 'undici'
import { PASSWORD, tempDir } from '../helpers/build-app.js'
import { http, spawnServer, type ChildServer } from '../helpers/child-server.js'
import { pick, registerAccounts, sleep, type Account } from './harness.js'

const ROUNDS = pick(2, 25)
const WRITES = pick(1000, 1500)
const CONNECTIONS = 200
const USERS = 10
const RESTART_HEALTHY_MS = 2000

async function untilHealthy (server: ChildServer): Promise<void> {
  for (;;) {
    const res = await fetch(`${server.url}/health`).catch(() => null)
    if (res?.status === 200) return
    await sleep(10)
  }
}

/** Every .json file under the directory, parsed; the ones that do not parse are listed apart. */
async function readAll (dataDir: string): Promise<{ docs: Map<string, unknown>, broken: string[] }> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true })
  const docs = new Map<string, unknown>()
  const broken: string[] = []
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.json')) continue
    const file = join(e.parentPath, e.name)
    try { docs.set(file, JSON.parse(await readFile(file, 'utf8'))) } catch { broken.push(file) }
  }
  return { docs, broken }
}

/** workout ids per user id, from the user documents on disk */
function storedWorkouts (docs: Map<string, unknown>): Map<string, Set<string>> {
  const byUser = new Map<string, Set<string>>()
  for (const [file, doc] of docs) {
    if (!file.includes('/users/')) continue
    const d = doc as { account?: { id: string }, workouts?: Array<{ workout_id: string }> }
    if (d.account && Array.isArray(d.workouts)) byUser.set(d.account.id, new Set(d.workouts.map(w => w.workout_id)))
  }
  return byUser
}

t.test(`kill -9 during ${WRITES} concurrent writes, ${ROUNDS} rounds: nothing acknowledged lost, files parse, restart healthy < ${RESTART_HEALTHY_MS} ms`, async t => {
  const dataDir = await tempDir(t)
  // The control: a clean start on an empty directory, timed the same way. On a machine too busy to
  // start even that within the target, the bound stretches to 3× the control (and says so): on two
  // shared cores a clean start alone varies 1.5–4 s from one minute to the next.
  const controlAt = performance.now()
  let server = await spawnServer(dataDir)
  t.teardown(() => { server.proc.kill('SIGKILL') })
  await untilHealthy(server)
  const control = performance.now() - controlAt
  const bound = Math.max(RESTART_HEALTHY_MS, 3 * control)
  t.comment(`clean start → healthy: ${control.toFixed(0)} ms; restart bound ${bound.toFixed(0)} ms${bound > RESTART_HEALTHY_MS ? ` (stretched from ${RESTART_HEALTHY_MS} ms: this machine is slow to start anything)` : ''}`)
  const people: Account[] = await registerAccounts(server.url, 'crash', USERS)
  const acked = new Map<string, Set<string>>(people.map(p => [p.userId, new Set<string>()]))
  const restarts: number[] = []

  for (let round = 1; round <= ROUNDS; round++) {
    if (round > 1) {
      // A fresh login per round: sessions live in memory without Redis.
      for (const p of people) {
        const res = await http(server.url, 'POST', '/api/auth/login', { username: p.username, password: PASSWORD })
        if (res.status !== 200) throw new Error(`login ${p.username}: ${res.status}`)
        p.sessionId = res.body.sessionId
      }
    }
    const pool = new Pool(server.url, { connections: CONNECTIONS, pipelining: 1 })
    const killAfter = Math.floor(Math.random() * WRITES * 0.9) // acknowledgements; 0: right after sending
    let ackedThisRound = 0
    let killed = false
    const victim = server
    const kill = () => { if (!killed) { killed = true; victim.proc.kill('SIGKILL') } }
    const statuses: Record<string, number> = {}
    const writes = Array.from({ length: WRITES }, async (_, i) => {
      const who = people[i % USERS]
      try {
        const res = await pool.request({
          method: 'POST',
          path: '/api/workout/log',
          headers: { 'content-type': 'application/json', 'x-session-id': who.sessionId },
          body: JSON.stringify({ exercise_type: 'rowing', duration_minutes: 1 + (i % 90), notes: `round ${round} write ${i}` })
        })
        const text = await res.body.text()
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
        if (res.statusCode === 201) {
          acked.get(who.userId)!.add(JSON.parse(text).workout.workout_id)
          if (++ackedThisRound >= killAfter) kill()
        }
      } catch {
        statuses.cut = (statuses.cut ?? 0) + 1 // in flight when the process died: not acknowledged
      }
    })
    if (killAfter === 0) setTimeout(kill, Math.random() * 50)
    await Promise.all(writes)
    await pool.destroy()
    const exit = await victim.exit
    t.equal(exit.signal, 'SIGKILL', `round ${round}: killed after ${ackedThisRound} acknowledgements (${JSON.stringify(statuses)})`)
    t.same(Object.keys(statuses).filter(s => s !== '201' && s !== 'cut'), [], `round ${round}: nothing but 201s before the kill`)

    const { docs, broken } = await readAll(dataDir)
    t.same(broken, [], `round ${round}: all ${docs.size} files parse`)
    const stored = storedWorkouts(docs)
    let missing = 0
    let total = 0
    for (const [userId, ids] of acked) for (const id of ids) { total++; if (!stored.get(userId)?.has(id)) missing++ }
    t.equal(missing, 0, `round ${round}: all ${total} acknowledged writes so far are on disk`)

    const startedAt = performance.now()
    server = await spawnServer(dataDir)
    await untilHealthy(server)
    const ms = performance.now() - startedAt
    restarts.push(ms)
    t.ok(ms < bound, `round ${round}: restarted and healthy in ${ms.toFixed(0)} ms (target ${RESTART_HEALTHY_MS} ms${ms < RESTART_HEALTHY_MS ? ' met' : ' missed'})`)
  }
  const sorted = [...restarts].sort((a, b) => a - b)
  t.comment(`restart → healthy: min ${sorted[0].toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms over ${ROUNDS} restarts; ${restarts.filter(ms => ms < RESTART_HEALTHY_MS).length} of ${ROUNDS} within ${RESTART_HEALTHY_MS} ms`)

  // The service restarted last is whole: it serves every acknowledged workout.
  const login = await http(server.url, 'POST', '/api/auth/login', { username: people[0].username, password: PASSWORD })
  const history = await http(server.url, 'GET', '/api/workout/history', undefined, login.body.sessionId)
  t.equal(history.status, 200)
  t.ok(history.body.stats.total_workouts >= acked.get(people[0].userId)!.size, `it serves ${history.body.stats.total_workouts} workouts for ${people[0].username} (${acked.get(people[0].userId)!.size} acknowledged)`)
})
