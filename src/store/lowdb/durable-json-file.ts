// A lowdb adapter whose writes survive power loss. lowdb's own JSONFile (steno) renames a temp
// file into place but never fsyncs, so an acknowledged write can vanish with the page cache.
// Here a write resolves only after: temp file written → fsync(temp) → rename over the target →
// fsync(directory) — the rename lives in the directory entry, so that is synced too.
// Readers therefore see either the old or the new document, never a torn one.
import { dirname, resolve } from 'node:path'
import type { Adapter } from 'lowdb'
import { errorCode, ignoreCode, realFileOps, type FileHandle, type FileOps } from './file-ops.js'

export class DurableJSONFile<T> implements Adapter<T> {
  /** Temp file for replacing writes. Fixed name: the caller guarantees one writer per file,
   *  and a leftover from a crash is simply truncated by the next write. */
  readonly tmpPath: string
  /** Temp file for exclusive creates. Separate from tmpPath because after a crash between
   *  link() and unlink() it is a second name for the target's inode — opening it with O_TRUNC
   *  would truncate the target, so createExclusive removes it first. */
  readonly createTmpPath: string

  constructor (readonly path: string, private readonly ops: FileOps = realFileOps) {
    this.tmpPath = `${path}.tmp`
    this.createTmpPath = `${path}.create.tmp`
  }

  /** The parsed file (unvalidated — callers migrate it), or null if it does not exist. */
  async read (): Promise<T | null> {
    let text: string
    try {
      text = await this.ops.readFile(this.path)
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null
      throw err
    }
    return JSON.parse(text) as T
  }

  write (data: T): Promise<void> {
    // Serialise before the first await: callers keep mutating `data` while the I/O runs, and the
    // bytes on disk must be the state at the moment of this call (lowdb calls this synchronously).
    const text = JSON.stringify(data)
    return this.replaceWith(text)
  }

  /** Durably creates the file (and its directory); rejects with code 'EEXIST' if it exists. */
  createExclusive (data: T): Promise<void> {
    const text = JSON.stringify(data)
    return this.createWith(text)
  }

  private async replaceWith (text: string): Promise<void> {
    await writeSynced(this.ops, this.tmpPath, 'w', text)
    await this.ops.rename(this.tmpPath, this.path)
    await fsyncDirectory(this.ops, dirname(this.path))
  }

  private async createWith (text: string): Promise<void> {
    await ensureDirectory(this.ops, dirname(this.path))
    await this.ops.unlink(this.createTmpPath).catch(ignoreCode('ENOENT'))
    await writeSynced(this.ops, this.createTmpPath, 'wx', text)
    // link() is the atomic "create if absent": the target appears complete or not at all.
    try {
      await this.ops.link(this.createTmpPath, this.path)
    } finally {
      await this.ops.unlink(this.createTmpPath)
    }
    await fsyncDirectory(this.ops, dirname(this.path))
  }
}

/** Makes renames, links and unlinks inside `dir` durable. */
export async function fsyncDirectory (ops: FileOps, dir: string): Promise<void> {
  const handle = await ops.open(dir, 'r')
  await closing(ops, handle, () => ops.fsync(handle))
}

async function writeSynced (ops: FileOps, path: string, flags: 'w' | 'wx', text: string): Promise<void> {
  const handle = await ops.open(path, flags)
  await closing(ops, handle, async () => {
    await ops.write(handle, text)
    await ops.fsync(handle)
  })
}

/** Runs `body`, then closes `handle`; a close error never hides the body's error. */
async function closing (ops: FileOps, handle: FileHandle, body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (err) {
    await ops.close(handle).catch(() => {})
    throw err
  }
  await ops.close(handle)
}

/** mkdir -p, plus fsync of the parent of every directory it created (a new directory's entry
 *  lives in its parent and is lost on power loss until that parent is synced). */
async function ensureDirectory (ops: FileOps, dir: string): Promise<void> {
  const firstCreated = await ops.mkdir(dir)
  if (firstCreated === undefined) return
  const top = resolve(firstCreated)
  for (let d = resolve(dir); d.startsWith(top); d = dirname(d)) {
    await fsyncDirectory(ops, dirname(d))
  }
}
