// Signed session credentials this instance has already verified, and whose they are. A credential
// never changes owner, so the map needs no invalidation: it only lets the next request with the
// same credential start its Redis reads (the session itself, the rate-limit counters, a cached
// response) together, in one round trip, before the session has been read. The session is still
// read from the store on every request, so a credential whose session has ended since is refused
// as before; an entry for it only costs a wasted prefetch.
import { LRUCache } from 'lru-cache'

export interface KnownSession {
  /** the session id inside the signed credential */
  sid: string
  userId: string
}

export class KnownSessions {
  private readonly known: LRUCache<string, KnownSession>

  constructor (max: number) {
    this.known = new LRUCache({ max: Math.max(1, max) })
  }

  remember (credential: string, session: KnownSession): void {
    const current = this.known.get(credential)
    if (current?.sid !== session.sid || current.userId !== session.userId) this.known.set(credential, session)
  }

  lookup (credential: string): KnownSession | undefined {
    return this.known.get(credential)
  }

  forget (credential: string): void {
    this.known.delete(credential)
  }
}
