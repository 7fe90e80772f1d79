// The delivery worker: takes due entries from the outbox (claimed, so with several instances each
// attempt is made by one), delivers each through its channel, and records the attempt on the
// nudge — delivered, retrying with backoff, or failed. It runs on a timer and is woken at once
// when a nudge is accepted. A crash between an attempt and its record leaves the entry to be tried
// again: delivery is at least once, and `x-ra-delivery` (the nudge id) lets receivers drop repeats.
import { getAccount } from '../accounts/accounts.js'
import { phoneOptedOut, unsubscribeUrl } from './channels.js'
import type { DeliveryResult } from './delivery/delivery-result.js'
import { retryDelayMs } from './delivery/retry-schedule.js'
import type { Nudge, OutboxEntry } from './nudge-schemas.js'
import type { Outreach } from './outreach.js'

export interface DispatcherOptions {
  maxAttempts: number
  retryMaxMs: number
  pollMs: number
  /** deadline of one attempt; a claim outlives it */
  attemptTimeoutMs: number
  log: { warn (obj: object, msg: string): void, error (obj: object, msg: string): void }
  now?: () => number
}

/** Entries for a nudge not (yet) in its user's data are waited for this long, then dropped. */
const ORPHAN_GRACE_MS = 60_000
const ORPHAN_RECHECK_MS = 200
const BATCH = 20

export class NudgeDispatcher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private closed = false
  private readonly now: () => number

  constructor (private readonly outreach: Outreach, private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now
  }

  start (): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs)
    this.timer.unref()
    this.kick()
  }

  /** Runs a pass now (or right after the one running). */
  kick (): void {
    if (this.closed) return
    if (this.running) { this.again = true; return }
    this.running = this.drain().catch(err => this.options.log.error({ err }, 'nudge delivery pass failed')).finally(() => {
      this.running = null
      if (this.again && !this.closed) { this.again = false; this.kick() }
    })
  }

  /** Stops taking work and waits for the attempts in flight. */
  async close (): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    await this.running
  }

  /** Delivers everything due now, batch by batch. */
  private async drain (): Promise<void> {
    const lease = this.options.attemptTimeoutMs * 2 + 30_000
    while (!this.closed) {
      const due = await this.outreach.repo.claimDueDeliveries(this.now(), BATCH, lease)
      if (due.length === 0) return
      await Promise.all(due.map(entry => this.deliver(entry).catch(err => this.options.log.error({ err, nudge_id: entry.nudge_id }, 'nudge delivery failed'))))
    }
  }

  private async deliver (entry: OutboxEntry): Promise<void> {
    const { repo } = this.outreach
    const nudge = (await repo.listNudges(entry.user_id)).find(n => n.nudge_id === entry.nudge_id)
    if (!nudge) {
      if (this.now() - Date.parse(entry.enqueued_at) > ORPHAN_GRACE_MS) await repo.removeDelivery(entry.nudge_id)
      // Usually the nudge is being written right now (the outbox entry goes first): look again shortly.
      else await repo.enqueueDelivery({ ...entry, due_at: new Date(this.now() + ORPHAN_RECHECK_MS).toISOString() })
      return
    }
    if (nudge.status === 'delivered' || nudge.status === 'failed') {
      await repo.removeDelivery(entry.nudge_id)
      return
    }
    const result = await this.attempt(entry.user_id, nudge)
    const attempts = nudge.attempts + 1
    const at = new Date(this.now()).toISOString()
    let next: string | null = null
    if (result.outcome === 'retry' && attempts < this.options.maxAttempts) {
      const wait = retryDelayMs(attempts, { maxMs: this.options.retryMaxMs, key: nudge.nudge_id, retryAfterMs: result.retryAfterMs })
      next = new Date(this.now() + wait).toISOString()
    }
    await repo.updateNudge(entry.user_id, nudge.nudge_id, n => {
      n.attempts = attempts
      if (result.outcome === 'delivered') {
        Object.assign(n, { status: 'delivered', delivered_at: at, scheduled_for: null, last_error: null })
      } else if (next !== null) {
        Object.assign(n, { status: 'retrying', scheduled_for: next, last_error: result.detail })
      } else {
        const gaveUp = result.outcome === 'retry' ? ` (gave up after ${attempts} attempts)` : ''
        Object.assign(n, { status: 'failed', scheduled_for: null, last_error: result.detail + gaveUp })
      }
    })
    if (next !== null) await repo.enqueueDelivery({ ...entry, due_at: next })
    else await repo.removeDelivery(entry.nudge_id)
  }

  /** One attempt through the nudge's channel, to whoever it is for now (contacts may have changed). */
  private async attempt (userId: string, nudge: Nudge): Promise<DeliveryResult> {
    const { repo } = this.outreach
    const account = await getAccount(repo, userId).catch(() => null)
    if (!account) return { outcome: 'failed', detail: 'the account no longer exists' }
    const payload = { id: nudge.nudge_id, type: 'nudge', created_at: nudge.created_at, nudge: { nudge_id: nudge.nudge_id, message: nudge.message, urgency: nudge.urgency } }
    if (nudge.recipient === 'buddy') {
      const buddy = await repo.getBuddy(userId)
      if (buddy?.status !== 'confirmed') return { outcome: 'failed', detail: 'the buddy was removed or opted out' }
      const text = `A message about ${account.username}, whose accountability buddy you are:\n\n${nudge.message}`
      if (nudge.channel === 'webhook' && buddy.webhook) return this.outreach.webhook.send(buddy.webhook, nudge.nudge_id, { ...payload, nudge: { ...payload.nudge, message: text } })
      if (nudge.channel === 'email' && buddy.email && this.outreach.email) {
        return this.outreach.email.send({ to: buddy.email, subject: `${account.username} could use your encouragement`, text, unsubscribeUrl: unsubscribeUrl(this.outreach, userId, 'buddy', buddy.email) })
      }
      return { outcome: 'failed', detail: `the buddy cannot be reached by ${nudge.channel} any more` }
    }
    const channels = await repo.getChannels(userId)
    switch (nudge.channel) {
      case 'webhook':
        return channels?.webhook ? this.outreach.webhook.send(channels.webhook, nudge.nudge_id, payload) : { outcome: 'failed', detail: 'the webhook was removed' }
      case 'email': {
        const email = channels?.email
        if (email?.status !== 'confirmed' || !this.outreach.email) return { outcome: 'failed', detail: 'the email address was removed, changed or opted out' }
        return this.outreach.email.send({ to: email.address, subject: subjectOf(nudge.message), text: nudge.message, unsubscribeUrl: unsubscribeUrl(this.outreach, userId, 'email', email.address) })
      }
      case 'sms': {
        const phone = channels?.phone
        if (phone?.status !== 'confirmed' || !this.outreach.sms) return { outcome: 'failed', detail: 'the phone number was removed, changed or opted out' }
        const result = await this.outreach.sms.send({ to: phone.address, body: `${nudge.message} Reply STOP to opt out.` })
        // The number replied STOP: Twilio refuses it from now on, and so do we.
        if (result.outcome === 'failed' && result.code === 'unsubscribed') await phoneOptedOut(this.outreach, userId, phone.address)
        return result
      }
      case 'in_app':
        return { outcome: 'delivered', detail: 'in the inbox' }
    }
  }
}

function subjectOf (message: string): string {
  const line = message.split('\n')[0]
  return line.length <= 70 ? line : `${line.slice(0, 67)}…`
}
