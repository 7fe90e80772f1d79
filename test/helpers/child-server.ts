// Runs the real server entry as a child process, as an operator would, to test what only a
// process can show: restarts, crashes, signals, the data-directory lock. It runs the built
// JavaScript (dist/, made by `npm test`'s pretest build), as `npm start` does.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, globSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { GENEROUS_RATE_LIMITS } from './build-app.js'

export const ROOT = join(import.meta.dirname, '..', '..')
/** The flags `npm start` runs the server with (package.json). */
export const NODE_FLAGS = ['--enable-source-maps', '--heapsnapshot-signal=SIGUSR2']

/**
 * The built file for a source entry (e.g. 'src/server.ts'). Refuses to hand out a build older than
 * the sources, so a test never passes or fails on yesterday's code.
 */
export function builtEntry (source: string): string {
  const built = join(ROOT, 'dist', source.replace(/\.ts$/, '.js'))
  const stale = () => {
    const builtAt = statSync(built).mtimeMs
    return globSync(['src/**/*.ts', 'plugins/**/*.ts', 'routes/**/*.ts'], { cwd: ROOT }).some(file => statSync(join(ROOT, file)).mtimeMs > builtAt)
  }
  if (!existsSync(built) || stale()) throw new Error(`${built} is missing or older than the sources: run \`npm run build\` (npm test does it first).`)
  return built
}

export interface ChildServer {
  proc: ChildProcess
  url: string
  output: string[]
  exit: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

export function serverEnv (dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'child-secret-that-is-at-least-32-characters',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    ...GENEROUS_RATE_LIMITS,
    ...env
  }
}

/** Spawns the server; resolves once it listens (or rejects with its output if it exits first). */
export async function spawnServer (dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  const proc = spawn(process.execPath, [...NODE_FLAGS, ...nodeArgs, builtEntry('src/server.ts')], {
    cwd: ROOT,
    env: serverEnv(dataDir, env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const output: string[] = []
  const exit = once(proc, 'exit').then(([code, signal]) => ({ code, signal })) as ChildServer['exit']
  const url = new Promise<string>((resolve, reject) => {
    for (const stream of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: stream }).on('line', line => {
        output.push(line)
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
        if (match) resolve(match[1])
      })
    }
    void exit.then(({ code }) => reject(new Error(`server exited (${code}) before listening:\n${output.join('\n')}`)))
  })
  return { proc, url: await url, output, exit }
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export async function runToExit (dataDir: string, env: Record<string, string> = {}): Promise<{ code: number | null, output: string }> {
  const proc = spawn(process.execPath, [...NODE_FLAGS, builtEntry('src/server.ts')], {
    cwd: ROOT,
    env: serverEnv(dataDir, env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  proc.stdout!.on('data', d => { output += d })
  proc.stderr!.on('data', d => { output += d })
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  const [code] = await once(proc, 'exit')
  clearTimeout(timer)
  return { code, output }
}

export async function http (base: string, method: string, path: string, body?: unknown, sessionId?: string) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(sessionId ? { 'x-session-id': sessionId } : {})
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}
