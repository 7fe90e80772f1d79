// Interventions: a calendar block, a message through the person's channels, a reminder of their
// stake, a word to their buddy. What acts on the world beyond the person's own inbox — a block in
// their calendar, a message to someone else — needs the PERSON's consent: proposed by the coach or
// the autopilot, it waits for POST /api/interventions/:id/confirm (or a "yes" to the coach). An
// argument the model sends is never consent.
import { randomUUID } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { analyzeCalendar } from '../calendar/calendars.js'
import { userPatterns } from '../drift/user-patterns.js'
import { currentPlan } from '../plans/plans.js'
import { DEFAULT_PREFERENCES } from '../plans/plan-schemas.js'
import { conflict, DomainError, invalid, notFound } from '../shared/domain-errors.js'
import { usableChannels } from '../nudges/channels.js'
import type { Channel } from '../nudges/channel-schemas.js'
import { sendNudge } from '../nudges/nudges.js'
import type { Outreach } from '../nudges/outreach.js'
import { effectiveness as tally, type Effectiveness } from './effectiveness.js'
import type { Intervention, InterventionBody, StoredIntervention } from './intervention-schemas.js'
import { measureOutcomes } from './measure-outcomes.js'
import { currentCommitment } from '../commitments/commitments.js'

export type InterventionSource = StoredIntervention['trigger']['source']

export interface InterventionTrigger {
  source: InterventionSource
  agent_run_id?: string
}

/** Needs the person's yes when the coach or the autopilot suggests it. */
const NEEDS_CONSENT = new Set<Intervention['type']>(['calendar', 'social'])

const DEFAULT_MESSAGE: Record<Intervention['type'], string> = {
  calendar: 'Workout — booked by Resolution Autopilot',
  message: 'A session is coming up: a short one still counts. You can do this.',
  financial: 'Remember what you put at stake.',
  social: 'could use a word of encouragement: a planned session is at risk.'
}

/** What the autopilot adds: the channels it may use, and a dedupe key so a checkpoint never sends twice. */
export interface InterventionOptions {
  channels?: Channel[]
  dedupeKey?: string
  /** the risk snapshot, when the caller has just computed the drift report (saves computing it again) */
  risk?: NonNullable<StoredIntervention['risk']>
}

export async function createIntervention (outreach: Outreach, userId: string, body: InterventionBody, trigger: InterventionTrigger, now = new Date(), options: InterventionOptions = {}): Promise<Intervention> {
  const { repo } = outreach
  const account = await getAccount(repo, userId)
  if (trigger.source !== 'you') {
    const preferences = (await repo.getPreferences(userId)) ?? DEFAULT_PREFERENCES
    if (!preferences.interventions[body.type]) throw conflict(`${body.type} interventions are turned off in the preferences (PUT /api/me/preferences turns them on).`)
  }
  let financialMessage: string | null = null
  if (body.type === 'financial') {
    // It reminds the person of their own stake: without an open commitment there is nothing to say.
    const current = await currentCommitment(repo, userId, now).catch(err => {
      if (err instanceof DomainError && err.kind === 'not_found') throw conflict('A financial intervention reminds you of your stake, and you have no open commitment (POST /api/commitments).')
      throw err
    })
    financialMessage = stakeReminder(current)
  }
  let risk = options.risk
  if (!risk) {
    const p = await userPatterns(repo, userId, now, outreach.outcomeWindowHours)
    risk = { risk_score: p.risk_score, risk_level: p.risk_level, signals: p.signals.map(s => s.type) }
  }
  const base: StoredIntervention = {
    intervention_id: randomUUID(),
    type: body.type,
    status: 'proposed',
    message: body.message ?? financialMessage ?? (body.type === 'social' ? `${account.username} ${DEFAULT_MESSAGE.social}` : DEFAULT_MESSAGE[body.type]),
    details: {},
    trigger: { source: trigger.source, ...(trigger.agent_run_id ? { agent_run_id: trigger.agent_run_id } : {}) },
    risk,
    nudge_ids: [],
    created_at: now.toISOString(),
    deployed_at: null,
    decided_at: null,
    failure: null,
    feedback: null
  }
  let intervention = base
  if (body.type === 'calendar') intervention = { ...base, details: await calendarBlock(outreach, userId, body.details ?? {}, now) }
  if (body.type === 'social') {
    const buddy = await repo.getBuddy(userId)
    if (buddy?.status !== 'confirmed') throw conflict(buddy ? `${buddy.name} has not accepted your invitation yet: nothing can be sent to them until they do.` : 'You have no buddy set (PUT /api/me/buddy).')
  }
  const consentNeeded = trigger.source !== 'you' && NEEDS_CONSENT.has(body.type)
  if (!consentNeeded) intervention = await deploy(outreach, userId, intervention, { ...(body.type === 'message' ? body.details ?? {} : {}), ...options }, now)
  if (!await repo.addIntervention(userId, intervention)) throw notFound('Your account no longer exists.')
  return withOutcome(outreach, userId, intervention, now)
}

/** What a financial intervention says: the person's own stake and where they stand against it. */
export function stakeReminder (current: Awaited<ReturnType<typeof currentCommitment>>): string {
  const p = current.progress
  return `${current.stake_display} is at stake` + (p ? `: ${p.completed_sessions} of ${p.required_sessions} sessions done, ${p.needed} more needed by ${p.target_date}.` : '.')
}

/** The block: at the time given, or in the next free slot of the calendar analysis. */
async function calendarBlock (outreach: Outreach, userId: string, details: { start?: string, minutes?: number }, now: Date): Promise<StoredIntervention['details']> {
  const { plan } = await currentPlan(outreach.repo, userId, now)
  const minutes = details.minutes ?? plan.min_minutes
  if (details.start !== undefined) {
    const start = Date.parse(details.start)
    if (start < now.getTime() - 5 * 60_000) throw invalid('body.details.start is in the past: a block must start from now on')
    return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString() }
  }
  const [analysis, existing] = await Promise.all([analyzeCalendar(outreach.repo, userId, 0, 7, now), outreach.repo.listInterventions(userId)])
  // Blocks already booked or proposed are busy too: two suggestions must not land on one slot.
  const blocks = existing
    .filter(i => i.type === 'calendar' && (i.status === 'deployed' || i.status === 'proposed') && i.details.start && i.details.end)
    .map(i => ({ start: Date.parse(i.details.start!), end: Date.parse(i.details.end!) }))
  const length = minutes * 60_000
  let start = NaN
  for (const slot of analysis.free_slots) {
    let at = Math.max(Date.parse(slot.start), now.getTime())
    for (let clash = blocks.find(b => b.start < at + length && at < b.end); clash; clash = blocks.find(b => b.start < at + length && at < b.end)) at = clash.end
    if (at + length <= Date.parse(slot.end)) { start = at; break }
  }
  if (Number.isNaN(start)) {
    throw conflict(analysis.calendar
      ? `No free slot of ${minutes} minutes in your plan's window in the next 7 days: give details.start.`
      : 'No calendar imported, so no free slot is known: give details.start, or import your calendar (POST /api/calendar/import).')
  }
  return { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() }
}

/** Carries an intervention out: sends its messages (a block needs nothing sent: the feed shows it). */
async function deploy (outreach: Outreach, userId: string, intervention: StoredIntervention, options: { channels?: Channel[], urgency?: 'low' | 'medium' | 'high', dedupeKey?: string }, now: Date): Promise<StoredIntervention> {
  const source = intervention.trigger.source === 'you' ? 'you' : intervention.trigger.source === 'coach' ? 'coach' : 'autopilot'
  const deployed: StoredIntervention = { ...intervention, status: 'deployed', deployed_at: now.toISOString() }
  if (intervention.type === 'calendar') {
    if (Date.parse(intervention.details.end!) <= now.getTime()) throw conflict('The proposed block is over: ask for a new one.')
    return deployed
  }
  let channels: Channel[]
  let recipient: 'you' | 'buddy' = 'you'
  if (intervention.type === 'social') {
    const buddy = await outreach.repo.getBuddy(userId)
    if (buddy?.status !== 'confirmed') throw conflict('Your buddy has not accepted your invitation (or opted out): nothing can be sent to them.')
    channels = [...(buddy.webhook ? ['webhook' as const] : []), ...(buddy.email && outreach.email ? ['email' as const] : [])]
    if (channels.length === 0) throw conflict('Your buddy cannot be reached by any channel this server has.')
    recipient = 'buddy'
  } else {
    const usable = usableChannels(await outreach.repo.getChannels(userId), outreach)
    channels = options.channels ?? usable
    const missing = channels.filter(c => !usable.includes(c))
    if (missing.length > 0) throw conflict(`Not usable now: ${missing.join(', ')} (see GET /api/me/channels).`)
  }
  const sent: string[] = []
  const refused: string[] = []
  let firstError: unknown = null
  for (const channel of channels) {
    try {
      const { nudge } = await sendNudge(outreach, userId, { message: intervention.message, channel, urgency: options.urgency ?? 'medium', ...(options.dedupeKey ? { dedupe_key: `${options.dedupeKey}:${channel}`.slice(0, 100) } : {}) },
        { source, intervention_id: intervention.intervention_id, recipient }, now)
      sent.push(nudge.nudge_id)
    } catch (err) {
      if (!(err instanceof DomainError)) throw err
      firstError ??= err
      refused.push(`${channel}: ${err.message}`)
    }
  }
  // Some channels may refuse (the daily cap); the intervention stands if any message went out.
  if (sent.length === 0) throw firstError
  return { ...deployed, nudge_ids: sent, details: { channels }, failure: refused.length > 0 ? refused.join(' ') : null }
}

export async function confirmIntervention (outreach: Outreach, userId: string, interventionId: string, now = new Date()): Promise<Intervention> {
  const stored = await find(outreach, userId, interventionId)
  if (stored.status !== 'proposed') throw conflict(`This intervention is ${stored.status}; only a proposed one can be confirmed.`)
  // The messages go out first; the record then says so (a crash in between leaves it proposed,
  // and a second confirm would send again — the dedupe of the nudges' ids covers only retries).
  const deployed = await deploy(outreach, userId, stored, {}, now)
  const updated = await outreach.repo.updateIntervention(userId, interventionId, i => {
    if (i.status !== 'proposed') throw conflict(`This intervention is ${i.status}; only a proposed one can be confirmed.`)
    Object.assign(i, { status: 'deployed', deployed_at: deployed.deployed_at, decided_at: now.toISOString(), nudge_ids: deployed.nudge_ids, details: deployed.details, failure: deployed.failure })
  })
  if (!updated) throw notFound(`No intervention ${interventionId}.`)
  return withOutcome(outreach, userId, updated, now)
}

export async function dismissIntervention (outreach: Outreach, userId: string, interventionId: string, now = new Date()): Promise<Intervention> {
  const updated = await outreach.repo.updateIntervention(userId, interventionId, i => {
    if (i.status !== 'proposed') throw conflict(`This intervention is ${i.status}; only a proposed one can be dismissed.`)
    Object.assign(i, { status: 'dismissed', decided_at: now.toISOString() })
  })
  if (!updated) throw notFound(`No intervention ${interventionId}.`)
  return withOutcome(outreach, userId, updated, now)
}

export async function giveFeedback (outreach: Outreach, userId: string, interventionId: string, helpful: boolean, now = new Date()): Promise<Intervention> {
  const updated = await outreach.repo.updateIntervention(userId, interventionId, i => {
    if (i.status !== 'deployed') throw conflict('Feedback is for an intervention that was carried out.')
    i.feedback = { helpful, at: now.toISOString() }
  })
  if (!updated) throw notFound(`No intervention ${interventionId}.`)
  return withOutcome(outreach, userId, updated, now)
}

async function find (outreach: Outreach, userId: string, interventionId: string): Promise<StoredIntervention> {
  await getAccount(outreach.repo, userId)
  const stored = (await outreach.repo.listInterventions(userId)).find(i => i.intervention_id === interventionId)
  if (!stored) throw notFound(`No intervention ${interventionId}.`)
  return stored
}

/** Every intervention, newest first, with its outcome measured now. */
export async function listInterventions (outreach: Pick<Outreach, 'repo' | 'outcomeWindowHours'>, userId: string, now = new Date()): Promise<Intervention[]> {
  const { repo } = outreach
  const account = await getAccount(repo, userId)
  const [interventions, workouts, plans, pauses] = await Promise.all([repo.listInterventions(userId), repo.listWorkouts(userId), repo.listPlans(userId), repo.listPauses(userId)])
  const { byId } = measureOutcomes({ account, interventions, workouts, plans, pauses }, outreach.outcomeWindowHours, now)
  return interventions.map(i => {
    const judged = byId.get(i.intervention_id)
    return {
      ...i,
      outcome: judged?.outcome ?? 'pending',
      outcome_at: judged?.outcome_at ?? null,
      outcome_workout_id: judged?.workout_id ?? null,
      window_end: judged?.window_end ?? null
    }
  }).reverse()
}

async function withOutcome (outreach: Outreach, userId: string, intervention: StoredIntervention, now: Date): Promise<Intervention> {
  const all = await listInterventions(outreach, userId, now)
  return all.find(i => i.intervention_id === intervention.intervention_id) ?? { ...intervention, outcome: 'pending', outcome_at: null, outcome_workout_id: null, window_end: null }
}

export async function interventionEffectiveness (outreach: Pick<Outreach, 'repo' | 'outcomeWindowHours'>, userId: string, now = new Date()): Promise<Effectiveness> {
  const all = await listInterventions(outreach, userId, now)
  return tally(all.filter(i => i.status === 'deployed').map(i => ({ type: i.type, channels: i.details.channels ?? [], outcome: i.outcome })))
}

/** The newest proposal awaiting the person's answer (for a "yes" to the coach). */
export async function latestProposal (outreach: Outreach, userId: string): Promise<StoredIntervention | null> {
  const all = await outreach.repo.listInterventions(userId)
  return all.findLast(i => i.status === 'proposed') ?? null
}
