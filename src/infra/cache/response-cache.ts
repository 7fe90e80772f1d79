// Cached results: per-user entries (dropped all at once when anything of that user changes) and
// named operations (`cacheOperation`). Concurrent misses for one key compute once (single-flight).
// Two backends: bounded memory for one instance, Redis shared by all; the cache never makes a
// request fail — a backend error is a miss.
import { LRUCache } from 'lru-cache'

export interface CacheBackend {
  getUserEntry (userId: string, field: string): Promise<string | null>
  setUserEntry (userId: string, field: string, value: string, ttlSeconds: number): Promise<void>
  invalidateUser (userId: string): Promise<void>
  get (key: string): Promise<string | null>
  set (key: string, value: string, ttlSeconds: number): Promise<void>
}

export class ResponseCache {
  private readonly inFlight = new Map<string, Promise<unknown>>()
  /**
   * Bumped on every invalidation of a user. A result computed while a write happened must not be
   * stored (it may predate the write), and no later request may join that computation.
   */
  private readonly generations = new LRUCache<string, number>({ max: 100_000 })
  private nextGeneration = 1

  constructor (private readonly backend: CacheBackend, private readonly onError: (err: unknown) => void = () => {}) {}

  /**
   * Starts reading the user's entry for `field` now (it then shares a round trip with the
   * request's other Redis reads); hand the result to userCached. Never rejects: a failed read is a miss.
   */
  prefetchUserEntry (userId: string, field: string): Promise<string | null> {
    return this.safely(() => this.backend.getUserEntry(userId, field), null)
  }

  /**
   * The user's cached value for `field`, or `compute()` stored for `ttlSeconds`. `prefetched`: the
   * entry as prefetchUserEntry read it; `fresh`: whether a cached value still answers (else it is
   * computed again).
   */
  async userCached<T> (userId: string, field: string, ttlSeconds: number, compute: () => Promise<T>,
    options: { prefetched?: Promise<string | null>, fresh?: (value: T) => boolean } = {}): Promise<{ value: T, hit: boolean }> {
    const cached = await (options.prefetched ?? this.safely(() => this.backend.getUserEntry(userId, field), null))
    if (cached !== null) {
      const value = JSON.parse(cached) as T
      if (!options.fresh || options.fresh(value)) return { value, hit: true }
    }
    const generation = this.generations.get(userId) ?? 0
    const value = await this.once(`u\u0000${userId}\u0000${generation}\u0000${field}`, async () => {
      const result = await compute()
      if ((this.generations.get(userId) ?? 0) === generation) {
        await this.safely(() => this.backend.setUserEntry(userId, field, JSON.stringify(result), ttlSeconds), undefined)
      }
      return result
    })
    return { value, hit: false }
  }

  /** `fn()`'s result, cached under `key` for `ttlSeconds`; one run for concurrent misses. */
  async cacheOperation<T> (key: string, ttlSeconds: number, fn: () => Promise<T>): Promise<T> {
    const cached = await this.safely(() => this.backend.get(key), null)
    if (cached !== null) return JSON.parse(cached) as T
    return this.once(`o\u0000${key}`, async () => {
      const result = await fn()
      await this.safely(() => this.backend.set(key, JSON.stringify(result), ttlSeconds), undefined)
      return result
    })
  }

  invalidateUser (userId: string): Promise<void> {
    // A fresh, never reused number: an evicted entry can never make an old generation current again.
    this.generations.set(userId, this.nextGeneration++)
    return this.safely(() => this.backend.invalidateUser(userId), undefined)
  }

  private once<T> (key: string, run: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key)
    if (running) return running as Promise<T>
    const promise = run().finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, promise)
    return promise
  }

  private async safely<T> (op: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await op()
    } catch (err) {
      this.onError(err)
      return fallback
    }
  }
}

/** One instance's cache: bounded, entries expire, with a per-user index for invalidation. */
export class MemoryCacheBackend implements CacheBackend {
  private readonly entries: LRUCache<string, { value: string, userId?: string }>
  private readonly byUser = new Map<string, Set<string>>()

  constructor (max: number) {
    this.entries = new LRUCache({
      max,
      ttlAutopurge: false,
      dispose: (entry, key) => {
        if (!entry.userId) return
        const keys = this.byUser.get(entry.userId)
        keys?.delete(key)
        if (keys?.size === 0) this.byUser.delete(entry.userId)
      }
    })
  }

  async getUserEntry (userId: string, field: string) {
    return this.entries.get(`u\u0000${userId}\u0000${field}`)?.value ?? null
  }

  async setUserEntry (userId: string, field: string, value: string, ttlSeconds: number) {
    const key = `u\u0000${userId}\u0000${field}`
    this.entries.set(key, { value, userId }, { ttl: ttlSeconds * 1000 })
    let keys = this.byUser.get(userId)
    if (!keys) this.byUser.set(userId, keys = new Set())
    keys.add(key)
  }

  async invalidateUser (userId: string) {
    for (const key of [...(this.byUser.get(userId) ?? [])]) this.entries.delete(key)
  }

  async get (key: string) {
    return this.entries.get(`o\u0000${key}`)?.value ?? null
  }

  async set (key: string, value: string, ttlSeconds: number) {
    this.entries.set(`o\u0000${key}`, { value }, { ttl: ttlSeconds * 1000 })
  }
}
