// Double opt-in codes for email addresses and phone numbers: six digits, kept only as a digest,
// valid for a day and for a few tries, sent at most a few times a day — so the confirmation
// itself cannot be used to flood an address that never asked for anything.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'
import type { StoredContact } from './channel-schemas.js'

export const CODE_TTL_MS = 24 * 60 * 60 * 1000
export const MAX_CODE_ATTEMPTS = 5
/** codes sent to one address in one day */
export const MAX_CODES_PER_DAY = 5
/** the shortest wait between two codes to one address */
export const CODE_RESEND_MS = 60 * 1000

const digest = (code: string) => createHash('sha256').update(`contact-code:${code}`).digest('hex')

export function newCode (): { code: string, digest: string } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
  return { code, digest: digest(code) }
}

export function pendingContact (address: string, codeDigest: string, now: Date, previous: StoredContact | null): StoredContact {
  const sameDay = previous?.address === address && previous.last_code_at !== null && now.getTime() - Date.parse(previous.last_code_at) < CODE_TTL_MS
  return {
    address,
    status: 'pending',
    code_digest: codeDigest,
    code_expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
    code_attempts: 0,
    codes_sent: (sameDay ? previous.codes_sent : 0) + 1,
    last_code_at: now.toISOString(),
    confirmed_at: null
  }
}

/** Why a new code may not be sent to `address` now (null: it may), with seconds to wait. */
export function resendRefusal (previous: StoredContact | null, address: string, now: Date): { message: string, retryAfter: number } | null {
  if (previous?.address !== address || previous.last_code_at === null) return null
  const since = now.getTime() - Date.parse(previous.last_code_at)
  if (since < CODE_RESEND_MS) {
    const wait = Math.ceil((CODE_RESEND_MS - since) / 1000)
    return { message: `A code was sent to ${address} less than a minute ago; wait ${wait} s before asking for another.`, retryAfter: wait }
  }
  if (since < CODE_TTL_MS && previous.codes_sent >= MAX_CODES_PER_DAY) {
    const wait = Math.ceil((CODE_TTL_MS - since) / 1000)
    return { message: `${MAX_CODES_PER_DAY} codes were sent to ${address} today; try again tomorrow.`, retryAfter: wait }
  }
  return null
}

export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'used_up' | 'none'

export function checkCode (contact: StoredContact, code: string, now: Date): CodeCheck {
  if (contact.status !== 'pending' || contact.code_digest === null || contact.code_expires_at === null) return 'none'
  if (contact.code_attempts >= MAX_CODE_ATTEMPTS) return 'used_up'
  if (now.getTime() > Date.parse(contact.code_expires_at)) return 'expired'
  const given = Buffer.from(digest(code), 'hex')
  return timingSafeEqual(given, Buffer.from(contact.code_digest, 'hex')) ? 'ok' : 'wrong'
}
