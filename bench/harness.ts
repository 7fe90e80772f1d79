// What the service scenarios of `npm run bench` stand on: every child process they start (the
// built service, the node:http baseline, a private redis-server) registered so that it is killed
// whatever way the bench ends (normal end, an exception, Ctrl-C); autocannon with one person per
// connection; logins; and a forced GC in the service through the inspector protocol.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { builtEntry, NODE_FLAGS, ROOT, serverEnv } from '../test/helpers/child-server.js'
import { startRedis, type PrivateRedis } from '../test/helpers/redis-server.js'

// ---- cleanup -----------------------------------------------------------------------------------

const children = new Set<ChildProcess>()
const dirs = new Set<string>()
const teardowns: Array<() => unknown> = []

/** Kills what is still running and removes temporary directories; synchronous, so it also works in 'exit'. */
/** BENCH_KEEP=1 keeps the temporary directories (the service's log: a line per request with its route and duration) */
const KEEP = process.env.BENCH_KEEP === '1'

function killEverything (): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
  if (KEEP && dirs.size > 0) console.error(`bench: kept ${[...dirs].join(' ')}`)
  else for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs.clear()
}

process.on('exit', killEverything)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping everything it started`)
    for (const fn of teardowns.splice(0)) { try { void fn() } catch {} }
    killEverything()
    process.exit(130)
  })
}

/** Runs the registered teardowns (the private Redis) and kills any child left; for the bench's normal end. */
export async function cleanUp (): Promise<void> {
  for (const fn of teardowns.splice(0).reverse()) await fn()
  killEverything()
}

export async function tempDir (prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  dirs.add(dir)
  return dir
}

export function removeDir (dir: string): void {
  if (KEEP) return
  rmSync(dir, { recursive: true, force: true })
  dirs.delete(dir)
}

/** A private redis-server (test/helpers/redis-server.ts) whose teardown runs when the bench ends. */
export function privateRedis (): Promise<PrivateRedis> {
  return startRedis({ teardown: fn => { teardowns.push(fn) } })
}

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  server.close()
  await once(server, 'close')
  return port
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

// ---- the service and the baseline as child processes -------------------------------------------

export interface Service {
  proc: ChildProcess
  url: string
  /** ms from spawn() to the first /health 200 */
  startMs: number
  /** where its log lines go (one line per request at LOG_LEVEL=info, as in production) */
  logFile: string
  inspectPort: number | null
  stop (): Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/** Polls GET url until a 2xx; throws after timeoutMs. */
async function waitFor200 (url: string, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (exited()) throw new Error('exited before answering')
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.ok) return
    } catch {}
    await sleep(5)
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
}

/**
 * The built service (dist/, as `npm start` runs it, with its flags) on a free port, its output to a
 * file rather than a pipe (the bench process must not spend its CPU reading a line per request).
 * Resolves at the first /health 200.
 */
export async function startService (dataDir: string, env: Record<string, string>, options: { inspect?: boolean } = {}): Promise<Service> {
  const port = await freePort()
  const inspectPort = options.inspect ? await freePort() : null
  const logFile = join(dataDir, '..', `service-${port}.log`)
  const fd = openSync(logFile, 'a')
  // BENCH_CPU_PROF=<dir>: every service start writes a V8 CPU profile there when it exits (for finding out why a row is slow).
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const nodeArgs = [...NODE_FLAGS, ...profile, ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [])]
  const started = performance.now()
  const proc = spawn(process.execPath, [...nodeArgs, builtEntry('src/server.ts')], {
    cwd: ROOT,
    env: serverEnv(dataDir, { PORT: String(port), ...env }),
    stdio: ['ignore', fd, fd]
  })
  closeSync(fd)
  children.add(proc)
  const exit = once(proc, 'exit').then(([code, signal]) => { children.delete(proc); return { code, signal } })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitFor200(`${url}/health`, () => proc.exitCode !== null || proc.signalCode !== null, 30_000)
  } catch (err) {
    proc.kill('SIGKILL')
    const { readFileSync } = await import('node:fs')
    throw new Error(`the service did not start (${(err as Error).message}):\n${readFileSync(logFile, 'utf8').slice(-3000)}`)
  }
  const startMs = performance.now() - started
  return {
    proc, url, startMs, logFile, inspectPort,
    async stop () {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000)
      const result = await exit
      clearTimeout(timer)
      return result
    }
  }
}

export interface Baseline { url: string, stop (): Promise<void> }

/** bench/baseline-server.mjs answering `body` (the service's own bytes), as a child process. */
export async function startBaseline (body: string | Buffer, status = 200): Promise<Baseline> {
  const dir = await tempDir('ra-bench-baseline-')
  const file = join(dir, 'body.json')
  writeFileSync(file, body)
  const port = await freePort()
  const proc = spawn(process.execPath, [join(ROOT, 'bench', 'baseline-server.mjs'), file, String(port)], { stdio: 'ignore', env: { ...process.env, BASELINE_STATUS: String(status) } })
  children.add(proc)
  const exit = once(proc, 'exit').then(() => { children.delete(proc) })
  const url = `http://127.0.0.1:${port}`
  await waitFor200(url, () => proc.exitCode !== null, 10_000)
  return {
    url,
    async stop () {
      proc.kill('SIGTERM')
      await exit
      removeDir(dir)
    }
  }
}

// ---- HTTP helpers --------------------------------------------------------------------------------

export const ORIGIN = 'http://localhost:3000'

export async function api (base: string, method: string, path: string, body?: unknown, sessionId?: string): Promise<{ status: number, body: any, text: string, headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      origin: ORIGIN,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(sessionId ? { 'x-session-id': sessionId } : {})
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, text, headers: res.headers }
}

/** Logs each username in (`parallel` at a time); their session ids, in order. */
export async function login (base: string, usernames: string[], password: string, parallel = 4): Promise<string[]> {
  const sessions: string[] = new Array(usernames.length)
  let next = 0
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < usernames.length) {
      const i = next++
      const res = await api(base, 'POST', '/api/auth/login', { username: usernames[i], password })
      if (res.status !== 200) throw new Error(`login of ${usernames[i]} answered ${res.status}: ${res.text}`)
      sessions[i] = res.body.sessionId
    }
  }))
  return sessions
}

// ---- autocannon ---------------------------------------------------------------------------------

export interface CannonRequest {
  method?: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void
}

export interface CannonResult {
  /** 2xx answers per second */
  rps: number
  p50: number
  p99: number
  /** connection errors + timeouts + non-2xx answers */
  errors: number
  ok: number
  non2xx: number
  /** answers by status code */
  statuses: Record<string, number>
  seconds: number
}

export interface CannonOptions {
  url: string
  connections: number
  /** seconds, and/or… */
  duration?: number
  /** …a number of requests in all (with a duration: whichever comes first) */
  amount?: number
  /** the requests connection number `i` cycles through (one person per connection) */
  requestsFor?: (i: number) => CannonRequest[]
  timeoutSeconds?: number
}

export async function cannon (options: CannonOptions): Promise<CannonResult> {
  let client = 0
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    // amount alone: run until that many answers; with a duration too: whichever comes first.
    ...(options.amount !== undefined && options.duration === undefined ? { amount: options.amount } : { duration: options.duration ?? 5 }),
    ...(options.amount !== undefined && options.duration !== undefined ? { maxOverallRequests: options.amount } : {}),
    timeout: options.timeoutSeconds ?? 10,
    setupClient: options.requestsFor
      ? (c: { setRequests: (r: CannonRequest[]) => void }) => { c.setRequests(options.requestsFor!(client++)) }
      : undefined
  } as autocannon.Options)
  const ok = result['2xx']
  const seconds = result.duration
  return {
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
    ok,
    non2xx: result.non2xx,
    seconds
  }
}

// ---- the inspector: a forced GC and the process's memory, with no change to the service ---------

/** Connects to the service's inspector (--inspect), forces full GCs, and reads process.memoryUsage(). */
export async function gcAndMeasure (inspectPort: number): Promise<NodeJS.MemoryUsage> {
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json() as Array<{ webSocketDebuggerUrl: string }>
  const ws = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject })
  let id = 0
  const pending = new Map<number, (msg: any) => void>()
  ws.onmessage = event => {
    const msg = JSON.parse(String(event.data))
    if (msg.id !== undefined) pending.get(msg.id)?.(msg)
  }
  const send = (method: string, params: object = {}) => new Promise<any>((resolve, reject) => {
    const n = ++id
    pending.set(n, msg => msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result))
    ws.send(JSON.stringify({ id: n, method, params }))
  })
  try {
    // Twice, with a pause: the first collection can leave finalizers and weak callbacks that free more.
    await send('HeapProfiler.collectGarbage')
    await sleep(200)
    await send('HeapProfiler.collectGarbage')
    const { result } = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })
    return JSON.parse(result.value)
  } finally {
    ws.close()
  }
}

export type { PrivateRedis }
