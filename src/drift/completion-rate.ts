// Completion over the last N local days, against the weekly target spread evenly over the week
// (sessions_per_week / 7 a day) — the target is per week, not per weekday, so no single day owes
// a session. Paused days and days outside any plan count neither way.
import { addDays } from '../shared/local-time.js'
import type { CompletionRate, EngineInput, Signal } from './drift-types.js'
import { buildLedger, type Ledger } from './ledger.js'

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * The window ends on the last settled day (today once it has a session, else yesterday), so a
 * morning before the workout never shows as a shortfall. With N a multiple of 7 the window holds
 * each weekday N/7 times: someone doing every planned session is at 100% whichever day it is.
 */
export function completionRateOf (ledger: Ledger, days: number): CompletionRate {
  const to = ledger.judgedThrough
  const from = addDays(to, -(days - 1))
  let sessions = 0
  let perWeek = 0
  let counted = 0
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day = ledger.day(date)
    if (!day?.counted) continue
    counted++
    sessions += day.sessions
    perWeek += day.plan!.sessions_per_week
  }
  const target = perWeek / 7
  return {
    days,
    from,
    to,
    sessions,
    target: round1(target),
    rate: perWeek === 0 ? null : Math.min(100, Math.round(100 * sessions / target)),
    counted_days: counted
  }
}

/** Completion over the last `days` local days (for the history endpoint). */
export function completionRate (input: EngineInput, days: number): CompletionRate {
  return completionRateOf(buildLedger(input), days)
}

/** A rate judged on fewer than a week of counted days says more about the calendar than the person. */
const MIN_COUNTED_DAYS = 7

/**
 * The 7-, 14- and 28-day rates; the severity follows the 14-day one (two weeks: long enough that one
 * bad day is not a trend, short enough to be news): below 50% high, below 75% medium.
 */
export function completionRateSignal (ledger: Ledger): Signal | null {
  const [week, fortnight, month] = [7, 14, 28].map(n => completionRateOf(ledger, n))
  if (fortnight.rate === null) return null
  const judged = fortnight.counted_days >= MIN_COUNTED_DAYS
  const severity = !judged ? 'low' : fortnight.rate < 50 ? 'high' : fortnight.rate < 75 ? 'medium' : 'low'
  const pct = (r: CompletionRate) => r.rate === null ? 'n/a' : `${r.rate}%`
  return {
    type: 'completion_rate',
    severity,
    message: `${fortnight.sessions} session${fortnight.sessions === 1 ? '' : 's'} in the last 14 days against a target of ${fortnight.target} (${pct(fortnight)})` +
      `${fortnight.counted_days < 14 ? `, counting ${fortnight.counted_days} days in the plan and not paused` : ''}; ` +
      `last 7 days ${pct(week)}, last 28 days ${pct(month)}.`,
    evidence: {
      rate_7: week.rate,
      rate_14: fortnight.rate,
      rate_28: month.rate,
      sessions_14: fortnight.sessions,
      target_14: fortnight.target,
      counted_days_14: fortnight.counted_days
    }
  }
}
