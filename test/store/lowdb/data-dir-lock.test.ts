import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import * as fsPromises from 'node:fs/promises'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { acquireDataDirLock, DataDirLockedError, recordListeningUrl } from '../../../src/store/lowdb/data-dir-lock.js'
import { tempDir } from './fixtures/temp-dir.js'

async function ownStartTime (): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19])
}

/** The pid of a process that has exited (and been reaped) by the time this resolves. */
async function deadPid (): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await new Promise(resolve => child.on('exit', resolve))
  if (child.pid === undefined) throw new Error('spawn failed')
  return child.pid
}

function lockRecord (pid: number, startTime: number | null): string {
  return JSON.stringify({ pid, start_time: startTime, hostname: 'h', command: 'node old.js', acquired_at: '2026-01-01T00:00:00.000Z' })
}

t.test('a second acquire is refused with one clear line naming the directory and owner', async t => {
  const dir = await tempDir(t)
  const lock = await acquireDataDirLock(dir, { command: 'node dist/src/server.js' })
  const err = await acquireDataDirLock(dir).catch((e: unknown) => e)
  t.ok(err instanceof DataDirLockedError)
  const locked = err as DataDirLockedError
  t.equal(locked.pid, process.pid)
  t.equal(locked.lockFile, join(dir, '.lock'))
  t.match(locked.message, `Data directory "${dir}"`)
  t.match(locked.message, `pid ${process.pid}`)
  t.match(locked.message, 'node dist/src/server.js')
  t.notMatch(locked.message, '\n', 'one line')

  const record = JSON.parse(await readFile(join(dir, '.lock'), 'utf8'))
  t.match(record, { pid: process.pid, start_time: await ownStartTime(), command: 'node dist/src/server.js' })
  t.type(record.hostname, 'string')
  t.type(record.acquired_at, 'string')

  await lock.release()
  const again = await acquireDataDirLock(dir)
  t.pass('acquired after release')
  await lock.release() // a stale release must not remove the new owner's lock
  await t.rejects(acquireDataDirLock(dir), DataDirLockedError)
  await again.release()
  t.same(await readdir(dir), [], 'nothing left behind')
})

t.test('the holder records where its server listens; a refused process learns it; release still removes the lock', async t => {
  const dir = await tempDir(t)
  const lock = await acquireDataDirLock(dir, { command: 'node dist/src/server.js' })
  const before = JSON.parse(await readFile(lock.lockFile, 'utf8'))
  const refusedEarly = await acquireDataDirLock(dir).catch((e: unknown) => e) as DataDirLockedError
  t.equal(refusedEarly.url, null, 'not listening yet: no url')

  t.equal(await recordListeningUrl(dir, 'http://127.0.0.1:43210'), true)
  t.same(JSON.parse(await readFile(lock.lockFile, 'utf8')), { ...before, url: 'http://127.0.0.1:43210' }, 'same owner, plus the url')
  t.same((await readdir(dir)).sort(), ['.lock'], 'no temp file left')
  const refused = await acquireDataDirLock(dir).catch((e: unknown) => e)
  t.ok(refused instanceof DataDirLockedError, 'still held')
  t.equal((refused as DataDirLockedError).url, 'http://127.0.0.1:43210')

  await lock.release()
  t.same(await readdir(dir), [], 'the rewritten lock is still recognised as ours and removed')
  t.equal(await recordListeningUrl(dir, 'http://127.0.0.1:1'), false, 'released: nothing recorded')
  t.same(await readdir(dir), [], 'and no lock file recreated')
})

t.test('only the holder can record a url', async t => {
  const dir = await tempDir(t)
  const other = lockRecord(process.ppid, null)
  await writeFile(join(dir, '.lock'), other)
  t.equal(await recordListeningUrl(dir, 'http://127.0.0.1:1'), false)
  t.equal(await readFile(join(dir, '.lock'), 'utf8'), other, "another process's lock is untouched")
})

t.test('a live process of another owner holds the lock', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, '.lock'), lockRecord(process.ppid, null))
  const err = await acquireDataDirLock(dir).catch((e: unknown) => e)
  t.ok(err instanceof DataDirLockedError)
  t.match((err as Error).message, `in use by another running process (pid ${process.ppid}`)
})

t.test('a lock left by a dead process is taken over at once', async t => {
  const dir = await tempDir(t)
  const pid = await deadPid()
  await writeFile(join(dir, '.lock'), lockRecord(pid, 12345))
  const started = Date.now()
  const lock = await acquireDataDirLock(dir)
  t.ok(Date.now() - started < 1000, 'no waiting out a timeout')
  t.equal(JSON.parse(await readFile(lock.lockFile, 'utf8')).pid, process.pid)
  await lock.release()
})

t.test('a reused pid (same pid, different start time) is not the owner', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, '.lock'), lockRecord(process.pid, (await ownStartTime()) - 1))
  const lock = await acquireDataDirLock(dir)
  t.equal(JSON.parse(await readFile(lock.lockFile, 'utf8')).start_time, await ownStartTime())
  await lock.release()
})

for (const [name, content] of [['that is empty', ''], ['cut short', '{"pid": 12'], ['without a pid', '{"hello": 1}'], ['naming pid 0 (a process group)', lockRecord(0, null)]]) {
  t.test(`a lock file ${name} is taken over`, async t => {
    const dir = await tempDir(t)
    await writeFile(join(dir, '.lock'), content)
    const lock = await acquireDataDirLock(dir)
    t.equal(JSON.parse(await readFile(lock.lockFile, 'utf8')).pid, process.pid)
    await lock.release()
  })
}

/** data-dir-lock.js with `fs` overrides, and a gate: `stall()` inside an override pauses it,
 *  `hasStalled` resolves when that happened, `resume()` lets it go on. */
async function withStallingFs (t: Test, overrides: (stall: () => Promise<void>) => Partial<typeof fsPromises>) {
  let resume!: () => void
  const resumed = new Promise<void>(resolve => { resume = resolve })
  let stalled!: () => void
  const hasStalled = new Promise<void>(resolve => { stalled = resolve })
  const stall = async (): Promise<void> => {
    stalled()
    await resumed
  }
  const mod = await t.mockImport<typeof import('../../../src/store/lowdb/data-dir-lock.js')>('../../../src/store/lowdb/data-dir-lock.js', {
    'node:fs/promises': { ...fsPromises, ...overrides(stall) }
  })
  return { mod, hasStalled, resume }
}

t.test('a lock file still being written is not mistaken for crash debris', async t => {
  const dir = await tempDir(t)
  // A's writes are slow: the file exists (empty) for a while before its content arrives.
  const slowA = await withStallingFs(t, stall => ({
    writeFile: async (path: string, data: string, options: { flag: string }) => {
      const handle = await fsPromises.open(path, options.flag)
      await stall()
      await handle.writeFile(data)
      await handle.close()
    }
  }) as Partial<typeof fsPromises>)
  const a = slowA.mod.acquireDataDirLock(dir).then(lock => lock, (err: unknown) => err)
  await slowA.hasStalled
  const b = await acquireDataDirLock(dir).then(lock => lock, (err: unknown) => err)
  slowA.resume()
  const outcomes = [await a, b]
  t.equal(outcomes.filter(o => o instanceof Error).length, 1, 'exactly one of the two is refused')
})

t.test('a takeover based on a stale read does not remove the new owner\'s lock', async t => {
  // Two processes find the same dead lock. B reads it, then stalls; A takes over meanwhile.
  // When B resumes, the file at .lock is A's live lock — B must not delete it.
  const dir = await tempDir(t)
  const lockFile = join(dir, '.lock')
  await writeFile(lockFile, lockRecord(await deadPid(), null))
  const stallingB = await withStallingFs(t, stall => ({
    readFile: async (...args: Parameters<typeof fsPromises.readFile>) => {
      const content = await fsPromises.readFile(...args)
      if (args[0] === lockFile) await stall()
      return content
    }
  }) as Partial<typeof fsPromises>)
  const b = stallingB.mod.acquireDataDirLock(dir).then(() => 'acquired', (err: unknown) => err)
  await stallingB.hasStalled
  const a = await acquireDataDirLock(dir)
  stallingB.resume()
  t.ok(await b instanceof stallingB.mod.DataDirLockedError, 'B is refused')
  t.equal(await readFile(lockFile, 'utf8').then(text => JSON.parse(text).acquired_at),
    JSON.parse(await readFile(a.lockFile, 'utf8')).acquired_at, "A's lock is still in place")
  t.same((await readdir(dir)).sort(), ['.lock'], 'no temp or moved-aside files left')
  await a.release()
})
