// The performance monitor's reports as the API shows them (/health and /api/performance share the
// target's shape).
import { Type } from 'typebox'
import { Nullable } from '../../shared/http-schemas.js'

export const TargetReport = Type.Object({
  target: Type.Number({ description: 'p95 target in ms' }),
  actual: Nullable(Type.Number({ description: 'p95 over the recent window in ms; null without samples' })),
  passing: Nullable(Type.Boolean({ description: 'actual < target; null without samples ("no data")' }))
})

export const TargetsReport = Type.Object({ agentResponseTime: TargetReport, llmCallTime: TargetReport })
