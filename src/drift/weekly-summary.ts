// The last N Monday–Sunday weeks as the drift engine counts them — target, qualifying sessions
// and the habit strength at each week's end — for the web app's "this week" and its 12-week
// chart. Read off the same ledger and habit series as the drift report, so the numbers agree.
import { addDays, startOfWeek } from '../shared/local-time.js'
import type { EngineInput } from './drift-types.js'
import { habitSeries } from './habit-strength.js'
import { buildLedger } from './ledger.js'

export interface WeekSummary {
  monday: string
  sunday: string
  /** sessions the plan asks of the week (lower for a pause or a plan starting mid-week); 0 outside any plan */
  target: number
  /** qualifying sessions (≥ min_minutes, at most max_sessions_per_day a day) */
  sessions: number
  /** the week is over: its count is final */
  complete: boolean
  /** 0–100 after the week's last scored day; null before anything was scored */
  habit_strength: number | null
}

/** The `weeks` weeks ending with the current one, oldest first. */
export function weeklySummary (input: EngineInput, weeks: number): WeekSummary[] {
  const ledger = buildLedger(input)
  const series = habitSeries(ledger)
  const current = startOfWeek(ledger.today)
  const summary: WeekSummary[] = []
  let next = 0
  let score: number | null = null
  for (let i = weeks - 1; i >= 0; i--) {
    const monday = addDays(current, -7 * i)
    const sunday = addDays(monday, 6)
    while (next < series.length && series[next].date <= sunday) score = series[next++].score
    const week = ledger.week(monday)
    summary.push({
      monday,
      sunday,
      target: week?.target ?? 0,
      sessions: week?.sessions ?? 0,
      complete: sunday < ledger.today,
      habit_strength: score === null ? null : Math.round(100 * score)
    })
  }
  return summary
}
