// Test helper: builds the real app on a real temporary DATA_DIR (never lowdb's in-memory
// preset), closes it and removes the directory on teardown.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildServer } from '../../src/server.js'
import { loggerOptions } from '../../src/infra/telemetry/logger-options.js'
import { loadConfig, type Config } from '../../src/config.js'
import { privateDatabase } from './postgres.js'

/**
 * Tests that are not about rate limiting must never hit a limit, whatever the defaults become;
 * tests about limits override these.
 */
export const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_API_MAX: '1000000',
  RATE_LIMIT_AGENT_MAX: '1000000',
  RATE_LIMIT_WORKOUT_MAX: '1000000',
  RATE_LIMIT_AUTH_MAX: '1000000'
}

type Test = { teardown: (fn: () => unknown) => void }

export const PASSWORD = 'correct horse battery'

export async function tempDir (t: Test, prefix = 'ra-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Config as the service would load it, for a test: silent logs, cheap hashing, explicit limits. */
export function testConfig (dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    ...GENEROUS_RATE_LIMITS,
    ...env
  })
}

export interface BuildOptions {
  env?: Record<string, string>
  dataDir?: string
  /** collect every log line the app writes */
  logLines?: string[]
  /** add test-only routes before the app is ready */
  beforeReady?: (app: FastifyInstance) => void
}

/** data directory → its private database, so a test that restarts the app on its DATA_DIR finds its data again */
const databases = new Map<string, Promise<string>>()

/**
 * With TEST_STORE=postgres (set by the files in test/postgres/, which run other test files again
 * on the PostgreSQL store) the app gets a private database instead of files under DATA_DIR.
 */
export async function storeEnv (t: Test, dataDir: string): Promise<Record<string, string>> {
  if (process.env.TEST_STORE !== 'postgres') return {}
  let url = databases.get(dataDir)
  if (!url) {
    url = privateDatabase(t)
    databases.set(dataDir, url)
  }
  return { DATABASE_URL: await url, DATABASE_POOL_MAX: '4' }
}

export async function build (t: Test, options: BuildOptions = {}): Promise<FastifyInstance> {
  const dataDir = options.dataDir ?? await tempDir(t)
  const config = testConfig(dataDir, { ...await storeEnv(t, dataDir), ...options.env })
  let logger
  if (options.logLines) {
    const lines = options.logLines
    const stream = new Writable({ write (chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() } })
    logger = { ...(loggerOptions({ ...config, NODE_ENV: 'production' }) as object), level: 'info', stream }
  }
  const app = await buildServer(config, { logger })
  t.teardown(() => app.close())
  options.beforeReady?.(app)
  await app.ready()
  return app
}

export interface Session {
  sessionId: string
  user: { id: string, username: string, timezone: string, resolution: string | null, created_at: string }
  headers: { 'x-session-id': string }
}

export async function register (app: FastifyInstance, username: string, body: Record<string, unknown> = {}): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username, password: PASSWORD, ...body } })
  if (res.statusCode !== 201) throw new Error(`register ${username}: ${res.statusCode} ${res.body}`)
  return asSession(res)
}

export async function login (app: FastifyInstance, username: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers })
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
  return asSession(res)
}

function asSession (res: LightMyRequestResponse): Session {
  const body = res.json()
  return { sessionId: body.sessionId, user: body.user, headers: { 'x-session-id': body.sessionId } }
}

export async function logWorkout (app: FastifyInstance, session: Session, body: Record<string, unknown> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/workout/log',
    headers: session.headers,
    payload: { exercise_type: 'running', duration_minutes: 30, ...body }
  })
}
