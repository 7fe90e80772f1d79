// Redis, when REDIS_URL is set: one ioredis client configured to fail fast (no offline queue, one
// retry, short connect and command timeouts — the defaults hang requests for over a minute when
// Redis dies) and one shared health state (`fastify.redisHealth`) that every Redis user goes
// through. Start-up does not wait for Redis: if it is down, the service starts degraded and
// recovers by itself when Redis returns. Without REDIS_URL, `redisHealth` is there too, `disabled`.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import fastifyRedis from '@fastify/redis'
import { Redis } from 'ioredis'
import { RedisHealth } from '../../src/infra/redis/redis-health.js'
import { Operation } from '../../src/infra/telemetry/performance-monitor.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Redis's state as last observed (`disabled` without REDIS_URL); guards every Redis call */
    redisHealth: RedisHealth
  }
}

export default fp(async function redis (fastify) {
  const { config, log } = fastify
  if (!config.REDIS_URL) {
    fastify.decorate('redisHealth', RedisHealth.disabled())
    return
  }

  const client = new Redis(config.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    // Keep trying to reconnect, never more than a second apart, so recovery is quick.
    retryStrategy: times => Math.min(times * 100, 1000),
    lazyConnect: false,
    // Commands issued in the same tick (the rate-limit scopes of one request, and those of every
    // other request in flight) go out as one pipeline: one write, not one per command.
    enableAutoPipelining: true
  })
  // ioredis emits connection errors as events; the health state reports them, once per change.
  client.on('error', () => {})

  let everUp = false
  const health = new RedisHealth(client, {
    pingTimeoutMs: Math.max(config.REDIS_COMMAND_TIMEOUT_MS, 500),
    onLatency: ms => fastify.perf.record(Operation.redis, ms),
    onChange: (status, err) => {
      if (status === 'down') log.warn({ err: err instanceof Error ? err.message : err }, 'Redis is down: rate limits fail open, cache falls through, only recently seen sessions are accepted')
      else log.info(everUp ? 'Redis is up again' : 'Redis connected')
      everUp ||= status === 'up'
    }
  })
  await connected(client, 1500)
  await health.start()
  fastify.decorate('redisHealth', health)

  if (client.status === 'ready') {
    await fastify.register(fastifyRedis, { client, closeClient: false })
  } else {
    // @fastify/redis would hold start-up until Redis answers; a degraded start is better than none.
    log.warn(`Redis at ${redactUrl(config.REDIS_URL)} is unreachable at start-up: starting degraded, will reconnect`)
    fastify.decorate('redis', client as unknown as FastifyInstance['redis'])
  }
  fastify.addHook('onClose', async () => {
    health.close()
    // A polite QUIT when Redis answers; when it is down or frozen, just drop the connection —
    // shutdown must not fail or wait because Redis is gone.
    if (health.status === 'up') await client.quit().catch(() => client.disconnect())
    else client.disconnect()
  })
}, { name: 'redis', dependencies: ['config', 'telemetry'] })

/** Resolves once the client is ready, or after `ms` (then the health state says "down"). */
function connected (client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve()
  return new Promise(resolve => {
    const done = () => { clearTimeout(timer); client.off('ready', done); resolve() }
    const timer = setTimeout(done, ms)
    client.once('ready', done)
  })
}

function redactUrl (url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@')
}
