import t from 'tap'
import { link, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { DurableJSONFile } from '../../../src/store/lowdb/durable-json-file.js'
import { RecordingFileOps, type RecordedOp } from './fixtures/recording-file-ops.js'
import { tempDir } from './fixtures/temp-dir.js'

/** A file holding `content`, and an adapter on it that records its file operations. */
async function existing (t: { teardown: (fn: () => Promise<void>) => void }, content: unknown) {
  const dir = await tempDir(t)
  const target = join(dir, 'doc.json')
  await writeFile(target, JSON.stringify(content))
  const ops = new RecordingFileOps()
  return { target, ops, file: new DurableJSONFile<unknown>(target, ops) }
}

const readJSON = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8'))
const exists = async (path: string): Promise<boolean> => stat(path).then(() => true, () => false)

t.test('write: temp file → fsync → close → rename over target → fsync directory', async t => {
  const { target, ops, file } = await existing(t, { v: 1 })
  await file.write({ v: 2 })
  const tmp = `${target}.tmp`
  const dir = dirname(target)
  t.same(ops.log, [
    { op: 'open', path: tmp },
    { op: 'write', path: tmp },
    { op: 'fsync', path: tmp },
    { op: 'close', path: tmp },
    { op: 'rename', path: tmp, to: target },
    { op: 'open', path: dir },
    { op: 'fsync', path: dir },
    { op: 'close', path: dir }
  ])
  t.same(await readJSON(target), { v: 2 })
})

t.test('write snapshots the data synchronously, before any I/O', async t => {
  const { target, file } = await existing(t, { v: 1 })
  const data = { v: 2 }
  const written = file.write(data)
  data.v = 3 // the caller keeps mutating while the flush is in flight
  await written
  t.same(await readJSON(target), { v: 2 })
})

const failurePoints: Array<{ step: string, when: (op: RecordedOp, target: string) => boolean, landed: boolean }> = [
  { step: 'write', when: op => op.op === 'write', landed: false },
  { step: 'fsync of the temp file', when: (op, target) => op.op === 'fsync' && op.path === `${target}.tmp`, landed: false },
  { step: 'rename', when: op => op.op === 'rename', landed: false },
  { step: 'fsync of the directory', when: (op, target) => op.op === 'fsync' && op.path === dirname(target), landed: true }
]

for (const { step, when, landed } of failurePoints) {
  t.test(`a failing ${step} propagates and leaves a parseable target`, async t => {
    const { target, ops, file } = await existing(t, { v: 1 })
    ops.failWhen = op => when(op, target)
    await t.rejects(file.write({ v: 2 }), { code: 'EIO', message: /injected/ })
    // Only a rename that happened may expose the new content; nothing may expose a torn file.
    t.same(await readJSON(target), landed ? { v: 2 } : { v: 1 })
    t.equal(ops.count('open', `${target}.tmp`), ops.count('close', `${target}.tmp`), 'temp file handle closed')
  })
}

t.test('read: parsed content, or null when the file does not exist', async t => {
  const { target, file } = await existing(t, { a: [1, 2] })
  t.same(await file.read(), { a: [1, 2] })
  t.equal(await new DurableJSONFile(`${target}.missing`).read(), null)
})

t.test('createExclusive: temp file synced before link, directory synced after', async t => {
  const dir = await tempDir(t)
  const target = join(dir, 'new.json')
  const ops = new RecordingFileOps()
  await new DurableJSONFile(target, ops).createExclusive({ v: 1 })
  t.same(await readJSON(target), { v: 1 })
  const tmp = `${target}.create.tmp`
  t.notOk(await exists(tmp), 'temp file removed')
  const steps = ops.log.map(r => `${r.op} ${r.path === dir ? 'dir' : r.path === tmp ? 'tmp' : r.path}`)
  const order = ['write tmp', 'fsync tmp', 'close tmp', `link tmp`, 'unlink tmp', 'fsync dir']
  const positions = order.map(s => steps.lastIndexOf(s))
  t.notOk(positions.includes(-1), `all of ${order.join(', ')} happen: ${steps.join(', ')}`)
  t.same(positions, [...positions].sort((a, b) => a - b), 'in that order')
})

t.test('createExclusive on an existing file: EEXIST, old content untouched', async t => {
  const { target, file } = await existing(t, { v: 'old' })
  await t.rejects(file.createExclusive({ v: 'new' }), { code: 'EEXIST' })
  t.same(await readJSON(target), { v: 'old' })
  t.notOk(await exists(`${target}.create.tmp`), 'temp file removed')
})

t.test('createExclusive after a crash left its temp file hard-linked to the target', async t => {
  // A crash between link() and unlink() leaves the temp name pointing at the target's inode;
  // truncating it for the next create would wipe the target.
  const { target, file } = await existing(t, { v: 'old' })
  await link(target, `${target}.create.tmp`)
  await t.rejects(file.createExclusive({ v: 'new' }), { code: 'EEXIST' })
  t.same(await readJSON(target), { v: 'old' })
})

t.test('createExclusive after a crash left its temp file behind, unlinked', async t => {
  const dir = await tempDir(t)
  const target = join(dir, 'doc.json')
  await writeFile(`${target}.create.tmp`, '{"v": "half')
  await new DurableJSONFile(target).createExclusive({ v: 'new' })
  t.same(await readJSON(target), { v: 'new' })
})

t.test('createExclusive creates missing directories and syncs their parents', async t => {
  const root = await tempDir(t)
  const target = join(root, 'a', 'b', 'doc.json')
  const ops = new RecordingFileOps()
  await new DurableJSONFile(target, ops).createExclusive({ v: 1 })
  t.same(await readJSON(target), { v: 1 })
  const syncedDirs = ops.log.filter(r => r.op === 'fsync').map(r => r.path)
  for (const dir of [root, join(root, 'a'), join(root, 'a', 'b')]) {
    t.ok(syncedDirs.includes(dir), `fsync ${dir}`)
  }
  await mkdir(join(root, 'c'))
  const again = new RecordingFileOps()
  await new DurableJSONFile(join(root, 'c', 'doc.json'), again).createExclusive({ v: 1 })
  t.same(again.log.filter(r => r.op === 'fsync').map(r => r.path), [`${join(root, 'c', 'doc.json')}.create.tmp`, join(root, 'c')],
    'no extra directory syncs when the directory exists')
})
