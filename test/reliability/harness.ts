// Shared by the process-level reliability tests (test/reliability/*.test.ts): the fast/long switch,
// accounts made over HTTP, a keep-alive load generator that records every outcome, percentiles,
// and a private tmpfs for disk faults. The long versions run with RELIABILITY_LONG=1
// (`npm run test:reliability`); `npm test` runs the fast ones.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Pool } from 'undici'
import { PASSWORD } from '../helpers/build-app.js'
import { http } from '../helpers/child-server.js'

const exec = promisify(execFile)
type Test = { teardown: (fn: () => unknown) => void, comment: (...args: unknown[]) => void }

export const LONG = process.env.RELIABILITY_LONG === '1'
/** the fast figure in `npm test`, the long one in `npm run test:reliability` */
export const pick = <T>(fast: T, long: T): T => LONG ? long : fast
export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export function percentile (xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]
}

export interface Account { username: string, sessionId: string, userId: string }

/** Accounts made one after another (password hashing is meant to be slow: not 20 at once). */
export async function registerAccounts (url: string | string[], prefix: string, n: number): Promise<Account[]> {
  const urls = Array.isArray(url) ? url : [url]
  const made: Account[] = []
  for (let i = 0; i < n; i++) {
    const username = `${prefix}${i}`
    const res = await http(urls[i % urls.length], 'POST', '/api/auth/register', { username, password: PASSWORD })
    if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`)
    made.push({ username, sessionId: res.body.sessionId, userId: res.body.user.id })
  }
  return made
}

/** One request of a mix: what to send and which statuses its documentation allows. */
export interface MixRequest {
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  body?: unknown
  /** statuses that count as correct answers for this request */
  expect: number[]
  /** called with a 2xx body (e.g. to record an acknowledged write) */
  onOk?: (body: any) => void
}

export interface Outcome {
  name: string
  /** HTTP status, or 'timeout' / 'error: <code>' when no response came */
  status: number | string
  retryAfter: string | null
  ms: number
  at: number
  /** the request's target (index into the urls) */
  target: number
}

export interface LoadResult {
  outcomes: Outcome[]
  byStatus: Record<string, number>
  durationMs: number
}

export interface LoadOptions {
  urls: string[]
  /** concurrent connections, spread over the urls (one keep-alive connection each) */
  connections: number
  /** stops after this long, or when `stop()` is called */
  durationMs: number
  /** picks the next request for worker `w`, its `i`th */
  next: (w: number, i: number) => MixRequest & { sessionId?: string }
  /** a request unanswered after this counts as a timeout */
  timeoutMs?: number
  /** wait this long after a non-2xx before the worker's next request (a client backing off) */
  backoffMs?: number
}

/**
 * Drives `connections` keep-alive connections (one in flight each) until the time is up or
 * `stop()` is called; every outcome is recorded with its latency. Never throws for a failed
 * request: connection errors and timeouts are outcomes too.
 */
export function startLoad (options: LoadOptions): { done: Promise<LoadResult>, stop: () => void, outcomes: Outcome[] } {
  const timeoutMs = options.timeoutMs ?? 10_000
  const pools = options.urls.map(url => new Pool(url, {
    connections: Math.ceil(options.connections / options.urls.length),
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 60_000
  }))
  const outcomes: Outcome[] = []
  let running = true
  const started = performance.now()
  const stopTimer = setTimeout(() => { running = false }, options.durationMs)

  async function worker (w: number): Promise<void> {
    const target = w % pools.length
    const pool = pools[target]
    for (let i = 0; running; i++) {
      const req = options.next(w, i)
      const at = performance.now()
      let status: number | string
      let retryAfter: string | null = null
      try {
        const res = await pool.request({
          method: req.method,
          path: req.path,
          headers: {
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(req.sessionId ? { 'x-session-id': req.sessionId } : {})
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.timeout(timeoutMs)
        })
        status = res.statusCode
        const header = res.headers['retry-after']
        retryAfter = typeof header === 'string' ? header : null
        const text = await res.body.text()
        if (status >= 200 && status < 300 && req.onOk) req.onOk(text ? JSON.parse(text) : null)
      } catch (err) {
        const e = err as { name?: string, code?: string }
        status = e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : `error: ${e.code ?? e.name}`
      }
      outcomes.push({ name: req.name, status, retryAfter, ms: performance.now() - at, at: at - started, target })
      if ((typeof status !== 'number' || status >= 300) && options.backoffMs) await sleep(options.backoffMs)
    }
  }

  const done = (async () => {
    await Promise.all(Array.from({ length: options.connections }, (_, w) => worker(w)))
    clearTimeout(stopTimer)
    const durationMs = performance.now() - started
    await Promise.all(pools.map(p => p.close()))
    return summarise(outcomes, durationMs)
  })()
  return { done, stop: () => { running = false }, outcomes }
}

function summarise (outcomes: Outcome[], durationMs: number): LoadResult {
  const byStatus: Record<string, number> = {}
  for (const o of outcomes) byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1
  return { outcomes, byStatus, durationMs }
}

/** Outcomes whose status is not among what the named request documents. */
export function unexpectedOutcomes (outcomes: Outcome[], expectOf: (name: string) => number[]): Outcome[] {
  return outcomes.filter(o => typeof o.status !== 'number' || !expectOf(o.name).includes(o.status))
}

export function describe (outcomes: Outcome[]): string {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[`${o.name} ${o.status}`] = (counts[`${o.name} ${o.status}`] ?? 0) + 1
  return JSON.stringify(counts)
}

export interface Tmpfs {
  dir: string
  /** grow or shrink the filesystem in place (no remount, no restart of whoever uses it) */
  resize (size: string): Promise<void>
  remountReadOnly (): Promise<void>
}

/** A private tmpfs (needs root: the tests are skipped without it); unmounted at teardown. */
export async function privateTmpfs (t: Test, size: string, options = ''): Promise<Tmpfs> {
  const dir = await mkdtemp(join(tmpdir(), 'ra-tmpfs-'))
  await exec('mount', ['-t', 'tmpfs', '-o', `size=${size}${options ? `,${options}` : ''}`, 'tmpfs', dir])
  t.teardown(async () => {
    await exec('umount', ['-l', dir]).catch(() => {})
    await rm(dir, { recursive: true, force: true })
  })
  return {
    dir,
    resize: async newSize => { await exec('mount', ['-o', `remount,size=${newSize}`, dir]) },
    remountReadOnly: async () => { await exec('mount', ['-o', 'remount,ro', dir]) }
  }
}

/** Whether this process may mount a tmpfs (root, and a kernel that allows it here). */
export async function canMount (): Promise<boolean> {
  if (process.getuid?.() !== 0) return false
  const dir = await mkdtemp(join(tmpdir(), 'ra-mount-probe-'))
  try {
    await exec('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir])
    await exec('umount', [dir])
    return true
  } catch {
    return false
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The mixed traffic of the load tests: reads, writes (some idempotent retries), health checks, and
 * requests that are wrong on purpose — each with the statuses its documentation allows. Every
 * acknowledged workout id is added to `acked` (per user id).
 */
export function mixedTraffic (people: Account[], acked: Map<string, Set<string>>, options: { writeStatuses?: number[], readStatuses?: number[] } = {}) {
  const write = options.writeStatuses ?? [201]
  const read = options.readStatuses ?? [200]
  const expects: Record<string, number[]> = {
    history: read,
    me: read,
    log: write,
    'log retry': [...new Set([...write, 200])],
    health: read,
    'log invalid': [400],
    'unknown workout': [404, ...read.filter(s => s !== 200)],
    'no session': [401]
  }
  const next = (w: number, i: number): MixRequest & { sessionId?: string } => {
    const who = people[(w * 7 + i) % people.length]
    const record = (b: any) => {
      let set = acked.get(who.userId)
      if (!set) acked.set(who.userId, set = new Set())
      set.add(b.workout.workout_id)
    }
    const slot = (w * 31 + i * 17) % 20
    const base = { sessionId: who.sessionId }
    if (slot < 7) return { ...base, name: 'history', method: 'GET', path: '/api/workout/history', expect: expects.history }
    if (slot < 10) return { ...base, name: 'me', method: 'GET', path: '/api/me', expect: expects.me }
    if (slot < 15) return { ...base, name: 'log', method: 'POST', path: '/api/workout/log', body: { exercise_type: 'rowing', duration_minutes: 1 + (i % 90), notes: `w${w}-${i}` }, expect: expects.log, onOk: record }
    // The same request id twice in a row (worker w's, slot 15 then the retry): 201 then 200.
    if (slot === 15) return { ...base, name: 'log retry', method: 'POST', path: '/api/workout/log', body: { exercise_type: 'yoga', duration_minutes: 20, request_id: `r${w}-${Math.floor(i / 40)}` }, expect: expects['log retry'], onOk: record }
    if (slot === 16) return { name: 'health', method: 'GET', path: '/health', expect: expects.health }
    if (slot === 17) return { ...base, name: 'log invalid', method: 'POST', path: '/api/workout/log', body: { exercise_type: 'rowing', duration_minutes: -5 }, expect: expects['log invalid'] }
    if (slot === 18) return { ...base, name: 'unknown workout', method: 'GET', path: '/api/workout/no-such-workout', expect: expects['unknown workout'] }
    return { name: 'no session', method: 'GET', path: '/api/me', expect: expects['no session'] }
  }
  return { next, expectOf: (name: string) => expects[name] ?? [] }
}
