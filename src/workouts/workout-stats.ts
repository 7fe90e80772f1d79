// Pure summaries of a person's workouts over a window of local dates. No I/O, no clock: callers
// pass "today" in the user's zone, so the same inputs always give the same numbers.
import type { CompletionRate, Verdict } from '../drift/drift-types.js'
import type { CommitmentAnalysis, WorkoutRecord, WorkoutStats } from './workout-schemas.js'

const round1 = (n: number) => Math.round(n * 10) / 10

/** Live (not deleted) workouts whose local date lies in [from, ∞), newest first. */
export function workoutsSince (workouts: readonly WorkoutRecord[], from: string): WorkoutRecord[] {
  return workouts
    .filter(w => !w.deleted_at && w.local_date >= from)
    .sort((a, b) => b.performed_at.localeCompare(a.performed_at) || b.created_at.localeCompare(a.created_at))
}

/**
 * Totals over the window's workouts; the completion rate is the drift engine's (qualifying
 * sessions against the plan's target, at most `max_sessions_per_day` a day, paused days left out):
 * one definition of "done" everywhere. A window in which nothing was asked (all paused, or before
 * the plan) has nothing left undone: 100.
 */
export function computeStats (workouts: readonly WorkoutRecord[], daysBack: number, completion: CompletionRate): WorkoutStats {
  const total = workouts.length
  const minutes = workouts.reduce((sum, w) => sum + w.duration_minutes, 0)
  const weeks = daysBack / 7
  // No prototype: an exercise_type such as "constructor" or "toString" is a key like any other
  // (with {}, it read Object's own function and broke every later history and log answer).
  const breakdown: Record<string, number> = Object.create(null)
  for (const w of workouts) breakdown[w.exercise_type] = (breakdown[w.exercise_type] ?? 0) + 1
  return {
    total_workouts: total,
    total_minutes: minutes,
    average_duration: total === 0 ? 0 : round1(minutes / total),
    completion_rate: completion.rate ?? 100,
    workouts_per_week: round1(total / weeks),
    exercise_breakdown: breakdown
  }
}

/**
 * The verdict is the engine's current one (the same as GET /api/patterns, whatever the window);
 * the message says where the person stands in sessions over the requested window.
 */
export function describeCommitment (completion: CompletionRate, verdict: Verdict, daysBack: number): CommitmentAnalysis {
  const period = daysBack === 1 ? 'today' : `in the last ${daysBack} days`
  const planned = Math.round(completion.target)
  const done = completion.sessions
  const standing = completion.rate === null
    ? `Nothing was planned ${period} (paused, or before your plan started).`
    : `${done} of ${planned} planned session${planned === 1 ? '' : 's'} ${period} (${completion.rate}%).`
  const advice = verdict.on_track
    ? 'On track — keep the rhythm.'
    : verdict.risk_level === 'medium'
      ? 'Slipping: one more session this week gets you back on track.'
      : done === 0 ? 'Start with one short session today.' : 'Book your next session today — a short one counts.'
  return { on_track: verdict.on_track, risk_level: verdict.risk_level, message: `${standing} ${advice}` }
}
