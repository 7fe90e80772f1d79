// NudgeStore: the inbox newest last and bounded (NUDGES_KEPT), admission decided in the adding
// transaction (so a daily cap or a dedupe key holds under concurrent requests), edits, read marks.
import type { Test } from 'tap'
import type { Nudge } from '../../../src/nudges/nudge-schemas.js'
import type { NudgeAdmission } from '../../../src/store/nudge-store.js'
import { NUDGES_KEPT } from '../../../src/store/user-data.js'
import { at, givenAccount, nudge, queuedNudge, Refused } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

const admitAll = (): NudgeAdmission => ({ add: true })

/** A cap of `cap` external nudges, as nudges.ts's admit does it. */
const capped = (cap: number) => (existing: readonly Nudge[]): NudgeAdmission =>
  existing.filter(n => n.channel !== 'in_app').length >= cap ? { add: false, refused: new Error('daily cap reached') } : { add: true }

export function nudgeContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'nudges')

  clause('nudges are listed newest last, as given', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const written = [nudge({ created_at: at(3) }), queuedNudge({ created_at: at(1), dedupe_key: 'k', intervention_id: 'i-1', source: 'coach' }), nudge({ created_at: at(2), recipient: 'buddy' })]
    for (const n of written) t.same(await repo.addNudge(id, n, admitAll), { add: true })
    t.same(await repo.listNudges(id), written, 'in the order added (created_at is not the order)')
  })

  clause('admit sees the stored nudges; what it decides is returned, and only { add: true } adds', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const first = nudge({ dedupe_key: 'daily' })
    let seen: Nudge[] | undefined
    await repo.addNudge(id, first, existing => { seen = structuredClone([...existing]); return { add: true } })
    t.same(seen, [])
    // dedupe: the stored one is answered instead
    const again = nudge({ dedupe_key: 'daily' })
    const deduped = await repo.addNudge(id, again, existing => {
      seen = structuredClone([...existing])
      const same = existing.find(n => n.dedupe_key === again.dedupe_key)
      return same ? { add: false, existing: same } : { add: true }
    })
    t.same(seen, [first])
    t.same(deduped, { add: false, existing: first })
    const err = new Error('daily cap reached')
    const refused = await repo.addNudge(id, nudge(), () => ({ add: false, refused: err }))
    t.ok(refused !== null && !refused.add && 'refused' in refused && refused.refused.message === err.message, 'the refusal is handed back')
    t.same(await repo.listNudges(id), [first])
  })

  clause('a cap of 1 with two concurrent adds: exactly one is added', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const results = await Promise.all([repo.addNudge(id, queuedNudge(), capped(1)), repo.addNudge(id, queuedNudge(), capped(1))])
    t.equal(results.filter(r => r?.add).length, 1, JSON.stringify(results))
    t.equal((await repo.listNudges(id)).length, 1)
  })

  clause(`the inbox keeps the newest ${NUDGES_KEPT}`, async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const oldest = nudge({ message: 'oldest' })
    await repo.addNudge(id, oldest, admitAll)
    // The middle ones concurrently (their order among themselves does not matter here).
    await Promise.all(Array.from({ length: NUDGES_KEPT - 1 }, () => repo.addNudge(id, nudge(), admitAll)))
    t.equal((await repo.listNudges(id)).length, NUDGES_KEPT)
    const newest = nudge({ message: 'newest' })
    await repo.addNudge(id, newest, admitAll)
    const kept = await repo.listNudges(id)
    t.equal(kept.length, NUDGES_KEPT)
    t.notOk(kept.some(n => n.nudge_id === oldest.nudge_id), 'the oldest went')
    t.same(kept.at(-1), newest)
  })

  clause('updateNudge changes that nudge and returns it; an unknown id is null', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const [a, b] = [queuedNudge(), nudge()]
    await repo.addNudge(id, a, admitAll)
    await repo.addNudge(id, b, admitAll)
    const delivered = { ...a, status: 'delivered' as const, attempts: 1, delivered_at: at(1), scheduled_for: null }
    t.same(await repo.updateNudge(id, a.nudge_id, n => { Object.assign(n, { status: 'delivered', attempts: 1, delivered_at: at(1), scheduled_for: null }) }), delivered)
    t.same(await repo.listNudges(id), [delivered, b], 'in place: the order is kept')
    let called = false
    t.equal(await repo.updateNudge(id, 'no-such-nudge', () => { called = true }), null)
    t.equal(called, false)
  })

  clause('updateNudge: a change that throws changes nothing and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const n = queuedNudge()
    await repo.addNudge(id, n, admitAll)
    const err = new Refused()
    await t.rejects(repo.updateNudge(id, n.nudge_id, x => { x.status = 'failed'; throw err }), err)
    t.same(await repo.listNudges(id), [n])
  })

  clause('markAllNudgesRead marks the unread ones (keeping earlier read times) and says how many', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const read = nudge({ read_at: at(-5) })
    const unread = [nudge(), queuedNudge()]
    for (const n of [unread[0], read, unread[1]]) await repo.addNudge(id, n, admitAll)
    t.equal(await repo.markAllNudgesRead(id, at(10)), 2)
    t.same((await repo.listNudges(id)).map(n => n.read_at), [at(10), at(-5), at(10)])
    t.equal(await repo.markAllNudgesRead(id, at(20)), 0, 'nothing left unread')
    t.same((await repo.listNudges(id)).map(n => n.read_at), [at(10), at(-5), at(10)])
    const empty = await givenAccount(repo)
    t.equal(await repo.markAllNudgesRead(empty.id, at(10)), 0, 'an empty inbox')
  })
}
