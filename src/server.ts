// The runner: the server's options and timeouts, listening, and a graceful shutdown on
// SIGTERM/SIGINT (stop accepting, let in-flight requests finish — bounded by SHUTDOWN_DRAIN_MS —,
// flush the store, exit 0 within the grace; a second signal exits at once). The application
// itself is a plugin (src/app.ts); tests build it through buildServer() as this file does.
import { randomUUID } from 'node:crypto'
import { realpathSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import closeWithGrace from 'close-with-grace'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { RequestLogController } from './infra/telemetry/request-log-controller.js'
import { loggerOptions } from './infra/telemetry/logger-options.js'
import { DataDirLockedError, DataDirUnwritableError, recordListeningUrl } from './store/lowdb/data-dir-lock.js'
import { DatabaseStartError } from './store/postgres/migrate.js'
import { errorBody } from './shared/error-body.js'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * Idle keep-alive connections are closed after this. Longer than the idle timeout of common load
 * balancers (60 s), so it is the balancer that closes an idle connection — never the service just
 * as the balancer sends a request on it (a 502). Not Fastify's 72 s: shutdown does not wait for
 * idle connections anyway (plugins/app/shutdown.ts closes them), so nothing gains from more.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000
/** A client must have sent its request headers within this (slow-loris), well under a request's. */
const HEADERS_TIMEOUT_MS = 15_000
/**
 * How often Node checks open connections against the header and request timeouts. Its default
 * (30 s) lets a slow client hold a socket up to 30 s past the header timeout (a slow-loris socket
 * lived 15–45 s instead of 15); checking every second closes it within a second of it.
 */
const CONNECTIONS_CHECK_MS = 1000
/** After the drain, the store's flush and Redis's close get this long before the process gives up. */
const FLUSH_GRACE_MS = 5_000

export interface ServerOverrides {
  /** replaces the logger built from config (tests pass a capturing stream) */
  logger?: FastifyServerOptions['logger']
}

export function serverOptions (config: Config, overrides: ServerOverrides = {}): FastifyServerOptions {
  return {
    logger: overrides.logger ?? loggerOptions(config),
    logController: new RequestLogController(),
    // Fastify accepts a hop count at runtime; its typings only list the other forms.
    trustProxy: config.TRUST_PROXY as boolean | string | string[],
    bodyLimit: config.BODY_LIMIT,
    // Bounds how long a client may take to SEND its request. Nothing bounds the response time
    // here: an agent run is bounded by AGENT_MAX_ITERATIONS × LLM_TIMEOUT_MS itself.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    return503OnClosing: true,
    // A URL that cannot be decoded (`/api/workout/%`) never reaches a route or the error handler:
    // answer it in the service's own error shape, without echoing it.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
      void (reply as unknown as FastifyReply).code(status).send(errorBody(status, status === 400 ? 'The URL is malformed (a % not followed by two hex digits?); encode it and try again.' : error.message))
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    }
  }
}

/** The server with the application registered (not yet listening). */
export async function buildServer (config: Config, overrides: ServerOverrides = {}): Promise<FastifyInstance> {
  const server = Fastify({ ...serverOptions(config, overrides), http: { connectionsCheckingInterval: CONNECTIONS_CHECK_MS } }).withTypeProvider<TypeBoxTypeProvider>()
  server.server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS)
  await server.register(app, { config })
  return server
}

async function main (): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }

  let server: FastifyInstance
  try {
    server = await buildServer(config)
    await server.ready()
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof DataDirUnwritableError || err instanceof DatabaseStartError) fail(err.message)
    throw err
  }

  // In-flight requests get SHUTDOWN_DRAIN_MS (plugins/app/shutdown.ts), the store's flush the rest
  // of the grace. Past the grace, or on a second signal (an operator who will not wait), the
  // process exits at once with 1; close-with-grace reports those through the service's own log.
  // Only SIGTERM and SIGINT stop the service. SIGUSR2 stays Node's (`npm start` passes
  // --heapsnapshot-signal=SIGUSR2: a heap snapshot, the service keeps running); SIGHUP — a closed
  // terminal — is ignored as under nohup; fault signals keep their default.
  process.on('SIGHUP', () => server.log.warn('SIGHUP ignored: stop the service with SIGTERM or SIGINT'))
  closeWithGrace({
    delay: config.SHUTDOWN_DRAIN_MS + FLUSH_GRACE_MS,
    skip: ['SIGHUP', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGUSR2'],
    logger: { error: (message: unknown) => server.log.error(message instanceof Error ? { err: message } : { detail: String(message) }, 'shutdown') },
    onSecondSignal: signal => server.log.warn({ signal }, 'second signal during shutdown: exiting now without waiting'),
    onTimeout: delay => server.log.error({ grace_ms: delay }, 'shutdown did not finish within the grace period: exiting')
  }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'shutting down after an uncaught error')
    else server.log.info({ signal }, 'shutting down')
    await server.close()
    server.log.info('shut down cleanly')
  })

  if (config.SESSION_SECRET_GENERATED) {
    server.log.warn('SESSION_SECRET is not set: using a generated one kept in DATA_DIR (fine for one machine; set it for several instances)')
  }
  await server.listen({ port: config.PORT, host: config.HOST })
  // The CLI, refused DATA_DIR because this server holds it, reads this to say where the server
  // really listens (PORT=0 picks a random port). Best effort: the server works without it.
  const url = reachableUrl(server.server.address())
  if (url && !config.DATABASE_URL) await recordListeningUrl(config.DATA_DIR, url).catch((err: unknown) => server.log.warn({ err }, 'could not record the listening url in the data directory lock'))
  server.log.info({ node: process.versions.node, pid: process.pid }, `Resolution Autopilot running on Node ${process.versions.node}`)
}

/** A URL a client on this machine can use: a wildcard address (0.0.0.0, ::) is reached via loopback. */
function reachableUrl (address: AddressInfo | string | null): string | null {
  if (address === null || typeof address === 'string') return null
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1'
    : address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

function fail (message: string): never {
  process.stderr.write(message + '\n')
  process.exit(1)
}

/** True when this file is the process's entry (not imported by a test or another module). */
function isEntry (): boolean {
  if (!process.argv[1]) return false
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntry()) await main()
