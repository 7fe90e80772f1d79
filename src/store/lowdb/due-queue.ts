// Work that falls due at a time (a nudge delivery, a commitment's next judgement, a person's next
// autopilot checkpoint), kept durably and sorted by due time, so "what is due now" reads the
// fronts of sorted lists instead of walking every user's file. The entries are spread over a fixed
// number of shard documents by a hash of their id: a put rewrites one shard (a 256th of the queue),
// not the whole of it, so a queue with an entry per person stays cheap to change. Writes go
// through the same group-committed, fsync'd path as user files. One process owns the data
// directory (its lock), so a claim is a lease held in memory: after a crash nothing is claimed and
// every entry is taken again — work is done at least once.
import { createHash } from 'node:crypto'
import { DocPool } from './doc-pool.js'

export interface DueEntry {
  /** unique within the queue: a new entry with the same id replaces the old */
  id: string
  due_at: string
}

interface ShardDoc<E> { entries: E[] }

const SHARDS = 256

const shardKey = (id: string) => `shard-${createHash('sha256').update(id).digest('hex').slice(0, 2)}`
const ALL_SHARDS = Array.from({ length: SHARDS }, (_, i) => `shard-${i.toString(16).padStart(2, '0')}`)

export class DueQueue<E extends DueEntry> {
  /** id → lease expiry (epoch ms) */
  private readonly leases = new Map<string, number>()

  private constructor (private readonly pool: DocPool<ShardDoc<E>>) {}

  static async open<E extends DueEntry> (dir: string, onFlush?: (info: { key: string, durationMs: number, batchSize: number }) => void): Promise<DueQueue<E>> {
    const pool = new DocPool<ShardDoc<E>>({ dir, maxOpen: SHARDS, migrate: raw => ({ doc: raw as ShardDoc<E>, changed: false }), onFlush })
    return new DueQueue(pool)
  }

  /** The shard's entries, creating the shard document the first time it is needed. */
  private async shard (key: string): Promise<E[]> {
    return (await this.pool.read(key))?.entries ?? []
  }

  private async update (key: string, fn: (entries: E[]) => E[]): Promise<void> {
    if (await this.pool.read(key) === null) {
      try {
        await this.pool.create(key, { entries: fn([]) })
        return
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
    }
    await this.pool.update(key, doc => { doc.entries = fn(doc.entries) })
  }

  /** adds the entry, or moves the one with its id */
  async put (entry: E): Promise<void> {
    // Instants compare as text only in one format: normalise (toISOString's).
    const stored = { ...entry, due_at: new Date(entry.due_at).toISOString() }
    await this.update(shardKey(entry.id), current => {
      const entries = current.filter(e => e.id !== stored.id)
      // Insert in due order (binary search): the shard stays sorted without a sort per write.
      let lo = 0
      let hi = entries.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (entries[mid].due_at <= stored.due_at) lo = mid + 1
        else hi = mid
      }
      entries.splice(lo, 0, stored)
      return entries
    })
    this.leases.delete(entry.id)
  }

  /** the claim in progress: claims run one at a time, so two never read the same free entries */
  private claiming: Promise<unknown> = Promise.resolve()

  /** Up to `limit` entries due at `nowMs`, oldest due first, each leased for `leaseMs`. */
  async claimDue (nowMs: number, limit: number, leaseMs: number): Promise<E[]> {
    const claim = this.claiming.then(() => this.claimNow(nowMs, limit, leaseMs))
    this.claiming = claim.catch(() => {})
    return claim
  }

  private async claimNow (nowMs: number, limit: number, leaseMs: number): Promise<E[]> {
    const candidates: E[] = []
    for (const key of ALL_SHARDS) {
      let taken = 0
      for (const entry of await this.shard(key)) {
        if (taken >= limit || Date.parse(entry.due_at) > nowMs) break
        const lease = this.leases.get(entry.id)
        if (lease !== undefined && lease > nowMs) continue
        candidates.push(entry)
        taken++
      }
    }
    candidates.sort((a, b) => a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0)
    const claimed = candidates.slice(0, limit)
    for (const entry of claimed) this.leases.set(entry.id, nowMs + leaseMs)
    return claimed.map(e => ({ ...e }))
  }

  async remove (id: string): Promise<void> {
    const key = shardKey(id)
    if ((await this.shard(key)).some(e => e.id === id)) await this.update(key, entries => entries.filter(e => e.id !== id))
    this.leases.delete(id)
  }

  /** the entry with this id, if queued */
  async get (id: string): Promise<E | null> {
    return (await this.shard(shardKey(id))).find(e => e.id === id) ?? null
  }

  async nextDue (): Promise<number | null> {
    let next: number | null = null
    for (const key of ALL_SHARDS) {
      const first = (await this.shard(key))[0]
      if (first && (next === null || Date.parse(first.due_at) < next)) next = Date.parse(first.due_at)
    }
    return next
  }

  async close (): Promise<void> {
    await this.pool.close()
  }
}
