// The pino options of the service's logger: level from LOG_LEVEL, secrets redacted wherever they
// appear, pretty lines only for a developer at a terminal.
import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../../config.js'

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
