// A commitment's life, as a pure state machine over plain JSON records: the store keeps a
// CommitmentRecord and appends the AuditEntry list each step returns; every step takes the clock
// (`nowMs`) and the data it reads (workouts, pauses) as arguments and returns new objects — the
// input record is never mutated.
//
//   scheduled ──(local midnight of start_date)──▶ active ──(every milestone met)──▶ completed
//       │                                           └──(a milestone missed)──────▶ forfeited
//       └──(cancelCommitment, before the start)──▶ cancelled
//
// Rules (issue #13) and decisions:
// - Terms are frozen at creation: the plan's sessions_per_week, min_minutes, max_sessions_per_day,
//   the user's time zone and the grace window are copied in, so later edits of the plan or the
//   profile do not move a running commitment. Only changeTerms changes terms, under the 7-day lock.
// - settle() judges, in order, every milestone whose judgement is due (judgementDueMs ≤ nowMs),
//   catching up after downtime. Each is judged as of the instant it fell due, not as of nowMs: a
//   workout logged during the downtime counts no more than it would have on time, and the audit
//   entry carries the due instant as `at` (with `settled_at`, when the service actually did it).
// - A judgement is never redone: settle() only looks at `pending` milestones; a met or missed
//   milestone keeps its result whatever happens to the workouts later.
// - The first missed milestone forfeits the commitment at once (at its due instant); the remaining
//   milestones become `cancelled` and are never judged. All met → completed, with
//   bonus_amount = floor(stake × bonus_percentage / 100) in integers.
// - The deadlines of pending milestones are laid out again at every step from their unpaused
//   `days` and the pauses (applyPauses), starting the day after the last judged deadline; judged
//   milestones keep their dates. So a pause made in time moves the stored deadlines, and deleting it
//   before it starts moves them back.
// - Terms changes apply to the remaining milestones: pending ones whose period has not ended
//   (target_date ≥ today). A milestone waiting out its grace window keeps its terms. A new
//   end_date moves the last milestone's deadline (its `days` grow or shrink by the unpaused days in
//   between; its required_sessions stay — more time for the same sessions is easier).
// - Cancelling (decision): only a commitment that has not started can be cancelled. Once it runs,
//   the only ways out are completing or forfeiting — an escape hatch would void the stake.
import { parseLocalDate, startOfLocalDay } from '../calendar/wall-clock.js'
import { conflict, invalid } from '../shared/domain-errors.js'
import { addDays, canonicalTimeZone, localDate } from '../shared/local-time.js'
import { MAX_WORKOUT_MINUTES } from '../workouts/workout-schemas.js'
import { applyPauses, isPausedDay, milestoneSchedule, unpausedDaysBetween, type PauseSpan } from './commitment-schedule.js'
import { isCurrency } from './currency.js'
import { DEFAULT_GRACE_MS, judgementDueMs, judgeMilestone, type JudgedWorkout } from './judge-milestone.js'
import { MAX_STAKE_MINOR, reviewTermsChange, type TermsChange, type TermsField } from './terms-change.js'

/** the longest a commitment runs (CommitmentBody's `weeks` maximum); a terms change cannot end it later */
const MAX_COMMITMENT_WEEKS = 52

export type CommitmentStatus = 'scheduled' | 'active' | 'completed' | 'forfeited' | 'cancelled'
export type MilestoneStatus = 'pending' | 'met' | 'missed' | 'cancelled'
export const RECIPIENTS = ['charity', 'anti_charity', 'buddy'] as const
export type Recipient = typeof RECIPIENTS[number]
export type AuditEvent = 'created' | 'started' | 'milestone_met' | 'milestone_missed' | 'forfeited' | 'completed' | 'terms_changed' | 'cancelled'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** Copied in at creation; min_minutes alone can change later (changeTerms). */
export interface FrozenTerms {
  sessions_per_week: number
  /** what the remaining milestones ask per session (each milestone keeps its own copy) */
  min_minutes: number
  max_sessions_per_day: number
  /** canonical IANA zone: the zone of every local date of the commitment */
  timezone: string
  /** the grace window for late logging, ms */
  grace_ms: number
}

export interface MilestoneRecord {
  /** 1-based */
  index: number
  /** YYYY-MM-DD, first day of the period */
  start_date: string
  /** YYYY-MM-DD, the deadline day (moved by pauses while pending) */
  target_date: string
  /** unpaused days in the period */
  days: number
  /** qualifying paused days in the period */
  paused_days: number
  required_sessions: number
  min_minutes: number
  status: MilestoneStatus
  /** RFC 3339: the instant the judgement took effect (its due instant); null until judged */
  judged_at: string | null
  completed_sessions: number | null
  /** ids of the workouts counted */
  evidence: string[]
}

export interface CommitmentRecord {
  commitment_id: string
  status: CommitmentStatus
  /** integer minor units of `currency`, 1–10⁹ */
  stake_amount: number
  /** ISO 4217 */
  currency: string
  start_date: string
  weeks: number
  recipient_on_failure: Recipient
  /** integer 0–100 */
  bonus_percentage: number
  terms: FrozenTerms
  milestones: MilestoneRecord[]
  /** RFC 3339 instants */
  created_at: string
  started_at: string | null
  ended_at: string | null
  /** integer minor units, set when completed */
  bonus_amount: number | null
  /** integer minor units, the stake, set when forfeited */
  forfeited_amount: number | null
}

export interface AuditEntry {
  /** RFC 3339: when the event took effect */
  at: string
  event: AuditEvent
  details: { [key: string]: JsonValue }
  /** ids of the workouts behind the event ([] when none) */
  evidence: string[]
}

export interface NewCommitment {
  stake_amount: number
  currency: string
  start_date: string
  weeks: number
  /** how many milestones, 1–weeks */
  milestones: number
  recipient_on_failure: Recipient
  bonus_percentage: number
  /** the plan's, copied in */
  plan: { sessions_per_week: number, min_minutes: number, max_sessions_per_day: number }
  /** the user's IANA zone, copied in */
  timezone: string
}

export interface Step {
  commitment: CommitmentRecord
  /** to append to the commitment's audit trail, in order */
  audit: AuditEntry[]
}

export interface SettleInput {
  nowMs: number
  /** the user's workouts (deleted ones included, with deleted_at); extra fields are ignored */
  workouts: readonly JudgedWorkout[]
  pauses: readonly PauseSpan[]
}

export interface Settlement extends Step {
  /** whether anything in the record changed (status, a judgement, a moved deadline) */
  changed: boolean
  /** when settling next could change something (the start, or the next judgement); null once ended */
  next_due_ms: number | null
}

const TERMINAL: ReadonlySet<CommitmentStatus> = new Set(['completed', 'forfeited', 'cancelled'])

const iso = (ms: number) => new Date(ms).toISOString()

/** floor(stake × percentage / 100), in integers: 333 at 33 % → 109. */
export function bonusAmount (stake: number, percentage: number): number {
  if (!Number.isSafeInteger(stake) || stake < 0 || stake > MAX_STAKE_MINOR) throw new RangeError(`stake must be an integer from 0 to ${MAX_STAKE_MINOR} (got ${stake})`)
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > 100) throw new RangeError(`percentage must be an integer from 0 to 100 (got ${percentage})`)
  const product = stake * percentage // ≤ 10¹¹: exact
  return (product - (product % 100)) / 100
}

function requireInteger (value: unknown, min: number, max: number, name: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`)
  }
}

/** A new commitment (scheduled, or active if it starts today) and its `created` (+ `started`)
 * entries. Throws DomainError 'invalid' for values out of range or a start before today. */
export function createCommitment (input: NewCommitment, context: { commitment_id: string, nowMs: number, graceMs?: number }): Step {
  requireInteger(input.stake_amount, 1, MAX_STAKE_MINOR, 'stake_amount')
  if (!isCurrency(input.currency)) throw invalid(`currency ${JSON.stringify(input.currency)} is not an ISO 4217 code`)
  requireInteger(input.weeks, 1, 52, 'weeks')
  requireInteger(input.milestones, 1, input.weeks, 'milestones')
  if (!RECIPIENTS.includes(input.recipient_on_failure)) throw invalid(`recipient_on_failure must be one of ${RECIPIENTS.join(', ')}`)
  requireInteger(input.bonus_percentage, 0, 100, 'bonus_percentage')
  requireInteger(input.plan.sessions_per_week, 1, 7 * 24, 'sessions_per_week')
  requireInteger(input.plan.min_minutes, 1, MAX_WORKOUT_MINUTES, 'min_minutes')
  requireInteger(input.plan.max_sessions_per_day, 1, 24, 'max_sessions_per_day')
  const timezone = canonicalTimeZone(input.timezone)
  if (!timezone) throw invalid(`timezone ${JSON.stringify(input.timezone)} is not a known IANA time zone`)
  if (!parseLocalDate(input.start_date)) throw invalid(`start_date must be a YYYY-MM-DD date (got ${JSON.stringify(input.start_date)})`)
  const today = localDate(new Date(context.nowMs), timezone)
  if (input.start_date < today) throw invalid(`start_date ${input.start_date} is before today (${today})`)
  const graceMs = context.graceMs ?? DEFAULT_GRACE_MS
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) throw new RangeError(`graceMs must be a non-negative integer (got ${graceMs})`)

  const milestones: MilestoneRecord[] = milestoneSchedule({ start_date: input.start_date, weeks: input.weeks, milestones: input.milestones, sessions_per_week: input.plan.sessions_per_week })
    .map(m => ({ ...m, min_minutes: input.plan.min_minutes, status: 'pending', judged_at: null, completed_sessions: null, evidence: [] }))
  const commitment: CommitmentRecord = {
    commitment_id: context.commitment_id,
    status: 'scheduled',
    stake_amount: input.stake_amount,
    currency: input.currency,
    start_date: input.start_date,
    weeks: input.weeks,
    recipient_on_failure: input.recipient_on_failure,
    bonus_percentage: input.bonus_percentage,
    terms: { ...input.plan, timezone, grace_ms: graceMs },
    milestones,
    created_at: iso(context.nowMs),
    started_at: null,
    ended_at: null,
    bonus_amount: null,
    forfeited_amount: null
  }
  const created: AuditEntry = {
    at: commitment.created_at,
    event: 'created',
    details: {
      stake_amount: commitment.stake_amount,
      currency: commitment.currency,
      start_date: commitment.start_date,
      weeks: commitment.weeks,
      recipient_on_failure: commitment.recipient_on_failure,
      bonus_percentage: commitment.bonus_percentage,
      terms: { ...commitment.terms },
      milestones: milestones.map(m => ({ index: m.index, start_date: m.start_date, target_date: m.target_date, required_sessions: m.required_sessions }))
    },
    evidence: []
  }
  const audit = [created]
  const start = startIfDue(commitment, context.nowMs)
  if (start) audit.push(start)
  return { commitment, audit }
}

/** scheduled → active once local midnight of start_date has come (mutates the working copy). */
function startIfDue (commitment: CommitmentRecord, nowMs: number): AuditEntry | null {
  if (commitment.status !== 'scheduled') return null
  const startMs = startOfLocalDay(parseLocalDate(commitment.start_date)!, commitment.terms.timezone)
  if (nowMs < startMs) return null
  // Started when the day began, or when created if that was later (a commitment made today).
  const at = iso(Math.max(startMs, Date.parse(commitment.created_at)))
  commitment.status = 'active'
  commitment.started_at = at
  return { at, event: 'started', details: { start_date: commitment.start_date }, evidence: [] }
}

/** Lays the pending milestones out again around the pauses (mutates the working copy). */
function relayPending (commitment: CommitmentRecord, pauses: readonly PauseSpan[]): void {
  const firstPending = commitment.milestones.findIndex(m => m.status === 'pending')
  if (firstPending === -1) return
  const anchor = firstPending === 0 ? commitment.start_date : addDays(commitment.milestones[firstPending - 1].target_date, 1)
  const pending = commitment.milestones.slice(firstPending)
  const laid = applyPauses([{ ...pending[0], start_date: anchor }, ...pending.slice(1)], pauses, commitment.terms.timezone)
  commitment.milestones = [...commitment.milestones.slice(0, firstPending), ...laid]
}

/** Judges every due milestone in order, forfeits or completes; see the header for the rules. */
export function settle (current: CommitmentRecord, input: SettleInput): Settlement {
  if (TERMINAL.has(current.status)) return { commitment: current, audit: [], changed: false, next_due_ms: null }
  const commitment: CommitmentRecord = structuredClone(current)
  const { timezone, grace_ms: graceMs, max_sessions_per_day: maxSessionsPerDay } = commitment.terms
  const audit: AuditEntry[] = []
  const settledAt = iso(input.nowMs)
  relayPending(commitment, input.pauses)

  const started = startIfDue(commitment, input.nowMs)
  if (started) audit.push(started)
  let nextDueMs: number | null = null
  if (commitment.status === 'scheduled') {
    nextDueMs = startOfLocalDay(parseLocalDate(commitment.start_date)!, timezone)
  } else {
    for (const milestone of commitment.milestones) {
      if (milestone.status !== 'pending') continue
      const dueMs = judgementDueMs(milestone.target_date, timezone, graceMs)
      if (dueMs > input.nowMs) {
        nextDueMs = dueMs
        break
      }
      const judgement = judgeMilestone({ milestone, workouts: input.workouts, maxSessionsPerDay, graceMs, judgedAtMs: dueMs })
      milestone.status = judgement.status
      milestone.judged_at = iso(dueMs)
      milestone.completed_sessions = judgement.completed_sessions
      milestone.evidence = judgement.evidence
      audit.push({
        at: milestone.judged_at,
        event: judgement.status === 'met' ? 'milestone_met' : 'milestone_missed',
        details: {
          index: milestone.index,
          start_date: milestone.start_date,
          target_date: milestone.target_date,
          required_sessions: milestone.required_sessions,
          completed_sessions: judgement.completed_sessions,
          min_minutes: milestone.min_minutes,
          not_counted: judgement.not_counted.map(n => ({ ...n })),
          settled_at: settledAt
        },
        evidence: [...judgement.evidence]
      })
      if (judgement.status === 'missed') {
        const cancelled = commitment.milestones.filter(m => m.status === 'pending')
        for (const m of cancelled) m.status = 'cancelled'
        commitment.status = 'forfeited'
        commitment.ended_at = milestone.judged_at
        commitment.forfeited_amount = commitment.stake_amount
        audit.push({
          at: milestone.judged_at,
          event: 'forfeited',
          details: {
            missed_milestone: milestone.index,
            stake_amount: commitment.stake_amount,
            currency: commitment.currency,
            recipient_on_failure: commitment.recipient_on_failure,
            cancelled_milestones: cancelled.map(m => m.index)
          },
          evidence: [...judgement.evidence]
        })
        break
      }
    }
    if (commitment.status === 'active' && commitment.milestones.every(m => m.status === 'met')) {
      const last = commitment.milestones[commitment.milestones.length - 1]
      commitment.status = 'completed'
      commitment.ended_at = last.judged_at
      commitment.bonus_amount = bonusAmount(commitment.stake_amount, commitment.bonus_percentage)
      audit.push({
        at: last.judged_at!,
        event: 'completed',
        details: {
          stake_amount: commitment.stake_amount,
          currency: commitment.currency,
          bonus_percentage: commitment.bonus_percentage,
          bonus_amount: commitment.bonus_amount,
          milestones_met: commitment.milestones.length
        },
        evidence: commitment.milestones.flatMap(m => m.evidence)
      })
    }
  }
  const changed = audit.length > 0 || JSON.stringify(commitment.milestones) !== JSON.stringify(current.milestones)
  return { commitment: changed ? commitment : current, audit, changed, next_due_ms: nextDueMs }
}

/** The first milestone not yet judged: its deadline holds the 7-day lock. */
export function nextDeadline (commitment: CommitmentRecord): MilestoneRecord | null {
  return commitment.milestones.find(m => m.status === 'pending') ?? null
}

export type TermsChangeResult =
  | (Step & { ok: true, harder: TermsField[], easier: TermsField[] })
  | { ok: false, reason: string, harder: TermsField[], easier: TermsField[] }

/**
 * Applies a terms change if reviewTermsChange allows it today (see terms-change.ts). Settle first,
 * so the next deadline is the real one. Throws DomainError 'conflict' when the commitment has
 * ended or nothing is left to change, 'invalid' for values out of range.
 */
export function changeTerms (current: CommitmentRecord, change: TermsChange, context: { nowMs: number, pauses: readonly PauseSpan[] }): TermsChangeResult {
  if (TERMINAL.has(current.status)) throw conflict(`this commitment is ${current.status}; its terms are final`)
  const commitment: CommitmentRecord = structuredClone(current)
  const { timezone } = commitment.terms
  relayPending(commitment, context.pauses)
  const today = localDate(new Date(context.nowMs), timezone)
  const remaining = commitment.milestones.filter(m => m.status === 'pending' && m.target_date >= today)
  const next = nextDeadline(commitment)
  if (!next || remaining.length === 0) throw conflict('every milestone\'s period has ended: nothing is left to change')
  const last = commitment.milestones[commitment.milestones.length - 1]

  const review = reviewTermsChange({
    stake_amount: commitment.stake_amount,
    min_minutes: commitment.terms.min_minutes,
    remaining_required_sessions: remaining.map(m => m.required_sessions),
    end_date: last.target_date
  }, change, { nextDeadlineDate: next.target_date, todayLocalDate: today })

  const { end_date: endDate, required_sessions: required } = change
  if (endDate !== undefined && endDate !== last.target_date) {
    if (endDate < last.start_date) throw invalid(`end_date ${endDate} is before the last milestone starts (${last.start_date})`)
    // As long as a new commitment may run, at most: a far end (9999-12-31) made every later
    // computation walk millions of days, blocking the process for seconds on each request.
    const latestEnd = addDays(commitment.start_date, MAX_COMMITMENT_WEEKS * 7 - 1)
    if (endDate > latestEnd && endDate > last.target_date) throw invalid(`end_date ${endDate} is more than ${MAX_COMMITMENT_WEEKS} weeks after the commitment's start (${commitment.start_date}); the latest is ${latestEnd}`)
    if (isPausedDay(endDate, context.pauses, timezone)) throw invalid(`end_date ${endDate} falls in a pause; a deadline is never a paused day`)
  }
  if (required !== undefined) {
    const tooMany = remaining.find(m => required > (m.days + m.paused_days) * commitment.terms.max_sessions_per_day)
    if (tooMany) throw invalid(`milestone ${tooMany.index} can count at most ${(tooMany.days + tooMany.paused_days) * commitment.terms.max_sessions_per_day} sessions`)
  }
  if (!review.ok) return { ok: false, reason: review.reason, harder: review.harder, easier: review.easier }

  const changes: { [field: string]: JsonValue } = {}
  const { applied } = review
  if (applied.stake_amount !== undefined) {
    changes.stake_amount = { from: commitment.stake_amount, to: applied.stake_amount }
    commitment.stake_amount = applied.stake_amount
  }
  if (applied.min_minutes !== undefined) {
    changes.min_minutes = { from: commitment.terms.min_minutes, to: applied.min_minutes }
    commitment.terms.min_minutes = applied.min_minutes
    for (const m of remaining) m.min_minutes = applied.min_minutes
  }
  if (applied.required_sessions !== undefined) {
    changes.required_sessions = { from: remaining.map(m => m.required_sessions), to: applied.required_sessions, milestones: remaining.map(m => m.index) }
    for (const m of remaining) m.required_sessions = applied.required_sessions
  }
  if (applied.end_date !== undefined) {
    changes.end_date = { from: last.target_date, to: applied.end_date }
    last.days += applied.end_date > last.target_date
      ? unpausedDaysBetween(addDays(last.target_date, 1), applied.end_date, context.pauses, timezone)
      : -unpausedDaysBetween(addDays(applied.end_date, 1), last.target_date, context.pauses, timezone)
    relayPending(commitment, context.pauses)
  }
  const audit: AuditEntry[] = Object.keys(changes).length === 0 ? [] : [{
    at: iso(context.nowMs),
    event: 'terms_changed',
    details: { changes, harder: review.harder, easier: review.easier, next_deadline: next.target_date },
    evidence: []
  }]
  return { ok: true, commitment: audit.length ? commitment : current, audit, harder: review.harder, easier: review.easier }
}

/** Cancels a commitment that has not started yet (see the header); throws DomainError 'conflict'
 * once it has. */
export function cancelCommitment (current: CommitmentRecord, context: { nowMs: number, reason?: string }): Step {
  const commitment: CommitmentRecord = structuredClone(current)
  // A start that is due counts even if nobody settled it yet.
  if (startIfDue(commitment, context.nowMs) || commitment.status !== 'scheduled') {
    throw conflict(`only a commitment that has not started can be cancelled (this one is ${commitment.status})`)
  }
  commitment.status = 'cancelled'
  commitment.ended_at = iso(context.nowMs)
  for (const m of commitment.milestones) m.status = 'cancelled'
  return {
    commitment,
    audit: [{ at: commitment.ended_at, event: 'cancelled', details: context.reason ? { reason: context.reason } : {}, evidence: [] }]
  }
}
