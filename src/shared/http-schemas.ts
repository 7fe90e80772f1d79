// Schemas shared by routes (and, later, the coach's tools): one definition of each rule, used for
// validation, serialization and the OpenAPI document alike.
import { Type } from 'typebox'

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String()
}, { description: 'What went wrong, in words a person can act on' })

export const RateLimited = Type.Object({
  statusCode: Type.Literal(429),
  error: Type.String(),
  message: Type.String(),
  limit: Type.Enum(['api', 'agent', 'workout', 'auth', 'auth_user', 'agent_daily'], { description: 'auth: failed logins and registrations from your address; auth_user: failed logins for this username' }),
  retry_after: Type.Integer({ description: 'seconds until the limit resets' })
}, { description: 'A rate limit was reached; `limit` names which one' })

/** Response entries for the error statuses a route can return. */
export function errors (...codes: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(codes.map(code => [code, ErrorResponse]))
}

/** The one definition of a valid username (the API, the username index and the CLI use it). */
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/

export const Username = Type.String({
  pattern: USERNAME_PATTERN.source,
  description: "3–32 characters: lowercase letters, digits, '_', '.' or '-'"
})

export const Password = Type.String({ minLength: 8, maxLength: 1024, description: '8–1024 characters' })

export const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone name such as Europe/Berlin' })

export const Instant = Type.String({ format: 'date-time', description: 'an RFC 3339 date-time with Z or an offset, e.g. 2026-01-05T07:30:00+01:00' })

export const PublicUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  timezone: Type.String(),
  resolution: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' })
})
