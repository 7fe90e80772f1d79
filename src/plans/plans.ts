// Plans, pauses and intervention preferences: what the drift engine judges a person against.
// A plan is versioned: a new version applies from its start_date, and earlier days keep the version
// that applied then, so changing the plan never rewrites how past weeks were judged.
import { randomBytes } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { conflict, invalid, notFound } from '../shared/domain-errors.js'
import { addDays, daysBetween, localDate } from '../shared/local-time.js'
import type { AccountStore } from '../store/account-store.js'
import type { PlanStore } from '../store/plan-store.js'
import { defaultPlan, planOn, planTimeline } from '../drift/plan-versions.js'
import { DEFAULT_PLAN_FIELDS, DEFAULT_PREFERENCES, type Pause, type PauseBody, type Plan, type PlanBody, type Preferences, type PreferencesBody } from './plan-schemas.js'

type PlanRepo = PlanStore & AccountStore

/** The longest pause: a break, not a way to switch the resolution off. */
export const MAX_PAUSE_DAYS = 60

export async function currentPlan (repo: PlanRepo, userId: string, now = new Date()): Promise<{ plan: Plan, source: 'stored' | 'default' }> {
  const account = await getAccount(repo, userId)
  const stored = await repo.listPlans(userId)
  const start = localDate(new Date(account.created_at), account.timezone)
  if (stored.length === 0) return { plan: { ...defaultPlan(start), created_at: account.created_at }, source: 'default' }
  // The version applying today; before the first starts or after the last ended, the latest one
  // (what the person set, even if nothing is planned today).
  const timeline = planTimeline(stored, start)
  return { plan: planOn(timeline, localDate(now, account.timezone)) ?? timeline.at(-1)!, source: 'stored' }
}

export async function planHistory (repo: PlanRepo, userId: string): Promise<Plan[]> {
  await getAccount(repo, userId)
  const plans = await repo.listPlans(userId)
  return plans.length === 0 ? [] : planTimeline(plans, '')
}

export async function setPlan (repo: PlanRepo, userId: string, body: PlanBody, now = new Date()): Promise<Plan> {
  const account = await getAccount(repo, userId)
  const plan: Plan = {
    ...DEFAULT_PLAN_FIELDS,
    ...body,
    start_date: body.start_date ?? localDate(now, account.timezone),
    end_date: body.end_date ?? null,
    created_at: now.toISOString()
  }
  requireRealDate(plan.start_date, 'body.start_date')
  if (plan.end_date !== null) {
    requireRealDate(plan.end_date, 'body.end_date')
    if (plan.end_date < plan.start_date) throw invalid('body.end_date must be on or after body.start_date')
  }
  if (plan.window_start === plan.window_end) throw invalid('body.window_end must differ from body.window_start (an earlier time means the window crosses midnight)')
  const room = plan.weekdays.length * plan.max_sessions_per_day
  if (plan.sessions_per_week > room) {
    throw invalid(`body.sessions_per_week (${plan.sessions_per_week}) cannot fit into ${plan.weekdays.length} planned day${plan.weekdays.length === 1 ? '' : 's'} × ${plan.max_sessions_per_day} session${plan.max_sessions_per_day === 1 ? '' : 's'} a day; add weekdays or raise max_sessions_per_day`)
  }
  if (!await repo.addPlan(userId, plan)) throw notFound('Your account no longer exists.')
  return plan
}

function requireRealDate (date: string, field: string): void {
  // format: date admits 2026-02-30; a calendar date must round-trip.
  if (addDays(date, 0) !== date) throw invalid(`${field} is not a real date (${date})`)
}

export async function addPause (repo: PlanRepo, userId: string, body: PauseBody, now = new Date()): Promise<Pause> {
  const account = await getAccount(repo, userId)
  requireRealDate(body.start_date, 'body.start_date')
  requireRealDate(body.end_date, 'body.end_date')
  if (body.end_date < body.start_date) throw invalid('body.end_date must be on or after body.start_date')
  const days = daysBetween(body.start_date, body.end_date) + 1
  if (days > MAX_PAUSE_DAYS) throw invalid(`a pause lasts at most ${MAX_PAUSE_DAYS} days (this one is ${days})`)
  const today = localDate(now, account.timezone)
  const reason = body.reason?.trim()
  // Pausing days already lived (or today) changes how they are judged: say why, on the record.
  if (body.start_date <= today && !reason) throw invalid('body.reason is required for a pause that starts today or earlier')
  const pause: Pause = {
    pause_id: `p_${randomBytes(8).toString('hex')}`,
    start_date: body.start_date,
    end_date: body.end_date,
    ...(reason ? { reason } : {}),
    created_at: now.toISOString()
  }
  const result = await repo.addPause(userId, pause, existing => existing.find(p => p.start_date <= pause.end_date && pause.start_date <= p.end_date))
  if (result === null) throw notFound('Your account no longer exists.')
  if ('conflict' in result) {
    throw conflict(`This pause overlaps your pause ${result.conflict.pause_id} (${result.conflict.start_date} to ${result.conflict.end_date}); change or delete that one first.`)
  }
  return pause
}

export async function listPauses (repo: PlanRepo, userId: string): Promise<Pause[]> {
  await getAccount(repo, userId)
  return [...await repo.listPauses(userId)].sort((a, b) => a.start_date.localeCompare(b.start_date))
}

export async function deletePause (repo: PlanRepo, userId: string, pauseId: string): Promise<void> {
  if (!await repo.deletePause(userId, pauseId)) throw notFound(`No pause ${pauseId} among yours.`)
}

export async function getPreferences (repo: PlanRepo, userId: string): Promise<Preferences> {
  await getAccount(repo, userId)
  return await repo.getPreferences(userId) ?? structuredClone(DEFAULT_PREFERENCES)
}

export async function updatePreferences (repo: PlanRepo, userId: string, body: PreferencesBody): Promise<Preferences> {
  const updated = await repo.updatePreferences(userId, current => ({ interventions: { ...current.interventions, ...body.interventions } }))
  if (!updated) throw notFound('Your account no longer exists.')
  return updated
}
