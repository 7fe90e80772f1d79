// What a store acknowledged is there after a restart: every kind of record, the username and
// feed-token lookups, idempotency keys, and the queued work (claimable again: a lease is no
// promise across a restart, only "at least once"). Needs the store's `reopen`; skipped without.
import type { Test } from 'tap'
import type { WorkoutRecord } from '../../../src/workouts/workout-schemas.js'
import { everything } from './export-and-delete.js'
import { atMs, givenAccount, workout } from './fixtures.js'
import { byValue, part, restart, type ContractOptions, type OpenStore } from './harness.js'

export function durabilityContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  if (!options?.reopen) {
    void t.test('durability', { skip: 'the store under test gives no reopen' }, async () => {})
    return
  }
  const clause = part(t, options, 'durability')

  clause('everything acknowledged survives a restart', async t => {
    const before = await open(t)
    const kept = await everything(before)
    const gone = await everything(before)
    await before.deleteAccount(gone.account.id)
    const calendar = await before.getCalendar(kept.account.id)
    const exported = await before.exportUser(kept.account.id)
    const checkpoint = await before.getQueuedCheckpoint(kept.account.id)

    const repo = (await restart(t, options, before))!
    t.same(await repo.exportUser(kept.account.id), exported, 'the whole UserData')
    t.same(await repo.findAccountByUsername(kept.account.username), kept.account)
    t.equal(await repo.findUserByCalendarToken(kept.digest), kept.account.id)
    t.same(await repo.getCalendar(kept.account.id), calendar)
    t.same(await repo.listCalendarSubscriptions(), [{ userId: kept.account.id, subscription: calendar?.subscription }])
    t.same(await repo.getQueuedCheckpoint(kept.account.id), checkpoint)
    const replay = await repo.insertWorkout(kept.account.id, workout(kept.account.id), { request_id: kept.requestKey.request_id, fingerprint: kept.requestKey.fingerprint }, () => null)
    t.same(replay, { replayed: true, sameRequest: true, response: kept.requestKey.response }, 'an idempotency key outlives a restart')

    t.equal(await repo.getAccount(gone.account.id), null, 'a deletion is durable too')
    t.equal(await repo.findUserByCalendarToken(gone.digest), null)
    t.equal(await repo.createAccount({ ...gone.account, id: `${gone.account.id}x` }), true, 'and its username stays free')

    // Queued work is all there (claims may have been leased before: look past any lease).
    const later = atMs(10) + 24 * 3_600_000
    t.same((await repo.claimDueDeliveries(later, 10, 60_000)).map(e => e.user_id).filter(u => u === kept.account.id), [kept.account.id])
    t.ok((await repo.claimDueCommitmentChecks(later, 10, 60_000)).some(c => c.user_id === kept.account.id))
    t.same((await repo.claimDueCheckpoints(later, 10, 60_000)).filter(c => c.user_id === kept.account.id), [{ user_id: kept.account.id, checkpoint }])
  })

  clause('concurrent acknowledged writes all survive a restart', async t => {
    const before = await open(t)
    const { id } = await givenAccount(before)
    const written: WorkoutRecord[] = Array.from({ length: 25 }, () => workout(id))
    await Promise.all(written.map(w => before.insertWorkout(id, w, undefined, () => null)))
    await Promise.all(written.slice(0, 5).map(w => before.updateWorkout(id, w.workout_id, x => { x.duration_minutes = 45 })))
    const repo = (await restart(t, options, before))!
    const after = await repo.listWorkouts(id)
    t.same(after.map(w => w.workout_id).sort(), written.map(w => w.workout_id).sort())
    t.equal(after.filter(w => w.duration_minutes === 45).length, 5)
  })
}
