// An intervention: something done (or proposed) to keep a session from being lost, with what
// triggered it, the risk at that moment, and — measured from the workouts — whether it helped.
import { Type, type Static, type TSchema } from 'typebox'
import { Instant, Nullable, ref } from '../shared/http-schemas.js'
import { Channel } from '../nudges/channel-schemas.js'

export const INTERVENTION_TYPES = ['calendar', 'message', 'financial', 'social'] as const
export const InterventionType = Type.Enum([...INTERVENTION_TYPES])

export const CalendarDetails = Type.Object({
  start: Type.Optional(Type.String({ ...Instant, description: 'when the block starts; default: the next free slot from your calendar analysis' })),
  minutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 360, description: 'default: the plan\'s min_minutes' }))
}, { additionalProperties: false })
export const MessageDetails = Type.Object({
  channels: Type.Optional(Type.Array(Channel, { minItems: 1, maxItems: 4, uniqueItems: true, description: 'default: every usable channel' })),
  urgency: Type.Optional(Type.Enum(['low', 'medium', 'high']))
}, { additionalProperties: false })
const NoDetails = Type.Object({}, { additionalProperties: false })

const bodyOf = <T extends string, D extends TSchema>(type: T, details: D, id: string) => Type.Object({
  type: Type.Literal(type),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'what to say; a default fitting the type otherwise' })),
  details: Type.Optional(details)
}, { $id: id, additionalProperties: false })
export const CalendarInterventionBody = bodyOf('calendar', CalendarDetails, 'CalendarInterventionBody')
export const MessageInterventionBody = bodyOf('message', MessageDetails, 'MessageInterventionBody')
export const FinancialInterventionBody = bodyOf('financial', NoDetails, 'FinancialInterventionBody')
export const SocialInterventionBody = bodyOf('social', NoDetails, 'SocialInterventionBody')
const branches = [CalendarInterventionBody, MessageInterventionBody, FinancialInterventionBody, SocialInterventionBody]

/** One schema per type, chosen by `type` (an OpenAPI discriminator: errors name the field of that type's schema). */
export const InterventionBody = Type.Unsafe<Static<typeof branches[number]>>({
  $id: 'InterventionBody',
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: branches.map(b => ({ $ref: (b as { $id?: string }).$id })),
  // The values `type` may take, for error messages (the branches are $refs).
  'x-discriminator-values': [...INTERVENTION_TYPES],
  description: 'details has a schema per type'
})
export type InterventionBody = Static<typeof InterventionBody>

export const InterventionStatus = Type.Enum(['proposed', 'deployed', 'dismissed', 'failed'], {
  description: 'proposed: waits for your consent (POST /api/interventions/{id}/confirm); deployed: done; dismissed: you declined; failed: could not be done'
})
export const Outcome = Type.Enum(['pending', 'success', 'failed', 'superseded'], {
  description: 'success: a qualifying workout followed within the window; failed: the window passed without one; superseded: a later intervention got the credit'
})
export type Outcome = Static<typeof Outcome>

export const RiskSnapshot = Type.Object({
  risk_score: Type.Number(),
  risk_level: Type.Enum(['low', 'medium', 'high']),
  signals: Type.Array(Type.String(), { description: 'the drift signals present' })
})

export const Intervention = Type.Object({
  intervention_id: Type.String(),
  type: InterventionType,
  status: InterventionStatus,
  message: Type.String(),
  details: Type.Object({
    start: Type.Optional(Type.String({ format: 'date-time' })),
    end: Type.Optional(Type.String({ format: 'date-time' })),
    channels: Type.Optional(Type.Array(Channel))
  }, { description: 'calendar: the block; message: the channels used' }),
  trigger: Type.Object({
    source: Type.Enum(['you', 'coach', 'autopilot']),
    agent_run_id: Type.Optional(Type.String())
  }),
  risk: Nullable(RiskSnapshot),
  nudge_ids: Type.Array(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  deployed_at: Nullable(Type.String({ format: 'date-time' })),
  decided_at: Nullable(Type.String({ format: 'date-time', description: 'when you confirmed or dismissed it' })),
  failure: Nullable(Type.String()),
  outcome: Outcome,
  outcome_at: Nullable(Type.String({ format: 'date-time' })),
  outcome_workout_id: Nullable(Type.String()),
  window_end: Nullable(Type.String({ format: 'date-time', description: 'the outcome is decided by then' })),
  feedback: Nullable(Type.Object({ helpful: Type.Boolean(), at: Type.String({ format: 'date-time' }) }))
}, { $id: 'Intervention' })
export type Intervention = Static<typeof Intervention>
/** As stored: the outcome fields are measured when read, from the workouts. */
export type StoredIntervention = Omit<Intervention, 'outcome' | 'outcome_at' | 'outcome_workout_id' | 'window_end'>

export const InterventionReply = Type.Object({ intervention: ref(Intervention) }, { $id: 'InterventionReply' })
export const InterventionListReply = Type.Object({ interventions: Type.Array(ref(Intervention), { description: 'newest first' }) }, { $id: 'InterventionListReply' })
export const InterventionParams = Type.Object({ intervention_id: Type.String({ minLength: 1, maxLength: 64 }) })
export const FeedbackBody = Type.Object({ helpful: Type.Boolean() }, { $id: 'FeedbackBody', additionalProperties: false })

const Stats = Type.Object({
  trials: Type.Integer({ description: 'decided outcomes (successes + failures)' }),
  successes: Type.Integer(),
  failures: Type.Integer(),
  pending: Type.Integer(),
  rate: Type.Number({ description: 'the posterior mean alpha / (alpha + beta)' }),
  alpha: Type.Number({ description: '1 + successes (a Beta(1,1) prior)' }),
  beta: Type.Number({ description: '1 + failures' })
})
export const Effectiveness = Type.Object({
  by_type: Type.Record(Type.String(), Stats, { description: 'every intervention type' }),
  by_channel: Type.Record(Type.String(), Stats, { description: 'the channels message interventions used' })
}, { $id: 'Effectiveness' })
