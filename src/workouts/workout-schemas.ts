import { Type, type Static } from 'typebox'
import { Instant, Nullable, queryWithDefaults, ref } from '../shared/http-schemas.js'

/** The longest workout anyone can log, in whole minutes (the API and the offline coach alike). */
export const MAX_WORKOUT_MINUTES = 600

export const FormQuality = Type.Enum(['excellent', 'good', 'fair', 'needs_improvement'])

const exerciseType = Type.String({ minLength: 1, maxLength: 64, description: 'what you did, e.g. running, yoga (1–64 characters)' })
const durationMinutes = Type.Integer({ minimum: 1, maximum: MAX_WORKOUT_MINUTES, description: `whole minutes, 1–${MAX_WORKOUT_MINUTES}` })
const count = Type.Integer({ minimum: 1, maximum: 1000 })
const notes = Type.String({ maxLength: 1000 })

export const LogWorkoutBody = Type.Object({
  exercise_type: exerciseType,
  duration_minutes: durationMinutes,
  reps: Type.Optional(count),
  sets: Type.Optional(count),
  form_quality: Type.Optional(FormQuality),
  notes: Type.Optional(notes),
  performed_at: Type.Optional(Instant),
  request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'makes the call idempotent: a retry with the same id and body returns the original response' }))
}, { $id: 'LogWorkoutBody', additionalProperties: false })

export const PatchWorkoutBody = Type.Object({
  exercise_type: Type.Optional(exerciseType),
  duration_minutes: Type.Optional(durationMinutes),
  reps: Type.Optional(Nullable(count)),
  sets: Type.Optional(Nullable(count)),
  form_quality: Type.Optional(FormQuality),
  notes: Type.Optional(Nullable(notes)),
  performed_at: Type.Optional(Instant)
}, { $id: 'PatchWorkoutBody', additionalProperties: false, minProperties: 1 })

export const Workout = Type.Object({
  workout_id: Type.String(),
  user_id: Type.String(),
  exercise_type: Type.String(),
  duration_minutes: Type.Integer(),
  reps: Type.Optional(Type.Integer()),
  sets: Type.Optional(Type.Integer()),
  form_quality: Type.Optional(FormQuality),
  notes: Type.Optional(Type.String()),
  performed_at: Type.String({ format: 'date-time' }),
  local_date: Type.String({ format: 'date', description: 'the day in your time zone when it was logged' }),
  local_time: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'the time of day (HH:MM) in your time zone then' }),
  timezone: Type.String(),
  request_id: Type.Optional(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' })
}, { $id: 'Workout' })

export const AuditEntry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  action: Type.Enum(['create', 'update', 'delete']),
  changes: Type.Optional(Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })))
}, { $id: 'AuditEntry' })

export const WorkoutWithAudit = Type.Intersect([ref(Workout), Type.Object({ audit: Type.Array(ref(AuditEntry)) })], { $id: 'WorkoutWithAudit' })

/** A workout as stored: deleted ones stay (with `deleted_at`) so their audit trail survives. */
export const WorkoutRecord = Type.Intersect([ref(Workout), Type.Object({
  deleted_at: Type.Optional(Type.String({ format: 'date-time' })),
  audit: Type.Array(ref(AuditEntry))
})], { $id: 'WorkoutRecord' })

export const WorkoutStats = Type.Object({
  total_workouts: Type.Integer(),
  total_minutes: Type.Integer(),
  average_duration: Type.Number({ description: 'minutes, one decimal' }),
  completion_rate: Type.Integer({ description: 'percent of the weekly target met in the window, capped at 100' }),
  workouts_per_week: Type.Number(),
  exercise_breakdown: Type.Record(Type.String(), Type.Integer())
}, { $id: 'WorkoutStats' })

export const CommitmentAnalysis = Type.Object({
  on_track: Type.Boolean(),
  risk_level: Type.Enum(['low', 'medium', 'high']),
  message: Type.String()
}, { $id: 'CommitmentAnalysis' })

export const LogWorkoutResponse = Type.Object({
  success: Type.Literal(true),
  workout: ref(Workout),
  stats: ref(WorkoutStats)
}, { $id: 'LogWorkoutResponse' })

/** The history window (the coach's getWorkoutHistory tool takes it too, as a required argument). */
export const HISTORY_DEFAULT_DAYS = 7
export const DaysBack = Type.Integer({ minimum: 1, maximum: 365, default: HISTORY_DEFAULT_DAYS, description: 'the last N local dates including today' })

export const HistoryQuery = queryWithDefaults({ days_back: DaysBack })

export const HistoryResponse = Type.Object({
  success: Type.Literal(true),
  workouts: Type.Array(ref(Workout)),
  stats: ref(WorkoutStats),
  commitment_analysis: ref(CommitmentAnalysis)
}, { $id: 'HistoryResponse' })

export const WorkoutParams = Type.Object({
  workout_id: Type.String({ minLength: 1, maxLength: 64 })
})

export type FormQuality = Static<typeof FormQuality>
export type AuditEntry = Static<typeof AuditEntry>
export type PublicWorkout = Static<typeof Workout>
export type WorkoutRecord = Static<typeof WorkoutRecord>
export type WorkoutStats = Static<typeof WorkoutStats>
export type CommitmentAnalysis = Static<typeof CommitmentAnalysis>
export type LogWorkoutResponse = Static<typeof LogWorkoutResponse>
export type HistoryResponse = Static<typeof HistoryResponse>
