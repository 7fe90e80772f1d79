// The drift engine's inputs and outputs. The engine is pure: the store and the routes gather an
// EngineInput (plan versions, live workouts with their local date and time already computed in the
// user's zone, pauses, today's local date and time) and get numbers back — no clock, no I/O.
import type { Pause, Plan, Preferences } from '../plans/plan-schemas.js'

// Plans, pauses and preferences are the plans feature's shapes (one definition, from its schemas).
export type { Weekday } from '../plans/plan-schemas.js'
export { WEEKDAYS } from '../plans/plan-schemas.js'

/** One version of a person's plan; the version applying to a date is the latest started by then. */
export type PlanVersion = Plan

/** Days off the plan (holiday, illness), inclusive local dates. */
export type { Pause }

/** A live workout (callers drop deleted ones), placed in the user's zone by the caller. */
export interface EngineWorkout {
  local_date: string
  /** HH:MM local; absent on old records */
  local_time?: string
  duration_minutes: number
}

export type InterventionType = 'calendar' | 'message' | 'financial' | 'social'

export interface InterventionOutcome {
  type: InterventionType
  helped: boolean
  at: string
}

export type InterventionPreferences = Preferences['interventions']

export interface EngineInput {
  /** may be empty: then the DEFAULT plan applies from defaultStart */
  plans: PlanVersion[]
  /** the account's creation, as a local date */
  defaultStart: string
  workouts: EngineWorkout[]
  pauses: Pause[]
  /** the user's local date now */
  today: string
  /** HH:MM now, local */
  nowLocalTime: string
  outcomes: InterventionOutcome[]
  preferences: InterventionPreferences
}

export type Severity = 'low' | 'medium' | 'high'
export type RiskLevel = Severity

export type SignalType =
  | 'consecutive_misses'
  | 'completion_rate'
  | 'frequency_trend'
  | 'duration_trend'
  | 'weekday_pattern'
  | 'time_of_day_drift'
  | 'habit_strength'
  | 'safety_buffer'
  | 'plan_mismatch'

export interface Signal {
  type: SignalType
  severity: Severity
  /** plain language, for the person */
  message: string
  /** the numbers behind the message (a weekday or a date where a number would not say it) */
  evidence: Record<string, number | string | null>
}

/**
 * What became of one planned session (a planned weekday of the plan applying that day):
 * - `done`      a qualifying workout that day;
 * - `made_up`   none that day, but its week reached its target on other days or with extra sessions;
 * - `missed`    none that day, and its week ended short of its target — or, this week, the days
 *               left can no longer reach it;
 * - `skipped`   none that day (a past day of the current week) while the week can still reach its
 *               target: not yet judged, it neither breaks nor extends a run of misses;
 * - `paused`    the day falls in a pause: nothing was expected;
 * - `upcoming`  today (nothing qualifying logged yet) or later.
 */
export type SessionStatus = 'done' | 'made_up' | 'missed' | 'skipped' | 'paused' | 'upcoming'

export interface PlannedSession {
  date: string
  /** HH:MM local, from the plan's window (end may be earlier than start: past midnight) */
  start: string
  end: string
  status: SessionStatus
}

/** Beeminder's safety buffer for the current week. */
export interface SafetyBuffer {
  /** qualifying sessions still needed this week */
  needed: number
  /** the week's last day (Sunday) */
  by: string
  /** the last date from which the needed sessions can still all fit (a past date once they no
   * longer can); null when the week is met — or could never hold them */
  fails_on: string | null
}

export interface CompletionRate {
  days: number
  /** the window of local dates: it ends today once today has a session, else yesterday */
  from: string
  to: string
  /** qualifying sessions in the window (paused days excluded) */
  sessions: number
  /** sessions the weekly target asks for in the window, pro rata per unpaused planned-for day (one decimal) */
  target: number
  /** percent of target, capped at 100; null when nothing was asked for (all paused or before the plan) */
  rate: number | null
  /** days of the window that were in the plan and not paused */
  counted_days: number
}

export interface RecommendedIntervention {
  /** 'none' when no intervention is needed or none is allowed */
  type: InterventionType | 'none'
  why: string
}

export interface DriftReport {
  drift_detected: boolean
  risk_score: number
  risk_level: RiskLevel
  confidence: number
  signals: Signal[]
  habit_strength: number
  safety_buffer: SafetyBuffer
  recommended_intervention: RecommendedIntervention
  reasoning: string
}

export interface Verdict {
  on_track: boolean
  risk_level: RiskLevel
}
