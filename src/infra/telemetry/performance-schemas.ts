// The performance monitor's reports as the API shows them: GET /api/performance, and GET /health
// (for load balancers and operators), which share the targets' shape.
import { Type } from 'typebox'
import { Nullable, ref } from '../../shared/http-schemas.js'

export const TargetReport = Type.Object({
  target: Type.Number({ description: 'p95 target in ms' }),
  actual: Nullable(Type.Number({ description: 'p95 over the recent window in ms; null without samples' })),
  passing: Nullable(Type.Boolean({ description: 'actual < target; null without samples ("no data")' }))
})

export const TargetsReport = Type.Object({ agentResponseTime: TargetReport, llmCallTime: TargetReport }, { $id: 'TargetsReport' })

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
  performance: ref(TargetsReport),
  process: Type.Object({
    event_loop_delay_ms: Nullable(Type.Number({ description: 'mean delay beyond the expected over the last second' })),
    event_loop_utilization: Nullable(Type.Number({ description: 'share of time the event loop was busy since start (0–1)' })),
    heap_used_bytes: Nullable(Type.Integer()),
    rss_bytes: Nullable(Type.Integer())
  }, { description: 'sampled once a second; null until the first sample' })
}, { $id: 'HealthResponse' })

const Stats = Type.Object({
  count: Type.Integer({ description: 'samples in the window' }),
  total: Type.Integer({ description: 'samples since start' }),
  average: Nullable(Type.Number()),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  p50: Nullable(Type.Number()),
  p95: Nullable(Type.Number()),
  p99: Nullable(Type.Number())
}, { description: 'milliseconds over the last PERF_WINDOW samples (nearest-rank percentiles)' })

export const PerformanceResponse = Type.Object({
  stats: Type.Record(Type.String(), Stats, { description: 'by operation: `METHOD /route/pattern`, agent_response, llm_call, tool:<name>, store_flush, redis' }),
  targets: ref(TargetsReport),
  passing: Nullable(Type.Boolean({ description: 'false if any target fails; true if every target with data passes; null if no target has data' }))
}, { $id: 'PerformanceResponse' })
