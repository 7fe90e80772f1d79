// Makes `fastify.close()` drain HTTP connections promptly and within a bound (SHUTDOWN_DRAIN_MS),
// so a SIGTERM ends in an exit 0 inside server.ts's grace with every acknowledged write flushed.
//
// Why it is needed: Fastify's close stops accepting and closes the connections idle at that
// instant, then waits for the rest. A connection busy with a request at that instant answers it
// with `keep-alive` and then sits idle until the keep-alive timeout (65 s) — far past the grace, so
// the process would be killed with exit 1. So, once closing:
// - every response carries `Connection: close` (Fastify does this itself only for the 503s it
//   gives requests that arrive after closing began);
// - idle connections are swept every 100 ms (a response finishing between sweeps is caught next);
// - whatever is still busy after SHUTDOWN_DRAIN_MS is cut, leaving the rest of the grace for the store's
//   flush (the store's onClose runs after the server has closed, so in-flight writes go first);
// - `fastify.shutdownSignal` is aborted first, for long-lived responses (SSE) to end themselves.
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** aborted as soon as the service starts shutting down */
    shutdownSignal: AbortSignal
  }
}

const IDLE_SWEEP_MS = 100

export default fp(async function shutdown (fastify) {
  const drainMs = fastify.config.SHUTDOWN_DRAIN_MS
  const closing = new AbortController()
  let sweep: NodeJS.Timeout | undefined
  let cut: NodeJS.Timeout | undefined
  fastify.decorate('shutdownSignal', closing.signal)

  fastify.addHook('preClose', async () => {
    closing.abort()
    const server = fastify.server
    sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref()
    cut = setTimeout(() => {
      fastify.log.warn({ drain_ms: drainMs }, 'requests still in flight after the drain period; closing their connections')
      server.closeAllConnections()
    }, drainMs).unref()
  })

  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing.signal.aborted) reply.header('connection', 'close')
    return payload
  })

  fastify.addHook('onClose', async () => {
    clearInterval(sweep)
    clearTimeout(cut)
  })
}, { name: 'shutdown', dependencies: ['config'] })
