// One process per data directory: each lowdb file must have a single writer, and two servers on
// one directory would silently overwrite each other's acknowledged writes. The lock is a file
// naming its owner (pid + process start time). Ownership is decided by liveness, never by age:
// a lock whose owner is dead, or whose pid now belongs to a different process, is taken over at
// once — so a restart right after a crash or `kill -9` never waits out a timeout.
// A server adds the URL it listens on (recordListeningUrl), so a process refused the directory can
// point its user at that server instead.
import { randomUUID } from 'node:crypto'
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { errorCode, ignoreCode } from './file-ops.js'

interface LockRecord {
  pid: number
  /** clock ticks since boot (/proc/<pid>/stat field 22); null where /proc is absent */
  start_time: number | null
  hostname: string
  command: string
  acquired_at: string
  /** where the owner's server listens, once it does; absent until then (and for non-servers) */
  url?: string
}

/** The locks this process holds: lock file → its current text (which changes when the url is recorded). */
const held = new Map<string, HeldLock>()

interface HeldLock {
  text: string
  /** recordListeningUrl and release run one at a time, so a release never races a rewrite */
  queue: Promise<unknown>
}

function serially<T> (lock: HeldLock, fn: () => Promise<T>): Promise<T> {
  const run = lock.queue.then(fn)
  lock.queue = run.catch(() => {})
  return run
}

export interface DataDirLock {
  readonly lockFile: string
  /** Removes the lock file if it is still ours. */
  release (): Promise<void>
}

export class DataDirLockedError extends Error {
  readonly pid: number
  readonly lockFile: string
  /** where the owner's server listens, if it recorded that (null: not (yet) listening, or not a server) */
  readonly url: string | null

  constructor (dataDir: string, lockFile: string, owner: LockRecord) {
    const who = owner.pid === process.pid ? 'this process' : 'another running process'
    super(`Data directory "${dataDir}" is in use by ${who} (pid ${owner.pid}, started ` +
      `${owner.acquired_at}: ${owner.command}). Stop it, or set DATA_DIR to a different directory.`)
    this.name = 'DataDirLockedError'
    this.pid = owner.pid
    this.lockFile = lockFile
    this.url = owner.url ?? null
  }
}

/** The directory cannot be written at all (read-only, no permission, no space): said in one line. */
export class DataDirUnwritableError extends Error {
  readonly code: string

  constructor (dataDir: string, cause: unknown) {
    const code = errorCode(cause) ?? 'unknown'
    super(`Data directory "${dataDir}" is not writable (${code}: ${cause instanceof Error ? cause.message.replace(/^[A-Z]+: /, '').replace(/, .*$/, '') : String(cause)}). ` +
      'Make it writable, or set DATA_DIR to a writable directory.', { cause })
    this.name = 'DataDirUnwritableError'
    this.code = code
  }
}

const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT'])

/** Rethrows a failure to write in `dataDir` as a DataDirUnwritableError; others as they are.
 *  `anyCode`: every system error counts (creating the directory: a recursive mkdir on a read-only
 *  parent reports ENOENT). */
export function unwritable (dataDir: string, anyCode = false): (err: unknown) => never {
  return err => {
    const code = errorCode(err)
    throw code !== undefined && (anyCode || UNWRITABLE.has(code)) ? new DataDirUnwritableError(dataDir, err) : err
  }
}

/** Takes `<dataDir>/.lock`, or throws DataDirLockedError naming the live owner. */
export async function acquireDataDirLock (dataDir: string, info: { command?: string } = {}): Promise<DataDirLock> {
  const lockFile = resolve(dataDir, '.lock')
  const record: LockRecord = {
    pid: process.pid,
    start_time: await processStartTime(process.pid),
    hostname: hostname(),
    command: info.command ?? process.argv.join(' '),
    acquired_at: new Date().toISOString()
  }
  const ours = JSON.stringify(record)
  for (;;) {
    if (await createExclusively(lockFile, ours)) {
      const lock: HeldLock = { text: ours, queue: Promise.resolve() }
      held.set(lockFile, lock)
      return {
        lockFile,
        release: () => serially(lock, async () => {
          if (held.get(lockFile) === lock) held.delete(lockFile)
          if (await readFile(lockFile, 'utf8').catch(ignoreCode('ENOENT')) === lock.text) await unlink(lockFile)
        })
      }
    }
    const found = await readFile(lockFile, 'utf8').catch(ignoreCode('ENOENT'))
    if (typeof found !== 'string') continue // released meanwhile
    const owner = parseRecord(found)
    if (owner !== null && await isRunning(owner)) throw new DataDirLockedError(dataDir, lockFile, owner)
    await removeDeadLock(lockFile, found)
  }
}

/**
 * Adds `url` (where this process's server listens) to the lock this process holds on `dataDir`.
 * The record is replaced whole (written aside, then renamed over the lock file), so a reader —
 * or a crash — sees the old complete record or the new one, never a torn file. Ownership is
 * unchanged: same pid and start time. Returns false, writing nothing, if this process does not
 * hold that lock (any more).
 */
export async function recordListeningUrl (dataDir: string, url: string): Promise<boolean> {
  const lockFile = resolve(dataDir, '.lock')
  const lock = held.get(lockFile)
  if (!lock) return false
  return serially(lock, async () => {
    if (held.get(lockFile) !== lock) return false // released meanwhile
    if (await readFile(lockFile, 'utf8').catch(ignoreCode('ENOENT')) !== lock.text) return false
    const text = JSON.stringify({ ...JSON.parse(lock.text) as LockRecord, url })
    const tmp = `${lockFile}.${randomUUID()}.tmp`
    await writeFile(tmp, text, { flag: 'wx' })
    try {
      await rename(tmp, lockFile)
    } catch (err) {
      await unlink(tmp).catch(ignoreCode('ENOENT'))
      throw err
    }
    lock.text = text
    return true
  })
}

/** O_EXCL-style create whose content appears complete or not at all (written to a temp file,
 *  then link()ed into place), so an empty or torn lock file can only be crash debris. */
async function createExclusively (lockFile: string, text: string): Promise<boolean> {
  const tmp = `${lockFile}.${randomUUID()}.tmp`
  await writeFile(tmp, text, { flag: 'wx' })
  try {
    await link(tmp, lockFile)
    return true
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false
    throw err
  } finally {
    await unlink(tmp)
  }
}

/** Moves the dead lock aside instead of unlinking it: if another starting process replaced it
 *  between our read and now, what we moved is that process's live lock, and it goes back. */
async function removeDeadLock (lockFile: string, deadText: string): Promise<void> {
  const aside = `${lockFile}.${randomUUID()}.dead`
  try {
    await rename(lockFile, aside)
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return // someone else removed it first
    throw err
  }
  if (await readFile(aside, 'utf8') !== deadText) await link(aside, lockFile).catch(ignoreCode('EEXIST'))
  await unlink(aside)
}

/** null for anything that is not a complete lock record (e.g. a file cut short by a crash). */
function parseRecord (text: string): LockRecord | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  const record = value as Partial<LockRecord> | null
  // pid must be positive: kill(0) and kill(-n) address process groups, not a process.
  if (typeof record?.pid !== 'number' || !Number.isInteger(record.pid) || record.pid <= 0) return null
  return {
    pid: record.pid,
    start_time: typeof record.start_time === 'number' ? record.start_time : null,
    hostname: String(record.hostname ?? ''),
    command: String(record.command ?? ''),
    acquired_at: String(record.acquired_at ?? ''),
    ...(typeof record.url === 'string' ? { url: record.url } : {})
  }
}

async function isRunning (owner: LockRecord): Promise<boolean> {
  try {
    process.kill(owner.pid, 0)
  } catch (err) {
    if (errorCode(err) === 'ESRCH') return false // EPERM: it exists, it just is not ours to signal
  }
  if (owner.start_time === null) return true
  // The pid exists, but after a reboot or container restart it may be a different process.
  const current = await processStartTime(owner.pid)
  return current === null || current === owner.start_time
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
async function processStartTime (pid: number): Promise<number | null> {
  let stat: string
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // Field 2 (the command name) is parenthesised and may contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const startTime = Number(fields[22 - 3])
  return Number.isFinite(startTime) ? startTime : null
}
