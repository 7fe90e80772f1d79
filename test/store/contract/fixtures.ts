// Valid records for the store contract, shaped as the domain makes them (src/workouts/workouts.ts,
// src/nudges/nudges.ts, src/interventions/interventions.ts, commitment-state.ts's createCommitment,
// the autopilot's checkpoints…). Every one is plain JSON — what a store must hand back unchanged —
// and gets fresh ids, so tests never collide with each other inside one store.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Account } from '../../../src/accounts/account-schemas.js'
import type { AgentTrace } from '../../../src/agent/agent-schemas.js'
import type { ConversationMessage } from '../../../src/agent/models/chat-model.js'
import type { AutopilotRun, QueuedCheckpoint } from '../../../src/autopilot/autopilot-schemas.js'
import type { Checkpoint } from '../../../src/autopilot/checkpoints.js'
import { createCommitment, type AuditEntry, type CommitmentRecord, type Step } from '../../../src/commitments/commitment-state.js'
import type { StoredIntervention } from '../../../src/interventions/intervention-schemas.js'
import type { StoredBuddy, StoredChannels } from '../../../src/nudges/channel-schemas.js'
import type { Nudge, OutboxEntry } from '../../../src/nudges/nudge-schemas.js'
import type { Pause, Plan } from '../../../src/plans/plan-schemas.js'
import type { StoredCalendar } from '../../../src/store/calendar-store.js'
import type { Repository } from '../../../src/store/repository.js'
import type { WorkoutRecord } from '../../../src/workouts/workout-schemas.js'

/** A fixed clock for the records: 2026-03-04T12:00:00Z plus `minutes`. */
export const T0 = Date.UTC(2026, 2, 4, 12, 0, 0)
export const at = (minutes = 0): string => new Date(T0 + minutes * 60_000).toISOString()
export const atMs = (minutes = 0): number => T0 + minutes * 60_000

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

/** An id in the form accounts.ts's newUserId() makes. */
export const userId = (): string => `u_${hex(12)}`

/** A username no other test uses (USERNAME_PATTERN: 3–32 of a-z 0-9 _ . -). */
export const username = (prefix = 'user'): string => `${prefix}_${hex(6)}`

export function account (overrides: Partial<Account> = {}): Account {
  return {
    id: userId(),
    username: username(),
    // argon2id PHC string form; the store never looks inside it
    password_hash: `$argon2id$v=19$m=19456,t=2,p=1$${hex(16)}$${hex(32)}`,
    timezone: 'Europe/Berlin',
    resolution: null,
    created_at: at(-60 * 24 * 30),
    updated_at: at(-60 * 24 * 30),
    ...overrides
  }
}

/** Creates a fresh account in the store and returns it. */
export async function givenAccount (repo: Repository, overrides: Partial<Account> = {}): Promise<Account> {
  const created = account(overrides)
  if (!await repo.createAccount(created)) throw new Error(`fixture: username ${created.username} taken`)
  return created
}

export function workout (owner: string, overrides: Partial<WorkoutRecord> = {}): WorkoutRecord {
  const performed = overrides.performed_at ?? at()
  const created = overrides.created_at ?? performed
  return {
    workout_id: `w_${hex(10)}`,
    user_id: owner,
    exercise_type: 'running',
    duration_minutes: 30,
    reps: 10,
    form_quality: 'good',
    notes: 'felt strong',
    performed_at: performed,
    local_date: performed.slice(0, 10),
    local_time: performed.slice(11, 16),
    timezone: 'UTC',
    created_at: created,
    updated_at: created,
    audit: [{ at: created, action: 'create' }],
    ...overrides
  }
}

export function trace (overrides: Partial<AgentTrace> = {}): AgentTrace {
  return {
    trace_id: `t_${hex(8)}`,
    created_at: at(),
    provider: 'offline',
    model: 'offline-coach',
    prompt_version: 'v1',
    message: 'How am I doing?',
    response: 'You are on track.',
    iterations: 1,
    truncated: false,
    duration_ms: 12,
    llm_duration_ms: 5,
    model_calls: [{ latency_ms: 5, tool_calls: 1, usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } }],
    tool_calls: [{ name: 'getWorkoutHistory', arguments: { days_back: 7 }, ok: true, summary: '3 workouts', duration_ms: 2 }],
    reasoning: [{ event_name: 'drift_check', metrics: { risk: 0.2 }, reasoning_chain: ['three sessions this week'], at: at() }],
    ...overrides
  }
}

export function conversation (turns = 1): ConversationMessage[] {
  const messages: ConversationMessage[] = []
  for (let i = 0; i < turns; i++) {
    const callId = `call_${hex(4)}`
    messages.push(
      { role: 'user', content: `question ${i}` },
      { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: 'getWorkoutHistory', arguments: '{"days_back":7}' } }] },
      { role: 'tool', tool_call_id: callId, content: '{"workouts":[]}' },
      { role: 'assistant', content: `answer ${i}` }
    )
  }
  return messages
}

export function plan (overrides: Partial<Plan> = {}): Plan {
  return {
    sessions_per_week: 4,
    weekdays: ['mon', 'wed', 'fri', 'sat'],
    window_start: '06:00',
    window_end: '07:30',
    min_minutes: 20,
    max_sessions_per_day: 1,
    start_date: '2026-03-02',
    end_date: null,
    created_at: at(),
    ...overrides
  }
}

export function pause (overrides: Partial<Pause> = {}): Pause {
  return {
    pause_id: `p_${hex(8)}`,
    start_date: '2026-03-10',
    end_date: '2026-03-12',
    reason: 'travel',
    created_at: at(),
    ...overrides
  }
}

/** What plans.ts asks: does `pause` share a day with a stored one? */
export const overlapping = (candidate: Pause) => (existing: readonly Pause[]): Pause | undefined =>
  existing.find(p => p.start_date <= candidate.end_date && candidate.start_date <= p.end_date)

export function calendar (overrides: Partial<StoredCalendar> = {}): StoredCalendar {
  return {
    source: 'ics',
    imported_at: at(),
    events: 2,
    occurrences: [
      { summary: 'Stand-up', start: at(60), end: at(75), all_day: false, busy: true },
      { summary: 'Holiday', start: '2026-03-05T23:00:00.000Z', end: '2026-03-06T23:00:00.000Z', all_day: true, busy: false }
    ],
    expanded_from: at(-60 * 24 * 90),
    expanded_until: at(60 * 24 * 365),
    truncated: false,
    ...overrides
  }
}

export const subscribedCalendar = (url = `https://calendar.example.com/${hex(8)}.ics`): StoredCalendar =>
  calendar({ source: 'url', subscription: { url, refreshed_at: at() } })

/** A calendar feed token's digest: sha-256 hex of a random token (feed-token.ts). */
export const tokenDigest = (): string => createHash('sha256').update(hex(16)).digest('hex')

export function channels (overrides: Partial<StoredChannels> = {}): StoredChannels {
  return {
    webhook: { url: 'https://hooks.example.com/ra', secret: hex(16) },
    email: {
      address: 'me@example.com', status: 'pending', code_digest: hex(32), code_expires_at: at(15),
      code_attempts: 0, codes_sent: 1, last_code_at: at(), confirmed_at: null
    },
    phone: null,
    quiet_hours: { start: '22:00', end: '07:00' },
    daily_cap: 3,
    ...overrides
  }
}

export function buddy (overrides: Partial<StoredBuddy> = {}): StoredBuddy {
  return {
    name: 'Sam',
    email: 'sam@example.com',
    webhook: null,
    status: 'pending',
    invitation_id: randomUUID(),
    invited_at: at(),
    confirmed_at: null,
    ...overrides
  }
}

export function nudge (overrides: Partial<Nudge> = {}): Nudge {
  return {
    nudge_id: randomUUID(),
    channel: 'in_app',
    recipient: 'you',
    message: 'Your session starts in an hour.',
    urgency: 'medium',
    status: 'delivered',
    attempts: 0,
    scheduled_for: null,
    delivered_at: at(),
    last_error: null,
    read_at: null,
    dedupe_key: null,
    intervention_id: null,
    source: 'you',
    created_at: at(),
    ...overrides
  }
}

/** An external (webhook) nudge waiting for delivery, as nudges.ts makes one. */
export const queuedNudge = (overrides: Partial<Nudge> = {}): Nudge =>
  nudge({ channel: 'webhook', status: 'queued', scheduled_for: at(), delivered_at: null, ...overrides })

export function outboxEntry (owner: string, dueMinutes: number, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return { nudge_id: randomUUID(), user_id: owner, due_at: at(dueMinutes), enqueued_at: at(-1), ...overrides }
}

export function intervention (overrides: Partial<StoredIntervention> = {}): StoredIntervention {
  return {
    intervention_id: randomUUID(),
    type: 'message',
    status: 'deployed',
    message: 'A quick session today keeps the streak.',
    details: { channels: ['in_app'] },
    trigger: { source: 'coach', agent_run_id: `t_${hex(8)}` },
    risk: { risk_score: 0.62, risk_level: 'medium', signals: ['consecutive_misses'] },
    nudge_ids: [randomUUID()],
    created_at: at(),
    deployed_at: at(),
    decided_at: null,
    failure: null,
    feedback: null,
    ...overrides
  }
}

/** A new commitment and its `created` audit entry, made by the domain's pure core. */
export function commitmentStep (startDate = '2026-03-09'): Step {
  return createCommitment({
    stake_amount: 5000,
    currency: 'EUR',
    start_date: startDate,
    weeks: 4,
    milestones: 2,
    recipient_on_failure: 'charity',
    bonus_percentage: 10,
    plan: { sessions_per_week: 3, min_minutes: 20, max_sessions_per_day: 1 },
    timezone: 'Europe/Berlin'
  }, { commitment_id: `c_${randomUUID()}`, nowMs: T0 })
}

/** What commitments.ts asks: is one still open (one at a time)? */
export const openOne = (existing: readonly CommitmentRecord[]): CommitmentRecord | undefined =>
  existing.find(c => c.status === 'scheduled' || c.status === 'active')

export function auditEntry (overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { at: at(), event: 'terms_changed', details: { field: 'min_minutes', from: 20, to: 25 }, evidence: [], ...overrides }
}

export function autopilotRun (overrides: Partial<AutopilotRun> = {}): AutopilotRun {
  return {
    run_id: `r_${randomUUID()}`,
    checkpoint: 'before_session',
    checkpoint_id: `before_session:2026-03-04`,
    session_date: '2026-03-04',
    scheduled_for: at(),
    ran_at: at(1),
    risk: { risk_level: 'medium', risk_score: 0.5, signals: ['time_of_day_drift'] },
    decision: 'acted',
    why: 'medium risk before a planned session',
    intervention_id: randomUUID(),
    ...overrides
  }
}

/** A before_session checkpoint due `dueMinutes` after T0, as checkpoints.ts makes one. */
export function checkpoint (dueMinutes: number, overrides: Partial<Checkpoint> = {}): QueuedCheckpoint {
  const date = at(dueMinutes).slice(0, 10)
  return {
    checkpoint_id: `before_session:${date}:${dueMinutes}`,
    kind: 'before_session',
    due_at: at(dueMinutes),
    useful_until: at(dueMinutes + 60),
    session_date: date,
    window_start: at(dueMinutes + 60),
    window_end: at(dueMinutes + 150),
    ...overrides
  }
}

export const recheck = (dueMinutes: number): QueuedCheckpoint =>
  ({ checkpoint_id: `recheck:${atMs(dueMinutes)}`, kind: 'recheck', due_at: at(dueMinutes) })

/** An error a `change` throws to refuse. */
export class Refused extends Error {
  constructor () {
    super('refused by the change')
    this.name = 'Refused'
  }
}
