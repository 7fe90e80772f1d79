// Sessions moving away from the planned window: the 06:00 runner who now trains at 21:00 is still
// training, but a session with no fixed slot is the first to go. Measured on workouts that carry a
// local time: how far each started outside its day's window (0 inside it), the median of the last
// 14 days against the median of the 6 weeks before. Always low: an early warning and a hint to move
// the window, not drift — adherence is judged on the weekly target, and the sessions still happen.
import { addDays, minutesOfDay } from '../shared/local-time.js'
import type { PlanVersion, Signal } from './drift-types.js'
import type { Ledger } from './ledger.js'

const RECENT_DAYS = 14
const BASELINE_DAYS = 42
const MIN_WORKOUTS = 3
/** the recent median must be at least this far outside the window … */
const MIN_OUTSIDE = 60
/** … and this much further out than before */
const MIN_SHIFT = 45

/**
 * Minutes outside the window, signed: negative before it starts, positive after it ends, 0 inside.
 * A window within one day is compared on that day's clock (21:00 against 06:00–07:30 is 13½ hours
 * late, as a person would say it). A window crossing midnight (22:00–01:00) has no such day, so
 * the nearer side wins: 02:00 is an hour late, 20:00 two hours early.
 */
export function minutesOutsideWindow (time: string, plan: Pick<PlanVersion, 'window_start' | 'window_end'>): number {
  const t = minutesOfDay(time)
  const start = minutesOfDay(plan.window_start)
  const end = minutesOfDay(plan.window_end)
  if (start <= end) return t < start ? t - start : t > end ? t - end : 0
  if (t >= start || t <= end) return 0
  const late = t - end
  const early = start - t
  return late <= early ? late : -early
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function timeOfDayDriftSignal (ledger: Ledger): Signal | null {
  const end = ledger.judgedThrough
  const recentFrom = addDays(end, -(RECENT_DAYS - 1))
  const baselineFrom = addDays(recentFrom, -BASELINE_DAYS)
  const recent: number[] = []
  const baseline: number[] = []
  for (const day of ledger.days) {
    if (!day.counted || day.date < baselineFrom || day.date > end) continue
    for (const w of day.workouts) {
      if (!w.local_time) continue
      ;(day.date >= recentFrom ? recent : baseline).push(minutesOutsideWindow(w.local_time, day.plan!))
    }
  }
  if (recent.length < MIN_WORKOUTS || baseline.length < MIN_WORKOUTS) return null
  const now = median(recent.map(Math.abs))
  const before = median(baseline.map(Math.abs))
  const shift = now - before
  if (now < MIN_OUTSIDE || shift < MIN_SHIFT) return null
  const direction = median(recent) >= 0 ? 'later' : 'earlier'
  const hours = (m: number) => m < 60 ? `${Math.round(m)} minutes` : `${Math.round(m / 6) / 10} hours`
  return {
    type: 'time_of_day_drift',
    severity: 'low',
    message: `Sessions have drifted ${direction} than the planned window: typically ${hours(now)} outside it over the last ${RECENT_DAYS} days, ` +
      `against ${before === 0 ? 'inside it' : hours(before) + ' outside'} before.`,
    evidence: {
      recent_median_minutes_outside: Math.round(now),
      earlier_median_minutes_outside: Math.round(before),
      recent_sessions: recent.length,
      earlier_sessions: baseline.length,
      direction
    }
  }
}
