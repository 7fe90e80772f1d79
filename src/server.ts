// The process entry: load config, build the app, listen, and shut down gracefully on
// SIGTERM/SIGINT (stop accepting, let in-flight requests finish — bounded —, flush the store,
// exit 0 within SHUTDOWN_GRACE_MS; a second signal exits at once).
import type { AddressInfo } from 'node:net'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { DataDirLockedError, recordListeningUrl } from './store/data-dir-lock.js'

const SHUTDOWN_GRACE_MS = 10_000

async function main (): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }

  let app
  try {
    app = await buildApp(config)
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message)
    throw err
  }

  // In-flight requests get plugins/shutdown.ts's drain period, the store's flush the rest of the
  // grace. Past the grace, or on a second signal (an operator who will not wait), the process exits
  // at once with 1; close-with-grace reports those through the service's own log, not the console.
  closeWithGrace({
    delay: SHUTDOWN_GRACE_MS,
    logger: { error: (message: unknown) => app.log.error(message instanceof Error ? { err: message } : { detail: String(message) }, 'shutdown') },
    onSecondSignal: signal => app.log.warn({ signal }, 'second signal during shutdown: exiting now without waiting'),
    onTimeout: delay => app.log.error({ grace_ms: delay }, 'shutdown did not finish within the grace period: exiting')
  }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
    app.log.info('shut down cleanly')
  })

  if (config.SESSION_SECRET_GENERATED) {
    app.log.warn('SESSION_SECRET is not set: using a generated one kept in DATA_DIR (fine for one machine; set it for several instances)')
  }
  await app.listen({ port: config.PORT, host: config.HOST })
  // The CLI, refused DATA_DIR because this server holds it, reads this to say where the server
  // really listens (PORT=0 picks a random port). Best effort: the server works without it.
  const url = reachableUrl(app.server.address())
  if (url) await recordListeningUrl(config.DATA_DIR, url).catch((err: unknown) => app.log.warn({ err }, 'could not record the listening url in the data directory lock'))
  app.log.info({ node: process.versions.node, pid: process.pid }, `Resolution Autopilot running on Node ${process.versions.node}`)
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

await main()
