// Trends over recent complete weeks: is the person training less often, or for less time? Each is
// a least-squares line through one value per week (x = the week's position on the calendar, so a
// paused week leaves a gap instead of squeezing the line), over the last 6 complete weeks, needing
// at least 4 of them to have a value. The fitted fall from the first week to the last must reach a
// minimum size of effect, so the ordinary wobble of a steady person never reads as a trend.
import type { Signal } from './drift-types.js'
import type { Ledger, LedgerWeek } from './ledger.js'

export interface Line {
  slope: number
  intercept: number
}

/** Ordinary least squares of y on x (at least two distinct x). */
export function leastSquares (points: ReadonlyArray<{ x: number, y: number }>): Line {
  const n = points.length
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  let sxy = 0
  let sxx = 0
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my)
    sxx += (p.x - mx) ** 2
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  return { slope, intercept: my - slope * mx }
}

export const TREND_WEEKS = 6
export const MIN_TREND_WEEKS = 4

/** The last TREND_WEEKS complete weeks, with their position on the calendar. */
function recentCompleteWeeks (ledger: Ledger): Array<{ x: number, week: LedgerWeek }> {
  const complete = ledger.weeks.map((week, x) => ({ x, week })).filter(({ week }) => week.complete)
  return complete.slice(-TREND_WEEKS)
}

interface Fit {
  points: Array<{ x: number, y: number }>
  first: number
  last: number
  slope: number
}

function fit (points: Array<{ x: number, y: number }>): Fit | null {
  if (points.length < MIN_TREND_WEEKS) return null
  const line = leastSquares(points)
  const at = (x: number) => line.intercept + line.slope * x
  return { points, first: at(points[0].x), last: at(points[points.length - 1].x), slope: line.slope }
}

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * Frequency: each week's sessions as a share of its target, capped at 1 (going from 5 a week back
 * to the 4 planned is not a decline). Fires when the fitted share falls by at least a quarter of
 * the target (one session of four) and the last complete week ended short — a dip that has already
 * recovered is behind the person. A fall of half the target or more is high.
 */
export function frequencyTrendSignal (ledger: Ledger): Signal | null {
  const weeks = recentCompleteWeeks(ledger).filter(({ week }) => week.target > 0)
  const line = fit(weeks.map(({ x, week }) => ({ x, y: Math.min(1, week.sessions / week.target) })))
  if (!line) return null
  const fall = line.first - line.last
  const lastWeek = weeks[weeks.length - 1].week
  if (fall < 0.25 || lastWeek.sessions >= lastWeek.target) return null
  const firstWeek = weeks[0].week
  return {
    type: 'frequency_trend',
    severity: fall >= 0.5 ? 'high' : 'medium',
    message: `Training less often: ${firstWeek.sessions} of ${firstWeek.target} sessions in the week of ${firstWeek.monday}, ` +
      `${lastWeek.sessions} of ${lastWeek.target} last week — a steady fall of about ${Math.round(100 * fall)}% of the target over ${weeks.length} weeks.`,
    evidence: {
      weeks: weeks.length,
      slope_pct_per_week: Math.round(100 * line.slope),
      fall_pct: Math.round(100 * fall),
      first_week_sessions: firstWeek.sessions,
      last_week_sessions: lastWeek.sessions,
      last_week_target: lastWeek.target
    }
  }
}

/**
 * Duration: the mean length of each week's workouts (all of them — shrinking below the minimum is
 * the point). Fires when the fitted mean falls by at least 5 minutes and 20% of where it started;
 * high once last week's sessions averaged below the plan's minimum (they no longer count).
 */
export function durationTrendSignal (ledger: Ledger): Signal | null {
  const weeks = recentCompleteWeeks(ledger)
    .map(({ x, week }) => ({ x, week, workouts: week.days.flatMap(d => d.counted ? d.workouts : []) }))
    .filter(({ workouts }) => workouts.length > 0)
  const mean = (ws: ReadonlyArray<{ duration_minutes: number }>) => ws.reduce((s, w) => s + w.duration_minutes, 0) / ws.length
  const line = fit(weeks.map(({ x, workouts }) => ({ x, y: mean(workouts) })))
  if (!line) return null
  const fall = line.first - line.last
  if (fall < 5 || fall < 0.2 * line.first) return null
  const last = weeks[weeks.length - 1]
  const lastMean = mean(last.workouts)
  const minMinutes = last.week.days.findLast(d => d.counted)!.plan!.min_minutes
  const below = lastMean < minMinutes
  return {
    type: 'duration_trend',
    severity: below ? 'high' : 'medium',
    message: `Sessions are getting shorter: about ${Math.round(line.first)} → ${Math.round(line.last)} minutes over ${weeks.length} weeks` +
      (below ? `, last week ${Math.round(lastMean)} on average — under the ${minMinutes}-minute minimum, so they stop counting.` : '.'),
    evidence: {
      weeks: weeks.length,
      slope_minutes_per_week: round1(line.slope),
      fitted_first_minutes: round1(line.first),
      fitted_last_minutes: round1(line.last),
      last_week_mean_minutes: round1(lastMean),
      min_minutes: minMinutes
    }
  }
}
