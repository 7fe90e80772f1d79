// Where nudges may go: the person's own channels (webhook, email, SMS), quiet hours and a daily cap,
// and an accountability buddy. Email addresses, phone numbers and the buddy are confirmed before
// anything but the confirmation itself is sent to them (double opt-in).
import { Type, type Static } from 'typebox'
import { LocalTime, Nullable, ref } from '../shared/http-schemas.js'

export const CHANNELS = ['in_app', 'webhook', 'email', 'sms'] as const
export const Channel = Type.Enum([...CHANNELS], { description: 'in_app: the inbox (GET /api/nudges); webhook, email, sms: your configured and confirmed channels' })
export type Channel = Static<typeof Channel>

export const QuietHours = Type.Object({
  start: LocalTime,
  end: Type.String({ ...LocalTime, description: 'a time of day, HH:MM; earlier than start means quiet hours cross midnight' })
}, { $id: 'QuietHours', additionalProperties: false, description: 'non-urgent nudges wait until quiet hours end (your time zone)' })
export type QuietHours = Static<typeof QuietHours>

export const DEFAULT_DAILY_CAP = 3

const WebhookUrl = Type.String({ minLength: 1, maxLength: 2048, description: 'an http(s) URL that receives signed POSTs; private and loopback addresses are refused' })
const EmailAddress = Type.String({ format: 'email', maxLength: 254 })
const PhoneNumber = Type.String({ pattern: '^\\+[1-9]\\d{6,14}$', description: 'E.164, e.g. +14155550123' })

export const ChannelsBody = Type.Object({
  webhook_url: Type.Optional(Nullable(WebhookUrl)),
  email: Type.Optional(Nullable(EmailAddress)),
  phone: Type.Optional(Nullable(PhoneNumber)),
  quiet_hours: Type.Optional(Nullable(QuietHours)),
  daily_cap: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, description: 'most webhook, email and SMS nudges a day (your local day); in-app nudges are not counted' }))
}, { $id: 'ChannelsBody', additionalProperties: false, minProperties: 1, description: 'the fields you send change (null removes one); the others stay' })
export type ChannelsBody = Static<typeof ChannelsBody>

export const ContactStatus = Type.Enum(['pending', 'confirmed', 'unsubscribed'], {
  description: 'pending: a code was sent, confirm it (POST /api/me/channels/confirm); unsubscribed: the address opted out (unsubscribe link, or STOP by SMS) — set it again to re-confirm'
})
export type ContactStatus = Static<typeof ContactStatus>

export const Channels = Type.Object({
  webhook_url: Nullable(Type.String()),
  webhook_secret_set: Type.Boolean(),
  webhook_secret: Type.Optional(Type.String({ description: 'shown once: in the reply that first sets webhook_url and in a rotation; verify x-ra-signature with it' })),
  email: Nullable(Type.String()),
  email_status: Nullable(ContactStatus),
  phone: Nullable(Type.String()),
  phone_status: Nullable(ContactStatus),
  quiet_hours: Nullable(ref(QuietHours)),
  daily_cap: Type.Integer(),
  usable: Type.Array(Channel, { description: 'the channels a nudge can go to now (configured, confirmed and supported by this server)' })
}, { $id: 'Channels' })
export type Channels = Static<typeof Channels>

export const ChannelsReply = Type.Object({ channels: ref(Channels) }, { $id: 'ChannelsReply' })

export const ConfirmContactBody = Type.Object({
  channel: Type.Enum(['email', 'sms']),
  code: Type.String({ pattern: '^\\d{6}$', description: 'the 6-digit code sent to the address' })
}, { $id: 'ConfirmContactBody', additionalProperties: false })
export type ConfirmContactBody = Static<typeof ConfirmContactBody>

export const TestChannelBody = Type.Object({ channel: Channel }, { $id: 'TestChannelBody', additionalProperties: false })

export const BuddyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  email: Type.Optional(EmailAddress),
  webhook_url: Type.Optional(WebhookUrl)
}, { $id: 'BuddyBody', additionalProperties: false })
export type BuddyBody = Static<typeof BuddyBody>

export const Buddy = Type.Object({
  name: Type.String(),
  email: Nullable(Type.String()),
  webhook_url: Nullable(Type.String()),
  status: Type.Enum(['pending', 'confirmed', 'unsubscribed'], { description: 'pending: an invitation was sent; nothing else reaches them until they accept it' }),
  webhook_secret: Type.Optional(Type.String({ description: 'shown once, when webhook_url is set: the buddy verifies x-ra-signature with it' })),
  invited_at: Type.String({ format: 'date-time' }),
  confirmed_at: Nullable(Type.String({ format: 'date-time' }))
}, { $id: 'Buddy' })
export type Buddy = Static<typeof Buddy>

export const BuddyReply = Type.Object({ buddy: ref(Buddy) }, { $id: 'BuddyReply' })

/** A contact as stored: the code is kept as a digest only. */
export interface StoredContact {
  address: string
  status: ContactStatus
  code_digest: string | null
  code_expires_at: string | null
  code_attempts: number
  /** confirmation codes sent for this address today (local day of the last send) */
  codes_sent: number
  last_code_at: string | null
  confirmed_at: string | null
}

export interface StoredWebhook {
  url: string
  /** needed to sign each delivery, so kept as is; never exported */
  secret: string
}

export interface StoredChannels {
  webhook: StoredWebhook | null
  email: StoredContact | null
  phone: StoredContact | null
  quiet_hours: QuietHours | null
  daily_cap: number
}

export interface StoredBuddy {
  name: string
  email: string | null
  webhook: StoredWebhook | null
  status: 'pending' | 'confirmed' | 'unsubscribed'
  /** names this invitation: a link for an earlier buddy does not confirm this one */
  invitation_id: string
  invited_at: string
  confirmed_at: string | null
}

export const emptyChannels = (): StoredChannels => ({ webhook: null, email: null, phone: null, quiet_hours: null, daily_cap: DEFAULT_DAILY_CAP })
