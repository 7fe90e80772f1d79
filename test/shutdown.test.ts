// Graceful shutdown of the real process (src/server.ts): SIGTERM during a burst of writes exits 0
// with every acknowledged write on disk; a request that never finishes delays the exit only for
// the drain period (SHUTDOWN_DRAIN_MS); a second signal exits at once; SIGUSR2 and SIGHUP do not
// stop it.
import { connect, type Socket } from 'node:net'
import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import t from 'tap'
import { http, spawnServer, type ChildServer } from './helpers/child-server.js'
import { PASSWORD, tempDir } from './helpers/build-app.js'
import { LowdbRepository } from '../src/store/lowdb/lowdb-repository.js'

const GRACE_MS = 10_000
const DRAIN_MS = 1000

/** A request whose body never completes: the server counts it as in flight until it is cut. */
async function stuckRequest (server: ChildServer, sessionId: string): Promise<{ socket: Socket, closed: Promise<number> }> {
  const { port } = new URL(server.url)
  const socket = connect(Number(port), '127.0.0.1')
  await once(socket, 'connect')
  const body = JSON.stringify({ exercise_type: 'yoga', duration_minutes: 30 })
  socket.on('error', () => {})
  // `Expect: 100-continue` makes the server confirm it has parsed the headers, so the request is
  // known to be in flight (not merely sent) before the test signals the server.
  socket.write(`POST /api/workout/log HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nx-session-id: ${sessionId}\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`)
  let received = ''
  while (!received.includes('100 Continue')) received += String((await once(socket, 'data'))[0])
  socket.write(body.slice(0, 5))
  const closed = once(socket, 'close').then(() => Date.now())
  return { socket, closed }
}

async function waitForLine (server: ChildServer, pattern: RegExp, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs
  while (!server.output.some(line => pattern.test(line))) {
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${withinMs} ms:\n${server.output.join('\n')}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

t.test('SIGTERM during a burst of writes: exit 0, every acknowledged write on disk', async t => {
  const dataDir = await tempDir(t)
  const server = await spawnServer(dataDir)
  t.teardown(() => { server.proc.kill('SIGKILL') })
  const reg = await http(server.url, 'POST', '/api/auth/register', { username: 'alice', password: PASSWORD })
  t.equal(reg.status, 201)
  const userId: string = reg.body.user.id

  const acked: string[] = []
  const statuses = new Map<string | number, number>()
  let inFlight = 0
  let sent = 0
  let inFlightAtSignal = -1
  let signalledAt = 0
  const WORKERS = 16
  const MAX_REQUESTS = 2000 // bounded whatever happens

  async function worker (w: number): Promise<void> {
    for (let i = 0; sent < MAX_REQUESTS; i++) {
      sent++
      inFlight++
      let outcome: string | number
      try {
        const res = await http(server.url, 'POST', '/api/workout/log', { exercise_type: 'row', duration_minutes: 10 + (i % 50), request_id: `w${w}-${i}` }, reg.body.sessionId)
        outcome = res.status
        if (res.status === 201) acked.push(res.body.workout.workout_id)
      } catch {
        outcome = 'connection refused or closed'
      } finally {
        inFlight--
      }
      statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1)
      if (acked.length >= 40 && inFlightAtSignal < 0) {
        inFlightAtSignal = inFlight
        signalledAt = Date.now()
        server.proc.kill('SIGTERM')
      }
      if (typeof outcome === 'string') return // the server is gone
    }
  }

  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))
  const exit = await server.exit
  const shutdownMs = Date.now() - signalledAt
  t.comment(`sent ${sent}; outcomes ${JSON.stringify(Object.fromEntries(statuses))}; ${inFlightAtSignal} in flight at SIGTERM`)
  t.ok(inFlightAtSignal > 0, 'writes were in flight when the signal came')
  t.same(exit, { code: 0, signal: null }, 'exit 0')
  t.ok(shutdownMs < GRACE_MS, `exited ${shutdownMs} ms after SIGTERM`)
  t.ok(server.output.some(line => line.includes('shut down cleanly')))
  t.same([...statuses.keys()].filter(k => ![201, 503, 'connection refused or closed'].includes(k)), [], 'no other outcome (no 5xx but the closing 503)')

  const repo = await LowdbRepository.open({ dataDir })
  t.teardown(() => repo.close())
  const stored = new Set((await repo.listWorkouts(userId)).map(w => w.workout_id))
  const missing = acked.filter(id => !stored.has(id))
  t.same(missing, [], `all ${acked.length} acknowledged workouts are on disk (${stored.size} stored)`)
})

t.test('a request that never finishes delays the exit only for the drain period', async t => {
  const dataDir = await tempDir(t)
  const server = await spawnServer(dataDir, { SHUTDOWN_DRAIN_MS: String(DRAIN_MS) })
  t.teardown(() => { server.proc.kill('SIGKILL') })
  const reg = await http(server.url, 'POST', '/api/auth/register', { username: 'bob', password: PASSWORD })
  const stuck = await stuckRequest(server, reg.body.sessionId)
  await new Promise(resolve => setTimeout(resolve, 100))

  const signalledAt = Date.now()
  server.proc.kill('SIGTERM')
  const exit = await server.exit
  const ms = Date.now() - signalledAt
  t.same(exit, { code: 0, signal: null }, 'exit 0')
  t.ok(ms >= DRAIN_MS && ms < DRAIN_MS + 5000, `exited ${ms} ms after SIGTERM (a ${DRAIN_MS} ms drain, then the flush)`)
  const cutAfter = await stuck.closed - signalledAt
  t.ok(cutAfter >= DRAIN_MS && cutAfter < GRACE_MS, `the stuck connection was cut after ${cutAfter} ms`)
  t.ok(server.output.some(line => line.includes('still in flight after the drain period')), 'and the cut was logged')
})

t.test('a second signal during shutdown exits at once', async t => {
  const dataDir = await tempDir(t)
  const server = await spawnServer(dataDir)
  t.teardown(() => { server.proc.kill('SIGKILL') })
  const reg = await http(server.url, 'POST', '/api/auth/register', { username: 'carol', password: PASSWORD })
  const stuck = await stuckRequest(server, reg.body.sessionId)
  t.teardown(() => { stuck.socket.destroy() })

  server.proc.kill('SIGTERM')
  await waitForLine(server, /"shutting down"/)
  const secondAt = Date.now()
  server.proc.kill('SIGTERM')
  const exit = await server.exit
  const ms = Date.now() - secondAt
  t.same(exit, { code: 1, signal: null }, 'exit 1: the shutdown did not complete')
  // "At once" means without waiting out the drain (5 s) or the grace period (10 s); the bound
  // leaves room for a loaded CI machine.
  t.ok(ms < 3000, `exited ${ms} ms after the second signal`)
  t.ok(server.output.some(line => line.includes('second signal during shutdown')), 'logged why')
})

t.test('SIGUSR2 writes a heap snapshot and SIGHUP is ignored: neither stops the service', async t => {
  const dataDir = await tempDir(t)
  const diagnostics = await tempDir(t)
  const server = await spawnServer(dataDir, {}, [`--diagnostic-dir=${diagnostics}`])
  t.teardown(() => { server.proc.kill('SIGKILL') })
  server.proc.kill('SIGHUP')
  server.proc.kill('SIGUSR2')
  let snapshots: string[] = []
  for (let i = 0; i < 300 && snapshots.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 100))
    snapshots = (await readdir(diagnostics)).filter(name => name.endsWith('.heapsnapshot'))
  }
  t.equal(snapshots.length, 1, 'a heap snapshot was written')
  const health = await http(server.url, 'GET', '/health')
  t.equal(health.status, 200, 'still serving')
  t.equal(server.proc.exitCode, null, 'still running')
  t.ok(server.output.some(line => line.includes('SIGHUP ignored')), 'SIGHUP was logged as ignored')
  t.notOk(server.output.some(line => line.includes('shutting down')), 'no shutdown began')
})
