// Rate limits per scope (api, agent, workout, auth — see src/rate-limit-scopes.ts), each on its
// own counter. @fastify/rate-limit runs at most one limiter per registration and, with Redis, all
// limiters of one registration share a key prefix; so each scope gets its own registration in its
// own context with its own `nameSpace`, and one hook here asks every scope a request belongs to.
// Limits fail open: while Redis is down, requests are not counted rather than refused.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { refusing, SCOPES, scopesFor, tightest, type RateLimitScope, type ScopeResult } from '../../src/infra/rate-limit-scopes.js'
import { RedisUnavailableError } from '../../src/infra/redis/redis-health.js'
import { RateLimited } from '../../src/shared/http-schemas.js'

type Limiter = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<{
  isAllowed: boolean, max?: number, remaining?: number, ttlInSeconds?: number, isExceeded?: boolean
}>

declare module 'fastify' {
  interface FastifyInstance {
    /** failed-login throttling per target username (credential stuffing from many IPs) */
    loginThrottle: {
      /** seconds to wait if this username is locked, else null (does not count) */
      lockedFor (request: FastifyRequest): Promise<number | null>
      recordFailure (request: FastifyRequest): Promise<void>
    }
  }
}

export function rateLimitBody (scope: RateLimitScope, retryAfter: number) {
  return { statusCode: 429 as const, error: STATUS_CODES[429]!, message: `Too many requests (${scope} limit); retry in ${retryAfter} s.`, limit: scope, retry_after: retryAfter }
}

const userOrIp = (request: FastifyRequest) => request.session?.userId ? `user:${request.session.userId}` : `ip:${request.ip}`
const ip = (request: FastifyRequest) => `ip:${request.ip}`
const targetUsername = (request: FastifyRequest) => `name:${String((request.body as { username?: unknown } | undefined)?.username ?? '').slice(0, 64)}`

export default fp(async function rateLimits (fastify) {
  const { config } = fastify
  const health = fastify.hasDecorator('redisHealth') ? fastify.redisHealth : undefined
  const limits: Record<RateLimitScope | 'auth_user', { max: number, window: number }> = {
    api: { max: config.RATE_LIMIT_API_MAX, window: config.RATE_LIMIT_API_WINDOW },
    agent: { max: config.RATE_LIMIT_AGENT_MAX, window: config.RATE_LIMIT_AGENT_WINDOW },
    workout: { max: config.RATE_LIMIT_WORKOUT_MAX, window: config.RATE_LIMIT_WORKOUT_WINDOW },
    auth: { max: config.RATE_LIMIT_AUTH_MAX, window: config.RATE_LIMIT_AUTH_WINDOW },
    auth_user: { max: config.RATE_LIMIT_AUTH_MAX, window: config.RATE_LIMIT_AUTH_WINDOW }
  }
  const keyOf = { api: userOrIp, agent: userOrIp, workout: userOrIp, auth: ip, auth_user: targetUsername }

  const limiters = {} as Record<RateLimitScope | 'auth_user', Limiter>
  for (const scope of Object.keys(limits) as Array<keyof typeof limits>) {
    await fastify.register(async function scopeLimiter (child: FastifyInstance) {
      await child.register(rateLimit, {
        global: false,
        max: limits[scope].max,
        timeWindow: limits[scope].window * 1000,
        keyGenerator: keyOf[scope],
        cache: 10_000,
        ...(health ? { redis: fastify.redis, nameSpace: `${config.REDIS_PREFIX}ratelimit:${scope}:` } : {})
      })
      limiters[scope] = child.createRateLimit() as Limiter
    })
  }

  /** One scope's verdict, or null when it cannot be counted now (Redis down: fail open). */
  async function check (scope: RateLimitScope | 'auth_user', request: FastifyRequest, increment = true): Promise<ScopeResult | null> {
    const run = () => limiters[scope](request, { increment })
    let r
    try {
      r = health ? await health.call(run) : await run()
    } catch (err) {
      if (err instanceof RedisUnavailableError) return null
      throw err
    }
    if (r.isAllowed) return null
    return { scope: scope as RateLimitScope, max: r.max!, remaining: r.remaining!, resetSeconds: r.ttlInSeconds!, exceeded: r.isExceeded! }
  }

  // Every limited route documents (and serializes) its 429 body.
  fastify.addHook('onRoute', route => {
    const path = route.url ?? ''
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!methods.some(m => scopesFor(m, path).length > 0) || !route.schema?.response) return
    ;(route.schema.response as Record<number, unknown>)[429] ??= RateLimited
  })

  fastify.addHook('onRequest', async (request, reply) => {
    const scopes = scopesFor(request.method, request.routeOptions.url ?? request.url.split('?')[0])
    if (scopes.length === 0) return
    const results = (await Promise.all(scopes.map(scope => check(scope, request)))).filter(r => r !== null)
    const shown = tightest(results)
    if (!shown) return
    reply.header('x-ratelimit-limit', shown.max)
    reply.header('x-ratelimit-remaining', shown.remaining)
    reply.header('x-ratelimit-reset', shown.resetSeconds)
    const refused = refusing(results)
    if (refused) {
      reply.header('retry-after', refused.resetSeconds)
      return reply.code(429).send(rateLimitBody(refused.scope, refused.resetSeconds))
    }
  })

  fastify.decorate('loginThrottle', {
    async lockedFor (request) {
      const r = await check('auth_user', request, false)
      return r && r.remaining === 0 ? r.resetSeconds : null
    },
    async recordFailure (request) {
      await check('auth_user', request, true)
    }
  })
}, { name: 'rate-limit', dependencies: ['config', 'redis', 'sessions'] })
