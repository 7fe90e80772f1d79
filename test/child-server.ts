// Runs the real server entry (src/server.ts) as a child process, as an operator would, to test
// what only a process can show: restarts, crashes, signals, the data-directory lock.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { GENEROUS_RATE_LIMITS } from './helper.js'

const ROOT = join(import.meta.dirname, '..')

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
    PASSWORD_HASH_COST: '1024',
    ...GENEROUS_RATE_LIMITS,
    ...env
  }
}

/** Spawns the server; resolves once it listens (or rejects with its output if it exits first). */
export async function spawnServer (dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server.ts')], {
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
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server.ts')], {
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
