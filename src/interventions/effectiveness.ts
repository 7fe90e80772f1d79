// How well each kind of intervention, and each channel, has worked for this person — from the judged
// outcomes (outcomes.ts). A rate is the posterior mean of a Beta(1, 1) prior updated with the
// decided outcomes, (1 + successes) / (2 + trials), not successes / trials: with no data it is 0.5
// rather than 0 / 0, and one success out of one is 0.67 rather than a claim of 100 % — a rate that
// moves as evidence accrues and that a few trials cannot push to an extreme. alpha and beta are
// returned too, so a caller can draw from the posterior or bound it (choose-intervention does).
// Pending outcomes are counted apart (not evidence yet); superseded ones are not counted at all —
// another intervention got the credit for that workout, so this one proved neither way.
import type { InterventionOutcome, InterventionType } from '../drift/drift-types.js'
import type { Outcome } from './outcomes.js'

/** Every type, in the order the drift engine tries them gentlest first. */
export const INTERVENTION_TYPES: readonly InterventionType[] = ['calendar', 'message', 'social', 'financial']

export interface Stats {
  /** decided outcomes: successes + failures */
  trials: number
  successes: number
  failures: number
  pending: number
  /** alpha / (alpha + beta), to 3 decimals */
  rate: number
  /** 1 + successes */
  alpha: number
  /** 1 + failures */
  beta: number
}

export interface Effectiveness {
  /** all four types, with or without data */
  by_type: Record<InterventionType, Stats>
  /** the channels the counted interventions used, in code-unit order */
  by_channel: Record<string, Stats>
}

export interface JudgedForEffectiveness {
  type: InterventionType
  /** the channels it went out on; one counted once however often it is listed */
  channels: readonly string[]
  outcome: Outcome
}

export function effectiveness (judged: readonly JudgedForEffectiveness[]): Effectiveness {
  const byType = new Map<InterventionType, Tally>(INTERVENTION_TYPES.map(type => [type, emptyTally()]))
  const byChannel = new Map<string, Tally>()
  for (const j of judged) {
    if (j.outcome === 'superseded') continue
    count(byType.get(j.type)!, j.outcome)
    for (const channel of new Set(j.channels)) {
      let tally = byChannel.get(channel)
      if (!tally) byChannel.set(channel, tally = emptyTally())
      count(tally, j.outcome)
    }
  }
  // The default sort: UTF-16 code-unit order, the same on every runtime and locale.
  const channels = [...byChannel.keys()].sort()
  return {
    by_type: Object.fromEntries(INTERVENTION_TYPES.map(type => [type, stats(byType.get(type)!)])) as Record<InterventionType, Stats>,
    // fromEntries defines own properties: a channel named "__proto__" is a key like any other.
    by_channel: Object.fromEntries(channels.map(channel => [channel, stats(byChannel.get(channel)!)]))
  }
}

/**
 * The drift engine's view (InterventionOutcome): decided outcomes only, success → helped, failed →
 * not; pending and superseded ones are left out, as is anything without an outcome_at. In the
 * order given.
 */
export function toDriftOutcomes (judged: readonly { type: InterventionType, outcome: Outcome, outcome_at: string | null }[]): InterventionOutcome[] {
  const out: InterventionOutcome[] = []
  for (const j of judged) {
    if ((j.outcome === 'success' || j.outcome === 'failed') && j.outcome_at !== null) {
      out.push({ type: j.type, helped: j.outcome === 'success', at: j.outcome_at })
    }
  }
  return out
}

interface Tally {
  successes: number
  failures: number
  pending: number
}

const emptyTally = (): Tally => ({ successes: 0, failures: 0, pending: 0 })

function count (tally: Tally, outcome: Exclude<Outcome, 'superseded'>): void {
  if (outcome === 'success') tally.successes++
  else if (outcome === 'failed') tally.failures++
  else tally.pending++
}

function stats ({ successes, failures, pending }: Tally): Stats {
  const alpha = 1 + successes
  const beta = 1 + failures
  return { trials: successes + failures, successes, failures, pending, rate: Math.round(1000 * alpha / (alpha + beta)) / 1000, alpha, beta }
}
