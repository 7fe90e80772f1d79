// Measures the service: `fastify.perf` (the performance monitor: percentiles and targets, shown by
// /health and /api/performance) and `fastify.metricsRegistry` (Prometheus metrics, served by
// /metrics). Every route is timed here; the store, the Redis layer and the coach record their own
// operations through `fastify.perf`, and each sample also lands in the matching Prometheus histogram.
//
// Registered before the store (which reports its flushes here) and before the routes.
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { Operation, PerformanceMonitor } from '../../src/infra/telemetry/performance-monitor.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** record operations (`perf.record(name, ms)`, `perf.measure(name, fn)`) and read their stats */
    perf: PerformanceMonitor
    /** this app's Prometheus registry (process metrics included) */
    metricsRegistry: Registry
  }
}

/** Requests that matched no route share one label, so scanners cannot grow the series count. */
export const UNMATCHED_ROUTE = '(unmatched)'

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const AGENT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120]
const LLM_BUCKETS = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 20, 30, 60]
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

let processRegistry: Registry | undefined

/**
 * Process metrics (CPU, memory, event-loop lag, GC, handles) describe the process, not one app, and
 * prom-client starts timers and observers for them: collect them once per process and merge them
 * into each app's registry. (Tests build many apps in one process; a global registry would also
 * refuse the second app's metrics as duplicates.)
 */
function processMetrics (): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** The target itself is a bucket boundary, so "share of calls under target" is exact in PromQL. */
function withTarget (buckets: number[], targetMs: number): number[] {
  return [...new Set([...buckets, targetMs / 1000])].sort((a, b) => a - b)
}

export default fp(async function telemetry (fastify) {
  const { config } = fastify
  const own = new Registry()

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request received to response sent, by route pattern',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [own]
  })
  const agentResponse = new Histogram({
    name: 'agent_response_seconds',
    help: 'Time for the coach to produce a final answer',
    buckets: withTarget(AGENT_BUCKETS, config.PERF_AGENT_TARGET_MS),
    registers: [own]
  })
  const llmCall = new Histogram({
    name: 'llm_call_seconds',
    help: 'Time of one call to the language model',
    buckets: withTarget(LLM_BUCKETS, config.PERF_LLM_TARGET_MS),
    registers: [own]
  })
  const toolCall = new Histogram({
    name: 'tool_call_seconds',
    help: 'Time of one coach tool call, by tool',
    labelNames: ['tool'] as const,
    buckets: FAST_BUCKETS,
    registers: [own]
  })
  const storeFlush = new Histogram({
    name: 'store_flush_seconds',
    help: 'Time to make one batch of writes durable (write, fsync, rename)',
    buckets: FAST_BUCKETS,
    registers: [own]
  })
  const redisCall = new Histogram({
    name: 'redis_command_seconds',
    help: 'Round-trip time of Redis commands',
    buckets: FAST_BUCKETS,
    registers: [own]
  })
  new Gauge({
    name: 'store_queued_writes',
    help: 'Writes applied in memory and waiting for a flush to start',
    registers: [own],
    collect () {
      // Read when scraped (the store is registered after this plugin).
      this.set(Number(fastify.repo.status().queued_writes ?? 0))
    }
  })
  new Gauge({
    name: 'redis_up',
    help: 'Redis as last observed: 1 up, 0 down, -1 not configured',
    registers: [own],
    collect () {
      const { status } = fastify.redisHealth
      this.set(status === 'disabled' ? -1 : status === 'up' ? 1 : 0)
    }
  })

  const perf = new PerformanceMonitor({
    window: config.PERF_WINDOW,
    agentTargetMs: config.PERF_AGENT_TARGET_MS,
    llmTargetMs: config.PERF_LLM_TARGET_MS,
    logger: fastify.log.child({ component: 'performance' }),
    onSample (name, ms) {
      const seconds = ms / 1000
      if (name === Operation.agentResponse) agentResponse.observe(seconds)
      else if (name === Operation.llmCall) llmCall.observe(seconds)
      else if (name.startsWith('tool:')) toolCall.observe({ tool: name.slice(5) }, seconds)
      else if (name === Operation.storeFlush) storeFlush.observe(seconds)
      else if (name === Operation.redis) redisCall.observe(seconds)
      // Route samples go to http_request_duration_seconds below, which also needs the status.
    }
  })

  fastify.decorate('perf', perf)
  fastify.decorate('metricsRegistry', Registry.merge([processMetrics(), own]))

  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url
    const ms = reply.elapsedTime
    httpDuration.observe({ method: request.method, route: route ?? UNMATCHED_ROUTE, status_code: reply.statusCode }, ms / 1000)
    // Unmatched requests (scans, typos) stay out of the percentiles: they are not operations.
    if (route !== undefined) perf.record(`${request.method} ${route}`, ms)
  })
}, { name: 'telemetry', dependencies: ['config'] })
