// The response cache (`fastify.cache`): in memory, or in Redis shared by every instance. Every
// write to a user's data drops that user's cached entries before the write's caller continues.
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'
import { MemoryCacheBackend, ResponseCache } from '../../src/infra/cache/response-cache.js'
import { RedisCacheBackend } from '../../src/infra/cache/redis-cache-backend.js'
import { RedisUnavailableError } from '../../src/infra/redis/redis-health.js'

declare module 'fastify' {
  interface FastifyInstance {
    cache: ResponseCache
    /** `fn()`'s result cached under `key` for `ttlSeconds`; concurrent misses run `fn` once */
    cacheOperation: <T>(key: string, ttlSeconds: number, fn: () => Promise<T>) => Promise<T>
  }
  interface FastifyContextConfig {
    /**
     * A cached GET: the user's cache field for the request, from its query (raw or validated:
     * the same string either way), so the entry can be read before the session (one round trip).
     */
    cacheField?: (query: Record<string, unknown>) => string
  }
  interface FastifyRequest {
    /** the cache entry read early for a known credential's user */
    cachePrefetched: { userId: string, field: string, entry: Promise<string | null> } | null
  }
  interface FastifyReply {
    /** marks the response as served from the cache or not (x-cache: HIT | MISS, logged too) */
    markCache (hit: boolean): FastifyReply
  }
}

export default fp(async function cache (fastify) {
  const { config, log } = fastify
  const onError = (err: unknown) => {
    if (!(err instanceof RedisUnavailableError)) log.warn({ err }, 'cache error (treated as a miss)')
  }
  let backend
  if (config.REDIS_URL) {
    const redisBackend = new RedisCacheBackend(fastify.redis, fastify.redisHealth, config.REDIS_PREFIX)
    // Writes during an outage could not drop what Redis holds; start clean when it returns.
    fastify.redisHealth.onRecovered(async () => {
      const removed = await redisBackend.clear()
      log.info({ removed }, 'cache cleared after Redis recovery')
    })
    backend = redisBackend
  } else {
    backend = new MemoryCacheBackend(config.CACHE_MEMORY_MAX)
  }
  const responseCache = new ResponseCache(backend, onError)
  fastify.decorate('cache', responseCache)
  fastify.decorateReply('markCache', function (this: FastifyReply, hit: boolean) {
    return this.header('x-cache', hit ? 'HIT' : 'MISS')
  })
  fastify.decorate('cacheOperation', <T>(key: string, ttl: number, fn: () => Promise<T>) => responseCache.cacheOperation(key, ttl, fn))
  fastify.repo.onUserChanged(userId => responseCache.invalidateUser(userId))

  // A known credential on a cached route: read the entry in the same round trip as the session.
  fastify.decorateRequest('cachePrefetched', null)
  if (config.REDIS_URL) {
    fastify.requestPrefetchers.push((request, userId) => {
      const fieldOf = request.routeOptions.config.cacheField
      if (!fieldOf || request.method !== 'GET') return
      const field = fieldOf(request.query as Record<string, unknown>)
      request.cachePrefetched = { userId, field, entry: responseCache.prefetchUserEntry(userId, field) }
    })
  }
}, { name: 'cache', dependencies: ['config', 'store', 'redis', 'sessions'] })
