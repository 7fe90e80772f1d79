// The autopilot's decisions at each checkpoint (issue #14): pure functions of the drift report, the
// calendar's clashes, the commitment's progress and the runs already recorded — each returns
// whether to act, the reasons, and `why` in plain words, so a skip is as explainable as a nudge
// ("risk low (12) and no conflict: nothing to do").
//
// Decisions:
// - Before a session the autopilot acts when the risk level reaches min_risk, when the session
//   clashes with a busy calendar event, or when its weekday is the one the person keeps missing
//   (a weekday_pattern signal naming it). Any one is enough.
// - At the end of a planned day it acts when the day's session did not happen AND the week's safety
//   buffer is short: sessions are still needed and either (a) fails_on is tomorrow or earlier (from
//   the day after tomorrow they would no longer all fit; a past fails_on means they no longer fit at
//   all), (b) fails_on is null while sessions are needed (the week could never hold them), or
//   (c) as many sessions are needed as there are days left after today (a plan allowing two a day
//   may still "fit" them, but only by doubling up). A skipped day with room to spare gets no nudge:
//   keeping the target on other days is never drift.
// - One autopilot nudge per planned session across the two session checkpoints: a session is
//   "already nudged" when a run of before_session:<date> or end_of_day:<date> recorded the decision
//   'acted' (the runner's run records: a nudge is 'acted'; a skip, late or not, is 'skipped').
// - Two days and one day before a milestone's deadline it acts while sessions are still needed; a
//   reminder for a deadline that has moved (a pause) or a milestone no longer pending is skipped —
//   the new deadline has checkpoints of its own.
import { sessionDate as sessionDateOf } from '../drift/ledger.js'
import type { DriftReport, EngineWorkout, PlanVersion, RiskLevel, SafetyBuffer } from '../drift/drift-types.js'
import { planOn, planTimeline } from '../drift/plan-versions.js'
import type { Weekday } from '../plans/plan-schemas.js'
import { addDays, daysBetween, localTime } from '../shared/local-time.js'

/** Why nothing is done, in the words of the runner's run records (their `skipped`). */
export type SkipReason = 'not_at_risk' | 'already_nudged' | 'nothing_to_do'

export interface Decision {
  act: boolean
  /** what makes it worth acting (or what would have), in order of importance */
  reasons: string[]
  /** the decision in plain words, whether acting or not */
  why: string
  /** set when act is false */
  skipped?: SkipReason
}

/** The decision a run records when the autopilot acted (sent a nudge). */
export const NUDGED = 'acted'

/** A recorded autopilot run, as much of it as the decisions read (a run record fits). */
export interface RunRecord {
  checkpoint_id: string
  /** the planned session's date, for the session checkpoints */
  session_date?: string | null
  /** 'acted' when a nudge went out; 'skipped' (late or not) is not one */
  decision: string
  /** ISO instant the run happened, when known */
  ran_at?: string
}

const SESSION_KINDS = ['before_session:', 'end_of_day:']

/** The run that already nudged about the session of `sessionDate` (either checkpoint), or null. */
export function sessionNudge<R extends RunRecord> (runs: readonly R[], sessionDate: string): R | null {
  return runs.find(run => {
    const prefix = SESSION_KINDS.find(kind => run.checkpoint_id.startsWith(kind))
    // The session's date is in the id too (before_session:2026-12-02), for a run that did not copy it.
    return run.decision === NUDGED && prefix !== undefined && (run.session_date ?? run.checkpoint_id.slice(prefix.length)) === sessionDate
  }) ?? null
}

/**
 * Whether a qualifying workout (≥ the min_minutes of the plan applying that day) belongs to the
 * session of `date` — with a window past midnight, a workout at 00:30 belongs to the evening before,
 * exactly as the drift engine counts it.
 */
export function sessionDone (input: { workouts: readonly EngineWorkout[], plans: readonly PlanVersion[], defaultStart: string, date: string }): boolean {
  const timeline = planTimeline(input.plans, input.defaultStart)
  const plan = planOn(timeline, input.date)
  if (!plan) return false
  return input.workouts.some(w => w.duration_minutes >= plan.min_minutes && sessionDateOf(w, timeline) === input.date)
}

const LEVELS: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 }
const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' }

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function nudgedWhy (run: RunRecord, timeZone: string): string {
  const at = run.ran_at ? Date.parse(run.ran_at) : Number.NaN
  return Number.isNaN(at)
    ? `already nudged for this session (${run.checkpoint_id})`
    : `already nudged for this session at ${localTime(new Date(at), timeZone)}`
}

export interface SessionConflict {
  summary: string
  /** ISO instants */
  start: string
  end: string
}

export interface BeforeSessionInput {
  report: DriftReport
  minRisk: 'medium' | 'high'
  /** busy calendar events overlapping the session */
  conflicts: readonly SessionConflict[]
  sessionDate: string
  weekday: Weekday
  /** sessionNudge(runs, sessionDate) */
  alreadyNudged: RunRecord | null
  /** the person's zone, to write times in */
  timeZone: string
}

export function beforeSession (input: BeforeSessionInput): Decision {
  const { report, minRisk, timeZone } = input
  const reasons: string[] = []
  const risk = `risk ${report.risk_level} (${report.risk_score})`
  if (LEVELS[report.risk_level] >= LEVELS[minRisk]) reasons.push(risk)
  for (const c of input.conflicts) {
    reasons.push(`clashes with '${c.summary}' (${localTime(new Date(c.start), timeZone)}–${localTime(new Date(c.end), timeZone)})`)
  }
  const pattern = report.signals.find(s => s.type === 'weekday_pattern' && s.evidence.weekday === input.weekday)
  if (pattern) {
    const { missed, planned } = pattern.evidence
    reasons.push(`${DAY_NAMES[input.weekday]} is the day you keep missing` + (typeof missed === 'number' && typeof planned === 'number' ? ` (missed ${missed} of the last ${planned})` : ''))
  }
  if (input.alreadyNudged) return { act: false, reasons, why: `${nudgedWhy(input.alreadyNudged, timeZone)}: not again`, skipped: 'already_nudged' }
  if (reasons.length === 0) {
    const level = report.risk_level === 'low' ? risk : `${risk} is below ${minRisk}`
    return { act: false, reasons, why: `${level} and no conflict: nothing to do`, skipped: 'not_at_risk' }
  }
  return { act: true, reasons, why: `the session of ${input.sessionDate} is at risk: ${reasons.join('; ')}` }
}

/** Whether the week's buffer is short as of `today` (see the header), and in words why (or why not). */
export function bufferShort (buffer: SafetyBuffer, today: string): { short: boolean, why: string } {
  const needed = plural(buffer.needed, 'session')
  if (buffer.needed === 0) return { short: false, why: "this week's target is met" }
  if (buffer.fails_on === null) return { short: true, why: `${needed} still needed by ${buffer.by} and the week cannot hold them` }
  if (buffer.fails_on < today) return { short: true, why: `${needed} still needed by ${buffer.by}: they no longer all fit` }
  const tomorrow = addDays(today, 1)
  if (buffer.fails_on <= tomorrow) return { short: true, why: `${needed} still needed by ${buffer.by}: they only all fit if you start by ${buffer.fails_on}` }
  const daysLeft = Math.max(0, daysBetween(today, buffer.by))
  if (buffer.needed >= daysLeft) return { short: true, why: `${needed} still needed by ${buffer.by} with ${plural(daysLeft, 'day')} left` }
  return { short: false, why: `the ${needed} still needed by ${buffer.by} all fit if you start by ${buffer.fails_on}` }
}

export interface EndOfDayInput {
  /** the drift report as of now (its safety buffer is the current week's) */
  report: DriftReport
  /** sessionDone(...) for the session's date */
  sessionDone: boolean
  alreadyNudged: RunRecord | null
  sessionDate: string
  /** the person's local date now (the day after sessionDate for a window past midnight) */
  today: string
  timeZone: string
}

export function endOfDay (input: EndOfDayInput): Decision {
  if (input.sessionDone) return { act: false, reasons: [], why: `the session of ${input.sessionDate} happened: nothing to do`, skipped: 'nothing_to_do' }
  const missed = `no session on ${input.sessionDate}`
  const buffer = bufferShort(input.report.safety_buffer, input.today)
  if (!buffer.short) return { act: false, reasons: [missed], why: `${missed}, but ${buffer.why}: no nudge`, skipped: 'not_at_risk' }
  const reasons = [missed, buffer.why]
  if (input.alreadyNudged) return { act: false, reasons, why: `${nudgedWhy(input.alreadyNudged, input.timeZone)}: not again`, skipped: 'already_nudged' }
  return { act: true, reasons, why: `${missed} and ${buffer.why}` }
}

/** A commitment's progress toward its next deadline, as commitmentView() shows it. */
export interface CommitmentProgress {
  milestone?: number
  needed: number
  completed_sessions: number
  required_sessions: number
  target_date: string
  /** days from today to the deadline, today included */
  days_left: number
}

export interface CommitmentDeadlineInput {
  progress: CommitmentProgress | null
  /** the checkpoint being decided: a reminder for a milestone or a date no longer current is skipped */
  checkpoint?: { milestone_index?: number, target_date?: string }
}

export function commitmentDeadline ({ progress, checkpoint }: CommitmentDeadlineInput): Decision {
  const skip = (why: string): Decision => ({ act: false, reasons: [], why, skipped: 'nothing_to_do' })
  if (!progress) return skip('no milestone pending: nothing to do')
  if (checkpoint?.milestone_index !== undefined && progress.milestone !== undefined && checkpoint.milestone_index !== progress.milestone) {
    return skip(`milestone ${checkpoint.milestone_index} is no longer the one pending (milestone ${progress.milestone} is): nothing to do`)
  }
  if (checkpoint?.target_date !== undefined && checkpoint.target_date !== progress.target_date) {
    return skip(`the deadline moved from ${checkpoint.target_date} to ${progress.target_date}: that date has reminders of its own`)
  }
  if (progress.needed <= 0) {
    return skip(`already met (${progress.completed_sessions} of ${progress.required_sessions} sessions): nothing to do`)
  }
  const reasons = [
    `${plural(progress.needed, 'more session')} needed by ${progress.target_date}`,
    `${plural(progress.days_left, 'day')} left`
  ]
  return { act: true, reasons, why: `${progress.completed_sessions} of ${progress.required_sessions} sessions done: ${reasons.join(', ')}` }
}
