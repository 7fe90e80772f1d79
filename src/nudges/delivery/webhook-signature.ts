// How a receiver knows a webhook came from us and was not replayed: the header
// `x-ra-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, the scheme
// Stripe uses, so receivers can reuse what they know. The timestamp is inside the MAC, so an old
// request cannot be re-sent with a fresh time. Several v1= entries are accepted (as Stripe does) so
// a secret can be rotated: during the rotation the sender signs with both.
// verifyWebhookSignature is the reference the README shows receivers.
import { createHmac, timingSafeEqual } from 'node:crypto'

const SHA256_HEX = /^[0-9a-f]{64}$/
const UNIX_SECONDS = /^\d{1,12}$/

function mac (secret: string, timestampS: number, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestampS}.`).update(rawBody).digest()
}

export function signWebhook (secret: string, rawBody: string, timestampS: number): string {
  if (!Number.isSafeInteger(timestampS) || timestampS < 0) throw new RangeError('timestampS must be a whole number of seconds')
  return `t=${timestampS},v1=${mac(secret, timestampS, rawBody).toString('hex')}`
}

export interface VerifyOptions {
  /** the receiver's clock, unix seconds */
  nowS: number
  /** how far the signed time may be from nowS, either way (clock skew), in seconds */
  toleranceS?: number
}

/**
 * Whether `header` is a valid signature of exactly these body bytes, made within `toleranceS` of
 * `nowS`. Verify the raw bytes as received: a re-serialized JSON body differs and fails.
 */
export function verifyWebhookSignature (secret: string, header: string | undefined, rawBody: string | Buffer,
  { nowS, toleranceS = 300 }: VerifyOptions): boolean {
  if (typeof header !== 'string' || header.length > 4096) return false
  let timestamp: number | undefined
  const candidates: Buffer[] = []
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 1) return false
    const key = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (key === 't') {
      if (timestamp !== undefined || !UNIX_SECONDS.test(value)) return false
      timestamp = Number(value)
    } else if (key === 'v1') {
      if (!SHA256_HEX.test(value)) return false
      candidates.push(Buffer.from(value, 'hex'))
    }
    // other schemes (v0=…) are ignored, as Stripe's libraries do
  }
  if (timestamp === undefined || candidates.length === 0) return false
  if (Math.abs(nowS - timestamp) > toleranceS) return false
  const expected = mac(secret, timestamp, rawBody)
  // every candidate is compared, so the time taken does not tell which one matched
  let match = false
  for (const candidate of candidates) match = timingSafeEqual(candidate, expected) || match
  return match
}
