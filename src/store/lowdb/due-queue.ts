// Work that falls due at a time (a nudge delivery, a commitment's next judgement…), kept in one
// durable document sorted by due time, so "what is due now" reads the front of a list instead of
// walking every user's file. Writes go through the same group-committed, fsync'd path as user
// files. One process owns the data directory (its lock), so a claim is a lease held in memory:
// after a crash nothing is claimed and every entry is taken again — work is done at least once.
import { DocPool } from './doc-pool.js'

export interface DueEntry {
  /** unique within the queue: a new entry with the same id replaces the old */
  id: string
  due_at: string
}

interface QueueDoc<E> { entries: E[] }

const KEY = 'queue'

export class DueQueue<E extends DueEntry> {
  /** id → lease expiry (epoch ms) */
  private readonly leases = new Map<string, number>()

  private constructor (private readonly pool: DocPool<QueueDoc<E>>) {}

  static async open<E extends DueEntry> (dir: string, onFlush?: (info: { key: string, durationMs: number, batchSize: number }) => void): Promise<DueQueue<E>> {
    const pool = new DocPool<QueueDoc<E>>({ dir, maxOpen: 1, migrate: raw => ({ doc: raw as QueueDoc<E>, changed: false }), onFlush })
    if (await pool.read(KEY) === null) {
      await pool.create(KEY, { entries: [] }).catch(err => {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      })
    }
    return new DueQueue(pool)
  }

  /** adds the entry, or moves the one with its id */
  async put (entry: E): Promise<void> {
    // Instants compare as text only in one format: normalise (toISOString's).
    const stored = { ...entry, due_at: new Date(entry.due_at).toISOString() }
    await this.pool.update(KEY, doc => {
      doc.entries = doc.entries.filter(e => e.id !== stored.id)
      // Insert in due order (binary search): the list stays sorted without a sort per write.
      let lo = 0
      let hi = doc.entries.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (doc.entries[mid].due_at <= stored.due_at) lo = mid + 1
        else hi = mid
      }
      doc.entries.splice(lo, 0, stored)
    })
    this.leases.delete(entry.id)
  }

  /** Up to `limit` entries due at `nowMs`, oldest due first, each leased for `leaseMs`. */
  async claimDue (nowMs: number, limit: number, leaseMs: number): Promise<E[]> {
    const entries = (await this.pool.read(KEY))?.entries ?? []
    const claimed: E[] = []
    for (const entry of entries) {
      if (claimed.length >= limit || Date.parse(entry.due_at) > nowMs) break
      const lease = this.leases.get(entry.id)
      if (lease !== undefined && lease > nowMs) continue
      this.leases.set(entry.id, nowMs + leaseMs)
      claimed.push({ ...entry })
    }
    return claimed
  }

  async remove (id: string): Promise<void> {
    const entries = (await this.pool.read(KEY))?.entries ?? []
    if (entries.some(e => e.id === id)) {
      await this.pool.update(KEY, doc => { doc.entries = doc.entries.filter(e => e.id !== id) })
    }
    this.leases.delete(id)
  }

  /** the entry with this id, if queued */
  async get (id: string): Promise<E | null> {
    return (await this.pool.read(KEY))?.entries.find(e => e.id === id) ?? null
  }

  async nextDue (): Promise<number | null> {
    const first = (await this.pool.read(KEY))?.entries[0]
    return first ? Date.parse(first.due_at) : null
  }

  async close (): Promise<void> {
    await this.pool.close()
  }
}
