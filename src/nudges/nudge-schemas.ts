// A nudge: one message to the person (or their buddy) through one channel, with its delivery state.
import { Type, type Static } from 'typebox'
import { Nullable, ref } from '../shared/http-schemas.js'
import { Channel } from './channel-schemas.js'

export const Urgency = Type.Enum(['low', 'medium', 'high'], { description: 'high bypasses quiet hours (not the daily cap)' })
export type Urgency = Static<typeof Urgency>

export const NudgeStatus = Type.Enum(['queued', 'scheduled', 'retrying', 'delivered', 'failed'], {
  description: 'queued: being delivered; scheduled: waits for its send_at or for quiet hours to end; retrying: the channel failed, another attempt is due; delivered; failed: gave up or refused'
})
export type NudgeStatus = Static<typeof NudgeStatus>

export const NudgeBody = Type.Object({
  message: Type.String({ minLength: 1, maxLength: 500 }),
  channel: Channel,
  urgency: Type.Optional(Urgency),
  dedupe_key: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the same key within 24 h returns the nudge already sent (200) instead of sending again' })),
  send_at: Type.Optional(Type.String({ format: 'date-time', description: 'a reminder for later: when to send it (RFC 3339 with Z or an offset; from now to 30 days ahead). Until then it is `scheduled`; quiet hours and the daily cap apply at that time' }))
}, { $id: 'NudgeBody', additionalProperties: false })
export type NudgeBody = Static<typeof NudgeBody>

export const Nudge = Type.Object({
  nudge_id: Type.String(),
  channel: Channel,
  recipient: Type.Enum(['you', 'buddy']),
  message: Type.String(),
  urgency: Urgency,
  status: NudgeStatus,
  attempts: Type.Integer({ description: 'delivery attempts made so far' }),
  scheduled_for: Nullable(Type.String({ format: 'date-time', description: 'when the next (or first) attempt is due' })),
  delivered_at: Nullable(Type.String({ format: 'date-time' })),
  last_error: Nullable(Type.String({ description: 'why the last attempt failed' })),
  read_at: Nullable(Type.String({ format: 'date-time' })),
  dedupe_key: Nullable(Type.String()),
  intervention_id: Nullable(Type.String()),
  source: Type.Enum(['you', 'coach', 'autopilot', 'test'], { description: 'who sent it: you (POST /api/nudges), the coach, the autopilot, or a channel test' }),
  created_at: Type.String({ format: 'date-time' })
}, { $id: 'Nudge' })
export type Nudge = Static<typeof Nudge>
export type NudgeSource = Nudge['source']

export const NudgeReply = Type.Object({ nudge: ref(Nudge) }, { $id: 'NudgeReply' })
export const NudgeListReply = Type.Object({ nudges: Type.Array(ref(Nudge), { description: 'newest first' }) }, { $id: 'NudgeListReply' })

export const NudgeQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'true: only unread ones' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 })
})

export const NudgeParams = Type.Object({ nudge_id: Type.String({ minLength: 1, maxLength: 64 }) })
export const MarkNudgeBody = Type.Object({ read: Type.Boolean({ description: 'true marks it read, false unread' }) }, { $id: 'MarkNudgeBody', additionalProperties: false })

/** A due delivery attempt in the outbox: which nudge, whose, and when. */
export interface OutboxEntry {
  nudge_id: string
  user_id: string
  due_at: string
  /** when it entered the outbox: a nudge not yet in its user's data is waited for a while, then dropped */
  enqueued_at: string
}
