// AutopilotStore: settings over the defaults, the bounded record of runs, and each person's ONE
// queued checkpoint (a due-work queue keyed by user).
import type { Test } from 'tap'
import { DEFAULT_AUTOPILOT, type AutopilotSettings } from '../../../src/autopilot/autopilot-schemas.js'
import { AUTOPILOT_RUNS_KEPT } from '../../../src/store/user-data.js'
import { at, atMs, autopilotRun, checkpoint, givenAccount, recheck, Refused } from './fixtures.js'
import { dueWorkContract } from './due-work.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function autopilotContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'autopilot')

  clause('settings: null until changed; the first change starts from the defaults', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.equal(await repo.getAutopilotSettings(id), null)
    let seen: AutopilotSettings | undefined
    const wanted: AutopilotSettings = { ...DEFAULT_AUTOPILOT, lead_minutes: 90, channels: ['in_app', 'email'] }
    t.same(await repo.updateAutopilotSettings(id, current => { seen = structuredClone(current); return { ...current, lead_minutes: 90, channels: ['in_app', 'email'] } }), wanted)
    t.same(seen, DEFAULT_AUTOPILOT)
    t.same(await repo.getAutopilotSettings(id), wanted)
    await repo.updateAutopilotSettings(id, current => { seen = structuredClone(current); return { ...current, enabled: false } })
    t.same(seen, wanted, 'a later change starts from what is stored')
    t.same(await repo.getAutopilotSettings(id), { ...wanted, enabled: false })
  })

  clause('updateAutopilotSettings: a change that throws changes nothing and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const err = new Refused()
    await t.rejects(repo.updateAutopilotSettings(id, current => { current.enabled = false; throw err }), err)
    t.equal(await repo.getAutopilotSettings(id), null, 'still the defaults')
    const stored = await repo.updateAutopilotSettings(id, current => ({ ...current, min_risk: 'high' }))
    await t.rejects(repo.updateAutopilotSettings(id, current => { current.min_risk = 'medium'; throw err }), err)
    t.same(await repo.getAutopilotSettings(id), stored)
  })

  clause('runs come back oldest first, as given', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const skipped = autopilotRun({ decision: 'skipped', skipped: 'not_at_risk', risk: null, intervention_id: undefined })
    delete skipped.intervention_id
    const written = [autopilotRun(), skipped, autopilotRun({ checkpoint: 'weekly_digest', checkpoint_id: 'weekly_digest:2026-03-02', session_date: undefined })]
    delete written[2].session_date
    for (const r of written) t.equal(await repo.addAutopilotRun(id, r), true)
    t.same(await repo.listAutopilotRuns(id), written)
  })

  clause(`the newest ${AUTOPILOT_RUNS_KEPT} runs are kept`, async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const oldest = autopilotRun({ why: 'oldest' })
    await repo.addAutopilotRun(id, oldest)
    await Promise.all(Array.from({ length: AUTOPILOT_RUNS_KEPT - 1 }, () => repo.addAutopilotRun(id, autopilotRun())))
    const newest = autopilotRun({ why: 'newest' })
    await repo.addAutopilotRun(id, newest)
    const kept = await repo.listAutopilotRuns(id)
    t.equal(kept.length, AUTOPILOT_RUNS_KEPT)
    t.notOk(kept.some(r => r.run_id === oldest.run_id), 'the oldest went')
    t.same(kept.at(-1), newest)
  })

  // The runner compares the queued checkpoint's id and due_at with the next one as strings
  // (autopilot-runner.ts reschedule): it must come back exactly as queued, or every reschedule
  // would rewrite it.
  clause('the queued checkpoint comes back exactly as scheduled; one per person; null removes it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const other = await givenAccount(repo)
    t.equal(await repo.getQueuedCheckpoint(id), null)
    const first = checkpoint(30)
    await repo.scheduleCheckpoint(id, first)
    t.same(await repo.getQueuedCheckpoint(id), first)
    const next = checkpoint(90, { kind: 'commitment_deadline', milestone_index: 2, target_date: '2026-03-08', days_before: 1, session_date: undefined, window_start: undefined, window_end: undefined })
    for (const key of ['session_date', 'window_start', 'window_end'] as const) delete (next as Record<string, unknown>)[key]
    await repo.scheduleCheckpoint(id, next)
    t.same(await repo.getQueuedCheckpoint(id), next, 'replaced, not added')
    const theirs = recheck(10)
    await repo.scheduleCheckpoint(other.id, theirs)
    t.same(await repo.getQueuedCheckpoint(other.id), theirs)
    t.same(await repo.claimDueCheckpoints(atMs(100), 10, 60_000), [{ user_id: other.id, checkpoint: theirs }, { user_id: id, checkpoint: next }], 'one entry per person, oldest due first')
    await repo.scheduleCheckpoint(id, null)
    t.equal(await repo.getQueuedCheckpoint(id), null)
    t.same(await repo.getQueuedCheckpoint(other.id), theirs, 'the other person\'s stays')
    await repo.scheduleCheckpoint(id, null) // nothing queued: fine
    t.same(await repo.claimDueCheckpoints(atMs(100) + 60_001, 10, 60_000), [{ user_id: other.id, checkpoint: theirs }])
  })

  clause('a claimed checkpoint stays queued (getQueuedCheckpoint) until the runner replaces or removes it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const cp = checkpoint(1)
    await repo.scheduleCheckpoint(id, cp)
    t.same(await repo.claimDueCheckpoints(atMs(5), 10, 60_000), [{ user_id: id, checkpoint: cp }])
    t.same(await repo.getQueuedCheckpoint(id), cp)
    const retry = { ...cp, due_at: at(5 + 2) } // autopilot-runner.ts: a failed run is retried soon
    await repo.scheduleCheckpoint(id, retry)
    t.same(await repo.claimDueCheckpoints(atMs(7), 10, 60_000), [{ user_id: id, checkpoint: retry }])
  })

  dueWorkContract(t, open, options, 'autopilot checkpoints', {
    subject: async repo => (await givenAccount(repo)).id,
    put: (repo, userId, dueMs) => repo.scheduleCheckpoint(userId, { ...checkpoint(0), due_at: new Date(dueMs).toISOString() }),
    remove: (repo, userId) => repo.scheduleCheckpoint(userId, null),
    claim: async (repo, nowMs, limit, leaseMs) => (await repo.claimDueCheckpoints(nowMs, limit, leaseMs)).map(c => ({ id: c.user_id, dueMs: Date.parse(c.checkpoint.due_at) }))
  })
}
