// Which intervention to try: a deterministic upper-confidence bound over the person's own measured
// outcomes (did it help?), among the types their preferences allow. No randomness, so the same
// history always gives the same answer and it can be explained.
//
// Each type's chance of helping is a Beta belief: a prior worth two outcomes, centred on the
// default order (gentlest first: calendar 0.6, message 0.55, social 0.5, financial 0.4), updated by
// the outcomes measured — α = 2·prior + helped, β = 2·(1 − prior) + not helped. The score is its
// mean plus one standard deviation (a one-sigma upper bound):
//
//   score = α/(α+β) + √(αβ / ((α+β)² (α+β+1)))
//
// With no history the priors alone decide (0.88, 0.84, 0.79, 0.68): calendar, message, social,
// financial. Unlike UCB1's ln N bonus, an untried type's bound does not grow with time, so a lever
// that keeps helping keeps being chosen, and financial stakes are never picked merely for being
// enabled — only once the gentler allowed types have been measured to fail (their bounds sink
// under 0.68), or when financial is the only type allowed.
import type { InterventionOutcome, InterventionPreferences, InterventionType, RecommendedIntervention } from './drift-types.js'

export const DEFAULT_ORDER: readonly InterventionType[] = ['calendar', 'message', 'social', 'financial']

const PRIOR: Record<InterventionType, number> = { calendar: 0.6, message: 0.55, social: 0.5, financial: 0.4 }
/** how many outcomes the prior is worth */
const PRIOR_WEIGHT = 2

/** The one-sigma upper bound of a Beta(α, β) belief. */
export function upperBound (alpha: number, beta: number): number {
  const total = alpha + beta
  return alpha / total + Math.sqrt(alpha * beta / (total * total * (total + 1)))
}

const DESCRIPTION: Record<InterventionType, string> = {
  calendar: 'Block the next session in your calendar',
  message: 'A reminder message before the session',
  social: 'Tell a friend or training partner',
  financial: 'Put a stake on the next session'
}

export interface InterventionScore {
  type: InterventionType
  tried: number
  helped: number
  score: number
}

export function interventionScores (outcomes: readonly InterventionOutcome[], preferences: InterventionPreferences): InterventionScore[] {
  const allowed = DEFAULT_ORDER.filter(t => preferences[t])
  return allowed.map(type => {
    const mine = outcomes.filter(o => o.type === type)
    const helped = mine.filter(o => o.helped).length
    const score = upperBound(PRIOR_WEIGHT * PRIOR[type] + helped, PRIOR_WEIGHT * (1 - PRIOR[type]) + mine.length - helped)
    return { type, tried: mine.length, helped, score }
  })
}

export function chooseIntervention (outcomes: readonly InterventionOutcome[], preferences: InterventionPreferences): RecommendedIntervention {
  const scores = interventionScores(outcomes, preferences)
  if (scores.length === 0) return { type: 'none', why: 'No intervention type is allowed in your preferences.' }
  // Highest score; ties go to the earlier type in the default order (the list is in that order).
  const best = scores.reduce((a, b) => b.score > a.score + 1e-12 ? b : a)
  const measured = scores.reduce((sum, s) => sum + s.tried, 0)
  if (measured === 0) {
    return {
      type: best.type,
      why: `${DESCRIPTION[best.type]}. No outcomes measured yet, so the gentlest allowed type comes first ` +
        `(${DEFAULT_ORDER.filter(t => preferences[t]).join(', ')}).`
    }
  }
  const record = best.tried === 0 ? 'has not been tried yet' : `has helped ${best.helped} of ${best.tried} times`
  return {
    type: best.type,
    why: `${DESCRIPTION[best.type]}. It ${record}, and its upper-confidence score is the best: ` +
      `${scores.map(s => `${s.type} ${s.score.toFixed(2)}`).join(', ')}.`
  }
}
