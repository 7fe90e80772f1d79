// exportUser hands back everything written about a person in the UserData shape (what
// GET /api/me/export serves after removing secrets); deleteAccount removes all of it and frees the
// username. Both need every kind of record to exist, so one helper writes them all.
import type { Test } from 'tap'
import type { Account } from '../../../src/accounts/account-schemas.js'
import type { Repository } from '../../../src/store/repository.js'
import { emptyAgentUsage, type UserData } from '../../../src/store/user-data.js'
import {
  account, atMs, autopilotRun, buddy, channels, checkpoint, commitmentStep, conversation, givenAccount, intervention,
  nudge, outboxEntry, overlapping, pause, plan, queuedNudge, subscribedCalendar, tokenDigest, trace, workout
} from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

/** Writes one of every kind of record for a new account; returns what the export must hold. */
export async function everything (repo: Repository): Promise<{ account: Account, expected: Omit<UserData, 'schema_version' | 'request_keys'>, requestKey: { request_id: string, fingerprint: string, workout_id: string, response: unknown }, digest: string }> {
  const acc = await givenAccount(repo)
  const id = acc.id
  const workouts = [workout(id, { request_id: 'req-1' }), workout(id)]
  const first = await repo.insertWorkout(id, workouts[0], { request_id: 'req-1', fingerprint: 'fp-1' }, (all, w) => ({ logged: w.workout_id, count: all.length }))
  await repo.insertWorkout(id, workouts[1], undefined, () => null)
  const talk = conversation(1)
  const traces = [trace(), trace()]
  await repo.startAgentRun(id, '2026-03-04', 10)
  await repo.finishAgentRun(id, { conversation: talk, trace: traces[0], tracesKept: 10 })
  await repo.startAgentRun(id, '2026-03-04', 10)
  await repo.finishAgentRun(id, { trace: traces[1], tracesKept: 10 })
  const plans = [plan(), plan({ start_date: '2026-04-01', sessions_per_week: 5, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] })]
  for (const p of plans) await repo.addPlan(id, p)
  const pauses = [pause()]
  await repo.addPause(id, pauses[0], overlapping(pauses[0]))
  const preferences = await repo.updatePreferences(id, p => ({ interventions: { ...p.interventions, social: true } }))
  const stored = channels()
  await repo.updateChannels(id, c => { Object.assign(c, structuredClone(stored)) })
  const friend = buddy()
  await repo.updateBuddy(id, () => ({ buddy: friend, result: null }))
  const nudges = [nudge(), queuedNudge()]
  for (const n of nudges) await repo.addNudge(id, n, () => ({ add: true }))
  const interventions = [intervention({ nudge_ids: [nudges[1].nudge_id] })]
  await repo.addIntervention(id, interventions[0])
  const step = commitmentStep()
  await repo.addCommitment(id, step, () => undefined)
  const settings = await repo.updateAutopilotSettings(id, s => ({ ...s, weekly_digest: false }))
  const runs = [autopilotRun()]
  await repo.addAutopilotRun(id, runs[0])
  const digest = tokenDigest()
  await repo.setCalendarToken(id, digest)
  await repo.setCalendar(id, subscribedCalendar())
  await repo.enqueueDelivery(outboxEntry(id, 1, { nudge_id: nudges[1].nudge_id }))
  await repo.scheduleCommitmentCheck(id, atMs(2))
  await repo.scheduleCheckpoint(id, checkpoint(3))
  return {
    account: acc,
    digest,
    requestKey: { request_id: 'req-1', fingerprint: 'fp-1', workout_id: workouts[0].workout_id, response: first.response },
    expected: {
      account: acc,
      workouts,
      conversation: talk,
      agent_traces: traces,
      agent_usage: { day: '2026-03-04', runs_today: 2, total_runs: 2, prompt_tokens: 200, completion_tokens: 40, total_tokens: 240 },
      plans,
      pauses,
      preferences,
      channels: stored,
      buddy: friend,
      nudges,
      interventions,
      commitments: [step.commitment],
      commitment_audit: { [step.commitment.commitment_id]: step.audit },
      autopilot: settings,
      autopilot_runs: runs,
      calendar_token_digest: digest
    }
  }
}

export function exportAndDeleteContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'export and delete')

  clause('a new account exports the empty UserData shape', async t => {
    const repo = await open(t)
    const acc = await givenAccount(repo)
    const exported = await repo.exportUser(acc.id)
    t.type(exported?.schema_version, 'number')
    const { schema_version: _version, ...rest } = exported!
    t.same(rest, {
      account: acc,
      workouts: [],
      request_keys: {},
      conversation: [],
      agent_traces: [],
      agent_usage: emptyAgentUsage(),
      plans: [],
      pauses: [],
      preferences: null,
      channels: null,
      buddy: null,
      nudges: [],
      interventions: [],
      commitments: [],
      commitment_audit: {},
      autopilot: null,
      autopilot_runs: []
    }, 'exactly these fields (no calendar_token_digest before a token is made)')
  })

  clause('exportUser returns everything written, in the UserData shape', async t => {
    const repo = await open(t)
    const { account: acc, expected, requestKey } = await everything(repo)
    const exported = await repo.exportUser(acc.id)
    t.ok(exported)
    const { schema_version: version, request_keys: keys, ...rest } = exported!
    t.type(version, 'number')
    t.same(rest, expected)
    t.same(Object.keys(keys), ['req-1'])
    t.match(keys['req-1'], { ...requestKey, created_at: String })
    t.same(keys['req-1'].response, requestKey.response, 'the first response, for a replay')
  })

  clause('deleteAccount removes every record of the user and frees the username', async t => {
    const repo = await open(t)
    const bystander = await everything(repo)
    const { account: acc, digest } = await everything(repo)
    const id = acc.id
    const commitmentId = (await repo.listCommitments(id))[0].commitment_id
    t.equal(await repo.deleteAccount(id), true)

    t.equal(await repo.getAccount(id), null)
    t.equal(await repo.findAccountByUsername(acc.username), null)
    t.equal(await repo.exportUser(id), null)
    t.same(await repo.listWorkouts(id), [])
    t.same(await repo.getConversation(id), [])
    t.same(await repo.listTraces(id), [])
    t.same(await repo.listPlans(id), [])
    t.same(await repo.listPauses(id), [])
    t.equal(await repo.getPreferences(id), null)
    t.equal(await repo.getChannels(id), null)
    t.equal(await repo.getBuddy(id), null)
    t.same(await repo.listNudges(id), [])
    t.same(await repo.listInterventions(id), [])
    t.same(await repo.listCommitments(id), [])
    t.equal(await repo.listCommitmentAudit(id, commitmentId), null, 'the audit trail goes with the account')
    t.equal(await repo.getAutopilotSettings(id), null)
    t.same(await repo.listAutopilotRuns(id), [])
    t.equal(await repo.getCalendar(id), null, 'the calendar')
    t.equal(await repo.findUserByCalendarToken(digest), null, 'the feed token')
    t.same((await repo.listCalendarSubscriptions()).map(s => s.userId), [bystander.account.id], 'no subscription left to refresh')
    t.equal(await repo.deleteAccount(id), false, 'a second delete finds nothing')

    // The username is free again, and its new holder starts with nothing.
    const successor = account({ username: acc.username })
    t.equal(await repo.createAccount(successor), true)
    t.same(await repo.findAccountByUsername(acc.username), successor)
    t.same(await repo.listWorkouts(successor.id), [])

    // Nobody else lost anything.
    const { schema_version: _v, request_keys: _k, ...rest } = (await repo.exportUser(bystander.account.id))!
    t.same(rest, bystander.expected)
    t.equal(await repo.findUserByCalendarToken(bystander.digest), bystander.account.id)
  })

  // deleteAccount takes the person's queued work with it (the consumers would drop an orphan
  // anyway, but nothing of a deleted person should linger in a shared queue).
  clause('queued work of a deleted user goes with the account', async t => {
    const repo = await open(t)
    const { account: acc } = await everything(repo)
    await repo.deleteAccount(acc.id)
    const now = atMs(10)
    t.same(await repo.claimDueDeliveries(now, 10, 60_000), [], 'no delivery of theirs is left')
    t.same(await repo.claimDueCommitmentChecks(now, 10, 60_000), [], 'no commitment check')
    t.same(await repo.claimDueCheckpoints(now, 10, 60_000), [], 'no checkpoint')
    t.equal(await repo.getQueuedCheckpoint(acc.id), null)
    t.equal(await repo.nextDeliveryDue(), null)
  })

  clause('an account deleted and a new one with its username: concurrent writes to the old id do not reach the new', async t => {
    const repo = await open(t)
    const old = await givenAccount(repo)
    await repo.insertWorkout(old.id, workout(old.id), undefined, () => null)
    await Promise.all([
      repo.deleteAccount(old.id),
      repo.addPlan(old.id, plan()).catch(() => false),
      repo.addNudge(old.id, nudge(), () => ({ add: true })).catch(() => null)
    ])
    const successor = await givenAccount(repo, { username: old.username })
    t.same(await repo.listPlans(successor.id), [])
    t.same(await repo.listNudges(successor.id), [])
    t.equal(await repo.getAccount(old.id), null)
    t.same(await repo.listPlans(old.id), [], 'a write racing the delete did not resurrect the old account')
    t.equal(await repo.exportUser(old.id), null)
  })
}
