// One validated configuration object, built from the environment and an optional `.env` file.
// Real environment variables win over `.env`. A bad value stops start-up with ONE line naming the
// variable (ConfigError), never a stack trace: operators read this at 3 a.m.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseEnv } from 'node:util'
import { Ajv } from 'ajv'
import { Type, type Static } from 'typebox'
import { OWASP_ARGON2ID } from './accounts/passwords.js'

export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3001 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  /** off | on | hop count | comma-separated addresses/CIDRs of trusted proxies */
  TRUST_PROXY: Type.String({ default: 'false' }),
  /** CORS origin(s), comma-separated */
  FRONTEND_URL: Type.String({ default: 'http://localhost:3000' }),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  SESSION_TTL: Type.Integer({ minimum: 60, maximum: 31_536_000, default: 3600 }),
  /** most in-memory sessions kept when no Redis is configured (oldest dropped beyond it) */
  SESSION_MEMORY_MAX: Type.Integer({ minimum: 100, default: 100_000 }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_PREFIX: Type.String({ minLength: 1, default: 'resolution:' }),
  /** per Redis command; past it Redis is marked down and callers short-circuit */
  REDIS_COMMAND_TIMEOUT_MS: Type.Integer({ minimum: 10, maximum: 10_000, default: 300 }),
  /** while Redis is down, sessions this instance validated within this window keep working */
  SESSION_FALLBACK_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
  SESSION_FALLBACK_MAX: Type.Integer({ minimum: 0, default: 10_000 }),
  CACHE_TTL: Type.Integer({ minimum: 1, default: 300 }),
  /** most cached responses kept in memory when Redis is not configured */
  CACHE_MEMORY_MAX: Type.Integer({ minimum: 1, default: 10_000 }),
  RATE_LIMIT_API_MAX: Type.Integer({ minimum: 1, default: 100 }),
  RATE_LIMIT_API_WINDOW: Type.Integer({ minimum: 1, default: 900 }),
  RATE_LIMIT_AGENT_MAX: Type.Integer({ minimum: 1, default: 20 }),
  RATE_LIMIT_AGENT_WINDOW: Type.Integer({ minimum: 1, default: 60 }),
  RATE_LIMIT_WORKOUT_MAX: Type.Integer({ minimum: 1, default: 50 }),
  RATE_LIMIT_WORKOUT_WINDOW: Type.Integer({ minimum: 1, default: 3600 }),
  RATE_LIMIT_AUTH_MAX: Type.Integer({ minimum: 1, default: 10 }),
  RATE_LIMIT_AUTH_WINDOW: Type.Integer({ minimum: 1, default: 900 }),
  /** GET /api/calendar.ics per feed token (calendar servers poll from shared addresses: not per IP) */
  RATE_LIMIT_FEED_MAX: Type.Integer({ minimum: 1, default: 60 }),
  RATE_LIMIT_FEED_WINDOW: Type.Integer({ minimum: 1, default: 3600 }),
  /** let user-given URLs (calendar subscriptions, webhooks) reach loopback/private addresses: tests only */
  ALLOW_PRIVATE_WEBHOOKS: Type.Boolean({ default: false }),
  /** how often subscribed calendars are fetched again */
  CALENDAR_REFRESH_MINUTES: Type.Integer({ minimum: 1, maximum: 10_080, default: 60 }),
  /** the service's address as people reach it, for links it hands out (the calendar feed); default http://HOST:PORT */
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+(/[^?#]*)?$' })),
  /** email nudges: an SMTP server (smtp:// or smtps://, credentials in the URL) and the From address; both or neither */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  SMTP_FROM: Type.Optional(Type.String({ minLength: 3 })),
  /** SMS nudges through Twilio: all three or none */
  TWILIO_ACCOUNT_SID: Type.Optional(Type.String({ minLength: 1 })),
  TWILIO_AUTH_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  TWILIO_FROM: Type.Optional(Type.String({ minLength: 1 })),
  /** Twilio's REST API; overridable so tests can use a local stub */
  TWILIO_API_BASE_URL: Type.String({ pattern: '^https?://', default: 'https://api.twilio.com' }),
  /** nudge delivery: most attempts, longest wait between two, deadline of one webhook call */
  NUDGE_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 8 }),
  NUDGE_RETRY_MAX_MS: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 600_000 }),
  NUDGE_WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
  /** how often the outbox is checked for due deliveries (a new nudge is sent at once regardless) */
  NUDGE_POLL_MS: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 }),
  /** how often the background judge looks for commitments whose milestone fell due */
  COMMITMENT_CHECK_MS: Type.Integer({ minimum: 50, maximum: 3_600_000, default: 30_000 }),
  /** the autopilot: false turns it off on this instance; how often due checkpoints are looked for */
  AUTOPILOT_ENABLED: Type.Boolean({ default: true }),
  AUTOPILOT_TICK_MS: Type.Integer({ minimum: 50, maximum: 3_600_000, default: 30_000 }),
  /** an intervention succeeded if a qualifying workout follows within this many hours */
  OUTCOME_WINDOW_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
  /** when set, /metrics and /api/performance accept `Authorization: Bearer <token>` (and /metrics requires it) */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** venice | gemini | openai | compatible | offline; unset = the first provider whose key is set, else offline */
  LLM_PROVIDER: Type.Optional(Type.Enum(['venice', 'gemini', 'openai', 'compatible', 'offline'])),
  VENICE_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  GEMINI_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  OPENAI_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** the server for LLM_PROVIDER=compatible (Ollama, vLLM, llama.cpp…), e.g. http://127.0.0.1:11434/v1 */
  LLM_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  LLM_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  LLM_MODEL: Type.Optional(Type.String({ minLength: 1 })),
  LLM_TEMPERATURE: Type.Number({ minimum: 0, maximum: 2, default: 0.1 }),
  LLM_MAX_TOKENS: Type.Integer({ minimum: 16, maximum: 32_768, default: 1024 }),
  /** deadline of one model call */
  LLM_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 20_000 }),
  /** most model calls in one agent run */
  AGENT_MAX_ITERATIONS: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
  /** agent runs per user per day (their local day) */
  AGENT_DAILY_RUNS: Type.Integer({ minimum: 1, default: 200 }),
  /** conversation memory kept per user: most messages, and approximate tokens */
  AGENT_MEMORY_MESSAGES: Type.Integer({ minimum: 2, maximum: 1000, default: 40 }),
  AGENT_MEMORY_TOKENS: Type.Integer({ minimum: 200, maximum: 200_000, default: 6000 }),
  /** agent traces kept per user (oldest dropped) */
  AGENT_TRACES_KEPT: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  /** idle Server-Sent Event streams get a comment line this often, so proxies keep them open */
  SSE_HEARTBEAT_MS: Type.Integer({ minimum: 50, maximum: 120_000, default: 15_000 }),
  /** p95 targets in ms */
  PERF_AGENT_TARGET_MS: Type.Integer({ minimum: 1, default: 2000 }),
  PERF_LLM_TARGET_MS: Type.Integer({ minimum: 1, default: 1500 }),
  /** samples kept per operation name for percentiles */
  PERF_WINDOW: Type.Integer({ minimum: 10, maximum: 100_000, default: 1000 }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 10 * 1024 * 1024, default: 65_536 }),
  /** on shutdown, how long in-flight requests may take before their connections are cut */
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 5000 }),
  /** a whole request (headers and body) must arrive within this (the reply may take longer) */
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 120_000 }),
  /** selects the PostgreSQL store (instead of files under DATA_DIR): postgres://user:pass@host:5432/db */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** most connections each instance holds to PostgreSQL */
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  /** the server cancels any statement running longer (the request gets a 503 to retry) */
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 5000 }),
  /** most per-user files kept open in memory */
  STORE_MAX_OPEN: Type.Integer({ minimum: 1, default: 1000 }),
  /** argon2id memory cost of new password hashes, KiB (OWASP's minimum, 19 MiB, by default); lower only in tests */
  PASSWORD_HASH_MEMORY_KIB: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 19_456 })
})

type RawConfig = Static<typeof ConfigSchema>

export type TrustProxy = boolean | number | string[]

/** The model provider the coach uses, resolved from the LLM_* variables. */
export interface LlmSettings {
  provider: 'venice' | 'gemini' | 'openai' | 'compatible' | 'offline'
  baseURL?: string
  apiKey?: string
  model: string
}

const PROVIDERS = {
  venice: { baseURL: 'https://api.venice.ai/api/v1', model: 'llama-3.3-70b', keyVar: 'VENICE_API_KEY' },
  gemini: { baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/', model: 'gemini-2.5-flash', keyVar: 'GEMINI_API_KEY' },
  openai: { baseURL: undefined, model: 'gpt-4o-mini', keyVar: 'OPENAI_API_KEY' }
} as const

export interface Config extends Omit<RawConfig, 'TRUST_PROXY' | 'FRONTEND_URL' | 'SESSION_SECRET'> {
  LLM: LlmSettings
  TRUST_PROXY: TrustProxy
  FRONTEND_URL: string[]
  SESSION_SECRET: string
  /** true when the secret was generated and kept in DATA_DIR rather than configured */
  SESSION_SECRET_GENERATED: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const SECRET_VARS = new Set(['SESSION_SECRET', 'REDIS_URL', 'DATABASE_URL', 'METRICS_TOKEN', 'VENICE_API_KEY', 'GEMINI_API_KEY', 'OPENAI_API_KEY', 'LLM_API_KEY', 'SMTP_URL', 'TWILIO_AUTH_TOKEN'])

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false })
const validate = ajv.compile<RawConfig>(ConfigSchema)

/** Reads `.env` from `dir` (if present) under the real environment. */
export function readEnvironment (env: NodeJS.ProcessEnv = process.env, dir = process.cwd()): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {}
  try {
    fromFile = parseEnv(readFileSync(join(dir, '.env'), 'utf8')) as Record<string, string>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`.env could not be read: ${(err as Error).message}`)
  }
  return { ...fromFile, ...env }
}

export function loadConfig (env: Record<string, string | undefined> = readEnvironment()): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key]
    // An empty assignment (`REDIS_URL=`) means "not set", as in every .env convention.
    if (value !== undefined && value !== '') raw[key] = value
  }
  if (!validate(raw)) {
    const error = validate.errors![0]
    const variable = error.instancePath.replace(/^\//, '').split('/')[0] || String(error.params?.missingProperty ?? '')
    const got = SECRET_VARS.has(variable) ? '' : ` (got "${String(env[variable])}")`
    throw new ConfigError(`Invalid configuration: ${variable} ${describe(error)}${got}`)
  }
  const config = raw as RawConfig
  const dataDir = resolve(config.DATA_DIR)
  const { secret, generated } = sessionSecret(config, dataDir)
  if (config.NODE_ENV === 'production' && config.PASSWORD_HASH_MEMORY_KIB < OWASP_ARGON2ID.memoryKib) {
    throw new ConfigError(`Invalid configuration: PASSWORD_HASH_MEMORY_KIB must be >= ${OWASP_ARGON2ID.memoryKib} when NODE_ENV=production (OWASP's minimum for argon2id)`)
  }
  requireTogether(config, ['SMTP_URL', 'SMTP_FROM'], 'email nudges')
  requireTogether(config, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'], 'SMS nudges')
  return {
    ...config,
    DATA_DIR: dataDir,
    TRUST_PROXY: parseTrustProxy(config.TRUST_PROXY),
    FRONTEND_URL: config.FRONTEND_URL.split(',').map(s => s.trim()).filter(Boolean),
    SESSION_SECRET: secret,
    SESSION_SECRET_GENERATED: generated,
    LLM: resolveLlm(config)
  }
}

/** Variables that only make sense together: some set, some not → a start-up error naming the missing one. */
function requireTogether (config: RawConfig, names: ReadonlyArray<keyof RawConfig>, what: string): void {
  const missing = names.filter(n => config[n] === undefined)
  if (missing.length > 0 && missing.length < names.length) {
    throw new ConfigError(`Invalid configuration: ${what} need ${names.join(', ')}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`)
  }
}

/** The service's address as people reach it, for links it hands out (feeds, unsubscribe, invitations). */
export function publicBaseUrl (config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  return (config.PUBLIC_BASE_URL ?? `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`).replace(/\/$/, '')
}

/** Named provider without what it needs → a start-up error naming the variable. */
function resolveLlm (config: RawConfig): LlmSettings {
  const provider = config.LLM_PROVIDER ??
    (config.VENICE_API_KEY ? 'venice' : config.GEMINI_API_KEY ? 'gemini' : config.OPENAI_API_KEY ? 'openai' : 'offline')
  if (provider === 'offline') return { provider, model: 'offline-coach' }
  if (provider === 'compatible') {
    if (!config.LLM_BASE_URL) throw new ConfigError('Invalid configuration: LLM_PROVIDER=compatible needs LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama)')
    if (!config.LLM_MODEL) throw new ConfigError('Invalid configuration: LLM_PROVIDER=compatible needs LLM_MODEL (the model name your server serves)')
    return { provider, baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, model: config.LLM_MODEL }
  }
  const known = PROVIDERS[provider]
  const apiKey = config[known.keyVar]
  if (!apiKey) throw new ConfigError(`Invalid configuration: LLM_PROVIDER=${provider} needs ${known.keyVar}`)
  return { provider, baseURL: config.LLM_BASE_URL ?? known.baseURL, apiKey, model: config.LLM_MODEL ?? known.model }
}

const PATTERN_HINTS: Record<string, string> = {
  REDIS_URL: 'must be a redis:// or rediss:// URL',
  DATABASE_URL: 'must be a postgres:// or postgresql:// URL, e.g. postgres://app:secret@127.0.0.1:5432/autopilot',
  LLM_BASE_URL: 'must be an http:// or https:// URL',
  TWILIO_API_BASE_URL: 'must be an http:// or https:// URL',
  SMTP_URL: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587',
  PUBLIC_BASE_URL: 'must be an http:// or https:// URL without a query, e.g. https://autopilot.example.com'
}

function describe (error: NonNullable<typeof validate.errors>[number]): string {
  switch (error.keyword) {
    case 'minLength': return `must be at least ${error.params.limit} characters`
    case 'pattern': return PATTERN_HINTS[error.instancePath.slice(1)] ?? 'has an invalid format'
    case 'type': return `must be ${error.params.type === 'integer' ? 'an integer' : `a ${error.params.type}`}`
    case 'minimum': case 'maximum': return `must be ${error.params.comparison} ${error.params.limit}`
    case 'enum': return `must be one of: ${(error.params.allowedValues as string[]).join(', ')}`
    default: return error.message ?? 'is invalid'
  }
}

function parseTrustProxy (value: string): TrustProxy {
  const v = value.trim().toLowerCase()
  if (v === '' || v === 'false' || v === 'off' || v === '0' || v === 'no') return false
  if (v === 'true' || v === 'on' || v === 'yes') return true
  if (/^\d+$/.test(v)) return Number(v)
  return value.split(',').map(s => s.trim()).filter(Boolean)
}

/**
 * Production must be given a secret (several instances must share it). Elsewhere, one is generated
 * once and kept in DATA_DIR so that restarting the dev server does not log everybody out.
 */
function sessionSecret (config: RawConfig, dataDir: string): { secret: string, generated: boolean } {
  if (config.SESSION_SECRET) return { secret: config.SESSION_SECRET, generated: false }
  // Every instance on one database must sign sessions and links with the same secret: one
  // generated here would be this instance's alone.
  if (config.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required with DATABASE_URL (every instance must share it; at least 32 characters, e.g. `openssl rand -hex 32`)')
  }
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration: SESSION_SECRET is required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -hex 32`)')
  }
  const file = join(dataDir, 'session-secret')
  try {
    const kept = readFileSync(file, 'utf8').trim()
    if (kept.length >= 32) return { secret: kept, generated: true }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`Invalid configuration: cannot read ${file}: ${(err as Error).message}`)
  }
  const secret = randomBytes(32).toString('hex')
  try {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, secret + '\n', { mode: 0o600 })
  } catch (err) {
    throw new ConfigError(`Invalid configuration: DATA_DIR ${dataDir} is not writable (${(err as Error).message})`)
  }
  return { secret, generated: true }
}
