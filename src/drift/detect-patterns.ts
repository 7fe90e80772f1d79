// The drift engine's verdict: every signal measured on one ledger, weighed into a risk score, with
// the intervention to try and a short explanation citing the numbers. Pure: the same input gives
// the same report, whatever the clock says.
import type { DriftReport, EngineInput, RecommendedIntervention, Signal, Verdict } from './drift-types.js'
import { chooseIntervention } from './choose-intervention.js'
import { completionRateOf, completionRateSignal } from './completion-rate.js'
import { consecutiveMissesSignal } from './consecutive-misses.js'
import { habitStrengthOf, habitStrengthSignal } from './habit-strength.js'
import { buildLedger, currentWeek } from './ledger.js'
import { planMismatchSignal } from './plan-mismatch.js'
import { compareSeverity, confidenceOf, riskLevel, riskScore } from './risk-score.js'
import { safetyBufferOf, safetyBufferSignal } from './safety-buffer.js'
import { timeOfDayDriftSignal } from './time-of-day-drift.js'
import { weekdayPatternSignal } from './weekday-pattern.js'
import { durationTrendSignal, frequencyTrendSignal } from './weekly-trends.js'

const MAX_CITED = 3

export function detectPatterns (input: EngineInput): DriftReport {
  const ledger = buildLedger(input)
  // The most telling first: within a severity, patterns that say what is happening come before the
  // measurements that say how much (a stable sort keeps this order).
  const detectors = [
    consecutiveMissesSignal, durationTrendSignal, frequencyTrendSignal, weekdayPatternSignal, completionRateSignal,
    safetyBufferSignal, habitStrengthSignal, timeOfDayDriftSignal, planMismatchSignal
  ]
  const signals = detectors.map(detect => detect(ledger)).filter((s): s is Signal => s !== null).sort(compareSeverity)
  const score = riskScore(signals, completionRateOf(ledger, 14))
  const level = riskLevel(score, signals)
  const drift = level !== 'low'
  const confidence = confidenceOf(ledger)
  const habit = habitStrengthOf(ledger)
  const buffer = safetyBufferOf(ledger)
  // An intervention is for drift; someone on track needs none, whatever they would allow.
  const intervention: RecommendedIntervention = drift
    ? chooseIntervention(input.outcomes, input.preferences)
    : { type: 'none', why: 'On track: no intervention needed.' }

  const week = currentWeek(ledger)
  // Someone on track hears only the advice (low signals that suggest a change), not the all-clear figures.
  const cited = signals
    .filter(s => drift ? s.severity !== 'low' : s.type === 'plan_mismatch' || s.type === 'time_of_day_drift')
    .slice(0, MAX_CITED)
  const parts = [
    drift
      ? `Drift detected: risk ${level} (${score}/100, confidence ${confidence}).`
      : `On track: risk low (${score}/100, confidence ${confidence}).`,
    week.target === 0
      ? 'Nothing is planned this week.'
      : `This week ${week.sessions} of ${week.target} sessions` + (buffer.needed === 0 ? ', target met.' : `, ${buffer.needed} still needed by Sunday.`),
    ...(cited.some(s => s.type === 'habit_strength') ? [] : [`Habit strength ${habit} of 100.`]),
    ...cited.map(s => s.message),
    ...(intervention.type === 'none' ? [] : [`Suggested: ${intervention.type} — ${intervention.why}`])
  ]

  return {
    drift_detected: drift,
    risk_score: score,
    risk_level: level,
    confidence,
    signals,
    habit_strength: habit,
    safety_buffer: buffer,
    recommended_intervention: intervention,
    reasoning: parts.join(' ')
  }
}

/** The current verdict, for the history endpoint and the coach. */
export function currentVerdict (input: EngineInput): Verdict {
  const { drift_detected: drift, risk_level: level } = detectPatterns(input)
  return { on_track: !drift, risk_level: level }
}
