// Which plan applies on a date. Plans are versioned rather than edited so that a change never
// rewrites the past: last month is judged by last month's plan.
import { DEFAULT_PLAN_FIELDS } from '../plans/plan-schemas.js'
import type { PlanVersion } from './drift-types.js'

/** The plan of anyone who has not made one (four 20-minute morning sessions a week). */
export const DEFAULT_PLAN: Readonly<Omit<PlanVersion, 'start_date' | 'created_at'>> = Object.freeze({ ...DEFAULT_PLAN_FIELDS, end_date: null })

export function defaultPlan (startDate: string): PlanVersion {
  return { ...DEFAULT_PLAN, weekdays: [...DEFAULT_PLAN.weekdays], start_date: startDate, created_at: `${startDate}T00:00:00.000Z` }
}

const instant = (iso: string) => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? 0 : ms
}

/**
 * The versions in the order they take effect: by start date, then by creation (an instant, compared
 * as a time because offsets make ISO strings unsortable). No versions at all means the default plan
 * from `defaultStart`.
 */
export function planTimeline (plans: readonly PlanVersion[], defaultStart: string): PlanVersion[] {
  if (plans.length === 0) return [defaultPlan(defaultStart)]
  return [...plans].sort((a, b) => a.start_date.localeCompare(b.start_date) || instant(a.created_at) - instant(b.created_at))
}

/**
 * The version applying on `date`: the latest start_date on or before it (ties: the latest created);
 * null before the first version or after that version's end_date (nothing is planned then).
 */
export function planOn (timeline: readonly PlanVersion[], date: string): PlanVersion | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const plan = timeline[i]
    if (plan.start_date <= date) return plan.end_date !== null && date > plan.end_date ? null : plan
  }
  return null
}

/** A window whose end comes before its start runs past midnight (22:00–01:00). */
export function crossesMidnight (plan: PlanVersion): boolean {
  return plan.window_end < plan.window_start
}
