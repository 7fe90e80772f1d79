// Which kind of intervention the autopilot uses. It follows the drift report's recommendation (the
// upper-confidence choice over measured outcomes, drift/choose-intervention.ts) — except that the
// autopilot does not keep pulling a lever that has just failed three times running: that bandit
// learns slowly from a handful of outcomes, and a person ignoring the same nudge thrice is a signal
// now. Then it moves to the next type in the recommendation order (DEFAULT_ORDER, wrapping round),
// among the allowed types and skipping every type among those three failures, and says so.
// `financial` is only ever chosen when the person allows it; the runner also checks that a
// commitment exists before a financial nudge.
import { DEFAULT_ORDER } from '../drift/choose-intervention.js'
import type { InterventionPreferences, InterventionType } from '../drift/drift-types.js'

/** How many consecutive failed autopilot interventions make it switch. */
export const FAILURES_BEFORE_SWITCH = 3

export interface RecentAutopilotIntervention {
  type: InterventionType
  /** the intervention's measured outcome: 'pending' | 'success' | 'failed' | 'superseded' */
  outcome: string
}

export interface AutopilotTypeInput {
  recommended: InterventionType | 'none'
  allowed: InterventionPreferences
  /** the autopilot's own interventions, newest first */
  recentAutopilot: readonly RecentAutopilotIntervention[]
}

export interface AutopilotType {
  type: InterventionType | 'none'
  note?: string
}

export function autopilotInterventionType ({ recommended, allowed, recentAutopilot }: AutopilotTypeInput): AutopilotType {
  const allowedTypes = DEFAULT_ORDER.filter(type => allowed[type])
  if (recommended === 'none' || allowedTypes.length === 0) return { type: 'none' }
  // A recommendation the preferences no longer allow (they changed since the report): the gentlest allowed.
  const base = allowed[recommended] ? recommended : allowedTypes[0]
  const notes: string[] = base === recommended ? [] : [`${recommended} is not allowed, so ${base}`]
  const note = () => notes.length > 0 ? { note: notes.join('; ') } : {}

  const lastFew = recentAutopilot.slice(0, FAILURES_BEFORE_SWITCH)
  const failing = new Set(lastFew.map(i => i.type))
  if (lastFew.length < FAILURES_BEFORE_SWITCH || !lastFew.every(i => i.outcome === 'failed') || !failing.has(base)) {
    return { type: base, ...note() }
  }
  const from = DEFAULT_ORDER.indexOf(base)
  const next = [1, 2, 3].map(step => DEFAULT_ORDER[(from + step) % DEFAULT_ORDER.length])
    .find(type => allowed[type] && !failing.has(type))
  const failed = `the last ${FAILURES_BEFORE_SWITCH} autopilot interventions (${lastFew.map(i => i.type).join(', ')}) all failed`
  if (!next) {
    notes.push(`${failed}, but no other allowed type is left to try: still ${base}`)
    return { type: base, ...note() }
  }
  notes.push(`${failed}: switching from ${base} to ${next}`)
  return { type: next, ...note() }
}
