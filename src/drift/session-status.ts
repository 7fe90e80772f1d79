// The verdict on each planned session. Adherence is judged against the weekly target, not the exact
// weekdays: a planned day without a workout is only *skipped* until its week is settled — made up
// if the week reached its target anyway, missed if it ended short (or can no longer get there).
import type { EngineInput, PlannedSession, SessionStatus } from './drift-types.js'
import { buildLedger, weekSlack, type Ledger, type LedgerDay } from './ledger.js'

/** The status of a planned day (see SessionStatus for what each one means). */
export function statusOf (ledger: Ledger, day: LedgerDay): SessionStatus {
  if (day.paused) return 'paused'
  if (day.sessions > 0) return 'done'
  if (day.date >= ledger.today) return 'upcoming'
  const week = ledger.week(day.date)!
  if (week.sessions >= week.target) return 'made_up'
  if (week.complete || weekSlack(week, ledger.today) < 0) return 'missed'
  return 'skipped'
}

/** Statuses that are a settled verdict on a session: the rest (paused, skipped, upcoming) are not. */
export function isJudged (status: SessionStatus): boolean {
  return status === 'done' || status === 'made_up' || status === 'missed'
}

/** Every planned day of the ledger in [from, to], oldest first, with its status. */
export function plannedDays (ledger: Ledger, from: string, to: string): Array<{ day: LedgerDay, status: SessionStatus }> {
  return ledger.days
    .filter(day => day.planned && day.date >= from && day.date <= to)
    .map(day => ({ day, status: statusOf(ledger, day) }))
}

/**
 * Each planned session from `from` to `to` (local dates, inclusive; the future is `upcoming`), with
 * the window it was planned in. For the calendar: one entry per planned day.
 */
export function sessionStatuses (input: EngineInput, from: string, to: string): PlannedSession[] {
  const ledger = buildLedger(input, to)
  return plannedDays(ledger, from, to).map(({ day, status }) => ({
    date: day.date,
    start: day.plan!.window_start,
    end: day.plan!.window_end,
    status
  }))
}
