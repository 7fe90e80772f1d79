// Sending a nudge, for the person, the coach or the autopilot alike, under the same guard rails:
// only to a channel that is set up and confirmed; non-urgent ones wait out quiet hours; at most
// `daily_cap` external ones per local day; a repeated dedupe_key within 24 h returns the first.
// An external nudge enters the durable outbox before it is acknowledged, so it is delivered even
// across restarts (nudge-dispatcher.ts); the in-app inbox needs no delivery.
import { randomUUID } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { conflict, DomainError, invalid, notFound } from '../shared/domain-errors.js'
import { addDays, localDate, parseInstant } from '../shared/local-time.js'
import { parseLocalDate, startOfLocalDay } from '../calendar/wall-clock.js'
import { missingForChannel } from './channels.js'
import type { Channel } from './channel-schemas.js'
import { deliveryLocalDate, nudgesOnLocalDay } from './daily-cap.js'
import type { Nudge, NudgeBody, NudgeSource, Urgency } from './nudge-schemas.js'
import type { NudgeAdmission } from '../store/nudge-store.js'
import type { Outreach } from './outreach.js'
import { quietHoursEnd } from './quiet-hours.js'

const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000
/** A reminder is for the coming weeks, not a calendar: further ahead than this is refused. */
export const MAX_SEND_AHEAD_DAYS = 30
/** A send_at a moment in the past (clock skew, a slow client) means "now". */
const PAST_TOLERANCE_MS = 5 * 60 * 1000

/** When a nudge should go: now, or the send_at asked for (validated). */
function sendTime (sendAt: string | undefined, now: Date): number {
  if (sendAt === undefined) return now.getTime()
  const at = parseInstant(sendAt)
  if (!at) throw invalid('body.send_at must be an RFC 3339 date-time with Z or an offset, e.g. 2026-01-05T07:00:00+01:00')
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw invalid('body.send_at is in the past')
  if (at.getTime() > now.getTime() + MAX_SEND_AHEAD_DAYS * 86_400_000) throw invalid(`body.send_at is more than ${MAX_SEND_AHEAD_DAYS} days ahead`)
  return Math.max(at.getTime(), now.getTime())
}

export interface NudgeOrigin {
  source: NudgeSource
  intervention_id?: string
  /** who receives it: the person (default) or their confirmed buddy */
  recipient?: 'you' | 'buddy'
}

export interface SentNudge {
  nudge: Nudge
  /** false when a repeated dedupe_key returned the nudge sent before */
  created: boolean
}

export async function sendNudge (outreach: Outreach, userId: string, body: NudgeBody, origin: NudgeOrigin, now = new Date()): Promise<SentNudge> {
  const { repo } = outreach
  const account = await getAccount(repo, userId)
  const recipient = origin.recipient ?? 'you'
  const channels = await repo.getChannels(userId)
  if (recipient === 'buddy') {
    const buddy = await repo.getBuddy(userId)
    if (buddy?.status !== 'confirmed') throw conflict(buddy ? `${buddy.name} has not accepted your invitation yet; nothing is sent to them until they do.` : 'You have no buddy set (PUT /api/me/buddy).')
    if (body.channel === 'email' ? !buddy.email : body.channel === 'webhook' ? !buddy.webhook : true) throw conflict(`Your buddy cannot be reached by ${body.channel}.`)
  } else {
    const missing = missingForChannel(body.channel, channels, outreach)
    if (missing) throw conflict(missing)
  }
  const urgency: Urgency = body.urgency ?? 'medium'
  const external = body.channel !== 'in_app'
  const sendAt = sendTime(body.send_at, now)
  const later = sendAt > now.getTime()
  // A channel test is sent now, on request: the guard rails are for messages the person did not just ask for.
  const guarded = external && origin.source !== 'test'
  // Quiet hours are judged at the moment it goes out, not the moment it was asked for.
  const quietEnd = guarded && urgency !== 'high' && channels?.quiet_hours ? quietHoursEnd(sendAt, account.timezone, channels.quiet_hours) : null
  const due = quietEnd ?? sendAt
  // An in-app nudge for later waits in the outbox like any other; one for now is in the inbox at once.
  const delivered = !external && !later
  const nudge: Nudge = {
    nudge_id: randomUUID(),
    channel: body.channel,
    recipient,
    message: body.message,
    urgency,
    status: delivered ? 'delivered' : due > now.getTime() ? 'scheduled' : 'queued',
    attempts: 0,
    scheduled_for: delivered ? null : new Date(due).toISOString(),
    delivered_at: delivered ? now.toISOString() : null,
    last_error: null,
    read_at: null,
    dedupe_key: body.dedupe_key ?? null,
    intervention_id: origin.intervention_id ?? null,
    source: origin.source,
    created_at: now.toISOString()
  }
  const cap = channels?.daily_cap ?? 3
  const admit = (existing: readonly Nudge[]): NudgeAdmission => {
    if (nudge.dedupe_key !== null) {
      const seen = existing.findLast(n => n.dedupe_key === nudge.dedupe_key && now.getTime() - Date.parse(n.created_at) < DEDUPE_WINDOW_MS)
      if (seen) return { add: false, existing: seen }
    }
    if (guarded) {
      const day = deliveryLocalDate(nudge, account.timezone)
      const counted = existing.filter(n => n.source !== 'test')
      if (nudgesOnLocalDay(counted, day, account.timezone) >= cap) {
        const when = day === localDate(now, account.timezone) ? 'today' : `on ${day}`
        const retryAfter = secondsToNextLocalDay(now, account.timezone)
        return { add: false, refused: new DomainError('too_many', `You have had ${cap} nudge${cap === 1 ? '' : 's'} by webhook, email or SMS ${when} (your daily_cap); in-app nudges still arrive.`, retryAfter, { limit: 'nudge_daily', retry_after: retryAfter }) }
      }
    }
    return { add: true }
  }
  // The outbox first: if the process dies between the two writes, the worker finds an entry with
  // no nudge and drops it — never a nudge acknowledged with nothing to deliver it.
  if (!delivered) await repo.enqueueDelivery({ nudge_id: nudge.nudge_id, user_id: userId, due_at: nudge.scheduled_for!, enqueued_at: now.toISOString() })
  let admission: NudgeAdmission | null
  try {
    admission = await repo.addNudge(userId, nudge, admit)
  } catch (err) {
    if (!delivered) await repo.removeDelivery(nudge.nudge_id)
    throw err
  }
  if (admission === null || !admission.add) {
    if (!delivered) await repo.removeDelivery(nudge.nudge_id)
    if (admission === null) throw notFound('Your account no longer exists.')
    if ('refused' in admission) throw admission.refused
    return { nudge: admission.existing, created: false }
  }
  if (nudge.status === 'queued') outreach.kick()
  return { nudge, created: true }
}

function secondsToNextLocalDay (now: Date, timeZone: string): number {
  const tomorrow = parseLocalDate(addDays(localDate(now, timeZone), 1))!
  return Math.max(1, Math.ceil((startOfLocalDay(tomorrow, timeZone) - now.getTime()) / 1000))
}

export async function listNudges (outreach: Outreach, userId: string, query: { unread?: boolean, limit: number }): Promise<Nudge[]> {
  await getAccount(outreach.repo, userId)
  const all = await outreach.repo.listNudges(userId)
  const picked: Nudge[] = []
  for (let i = all.length - 1; i >= 0 && picked.length < query.limit; i--) {
    if (query.unread && all[i].read_at !== null) continue
    picked.push(all[i])
  }
  return picked
}

/** A short tag that changes whenever the inbox does (a new nudge, a delivery, a read). */
export async function inboxTag (outreach: Outreach, userId: string): Promise<string> {
  const all = await outreach.repo.listNudges(userId)
  let hash = 2166136261
  for (const n of all) {
    const part = `${n.nudge_id}|${n.status}|${n.attempts}|${n.read_at ?? ''}`
    for (let i = 0; i < part.length; i++) hash = Math.imul(hash ^ part.charCodeAt(i), 16777619)
  }
  return `${all.length.toString(36)}-${(hash >>> 0).toString(36)}`
}

export async function markNudge (outreach: Outreach, userId: string, nudgeId: string, read: boolean, now = new Date()): Promise<Nudge> {
  const nudge = await outreach.repo.updateNudge(userId, nudgeId, n => { n.read_at = read ? (n.read_at ?? now.toISOString()) : null })
  if (!nudge) throw notFound(`No nudge ${nudgeId}.`)
  return nudge
}

export async function markAllRead (outreach: Outreach, userId: string, now = new Date()): Promise<number> {
  await getAccount(outreach.repo, userId)
  return outreach.repo.markAllNudgesRead(userId, now.toISOString())
}

export const TEST_MESSAGE = 'This is a test from Resolution Autopilot: your nudges will arrive here.'

export async function sendTestNudge (outreach: Outreach, userId: string, channel: Channel, now = new Date()): Promise<Nudge> {
  return (await sendNudge(outreach, userId, { message: TEST_MESSAGE, channel, urgency: 'high' }, { source: 'test' }, now)).nudge
}
