// The drift engine's report as the API shows it (GET /api/patterns, the detectPatterns tool).
import { Type } from 'typebox'
import { Nullable, queryWithDefaults, ref } from '../shared/http-schemas.js'

const Level = Type.Enum(['low', 'medium', 'high'])

export const DriftSignal = Type.Object({
  type: Type.Enum(['consecutive_misses', 'completion_rate', 'frequency_trend', 'duration_trend', 'weekday_pattern',
    'time_of_day_drift', 'habit_strength', 'safety_buffer', 'plan_mismatch']),
  severity: Level,
  message: Type.String({ description: 'in plain language' }),
  evidence: Type.Record(Type.String(), Nullable(Type.Union([Type.Number(), Type.String()])), { description: 'the numbers behind the message' })
}, { $id: 'DriftSignal' })

export const SafetyBuffer = Type.Object({
  needed: Type.Integer({ description: 'qualifying sessions still needed this week' }),
  by: Type.String({ format: 'date', description: "the week's last day (Sunday)" }),
  fails_on: Nullable(Type.String({ format: 'date', description: 'the last date from which the needed sessions can still all fit; null when the week is met' }))
}, { $id: 'SafetyBuffer' })

export const DriftReport = Type.Object({
  drift_detected: Type.Boolean({ description: 'risk_level is not low' }),
  risk_score: Type.Integer({ minimum: 0, maximum: 100 }),
  risk_level: Level,
  confidence: Type.Number({ minimum: 0, maximum: 1, description: 'grows with the amount of history judged' }),
  signals: Type.Array(ref(DriftSignal)),
  habit_strength: Type.Integer({ minimum: 0, maximum: 100, description: 'Loop Habit Tracker score, 0–100' }),
  safety_buffer: ref(SafetyBuffer),
  recommended_intervention: Type.Object({
    type: Type.Enum(['calendar', 'message', 'financial', 'social', 'none']),
    why: Type.String()
  }),
  reasoning: Type.String({ description: 'a short paragraph citing the numbers' })
}, { $id: 'DriftReport' })

export const WeeksQuery = queryWithDefaults({
  weeks: Type.Integer({ minimum: 1, maximum: 52, default: 12, description: 'how many weeks, ending with the current one' })
})

export const WeeklySummary = Type.Object({
  weeks: Type.Array(Type.Object({
    monday: Type.String({ format: 'date' }),
    sunday: Type.String({ format: 'date' }),
    target: Type.Integer({ minimum: 0, description: 'sessions the plan asks of the week (lower for a pause or a plan starting mid-week)' }),
    sessions: Type.Integer({ minimum: 0, description: 'qualifying sessions: at least min_minutes, at most max_sessions_per_day a day' }),
    complete: Type.Boolean({ description: 'the week is over' }),
    habit_strength: Nullable(Type.Integer({ minimum: 0, maximum: 100, description: "habit strength after the week's last scored day; null before anything was scored" }))
  }), { description: 'oldest first; the last one is the current week' })
}, { $id: 'WeeklySummary' })
