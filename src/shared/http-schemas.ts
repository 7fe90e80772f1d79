// Schemas every feature's routes share (errors, rate-limit refusals, instants, nullable values):
// one definition of each rule, used for validation, serialization and the OpenAPI document alike.
//
// A schema with an `$id` is a named one: registered once (plugins/app/validation.ts lists them)
// and used through ref(), so the OpenAPI document holds it once, under components.schemas, and
// every use is a `$ref` — which is what gives generated clients their named types.
import { Type, type Static, type TObject, type TProperties, type TSchema, type TUnsafe } from 'typebox'

/**
 * A `$ref` to a named schema, typed as that schema (a bare Type.Ref is `unknown` to TypeScript).
 * `description` describes this use: a response's description in the document, for example.
 */
export function ref<T extends TSchema> (schema: T, description?: string): TUnsafe<Static<T>> {
  const id = (schema as { $id?: unknown }).$id
  if (typeof id !== 'string') throw new Error('ref() needs a named schema (one with an $id)')
  return Type.Unsafe<Static<T>>(Type.Ref(id, description === undefined ? {} : { description }))
}

/**
 * A querystring whose every parameter has a default: optional to clients (not `required` in the
 * document), always present in the handler, because validation fills the defaults in (Ajv's
 * `useDefaults`) before the handler runs.
 */
export function queryWithDefaults<P extends TProperties> (properties: P): TUnsafe<Static<TObject<P>>> {
  const optional: TProperties = {}
  for (const [name, schema] of Object.entries(properties)) {
    if (!('default' in schema)) throw new Error(`query parameter ${name} has no default`)
    optional[name] = Type.Optional(schema)
  }
  return Type.Unsafe<Static<TObject<P>>>(Type.Object(optional))
}

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String()
}, { $id: 'ErrorResponse', description: 'What went wrong, in words a person can act on' })

export const RateLimited = Type.Object({
  statusCode: Type.Literal(429),
  error: Type.String(),
  message: Type.String(),
  limit: Type.Enum(['api', 'agent', 'workout', 'feed', 'auth', 'auth_user', 'agent_daily', 'nudge_daily', 'confirmation'], { description: 'auth: failed logins and registrations from your address; auth_user: failed logins for this username; nudge_daily: your daily_cap of webhook, email and SMS nudges; confirmation: codes sent to one address' }),
  retry_after: Type.Integer({ description: 'seconds until the limit resets' })
}, { $id: 'RateLimited', description: 'A rate limit was reached; `limit` names which one' })

/** What each error status means on this API: the response's description in the document. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid; the message names the field',
  401: 'No valid session (or bearer token): log in first',
  403: 'Not allowed: the password given is not your current one, or the user_id sent is not yours',
  404: 'Not found, or not yours',
  409: 'Conflicts with what is stored (the username is taken, or a request_id was reused with another body)',
  413: 'The body is larger than the service accepts',
  415: 'The body is not JSON',
  502: 'The language model failed',
  503: 'Temporarily unavailable (the session store or storage is down, or the service is restarting); retry shortly',
  504: 'The language model did not answer in time'
}

/** Response entries for the error statuses a route can return. */
export function errors (...codes: number[]): Record<number, TUnsafe<Static<typeof ErrorResponse>>> {
  return Object.fromEntries(codes.map(code => [code, ref(ErrorResponse, ERROR_DESCRIPTIONS[code] ?? 'The request failed')]))
}

/** The 429 of every rate-limited route (plugins/app/rate-limit.ts adds it to their schemas). */
export const rateLimitedResponse = () => ref(RateLimited, 'A rate limit was reached; `limit` names which one, `retry_after` says when to retry')

export const Instant = Type.String({ format: 'date-time', description: 'an RFC 3339 date-time with Z or an offset, e.g. 2026-01-05T07:30:00+01:00' })

/** `schema` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A calendar date in the user's zone. */
export const LocalDate = Type.String({ format: 'date', description: 'a date (YYYY-MM-DD) in your time zone' })

/** A wall-clock time in the user's zone. */
export const LocalTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'a time of day, HH:MM (24 h), in your time zone' })
