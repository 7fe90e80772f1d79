import { Type, type Static } from 'typebox'
import { Nullable, queryWithDefaults } from '../shared/http-schemas.js'
import { Proposal } from './proposals/proposal.js'

export const AgentRequest = Type.Object({
  message: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S', description: 'what you want to tell or ask the coach (1–4000 characters)' })
}, { $id: 'AgentRequest', additionalProperties: false })

export const AgentReply = Type.Object({
  success: Type.Literal(true),
  response: Type.String({ description: "the coach's final answer" }),
  toolCalls: Type.Array(Type.Object({ name: Type.String(), arguments: Type.Unknown(), ok: Type.Boolean(), summary: Type.String() })),
  iterations: Type.Integer({ description: 'model calls made' }),
  trace_id: Type.String(),
  truncated: Type.Optional(Type.Literal(true, { description: 'present when the run hit AGENT_MAX_ITERATIONS' })),
  performance: Type.Object({
    duration: Type.Integer({ description: 'ms for the whole run' }),
    llmDuration: Type.Integer({ description: 'ms spent waiting for the model' }),
    target: Type.Integer({ description: 'the agent response target, ms' }),
    passing: Type.Boolean()
  })
}, { $id: 'AgentReply' })

export const TokenUsage = Type.Object({ prompt_tokens: Type.Integer(), completion_tokens: Type.Integer(), total_tokens: Type.Integer() })

export const AgentTrace = Type.Object({
  trace_id: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  provider: Type.String(),
  model: Type.String(),
  prompt_version: Type.Optional(Type.String()),
  message: Type.String(),
  response: Nullable(Type.String()),
  iterations: Type.Integer(),
  truncated: Type.Boolean(),
  duration_ms: Type.Integer(),
  llm_duration_ms: Type.Integer(),
  model_calls: Type.Array(Type.Object({ latency_ms: Type.Integer(), tool_calls: Type.Integer(), usage: Type.Optional(TokenUsage) })),
  tool_calls: Type.Array(Type.Object({ name: Type.String(), arguments: Type.Unknown(), ok: Type.Boolean(), summary: Type.String(), duration_ms: Type.Integer() })),
  reasoning: Type.Array(Type.Object({
    event_name: Type.String(),
    metrics: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    reasoning_chain: Type.Array(Type.String()),
    at: Type.String({ format: 'date-time' })
  })),
  error: Type.Optional(Type.Object({ kind: Type.String(), message: Type.String() })),
  proposal: Type.Optional(Proposal)
}, { $id: 'AgentTrace' })

export const TracesQuery = queryWithDefaults({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'at most this many traces, newest first' })
})

export const TraceParams = Type.Object({
  trace_id: Type.String({ minLength: 1, maxLength: 64 })
})

export type TokenUsage = Static<typeof TokenUsage>
export type AgentReply = Static<typeof AgentReply>
/** What one coach run did, for GET /api/agent/traces (stored as is). */
export type AgentTrace = Static<typeof AgentTrace>
