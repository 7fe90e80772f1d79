// Pure summaries of a person's workouts over a window of local dates. No I/O, no clock: callers
// pass "today" in the user's zone, so the same inputs always give the same numbers.
import type { CommitmentAnalysis, WorkoutRecord, WorkoutStats } from './workout-schemas.js'

/** Workouts a week until the drift engine gives each user a plan of their own. */
export const DEFAULT_WEEKLY_TARGET = 4

const round1 = (n: number) => Math.round(n * 10) / 10

/** Live (not deleted) workouts whose local date lies in [from, ∞), newest first. */
export function workoutsSince (workouts: readonly WorkoutRecord[], from: string): WorkoutRecord[] {
  return workouts
    .filter(w => !w.deleted_at && w.local_date >= from)
    .sort((a, b) => b.performed_at.localeCompare(a.performed_at) || b.created_at.localeCompare(a.created_at))
}

export function computeStats (workouts: readonly WorkoutRecord[], daysBack: number, weeklyTarget = DEFAULT_WEEKLY_TARGET): WorkoutStats {
  const total = workouts.length
  const minutes = workouts.reduce((sum, w) => sum + w.duration_minutes, 0)
  const weeks = daysBack / 7
  const breakdown: Record<string, number> = {}
  for (const w of workouts) breakdown[w.exercise_type] = (breakdown[w.exercise_type] ?? 0) + 1
  return {
    total_workouts: total,
    total_minutes: minutes,
    average_duration: total === 0 ? 0 : round1(minutes / total),
    completion_rate: Math.min(100, Math.round(100 * total / (weeklyTarget * weeks))),
    workouts_per_week: round1(total / weeks),
    exercise_breakdown: breakdown
  }
}

/**
 * On track means at least three quarters of the planned sessions happened; below half is high
 * risk. The message says where the person stands in sessions, not just a percentage.
 */
export function analyseCommitment (stats: WorkoutStats, daysBack: number, weeklyTarget = DEFAULT_WEEKLY_TARGET): CommitmentAnalysis {
  // Whole sessions read better than "17.1 planned"; the rate itself uses the exact figure.
  const planned = Math.max(1, Math.round(weeklyTarget * daysBack / 7))
  const done = stats.total_workouts
  const period = daysBack === 1 ? 'today' : `in the last ${daysBack} days`
  const rate = stats.completion_rate
  if (rate >= 75) {
    return {
      on_track: true,
      risk_level: 'low',
      message: `${done} of ${planned} planned workouts ${period} (${rate}%). On track — keep the rhythm.`
    }
  }
  const behind = Math.max(1, planned - done)
  if (rate >= 50) {
    return {
      on_track: false,
      risk_level: 'medium',
      message: `${done} of ${planned} planned workouts ${period} (${rate}%), ${behind} behind. One more session this week gets you back on track.`
    }
  }
  return {
    on_track: false,
    risk_level: 'high',
    message: done === 0
      ? `No workouts logged ${period} against ${planned} planned. Start with one short session today.`
      : `${done} of ${planned} planned workouts ${period} (${rate}%), ${behind} behind. Book your next session today — a short one counts.`
  }
}
