// Two service processes on one PostgreSQL and one Redis, no sticky routing: whatever one instance
// is told, the other knows at once; writes spread over both land exactly once; due work (the
// outbox's deliveries, the autopilot's checkpoints) is done by exactly one of them; and killing one
// with SIGKILL loses nothing it acknowledged.
import t, { type Test } from 'tap'
import pg from 'pg'
import { http, spawnServer, type ChildServer } from '../helpers/child-server.js'
import { tempDir } from '../helpers/build-app.js'
import { privateDatabase } from '../helpers/postgres.js'
import { startRedis } from '../helpers/redis-server.js'
import { startWebhookReceiver } from '../helpers/webhook-receiver.js'

const PASSWORD = 'correct horse battery'
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function cluster (t: Test) {
  const url = await privateDatabase(t)
  const redis = await startRedis(t)
  const env = {
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    ALLOW_PRIVATE_WEBHOOKS: 'true',
    NUDGE_POLL_MS: '100',
    AUTOPILOT_TICK_MS: '200',
    // Not a test of Redis timeouts: on a loaded 2-core machine a 300 ms command deadline marks a
    // healthy Redis down and turns requests into 503s.
    REDIS_COMMAND_TIMEOUT_MS: '3000'
  }
  const start = async (): Promise<ChildServer> => {
    const server = await spawnServer(await tempDir(t), env)
    t.teardown(() => { server.proc.kill('SIGKILL') })
    return server
  }
  const [a, b] = await Promise.all([start(), start()])
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  t.teardown(() => db.end())
  return { a, b, db, start }
}

/** Accounts made one after another (password hashing is meant to be slow: not 20 at once). */
async function inTurn<R> (n: number, make: (i: number) => Promise<R>): Promise<R[]> {
  const made: R[] = []
  for (let i = 0; i < n; i++) made.push(await make(i))
  return made
}

async function registerOn (server: ChildServer, username: string, timezone = 'Europe/Berlin') {
  const res = await http(server.url, 'POST', '/api/auth/register', { username, password: PASSWORD, timezone })
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as { sessionId: string, user: { id: string } }
}

t.test('two instances, one store: sessions, data, limits, writes and due work shared without sticky routing', async t => {
  const { a, b, db } = await cluster(t)

  // Register on A, log on B with A's session, read on A: there at once (the cache is invalidated across instances).
  const ann = await registerOn(a, 'ann')
  t.equal((await http(a.url, 'GET', '/api/workout/history', undefined, ann.sessionId)).body.workouts.length, 0, 'A caches an empty history')
  const logged = await http(b.url, 'POST', '/api/workout/log', { exercise_type: 'legs', duration_minutes: 40 }, ann.sessionId)
  t.equal(logged.status, 201, "B accepts A's session")
  const seen = await http(a.url, 'GET', '/api/workout/history', undefined, ann.sessionId)
  t.same(seen.body.workouts.map((w: { workout_id: string }) => w.workout_id), [logged.body.workout.workout_id], 'A shows what B stored, at once')

  const login = await http(a.url, 'POST', '/api/auth/login', { username: 'ann', password: PASSWORD })
  t.equal((await http(b.url, 'GET', '/api/me', undefined, login.body.sessionId)).status, 200, 'a login on A works on B')

  // One rate-limit counter for both.
  const remaining = async (server: ChildServer) => Number((await fetch(`${server.url}/api/me`, { headers: { 'x-session-id': ann.sessionId } })).headers.get('x-ratelimit-remaining'))
  const onA = await remaining(a)
  t.equal(await remaining(b), onA - 1, 'the next request on B counts against the same limit')

  // 1,000 concurrent writes from 20 people, alternating instances: each stored exactly once.
  const people = await inTurn(20, i => registerOn(i % 2 ? a : b, `writer${i}`))
  const results = await Promise.all(Array.from({ length: 1000 }, (_, i) =>
    http(i % 2 ? a.url : b.url, 'POST', '/api/workout/log', { exercise_type: 'rowing', duration_minutes: 10, notes: `w${i}` }, people[i % 20].sessionId)))
  t.same(results.filter(r => r.status !== 201).map(r => `${r.status} ${r.body?.message}`), [], 'every write acknowledged')
  const { rows } = await db.query("SELECT body->>'notes' AS notes, count(*)::int AS n FROM workouts WHERE body->>'notes' LIKE 'w%' GROUP BY 1")
  t.equal(rows.length, 1000, 'all 1,000 stored')
  t.ok(rows.every(r => r.n === 1), 'none twice')
})

t.test('outbox deliveries and autopilot checkpoints are done exactly once across two instances', async t => {
  const { a, b, db } = await cluster(t)
  const receiver = await startWebhookReceiver(t)

  // Ten people with a webhook, fifteen urgent nudges each, sent through either instance.
  const people = await inTurn(10, i => registerOn(i % 2 ? a : b, `nudged${i}`))
  for (const [i, p] of people.entries()) {
    const set = await http(a.url, 'PUT', '/api/me/channels', { webhook_url: `${receiver.url}?person=${i}`, daily_cap: 20 }, p.sessionId)
    t.equal(set.status, 200)
  }
  const sent = await Promise.all(people.flatMap((p, i) => Array.from({ length: 15 }, (_, k) =>
    http(k % 2 ? a.url : b.url, 'POST', '/api/nudges', { message: `n${i}-${k}`, channel: 'webhook', urgency: 'high' }, p.sessionId))))
  t.same(sent.filter(r => r.status !== 202).map(r => `${r.status} ${r.body?.message}`), [], 'all 150 accepted')
  await receiver.waitForRequests(150, 20_000)
  await sleep(1000) // time for a duplicate, were there one
  const deliveries = receiver.requests.map(r => JSON.parse(r.rawBody).id as string)
  t.equal(deliveries.length, 150, 'exactly 150 deliveries arrived')
  t.equal(new Set(deliveries).size, 150, 'each nudge once')

  // Autopilot: people whose session today clashes with a meeting, their checkpoint due now.
  // A zone where it is about 08:00 now, so today's 10:00–11:00 session is still ahead.
  const utcHour = new Date().getUTCHours()
  let offset = 8 - utcHour
  if (offset < -12) offset += 24
  if (offset > 14) offset -= 24
  const zone = offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`
  const localNow = new Date(Date.now() + offset * 3_600_000)
  const today = localNow.toISOString().slice(0, 10)
  const meetingStart = new Date(Date.parse(`${today}T10:00:00Z`) - offset * 3_600_000).toISOString()
  const meetingEnd = new Date(Date.parse(`${today}T11:00:00Z`) - offset * 3_600_000).toISOString()
  const planned = await inTurn(8, i => registerOn(i % 2 ? a : b, `planned${i}`, zone))
  for (const [i, p] of planned.entries()) {
    const server = i % 2 ? a : b
    t.equal((await http(server.url, 'PUT', '/api/me/channels', { webhook_url: `${receiver.url}?planned=${i}` }, p.sessionId)).status, 200)
    t.equal((await http(server.url, 'PUT', '/api/me/autopilot', { channels: ['webhook'] }, p.sessionId)).status, 200)
    t.equal((await http(server.url, 'POST', '/api/calendar/import', { events: [{ summary: 'Board meeting', start: meetingStart, end: meetingEnd }] }, p.sessionId)).status, 200)
    const plan = await http(server.url, 'PUT', '/api/me/plan', { sessions_per_week: 7, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], window_start: '10:00', window_end: '11:00' }, p.sessionId)
    t.equal(plan.status, 200)
  }
  const ids = planned.map(p => p.user.id)
  const queued = await db.query("SELECT user_id, checkpoint->>'kind' AS kind, checkpoint->>'checkpoint_id' AS id FROM autopilot_checkpoints WHERE user_id = ANY($1)", [ids])
  t.equal(queued.rows.length, 8, 'each has a checkpoint queued')
  t.ok(queued.rows.every(r => r.kind === 'before_session'), 'before today\'s session')
  const before = receiver.requests.length
  // Due now rather than in an hour: both instances' ticks (every 200 ms) compete for them.
  await db.query('UPDATE autopilot_checkpoints SET due_at = now() WHERE user_id = ANY($1)', [ids])
  await receiver.waitForRequests(before + 8, 20_000)
  await sleep(1500)
  const autopilotDeliveries = receiver.requests.slice(before).filter(r => r.url.includes('planned='))
  t.equal(autopilotDeliveries.length, 8, 'one autopilot nudge per person, not two')
  t.equal(new Set(autopilotDeliveries.map(r => r.url)).size, 8, 'every person got theirs')
  const runs = await db.query("SELECT user_id, body->>'checkpoint_id' AS id, count(*)::int AS n FROM autopilot_runs WHERE user_id = ANY($1) GROUP BY 1, 2", [ids])
  t.equal(runs.rows.length, 8, 'each checkpoint ran')
  t.ok(runs.rows.every(r => r.n === 1), 'and ran once')
  const acted = await db.query("SELECT count(*)::int AS n FROM autopilot_runs WHERE user_id = ANY($1) AND body->>'decision' = 'acted'", [ids])
  t.equal(acted.rows[0].n, 8, 'it acted on each clash')
})

t.test('kill -9 of one instance during concurrent writes: everything acknowledged is stored', async t => {
  const { a, b, db } = await cluster(t)
  const people = await inTurn(10, i => registerOn(a, `steady${i}`))
  const acknowledged: string[] = []
  let refused = 0
  let killed = false
  const writes = Array.from({ length: 600 }, async (_, i) => {
    const target = i % 2 ? a : b
    try {
      const res = await http(target.url, 'POST', '/api/workout/log', { exercise_type: 'rowing', duration_minutes: 10, notes: `k${i}` }, people[i % 10].sessionId)
      if (res.status === 201) acknowledged.push(res.body.workout.workout_id)
    } catch {
      refused++ // the connection died with B: not acknowledged
    }
    if (!killed && acknowledged.length >= 100) {
      killed = true
      b.proc.kill('SIGKILL')
    }
  })
  await Promise.all(writes)
  t.ok(killed, 'B was killed mid-run')
  t.ok(refused > 0 || acknowledged.length < 600, `${refused} requests to B died with it`)
  const stored = await db.query('SELECT workout_id FROM workouts WHERE workout_id = ANY($1)', [acknowledged])
  t.equal(stored.rows.length, acknowledged.length, `all ${acknowledged.length} acknowledged writes are stored`)
})
