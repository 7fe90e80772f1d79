// Keeping the target on other days than planned is keeping the resolution: never drift. But the
// plan says the wrong days, so reminders land on the wrong mornings — the coach may suggest moving
// the plan to the days the person really trains. Always low: it is advice, not risk.
import { WEEKDAYS, type Signal, type Weekday } from './drift-types.js'
import type { Ledger } from './ledger.js'

const WEEKS = 4
const MIN_WEEKS = 3

export interface PlanMismatch {
  weeks: number
  weeks_met: number
  sessions: number
  on_unplanned_days: number
  /** the weekdays they train most, as many as the plan has, in week order */
  suggested: Weekday[]
}

/**
 * Over the last 4 complete weeks with a target (at least 3): the target met in every week but one
 * at most, and more than half the sessions on unplanned days.
 */
export function planMismatchOf (ledger: Ledger): PlanMismatch | null {
  const plan = ledger.day(ledger.today)!.plan
  if (!plan) return null
  const weeks = ledger.weeks.filter(w => w.complete && w.target > 0).slice(-WEEKS)
  if (weeks.length < MIN_WEEKS) return null
  const met = weeks.filter(w => w.sessions >= w.target).length
  if (met < weeks.length - 1) return null
  const perWeekday = new Map<Weekday, number>(WEEKDAYS.map(d => [d, 0]))
  let sessions = 0
  let offPlan = 0
  for (const day of weeks.flatMap(w => w.days)) {
    sessions += day.sessions
    if (!day.planned) offPlan += day.sessions
    perWeekday.set(day.weekday, perWeekday.get(day.weekday)! + day.sessions)
  }
  if (offPlan * 2 <= sessions) return null
  // Ties go to the earlier weekday.
  const suggested = [...WEEKDAYS]
    .filter(d => perWeekday.get(d)! > 0)
    .sort((a, b) => perWeekday.get(b)! - perWeekday.get(a)! || WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b))
    .slice(0, plan.weekdays.length)
    .sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b))
  return { weeks: weeks.length, weeks_met: met, sessions, on_unplanned_days: offPlan, suggested }
}

export function planMismatchSignal (ledger: Ledger): Signal | null {
  const found = planMismatchOf(ledger)
  if (!found) return null
  const { suggested, ...numbers } = found
  return {
    type: 'plan_mismatch',
    severity: 'low',
    message: `Target met in ${found.weeks_met} of the last ${found.weeks} weeks, but ${found.on_unplanned_days} of ${found.sessions} sessions ` +
      `fell on unplanned days — moving the plan to ${suggested.join(', ')} would match how you really train.`,
    evidence: { ...numbers, suggested_weekdays: suggested.join(',') }
  }
}
