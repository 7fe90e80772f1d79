// The embedded store's outbox: every due delivery attempt in one durable document (DATA_DIR/
// outbox), kept sorted by due time, so "what is due now" reads the front of a list instead of
// walking every user's file. Writes go through the same group-committed, fsync'd path as user
// files. One process owns the data directory (its lock), so a claim is a lease held in memory:
// after a crash nothing is claimed and every entry is tried again — delivery is at least once.
import { DocPool } from './doc-pool.js'
import type { OutboxEntry } from '../../nudges/nudge-schemas.js'

interface OutboxDoc { entries: OutboxEntry[] }

const KEY = 'outbox'

export class Outbox {
  /** nudge id → lease expiry (epoch ms) */
  private readonly leases = new Map<string, number>()

  private constructor (private readonly pool: DocPool<OutboxDoc>) {}

  static async open (dir: string, onFlush?: (info: { key: string, durationMs: number, batchSize: number }) => void): Promise<Outbox> {
    const pool = new DocPool<OutboxDoc>({
      dir,
      maxOpen: 1,
      migrate: raw => ({ doc: raw as OutboxDoc, changed: false }),
      onFlush
    })
    if (await pool.read(KEY) === null) {
      await pool.create(KEY, { entries: [] }).catch(err => {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      })
    }
    return new Outbox(pool)
  }

  async enqueue (entry: OutboxEntry): Promise<void> {
    await this.pool.update(KEY, doc => {
      doc.entries = doc.entries.filter(e => e.nudge_id !== entry.nudge_id)
      // Insert in due order (binary search): the list stays sorted without a sort per write.
      let lo = 0
      let hi = doc.entries.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (doc.entries[mid].due_at <= entry.due_at) lo = mid + 1
        else hi = mid
      }
      doc.entries.splice(lo, 0, { ...entry })
    })
    this.leases.delete(entry.nudge_id)
  }

  async claimDue (nowMs: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    const entries = (await this.pool.read(KEY))?.entries ?? []
    const claimed: OutboxEntry[] = []
    for (const entry of entries) {
      if (claimed.length >= limit || Date.parse(entry.due_at) > nowMs) break
      const lease = this.leases.get(entry.nudge_id)
      if (lease !== undefined && lease > nowMs) continue
      this.leases.set(entry.nudge_id, nowMs + leaseMs)
      claimed.push({ ...entry })
    }
    return claimed
  }

  async remove (nudgeId: string): Promise<void> {
    const entries = (await this.pool.read(KEY))?.entries ?? []
    if (entries.some(e => e.nudge_id === nudgeId)) {
      await this.pool.update(KEY, doc => { doc.entries = doc.entries.filter(e => e.nudge_id !== nudgeId) })
    }
    this.leases.delete(nudgeId)
  }

  async nextDue (): Promise<number | null> {
    const first = (await this.pool.read(KEY))?.entries[0]
    return first ? Date.parse(first.due_at) : null
  }

  async close (): Promise<void> {
    await this.pool.close()
  }
}
