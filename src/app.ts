// Composition root: builds the Fastify application from a validated config. The app is itself a
// plugin tree — shared plugins registered in dependency order, then the route folders autoloaded
// (folder = URL prefix; each folder's autohooks.ts applies to it and below).
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import autoload from '@fastify/autoload'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.js'
import configPlugin from '../plugins/app/config.js'
import validation from '../plugins/app/validation.js'
import errorHandler from '../plugins/app/error-handler.js'
import requestLog, { RequestLogController } from '../plugins/app/request-log.js'
import telemetry from '../plugins/app/telemetry.js'
import underPressure from '../plugins/external/under-pressure.js'
import shutdown from '../plugins/app/shutdown.js'
import store from '../plugins/app/store.js'
import sessions from '../plugins/app/sessions.js'
import swagger from '../plugins/external/swagger.js'
import security from '../plugins/external/helmet.js'
import accounts from '../plugins/app/accounts.js'
import redis from '../plugins/app/redis.js'
import rateLimits from '../plugins/app/rate-limit.js'
import cache from '../plugins/app/cache.js'
import agent from '../plugins/app/agent.js'

export interface BuildOptions {
  /** overrides the logger built from config (tests pass a capturing stream) */
  logger?: FastifyServerOptions['logger']
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

const SECRET_FIELDS = ['password', 'current_password', 'new_password', 'sessionId', 'SESSION_SECRET', 'apiKey', 'api_key', 'authorization', 'cookie']

/**
 * Never logged, wherever they appear in a logged object. pino has no recursive wildcard, so each
 * field is listed at the top level and two levels down (deeper than anything this service logs).
 */
export const REDACTED_PATHS = [
  'req.headers.cookie', 'req.headers.authorization', 'req.headers["x-session-id"]', 'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap(field => [field, `*.${field}`, `*.*.${field}`])
]

export function loggerOptions (config: Config): FastifyServerOptions['logger'] {
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {})
  }
}

export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Route files are TypeScript when running from source (tests, `npm run dev`); tell autoload.
  if (import.meta.url.endsWith('.ts')) process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1'

  const logger = options.logger ?? loggerOptions(config)
  const app = Fastify({
    logger,
    logController: new RequestLogController(),
    // Fastify accepts a hop count at runtime; its typings only list the other forms.
    trustProxy: config.TRUST_PROXY as boolean | string | string[],
    bodyLimit: config.BODY_LIMIT,
    // Bounds how long a client may take to SEND its request (slow-loris). Nothing bounds the
    // response time here: an agent run is bounded by AGENT_MAX_ITERATIONS × LLM_TIMEOUT_MS itself.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    return503OnClosing: true,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(configPlugin, { config })
  await app.register(validation)
  await app.register(errorHandler)
  await app.register(requestLog)
  await app.register(telemetry)
  await app.register(underPressure)
  await app.register(shutdown)
  // Headers first: replies sent by early hooks (a 429, a 503 from the session store) must carry
  // CORS and security headers too, or a browser cannot read them.
  await app.register(swagger)
  await app.register(security)
  await app.register(store)
  await app.register(redis)
  await app.register(sessions)
  await app.register(accounts)
  await app.register(rateLimits)
  await app.register(cache)
  await app.register(agent)
  await app.register(autoload, {
    dir: join(import.meta.dirname, '..', 'routes'),
    autoHooks: true,
    cascadeHooks: true
  })
  return app
}
