// How the signals add up to one risk figure, and how much to trust it.
//
// risk_score (0–100) is a noisy-OR: each piece of evidence is a chance w that the resolution is
// slipping, and the score is 1 − Π(1 − w). A high signal is w = 0.67 and a medium one 0.34, so the
// score alone already lands in the signal's band (one high ⇒ ≥ 67, one medium ⇒ ≥ 34), two mediums
// make 56 and three 71. Low signals are information and weigh nothing (plan_mismatch is always low).
// One continuous term keeps the figure from being coarse: the 14-day completion shortfall,
// w = 0.5 × (1 − rate/100), once the window holds a week of counted days — 75% adds 12.5 points
// on its own, 0% adds 50.
//
// risk_level: low below 34, medium below 67, high otherwise — and never below the most severe
// signal's level.
//
// confidence (0–1) grows with the history judged — planned sessions with a settled verdict (done,
// made up or missed): 1 − 0.5^(judged/8). Two weeks of a four-a-week plan give 0.5, four weeks 0.75,
// eight 0.94; paused days and open days add nothing.
import type { CompletionRate, RiskLevel, Severity, Signal } from './drift-types.js'
import type { Ledger } from './ledger.js'
import { isJudged, plannedDays } from './session-status.js'

export const SEVERITY_WEIGHT: Record<Severity, number> = { low: 0, medium: 0.34, high: 0.67 }

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 }

export function riskScore (signals: readonly Signal[], fortnight: CompletionRate): number {
  const weights = signals.map(s => SEVERITY_WEIGHT[s.severity])
  if (fortnight.rate !== null && fortnight.counted_days >= 7) weights.push(0.5 * (1 - fortnight.rate / 100))
  const safe = weights.reduce((p, w) => p * (1 - w), 1)
  return Math.round(100 * (1 - safe))
}

export function mostSevere (signals: readonly Signal[]): Severity {
  return signals.reduce<Severity>((worst, s) => RANK[s.severity] > RANK[worst] ? s.severity : worst, 'low')
}

export function riskLevel (score: number, signals: readonly Signal[]): RiskLevel {
  const byScore: RiskLevel = score < 34 ? 'low' : score < 67 ? 'medium' : 'high'
  const floor = mostSevere(signals)
  return RANK[floor] > RANK[byScore] ? floor : byScore
}

export function judgedSessions (ledger: Ledger): number {
  return plannedDays(ledger, ledger.days[0].date, ledger.today).filter(p => isJudged(p.status)).length
}

export function confidenceOf (ledger: Ledger): number {
  return Math.round(100 * (1 - 0.5 ** (judgedSessions(ledger) / 8))) / 100
}

export function compareSeverity (a: Signal, b: Signal): number {
  return RANK[b.severity] - RANK[a.severity]
}
