import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Nullable } from '../../src/shared/http-schemas.js'
import { TargetsReport } from '../../src/infra/telemetry/performance-schemas.js'

// For load balancers and operators. Answers from in-memory state only — the store's status, Redis's
// last observed state (the Redis layer keeps it current; nothing is pinged here), the performance
// monitor and the load sampler — so it stays fast whatever state a dependency is in. Never
// rate-limited and needs no session.
//
// healthy: all good. degraded (200): Redis is configured but down — the service runs on its
// fallbacks, an instance that should not be taken out of rotation. unhealthy (503): the store
// cannot write — nothing a user does would be saved, so the balancer should route elsewhere.


export const HealthResponse = Type.Object({
  status: Type.Enum(['healthy', 'degraded', 'unhealthy']),
  timestamp: Type.String({ format: 'date-time' }),
  uptime: Type.Number({ description: 'seconds since the service started' }),
  database: Type.Record(Type.String(), Type.Unknown(), { description: 'the store: kind, writable, open handles, queued writes, last flush' }),
  redis: Type.Union([
    Type.Object({ status: Type.Enum(['up', 'down']), latency_ms: Nullable(Type.Number()) }),
    Type.Literal('disabled')
  ]),
  llm: Type.Object({ provider: Type.String(), configured: Type.Boolean() }),
  performance: TargetsReport,
  process: Type.Object({
    event_loop_delay_ms: Nullable(Type.Number({ description: 'mean delay beyond the expected over the last second' })),
    event_loop_utilization: Nullable(Type.Number({ description: 'share of time the event loop was busy since start (0–1)' })),
    heap_used_bytes: Nullable(Type.Integer()),
    rss_bytes: Nullable(Type.Integer())
  }, { description: 'sampled once a second; null until the first sample' })
})

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
      summary: 'Service status',
      description: 'healthy; degraded (200) when Redis is configured but down; unhealthy (503) when the store cannot write.',
      security: [],
      response: { 200: HealthResponse, 503: HealthResponse }
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
