// The shared cache in Redis: `<prefix>cache:user:<id>` is a hash of that user's entries (one DEL
// drops them all, on every instance at once), `<prefix>cache:op:<key>` holds named operations.
// Each entry carries its own expiry because hash fields cannot expire on this Redis version.
import type { Redis } from 'ioredis'
import type { CacheBackend } from './response-cache.js'
import type { RedisHealth } from '../redis/redis-health.js'

export class RedisCacheBackend implements CacheBackend {
  constructor (private readonly redis: Redis, private readonly health: RedisHealth, private readonly prefix: string) {}

  private userKey (userId: string) { return `${this.prefix}cache:user:${userId}` }
  private opKey (key: string) { return `${this.prefix}cache:op:${key}` }

  async getUserEntry (userId: string, field: string) {
    const raw = await this.health.call(() => this.redis.hget(this.userKey(userId), field))
    if (raw === null) return null
    const { exp, value } = JSON.parse(raw) as { exp: number, value: string }
    return exp > Date.now() ? value : null
  }

  async setUserEntry (userId: string, field: string, value: string, ttlSeconds: number) {
    const key = this.userKey(userId)
    const ttl = ttlSeconds * 1000
    await this.health.call(() => this.redis.multi()
      .hset(key, field, JSON.stringify({ exp: Date.now() + ttl, value }))
      .pexpire(key, ttl, 'NX').pexpire(key, ttl, 'GT')
      .exec())
  }

  async invalidateUser (userId: string) {
    await this.health.call(() => this.redis.del(this.userKey(userId)))
  }

  async get (key: string) {
    return this.health.call(() => this.redis.get(this.opKey(key)))
  }

  async set (key: string, value: string, ttlSeconds: number) {
    await this.health.call(() => this.redis.set(this.opKey(key), value, 'PX', ttlSeconds * 1000))
  }

  /**
   * Drops every cached entry. Run when Redis comes back: writes made while it was down could not
   * invalidate what it holds.
   */
  async clear (): Promise<number> {
    let cursor = '0'
    let removed = 0
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}cache:*`, 'COUNT', 500)
      if (keys.length > 0) removed += await this.redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
    return removed
  }
}
