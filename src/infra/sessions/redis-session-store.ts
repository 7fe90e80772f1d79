// Sessions in Redis, shared by every instance: `<prefix>session:<sid>` (JSON, expiring with the
// session) and `<prefix>session:user:<user id>` (the set of a user's session ids, so all of them
// can be ended from any instance).
//
// While Redis is unreachable, this instance keeps accepting the sessions it validated within the
// last SESSION_FALLBACK_SECONDS (a small bounded cache), so people in the middle of using the
// service are not thrown out; anything else — an unknown session, a login — gets a 503 to retry.
import type { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'
import { plainSession, sessionsUnavailable, ttlOf, type SessionCallback, type SessionStore, type StoredSession } from './session-store.js'
import { RedisUnavailableError, type RedisHealth } from '../redis/redis-health.js'

const PREFETCH_MAX_AGE_MS = 2_000
const PREFETCH_SWEEP_AT = 10_000

export interface RedisSessionStoreOptions {
  prefix: string
  fallbackSeconds: number
  fallbackMax: number
}

export class RedisSessionStore implements SessionStore {
  private readonly recent: LRUCache<string, StoredSession>

  constructor (private readonly redis: Redis, private readonly health: RedisHealth, private readonly options: RedisSessionStoreOptions) {
    this.recent = new LRUCache({ max: Math.max(1, options.fallbackMax), ttl: Math.max(1, options.fallbackSeconds * 1000) })
  }

  private key (sid: string): string {
    return `${this.options.prefix}session:${sid}`
  }

  private userKey (userId: string): string {
    return `${this.options.prefix}session:user:${userId}`
  }

  /**
   * Reads started by prefetch(), taken by the next get() of the same session — normally a few
   * microseconds later, in the same request. A plain map (an LRU with a TTL costs more per request
   * than the round trip saves): an entry older than PREFETCH_MAX_AGE_MS is never used, and such
   * leftovers are swept when the map grows.
   */
  private readonly prefetched = new Map<string, { read: Promise<string | null>, at: number }>()

  prefetch (sid: string): void {
    const read = this.health.call(() => this.redis.get(this.key(sid)))
    // Handled where it is used; an unused one (the request failed before) must not go unheard.
    read.catch(() => {})
    if (this.prefetched.size >= PREFETCH_SWEEP_AT) this.sweepPrefetched()
    this.prefetched.set(sid, { read, at: performance.now() })
  }

  private sweepPrefetched (): void {
    const oldest = performance.now() - PREFETCH_MAX_AGE_MS
    for (const [sid, entry] of this.prefetched) if (entry.at < oldest) this.prefetched.delete(sid)
  }

  get (sid: string, callback: SessionCallback<StoredSession | null>): void {
    let early: Promise<string | null> | undefined
    const entry = this.prefetched.get(sid)
    if (entry) {
      this.prefetched.delete(sid)
      if (performance.now() - entry.at < PREFETCH_MAX_AGE_MS) early = entry.read
    }
    ;(early ?? this.health.call(() => this.redis.get(this.key(sid)))).then(json => {
      if (json === null) {
        this.recent.delete(sid)
        return callback(null, null)
      }
      const session = JSON.parse(json) as StoredSession
      this.remember(sid, session)
      callback(null, session)
    }, err => {
      if (!(err instanceof RedisUnavailableError)) return callback(err)
      const known = this.recent.get(sid)
      if (known && !expired(known)) return callback(null, known)
      callback(sessionsUnavailable())
    })
  }

  set (sid: string, session: StoredSession, callback: SessionCallback): void {
    // A read started before this write must not be taken for the session as it is now.
    this.prefetched.delete(sid)
    const plain = plainSession(session)
    const ttl = ttlOf(plain) ?? 24 * 60 * 60 * 1000
    this.health.call(async () => {
      const tx = this.redis.multi().set(this.key(sid), JSON.stringify(plain), 'PX', ttl)
      if (plain.userId) {
        const index = this.userKey(plain.userId)
        // The index lives as long as the user's longest-lived session.
        tx.sadd(index, sid).pexpire(index, ttl, 'NX').pexpire(index, ttl, 'GT')
      }
      await tx.exec()
      if (plain.userId) await this.pruneIndex(plain.userId)
    }).then(() => {
      this.remember(sid, plain)
      callback()
    }, err => callback(err instanceof RedisUnavailableError ? sessionsUnavailable() : err))
  }

  destroy (sid: string, callback: SessionCallback): void {
    this.recent.delete(sid)
    this.prefetched.delete(sid)
    this.health.call(() => this.redis.del(this.key(sid))).then(() => callback(),
      err => callback(err instanceof RedisUnavailableError ? sessionsUnavailable() : err))
  }

  async destroyUserSessions (userId: string, keepSid?: string): Promise<number> {
    const index = this.userKey(userId)
    try {
      return await this.health.call(async () => {
        const sids = (await this.redis.smembers(index)).filter(sid => sid !== keepSid)
        for (const sid of sids) { this.recent.delete(sid); this.prefetched.delete(sid) }
        if (sids.length === 0) return 0
        await this.redis.multi().del(...sids.map(sid => this.key(sid))).srem(index, ...sids).exec()
        return sids.length
      })
    } catch (err) {
      throw err instanceof RedisUnavailableError ? sessionsUnavailable() : err
    }
  }

  /**
   * Drops ids of sessions that ended by logout or expiry from the user's index, so it holds only
   * live sessions however many times the user logs in (a set is rare: login or renewal).
   */
  private async pruneIndex (userId: string): Promise<void> {
    const index = this.userKey(userId)
    const sids = await this.redis.smembers(index)
    if (sids.length < 2) return
    const exists = await this.redis.pipeline(sids.map(sid => ['exists', this.key(sid)])).exec()
    const dead = sids.filter((_sid, i) => exists?.[i]?.[1] === 0)
    if (dead.length > 0) await this.redis.srem(index, ...dead)
  }

  available (): boolean {
    return this.health.status === 'up'
  }

  close (): void {
    this.recent.clear()
  }

  private remember (sid: string, session: StoredSession): void {
    if (this.options.fallbackSeconds > 0 && this.options.fallbackMax > 0) this.recent.set(sid, session)
  }
}

function expired (session: StoredSession): boolean {
  const expires = session.cookie?.expires ? Date.parse(String(session.cookie.expires)) : NaN
  return !Number.isNaN(expires) && expires <= Date.now()
}
