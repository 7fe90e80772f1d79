// Checks an `Authorization: Bearer <token>` header against the configured token (METRICS_TOKEN)
// in constant time: both sides are hashed first, so neither the content nor the length of the
// expected token can be learned from how long a wrong guess takes to be refused.
import { createHash, timingSafeEqual } from 'node:crypto'

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i

/** The token of a `Bearer` authorization header, or null when the header is absent or another scheme. */
export function bearerToken (header: string | undefined): string | null {
  if (typeof header !== 'string') return null
  return BEARER.exec(header)?.[1] ?? null
}

export function bearerTokenMatches (header: string | undefined, expected: string): boolean {
  const given = bearerToken(header)
  if (given === null) return false
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
