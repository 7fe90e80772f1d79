// Everything the nudge and intervention functions need besides the store: the channels this
// server can deliver through, how links are made, and a way to wake the delivery worker. Built
// once at start-up (plugins/app/nudges.ts) and handed to routes and coach tools alike.
import type { SafeFetcher } from '../infra/outbound/safe-fetch.js'
import type { AccountStore } from '../store/account-store.js'
import type { ChannelStore } from '../store/channel-store.js'
import type { InterventionStore } from '../store/intervention-store.js'
import type { NudgeStore, OutboxStore } from '../store/nudge-store.js'
import type { PlanStore } from '../store/plan-store.js'
import type { WorkoutStore } from '../store/workout-store.js'
import type { CalendarStore } from '../store/calendar-store.js'
import type { CommitmentStore } from '../store/commitment-store.js'
import type { DeliveryResult } from './delivery/delivery-result.js'
import type { StoredWebhook } from './channel-schemas.js'

export interface EmailMessenger {
  send (message: { to: string, subject: string, text: string, unsubscribeUrl?: string }): Promise<DeliveryResult>
}

export interface SmsMessenger {
  send (message: { to: string, body: string }): Promise<DeliveryResult>
}

export interface WebhookMessenger {
  send (target: StoredWebhook, deliveryId: string, payload: object): Promise<DeliveryResult>
}

export type OutreachRepo = AccountStore & WorkoutStore & PlanStore & CalendarStore & ChannelStore & NudgeStore & OutboxStore & InterventionStore & CommitmentStore

export interface Outreach {
  repo: OutreachRepo
  /** null when the operator has not configured the channel (SMTP_*, TWILIO_*) */
  email: EmailMessenger | null
  sms: SmsMessenger | null
  webhook: WebhookMessenger
  /** checks user-given webhook URLs (SSRF guard) */
  fetcher: Pick<SafeFetcher, 'validate'>
  /** the service's public address and the key links are signed with */
  links: { baseUrl: string, secret: string }
  /** hours after an intervention in which a workout counts as its success */
  outcomeWindowHours: number
  /** a delivery is due now: wake the worker instead of waiting for its next poll */
  kick (): void
}
