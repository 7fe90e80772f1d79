// Applies to every /api route: a session is required unless the route is marked public, and the
// prototype's `user_id` parameter is tolerated only when it names the session's own user.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { DomainError, unauthorized } from '../../src/shared/domain-errors.js'
import { SESSION_COOKIE } from '../../src/infra/sessions/session-store.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** reachable without a session (register, login) */
    public?: boolean
  }
  interface FastifyRequest {
    /** the session's user; set on every non-public /api route */
    user: { id: string, username: string }
  }
}

export default async function apiHooks (fastify: FastifyInstance) {
  fastify.decorateRequest('user', null as unknown as FastifyRequest['user'])
  const ttlMs = fastify.config.SESSION_TTL * 1000

  fastify.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return
    const session = request.session
    if (!session?.userId || !session.username) {
      // A credential was sent but names no live session: say so, rather than "send one".
      if (request.cookies?.[SESSION_COOKIE]) throw unauthorized('Your session has expired or was ended; log in again (POST /api/auth/login).')
      throw unauthorized('Log in first: send the sessionId cookie or an x-session-id header (from POST /api/auth/login).')
    }
    request.user = { id: session.userId, username: session.username }
    // Sliding expiry without a store write per request: renew once half the TTL has gone.
    const expires = request.sessionExpiresAt()
    if (expires !== null && expires - Date.now() < ttlMs / 2) {
      session.touch()
      const cookie = session.cookie as { originalExpires?: Date, expires?: Date | null }
      if (cookie.expires) cookie.originalExpires = cookie.expires
      // Renewal is a courtesy: if the store is unreachable now, the session still holds until its
      // current expiry, so the request goes on.
      await session.save().catch(err => request.log.warn({ err: err.message }, 'session renewal skipped'))
    }
  })

  // Everything under /api is personal or a credential: no browser or proxy may keep a copy.
  fastify.addHook('onSend', async (_request, reply, payload) => {
    // (unless the route chose its own, like the calendar feed's revalidation)
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    return payload
  })

  // Identity comes from the session only. Old clients send user_id; it may only repeat the truth.
  fastify.addHook('preValidation', async (request) => {
    for (const part of [request.body, request.query]) {
      if (part === null || typeof part !== 'object' || !('user_id' in part)) continue
      const claimed = String((part as Record<string, unknown>).user_id)
      if (!request.user || claimed !== request.user.id) {
        throw new DomainError('forbidden', 'user_id does not match your session; you can only act as yourself (omit user_id).')
      }
      delete (part as Record<string, unknown>).user_id
    }
  })
}
