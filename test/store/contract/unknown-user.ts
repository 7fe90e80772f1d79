// Every per-user method asked about a user who does not exist (never created, or deleted while a
// request was in flight): the documented null / false / empty answer — and nothing is created for
// them, so a late write cannot resurrect a deleted account's data.
import type { Test } from 'tap'
import type { Repository } from '../../../src/store/repository.js'
import { auditEntry, autopilotRun, calendar, commitmentStep, givenAccount, intervention, nudge, pause, plan, subscribedCalendar, tokenDigest, trace, userId, workout } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

/** Nothing at all is held about `id`. */
async function nothingHeld (t: Test, repo: Repository, id: string): Promise<void> {
  t.equal(await repo.getAccount(id), null, 'no account')
  t.equal(await repo.exportUser(id), null, 'no data to export')
  t.same(await repo.listWorkouts(id), [], 'no workouts')
  t.same(await repo.getConversation(id), [], 'no conversation')
  t.same(await repo.listTraces(id), [], 'no traces')
  t.same(await repo.listPlans(id), [], 'no plans')
  t.same(await repo.listPauses(id), [], 'no pauses')
  t.equal(await repo.getPreferences(id), null, 'no preferences')
  t.equal(await repo.getCalendar(id), null, 'no calendar')
  t.notOk((await repo.listCalendarSubscriptions()).some(s => s.userId === id), 'no calendar subscription')
  t.equal(await repo.getChannels(id), null, 'no channels')
  t.equal(await repo.getBuddy(id), null, 'no buddy')
  t.same(await repo.listNudges(id), [], 'no nudges')
  t.same(await repo.listInterventions(id), [], 'no interventions')
  t.same(await repo.listCommitments(id), [], 'no commitments')
  t.equal(await repo.getAutopilotSettings(id), null, 'no autopilot settings')
  t.same(await repo.listAutopilotRuns(id), [], 'no autopilot runs')
}

export function unknownUserContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'unknown user')

  clause('reads answer null or empty', async t => {
    const repo = await open(t)
    await givenAccount(repo) // someone exists: the answers are not just an empty store's
    const nobody = userId()
    await nothingHeld(t, repo, nobody)
    t.equal(await repo.listCommitmentAudit(nobody, 'c_any'), null)
    t.equal(await repo.getQueuedCheckpoint(nobody), null)
  })

  clause('writes answer as documented (null / false / no-op) and create nothing', async t => {
    const repo = await open(t)
    await givenAccount(repo)
    const nobody = userId()
    t.equal(await repo.updateAccount(nobody, a => { a.resolution = 'x' }), null, 'updateAccount: null')
    t.equal(await repo.deleteAccount(nobody), false, 'deleteAccount: false')
    t.equal(await repo.updateWorkout(nobody, 'w_any', w => { w.duration_minutes = 1 }), null, 'updateWorkout: null')
    t.equal(await repo.startAgentRun(nobody, '2026-03-04', 5), null, 'startAgentRun: null')
    await repo.finishAgentRun(nobody, { conversation: [{ role: 'user', content: 'hi' }], trace: trace(), tracesKept: 10 })
    await repo.clearConversation(nobody)
    t.equal(await repo.addPlan(nobody, plan()), false, 'addPlan: false')
    t.equal(await repo.addPause(nobody, pause(), () => undefined), null, 'addPause: null')
    t.equal(await repo.deletePause(nobody, 'p_any'), false, 'deletePause: false')
    t.equal(await repo.updatePreferences(nobody, p => p), null, 'updatePreferences: null')
    t.equal(await repo.deleteCalendar(nobody), false, 'deleteCalendar: false')
    t.equal(await repo.setCalendarToken(nobody, tokenDigest()), false, 'setCalendarToken: false')
    t.equal(await repo.updateChannels(nobody, () => 'r'), null, 'updateChannels: null')
    t.equal(await repo.updateBuddy(nobody, () => ({ buddy: null, result: 'r' })), null, 'updateBuddy: null')
    t.equal(await repo.addNudge(nobody, nudge(), () => ({ add: true })), null, 'addNudge: null')
    t.equal(await repo.updateNudge(nobody, 'n_any', () => {}), null, 'updateNudge: null')
    t.equal(await repo.markAllNudgesRead(nobody, '2026-03-04T12:00:00.000Z'), 0, 'markAllNudgesRead: 0')
    t.equal(await repo.addIntervention(nobody, intervention()), false, 'addIntervention: false')
    t.equal(await repo.updateIntervention(nobody, 'i_any', () => {}), null, 'updateIntervention: null')
    t.equal(await repo.addCommitment(nobody, commitmentStep(), () => undefined), null, 'addCommitment: null')
    t.equal(await repo.updateCommitment(nobody, 'c_any', c => ({ commitment: c, audit: [auditEntry()] })), null, 'updateCommitment: null')
    t.equal(await repo.updateAutopilotSettings(nobody, s => s), null, 'updateAutopilotSettings: null')
    t.equal(await repo.addAutopilotRun(nobody, autopilotRun()), false, 'addAutopilotRun: false')
    await nothingHeld(t, repo, nobody)
  })

  // The JSDoc does not say; logWorkout() reads the account first, so this is the race with a
  // deletion. What matters: it fails loudly (the caller answers 404) and stores nothing.
  clause('insertWorkout for nobody fails and stores nothing', async t => {
    const repo = await open(t)
    const nobody = userId()
    await t.rejects(repo.insertWorkout(nobody, workout(nobody), { request_id: 'r', fingerprint: 'f' }, () => ({})))
    await t.rejects(repo.insertWorkout(nobody, workout(nobody), undefined, () => ({})))
    await nothingHeld(t, repo, nobody)
  })

  // refreshSubscription() reads the calendar, fetches, then writes: an account deleted meanwhile
  // must not get its calendar back (it would be refreshed, for nobody, forever).
  clause('setCalendar for nobody stores nothing (whether it resolves or rejects)', async t => {
    const repo = await open(t)
    const nobody = userId()
    await repo.setCalendar(nobody, subscribedCalendar()).catch(() => {})
    await repo.setCalendar(nobody, calendar()).catch(() => {})
    t.equal(await repo.getCalendar(nobody), null)
    t.same(await repo.listCalendarSubscriptions(), [])
  })

  clause('a calendar digest nobody holds finds nobody', async t => {
    const repo = await open(t)
    t.equal(await repo.findUserByCalendarToken(tokenDigest()), null)
  })

  clause('one user\'s records are invisible to another', async t => {
    const repo = await open(t)
    const a = await givenAccount(repo)
    const b = await givenAccount(repo)
    await repo.insertWorkout(a.id, workout(a.id), undefined, () => null)
    await repo.finishAgentRun(a.id, { conversation: [{ role: 'user', content: 'hi' }], trace: trace(), tracesKept: 10 })
    await repo.addPlan(a.id, plan())
    await repo.addPause(a.id, pause(), () => undefined)
    await repo.updatePreferences(a.id, p => p)
    await repo.setCalendar(a.id, subscribedCalendar())
    await repo.updateChannels(a.id, c => { c.daily_cap = 1 })
    await repo.addNudge(a.id, nudge(), () => ({ add: true }))
    await repo.addIntervention(a.id, intervention())
    await repo.addCommitment(a.id, commitmentStep(), () => undefined)
    await repo.updateAutopilotSettings(a.id, s => s)
    await repo.addAutopilotRun(a.id, autopilotRun())
    // b sees none of it
    for (const [what, value] of Object.entries({
      workouts: await repo.listWorkouts(b.id),
      conversation: await repo.getConversation(b.id),
      traces: await repo.listTraces(b.id),
      plans: await repo.listPlans(b.id),
      pauses: await repo.listPauses(b.id),
      nudges: await repo.listNudges(b.id),
      interventions: await repo.listInterventions(b.id),
      commitments: await repo.listCommitments(b.id),
      runs: await repo.listAutopilotRuns(b.id)
    })) t.same(value, [], what)
    t.equal(await repo.getPreferences(b.id), null)
    t.equal(await repo.getCalendar(b.id), null)
    t.equal(await repo.getChannels(b.id), null)
    t.equal(await repo.getAutopilotSettings(b.id), null)
  })
}
