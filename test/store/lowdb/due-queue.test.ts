// The due-time queue: entries spread over shards come back in due order, a claim hides an entry
// for its lease, a put moves an entry, and everything survives closing and reopening.
import t from 'tap'
import { DueQueue } from '../../../src/store/lowdb/due-queue.js'
import { tempDir } from '../../helpers/build-app.js'

type Entry = { id: string, due_at: string, n: number }
const at = (minute: number) => new Date(Date.UTC(2026, 2, 4, 12, minute)).toISOString()

t.test('due order across shards, leases, moves, removal, reopen', async t => {
  const dir = await tempDir(t)
  let queue = await DueQueue.open<Entry>(dir)
  // 40 ids land in many different shards; their due times are interleaved.
  for (let i = 0; i < 40; i++) await queue.put({ id: `user-${i}`, due_at: at((i * 7) % 40), n: i })
  t.equal(await queue.nextDue(), Date.parse(at(0)))
  const first = await queue.claimDue(Date.parse(at(9)), 5, 60_000)
  t.same(first.map(e => e.due_at), [at(0), at(1), at(2), at(3), at(4)], 'oldest due first, whatever the shard')
  const again = await queue.claimDue(Date.parse(at(9)), 100, 60_000)
  t.same(again.map(e => e.due_at), [at(5), at(6), at(7), at(8), at(9)], 'claimed ones are leased; nothing not yet due')
  t.same(await queue.claimDue(Date.parse(at(9)) + 61_000, 3, 60_000).then(c => c.map(e => e.due_at)), [at(0), at(1), at(2)], 'a lease runs out: taken again (at least once)')

  const moved = first[0]
  await queue.put({ ...moved, due_at: at(39) })
  t.match(await queue.get(moved.id), { due_at: at(39) }, 'a put replaces the entry with that id')
  await queue.remove('user-1')
  t.equal(await queue.get('user-1'), null)
  await queue.close()

  queue = await DueQueue.open<Entry>(dir)
  t.teardown(() => queue.close())
  t.match(await queue.get(moved.id), { due_at: at(39), n: moved.n }, 'durable')
  const all = await queue.claimDue(Date.parse(at(40)), 100, 1000)
  t.equal(all.length, 39, 'every entry but the removed one')
  t.same(all.map(e => e.due_at), [...all.map(e => e.due_at)].sort(), 'in due order')
})
