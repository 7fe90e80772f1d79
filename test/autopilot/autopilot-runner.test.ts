// The autopilot over simulated weeks with a fixed clock: the runner is ticked every 15 minutes of
// simulated time against a real store, and what it sent (the inbox) and recorded (its runs) is read
// back — no test waits for real time.
import t, { type Test } from 'tap'
import { openTestStore } from '../helpers/test-store.js'
import type { Repository } from '../../src/store/repository.js'
import { accountSettings, registerAccount } from '../../src/accounts/accounts.js'
import { setPlan } from '../../src/plans/plans.js'
import { logWorkout } from '../../src/workouts/workouts.js'
import { importCalendar } from '../../src/calendar/calendars.js'
import { createCommitment } from '../../src/commitments/commitments.js'
import { userPatterns } from '../../src/drift/user-patterns.js'
import { AutopilotRunner } from '../../src/autopilot/autopilot-runner.js'
import type { Outreach } from '../../src/nudges/outreach.js'

const WEEK_START = Date.parse('2026-03-01T23:00:00Z') // Monday 2 March 00:00 in Berlin
const STEP = 15 * 60_000

async function world (t: Test) {
  const repo = await openTestStore(t)
  const outreach: Outreach = {
    repo,
    email: null,
    sms: null,
    webhook: { send: async () => ({ outcome: 'delivered', detail: 'unused' }) },
    fetcher: { validate: async (raw: string) => new URL(raw) },
    links: { baseUrl: 'http://127.0.0.1:3001', secret: 'a-secret-of-at-least-32-characters!!' },
    outcomeWindowHours: 24,
    kick: () => {}
  }
  const errors: unknown[] = []
  const runner = new AutopilotRunner({ repo, outreach, outcomeWindowHours: 24, log: { error: (obj) => { errors.push(obj) } } })
  t.teardown(() => { if (errors.length > 0) throw new Error(`a checkpoint failed: ${errors.map(e => String((e as { err?: Error }).err?.stack ?? JSON.stringify(e))).join('\n')}`) })
  return { repo, runner }
}

/** Someone on mon/wed/fri 18:00–19:00 in Berlin since February; `trained` are the dates they trained. */
async function person (repo: Repository, name: string, trained: string[]) {
  const created = new Date('2026-02-01T10:00:00Z')
  const account = await registerAccount(repo, { username: name, password: 'correct horse battery', timezone: 'Europe/Berlin' }, accountSettings(1024), created)
  await setPlan(repo, account.id, { sessions_per_week: 3, weekdays: ['mon', 'wed', 'fri'], window_start: '18:00', window_end: '19:00', start_date: '2026-02-02' }, created)
  for (const date of trained) await logWorkout(repo, account.id, { exercise_type: 'run', duration_minutes: 40, performed_at: `${date}T17:30:00Z` }, new Date(`${date}T18:00:00Z`))
  return account.id
}

const FEBRUARY = ['2026-02-02', '2026-02-04', '2026-02-06', '2026-02-09', '2026-02-11', '2026-02-13', '2026-02-16', '2026-02-18', '2026-02-20', '2026-02-23', '2026-02-27']

/** Ticks from `from` to `to`; `during(at)` runs before each tick (the person training, say). */
async function simulate (runner: AutopilotRunner, from: number, to: number, during: (at: number) => Promise<void> = async () => {}) {
  for (let at = from; at < to; at += STEP) {
    await during(at)
    await runner.tick(at)
  }
}

t.test('a week: the drifting person is nudged before Wednesday, naming a free slot; the consistent one never', async t => {
  const { repo, runner } = await world(t)
  // Missed Wednesday 25 February, then skips Monday 2 March: medium risk by Wednesday.
  const drifting = await person(repo, 'drifting', FEBRUARY)
  const steady = await person(repo, 'steady', [...FEBRUARY, '2026-02-25'])
  await repo.updateAutopilotSettings(steady, s => ({ ...s, weekly_digest: false }))
  for (const id of [drifting, steady]) await runner.reschedule(id, WEEK_START)

  const steadyDays = new Set(['2026-03-02', '2026-03-04', '2026-03-06'])
  await simulate(runner, WEEK_START, WEEK_START + 7 * 86_400_000, async at => {
    const day = new Date(at).toISOString().slice(0, 10)
    // The steady one trains at 18:30 on each planned day.
    if (steadyDays.has(day) && new Date(at).toISOString().slice(11, 16) === '17:30') {
      await logWorkout(repo, steady, { exercise_type: 'run', duration_minutes: 40 }, new Date(at))
    }
  })

  const wednesday = new Date('2026-03-04T16:00:00Z')
  const risk = await userPatterns(repo, drifting, wednesday)
  t.equal(risk.risk_level, 'medium', 'the drifting person is at medium risk on Wednesday')
  const runs = await repo.listAutopilotRuns(drifting)
  const wed = runs.find(r => r.checkpoint_id === 'before_session:2026-03-04')!
  t.match(wed, { decision: 'acted', scheduled_for: '2026-03-04T16:00:00.000Z', risk: { risk_level: 'medium' }, intervention_id: String })
  t.match(wed.why, /risk medium/)
  const nudges = await repo.listNudges(drifting)
  const wedNudge = nudges.find(n => n.dedupe_key === 'autopilot:before_session:2026-03-04:in_app')!
  t.ok(wedNudge, 'the nudge went out')
  t.equal(wedNudge.created_at, '2026-03-04T16:00:00.000Z', 'lead_minutes (60) before the 18:00 session')
  t.match(wedNudge.message, /Your 18:00 session is in an hour.*Free today 18:00–19:00 — confirm to book it\./)
  t.equal(wedNudge.source, 'autopilot')
  const perSession = new Map<string, number>()
  for (const n of nudges.filter(n => /before_session|end_of_day/.test(n.dedupe_key ?? ''))) {
    const date = /(\d{4}-\d{2}-\d{2})/.exec(n.dedupe_key!)![1]
    perSession.set(date, (perSession.get(date) ?? 0) + 1)
  }
  t.ok([...perSession.values()].every(count => count === 1), `at most one autopilot nudge per session (${JSON.stringify([...perSession])})`)
  const interventions = await repo.listInterventions(drifting)
  t.ok(interventions.every(i => i.trigger.source === 'autopilot' && i.risk !== null), 'each is an intervention with the risk snapshot')

  t.same(await repo.listNudges(steady), [], 'the consistent person gets nothing all week')
  const steadyRuns = await repo.listAutopilotRuns(steady)
  t.ok(steadyRuns.length >= 6, 'yet every checkpoint ran')
  t.ok(steadyRuns.every(r => r.decision === 'skipped' && r.why.length > 0), 'each skip says why')
  t.match(steadyRuns.find(r => r.checkpoint_id === 'before_session:2026-03-04')!.why, /nothing to do/)
})

t.test('a clash with the calendar: a proposed block, and the nudge names the way out', async t => {
  const { repo, runner } = await world(t)
  const id = await person(repo, 'clash', [...FEBRUARY, '2026-02-25', '2026-03-02'])
  await importCalendar(repo, id, { kind: 'json', events: [{ summary: 'Team standup', start: '2026-03-04T16:30:00Z', end: '2026-03-04T17:30:00Z' }] }, new Date('2026-03-02T12:00:00Z'))
  await runner.reschedule(id, Date.parse('2026-03-04T00:00:00Z'))
  await simulate(runner, Date.parse('2026-03-04T00:00:00Z'), Date.parse('2026-03-04T16:30:00Z'))
  const run = (await repo.listAutopilotRuns(id)).find(r => r.checkpoint_id === 'before_session:2026-03-04')!
  t.match(run, { decision: 'acted' })
  t.match(run.why, /clashes with 'Team standup'/)
  const block = (await repo.listInterventions(id)).find(i => i.intervention_id === run.intervention_id)!
  t.match(block, { type: 'calendar', status: 'proposed', trigger: { source: 'autopilot' } })
  t.equal(block.details.start, '2026-03-04T17:30:00.000Z', 'the free time after the standup')
  const [nudge] = await repo.listNudges(id)
  t.match(nudge, { intervention_id: block.intervention_id, source: 'autopilot' })
  t.match(nudge.message, /^Your 18:00 session clashes with 'Team standup'\. .*Free today 18:30–19:00 — confirm to book it\./)
})

t.test('a repeated checkpoint sends nothing twice; a late one is recorded, not sent; off means off', async t => {
  const { repo, runner } = await world(t)
  const id = await person(repo, 'late', FEBRUARY)
  // The service was down all of Wednesday until 20:00: the 17:00 check-in is late.
  await runner.reschedule(id, Date.parse('2026-03-04T16:00:00Z'))
  await runner.tick(Date.parse('2026-03-04T19:00:00Z'))
  const runs = await repo.listAutopilotRuns(id)
  t.match(runs[0], { checkpoint_id: 'before_session:2026-03-04', decision: 'skipped', skipped: 'late', why: /^late: / })
  t.same(await repo.listNudges(id), [], 'no stale nudge')

  // The same checkpoint twice (a retry after a crash): one nudge.
  const again = await person(repo, 'twice', FEBRUARY)
  const checkpoint = { checkpoint_id: 'before_session:2026-03-04', kind: 'before_session' as const, due_at: '2026-03-04T16:00:00.000Z', useful_until: '2026-03-04T17:00:00.000Z', session_date: '2026-03-04', window_start: '2026-03-04T17:00:00.000Z', window_end: '2026-03-04T18:00:00.000Z' }
  for (let i = 0; i < 2; i++) {
    await repo.scheduleCheckpoint(again, checkpoint)
    await runner.tick(Date.parse('2026-03-04T16:00:00Z'))
  }
  t.equal((await repo.listNudges(again)).length, 1, 'the dedupe key kept the retry from sending twice')
  t.same((await repo.listAutopilotRuns(again)).map(r => r.decision), ['acted', 'skipped'])

  const off = await person(repo, 'off', FEBRUARY)
  await repo.updateAutopilotSettings(off, s => ({ ...s, enabled: false }))
  await runner.reschedule(off, WEEK_START)
  await simulate(runner, WEEK_START, WEEK_START + 3 * 86_400_000)
  t.same(await repo.listAutopilotRuns(off), [], 'turned off: nothing runs')
})

t.test('the weekly digest on Sunday 18:00 carries the numbers of the drift report', async t => {
  const { repo, runner } = await world(t)
  const id = await person(repo, 'digest', [...FEBRUARY, '2026-02-25', '2026-03-02', '2026-03-04'])
  await runner.reschedule(id, Date.parse('2026-03-08T12:00:00Z'))
  await simulate(runner, Date.parse('2026-03-08T12:00:00Z'), Date.parse('2026-03-08T18:00:00Z'))
  const at = new Date('2026-03-08T17:00:00Z')
  const report = await userPatterns(repo, id, at)
  const digest = (await repo.listNudges(id)).find(n => n.dedupe_key?.startsWith('autopilot:weekly_digest'))!
  t.equal(digest.created_at, '2026-03-08T17:00:00.000Z', 'Sunday 18:00 Berlin')
  t.match(digest.message, new RegExp(`^This week: ${3 - report.safety_buffer.needed} of 3 sessions done\\.\\nHabit strength ${report.habit_strength}`))
  t.match(digest.message, /Next week: Monday 18:00, Wednesday 18:00, Friday 18:00/)
})

t.test('nothing planned ahead: a recheck is queued, and looking again moves it on', async t => {
  const { repo, runner } = await world(t)
  const created = new Date('2026-02-01T10:00:00Z')
  const account = await registerAccount(repo, { username: 'later', password: 'correct horse battery', timezone: 'UTC' }, accountSettings(1024), created)
  // The plan starts in April: nothing in the next eight days.
  await setPlan(repo, account.id, { start_date: '2026-04-01' }, created)
  await repo.updateAutopilotSettings(account.id, s => ({ ...s, weekly_digest: false }))
  const from = Date.parse('2026-03-01T00:00:00Z')
  await runner.reschedule(account.id, from)
  const first = await repo.getQueuedCheckpoint(account.id)
  t.match(first, { kind: 'recheck', due_at: '2026-03-09T00:00:00.000Z' })
  await runner.tick(Date.parse('2026-03-09T00:00:00Z'))
  t.match(await repo.getQueuedCheckpoint(account.id), { kind: 'recheck', due_at: '2026-03-17T00:00:00.001Z' }, 'moved on, not claimed again and again')
  t.same(await repo.listAutopilotRuns(account.id), [], 'a recheck is not a run')
})

t.test('guard rails hold for the autopilot: quiet hours defer, the cap refuses; three failures switch the type', async t => {
  const { repo, runner } = await world(t)
  const checkIn = (id: string) => repo.scheduleCheckpoint(id, { checkpoint_id: 'before_session:2026-03-04', kind: 'before_session', due_at: '2026-03-04T16:00:00.000Z', useful_until: '2026-03-04T17:00:00.000Z', session_date: '2026-03-04', window_start: '2026-03-04T17:00:00.000Z', window_end: '2026-03-04T18:00:00.000Z' })
  const at = Date.parse('2026-03-04T16:00:00Z')

  // Quiet 16:30–18:30 Berlin (15:30–17:30Z): the webhook nudge waits; in-app arrives now.
  const quiet = await person(repo, 'quiet', FEBRUARY)
  await repo.updateChannels(quiet, c => { c.webhook = { url: 'https://hooks.example.com/n', secret: 'whsec_x' }; c.quiet_hours = { start: '16:30', end: '18:30' } })
  await repo.updateAutopilotSettings(quiet, s => ({ ...s, channels: ['in_app', 'webhook'] }))
  await checkIn(quiet)
  await runner.tick(at)
  const sent = await repo.listNudges(quiet)
  t.same(sent.map(n => [n.channel, n.status, n.scheduled_for]).sort(), [['in_app', 'delivered', null], ['webhook', 'scheduled', '2026-03-04T17:30:00.000Z']])

  // A daily cap of 0 and only the webhook: refused, recorded, nothing sent.
  const capped = await person(repo, 'capped', FEBRUARY)
  await repo.updateChannels(capped, c => { c.webhook = { url: 'https://hooks.example.com/n', secret: 'whsec_x' }; c.daily_cap = 0 })
  await repo.updateAutopilotSettings(capped, s => ({ ...s, channels: ['webhook'] }))
  await checkIn(capped)
  await runner.tick(at)
  t.same(await repo.listNudges(capped), [])
  t.match((await repo.listAutopilotRuns(capped))[0], { decision: 'skipped', skipped: 'refused', why: /daily_cap/ })

  // Three autopilot calendar blocks that all failed (no workout followed): the next is a message.
  const failing = await person(repo, 'failing', FEBRUARY)
  await repo.updatePreferences(failing, p => ({ interventions: { ...p.interventions, calendar: true, message: true } }))
  for (const day of ['2026-02-24', '2026-02-26', '2026-02-28']) {
    await repo.addIntervention(failing, {
      intervention_id: `old-${day}`, type: 'calendar', status: 'deployed', message: 'block', details: { start: `${day}T17:00:00.000Z`, end: `${day}T17:20:00.000Z` },
      trigger: { source: 'autopilot' }, risk: null, nudge_ids: [], created_at: `${day}T08:00:00.000Z`, deployed_at: `${day}T08:00:00.000Z`, decided_at: null, failure: null, feedback: null
    })
  }
  const before = await userPatterns(repo, failing, new Date(at))
  await checkIn(failing)
  await runner.tick(at)
  const run = (await repo.listAutopilotRuns(failing))[0]
  t.equal(run.decision, 'acted')
  const made = (await repo.listInterventions(failing)).find(i => i.intervention_id === run.intervention_id)!
  if (before.recommended_intervention.type === 'calendar') {
    t.equal(made.type, 'message', 'switched away from the type that failed three times')
    t.match(run.why, /calendar/, 'and the run says so')
  } else {
    t.not(made.type, 'calendar', `the engine itself moved on (${before.recommended_intervention.type}); never a fourth failing block`)
  }
})

t.test('what works for the person decides: their stake, their buddy (proposed, they are asked), or a message when neither is there', async t => {
  const { repo, runner } = await world(t)
  const wednesday = '2026-03-04T00:00:00Z'
  const atRisk = async (name: string, allowed: { calendar: boolean, message: boolean, social: boolean, financial: boolean }) => {
    // Missed Wednesday 25 February and Monday 2 March: medium risk by Wednesday's session.
    const id = await person(repo, name, FEBRUARY)
    await repo.updatePreferences(id, () => ({ interventions: allowed }))
    return id
  }
  const run = async (id: string) => {
    await runner.reschedule(id, Date.parse(wednesday))
    await simulate(runner, Date.parse(wednesday), Date.parse('2026-03-04T16:30:00Z'))
    return (await repo.listAutopilotRuns(id)).find(r => r.checkpoint_id === 'before_session:2026-03-04')!
  }

  // Only stakes allowed, and a commitment running: the reminder names the stake and the way out.
  const staker = await atRisk('staker', { calendar: false, message: false, social: false, financial: true })
  await createCommitment(repo, staker, { stake_amount: 5000, currency: 'EUR', weeks: 4, milestones: 2, recipient_on_failure: 'charity', bonus_percentage: 10 }, new Date('2026-03-02T08:00:00Z'))
  const stakeRun = await run(staker)
  t.match(stakeRun, { decision: 'acted' })
  const stake = (await repo.listInterventions(staker)).find(i => i.intervention_id === stakeRun.intervention_id)!
  t.match(stake, { type: 'financial', status: 'deployed' })
  const [stakeNudge] = (await repo.listNudges(staker)).filter(n => n.intervention_id === stake.intervention_id)
  t.match(stakeNudge.message, /Your 18:00 session is in an hour.*€50\.00 is at stake: \d+ of \d+ sessions done/)

  // Only the buddy allowed, and a confirmed one: proposed (nothing reaches the buddy yet), the person is asked.
  const befriended = await atRisk('befriended', { calendar: false, message: false, social: true, financial: false })
  await repo.updateBuddy(befriended, () => ({ buddy: { name: 'Sam', email: 'sam@example.com', webhook: null, status: 'confirmed', invitation_id: 'inv_1', invited_at: '2026-02-10T10:00:00.000Z', confirmed_at: '2026-02-10T11:00:00.000Z' }, result: null }))
  const socialRun = await run(befriended)
  const social = (await repo.listInterventions(befriended)).find(i => i.intervention_id === socialRun.intervention_id)!
  t.match(social, { type: 'social', status: 'proposed', trigger: { source: 'autopilot' } })
  const nudges = await repo.listNudges(befriended)
  t.equal(nudges.length, 1, 'only the person is messaged; the buddy waits for their yes')
  t.match(nudges[0], { recipient: 'you', intervention_id: social.intervention_id })
  t.match(nudges[0].message, /Sam could send you a word of encouragement — confirm to ask them\./)

  // The buddy recommended but none confirmed: the message it falls back to is turned off too, so
  // nothing is sent — and the run says both.
  const alone = await atRisk('alone', { calendar: false, message: false, social: true, financial: false })
  const aloneRun = await run(alone)
  t.match(aloneRun, { decision: 'skipped', skipped: 'refused' })
  t.match(aloneRun.why, /but refused: message interventions are turned off.*; social was recommended but no confirmed buddy is set or social interventions are off: a message instead/)
  t.same(await repo.listNudges(alone), [])
  // Only stakes allowed but no commitment running: nothing to remind them of, and the run says so.
  const unstaked = await atRisk('unstaked', { calendar: false, message: false, social: false, financial: true })
  const unstakedRun = await run(unstaked)
  t.match(unstakedRun.why, /financial was recommended but there is no open commitment or financial interventions are off/)
})
