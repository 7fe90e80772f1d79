// OutboxStore: the due delivery attempts of every user, found by due time. The queue clauses are
// due-work.ts's; here what is the outbox's own: entries come back as enqueued, nextDeliveryDue,
// and an entry may exist before (or after) its nudge — the outbox entry is written first.
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { at, atMs, givenAccount, outboxEntry, queuedNudge } from './fixtures.js'
import { dueWorkContract } from './due-work.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function outboxContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'outbox')
  const owner = new WeakMap<object, string>()

  dueWorkContract(t, open, options, 'outbox queue', {
    async subject (repo) {
      // Entries of one user; the outbox is global, so that is no simplification.
      let id = owner.get(repo)
      if (!id) owner.set(repo, id = (await givenAccount(repo)).id)
      return randomUUID()
    },
    put: (repo, nudgeId, dueMs) => repo.enqueueDelivery({ nudge_id: nudgeId, user_id: owner.get(repo)!, due_at: new Date(dueMs).toISOString(), enqueued_at: at(-1) }),
    remove: (repo, nudgeId) => repo.removeDelivery(nudgeId),
    claim: async (repo, nowMs, limit, leaseMs) => (await repo.claimDueDeliveries(nowMs, limit, leaseMs)).map(e => ({ id: e.nudge_id, dueMs: Date.parse(e.due_at) }))
  })

  clause('a claimed entry is the entry as enqueued, across users', async t => {
    const repo = await open(t)
    const a = await givenAccount(repo)
    const b = await givenAccount(repo)
    const first = outboxEntry(a.id, 1)
    const second = outboxEntry(b.id, 2, { enqueued_at: at(-30) })
    await repo.enqueueDelivery(second)
    await repo.enqueueDelivery(first)
    t.same(await repo.claimDueDeliveries(atMs(5), 10, 60_000), [first, second])
  })

  clause('enqueueing again for the same nudge replaces the entry (user, times) — one entry per nudge', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const entry = outboxEntry(id, 1)
    await repo.enqueueDelivery(entry)
    const retry = { ...entry, due_at: at(3) }
    await repo.enqueueDelivery(retry)
    t.same(await repo.claimDueDeliveries(atMs(5), 10, 60_000), [retry])
  })

  clause('nextDeliveryDue: the earliest due time; null when the outbox is empty', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.equal(await repo.nextDeliveryDue(), null)
    const later = outboxEntry(id, 30)
    const sooner = outboxEntry(id, 10)
    await repo.enqueueDelivery(later)
    t.equal(await repo.nextDeliveryDue(), atMs(30))
    await repo.enqueueDelivery(sooner)
    t.equal(await repo.nextDeliveryDue(), atMs(10))
    await repo.enqueueDelivery({ ...sooner, due_at: at(40) })
    t.equal(await repo.nextDeliveryDue(), atMs(30), 'a moved entry counts at its new time')
    await repo.removeDelivery(later.nudge_id)
    t.equal(await repo.nextDeliveryDue(), atMs(40))
    await repo.removeDelivery(sooner.nudge_id)
    t.equal(await repo.nextDeliveryDue(), null)
  })

  // nudges.ts writes the outbox entry before the nudge (a crash between leaves an entry the
  // dispatcher drops after a grace period, never a nudge nobody delivers): the outbox cannot
  // require the nudge to exist.
  clause('an entry whose nudge is not stored (yet) is accepted and claimed', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const entry = outboxEntry(id, 1)
    await repo.enqueueDelivery(entry)
    t.same(await repo.claimDueDeliveries(atMs(2), 10, 60_000), [entry])
    // …and the nudge written afterwards is found by its id.
    const n = queuedNudge({ nudge_id: entry.nudge_id })
    await repo.addNudge(id, n, () => ({ add: true }))
    t.same((await repo.listNudges(id)).map(x => x.nudge_id), [entry.nudge_id])
  })
}
