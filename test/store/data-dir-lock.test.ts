import t from 'tap'
import { spawn } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { acquireDataDirLock, DataDirLockedError } from '../../src/store/data-dir-lock.js'
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

for (const [name, content] of [['empty', ''], ['garbage', '{"pid": 12'], ['pid-less', '{"hello": 1}'], ['process-group pid', lockRecord(0, null)]]) {
  t.test(`an ${name} lock file (crash debris) is taken over`, async t => {
    const dir = await tempDir(t)
    await writeFile(join(dir, '.lock'), content)
    const lock = await acquireDataDirLock(dir)
    t.equal(JSON.parse(await readFile(lock.lockFile, 'utf8')).pid, process.pid)
    await lock.release()
  })
}

t.test('concurrent takeovers of a dead lock: exactly one wins', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, '.lock'), lockRecord(await deadPid(), null))
  const results = await Promise.allSettled(Array.from({ length: 8 }, async () => acquireDataDirLock(dir)))
  const won = results.filter(r => r.status === 'fulfilled')
  t.equal(won.length, 1)
  t.ok(results.every(r => r.status === 'fulfilled' || r.reason instanceof DataDirLockedError))
})
