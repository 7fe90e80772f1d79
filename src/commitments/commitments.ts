// Commitment stakes, kept honestly by the service: the terms are frozen when the commitment is
// made, milestones are judged from logged workouts (never self-reported) when they fall due —
// lazily whenever a commitment is read, and in the background (plugins/app/commitment-judge.ts) —
// and every transition is appended to an audit trail. Money here is bookkeeping in integer minor
// units; nothing is charged or paid out.
import { randomUUID } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { currentPlan } from '../plans/plans.js'
import { conflict, notFound } from '../shared/domain-errors.js'
import { daysBetween, localDate } from '../shared/local-time.js'
import type { AccountStore } from '../store/account-store.js'
import type { CommitmentStore } from '../store/commitment-store.js'
import type { InterventionStore } from '../store/intervention-store.js'
import type { PlanStore } from '../store/plan-store.js'
import type { WorkoutStore } from '../store/workout-store.js'
import type { WorkoutRecord } from '../workouts/workout-schemas.js'
import type { Commitment, CommitmentBody, CommitmentTermsChange } from './commitment-schemas.js'
import { cancelCommitment, changeTerms, createCommitment as newCommitment, nextDeadline, settle, type AuditEntry, type CommitmentRecord } from './commitment-state.js'
import { formatMoney } from './currency.js'
import { judgeMilestone } from './judge-milestone.js'

export type CommitmentRepo = CommitmentStore & AccountStore & WorkoutStore & PlanStore & InterventionStore

const OPEN = new Set(['scheduled', 'active'])

/** Judges whatever has fallen due for this user and records it; the commitments as they are now. */
export async function settleCommitments (repo: CommitmentRepo, userId: string, now = new Date()): Promise<CommitmentRecord[]> {
  const [stored, workouts, pauses] = await Promise.all([repo.listCommitments(userId), repo.listWorkouts(userId), repo.listPauses(userId)])
  let nextDue: number | null = null
  const settled: CommitmentRecord[] = []
  for (const commitment of stored) {
    if (!OPEN.has(commitment.status)) { settled.push(commitment); continue }
    const next = { due: null as number | null }
    const updated = await repo.updateCommitment(userId, commitment.commitment_id, current => {
      const result = settle(current, { nowMs: now.getTime(), workouts, pauses })
      next.due = result.next_due_ms
      return result.changed ? { commitment: result.commitment, audit: result.audit } : null
    })
    settled.push(updated ?? commitment)
    if (next.due !== null && (nextDue === null || next.due < nextDue)) nextDue = next.due
  }
  await repo.scheduleCommitmentCheck(userId, nextDue)
  return settled
}

export async function createCommitment (repo: CommitmentRepo, userId: string, body: CommitmentBody, now = new Date()): Promise<Commitment> {
  const account = await getAccount(repo, userId)
  const { plan } = await currentPlan(repo, userId, now)
  // Validation (currency, dates, ranges) is the pure core's: one set of rules for every door.
  const step = newCommitment({
    stake_amount: body.stake_amount,
    currency: body.currency,
    start_date: body.start_date ?? localDate(now, account.timezone),
    weeks: body.weeks,
    milestones: body.milestones,
    recipient_on_failure: body.recipient_on_failure,
    bonus_percentage: body.bonus_percentage ?? 0,
    plan: { sessions_per_week: plan.sessions_per_week, min_minutes: plan.min_minutes, max_sessions_per_day: plan.max_sessions_per_day },
    timezone: account.timezone
  }, { commitment_id: `c_${randomUUID()}`, nowMs: now.getTime() })
  await settleCommitments(repo, userId, now)
  const added = await repo.addCommitment(userId, step, existing => existing.find(c => OPEN.has(c.status)))
  if (added === null) throw notFound('Your account no longer exists.')
  if ('conflict' in added) throw conflict(`You already have a ${added.conflict.status} commitment (${added.conflict.commitment_id}); one at a time.`)
  const [settled] = (await settleCommitments(repo, userId, now)).filter(c => c.commitment_id === step.commitment.commitment_id)
  return commitmentView(settled, await repo.listWorkouts(userId), now)
}

/** The open (scheduled or active) commitment, settled now. */
async function openCommitment (repo: CommitmentRepo, userId: string, now: Date): Promise<CommitmentRecord> {
  await getAccount(repo, userId)
  const current = (await settleCommitments(repo, userId, now)).find(c => OPEN.has(c.status))
  if (!current) throw notFound('You have no current commitment (POST /api/commitments makes one; GET /api/commitments lists past ones).')
  return current
}

export async function currentCommitment (repo: CommitmentRepo, userId: string, now = new Date()): Promise<Commitment> {
  return commitmentView(await openCommitment(repo, userId, now), await repo.listWorkouts(userId), now)
}

export async function listCommitments (repo: CommitmentRepo, userId: string, now = new Date()): Promise<Commitment[]> {
  await getAccount(repo, userId)
  const [all, workouts] = await Promise.all([settleCommitments(repo, userId, now), repo.listWorkouts(userId)])
  return all.map(c => commitmentView(c, workouts, now)).reverse()
}

export async function commitmentAudit (repo: CommitmentRepo, userId: string, commitmentId: string, now = new Date()): Promise<readonly AuditEntry[]> {
  await getAccount(repo, userId)
  await settleCommitments(repo, userId, now)
  const audit = await repo.listCommitmentAudit(userId, commitmentId)
  if (audit === null) throw notFound(`No commitment ${commitmentId}.`)
  return audit
}

export async function cancelCurrentCommitment (repo: CommitmentRepo, userId: string, now = new Date()): Promise<Commitment> {
  const current = await openCommitment(repo, userId, now)
  const updated = await repo.updateCommitment(userId, current.commitment_id, c => cancelCommitment(c, { nowMs: now.getTime() }))
  await repo.scheduleCommitmentCheck(userId, null)
  return commitmentView(updated!, await repo.listWorkouts(userId), now)
}

export async function changeCurrentTerms (repo: CommitmentRepo, userId: string, change: CommitmentTermsChange, now = new Date()): Promise<Commitment> {
  const current = await openCommitment(repo, userId, now)
  const pauses = await repo.listPauses(userId)
  const outcome = { refusal: null as string | null }
  const updated = await repo.updateCommitment(userId, current.commitment_id, c => {
    const result = changeTerms(c, change, { nowMs: now.getTime(), pauses })
    if (!result.ok) { outcome.refusal = result.reason; return null }
    return { commitment: result.commitment, audit: result.audit }
  })
  if (outcome.refusal) throw conflict(`Not now: ${outcome.refusal}`)
  await settleCommitments(repo, userId, now)
  return commitmentView(updated!, await repo.listWorkouts(userId), now)
}

/** The record as shown: its progress toward the next deadline and what is at risk. */
export function commitmentView (c: CommitmentRecord, workouts: readonly WorkoutRecord[], now: Date): Commitment {
  const next = OPEN.has(c.status) ? nextDeadline(c) : null
  const today = localDate(now, c.terms.timezone)
  let progress: Commitment['progress'] = null
  if (next) {
    // As it stands now — the same rules as the judgement, at this instant.
    const sofar = judgeMilestone({ milestone: next, workouts, maxSessionsPerDay: c.terms.max_sessions_per_day, graceMs: c.terms.grace_ms, judgedAtMs: now.getTime() })
    progress = {
      milestone: next.index,
      completed_sessions: sofar.completed_sessions,
      required_sessions: next.required_sessions,
      needed: Math.max(0, next.required_sessions - sofar.completed_sessions),
      target_date: next.target_date,
      days_left: Math.max(0, daysBetween(today < next.start_date ? next.start_date : today, next.target_date) + 1)
    }
  }
  const { grace_ms: graceMs, ...terms } = c.terms
  return {
    commitment_id: c.commitment_id,
    status: c.status,
    stake_amount: c.stake_amount,
    currency: c.currency,
    stake_display: formatMoney(c.stake_amount, c.currency),
    start_date: c.start_date,
    end_date: c.milestones.at(-1)!.target_date,
    weeks: c.weeks,
    recipient_on_failure: c.recipient_on_failure,
    bonus_percentage: c.bonus_percentage,
    terms: { ...terms, grace_hours: graceMs / 3_600_000 },
    milestones: c.milestones.map(m => ({
      index: m.index, start_date: m.start_date, target_date: m.target_date, required_sessions: m.required_sessions, min_minutes: m.min_minutes,
      completed_sessions: m.completed_sessions, status: m.status, judged_at: m.judged_at, evidence: m.evidence
    })),
    progress,
    amount_at_risk: OPEN.has(c.status) ? c.stake_amount : 0,
    bonus_amount: c.bonus_amount,
    forfeited_amount: c.forfeited_amount,
    created_at: c.created_at,
    started_at: c.started_at,
    ended_at: c.ended_at
  }
}
