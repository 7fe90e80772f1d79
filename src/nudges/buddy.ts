// An accountability buddy: someone the person chose, who receives nothing until they accept the
// invitation themselves (a signed link sent to their address or webhook) and can opt out at once.
import { randomUUID } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { conflict, DomainError, invalid, notFound } from '../shared/domain-errors.js'
import type { Buddy, BuddyBody, StoredBuddy } from './channel-schemas.js'
import { newWebhookSecret, unsubscribeUrl } from './channels.js'
import type { Outreach } from './outreach.js'
import { readLink, signLink } from './signed-link.js'

export function buddyView (buddy: StoredBuddy, shownSecret?: string): Buddy {
  return {
    name: buddy.name,
    email: buddy.email,
    webhook_url: buddy.webhook?.url ?? null,
    status: buddy.status,
    ...(shownSecret ? { webhook_secret: shownSecret } : {}),
    invited_at: buddy.invited_at,
    confirmed_at: buddy.confirmed_at
  }
}

export async function getBuddy (outreach: Outreach, userId: string): Promise<Buddy> {
  await getAccount(outreach.repo, userId)
  const buddy = await outreach.repo.getBuddy(userId)
  if (!buddy) throw notFound('You have no buddy set (PUT /api/me/buddy).')
  return buddyView(buddy)
}

export function invitationUrl (outreach: Outreach, userId: string, invitationId: string): string {
  return `${outreach.links.baseUrl}/api/links/buddy-invitation?token=${signLink(outreach.links.secret, 'buddy-invitation', [userId, invitationId])}`
}

/** Sets (or replaces) the buddy and sends them an invitation; they are `pending` until they accept. */
export async function setBuddy (outreach: Outreach, userId: string, body: BuddyBody, now = new Date()): Promise<Buddy> {
  const account = await getAccount(outreach.repo, userId)
  if (!body.email && !body.webhook_url) throw invalid('body must have email or webhook_url: your buddy is reached through one of them')
  if (body.email && !outreach.email) throw conflict('Email is not available on this server: the operator has not set SMTP_URL and SMTP_FROM; give your buddy a webhook_url instead.')
  if (body.webhook_url) await outreach.fetcher.validate(body.webhook_url, 'body.webhook_url')
  const secret = body.webhook_url ? newWebhookSecret() : undefined
  const buddy: StoredBuddy = {
    name: body.name,
    email: body.email ?? null,
    webhook: body.webhook_url ? { url: body.webhook_url, secret: secret! } : null,
    status: 'pending',
    invitation_id: randomUUID(),
    invited_at: now.toISOString(),
    confirmed_at: null
  }
  const stored = await outreach.repo.updateBuddy(userId, () => ({ buddy, result: true }))
  if (stored === null) throw notFound('Your account no longer exists.')

  const acceptUrl = invitationUrl(outreach, userId, buddy.invitation_id)
  const invitation = `${account.username} is keeping a resolution with Resolution Autopilot and asked you, ${buddy.name}, to be their accountability buddy: ` +
    'now and then you would get a short message when they could use encouragement.'
  const sent = []
  if (buddy.email) {
    sent.push(await outreach.email!.send({
      to: buddy.email,
      subject: `${account.username} asked you to be their accountability buddy`,
      text: `${invitation}\n\nAccept: ${acceptUrl}\n\nIf you do not accept, nothing else will be sent to you.`,
      unsubscribeUrl: unsubscribeUrl(outreach, userId, 'buddy', buddy.email)
    }))
  }
  if (buddy.webhook) {
    sent.push(await outreach.webhook.send(buddy.webhook, buddy.invitation_id, {
      id: buddy.invitation_id, type: 'buddy_invitation', created_at: buddy.invited_at,
      invitation: { from: account.username, message: invitation, accept_url: acceptUrl }
    }))
  }
  const failed = sent.filter(r => r.outcome !== 'delivered')
  if (failed.length === sent.length) {
    throw new DomainError('upstream_failed', `The invitation could not be sent (${failed.map(f => f.detail).join('; ')}); your buddy is saved as pending — set them again to retry.`)
  }
  return buddyView(buddy, secret)
}

export async function deleteBuddy (outreach: Outreach, userId: string): Promise<void> {
  const removed = await outreach.repo.updateBuddy(userId, current => ({ buddy: null, result: current !== null }))
  if (!removed) throw notFound('You have no buddy set.')
}

/** What an invitation link names, or null when it is not a valid one. */
export function readInvitation (outreach: Outreach, token: string): { userId: string, invitationId: string } | null {
  const fields = readLink(outreach.links.secret, 'buddy-invitation', token)
  return fields?.length === 2 ? { userId: fields[0], invitationId: fields[1] } : null
}

/** The buddy accepts (or declines); what happened, in words for them. */
export async function answerInvitation (outreach: Outreach, token: string, accept: boolean, now = new Date()): Promise<string> {
  const invitation = readInvitation(outreach, token)
  if (!invitation) throw invalid('This invitation link is not valid.')
  const answer = await outreach.repo.updateBuddy(invitation.userId, current => {
    if (current?.invitation_id !== invitation.invitationId) return { buddy: current, result: 'gone' as const }
    const buddy: StoredBuddy = accept
      ? { ...current, status: 'confirmed', confirmed_at: current.confirmed_at ?? now.toISOString() }
      : { ...current, status: 'unsubscribed' }
    return { buddy, result: accept ? 'accepted' as const : 'declined' as const }
  })
  if (answer === null || answer === 'gone') throw notFound('This invitation was withdrawn or replaced.')
  return answer === 'accepted'
    ? 'Thank you — you are now their accountability buddy. Every message carries a link to stop at any time.'
    : 'Declined: you will receive nothing more about this.'
}

/** A buddy's opt-out from a link in a message to them. */
export async function buddyOptOut (outreach: Outreach, userId: string, address: string): Promise<string> {
  await outreach.repo.updateBuddy(userId, current => current?.email === address
    ? { buddy: { ...current, status: 'unsubscribed' }, result: true }
    : { buddy: current, result: false })
  return `${address} will receive no more messages from Resolution Autopilot.`
}
