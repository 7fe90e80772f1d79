// Habit strength: Loop Habit Tracker's score, in its rolling variant for "N times a week" habits.
// Each day the score moves a little toward how well the last 7 days met the target:
//
//   done  = min(1, qualifying sessions in the last 7 days / sessions_per_week)
//   score = prev · m + done · (1 − m),   m = 0.5 ^ (√(sessions_per_week / 7) / 13),   starting at 0
//
// so one day weighs little and a habit builds (and fades) over weeks. For 4 sessions a week
// m ≈ 0.9605: half-life about 17 days. Paused days and days outside any plan are cut out of the
// timeline — they are not scored and the 7-day window reaches past them — so a holiday freezes the
// habit instead of eroding it. A day is scored once settled (today once it has a session).
//
// Calibration — the DEFAULT plan (4 a week, Mon/Wed/Fri/Sat), a perfect user from a Monday start
// (the first week climbs as the 7-day window fills): 64 after 4 weeks, 88 after 8, 96 after 12 —
// the bound 1 − m^days would say 68, 90, 97; the first week's ramp costs the difference. So a
// strong habit (80+) takes about six weeks of keeping the plan; someone doing 3 of 4 settles at 75.
import type { EngineInput, Signal } from './drift-types.js'
import { buildLedger, type Ledger } from './ledger.js'

export function habitMultiplier (sessionsPerWeek: number): number {
  return 0.5 ** (Math.sqrt(sessionsPerWeek / 7) / 13)
}

export interface HabitPoint {
  date: string
  /** 0–1 */
  score: number
}

/** The score after each scored (counted, settled) day, oldest first. */
export function habitSeries (ledger: Ledger): HabitPoint[] {
  const series: HabitPoint[] = []
  const window: number[] = []
  let inWindow = 0
  let score = 0
  for (const day of ledger.days) {
    if (day.date > ledger.judgedThrough) break
    if (!day.counted) continue
    window.push(day.sessions)
    inWindow += day.sessions
    if (window.length > 7) inWindow -= window.shift()!
    const perWeek = day.plan!.sessions_per_week
    const m = habitMultiplier(perWeek)
    score = score * m + Math.min(1, inWindow / perWeek) * (1 - m)
    series.push({ date: day.date, score })
  }
  return series
}

const toPoints = (score: number) => Math.round(100 * score)

/** Habit strength today, 0–100. */
export function habitStrengthOf (ledger: Ledger): number {
  const series = habitSeries(ledger)
  return series.length === 0 ? 0 : toPoints(series[series.length - 1].score)
}

export function habitStrength (input: EngineInput): number {
  return habitStrengthOf(buildLedger(input))
}

/** How far back the trend looks, in scored days (a pause does not age it). */
const LOOKBACK = 14

/**
 * A falling score is the signal, not a low one: a new habit is weak by construction and must not
 * read as drift. A fall of 5 points over the last 14 scored days is medium, 15 high. For a settled
 * habit (99 after 16 perfect weeks) stopping altogether is medium on the 5th day and high on the
 * 9th; slipping from 4 sessions a week to 3 is medium after 12 days (the 7-day window first has to
 * notice), and a steady 3 of 4 never falls at all.
 */
export function habitStrengthSignal (ledger: Ledger): Signal | null {
  const series = habitSeries(ledger)
  if (series.length === 0) return null
  const now = toPoints(series[series.length - 1].score)
  const before = series.length > LOOKBACK ? toPoints(series[series.length - 1 - LOOKBACK].score) : 0
  const change = now - before
  const severity = change <= -15 ? 'high' : change <= -5 ? 'medium' : 'low'
  const points = (n: number) => `${n} point${n === 1 ? '' : 's'}`
  const trend = change === 0 ? 'steady' : change > 0 ? `up ${points(change)}` : `down ${points(-change)}`
  return {
    type: 'habit_strength',
    severity,
    message: `Habit strength ${now} of 100, ${trend} over the last ${LOOKBACK} days.`,
    evidence: { score: now, score_14_days_ago: before, change }
  }
}
