import t from 'tap'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DocNotFoundError, DocPool, shardedPath, type DocPoolOptions } from '../../../src/store/lowdb/doc-pool.js'
import { RecordingFileOps } from './fixtures/recording-file-ops.js'
import { tempDir } from './fixtures/temp-dir.js'

interface Doc {
  items: string[]
}

const asDoc = (raw: unknown): { doc: Doc, changed: boolean } => ({ doc: raw as Doc, changed: false })

function pool (dir: string, options: Partial<DocPoolOptions<Doc>> = {}): DocPool<Doc> {
  return new DocPool<Doc>({ dir, migrate: asDoc, ...options })
}

const onDisk = async (dir: string, key: string): Promise<unknown> => JSON.parse(await readFile(shardedPath(dir, key), 'utf8'))
const exists = async (path: string): Promise<boolean> => stat(path).then(() => true, () => false)

t.test('group commit: 1,000 concurrent updates over 10 keys', async t => {
  const dir = await tempDir(t)
  const flushesOf = new Map<string, number>()
  const docs = pool(dir, { onFlush: ({ key }) => flushesOf.set(key, (flushesOf.get(key) ?? 0) + 1) })
  const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`)
  for (const key of keys) await docs.create(key, { items: [] })

  let longestWait = 0
  const updates: Array<Promise<void>> = []
  for (let wave = 0; wave < 10; wave++) {
    for (let i = 0; i < 100; i++) {
      const n = wave * 100 + i
      const key = keys[n % keys.length]
      const flushesAtCall = flushesOf.get(key) ?? 0
      updates.push(docs.update(key, doc => { doc.items.push(`id-${n}`) }).then(() => {
        longestWait = Math.max(longestWait, (flushesOf.get(key) ?? 0) - flushesAtCall)
      }))
    }
    // Let flushes start, so later waves arrive while earlier ones are in flight.
    await new Promise(resolve => setImmediate(resolve))
  }
  await Promise.all(updates)
  const { flushes_total: flushes, writes_total: writes } = docs.status()
  await docs.close()

  const reopened = pool(dir)
  const all: string[] = []
  for (const key of keys) {
    const items = (await reopened.read(key))?.items ?? []
    t.equal(items.length, 100, `${key} holds exactly its 100 entries`)
    all.push(...items)
  }
  t.equal(all.length, 1000)
  t.equal(new Set(all).size, 1000, 'ids unique')
  t.equal(writes, 1010, '1,000 updates + 10 creates acknowledged')
  t.ok(flushes < 200, `batched into ${flushes} flushes`)
  t.ok(longestWait <= 2, `no update waited for more than 2 flushes of its key (longest: ${longestWait})`)
})

t.test('reads come from memory', async t => {
  const dir = await tempDir(t)
  await pool(dir).create('alice', { items: ['a'] })
  const ops = new RecordingFileOps()
  const docs = pool(dir, { fileOps: ops })
  const path = shardedPath(dir, 'alice')

  const first = await Promise.all(Array.from({ length: 10 }, async () => docs.read('alice')))
  t.equal(ops.count('readFile', path), 1, 'concurrent first opens share one read')
  t.ok(first.every(doc => doc === first[0]))
  for (let i = 0; i < 100; i++) t.same(await docs.read('alice'), { items: ['a'] })
  await docs.update('alice', doc => { doc.items.push('b') })
  t.same(await docs.read('alice'), { items: ['a', 'b'] })
  t.equal(ops.count('readFile'), 1, 'no further file reads')
  t.equal(await docs.read('nobody'), null, 'null when there is no document')
})

t.test('bounded pool: at most maxOpen handles, evicted keys reload from disk', async t => {
  const dir = await tempDir(t)
  const ops = new RecordingFileOps()
  const docs = pool(dir, { maxOpen: 5, fileOps: ops })
  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`)
  for (const key of keys) {
    await docs.create(key, { items: [key] })
    await docs.update(key, doc => { doc.items.push('updated') })
    t.ok(docs.status().open_handles <= 5)
  }
  const readsBefore = ops.count('readFile')
  for (const key of keys) {
    t.same(await docs.read(key), { items: [key, 'updated'] })
    t.ok(docs.status().open_handles <= 5)
  }
  t.ok(ops.count('readFile') - readsBefore >= 15, 'evicted documents were read back from disk')
})

t.test('bounded pool never drops a handle with writes pending', async t => {
  const dir = await tempDir(t)
  const docs = pool(dir, { maxOpen: 2 })
  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`)
  await Promise.all(keys.map(async key => docs.create(key, { items: [] })))
  await Promise.all(Array.from({ length: 400 }, async (_, n) =>
    docs.update(keys[n % 20], doc => { doc.items.push(`id-${n}`) })))
  await docs.close()
  t.ok(docs.status().open_handles <= 2, 'back within maxOpen once idle')
  for (const key of keys) t.equal(((await onDisk(dir, key)) as Doc).items.length, 20, key)
})

t.test('a handle with a flush in progress is not evicted', async t => {
  const dir = await tempDir(t)
  for (const key of ['a', 'b', 'c']) await pool(dir).create(key, { items: [] })
  const ops = new RecordingFileOps()
  const docs = pool(dir, { maxOpen: 1, fileOps: ops })
  let reachedFsync!: () => void
  const fsyncReached = new Promise<void>(resolve => { reachedFsync = resolve })
  let release!: () => void
  const released = new Promise<void>(resolve => { release = resolve })
  ops.pauseWhen = op => {
    if (op.op !== 'fsync' || op.path !== `${shardedPath(dir, 'a')}.tmp`) return null
    reachedFsync()
    return released
  }
  const update = docs.update('a', doc => { doc.items.push('x') })
  await fsyncReached
  await docs.read('b')
  await docs.read('c')
  t.equal(docs.status().open_handles, 2, '"a" (flushing) stays open beside the newest handle')
  release()
  await update
  t.equal(docs.status().open_handles, 1, 'evicted once idle')
  t.same(await docs.read('a'), { items: ['x'] })
})

t.test('a throwing update writes nothing and its half-mutation is discarded', async t => {
  const dir = await tempDir(t)
  const ops = new RecordingFileOps()
  const docs = pool(dir, { fileOps: ops })
  await docs.create('alice', { items: ['a'] })
  const before = await readFile(shardedPath(dir, 'alice'), 'utf8')
  const writesBefore = ops.count('write')

  await t.rejects(docs.update('alice', doc => {
    doc.items.push('half')
    throw new Error('boom')
  }), { message: 'boom' })
  t.equal(ops.count('write'), writesBefore, 'nothing written')
  t.equal(await readFile(shardedPath(dir, 'alice'), 'utf8'), before)
  t.same(await docs.read('alice'), { items: ['a'] }, 'memory reloaded from disk')
})

t.test('updates queued behind a throwing one still land, without its half-mutation', async t => {
  const dir = await tempDir(t)
  const docs = pool(dir)
  await docs.create('alice', { items: [] })
  const first = docs.update('alice', doc => doc.items.push('first')) // in flight
  const second = docs.update('alice', doc => doc.items.push('second')) // queued behind it
  const bad = docs.update('alice', doc => {
    doc.items.push('half')
    throw new Error('boom')
  })
  await t.rejects(bad, { message: 'boom' })
  t.equal(await first, 1)
  t.equal(await second, 2, 'rerun on the reloaded document')
  t.same(await onDisk(dir, 'alice'), { items: ['first', 'second'] })
  t.same(await docs.read('alice'), { items: ['first', 'second'] })
})

t.test('a failing flush rejects every waiter and memory reverts to disk', async t => {
  const dir = await tempDir(t)
  const ops = new RecordingFileOps()
  const docs = pool(dir, { fileOps: ops })
  await docs.create('alice', { items: ['a'] })
  ops.failWhen = op => op.op === 'rename'
  const results = await Promise.allSettled([1, 2, 3].map(async n => docs.update('alice', doc => { doc.items.push(`x${n}`) })))
  t.same(results.map(r => r.status), ['rejected', 'rejected', 'rejected'], 'in-flight and queued waiters rejected')
  t.match(docs.status().last_error, /injected rename failure/)
  ops.failWhen = null
  t.same(await docs.read('alice'), { items: ['a'] }, 'memory matches disk')
  t.same(await onDisk(dir, 'alice'), { items: ['a'] })
  await docs.update('alice', doc => { doc.items.push('b') })
  t.same(await onDisk(dir, 'alice'), { items: ['a', 'b'] })
  t.equal(docs.status().last_error, null, 'cleared by a successful flush')
})

t.test('an update costs the same whether 10 or 1,000 other documents exist', async t => {
  async function opsForUpdates (others: number): Promise<string[]> {
    const dir = await tempDir(t)
    await Promise.all(Array.from({ length: others }, async (_, i) => {
      const path = shardedPath(dir, `other-${i}`)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, JSON.stringify({ items: [] }))
    }))
    await pool(dir).create('x', { items: [] })
    const ops = new RecordingFileOps()
    const docs = pool(dir, { fileOps: ops })
    await docs.update('x', doc => { doc.items.push('cold') }) // opens the document
    await docs.update('x', doc => { doc.items.push('warm') })
    const file = shardedPath(dir, 'x')
    const names = new Map([[file, 'X'], [`${file}.tmp`, 'X.tmp'], [dirname(file), 'X-shard-dir']])
    return ops.log.map(({ op, path, to }) =>
      [op, names.get(path) ?? `FOREIGN ${path}`, ...(to === undefined ? [] : [names.get(to) ?? `FOREIGN ${to}`])].join(' '))
  }
  const small = await opsForUpdates(10)
  const large = await opsForUpdates(1000)
  t.same(large, small, 'same operations in the same order')
  t.notOk(large.some(op => op.includes('FOREIGN')), `touches only X's files and shard directory: ${large.join(', ')}`)
  t.ok(large.includes('fsync X.tmp') && large.includes('fsync X-shard-dir'))
})

t.test('migrate: a changed document is written back; a throwing migrate rejects', async t => {
  const dir = await tempDir(t)
  interface V2 { version: 2, items: string[] }
  let thrown: Error | undefined
  const migrate = (raw: unknown): { doc: V2, changed: boolean } => {
    const old = raw as { version: number, list?: string[], items?: string[] }
    if (old.version > 2) throw (thrown = new Error(`schema ${old.version} is newer than this code`))
    if (old.version === 2) return { doc: raw as V2, changed: false }
    return { doc: { version: 2, items: old.list ?? [] }, changed: true }
  }
  for (const [key, doc] of [['old', { version: 1, list: ['a'] }], ['future', { version: 3 }]] as const) {
    await mkdir(dirname(shardedPath(dir, key)), { recursive: true })
    await writeFile(shardedPath(dir, key), JSON.stringify(doc))
  }
  const docs = new DocPool<V2>({ dir, migrate })
  t.same(await docs.read('old'), { version: 2, items: ['a'] })
  t.same(await onDisk(dir, 'old'), { version: 2, items: ['a'] }, 'rewritten in the migrated form')
  t.equal(await docs.read('future').catch((err: unknown) => err), thrown, 'read rejects with the error migrate threw')
  await t.rejects(docs.update('future', doc => { doc.items.push('x') }), { message: /newer than this code/ })
  t.same(await onDisk(dir, 'future'), { version: 3 }, 'a document the code cannot read is left alone')
})

t.test('create and delete', async t => {
  const dir = await tempDir(t)
  const docs = pool(dir)
  const path = shardedPath(dir, 'alice')
  await docs.create('alice', { items: ['a'] })
  t.same(await onDisk(dir, 'alice'), { items: ['a'] })
  await t.rejects(docs.create('alice', { items: [] }), { code: 'EEXIST' })
  await t.rejects(pool(dir).create('alice', { items: [] }), { code: 'EEXIST' }, 'also when not in memory')

  // updates in flight when delete is called are acknowledged first, then the file goes
  const updates = [1, 2, 3].map(async n => docs.update('alice', doc => { doc.items.push(`u${n}`) }))
  const deleted = docs.delete('alice')
  await Promise.all(updates)
  t.equal(await deleted, true)
  t.notOk(await exists(path), 'file removed')
  t.equal(await docs.read('alice'), null)
  await t.rejects(docs.update('alice', doc => { doc.items.push('x') }), DocNotFoundError)
  t.equal(await docs.delete('alice'), false, 'nothing left to delete')
  t.equal(await pool(dir).read('alice'), null, 'gone for a fresh pool too')

  await docs.create('alice', { items: ['again'] })
  t.same(await pool(dir).read('alice'), { items: ['again'] }, 'the key can be created again')
})

t.test('close waits for pending flushes and refuses new writes', async t => {
  const dir = await tempDir(t)
  const docs = pool(dir)
  await docs.create('alice', { items: [] })
  const pending = Array.from({ length: 50 }, async (_, n) => docs.update('alice', doc => { doc.items.push(`${n}`) }))
  await docs.close()
  t.equal(((await onDisk(dir, 'alice')) as Doc).items.length, 50, 'every accepted write is on disk')
  await Promise.all(pending)
  await t.rejects(docs.update('alice', () => {}), { message: /closed/ })
  t.same(docs.status().queued_writes, 0)
})

t.test('keys are validated', async t => {
  const docs = pool(await tempDir(t))
  for (const key of ['', '../escape', 'a/b', 'x'.repeat(129), 'dot.ted']) {
    await t.rejects(docs.read(key), { message: /Invalid document key/ }, JSON.stringify(key))
  }
})
