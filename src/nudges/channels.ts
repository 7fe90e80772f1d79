// A person's channels: where nudges may reach them, confirmed before use. Webhooks are checked
// against the SSRF rules when set (and again at every connect); email addresses and phone numbers
// get a code first (double opt-in) and can always opt out.
import { randomBytes } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { conflict, DomainError, invalid, notFound } from '../shared/domain-errors.js'
import { checkCode, MAX_CODE_ATTEMPTS, newCode, pendingContact, resendRefusal } from './contact-codes.js'
import { emptyChannels, type Channel, type Channels, type ChannelsBody, type ConfirmContactBody, type StoredChannels, type StoredContact } from './channel-schemas.js'
import type { Outreach } from './outreach.js'
import { readLink, signLink } from './signed-link.js'

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`

/** The channels a nudge can go to now: configured, confirmed, and supported by this server. */
export function usableChannels (stored: StoredChannels | null, outreach: Pick<Outreach, 'email' | 'sms'>): Channel[] {
  const usable: Channel[] = ['in_app']
  if (stored?.webhook) usable.push('webhook')
  if (outreach.email && stored?.email?.status === 'confirmed') usable.push('email')
  if (outreach.sms && stored?.phone?.status === 'confirmed') usable.push('sms')
  return usable
}

/** Why `channel` cannot be used now, in words that say what to do; null when it can. */
export function missingForChannel (channel: Channel, stored: StoredChannels | null, outreach: Pick<Outreach, 'email' | 'sms'>): string | null {
  switch (channel) {
    case 'in_app': return null
    case 'webhook': return stored?.webhook ? null : 'No webhook is set up: PUT /api/me/channels with webhook_url first.'
    case 'email':
      if (!outreach.email) return 'Email is not available on this server: the operator has not set SMTP_URL and SMTP_FROM.'
      return contactMissing(stored?.email ?? null, 'email', 'email address')
    case 'sms':
      if (!outreach.sms) return 'SMS is not available on this server: the operator has not set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM.'
      return contactMissing(stored?.phone ?? null, 'phone', 'phone number')
  }
}

function contactMissing (contact: StoredContact | null, field: string, what: string): string | null {
  if (contact === null) return `No ${what} is set up: PUT /api/me/channels with ${field} first.`
  if (contact.status === 'pending') return `Your ${what} ${contact.address} is not confirmed yet: POST /api/me/channels/confirm with the code sent to it.`
  if (contact.status === 'unsubscribed') return `${contact.address} opted out of nudges; set ${field} again to confirm it anew.`
  return null
}

export function channelsView (stored: StoredChannels | null, outreach: Pick<Outreach, 'email' | 'sms'>, shownSecret?: string): Channels {
  const c = stored ?? emptyChannels()
  return {
    webhook_url: c.webhook?.url ?? null,
    webhook_secret_set: c.webhook !== null,
    ...(shownSecret ? { webhook_secret: shownSecret } : {}),
    email: c.email?.address ?? null,
    email_status: c.email?.status ?? null,
    phone: c.phone?.address ?? null,
    phone_status: c.phone?.status ?? null,
    quiet_hours: c.quiet_hours,
    daily_cap: c.daily_cap,
    usable: usableChannels(stored, outreach)
  }
}

export async function getChannels (outreach: Outreach, userId: string): Promise<Channels> {
  await getAccount(outreach.repo, userId)
  return channelsView(await outreach.repo.getChannels(userId), outreach)
}

export function unsubscribeUrl (outreach: Outreach, userId: string, kind: 'email' | 'buddy', address: string): string {
  return `${outreach.links.baseUrl}/api/links/unsubscribe?token=${signLink(outreach.links.secret, 'unsubscribe', [userId, kind, address])}`
}

export async function updateChannels (outreach: Outreach, userId: string, body: ChannelsBody, now = new Date()): Promise<Channels> {
  await getAccount(outreach.repo, userId)
  const { repo } = outreach
  if (body.webhook_url) await outreach.fetcher.validate(body.webhook_url, 'body.webhook_url')
  if (body.email && !outreach.email) throw conflict(missingForChannel('email', null, outreach)!)
  if (body.phone && !outreach.sms) throw conflict(missingForChannel('sms', null, outreach)!)
  if (body.quiet_hours && body.quiet_hours.start === body.quiet_hours.end) {
    throw invalid('body.quiet_hours.end must differ from body.quiet_hours.start (an earlier time means they cross midnight; send null for none)')
  }
  // Drawn before the transaction: a store may run the change more than once.
  const secret = newWebhookSecret()
  const emailCode = newCode()
  const phoneCode = newCode()
  const result = await repo.updateChannels(userId, channels => {
    let shownSecret: string | undefined
    const send: { email?: string, phone?: string } = {}
    if (body.webhook_url !== undefined) {
      if (body.webhook_url === null) channels.webhook = null
      else if (channels.webhook) channels.webhook = { ...channels.webhook, url: body.webhook_url }
      else {
        channels.webhook = { url: body.webhook_url, secret }
        shownSecret = secret
      }
    }
    if (body.email !== undefined) channels.email = nextContact(channels.email, body.email, emailCode.digest, now, () => { send.email = body.email! })
    if (body.phone !== undefined) channels.phone = nextContact(channels.phone, body.phone, phoneCode.digest, now, () => { send.phone = body.phone! })
    if (body.quiet_hours !== undefined) channels.quiet_hours = body.quiet_hours
    if (body.daily_cap !== undefined) channels.daily_cap = body.daily_cap
    return { view: channelsView(channels, outreach, shownSecret), send }
  })
  if (result === null) throw notFound('Your account no longer exists.')
  if (result.send.email) {
    await sendCode(outreach.email!.send({
      to: result.send.email,
      subject: `Your Resolution Autopilot code: ${emailCode.code}`,
      text: `Your confirmation code is ${emailCode.code}.\n\nEnter it to receive your nudges at this address (POST /api/me/channels/confirm). ` +
        'If you did not ask for this, ignore this message: nothing else will be sent here.',
      unsubscribeUrl: unsubscribeUrl(outreach, userId, 'email', result.send.email)
    }), 'email address')
  }
  if (result.send.phone) {
    await sendCode(outreach.sms!.send({ to: result.send.phone, body: `Resolution Autopilot code: ${phoneCode.code}. Reply STOP to opt out.` }), 'phone number')
  }
  return result.view
}

/** The contact after the person set `address` (null removes it); `willSend` when a code goes out. */
function nextContact (current: StoredContact | null, address: string | null, codeDigest: string, now: Date, willSend: () => void): StoredContact | null {
  if (address === null) return null
  // Setting the confirmed address again changes nothing.
  if (current?.address === address && current.status === 'confirmed') return current
  const refusal = resendRefusal(current, address, now)
  if (refusal) throw new DomainError('too_many', refusal.message, refusal.retryAfter, { limit: 'confirmation', retry_after: refusal.retryAfter })
  willSend()
  return pendingContact(address, codeDigest, now, current)
}

async function sendCode (sending: Promise<{ outcome: string, detail: string }>, what: string): Promise<void> {
  const result = await sending
  if (result.outcome !== 'delivered') {
    throw new DomainError('upstream_failed', `The confirmation code could not be sent to your ${what} (${result.detail}); it is saved as pending — set it again to retry.`)
  }
}

export async function confirmContact (outreach: Outreach, userId: string, body: ConfirmContactBody, now = new Date()): Promise<Channels> {
  const field = body.channel === 'email' ? 'email' : 'phone'
  const outcome = await outreach.repo.updateChannels(userId, channels => {
    const contact = channels[field]
    if (!contact) return 'none' as const
    const check = checkCode(contact, body.code, now)
    if (check === 'ok') channels[field] = { ...contact, status: 'confirmed', code_digest: null, code_expires_at: null, confirmed_at: now.toISOString() }
    else if (check === 'wrong') channels[field] = { ...contact, code_attempts: contact.code_attempts + 1 }
    return check === 'wrong' ? { wrong: MAX_CODE_ATTEMPTS - contact.code_attempts - 1 } : check
  })
  if (outcome === null) throw notFound('Your account no longer exists.')
  const what = body.channel === 'email' ? 'email address' : 'phone number'
  if (outcome === 'none') throw conflict(`No ${what} is waiting for confirmation: set one first (PUT /api/me/channels).`)
  if (outcome === 'expired') throw conflict(`The code has expired: set your ${what} again for a new one.`)
  if (outcome === 'used_up') throw conflict(`Too many wrong codes: set your ${what} again for a new one.`)
  if (typeof outcome === 'object') {
    throw invalid(outcome.wrong > 0 ? `body.code is not the code sent (${outcome.wrong} ${outcome.wrong === 1 ? 'try' : 'tries'} left)` : `body.code is not the code sent; no tries left — set your ${what} again for a new one`)
  }
  return getChannels(outreach, userId)
}

export async function rotateWebhookSecret (outreach: Outreach, userId: string): Promise<Channels> {
  await getAccount(outreach.repo, userId)
  const secret = newWebhookSecret()
  const rotated = await outreach.repo.updateChannels(userId, channels => {
    if (!channels.webhook) return false
    channels.webhook = { ...channels.webhook, secret }
    return true
  })
  if (rotated === null) throw notFound('Your account no longer exists.')
  if (!rotated) throw conflict('No webhook is set up: PUT /api/me/channels with webhook_url first.')
  return channelsView(await outreach.repo.getChannels(userId), outreach, secret)
}

/** Marks the person's email address as opted out (an unsubscribe link); what happened, in words. */
export async function unsubscribeEmail (outreach: Outreach, userId: string, address: string): Promise<string> {
  const changed = await outreach.repo.updateChannels(userId, channels => {
    if (channels.email?.address !== address || channels.email.status === 'unsubscribed') return false
    channels.email = { ...channels.email, status: 'unsubscribed', code_digest: null, code_expires_at: null }
    return true
  })
  return changed === null ? 'This address is no longer registered.' : `${address} will receive no more nudges from Resolution Autopilot.`
}

/** A phone number that replied STOP (Twilio refuses to send to it): no more SMS until set again. */
export async function phoneOptedOut (outreach: Outreach, userId: string, address: string): Promise<void> {
  await outreach.repo.updateChannels(userId, channels => {
    if (channels.phone?.address === address) channels.phone = { ...channels.phone, status: 'unsubscribed', code_digest: null, code_expires_at: null }
  })
}

export function readUnsubscribeToken (outreach: Outreach, token: string): { userId: string, kind: 'email' | 'buddy', address: string } | null {
  const fields = readLink(outreach.links.secret, 'unsubscribe', token)
  if (!fields || fields.length !== 3 || (fields[1] !== 'email' && fields[1] !== 'buddy')) return null
  return { userId: fields[0], kind: fields[1], address: fields[2] }
}
