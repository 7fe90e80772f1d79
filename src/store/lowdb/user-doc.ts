// The shape of one user's file. Everything the service holds about a person lives in this one
// document, so a per-user read or write never touches another user's data (cost independent of
// how many users exist) and "export" / "delete my account" are one file each.
// Bump USER_DOC_VERSION and add a step to migrate-user-doc.ts whenever this shape changes.

export const USER_DOC_VERSION = 2

export type FormQuality = 'excellent' | 'good' | 'fair' | 'needs_improvement'

export interface Account {
  id: string
  username: string
  /** scrypt$N$r$p$salt$hash — never leaves the service */
  password_hash: string
  /** IANA zone name; decides every "day" the user sees */
  timezone: string
  resolution: string | null
  created_at: string
  updated_at: string
}

export interface AuditEntry {
  at: string
  action: 'create' | 'update' | 'delete'
  /** field → {from, to}; present on updates */
  changes?: Record<string, { from: unknown, to: unknown }>
}

export interface WorkoutRecord {
  workout_id: string
  user_id: string
  exercise_type: string
  duration_minutes: number
  reps?: number
  sets?: number
  form_quality: FormQuality
  notes?: string
  /** instant in UTC, ISO 8601 */
  performed_at: string
  /** YYYY-MM-DD in `timezone`, fixed when logged */
  local_date: string
  /** the user's zone when this workout was logged */
  timezone: string
  request_id?: string
  created_at: string
  updated_at: string
  /** set when deleted: the record stays (without showing in history) so the audit trail survives */
  deleted_at?: string
  audit: AuditEntry[]
}

/** Remembers an idempotent request so a retry returns the original answer. */
export interface RequestKey {
  request_id: string
  fingerprint: string
  workout_id: string
  /** the body first sent for this request id */
  response: unknown
  created_at: string
}

/** One message of the coach conversation, in the OpenAI chat shape (see src/agent/chat-model.ts). */
export type ConversationMessage =
  | { role: 'user', content: string }
  | { role: 'assistant', content: string | null, tool_calls?: Array<{ id: string, type: 'function', function: { name: string, arguments: string } }> }
  | { role: 'tool', tool_call_id: string, content: string }

/** What one coach run did, for GET /api/agent/traces. */
export interface AgentTrace {
  trace_id: string
  created_at: string
  provider: string
  model: string
  message: string
  response: string | null
  iterations: number
  truncated: boolean
  duration_ms: number
  llm_duration_ms: number
  model_calls: Array<{ latency_ms: number, tool_calls: number, usage?: { prompt_tokens: number, completion_tokens: number, total_tokens: number } }>
  tool_calls: Array<{ name: string, arguments: unknown, ok: boolean, summary: string, duration_ms: number }>
  reasoning: Array<{ event_name: string, metrics?: Record<string, unknown>, reasoning_chain: string[], at: string }>
  /** which system prompt version the run used */
  prompt_version?: string
  /** set when the run failed: the error kind (e.g. upstream_timeout) and message */
  error?: { kind: string, message: string }
}

/** Coach usage: runs per local day (the daily budget) and tokens over the account's life. */
export interface AgentUsage {
  day: string | null
  runs_today: number
  total_runs: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

export interface UserDoc {
  schema_version: number
  account: Account
  workouts: WorkoutRecord[]
  request_keys: Record<string, RequestKey>
  /** the coach's memory of this user's conversation, trimmed to a bounded window */
  conversation: ConversationMessage[]
  /** newest last, at most AGENT_TRACES_KEPT */
  agent_traces: AgentTrace[]
  agent_usage: AgentUsage
}

export function emptyAgentUsage (): AgentUsage {
  return { day: null, runs_today: 0, total_runs: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
}
