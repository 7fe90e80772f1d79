// Links the service mails out (unsubscribe, a buddy's invitation) carry their own proof: the
// fields they act on plus an HMAC under a key derived from the session secret. Nothing is looked
// up by token, so no index is needed, and a link cannot be forged or pointed at another user.
import { createHmac, timingSafeEqual } from 'node:crypto'

export type LinkPurpose = 'unsubscribe' | 'buddy-invitation'

function mac (secret: string, purpose: LinkPurpose, data: string): Buffer {
  const key = createHmac('sha256', secret).update(`resolution-autopilot link key v1\n${purpose}`).digest()
  return createHmac('sha256', key).update(data).digest()
}

export function signLink (secret: string, purpose: LinkPurpose, fields: readonly string[]): string {
  const data = Buffer.from(JSON.stringify(fields)).toString('base64url')
  return `${data}.${mac(secret, purpose, data).toString('base64url')}`
}

/** The fields a token carries, or null when it is not one this service signed for `purpose`. */
export function readLink (secret: string, purpose: LinkPurpose, token: string): string[] | null {
  const [data, signature, extra] = token.split('.')
  if (!data || !signature || extra !== undefined) return null
  // Compared as text: base64url decoding ignores the spare bits of the last character, so two
  // different strings can decode to the same bytes — a link must have exactly one valid form.
  const expected = Buffer.from(mac(secret, purpose, data).toString('base64url'))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  try {
    const fields: unknown = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'))
    return Array.isArray(fields) && fields.every(f => typeof f === 'string') ? fields : null
  } catch {
    return null
  }
}
