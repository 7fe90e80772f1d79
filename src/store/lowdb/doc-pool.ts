// One JSON document per key (per user), each a lowdb `Low` over a DurableJSONFile, opened on
// demand and kept in a bounded LRU pool of handles. Why this shape:
// - reads come from memory: a file is read once, when its key enters the pool (lowdb allows one
//   writer per file, and re-reading per request would lose writes);
// - writes are group-committed: an update changes memory synchronously, and every update that
//   arrives while the key's flush is in flight goes out together in the key's next flush, so
//   throughput holds up under load and a caller waits for at most the in-flight flush plus its own;
// - every cost is per key: a write touches only its own file and shard directory, however many
//   other documents exist;
// - memory never claims what disk does not have: after a failed flush, or an update function that
//   threw halfway, the handle is dropped and the key is reloaded from disk on next use.
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Low } from 'lowdb'
import { DurableJSONFile, fsyncDirectory } from './durable-json-file.js'
import { ignoreCode, realFileOps, type FileOps } from './file-ops.js'

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

export class DocNotFoundError extends Error {
  constructor (readonly key: string) {
    super(`No document with key "${key}"`)
    this.name = 'DocNotFoundError'
  }
}

export interface FlushInfo {
  key: string
  durationMs: number
  /** caller writes made durable by this flush (0 for writing back a migrated document) */
  batchSize: number
}

export interface DocPoolOptions<T> {
  dir: string
  maxOpen?: number
  /** Turns whatever is on disk into the current shape; `changed` makes the pool write it back. */
  migrate: (raw: unknown, key: string) => { doc: T, changed: boolean }
  fileOps?: FileOps
  /** Observer; called once per durable write, before its waiters are released. */
  onFlush?: (info: FlushInfo) => void
}

export interface DocPoolStatus {
  open_handles: number
  max_open: number
  /** updates applied in memory and waiting for a flush to start */
  queued_writes: number
  /** flushes in progress right now */
  flushing: number
  flushes_total: number
  /** caller writes (creates and updates) made durable */
  writes_total: number
  last_flush_at: string | null
  last_flush_ms: number | null
  /** the last flush's error; null once a later flush succeeds */
  last_error: string | null
}

/** `<dir>/<first 2 hex chars of sha256(name)>/<name>.json` — 256 shards keep directories small. */
export function shardedPath (dir: string, name: string): string {
  const shard = createHash('sha256').update(name).digest('hex').slice(0, 2)
  return join(dir, shard, `${name}.json`)
}

export function assertValidKey (key: string): void {
  if (!KEY_PATTERN.test(key)) throw new Error(`Invalid document key ${JSON.stringify(key)}`)
}

interface Waiter<T> {
  fn: (doc: T) => unknown
  result?: unknown
  resolve: (result: unknown) => void
  reject: (err: unknown) => void
}

interface Handle<T> {
  readonly key: string
  readonly file: DurableJSONFile<T | null>
  /** data is null when there is no such document */
  readonly low: Low<T | null>
  /** false until the create that brought the document into memory is durable */
  onDisk: boolean
  /** writes applied in memory that no flush has taken yet */
  queued: Array<Waiter<T>>
  flushing: boolean
  /** settles when the current (or last) flush loop ends; never rejects */
  drained: Promise<void>
  /** out of the pool: anyone still holding it must reopen the key */
  retired: boolean
}

export class DocPool<T> {
  private readonly dir: string
  private readonly maxOpen: number
  private readonly migrate: DocPoolOptions<T>['migrate']
  private readonly ops: FileOps
  private readonly onFlush: DocPoolOptions<T>['onFlush']
  /** Map order is the LRU order: least recently used first. */
  private readonly pool = new Map<string, Handle<T>>()
  /** Loads in progress, so concurrent first opens of a key share one read. */
  private readonly loading = new Map<string, Promise<Handle<T>>>()
  /** Keys whose last handle still has a flush or an unlink running: a reload must wait for it,
   *  or it would read the file before that write lands (and two writers would share the file). */
  private readonly barriers = new Map<string, Promise<void>>()
  /** Writes accepted and not yet settled, so close() can wait for every one of them. */
  private readonly accepted = new Set<Promise<void>>()
  private closed = false
  private queuedWrites = 0
  private flushesInFlight = 0
  private flushesTotal = 0
  private writesTotal = 0
  private lastFlushAt: Date | null = null
  private lastFlushMs: number | null = null
  private lastError: string | null = null

  constructor (options: DocPoolOptions<T>) {
    this.dir = options.dir
    this.maxOpen = options.maxOpen ?? 1000
    this.migrate = options.migrate
    this.ops = options.fileOps ?? realFileOps
    this.onFlush = options.onFlush
  }

  /** The in-memory document (do not mutate it), or null if there is none. */
  async read (key: string): Promise<T | null> {
    assertValidKey(key)
    return this.withHandle(key, h => h.low.data)
  }

  /** Durably creates the document; rejects with code 'EEXIST' if it exists. The pool takes
   *  ownership of `doc`. */
  async create (key: string, doc: T): Promise<void> {
    assertValidKey(key)
    this.assertOpen()
    return this.track(this.createAccepted(key, doc))
  }

  /**
   * Runs `fn` synchronously on the document and resolves with its result once a flush including
   * the change is durable. `fn` must be pure and synchronous: if an update queued before it throws,
   * its change is discarded with the memory and `fn` runs again on the document reloaded from disk.
   */
  async update<R> (key: string, fn: (doc: T) => R): Promise<R> {
    assertValidKey(key)
    this.assertOpen()
    return this.track(new Promise<R>((resolve, reject) => {
      this.submit(key, { fn, resolve: resolve as (result: unknown) => void, reject })
    }))
  }

  /** Removes the document durably, after any flush in progress; false if there was none. */
  async delete (key: string): Promise<boolean> {
    assertValidKey(key)
    this.assertOpen()
    return this.track(this.deleteAccepted(key))
  }

  status (): DocPoolStatus {
    return {
      open_handles: this.pool.size,
      max_open: this.maxOpen,
      queued_writes: this.queuedWrites,
      flushing: this.flushesInFlight,
      flushes_total: this.flushesTotal,
      writes_total: this.writesTotal,
      last_flush_at: this.lastFlushAt?.toISOString() ?? null,
      last_flush_ms: this.lastFlushMs,
      last_error: this.lastError
    }
  }

  /** Refuses new writes and resolves once every write already accepted has settled (and any
   *  migrated document being written back on load is on disk). */
  async close (): Promise<void> {
    this.closed = true
    while (this.accepted.size > 0 || this.loading.size > 0) {
      await Promise.all([...this.accepted, ...[...this.loading.values()].map(p => p.then(() => {}, () => {}))])
    }
  }

  private assertOpen (): void {
    if (this.closed) throw new Error('DocPool is closed')
  }

  private track<X> (write: Promise<X>): Promise<X> {
    const settled = write.then(() => {}, () => {})
    this.accepted.add(settled)
    void settled.then(() => this.accepted.delete(settled))
    return write
  }

  /**
   * Calls `use` with the key's current handle. `use` runs synchronously right after the check
   * that the handle is still in the pool, so it can never act on a retired handle's memory.
   */
  private async withHandle<X> (key: string, use: (h: Handle<T>) => X): Promise<X> {
    for (;;) {
      const h = await this.open(key)
      if (!h.retired) return use(h)
    }
  }

  private open (key: string): Promise<Handle<T>> {
    const h = this.pool.get(key)
    if (h) {
      this.pool.delete(key)
      this.pool.set(key, h)
      return Promise.resolve(h)
    }
    let loading = this.loading.get(key)
    if (!loading) {
      loading = this.load(key)
      this.loading.set(key, loading)
    }
    return loading
  }

  private async load (key: string): Promise<Handle<T>> {
    try {
      await this.barriers.get(key)
      const file = new DurableJSONFile<T | null>(shardedPath(this.dir, key), this.ops)
      const raw = await file.read()
      let doc: T | null = null
      if (raw !== null) {
        const migrated = this.migrate(raw, key)
        doc = migrated.doc
        if (migrated.changed) await this.timedFlush(key, 0, () => file.write(migrated.doc))
      }
      const h: Handle<T> = {
        key,
        file,
        low: new Low<T | null>(file, doc),
        onDisk: doc !== null,
        queued: [],
        flushing: false,
        drained: Promise.resolve(),
        retired: false
      }
      this.pool.set(key, h)
      this.evictIdle(h)
      return h
    } finally {
      this.loading.delete(key)
    }
  }

  private async createAccepted (key: string, doc: T): Promise<void> {
    const { durable } = await this.withHandle(key, h => {
      if (h.low.data !== null) {
        throw Object.assign(new Error(`Document "${key}" already exists`), { code: 'EEXIST' })
      }
      h.low.data = doc
      // The create is the handle's first flush (enqueue starts it at once, as createExclusive);
      // updates that arrive meanwhile queue behind it like behind any flush.
      const durable = new Promise<unknown>((resolve, reject) => {
        this.enqueue(h, { fn: () => undefined, resolve, reject })
      })
      return { durable }
    })
    await durable
  }

  private async deleteAccepted (key: string): Promise<boolean> {
    const removal = await this.withHandle(key, h => {
      if (h.low.data === null) return null
      this.retire(h)
      const removed = this.removeFile(h)
      this.setBarrier(key, removed)
      return { removed }
    })
    if (removal === null) return false
    await removal.removed
    return true
  }

  private submit (key: string, waiter: Waiter<T>): void {
    this.withHandle(key, h => {
      const doc = h.low.data
      if (doc === null) throw new DocNotFoundError(key)
      try {
        waiter.result = waiter.fn(doc)
      } catch (err) {
        this.discard(h)
        throw err
      }
      this.enqueue(h, waiter)
    }).catch(waiter.reject)
  }

  private enqueue (h: Handle<T>, waiter: Waiter<T>): void {
    h.queued.push(waiter)
    this.queuedWrites++
    if (h.flushing) return // the running loop takes the queue when its current flush ends
    h.flushing = true
    h.drained = this.runFlushes(h)
  }

  private async runFlushes (h: Handle<T>): Promise<void> {
    try {
      while (h.queued.length > 0) {
        const batch = h.queued
        h.queued = []
        this.queuedWrites -= batch.length
        try {
          // Both writes serialise synchronously, so the flush holds exactly this batch's state.
          await this.timedFlush(h.key, batch.length, () =>
            h.onDisk ? h.low.write() : h.file.createExclusive(h.low.data))
        } catch (err) {
          this.fail(h, batch, err)
          return
        }
        h.onDisk = true
        for (const waiter of batch) waiter.resolve(waiter.result)
      }
    } finally {
      h.flushing = false
      this.evictIdle()
    }
  }

  /** Runs one durable write (`write` is called synchronously) and records it. */
  private async timedFlush (key: string, batchSize: number, write: () => Promise<void>): Promise<void> {
    const started = performance.now()
    this.flushesInFlight++
    try {
      await write()
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err)
      throw err
    } finally {
      this.flushesInFlight--
    }
    const durationMs = performance.now() - started
    this.flushesTotal++
    this.writesTotal += batchSize
    this.lastFlushAt = new Date()
    this.lastFlushMs = durationMs
    this.lastError = null
    try {
      this.onFlush?.({ key, durationMs, batchSize })
    } catch (err) {
      // A broken observer must not fail a write that is already durable; report it out of band.
      queueMicrotask(() => { throw err })
    }
  }

  /** A flush failed: memory is ahead of disk, so every waiter fails and the memory is dropped. */
  private fail (h: Handle<T>, batch: Array<Waiter<T>>, err: unknown): void {
    const stranded = h.queued
    h.queued = []
    this.queuedWrites -= stranded.length
    this.retire(h)
    for (const waiter of [...batch, ...stranded]) waiter.reject(err)
  }

  /** An update function threw, possibly halfway through mutating the document: drop the memory.
   *  Updates queued behind the flush were applied to that memory too, but none was acknowledged,
   *  so they run again on the document reloaded from disk. */
  private discard (h: Handle<T>): void {
    const requeue = h.queued
    h.queued = []
    this.queuedWrites -= requeue.length
    this.retire(h)
    for (const waiter of requeue) this.submit(h.key, waiter)
  }

  private retire (h: Handle<T>): void {
    h.retired = true
    if (this.pool.get(h.key) === h) this.pool.delete(h.key)
    if (h.flushing) this.setBarrier(h.key, h.drained)
  }

  private setBarrier (key: string, until: Promise<void>): void {
    const barrier = until.catch(() => {})
    this.barriers.set(key, barrier)
    void barrier.then(() => {
      if (this.barriers.get(key) === barrier) this.barriers.delete(key)
    })
  }

  private async removeFile (h: Handle<T>): Promise<void> {
    while (h.flushing) await h.drained // acknowledged writes land first; then the file goes
    await this.ops.unlink(h.file.path).catch(ignoreCode('ENOENT')) // its create never landed
    await fsyncDirectory(this.ops, dirname(h.file.path))
  }

  /** Closes least recently used handles beyond maxOpen. A handle with writes pending stays: its
   *  memory is ahead of disk. `keep` is a handle its opener has not used yet. */
  private evictIdle (keep?: Handle<T>): void {
    for (const h of this.pool.values()) {
      if (this.pool.size <= this.maxOpen) return
      if (!h.flushing && h !== keep) this.retire(h)
    }
  }
}
