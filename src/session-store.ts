// What the session plugin needs of a session store: @fastify/session's callback trio, plus
// ending every session of one user (password change, account deletion).
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
