// The autopilot's settings and the record of each run: what it looked at, what it decided, why.
import { Type, type Static } from 'typebox'
import { Nullable, ref } from '../shared/http-schemas.js'
import { Channel } from '../nudges/channel-schemas.js'
import type { Checkpoint } from './checkpoints.js'

const fields = {
  enabled: Type.Boolean(),
  lead_minutes: Type.Integer({ minimum: 1, maximum: 720, description: 'how long before a planned session it checks in' }),
  min_risk: Type.Enum(['medium', 'high'], { description: 'the drift risk from which a session counts as at risk' }),
  weekly_digest: Type.Boolean({ description: 'a summary on Sunday at 18:00, your time' }),
  channels: Type.Array(Channel, { minItems: 1, maxItems: 4, uniqueItems: true, description: 'where it may send; each must be set up and confirmed. in_app is the only default' })
}

export const AutopilotSettings = Type.Object(fields, { $id: 'AutopilotSettings' })
export type AutopilotSettings = Static<typeof AutopilotSettings>

export const AutopilotSettingsBody = Type.Object({
  enabled: Type.Optional(fields.enabled),
  lead_minutes: Type.Optional(fields.lead_minutes),
  min_risk: Type.Optional(fields.min_risk),
  weekly_digest: Type.Optional(fields.weekly_digest),
  channels: Type.Optional(fields.channels)
}, { $id: 'AutopilotSettingsBody', additionalProperties: false, minProperties: 1 })
export type AutopilotSettingsBody = Static<typeof AutopilotSettingsBody>

export const AutopilotReply = Type.Object({ autopilot: ref(AutopilotSettings) }, { $id: 'AutopilotReply' })

export const DEFAULT_AUTOPILOT: AutopilotSettings = { enabled: true, lead_minutes: 60, min_risk: 'medium', weekly_digest: true, channels: ['in_app'] }

export const CheckpointKind = Type.Enum(['before_session', 'end_of_day', 'commitment_deadline', 'weekly_digest'])

export const AutopilotRun = Type.Object({
  run_id: Type.String(),
  checkpoint: CheckpointKind,
  checkpoint_id: Type.String(),
  session_date: Type.Optional(Type.String({ format: 'date' })),
  scheduled_for: Type.String({ format: 'date-time' }),
  ran_at: Type.String({ format: 'date-time' }),
  risk: Nullable(Type.Object({ risk_level: Type.String(), risk_score: Type.Number(), signals: Type.Array(Type.String()) })),
  decision: Type.Enum(['acted', 'skipped']),
  skipped: Type.Optional(Type.Enum(['late', 'not_at_risk', 'already_nudged', 'nothing_to_do', 'refused'], { description: 'late: the service was down past the moment it was useful' })),
  why: Type.String(),
  intervention_id: Type.Optional(Type.String())
}, { $id: 'AutopilotRun' })
export type AutopilotRun = Static<typeof AutopilotRun>

export const AutopilotRunsReply = Type.Object({ runs: Type.Array(ref(AutopilotRun), { description: 'newest first' }) }, { $id: 'AutopilotRunsReply' })

/** The checkpoint queued for a person: their next one (one entry per person keeps a tick's cost
 * to what is due). `recheck` looks again when nothing falls in the horizon. */
export type QueuedCheckpoint = Checkpoint | { checkpoint_id: string, kind: 'recheck', due_at: string }
