// Conversations with the offline coach over the API, as a person has them: what they say in their
// own words becomes the right action — a change that needs their yes waits for it, a no or another
// subject drops it, and only their own data is touched. The clock is the real one, so expectations
// are computed in the person's zone from it.
import t, { type Test } from 'tap'
import { addDays, localDate, localTime, startOfWeek } from '../../../src/shared/local-time.js'
import { build, logWorkout, register, type Session } from '../../helpers/build-app.js'

const ZONE = 'America/New_York'
type App = Awaited<ReturnType<typeof build>>

async function coach (t: Test) {
  const app = await build(t)
  const alice = await register(app, 'alice', { timezone: ZONE })
  const say = async (message: string, who: Session = alice) => {
    const res = await app.inject({ method: 'POST', url: '/api/agent', headers: who.headers, payload: { message } })
    t.equal(res.statusCode, 200, `"${message}" answered`)
    return res.json() as { response: string, toolCalls: Array<{ name: string, arguments: Record<string, unknown>, ok: boolean }>, trace_id: string }
  }
  return { app, alice, say }
}

const get = async (app: App, who: Session, url: string) => (await app.inject({ url, headers: who.headers })).json()
const workouts = async (app: App, who: Session) => (await get(app, who, '/api/workout/history?days_back=28')).workouts as Array<{ workout_id: string, exercise_type: string, duration_minutes: number, local_date: string }>
const today = () => localDate(new Date(), ZONE)
const FALLBACK = /I can't do that|not sure what you mean/

t.test('log → correct → delete, each change confirmed before it happens', async t => {
  const { app, alice, say } = await coach(t)
  const logged = await say('I did legs for 45 minutes')
  t.match(logged.toolCalls, [{ name: 'logWorkout', arguments: { exercise_type: 'legs', duration_minutes: 45 }, ok: true }])
  t.match(logged.response, /^Logged 45 min of legs on /)

  const correction = await say('actually it was 30 minutes')
  t.match(correction.toolCalls, [{ name: 'getWorkoutHistory' }, { name: 'proposeWorkoutCorrection', ok: true }])
  t.match(correction.response, /I'll change your 45 min of legs on .* to 30 min\. Reply "yes" to do it/)
  t.match(await workouts(app, alice), [{ duration_minutes: 45 }], 'nothing changed before the yes')
  t.match((await get(app, alice, `/api/agent/traces/${correction.trace_id}`)).proposal, { kind: 'correct_workout' }, 'the proposal waits on the trace')

  const yes = await say('yes')
  t.match(yes, { response: /^Done\. Corrected: 30 min of legs/, toolCalls: [{ name: 'confirmProposal', ok: true }] })
  t.match(await workouts(app, alice), [{ exercise_type: 'legs', duration_minutes: 30 }])

  const deletion = await say('delete the last one')
  t.match(deletion.response, /I'll delete your 30 min of legs on .*Reply "yes"/)
  t.equal((await workouts(app, alice)).length, 1, 'still there before the yes')
  t.match(await say('ok do it'), { response: /^Done\. Deleted: your 30 min of legs/ })
  t.same(await workouts(app, alice), [], 'deleted after the yes')
})

t.test('a no drops the proposal, and a proposal never outlives the next turn', async t => {
  const { app, alice, say } = await coach(t)
  await say('did 40 min of yoga')
  await say('actually it was 20 minutes')
  t.match(await say('no'), { response: /^OK, I've dropped it — nothing changed/, toolCalls: [] })
  t.match(await workouts(app, alice), [{ duration_minutes: 40 }])
  t.match(await say('yes'), { response: /nothing waiting for your yes/ }, 'a yes after the no finds nothing to confirm')
  t.match(await workouts(app, alice), [{ duration_minutes: 40 }])

  await say("I'm traveling next week")
  await say('how am I doing?')
  const late = await say('yes')
  t.same(late.toolCalls, [], 'the yes came a turn too late: nothing is done')
  t.same((await get(app, alice, '/api/me/pauses')).pauses, [])
})

t.test('"I\'m traveling next week" → yes → a pause for that Monday–Sunday', async t => {
  const { app, alice, say } = await coach(t)
  const monday = startOfWeek(addDays(today(), 7))
  const proposed = await say("I'm traveling next week")
  t.match(proposed.toolCalls, [{ name: 'proposePause', arguments: { start_date: monday, end_date: addDays(monday, 6), reason: 'travel' }, ok: true }])
  t.same((await get(app, alice, '/api/me/pauses')).pauses, [], 'no pause before the yes')
  t.match(await say('sure'), { response: `Done. Paused from ${monday} to ${addDays(monday, 6)}` })
  t.match((await get(app, alice, '/api/me/pauses')).pauses, [{ start_date: monday, end_date: addDays(monday, 6), reason: 'travel' }])
})

t.test('"remind me tomorrow at 7" → an in-app nudge scheduled for 07:00 in the person\'s zone', async t => {
  const { app, alice, say } = await coach(t)
  const reply = await say('remind me tomorrow at 7')
  t.match(reply.toolCalls, [{ name: 'deployNudge', ok: true }])
  t.match(reply.response, /remind you in the app on .* at 07:00 \(America\/New_York\)/)
  const [nudge] = (await get(app, alice, '/api/nudges')).nudges
  t.match(nudge, { channel: 'in_app', status: 'scheduled', source: 'coach', delivered_at: null })
  t.equal(localDate(new Date(nudge.scheduled_for), ZONE), addDays(today(), 1))
  t.equal(localTime(new Date(nudge.scheduled_for), ZONE), '07:00')
})

t.test('"my resolution is run 3x a week for 6 weeks" → yes → the plan says 3, for 6 weeks', async t => {
  const { app, alice, say } = await coach(t)
  const proposed = await say('my resolution is run 3x a week for 6 weeks')
  t.match(proposed.response, /Here's your resolution as a plan: 3 sessions a week on .* \(6 weeks\)\. Reply "yes"/)
  t.equal((await get(app, alice, '/api/me/plan')).plan.sessions_per_week, 4, 'the default until the yes')
  await say('yes')
  const { plan } = await get(app, alice, '/api/me/plan')
  t.match(plan, { sessions_per_week: 3, start_date: today(), end_date: addDays(today(), 41) })
  t.equal((await get(app, alice, '/api/me')).user.resolution, 'run 3x a week for 6 weeks')
  t.match((await say('how am I doing?')).response, /of your 3-a-week target/)
})

t.test('thanks and small talk: short, never the fallback; anything else: what works', async t => {
  const { say } = await coach(t)
  const thanks = await say('thanks!')
  t.notMatch(thanks.response, FALLBACK)
  t.same(thanks.toolCalls, [])
  t.match((await say('hello')).response, /^Hi! I'm your coach/)
  const other = await say('order me a pizza with extra cheese')
  t.match(other.response, /^I can't do that\. .*Try: "did 30 min of yoga", "am I on track\?" or "I'm traveling next week"\.$/)
  t.same(other.toolCalls, [])
})

t.test("the issue's table: every message gets the right action", async t => {
  const { app, alice, say } = await coach(t)
  await app.inject({ method: 'PUT', url: '/api/me/plan', headers: alice.headers, payload: { sessions_per_week: 4, weekdays: ['mon', 'tue', 'thu', 'sat'] } })

  t.match((await say('I did legs for 45 minutes')).toolCalls, [{ name: 'logWorkout', arguments: { exercise_type: 'legs', duration_minutes: 45 } }])
  t.match((await say('I did 45 minutes of legs')).toolCalls, [{ name: 'logWorkout', arguments: { exercise_type: 'legs', duration_minutes: 45 } }])

  const dup = await say('oops, I logged legs twice - delete one')
  t.match(dup.toolCalls.at(-1), { name: 'proposeWorkoutDeletion', ok: true })
  await say('yes')
  t.match(await workouts(app, alice), [{ exercise_type: 'legs' }], 'one legs workout left')
  t.equal((await workouts(app, alice)).length, 1)

  const missed = await say('I missed yesterday')
  t.notOk(missed.toolCalls.some(c => c.name === 'logWorkout'), 'a missed day logs nothing')
  t.match(missed.response, /logged nothing for .*(still needs \d+ session|nothing more is needed)/)

  const travel = await say("I'm traveling next week")
  t.match(travel.toolCalls, [{ name: 'proposePause', ok: true }])
  const move = await say('move my Thursday session to Saturday')
  t.match(move.toolCalls, [{ name: 'proposePlanChange', ok: false }], 'Saturday is already planned: the tool says so')
  t.match(move.response, /I can't propose that: A session is already planned on sat/)
  const moved = await say('move my Thursday session to Friday')
  t.match(moved.toolCalls, [{ name: 'proposePlanChange', arguments: { move: { from: 'thu', to: 'fri' } }, ok: true }])
  await say('yes')
  t.same((await get(app, alice, '/api/me/plan')).plan.weekdays, ['mon', 'tue', 'fri', 'sat'])

  t.match((await say('remind me tomorrow at 7')).toolCalls, [{ name: 'deployNudge', ok: true }])
  t.notMatch((await say('thanks!')).response, FALLBACK)

  const backdated = await say('yesterday I did 30 min of cycling')
  t.match(backdated.toolCalls, [{ name: 'logWorkout', arguments: { exercise_type: 'cycling', duration_minutes: 30 }, ok: true }])
  t.ok((await workouts(app, alice)).some(w => w.exercise_type === 'cycling' && w.local_date === addDays(today(), -1)), 'logged on yesterday')

  t.match((await say('did upper body at the gym, about an hour')).toolCalls, [{ name: 'logWorkout', arguments: { exercise_type: 'upper body', duration_minutes: 60 } }])
  // legs 45 + upper body 60 today: 105 minutes already done.
  t.match((await say("I'm exhausted, skipping today")).response, /already done 105 min today/)

  const week = await say('plan my week')
  t.ok(week.toolCalls.some(c => c.name === 'analyzeCalendar'), 'the free slots are read')
  const todayName = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date())
  t.notMatch(week.response.split('Free in')[1] ?? '', todayName, 'never a day already done')

  const resolution = await say('My resolution: gym 4x a week for 8 weeks')
  t.match(resolution.toolCalls, [{ name: 'proposePlanChange', arguments: { sessions_per_week: 4, weeks: 8 }, ok: true }])
  t.match((await say('what did the autopilot do?')).toolCalls, [{ name: 'getAutopilotRuns', ok: true }])
  t.match((await say("what's at stake?")).response, /Nothing is at stake yet/)
})

t.test('the coach acts only for the session\'s person', async t => {
  const { app, alice, say } = await coach(t)
  const bob = await register(app, 'bob', { timezone: ZONE })
  await logWorkout(app, bob, { exercise_type: 'swimming', duration_minutes: 50 })
  await say('did 30 min of yoga')
  await say('delete the last one', bob)
  await say('yes')
  t.match(await workouts(app, alice), [{ exercise_type: 'yoga' }], "bob's proposal is not alice's to confirm")
  t.match(await workouts(app, bob), [{ exercise_type: 'swimming' }], "and alice's yes does not delete bob's workout")
})

t.test('a yes to a change that can no longer be made says why, and changes nothing', async t => {
  const { app, alice, say } = await coach(t)
  const monday = startOfWeek(addDays(today(), 7))
  await say("I'm traveling next week")
  // Meanwhile the person pauses part of that week through the API themselves.
  const own = await app.inject({ method: 'POST', url: '/api/me/pauses', headers: alice.headers, payload: { start_date: addDays(monday, 2), end_date: addDays(monday, 3) } })
  t.equal(own.statusCode, 201)
  const yes = await say('yes')
  t.match(yes, { response: /^I could not do it: This pause overlaps your pause/, toolCalls: [{ name: 'confirmProposal', ok: false }] })
  t.equal((await get(app, alice, '/api/me/pauses')).pauses.length, 1, 'only the pause made through the API')
})
