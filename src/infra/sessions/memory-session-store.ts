// Sessions in process memory, for a single instance with no Redis: bounded (least recently used
// dropped first), each entry expiring at its session's own expiry, swept periodically so idle
// sessions do not pin memory. Keeps an index of each user's sessions so a password change or an
// account deletion can end them all.
import { LRUCache } from 'lru-cache'
import { plainSession, ttlOf, type SessionCallback as Callback, type SessionStore, type StoredSession } from './session-store.js'

export class MemorySessionStore implements SessionStore {
  private readonly sessions: LRUCache<string, StoredSession>
  private readonly byUser = new Map<string, Set<string>>()
  private readonly sweeper: NodeJS.Timeout

  constructor (max: number, sweepIntervalMs = 60_000) {
    this.sessions = new LRUCache<string, StoredSession>({
      max,
      ttlAutopurge: false,
      // Called for evictions, expiry and deletes alike: keeps the per-user index exact.
      dispose: (session, sid) => this.unindex(session.userId, sid)
    })
    this.sweeper = setInterval(() => this.sessions.purgeStale(), sweepIntervalMs)
    this.sweeper.unref()
  }

  get (sid: string, callback: Callback<StoredSession | null>): void {
    callback(null, this.sessions.get(sid) ?? null)
  }

  set (sid: string, session: StoredSession, callback: Callback): void {
    const plain = plainSession(session)
    this.sessions.set(sid, plain, { ttl: ttlOf(plain) })
    if (plain.userId) {
      let sids = this.byUser.get(plain.userId)
      if (!sids) this.byUser.set(plain.userId, sids = new Set())
      sids.add(sid)
    }
    callback()
  }

  destroy (sid: string, callback: Callback): void {
    this.sessions.delete(sid)
    callback()
  }

  /** Ends every session of `userId` except `keepSid`; returns how many ended. */
  async destroyUserSessions (userId: string, keepSid?: string): Promise<number> {
    const sids = [...(this.byUser.get(userId) ?? [])].filter(sid => sid !== keepSid)
    for (const sid of sids) this.sessions.delete(sid)
    return sids.length
  }

  available (): boolean {
    return true
  }

  get size (): number {
    return this.sessions.size
  }

  close (): void {
    clearInterval(this.sweeper)
  }

  private unindex (userId: string | undefined, sid: string): void {
    if (!userId) return
    const sids = this.byUser.get(userId)
    if (!sids) return
    sids.delete(sid)
    if (sids.size === 0) this.byUser.delete(userId)
  }
}
