// Slow clients (slowloris): 200 connections trickling their request headers a byte a second. The
// other clients' p99 stays within 2× of what it is unloaded, and the slow sockets are closed by
// the header timeout the runner sets (src/server.ts: headersTimeout = min(15 s, REQUEST_TIMEOUT_MS)).
import { connect, type Socket } from 'node:net'
import { once } from 'node:events'
import t from 'tap'
import { spawnServer } from '../helpers/child-server.js'
import { tempDir } from '../helpers/build-app.js'
import { describe, percentile, pick, registerAccounts, startLoad, unexpectedOutcomes, type MixRequest } from './harness.js'

const SLOW = 200
// Fast: a 6 s header timeout (REQUEST_TIMEOUT_MS, which caps it). Long: the runner's own default.
const REQUEST_TIMEOUT_MS = pick(6000, 120_000)
const HEADERS_TIMEOUT_MS = Math.min(15_000, REQUEST_TIMEOUT_MS)
/** Unloaded and loaded windows alternate, so the machine's own noise (other jobs on 2 shared
 *  cores) falls on both alike; each side's figure is the median of its windows' p99s. */
const ROUNDS = pick(2, 5)
const WINDOW_MS = pick(1500, 4000)

interface Slow { socket: Socket, openedAt: number, closedAt: number | null, bytes: number, answer: string }

function trickle (port: number): Promise<Slow> {
  const socket = connect(port, '127.0.0.1')
  const slow: Slow = { socket, openedAt: 0, closedAt: null, bytes: 0, answer: '' }
  socket.setNoDelay(true)
  socket.on('error', () => {})
  socket.on('data', d => { slow.answer += String(d) })
  const header = 'GET /api/me HTTP/1.1\r\nHost: localhost\r\nX-Trickle: ' + 'a'.repeat(10_000)
  let timer: NodeJS.Timeout | undefined
  socket.on('close', () => { slow.closedAt = performance.now(); clearInterval(timer) })
  return once(socket, 'connect').then(() => {
    slow.openedAt = performance.now()
    timer = setInterval(() => {
      if (socket.destroyed || slow.bytes >= header.length) return
      socket.write(header[slow.bytes++])
    }, 1000)
    socket.write(header[slow.bytes++])
    return slow
  })
}

t.test(`${SLOW} slowloris connections: others unaffected, slow sockets closed by the header timeout`, async t => {
  const server = await spawnServer(await tempDir(t), { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) })
  t.teardown(() => { server.proc.kill('SIGKILL') })
  const people = await registerAccounts(server.url, 'steady', 4)
  const mix = (w: number, i: number): MixRequest & { sessionId?: string } => {
    const who = people[w % people.length]
    return i % 2
      ? { name: 'history', method: 'GET', path: '/api/workout/history', expect: [200], sessionId: who.sessionId }
      : { name: 'me', method: 'GET', path: '/api/me', expect: [200], sessionId: who.sessionId }
  }
  const measure = async () => {
    const r = await startLoad({ urls: [server.url], connections: 4, durationMs: WINDOW_MS, next: mix, timeoutMs: 10_000 }).done
    t.same(unexpectedOutcomes(r.outcomes, () => [200]).map(o => `${o.name} ${o.status}`), [], 'every request answered 200')
    return { p99: percentile(r.outcomes.map(o => o.ms), 0.99), p50: percentile(r.outcomes.map(o => o.ms), 0.5), n: r.outcomes.length, summary: describe(r.outcomes) }
  }
  await measure() // warm-up: JIT, caches

  const port = Number(new URL(server.url).port)
  const unloaded: number[] = []
  const loaded: number[] = []
  let slow: Slow[] = []
  let allOpenAt = 0
  for (let round = 1; round <= ROUNDS; round++) {
    const quiet = await measure()
    unloaded.push(quiet.p99)
    slow = await Promise.all(Array.from({ length: SLOW }, () => trickle(port)))
    allOpenAt = performance.now()
    const busy = await measure()
    loaded.push(busy.p99)
    t.comment(`round ${round}: unloaded ${quiet.n} requests p50 ${quiet.p50.toFixed(1)} ms p99 ${quiet.p99.toFixed(1)} ms; with ${SLOW} slow sockets ${busy.n} requests p50 ${busy.p50.toFixed(1)} ms p99 ${busy.p99.toFixed(1)} ms`)
    t.ok(slow.every(s => s.closedAt === null), 'the slow sockets were all still open throughout the window')
    if (round < ROUNDS) for (const s of slow) s.socket.destroy()
  }
  const median = (xs: number[]) => percentile(xs, 0.5)
  // Within 2× of unloaded; a floor of a few ms keeps a small baseline's noise from failing it.
  const bound = Math.max(2 * median(unloaded), median(unloaded) + 10)
  t.ok(median(loaded) <= bound, `p99 with slow sockets ${median(loaded).toFixed(1)} ms ≤ ${bound.toFixed(1)} ms (2 × unloaded ${median(unloaded).toFixed(1)} ms; medians of ${ROUNDS} windows each)`)

  // The last round's slow sockets are left to the server: closed soon after the header timeout
  // (checked every second), with a 408.
  const deadline = allOpenAt + HEADERS_TIMEOUT_MS + 5000
  while (slow.some(s => s.closedAt === null) && performance.now() < deadline) await new Promise(resolve => setTimeout(resolve, 200))
  const open = slow.filter(s => s.closedAt === null)
  for (const s of open) s.socket.destroy()
  t.equal(open.length, 0, `all ${SLOW} slow sockets closed by the server`)
  const lifetimes = slow.filter(s => s.closedAt !== null).map(s => s.closedAt! - s.openedAt)
  t.comment(`slow sockets lived ${Math.min(...lifetimes).toFixed(0)}–${Math.max(...lifetimes).toFixed(0)} ms (header timeout ${HEADERS_TIMEOUT_MS} ms), having sent ${Math.min(...slow.map(s => s.bytes))}–${Math.max(...slow.map(s => s.bytes))} bytes`)
  t.ok(Math.min(...lifetimes) >= HEADERS_TIMEOUT_MS - 500, 'none closed before the header timeout')
  t.ok(Math.max(...lifetimes) <= HEADERS_TIMEOUT_MS + 3000, 'all closed within 3 s of it')
  t.ok(slow.every(s => s.answer === '' || /^HTTP\/1\.1 408/.test(s.answer)), `closed with a 408 or nothing: ${[...new Set(slow.map(s => s.answer.split('\r\n')[0]))].join(', ')}`)

  // And the service is as it was.
  const after = await measure()
  t.comment(`after: p99 ${after.p99.toFixed(1)} ms`)
  t.equal(server.proc.exitCode, null, 'still running')
})
