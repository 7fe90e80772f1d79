// Sessions (@fastify/session) with the cookie `sessionId` or, for API clients, the header
// `x-session-id` carrying the same signed value. No session is stored for anonymous requests.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import session from '@fastify/session'
import { MemorySessionStore } from '../../src/infra/sessions/memory-session-store.js'
import { RedisSessionStore } from '../../src/infra/sessions/redis-session-store.js'
import { SESSION_COOKIE, SESSION_COOKIE_PATH, SESSION_HEADER, type SessionStore } from '../../src/infra/sessions/session-store.js'


declare module 'fastify' {
  interface FastifyInstance {
    /** the session store, with the per-user index used to end all of a user's sessions */
    sessions: SessionStore
  }
  interface Session {
    userId?: string
    username?: string
  }
  interface FastifyRequest {
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
}, { name: 'sessions', dependencies: ['config', 'redis'] })
