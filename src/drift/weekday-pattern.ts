// The planned weekday that keeps being missed ("4 of the last 5 Mondays"). Only settled verdicts
// count: a Monday made up on Tuesday is not missed (that is the plan_mismatch story), and this
// week's open days are not judged yet. The weekday must stand out from the other planned days —
// someone who stopped altogether misses every weekday, which is a different signal. Always
// medium: one session lost every week is a steady shortfall, yet the fix (another slot) is simple.
import { startOfWeek } from '../shared/local-time.js'
import { WEEKDAYS, type Signal, type Weekday } from './drift-types.js'
import type { Ledger } from './ledger.js'
import { isJudged, plannedDays } from './session-status.js'

const LAST_N = 5
const MIN_MISSED = 3
/** how much worse than the other planned days, as a share of sessions */
const MIN_EXCESS = 0.4

const NAMES: Record<Weekday, string> = { mon: 'Mondays', tue: 'Tuesdays', wed: 'Wednesdays', thu: 'Thursdays', fri: 'Fridays', sat: 'Saturdays', sun: 'Sundays' }

export function weekdayPatternSignal (ledger: Ledger): Signal | null {
  const plan = ledger.day(ledger.today)!.plan
  if (!plan) return null
  const judged = plannedDays(ledger, ledger.days[0].date, ledger.today).filter(p => isJudged(p.status))
  let worst: { weekday: Weekday, missed: number, planned: number, others: number, excess: number } | null = null
  // In week order, so a tie names the earlier weekday whatever order the plan lists them in.
  for (const weekday of WEEKDAYS.filter(d => plan.weekdays.includes(d))) {
    const recent = judged.filter(p => p.day.weekday === weekday).slice(-LAST_N)
    const missed = recent.filter(p => p.status === 'missed').length
    if (missed < MIN_MISSED) continue
    // The other planned days of the same weeks, so every weekday is compared over like periods.
    const weeks = new Set(recent.map(p => startOfWeek(p.day.date)))
    const others = judged.filter(p => p.day.weekday !== weekday && weeks.has(startOfWeek(p.day.date)))
    const othersRate = others.length === 0 ? 0 : others.filter(p => p.status === 'missed').length / others.length
    const excess = missed / recent.length - othersRate
    if (excess >= MIN_EXCESS && (!worst || excess > worst.excess)) {
      worst = { weekday, missed, planned: recent.length, others: othersRate, excess }
    }
  }
  if (!worst) return null
  return {
    type: 'weekday_pattern',
    severity: 'medium',
    message: `Missed ${worst.missed} of the last ${worst.planned} ${NAMES[worst.weekday]}, ` +
      `against ${Math.round(100 * worst.others)}% of the other planned days — maybe that day needs a different slot.`,
    evidence: { weekday: worst.weekday, missed: worst.missed, planned: worst.planned, other_days_missed_pct: Math.round(100 * worst.others) }
  }
}
