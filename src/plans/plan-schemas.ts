// The training plan (what "on track" means for this person), pauses (days that count neither as
// done nor as missed) and the kinds of intervention they accept. Entity types are Static<> of these.
import { Type, type Static } from 'typebox'
import { LocalDate, LocalTime, Nullable, ref } from '../shared/http-schemas.js'
import { MAX_WORKOUT_MINUTES } from '../workouts/workout-schemas.js'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export const Weekday = Type.Enum([...WEEKDAYS])
export type Weekday = Static<typeof Weekday>

const sessionsPerWeek = Type.Integer({ minimum: 1, maximum: 14, description: 'sessions a week (1–14)' })
const weekdays = Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true, description: 'the days sessions are planned on, distinct' })
const minMinutes = Type.Integer({ minimum: 1, maximum: MAX_WORKOUT_MINUTES, description: 'a workout this long or longer counts as a session' })
const maxPerDay = Type.Integer({ minimum: 1, maximum: 3, description: 'most sessions one day can count for (1–3)' })

/** PUT /api/me/plan: every field but start_date has a default; start_date defaults to today. */
export const PlanBody = Type.Object({
  sessions_per_week: Type.Optional(sessionsPerWeek),
  weekdays: Type.Optional(weekdays),
  window_start: Type.Optional(LocalTime),
  window_end: Type.Optional(Type.String({ ...LocalTime, description: 'a time of day, HH:MM; earlier than window_start means the window crosses midnight (the session belongs to the date it starts)' })),
  min_minutes: Type.Optional(minMinutes),
  max_sessions_per_day: Type.Optional(maxPerDay),
  start_date: Type.Optional(Type.String({ ...LocalDate, description: 'a local date (YYYY-MM-DD) from which the plan applies; may be in the past; default today' })),
  end_date: Type.Optional(Nullable(LocalDate))
}, { $id: 'PlanBody', additionalProperties: false })
export type PlanBody = Static<typeof PlanBody>

/** One version of the plan: it applies from start_date until the next version starts (or end_date). */
export const Plan = Type.Object({
  sessions_per_week: sessionsPerWeek,
  weekdays,
  window_start: LocalTime,
  window_end: LocalTime,
  min_minutes: minMinutes,
  max_sessions_per_day: maxPerDay,
  start_date: LocalDate,
  end_date: Nullable(LocalDate),
  created_at: Type.String({ format: 'date-time' })
}, { $id: 'Plan' })
export type Plan = Static<typeof Plan>

export const PlanReply = Type.Object({
  plan: ref(Plan),
  source: Type.Enum(['stored', 'default'], { description: 'default: no plan stored yet; these are the defaults, from the day the account was created' })
}, { $id: 'PlanReply' })

export const PlanHistoryReply = Type.Object({ plans: Type.Array(ref(Plan), { description: 'every stored version, by start_date' }) }, { $id: 'PlanHistoryReply' })

export const PauseBody = Type.Object({
  start_date: LocalDate,
  end_date: Type.String({ ...LocalDate, description: 'a local date (YYYY-MM-DD), inclusive; at most 60 days after start_date' }),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'required when the pause starts today or earlier, so history stays honest' }))
}, { $id: 'PauseBody', additionalProperties: false })
export type PauseBody = Static<typeof PauseBody>

export const Pause = Type.Object({
  pause_id: Type.String(),
  start_date: LocalDate,
  end_date: LocalDate,
  reason: Type.Optional(Type.String()),
  created_at: Type.String({ format: 'date-time' })
}, { $id: 'Pause' })
export type Pause = Static<typeof Pause>

export const PauseParams = Type.Object({ pause_id: Type.String({ minLength: 1, maxLength: 64 }) })

export const InterventionKinds = Type.Object({
  calendar: Type.Boolean({ description: 'book sessions into your calendar' }),
  message: Type.Boolean({ description: 'nudges through your channels' }),
  financial: Type.Boolean({ description: 'reminders of what you staked' }),
  social: Type.Boolean({ description: 'involve your accountability buddy' })
})

export const Preferences = Type.Object({ interventions: InterventionKinds }, { $id: 'Preferences' })
export type Preferences = Static<typeof Preferences>

export const PreferencesBody = Type.Object({
  interventions: Type.Partial(InterventionKinds, { additionalProperties: false, minProperties: 1 })
}, { $id: 'PreferencesBody', additionalProperties: false })
export type PreferencesBody = Static<typeof PreferencesBody>

/** Nobody is nudged about money or has a friend told until they opt in. */
export const DEFAULT_PREFERENCES: Preferences = { interventions: { calendar: true, message: true, financial: false, social: false } }

/** The plan anyone has until they set one (the prototype's "4× a week"). */
export const DEFAULT_PLAN_FIELDS = {
  sessions_per_week: 4,
  weekdays: ['mon', 'wed', 'fri', 'sat'] as Weekday[],
  window_start: '06:00',
  window_end: '07:30',
  min_minutes: 20,
  max_sessions_per_day: 1
}
