// What the session plugin needs of a session store: @fastify/session's callback trio, plus
// ending every session of one user (password change, account deletion).
import { unavailable } from '../../shared/domain-errors.js'

export const SESSION_RETRY_AFTER_SECONDS = 5

/** The store cannot be trusted right now (Redis down): the client should retry shortly. */
export function sessionsUnavailable () {
  return unavailable('Sessions are temporarily unavailable; try again in a few seconds.', SESSION_RETRY_AFTER_SECONDS)
}

export interface StoredSession {
  userId?: string
  username?: string
  cookie: { expires?: string | Date | null, [key: string]: unknown }
  [key: string]: unknown
}

export type SessionCallback<T = void> = (err?: Error | null, value?: T) => void

export interface SessionStore {
  get (sid: string, callback: SessionCallback<StoredSession | null>): void
  set (sid: string, session: StoredSession, callback: SessionCallback): void
  destroy (sid: string, callback: SessionCallback): void
  /** Ends every session of `userId` except `keepSid`; returns how many ended. */
  destroyUserSessions (userId: string, keepSid?: string): Promise<number>
  /**
   * Whether sessions can be created and ended right now. Changes that must end sessions
   * (password change, account deletion) and that start one (registration) check it first, so
   * they are refused whole rather than half-done.
   */
  available (): boolean
  /**
   * Starts reading the session now, so the read shares a round trip with the request's other
   * Redis reads; the next `get` of it uses the result. Absent where a read costs nothing (memory).
   */
  prefetch? (sid: string): void
  close (): void
}

/** Milliseconds until the session's stored expiry (undefined when it has none). */
export function ttlOf (session: StoredSession, now = Date.now()): number | undefined {
  const expires = session.cookie?.expires ? Date.parse(String(session.cookie.expires)) : NaN
  return Number.isNaN(expires) ? undefined : Math.max(1, expires - now)
}

/** A plain, JSON-safe copy (the library hands the store a Session object). */
export function plainSession (session: StoredSession): StoredSession {
  return JSON.parse(JSON.stringify(session)) as StoredSession
}

/** How a client presents its session: this cookie (browsers) or this header (API clients), same value. */
export const SESSION_COOKIE = 'sessionId'
export const SESSION_HEADER = 'x-session-id'
/**
 * Sessions exist for the API only: the browser sends the cookie to /api/* and nothing else, and
 * /health or /documentation never touch the session store (so they answer while Redis is down).
 */
export const SESSION_COOKIE_PATH = '/api'
