// Rate limits per scope (see src/infra/rate-limit-scopes.ts), each on its own counter.
// @fastify/rate-limit runs at most one limiter per registration and, with Redis, all limiters of
// one registration share a key prefix; so each scope gets its own registration in its own context
// with its own `nameSpace`, and the hooks here ask every scope a request belongs to.
// - api, agent, workout: every request counts (onRequest, before the body is read);
// - auth (per IP) and auth_user (per username, logins only): only failed attempts count (onSend,
//   before the reply leaves, so an immediate retry sees the count); an attempt is refused while
//   either is exhausted, the 429 naming which.
// Limits fail open: while Redis is down, requests are not counted rather than refused.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { failureScopesFor, isFailedAttempt, refusing, scopesFor, SCOPES, tightest, type RateLimitScope, type ScopeResult } from '../../src/infra/rate-limit-scopes.js'
import { RedisUnavailableError } from '../../src/infra/redis/redis-health.js'
import { tokenDigest } from '../../src/calendar/feed-token.js'
import { rateLimitedResponse } from '../../src/shared/http-schemas.js'

type Limiter = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<{
  isAllowed: boolean, max?: number, remaining?: number, ttlInSeconds?: number, isExceeded?: boolean
}>

export function rateLimitBody (scope: RateLimitScope, retryAfter: number) {
  return { statusCode: 429 as const, error: STATUS_CODES[429]!, message: `Too many requests (${scope} limit); retry in ${retryAfter} s.`, limit: scope, retry_after: retryAfter }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the counts started before the session was read, for the user the credential named */
    limitsPrefetched: { userId: string, results: Promise<ScopeResult[]> } | null
  }
}

/**
 * The user's counter when the request has a session, else the address's. Before the session is
 * read (request.session still null: a prefetch), the user the credential named when last verified.
 */
const userOrIp = (request: FastifyRequest) => {
  const userId = request.session ? request.session.userId : request.expectedUserId
  return userId ? `user:${userId}` : `ip:${request.ip}`
}
const ip = (request: FastifyRequest) => `ip:${request.ip}`
/** The feed's token, as a digest (a Redis key must not hold the secret). */
const feedToken = (request: FastifyRequest) => `token:${tokenDigest(String((request.query as { token?: unknown } | undefined)?.token ?? ''))}`
const targetUsername = (request: FastifyRequest) => `name:${String((request.body as { username?: unknown } | null | undefined)?.username ?? '').slice(0, 64)}`

/** The path a request is judged by: its route pattern, or its URL path when no route matched. */
const pathOf = (request: FastifyRequest) => request.routeOptions.url ?? request.url.split('?')[0]

export default fp(async function rateLimits (fastify) {
  const { config } = fastify
  const health = fastify.redisHealth
  const limits: Record<RateLimitScope, { max: number, window: number }> = {
    api: { max: config.RATE_LIMIT_API_MAX, window: config.RATE_LIMIT_API_WINDOW },
    agent: { max: config.RATE_LIMIT_AGENT_MAX, window: config.RATE_LIMIT_AGENT_WINDOW },
    workout: { max: config.RATE_LIMIT_WORKOUT_MAX, window: config.RATE_LIMIT_WORKOUT_WINDOW },
    feed: { max: config.RATE_LIMIT_FEED_MAX, window: config.RATE_LIMIT_FEED_WINDOW },
    auth: { max: config.RATE_LIMIT_AUTH_MAX, window: config.RATE_LIMIT_AUTH_WINDOW },
    auth_user: { max: config.RATE_LIMIT_AUTH_MAX, window: config.RATE_LIMIT_AUTH_WINDOW }
  }
  const keyOf = { api: userOrIp, agent: userOrIp, workout: userOrIp, feed: feedToken, auth: ip, auth_user: targetUsername }

  const limiters = {} as Record<RateLimitScope, Limiter>
  for (const scope of SCOPES) {
    await fastify.register(async function scopeLimiter (child: FastifyInstance) {
      await child.register(rateLimit, {
        global: false,
        max: limits[scope].max,
        timeWindow: limits[scope].window * 1000,
        keyGenerator: keyOf[scope],
        cache: 10_000,
        ...(health.status !== 'disabled' ? { redis: fastify.redis, nameSpace: `${config.REDIS_PREFIX}ratelimit:${scope}:` } : {})
      })
      limiters[scope] = child.createRateLimit() as Limiter
    })
  }

  /**
   * One scope's state after counting this request (`increment`) or without counting it; null
   * when it cannot be known now (Redis down: fail open).
   */
  async function check (scope: RateLimitScope, request: FastifyRequest, increment: boolean): Promise<ScopeResult | null> {
    let r
    try {
      r = await health.call(() => limiters[scope](request, { increment }))
    } catch (err) {
      if (err instanceof RedisUnavailableError) return null
      throw err
    }
    if (r.isAllowed) return null
    // Read without counting, a key never used has no window yet: it would start now.
    const resetSeconds = r.ttlInSeconds || limits[scope].window
    const exceeded = increment ? r.isExceeded! : r.remaining === 0
    return { scope, max: r.max!, remaining: r.remaining!, resetSeconds, exceeded }
  }

  /** Shows the tightest limit in x-ratelimit-*, or refuses with the limit that is exhausted. */
  function apply (results: ScopeResult[], reply: FastifyReply): FastifyReply | undefined {
    const shown = tightest(results)
    if (!shown) return
    reply.header('x-ratelimit-limit', shown.max)
    reply.header('x-ratelimit-remaining', shown.remaining)
    reply.header('x-ratelimit-reset', shown.resetSeconds)
    const refused = refusing(results)
    if (!refused) return
    // The headers describe the limit that refused.
    reply.header('x-ratelimit-limit', refused.max)
    reply.header('x-ratelimit-remaining', refused.remaining)
    reply.header('x-ratelimit-reset', refused.resetSeconds)
    reply.header('retry-after', refused.resetSeconds)
    return reply.code(429).send(rateLimitBody(refused.scope, refused.resetSeconds))
  }

  const counted = async (scopes: RateLimitScope[], request: FastifyRequest, increment: boolean) =>
    (await Promise.all(scopes.map(scope => check(scope, request, increment)))).filter(r => r !== null)

  // Every limited route documents (and serializes) its 429 body.
  fastify.addHook('onRoute', route => {
    const path = route.url ?? ''
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!methods.some(m => scopesFor(m, path).length > 0) || !route.schema?.response) return
    ;(route.schema.response as Record<number, unknown>)[429] ??= rateLimitedResponse()
  })

  // A known credential: count now, in the same round trip as the session read (sessions.ts).
  // Routes with failure counts (login, register) are left to the hooks below.
  fastify.decorateRequest('limitsPrefetched', null)
  fastify.requestPrefetchers.push((request, userId) => {
    const path = pathOf(request)
    const scopes = scopesFor(request.method, path)
    if (scopes.length === 0 || failureScopesFor(request.method, path).length > 0) return
    const results = counted(scopes, request, true)
    // Awaited in onRequest; one left unused (the request failed first) must not go unheard.
    results.catch(() => {})
    request.limitsPrefetched = { userId, results }
  })

  fastify.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request)
    const early = request.limitsPrefetched
    // Counted early for the user the session turned out to be: done. (Counted for a user whose
    // session has ended since: that counter took one request too many; count this one properly.)
    if (early && early.userId === request.session?.userId) return apply(await early.results, reply)
    // The per-IP failure count needs no body: refuse a locked-out address before reading it.
    const failureScopes = failureScopesFor(request.method, path).filter(scope => scope === 'auth')
    const results = [
      ...await counted(scopesFor(request.method, path), request, true),
      ...await counted(failureScopes, request, false)
    ]
    return apply(results, reply)
  })

  fastify.addHook('preValidation', async (request, reply) => {
    // The per-username count needs the body (parsed by now, validated next). It shows in the
    // headers only when it refuses: how many failures a name has had is nobody else's business.
    if (!failureScopesFor(request.method, pathOf(request)).includes('auth_user')) return
    const locked = (await counted(['auth_user'], request, false)).filter(r => r.exceeded)
    return apply(locked, reply)
  })

  fastify.addHook('onSend', async (request, reply, payload) => {
    const scopes = failureScopesFor(request.method, pathOf(request))
    if (scopes.length > 0 && isFailedAttempt(reply.statusCode)) await counted(scopes, request, true)
    return payload
  })
}, { name: 'rate-limit', dependencies: ['config', 'redis', 'sessions'] })
