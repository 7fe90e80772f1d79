// The three due-work queues (the outbox, commitment checks, autopilot checkpoints) promise the same
// thing: a claim takes only what is due at `nowMs`, oldest due first, at most `limit`, each entry
// hidden from other claims for `leaseMs` and then claimable again (at least once); an entry per id
// (re-queueing moves it); and two claims at once never take the same entry. One set of clauses,
// run through a small adapter per queue. Time is always the caller's `nowMs`: no real waiting.
import fc from 'fast-check'
import type { Test } from 'tap'
import type { Repository } from '../../../src/store/repository.js'
import { atMs } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export interface DueQueueAdapter {
  /** a fresh id this queue can hold (a nudge id, or a user who exists) */
  subject (repo: Repository): Promise<string>
  put (repo: Repository, id: string, dueMs: number): Promise<void>
  remove (repo: Repository, id: string): Promise<void>
  /** the claimed ids with their due instants, in the order the store returned them */
  claim (repo: Repository, nowMs: number, limit: number, leaseMs: number): Promise<Array<{ id: string, dueMs: number }>>
}

const LEASE = 60_000

export function dueWorkContract (t: Test, open: OpenStore, options: ContractOptions | undefined, name: string, queue: DueQueueAdapter): void {
  open = byValue(open)
  const clause = part(t, options, name)

  /** Queues one entry per due time (in minutes after T0), in the order given; returns minute → id. */
  async function given (repo: Repository, minutes: number[]): Promise<Map<number, string>> {
    const ids = new Map<number, string>()
    for (const m of minutes) {
      const id = await queue.subject(repo)
      await queue.put(repo, id, atMs(m))
      ids.set(m, id)
    }
    return ids
  }
  const idsOf = (ids: Map<number, string>, minutes: number[]) => minutes.map(m => ids.get(m))

  clause('a claim takes only entries due at nowMs, oldest due first, at most limit', async t => {
    const repo = await open(t)
    const ids = await given(repo, [3, 20, 1, 10, 2, 5])
    t.same(await queue.claim(repo, atMs(0), 10, LEASE), [], 'nothing due yet')
    const first = await queue.claim(repo, atMs(5), 2, LEASE)
    t.same(first.map(e => e.id), idsOf(ids, [1, 2]), 'the two oldest due')
    t.same(first.map(e => e.dueMs), [atMs(1), atMs(2)])
    const rest = await queue.claim(repo, atMs(5), 10, LEASE)
    t.same(rest.map(e => e.id), idsOf(ids, [3, 5]), 'due at exactly nowMs counts; 10 and 20 are not due')
  })

  clause('a claimed entry is hidden until its lease runs out, then claimable again', async t => {
    const repo = await open(t)
    const ids = await given(repo, [1, 2])
    const now = atMs(30)
    t.same((await queue.claim(repo, now, 1, LEASE)).map(e => e.id), idsOf(ids, [1]))
    t.same((await queue.claim(repo, now + 1000, 10, LEASE)).map(e => e.id), idsOf(ids, [2]), 'only the unclaimed one')
    t.same(await queue.claim(repo, now + LEASE - 1000, 10, LEASE), [], 'both leased')
    // The first lease ran out (the instance that took it died): taken again — at least once.
    t.same((await queue.claim(repo, now + LEASE + 1, 10, LEASE)).map(e => e.id), idsOf(ids, [1]))
    t.same((await queue.claim(repo, now + LEASE + 1001, 10, LEASE)).map(e => e.id), idsOf(ids, [2]))
  })

  clause('one entry per id: queueing it again moves it', async t => {
    const repo = await open(t)
    const ids = await given(repo, [1, 2])
    const id = ids.get(1)!
    const long = 24 * 3_600_000 // nothing claimed here comes back within this clause
    await queue.put(repo, id, atMs(40))
    t.same((await queue.claim(repo, atMs(30), 10, long)).map(e => e.id), idsOf(ids, [2]), 'moved past nowMs')
    t.same(await queue.claim(repo, atMs(45), 10, long), [{ id, dueMs: atMs(40) }], 'once, at its new time')
    await queue.put(repo, id, atMs(0))
    t.same(await queue.claim(repo, atMs(50) + long + 1, 10, long), [{ id, dueMs: atMs(0) }, { id: ids.get(2)!, dueMs: atMs(2) }], 'moved earlier too: still one entry')
  })

  // The consumers re-queue what they just claimed (a retry soon, the next judgement, the next
  // checkpoint): the new due time must hold, not the rest of the old lease.
  clause('an entry queued again after a claim is claimable at its new time, whatever the old lease', async t => {
    const repo = await open(t)
    const ids = await given(repo, [1])
    const id = ids.get(1)!
    t.same((await queue.claim(repo, atMs(2), 10, LEASE)).map(e => e.id), [id])
    await queue.put(repo, id, atMs(2) + 5000)
    t.same(await queue.claim(repo, atMs(2) + 5000, 10, LEASE), [{ id, dueMs: atMs(2) + 5000 }])
  })

  clause('a removed entry is never claimed; removing what is not queued is fine', async t => {
    const repo = await open(t)
    const ids = await given(repo, [1, 2, 3])
    await queue.remove(repo, ids.get(2)!)
    await queue.remove(repo, ids.get(2)!)
    await queue.remove(repo, await queue.subject(repo))
    t.same((await queue.claim(repo, atMs(10), 10, LEASE)).map(e => e.id), idsOf(ids, [1, 3]))
    // removing a claimed one (the work is done) keeps it gone after its lease
    await queue.remove(repo, ids.get(1)!)
    t.same((await queue.claim(repo, atMs(10) + LEASE + 1, 10, LEASE)).map(e => e.id), idsOf(ids, [3]))
  })

  clause('two concurrent claims never return the same entry, and together take every due one', async t => {
    const repo = await open(t)
    const minutes = Array.from({ length: 12 }, (_, i) => i + 1)
    const ids = await given(repo, [...minutes, 100])
    const [a, b] = await Promise.all([queue.claim(repo, atMs(50), 12, LEASE), queue.claim(repo, atMs(50), 12, LEASE)])
    const taken = [...a, ...b].map(e => e.id)
    t.same(taken.filter((id, i) => taken.indexOf(id) !== i), [], 'no entry in both claims')
    t.same([...taken].sort(), idsOf(ids, minutes).sort(), 'every due entry taken once')
  })

  clause('many concurrent small claims: each due entry is taken exactly once', async t => {
    const repo = await open(t)
    const minutes = Array.from({ length: 20 }, (_, i) => i + 1)
    const ids = await given(repo, minutes)
    const claims = await Promise.all(Array.from({ length: 8 }, () => queue.claim(repo, atMs(50), 3, LEASE)))
    t.ok(claims.every(c => c.length <= 3), 'each at most its limit')
    const taken = claims.flat().map(e => e.id)
    t.same(taken.filter((id, i) => taken.indexOf(id) !== i), [], 'no entry twice')
    // Whatever the first round left is taken by a later one; nothing is lost.
    const later = (await queue.claim(repo, atMs(50), 100, LEASE)).map(e => e.id)
    t.same([...taken, ...later].sort(), idsOf(ids, minutes).sort())
  })
  // The clauses above, all at once: random sequences of put, remove and claim (the clock only moving
  // forward) against a reference queue. Due times are distinct and whole minutes never meet a lease's
  // end (leases are 2.5 min), so the expected answer is never a matter of ties or boundaries.
  clause('random sequences of put, remove and claim agree with a reference queue', async t => {
    const repo = await open(t)
    const MINUTE = 60_000
    const lease = 2.5 * MINUTE
    type Op = { op: 'put', who: number, inMinutes: number } | { op: 'remove', who: number } | { op: 'claim', advance: number, limit: number }
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('put' as const), who: fc.nat(3), inMinutes: fc.integer({ min: -5, max: 15 }) }),
      fc.record({ op: fc.constant('remove' as const), who: fc.nat(3) }),
      fc.record({ op: fc.constant('claim' as const), advance: fc.nat(6), limit: fc.integer({ min: 1, max: 4 }) })
    )
    let base = atMs(0)
    const subjects = [await queue.subject(repo), await queue.subject(repo), await queue.subject(repo), await queue.subject(repo)]
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async ops => {
      // Each run has its own stretch of time (every earlier lease long over) and leaves the queue empty.
      base += 30 * 24 * 60 * MINUTE
      const due = new Map<number, number>()
      const leased = new Map<number, number>()
      let now = base
      try {
        for (const step of ops) {
          if (step.op === 'put') {
            const at = now + step.inMinutes * MINUTE + step.who * 1000
            await queue.put(repo, subjects[step.who], at)
            due.set(step.who, at)
            leased.delete(step.who)
          } else if (step.op === 'remove') {
            await queue.remove(repo, subjects[step.who])
            due.delete(step.who)
            leased.delete(step.who)
          } else {
            now += step.advance * MINUTE
            const expected = [...due].filter(([who, at]) => at <= now && !((leased.get(who) ?? -Infinity) > now))
              .sort((a, b) => a[1] - b[1]).slice(0, step.limit)
            for (const [who] of expected) leased.set(who, now + lease)
            const claimed = await queue.claim(repo, now, step.limit, lease)
            const wanted = expected.map(([who, at]) => ({ id: subjects[who], dueMs: at }))
            if (JSON.stringify(claimed) !== JSON.stringify(wanted)) {
              throw new Error(`claim at +${(now - base) / MINUTE} min, limit ${step.limit}: got ${JSON.stringify(claimed.map(c => subjects.indexOf(c.id)))}, expected ${JSON.stringify(expected.map(([who]) => who))}`)
            }
          }
        }
      } finally {
        for (const id of subjects) await queue.remove(repo, id)
      }
    }), { numRuns: 25 })
    t.pass('25 random sequences agreed')
  })
}
