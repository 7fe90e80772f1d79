// WorkoutStore: the log in the order written, idempotent inserts (a retried POST answers with the
// first response and stores nothing), and edits of live workouts only.
import type { Test } from 'tap'
import type { WorkoutRecord } from '../../../src/workouts/workout-schemas.js'
import { at, givenAccount, Refused, workout } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

/** What logWorkout's `respond` does in spirit: a JSON body built from the workouts after the insert. */
const respond = (all: readonly WorkoutRecord[], inserted: WorkoutRecord) => ({
  success: true as const,
  workout_id: inserted.workout_id,
  total: all.length,
  ids: all.map(w => w.workout_id)
})

export function workoutContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'workouts')

  clause('listWorkouts returns every workout as stored, in the order inserted (not by performed_at)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    // performed_at deliberately out of order: the log keeps write order; readers sort as they need.
    const written = [workout(id, { performed_at: at(30) }), workout(id, { performed_at: at(-300) }), workout(id, { performed_at: at(5), notes: undefined })]
    delete written[2].notes
    for (const w of written) t.same((await repo.insertWorkout(id, w, undefined, respond)).replayed, false)
    t.same(await repo.listWorkouts(id), written)
  })

  clause('respond sees the workouts after the insert, the new one included, and its result is returned', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const first = workout(id)
    await repo.insertWorkout(id, first, undefined, respond)
    const second = workout(id)
    let seen: { all: string[], inserted: WorkoutRecord } | undefined
    const result = await repo.insertWorkout(id, second, undefined, (all, inserted) => {
      seen = { all: all.map(w => w.workout_id), inserted: structuredClone(inserted) }
      return respond(all, inserted)
    })
    t.same(seen, { all: [first.workout_id, second.workout_id], inserted: second })
    t.same(result, { replayed: false, response: { success: true, workout_id: second.workout_id, total: 2, ids: [first.workout_id, second.workout_id] } })
  })

  clause('a retry with the same key and fingerprint is replayed: the first response, no second row', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const key = { request_id: 'req-1', fingerprint: 'fp-a' }
    const first = await repo.insertWorkout(id, workout(id, { request_id: 'req-1' }), key, respond)
    t.equal(first.replayed, false)
    let called = false
    const retry = await repo.insertWorkout(id, workout(id, { request_id: 'req-1' }), key, (all, w) => { called = true; return respond(all, w) })
    t.same(retry, { replayed: true, sameRequest: true, response: first.response })
    t.equal(called, false, 'respond is not called for a replay')
    t.equal((await repo.listWorkouts(id)).length, 1)
  })

  clause('the same key with another body: replayed with sameRequest false, the first response, no row', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const first = await repo.insertWorkout(id, workout(id), { request_id: 'req-1', fingerprint: 'fp-a' }, respond)
    const other = await repo.insertWorkout(id, workout(id, { duration_minutes: 45 }), { request_id: 'req-1', fingerprint: 'fp-b' }, respond)
    t.same(other, { replayed: true, sameRequest: false, response: first.response })
    t.equal((await repo.listWorkouts(id)).length, 1)
  })

  clause('keys are per user, and another key (or none) inserts again', async t => {
    const repo = await open(t)
    const a = await givenAccount(repo)
    const b = await givenAccount(repo)
    const key = { request_id: 'shared-id', fingerprint: 'fp' }
    t.equal((await repo.insertWorkout(a.id, workout(a.id), key, respond)).replayed, false)
    t.equal((await repo.insertWorkout(b.id, workout(b.id), key, respond)).replayed, false, 'another user\'s request id is not a replay')
    t.equal((await repo.insertWorkout(a.id, workout(a.id), { request_id: 'other-id', fingerprint: 'fp' }, respond)).replayed, false)
    t.equal((await repo.insertWorkout(a.id, workout(a.id), undefined, respond)).replayed, false)
    t.equal((await repo.listWorkouts(a.id)).length, 3)
    t.equal((await repo.listWorkouts(b.id)).length, 1)
  })

  clause('two concurrent inserts with one key: one row; the other is a replay of its response', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const key = { request_id: 'req-race', fingerprint: 'fp' }
    const results = await Promise.all([
      repo.insertWorkout(id, workout(id), key, respond),
      repo.insertWorkout(id, workout(id), key, respond)
    ])
    const fresh = results.filter(r => !r.replayed)
    const replays = results.filter(r => r.replayed)
    t.equal(fresh.length, 1, 'exactly one inserted')
    t.same(replays, [{ replayed: true, sameRequest: true, response: fresh[0]?.response }])
    t.equal((await repo.listWorkouts(id)).length, 1)
  })

  clause('concurrent inserts without keys all land', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const written = Array.from({ length: 20 }, () => workout(id))
    await Promise.all(written.map(w => repo.insertWorkout(id, w, undefined, respond)))
    t.same((await repo.listWorkouts(id)).map(w => w.workout_id).sort(), written.map(w => w.workout_id).sort())
  })

  clause('updateWorkout applies the change to that workout only, and returns it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const [one, two] = [workout(id), workout(id)]
    await repo.insertWorkout(id, one, undefined, respond)
    await repo.insertWorkout(id, two, undefined, respond)
    const updated = await repo.updateWorkout(id, one.workout_id, w => {
      w.duration_minutes = 50
      delete w.reps
      w.updated_at = at(10)
      w.audit.push({ at: at(10), action: 'update', changes: { duration_minutes: { from: 30, to: 50 }, reps: { from: 10, to: null } } })
    })
    const expected: WorkoutRecord = { ...one, duration_minutes: 50, updated_at: at(10), audit: [...one.audit, { at: at(10), action: 'update', changes: { duration_minutes: { from: 30, to: 50 }, reps: { from: 10, to: null } } }] }
    delete expected.reps
    t.same(updated, expected)
    t.same(await repo.listWorkouts(id), [expected, two])
  })

  clause('a deleted workout (deleted_at set) is still listed, but updateWorkout no longer finds it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const w = workout(id)
    await repo.insertWorkout(id, w, undefined, respond)
    const deleted = await repo.updateWorkout(id, w.workout_id, x => { x.deleted_at = at(20); x.audit.push({ at: at(20), action: 'delete' }) })
    t.equal(deleted?.deleted_at, at(20))
    let called = false
    t.equal(await repo.updateWorkout(id, w.workout_id, () => { called = true }), null)
    t.equal(called, false, 'the change never saw a deleted workout')
    t.same((await repo.listWorkouts(id)).map(x => x.deleted_at), [at(20)], 'deleted ones stay in the list, with their audit')
  })

  clause('updateWorkout of an unknown workout, or of another user\'s, is null and changes nothing', async t => {
    const repo = await open(t)
    const a = await givenAccount(repo)
    const b = await givenAccount(repo)
    const w = workout(a.id)
    await repo.insertWorkout(a.id, w, undefined, respond)
    t.equal(await repo.updateWorkout(a.id, 'w_missing', x => { x.duration_minutes = 1 }), null)
    t.equal(await repo.updateWorkout(b.id, w.workout_id, x => { x.duration_minutes = 1 }), null, 'only the owner\'s workouts')
    t.same(await repo.listWorkouts(a.id), [w])
  })

  clause('updateWorkout: a change that throws halfway changes nothing, and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const w = workout(id)
    await repo.insertWorkout(id, w, undefined, respond)
    const err = new Refused()
    await t.rejects(repo.updateWorkout(id, w.workout_id, x => { x.duration_minutes = 99; throw err }), err)
    t.same(await repo.listWorkouts(id), [w])
  })
}
