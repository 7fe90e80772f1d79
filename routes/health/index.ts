import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, ref } from '../../src/shared/http-schemas.js'
import { HealthResponse } from '../../src/infra/telemetry/performance-schemas.js'

// For load balancers and operators. Answers from in-memory state only — the store's status, Redis's
// last observed state (the Redis layer keeps it current; nothing is pinged here), the performance
// monitor and the load sampler — so it stays fast whatever state a dependency is in. Never
// rate-limited and needs no session.
//
// healthy: all good. degraded (200): Redis is configured but down — the service runs on its
// fallbacks, an instance that should not be taken out of rotation. unhealthy (503): the store
// cannot write — nothing a user does would be saved, so the balancer should route elsewhere.

type Load = ReturnType<FastifyInstance['memoryUsage']>

function processLoad (load: Load) {
  // The sampler reports zeros until its first tick (a second after start): say "not yet" instead.
  const sampled = load.rssBytes > 0
  return {
    event_loop_delay_ms: sampled && Number.isFinite(load.eventLoopDelay) ? Math.round(load.eventLoopDelay * 100) / 100 : null,
    event_loop_utilization: sampled ? Math.round(load.eventLoopUtilized * 1000) / 1000 : null,
    heap_used_bytes: sampled ? load.heapUsed : null,
    rss_bytes: sampled ? load.rssBytes : null
  }
}

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const started = Date.now()
  fastify.get('', {
    schema: {
      tags: ['health'],
      operationId: 'getHealth',
      summary: 'Service status',
      description: 'healthy; degraded (200) when Redis is configured but down; unhealthy (503) when the store cannot write.',
      security: [],
      response: {
        200: ref(HealthResponse, 'Healthy, or degraded (Redis is down; the service runs on its fallbacks)'),
        503: ref(HealthResponse, 'Unhealthy: the store cannot write'),
        // The only client error here: a request Fastify rejects before routing it.
        400: ref(ErrorResponse, 'The request is malformed, e.g. its URL has a bad percent-encoding')
      }
    }
  }, async (_request, reply) => {
    const database = fastify.repo.status()
    const redis = fastify.redisHealth
    const status = !database.writable ? 'unhealthy' : redis.status === 'down' ? 'degraded' : 'healthy'
    return reply.code(status === 'unhealthy' ? 503 : 200).send({
      status,
      timestamp: new Date().toISOString(),
      uptime: Math.round((Date.now() - started) / 1000),
      database,
      redis: redis.status === 'disabled' ? 'disabled' : { status: redis.status, latency_ms: redis.latencyMs },
      // `configured`: a real model is in use rather than the offline coach.
      llm: { provider: fastify.config.LLM.provider, configured: fastify.config.LLM.provider !== 'offline' },
      performance: fastify.perf.checkTargets(),
      process: processLoad(fastify.memoryUsage())
    })
  })
}

export default health
