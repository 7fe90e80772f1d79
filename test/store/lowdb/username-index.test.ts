import t from 'tap'
import { readFile, stat } from 'node:fs/promises'
import { shardedPath } from '../../../src/store/lowdb/doc-pool.js'
import { UsernameIndex } from '../../../src/store/lowdb/username-index.js'
import { tempDir } from './fixtures/temp-dir.js'

const exists = async (path: string): Promise<boolean> => stat(path).then(() => true, () => false)

t.test('concurrent claims of one name: exactly one wins', async t => {
  const dir = await tempDir(t)
  const index = new UsernameIndex(dir)
  const ids = Array.from({ length: 20 }, (_, i) => `user-${i}`)
  const won = await Promise.all(ids.map(async id => index.claim('alice', id)))
  t.equal(won.filter(Boolean).length, 1)
  const winner = ids[won.indexOf(true)]
  t.equal(await index.lookup('alice'), winner)
  t.same(JSON.parse(await readFile(shardedPath(dir, 'alice'), 'utf8')), { user_id: winner })
  t.equal(await new UsernameIndex(dir).lookup('alice'), winner, 'durable: a fresh index agrees')
  t.equal(await new UsernameIndex(dir).claim('alice', 'someone-else'), false, 'still taken after a restart')
})

t.test('lookup of an unclaimed name is null, and a later claim is seen', async t => {
  const index = new UsernameIndex(await tempDir(t))
  t.equal(await index.lookup('bob'), null)
  t.equal(await index.claim('bob', 'user-1'), true)
  t.equal(await index.lookup('bob'), 'user-1', 'the cached "free" answer was replaced')
})

t.test('release frees the name; release with the wrong expected id does nothing', async t => {
  const dir = await tempDir(t)
  const index = new UsernameIndex(dir)
  await index.claim('carol', 'user-1')

  await index.release('carol', 'user-2')
  t.equal(await index.lookup('carol'), 'user-1')
  t.equal(await new UsernameIndex(dir).lookup('carol'), 'user-1', 'file untouched')

  await index.release('carol', 'user-1')
  t.equal(await index.lookup('carol'), null)
  t.notOk(await exists(shardedPath(dir, 'carol')), 'file removed')
  t.equal(await index.claim('carol', 'user-3'), true, 'claimable again')

  await index.release('carol')
  t.equal(await new UsernameIndex(dir).lookup('carol'), null, 'release without an expected id')
  await index.release('never-claimed')
  t.pass('releasing a free name is a no-op')
})

t.test('claim, lookup and release racing on one name stay consistent', async t => {
  const dir = await tempDir(t)
  const index = new UsernameIndex(dir)
  const [, , claimed] = await Promise.all([index.lookup('dave'), index.release('dave'), index.claim('dave', 'user-1'), index.lookup('dave')])
  t.equal(claimed, true)
  t.equal(await index.lookup('dave'), 'user-1')
  t.equal(await new UsernameIndex(dir).lookup('dave'), 'user-1')
})

t.test('usernames and ids are validated', async t => {
  const index = new UsernameIndex(await tempDir(t))
  for (const name of ['ab', 'Alice', '../x', 'a/b/c', 'x'.repeat(33)]) {
    await t.rejects(index.claim(name, 'user-1'), { message: /Invalid name/ }, JSON.stringify(name))
  }
  await t.rejects(index.claim('valid', '../user'), { message: /Invalid/ })
})
