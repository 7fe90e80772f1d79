// Was a milestone met? One judgement, from the workouts as they stand, as of one instant. Pure: the
// caller passes the instant (`judgedAtMs`) — for a due milestone, the moment it fell due
// (judgementDueMs), whenever the service gets round to it, so downtime neither helps nor hurts.
//
// The rules, and the decisions taken where it is silent:
// - Due at the end of the target date in the commitment's frozen zone — the instant the next local
//   day begins (Temporal: DST-safe, and right for zones that skip midnight) — plus a grace window
//   for late logging (24 h by default).
// - A workout counts when all hold:
//   · its local_date (the user's local day it was performed, as stored with it) is inside the
//     milestone's own period, start_date…target_date — an earlier or later period's workouts are
//     theirs, not this one's;
//   · duration_minutes ≥ the milestone's min_minutes;
//   · it was not deleted at the judgement (deleted_at unset, or after judgedAtMs);
//   · it was logged (created_at) at or before the judgement …
//   · … and at most graceMs after it was performed (created_at − performed_at ≤ graceMs): a week of
//     workouts backfilled at the deadline was logged days after it was performed and counts for
//     nothing; one logged a little ahead of its performed_at (clock skew) is not late.
// - At most maxSessionsPerDay count per local day. Tie-break (decision): within a day, the earliest
//   performed_at first, then the smaller workout_id — so the same data always gives the same
//   evidence, in whatever order it comes.
// - `met` when completed_sessions ≥ required_sessions, else `missed`. Evidence is the ids counted,
//   by local date, then performed_at, then id; `not_counted` says why each other workout of the
//   period did not count, for the audit trail and for support.
import { parseLocalDate, startOfLocalDay } from '../calendar/wall-clock.js'

/** The default grace window for late logging. */
export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000

export interface JudgedWorkout {
  workout_id: string
  /** YYYY-MM-DD, the user's local day the workout was performed */
  local_date: string
  duration_minutes: number
  /** RFC 3339 */
  performed_at: string
  /** RFC 3339: when it was logged */
  created_at: string
  /** RFC 3339 when deleted (soft delete) */
  deleted_at?: string | null
}

export interface MilestoneTerms {
  start_date: string
  target_date: string
  required_sessions: number
  min_minutes: number
}

export interface JudgeMilestoneInput {
  milestone: MilestoneTerms
  workouts: readonly JudgedWorkout[]
  maxSessionsPerDay: number
  graceMs: number
  /** the instant of the judgement (epoch ms) */
  judgedAtMs: number
}

export type NotCountedReason = 'deleted' | 'too_short' | 'unreadable' | 'logged_after_judgement' | 'logged_late' | 'over_daily_cap'

export interface MilestoneJudgement {
  status: 'met' | 'missed'
  completed_sessions: number
  /** ids of the workouts counted */
  evidence: string[]
  /** the period's other workouts and why each did not count (same order as evidence) */
  not_counted: { workout_id: string, reason: NotCountedReason }[]
}

/** When a milestone ending on `target_date` is judged: the start of the next local day in
 * `timeZone`, plus `graceMs` (epoch ms). */
export function judgementDueMs (target_date: string, timeZone: string, graceMs: number): number {
  const target = parseLocalDate(target_date)
  if (!target) throw new RangeError(`target_date must be a YYYY-MM-DD date (got ${JSON.stringify(target_date)})`)
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) throw new RangeError(`graceMs must be a non-negative integer (got ${graceMs})`)
  return startOfLocalDay(target.add({ days: 1 }), timeZone) + graceMs
}

interface Candidate {
  workout: JudgedWorkout
  performedMs: number
}

const byDayThenTime = (a: Candidate, b: Candidate) =>
  a.workout.local_date < b.workout.local_date ? -1 : a.workout.local_date > b.workout.local_date ? 1
    : a.performedMs - b.performedMs || (a.workout.workout_id < b.workout.workout_id ? -1 : a.workout.workout_id > b.workout.workout_id ? 1 : 0)

export function judgeMilestone (input: JudgeMilestoneInput): MilestoneJudgement {
  const { milestone, maxSessionsPerDay, graceMs, judgedAtMs } = input
  if (!Number.isInteger(maxSessionsPerDay) || maxSessionsPerDay < 1) throw new RangeError(`maxSessionsPerDay must be a positive integer (got ${maxSessionsPerDay})`)

  const inPeriod: Candidate[] = input.workouts
    .filter(w => w.local_date >= milestone.start_date && w.local_date <= milestone.target_date)
    .map(workout => ({ workout, performedMs: Date.parse(workout.performed_at) }))
    // Unreadable instants sort last within their day; they never count.
    .map(c => Number.isNaN(c.performedMs) ? { ...c, performedMs: Number.MAX_SAFE_INTEGER } : c)
    .sort(byDayThenTime)

  const reasonOf = ({ workout, performedMs }: Candidate): NotCountedReason | null => {
    if (workout.deleted_at != null) {
      const deletedMs = Date.parse(workout.deleted_at)
      if (Number.isNaN(deletedMs) || deletedMs <= judgedAtMs) return 'deleted'
    }
    if (!(workout.duration_minutes >= milestone.min_minutes)) return 'too_short'
    const createdMs = Date.parse(workout.created_at)
    if (Number.isNaN(createdMs) || performedMs === Number.MAX_SAFE_INTEGER) return 'unreadable'
    if (createdMs > judgedAtMs) return 'logged_after_judgement'
    if (createdMs - performedMs > graceMs) return 'logged_late'
    return null
  }

  const evidence: string[] = []
  const notCounted: MilestoneJudgement['not_counted'] = []
  const perDay = new Map<string, number>()
  for (const candidate of inPeriod) {
    const id = candidate.workout.workout_id
    let reason = reasonOf(candidate)
    if (reason === null && (perDay.get(candidate.workout.local_date) ?? 0) >= maxSessionsPerDay) reason = 'over_daily_cap'
    if (reason !== null) {
      notCounted.push({ workout_id: id, reason })
      continue
    }
    perDay.set(candidate.workout.local_date, (perDay.get(candidate.workout.local_date) ?? 0) + 1)
    evidence.push(id)
  }
  return {
    status: evidence.length >= milestone.required_sessions ? 'met' : 'missed',
    completed_sessions: evidence.length,
    evidence,
    not_counted: notCounted
  }
}
