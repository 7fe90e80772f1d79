// username → user id (and, with another pattern, calendar-token digest → user id), as one tiny file per name (`{"user_id": "..."}`) under sharded
// directories. Uniqueness is an atomic exclusive create of that file, so claiming a name costs
// the same with ten users or a million — no index file to rewrite. This process is the only writer
// (the data-dir lock guarantees it), so a small LRU cache in front of lookups stays correct.
import { LRUCache } from 'lru-cache'
import { USERNAME_PATTERN } from '../../accounts/account-schemas.js'
import { dirname } from 'node:path'
import { DurableJSONFile, fsyncDirectory } from './durable-json-file.js'
import { assertValidKey, shardedPath } from './doc-pool.js'
import { errorCode, ignoreCode, realFileOps, type FileOps } from './file-ops.js'


interface Entry {
  user_id: string
}

export interface UsernameIndexOptions {
  /** how many usernames (claimed or known free) to remember */
  cacheSize?: number
  fileOps?: FileOps
  /** what a valid name is (default: a username) */
  pattern?: RegExp
}

export class UsernameIndex {
  private readonly ops: FileOps
  /** `userId: null` remembers that a name is free. */
  private readonly cache: LRUCache<string, { userId: string | null }>
  /** Per-name chain of operations: two writers of one name's file would share its temp file,
   *  and a lookup finishing after a claim must not cache the name as free. */
  private readonly tails = new Map<string, Promise<unknown>>()

  private readonly pattern: RegExp

  constructor (private readonly dir: string, options: UsernameIndexOptions = {}) {
    this.ops = options.fileOps ?? realFileOps
    this.pattern = options.pattern ?? USERNAME_PATTERN
    this.cache = new LRUCache({ max: options.cacheSize ?? 10_000 })
  }

  /** Durably maps `username` to `userId`; false if the name is already claimed. */
  async claim (username: string, userId: string): Promise<boolean> {
    this.assertValidName(username)
    assertValidKey(userId)
    return this.serially(username, async () => {
      if (typeof this.cache.get(username)?.userId === 'string') return false
      try {
        await this.file(username).createExclusive({ user_id: userId })
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err
        return false
      }
      this.cache.set(username, { userId })
      return true
    })
  }

  async lookup (username: string): Promise<string | null> {
    this.assertValidName(username)
    const cached = this.cache.get(username)
    if (cached) return cached.userId
    return this.serially(username, async () => this.readThrough(username))
  }

  /** Frees the name, if it is claimed (and, when given, claimed by `expectedUserId`). */
  async release (username: string, expectedUserId?: string): Promise<void> {
    this.assertValidName(username)
    await this.serially(username, async () => {
      const holder = await this.readThrough(username)
      if (holder === null || (expectedUserId !== undefined && holder !== expectedUserId)) return
      const file = this.file(username)
      await this.ops.unlink(file.path).catch(ignoreCode('ENOENT'))
      await fsyncDirectory(this.ops, dirname(file.path))
      this.cache.set(username, { userId: null })
    })
  }

  private assertValidName (name: string): void {
    if (!this.pattern.test(name)) throw new Error(`Invalid name ${JSON.stringify(name)}`)
  }

  private async readThrough (username: string): Promise<string | null> {
    const cached = this.cache.get(username)
    if (cached) return cached.userId
    const entry = await this.file(username).read()
    const userId = typeof entry?.user_id === 'string' ? entry.user_id : null
    this.cache.set(username, { userId })
    return userId
  }

  private file (username: string): DurableJSONFile<Entry> {
    return new DurableJSONFile<Entry>(shardedPath(this.dir, username), this.ops)
  }

  private serially<R> (username: string, op: () => Promise<R>): Promise<R> {
    const run = (this.tails.get(username) ?? Promise.resolve()).then(op)
    const tail = run.catch(() => {})
    this.tails.set(username, tail)
    void tail.then(() => {
      if (this.tails.get(username) === tail) this.tails.delete(username)
    })
    return run
  }
}


