// Commitment stakes over HTTP: the body that makes one, the terms that may change, and the
// commitment as shown (the stored record plus its progress and what is at risk).
import { Type, type Static } from 'typebox'
import { LocalDate, Nullable, ref } from '../shared/http-schemas.js'

const Money = (description: string) => Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: `${description}, in integer minor units (cents for EUR, yen for JPY): bookkeeping, not a payment` })

export const CommitmentBody = Type.Object({
  stake_amount: Money('what you put at stake'),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'an ISO 4217 code, e.g. EUR' }),
  start_date: Type.Optional(Type.String({ ...LocalDate, description: 'your local date, today or later; default today' })),
  weeks: Type.Integer({ minimum: 1, maximum: 52 }),
  milestones: Type.Integer({ minimum: 1, maximum: 52, description: 'how many checkpoints (1 to weeks); milestone i ends on start_date + round(i × weeks × 7 / milestones) − 1' }),
  recipient_on_failure: Type.Enum(['charity', 'anti_charity', 'buddy']),
  bonus_percentage: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'bonus on completion, percent of the stake (floor); default 0' }))
}, { $id: 'CommitmentBody', additionalProperties: false })
export type CommitmentBody = Static<typeof CommitmentBody>

export const CommitmentTermsChange = Type.Object({
  stake_amount: Type.Optional(Money('the new stake')),
  required_sessions: Type.Optional(Type.Integer({ minimum: 0, maximum: 400, description: 'sessions each remaining milestone requires' })),
  min_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'minutes a workout needs to count' })),
  end_date: Type.Optional(Type.String({ ...LocalDate, description: 'the last milestone\'s deadline; at most 52 weeks after the commitment\'s start' }))
}, {
  $id: 'CommitmentTermsChange',
  additionalProperties: false,
  minProperties: 1,
  description: 'Harder (more stake, sessions or minutes, an earlier end) is always allowed; easier is refused with 409 within 7 days of the next deadline.'
})
export type CommitmentTermsChange = Static<typeof CommitmentTermsChange>

export const Milestone = Type.Object({
  index: Type.Integer(),
  start_date: LocalDate,
  target_date: LocalDate,
  required_sessions: Type.Integer(),
  min_minutes: Type.Integer(),
  completed_sessions: Nullable(Type.Integer({ description: 'as judged; null until then' })),
  status: Type.Enum(['pending', 'met', 'missed', 'cancelled']),
  judged_at: Nullable(Type.String({ format: 'date-time' })),
  evidence: Type.Array(Type.String(), { description: 'the workouts counted' })
}, { $id: 'Milestone' })

export const Commitment = Type.Object({
  commitment_id: Type.String(),
  status: Type.Enum(['scheduled', 'active', 'completed', 'forfeited', 'cancelled']),
  stake_amount: Type.Integer(),
  currency: Type.String(),
  stake_display: Type.String({ description: 'the stake written as money, e.g. €50.00' }),
  start_date: LocalDate,
  end_date: LocalDate,
  weeks: Type.Integer(),
  recipient_on_failure: Type.Enum(['charity', 'anti_charity', 'buddy']),
  bonus_percentage: Type.Integer(),
  terms: Type.Object({
    sessions_per_week: Type.Integer(),
    min_minutes: Type.Integer(),
    max_sessions_per_day: Type.Integer(),
    timezone: Type.String(),
    grace_hours: Type.Number({ description: 'a workout counts if logged within this long of when it was done, and before the judgement' })
  }, { description: 'frozen when it was made: plan or time zone changes do not touch them' }),
  milestones: Type.Array(ref(Milestone)),
  progress: Nullable(Type.Object({
    milestone: Type.Integer(),
    completed_sessions: Type.Integer({ description: 'qualifying so far (judged for real at the deadline)' }),
    required_sessions: Type.Integer(),
    needed: Type.Integer(),
    target_date: LocalDate,
    days_left: Type.Integer({ description: 'days from today to the deadline, inclusive of today' })
  }, { description: 'the next milestone, as it stands now' })),
  amount_at_risk: Type.Integer({ description: 'the stake while the commitment is open, else 0' }),
  bonus_amount: Nullable(Type.Integer()),
  forfeited_amount: Nullable(Type.Integer()),
  created_at: Type.String({ format: 'date-time' }),
  started_at: Nullable(Type.String({ format: 'date-time' })),
  ended_at: Nullable(Type.String({ format: 'date-time' }))
}, { $id: 'Commitment' })
export type Commitment = Static<typeof Commitment>

export const CommitmentReply = Type.Object({ commitment: ref(Commitment) }, { $id: 'CommitmentReply' })
export const CommitmentListReply = Type.Object({ commitments: Type.Array(ref(Commitment), { description: 'newest first' }) }, { $id: 'CommitmentListReply' })
export const CommitmentAuditReply = Type.Object({
  audit: Type.Array(Type.Object({
    at: Type.String({ format: 'date-time' }),
    event: Type.Enum(['created', 'started', 'milestone_met', 'milestone_missed', 'forfeited', 'completed', 'terms_changed', 'cancelled']),
    details: Type.Record(Type.String(), Type.Unknown()),
    evidence: Type.Array(Type.String())
  }), { description: 'oldest first; append-only' })
}, { $id: 'CommitmentAuditReply' })
export const CommitmentParams = Type.Object({ commitment_id: Type.String({ minLength: 1, maxLength: 64 }) })
