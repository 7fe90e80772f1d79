// When a commitment's milestones fall due. Pure calendar arithmetic on local dates (YYYY-MM-DD in
// the commitment's frozen zone); the only instant involved is a pause's created_at.
//
// The formula: milestone i (1-based) of `milestones` over `weeks` ends on
//   start_date + round(i × weeks × 7 / milestones) − 1
// and starts the day after the previous one ends (the first on start_date), so the periods tile the
// commitment without gap or overlap and the last ends on start_date + weeks × 7 − 1. Its
//   required_sessions = round(sessions_per_week × days / 7).
// Rounding is half up, in integers (no float on the way): i × weeks × 7 / milestones can be an exact
// half (5 weeks in 2: day 17.5 → 18). sessions_per_week × days / 7 never is (7 would have to divide
// an odd number twice over), so the second rounding has no ties.
//
// Pauses (decision). A pause counts only when it was created at least PAUSE_NOTICE_DAYS local days
// before it starts: created_at ≤ the instant local midnight begins on start_date − 7 days in the
// commitment's zone (calendar days, not 7 × 24 h, so a DST change in the week does not shift the
// cut-off by an hour). Like the 7-day lock on easier terms, a pause decided in the heat of the
// moment does not rescue a deadline. A qualifying pause stops the milestone clock on its days:
// each milestone still holds its `days` unpaused days, and every paused day on or before a
// milestone's (moved) deadline pushes that deadline — and, since periods stay contiguous, every
// later one — by a day. So a deadline is never a paused day, and a paused day right after a
// deadline belongs to the next milestone. Paused days stay inside the period that holds them: they
// ask nothing (required_sessions is still computed from the unpaused `days`), but a workout on one
// counts — training anyway is training. Pauses may overlap (a day is paused once); paused days
// before the schedule's first start change nothing.
import { parseLocalDate, startOfLocalDay } from '../calendar/wall-clock.js'
import { addDays, daysBetween, parseInstant } from '../shared/local-time.js'

/** How long before its start a pause must be made to move deadlines (local calendar days). */
export const PAUSE_NOTICE_DAYS = 7

export interface ScheduleInput {
  /** YYYY-MM-DD, the user's local date the commitment starts */
  start_date: string
  /** 1–52 */
  weeks: number
  /** 1–weeks */
  milestones: number
  /** the plan's, frozen at creation; a positive integer */
  sessions_per_week: number
}

export interface ScheduledMilestone {
  /** 1-based */
  index: number
  /** first local date of the milestone's period */
  start_date: string
  /** last local date of the period: the deadline day */
  target_date: string
  /** unpaused days in the period (the period is days + paused_days long) */
  days: number
  required_sessions: number
  /** qualifying paused days inside the period; 0 before applyPauses */
  paused_days: number
}

/** A pause as the plans feature stores it (extra fields are ignored). */
export interface PauseSpan {
  /** inclusive local dates */
  start_date: string
  end_date: string
  /** RFC 3339 instant */
  created_at: string
}

/** round(numerator / denominator), halves up, for non-negative integers — exact. */
export function roundHalfUp (numerator: number, denominator: number): number {
  const twice = 2 * numerator + denominator
  const divisor = 2 * denominator
  return (twice - (twice % divisor)) / divisor
}

function requireInteger (value: number, min: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer from ${min} to ${max} (got ${value})`)
}

function requireDate (value: string, name: string): void {
  if (!parseLocalDate(value)) throw new RangeError(`${name} must be a YYYY-MM-DD date (got ${JSON.stringify(value)})`)
}

/** The milestones of a new commitment, before any pause. */
export function milestoneSchedule (input: ScheduleInput): ScheduledMilestone[] {
  requireDate(input.start_date, 'start_date')
  requireInteger(input.weeks, 1, 52, 'weeks')
  requireInteger(input.milestones, 1, input.weeks, 'milestones')
  requireInteger(input.sessions_per_week, 1, 7 * 24, 'sessions_per_week')
  const schedule: ScheduledMilestone[] = []
  let start = input.start_date
  for (let i = 1; i <= input.milestones; i++) {
    const endOffset = roundHalfUp(i * input.weeks * 7, input.milestones) - 1
    const target = addDays(input.start_date, endOffset)
    const days = daysBetween(start, target) + 1
    schedule.push({ index: i, start_date: start, target_date: target, days, required_sessions: roundHalfUp(input.sessions_per_week * days, 7), paused_days: 0 })
    start = addDays(target, 1)
  }
  return schedule
}

/** Whether a pause moves deadlines: made at least PAUSE_NOTICE_DAYS before it starts, in `timeZone`.
 * A pause whose dates or created_at do not parse does not qualify. */
export function pauseQualifies (pause: PauseSpan, timeZone: string): boolean {
  const created = parseInstant(pause.created_at)
  const start = parseLocalDate(pause.start_date)
  if (!created || !start || !parseLocalDate(pause.end_date) || pause.end_date < pause.start_date) return false
  return created.getTime() <= startOfLocalDay(start.subtract({ days: PAUSE_NOTICE_DAYS }), timeZone)
}

/** What applyPauses reads of a milestone: its unpaused length. Anything else is carried over. */
export interface ScheduleSlot {
  start_date: string
  target_date: string
  days: number
  paused_days: number
}

/**
 * The schedule laid out again from its first start_date around the qualifying pauses (see the
 * header): each slot keeps its `days` unpaused days and its other fields; start_date, target_date
 * and paused_days are recomputed. Laying out a schedule again with the same pauses changes nothing,
 * so it can be applied to stored milestones (pass the ones not yet judged, the first starting the
 * day after the last judged deadline).
 */
export function applyPauses<M extends ScheduleSlot> (schedule: readonly M[], pauses: readonly PauseSpan[], timeZone: string): M[] {
  if (schedule.length === 0) return []
  const anchor = schedule[0].start_date
  const paused = qualifyingPausedDays(pauses, timeZone, anchor, '9999-12-31')
  const result: M[] = []
  let day = anchor
  for (const slot of schedule) {
    requireInteger(slot.days, 1, Number.MAX_SAFE_INTEGER, 'days')
    const start = day
    let active = 0
    let pausedDays = 0
    for (;;) {
      if (paused.has(day)) pausedDays++
      else if (++active === slot.days) break
      day = addDays(day, 1)
    }
    result.push({ ...slot, start_date: start, target_date: day, paused_days: pausedDays })
    day = addDays(day, 1)
  }
  return result
}

function qualifyingPausedDays (pauses: readonly PauseSpan[], timeZone: string, from: string, to: string): Set<string> {
  const paused = new Set<string>()
  for (const pause of pauses) {
    if (pause.end_date < from || pause.start_date > to || !pauseQualifies(pause, timeZone)) continue
    const last = pause.end_date < to ? pause.end_date : to
    for (let day = pause.start_date < from ? from : pause.start_date; day <= last; day = addDays(day, 1)) paused.add(day)
  }
  return paused
}

/** Whether a qualifying pause holds `date`. */
export function isPausedDay (date: string, pauses: readonly PauseSpan[], timeZone: string): boolean {
  return qualifyingPausedDays(pauses, timeZone, date, date).size > 0
}

/** Days from `from` to `to` (inclusive) that no qualifying pause holds; 0 when `to` comes first. */
export function unpausedDaysBetween (from: string, to: string, pauses: readonly PauseSpan[], timeZone: string): number {
  if (to < from) return 0
  return daysBetween(from, to) + 1 - qualifyingPausedDays(pauses, timeZone, from, to).size
}
