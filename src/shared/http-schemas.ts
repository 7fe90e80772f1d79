// Schemas every feature's routes share (errors, rate-limit refusals, instants, nullable values):
// one definition of each rule, used for validation, serialization and the OpenAPI document alike.
import { Type, type TSchema } from 'typebox'

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

export const Instant = Type.String({ format: 'date-time', description: 'an RFC 3339 date-time with Z or an offset, e.g. 2026-01-05T07:30:00+01:00' })

/** `schema` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A calendar date in the user's zone. */
export const LocalDate = Type.String({ format: 'date', description: 'a date (YYYY-MM-DD) in your time zone' })

/** A wall-clock time in the user's zone. */
export const LocalTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'a time of day, HH:MM (24 h), in your time zone' })
