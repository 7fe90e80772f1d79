// Everything the service holds about one person: what `GET /api/me/export` returns and what the
// embedded store keeps in each user's file. A store part may keep it in any form (PostgreSQL:
// tables); this is the shape it hands back for an export.
import type { Account } from '../accounts/account-schemas.js'
import type { AgentTrace } from '../agent/agent-schemas.js'
import type { ConversationMessage } from '../agent/models/chat-model.js'
import type { Pause, Plan, Preferences } from '../plans/plan-schemas.js'
import type { WorkoutRecord } from '../workouts/workout-schemas.js'
import type { StoredBuddy, StoredChannels } from '../nudges/channel-schemas.js'
import type { Nudge } from '../nudges/nudge-schemas.js'
import type { StoredIntervention } from '../interventions/intervention-schemas.js'
import type { AuditEntry, CommitmentRecord } from '../commitments/commitment-state.js'
import type { AutopilotRun, AutopilotSettings } from '../autopilot/autopilot-schemas.js'

/** Remembers an idempotent request so a retry returns the original answer. */
export interface RequestKey {
  request_id: string
  fingerprint: string
  workout_id: string
  /** the body first sent for this request id */
  response: unknown
  created_at: string
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

export interface UserData {
  schema_version: number
  account: Account
  workouts: WorkoutRecord[]
  request_keys: Record<string, RequestKey>
  /** the coach's memory of this user's conversation, trimmed to a bounded window */
  conversation: ConversationMessage[]
  /** newest last, at most AGENT_TRACES_KEPT */
  agent_traces: AgentTrace[]
  agent_usage: AgentUsage
  /** every plan version stored, in the order stored */
  plans: Plan[]
  pauses: Pause[]
  /** null until the person sets them (the defaults apply) */
  preferences: Preferences | null
  /** null until the person sets any (the defaults apply); holds webhook secrets, stripped from exports */
  channels: StoredChannels | null
  buddy: StoredBuddy | null
  /** newest last, at most NUDGES_KEPT */
  nudges: Nudge[]
  /** oldest first, at most INTERVENTIONS_KEPT */
  interventions: StoredIntervention[]
  /** oldest first; every one ever made (they are the person's financial record) */
  commitments: CommitmentRecord[]
  /** commitment id → its append-only audit trail */
  commitment_audit: Record<string, AuditEntry[]>
  /** null until the person changes them (the defaults apply) */
  autopilot: AutopilotSettings | null
  /** newest last, at most AUTOPILOT_RUNS_KEPT */
  autopilot_runs: AutopilotRun[]
  /** sha-256 of the calendar feed token (the token itself is never stored); a secret, never exported */
  calendar_token_digest?: string
}

export function emptyAgentUsage (): AgentUsage {
  return { day: null, runs_today: 0, total_runs: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
}

/** How many nudges and interventions a person's data keeps (the oldest go first). */
export const NUDGES_KEPT = 500
export const INTERVENTIONS_KEPT = 500
export const AUTOPILOT_RUNS_KEPT = 200
