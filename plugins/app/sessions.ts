// Sessions (@fastify/session) with the cookie `sessionId` or, for API clients, the header
// `x-session-id` carrying the same signed value. No session is stored for anonymous requests.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import session from '@fastify/session'
import { MemorySessionStore } from '../../src/infra/sessions/memory-session-store.js'
import { RedisSessionStore } from '../../src/infra/sessions/redis-session-store.js'
import { SESSION_COOKIE, SESSION_COOKIE_PATH, SESSION_HEADER, type SessionStore } from '../../src/infra/sessions/session-store.js'
import { KnownSessions } from '../../src/infra/sessions/known-sessions.js'


/**
 * Starts a request's Redis reads for a credential this instance has verified before, all in the
 * same tick as the session read, so they travel to Redis together (one round trip).
 */
export type RequestPrefetcher = (request: FastifyRequest, userId: string) => void

declare module 'fastify' {
  interface FastifyInstance {
    /** the session store, with the per-user index used to end all of a user's sessions */
    sessions: SessionStore
    /** what other plugins read early for a known credential (rate limits, the response cache) */
    requestPrefetchers: RequestPrefetcher[]
  }
  interface Session {
    userId?: string
    username?: string
  }
  interface FastifyRequest {
    /**
     * whose session the credential named when this instance last verified it; set before the
     * session is read (null: unknown credential); the session read decides, not this
     */
    expectedUserId: string | null
    /** starts a fresh session for `user`, replacing (and deleting) the one that came in; its id */
    startSession (user: { id: string, username: string }): Promise<string>
    /** when this request's stored session expires (ms since epoch), or null if it has no expiry */
    sessionExpiresAt (): number | null
  }
  interface FastifyReply {
    /** ends the request's session in the store and clears the browser's cookie */
    endSession (): Promise<void>
  }
}

function sessionExpiresAt (this: FastifyRequest): number | null {
  // A restored session's cookie is re-dated to now + TTL; the stored expiry is `originalExpires`.
  const cookie = this.session.cookie as { originalExpires?: Date, expires?: Date | null }
  const at = cookie.originalExpires ?? cookie.expires
  return at ? new Date(at).getTime() : null
}

async function startSession (this: FastifyRequest, user: { id: string, username: string }): Promise<string> {
  await this.session.regenerate()
  this.session.userId = user.id
  this.session.username = user.username
  await this.session.save()
  return this.session.encryptedSessionId
}

async function endSession (this: FastifyReply): Promise<void> {
  await this.request.session.destroy()
  this.clearCookie(SESSION_COOKIE, { path: SESSION_COOKIE_PATH })
}

export default fp(async function sessions (fastify) {
  const { config } = fastify
  const store: SessionStore = config.REDIS_URL
    ? new RedisSessionStore(fastify.redis, fastify.redisHealth, {
      prefix: config.REDIS_PREFIX,
      fallbackSeconds: config.SESSION_FALLBACK_SECONDS,
      fallbackMax: config.SESSION_FALLBACK_MAX
    })
    : new MemorySessionStore(config.SESSION_MEMORY_MAX)
  fastify.decorate('sessions', store)
  fastify.decorate('requestPrefetchers', [] as RequestPrefetcher[])
  fastify.decorateRequest('expectedUserId', null)
  // The credentials of the people active on this instance lately (about 200 bytes each).
  const known = new KnownSessions(Math.min(config.SESSION_MEMORY_MAX, 20_000))
  fastify.decorateRequest('startSession', startSession)
  fastify.decorateRequest('sessionExpiresAt', sessionExpiresAt)
  fastify.decorateReply('endSession', endSession)
  fastify.addHook('onClose', async () => store.close())

  await fastify.register(cookie)

  // @fastify/session reads only its cookie; hand it the header's value (registered between the
  // cookie parser and the session hook, so it runs after the one and before the other).
  fastify.addHook('onRequest', async (request) => {
    const header = request.headers[SESSION_HEADER]
    if (typeof header === 'string' && header.length > 0) request.cookies[SESSION_COOKIE] = header
    // Only where the session is read (the cookie's path): elsewhere a prefetch would go unused.
    const credential = request.cookies[SESSION_COOKIE]
    if (!credential || !store.prefetch || !request.url.startsWith(SESSION_COOKIE_PATH + '/')) return
    const seen = known.lookup(credential)
    if (!seen) return
    request.expectedUserId = seen.userId
    store.prefetch(seen.sid)
    for (const prefetch of fastify.requestPrefetchers) prefetch(request, seen.userId)
  })

  await fastify.register(session, {
    secret: config.SESSION_SECRET,
    cookieName: SESSION_COOKIE,
    store: store as any,
    saveUninitialized: false,
    // Rolling would write the store on every request; sliding expiry is done in the auth hook,
    // only once a good part of the TTL has passed.
    rolling: false,
    cookie: {
      path: SESSION_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'lax',
      // 'auto': Secure exactly when the request came over TLS (as seen through TRUST_PROXY).
      secure: 'auto',
      maxAge: config.SESSION_TTL * 1000
    }
  })

  // After the session is read: remember whose a verified credential is (for the next prefetch),
  // and forget one that no longer names a live session.
  if (store.prefetch) {
    fastify.addHook('onRequest', async (request) => {
      const credential = request.cookies[SESSION_COOKIE]
      if (!credential || !request.session) return
      const userId = request.session.userId
      if (userId) known.remember(credential, { sid: request.session.sessionId, userId })
      else known.forget(credential)
    })
  }
}, { name: 'sessions', dependencies: ['config', 'redis'] })
