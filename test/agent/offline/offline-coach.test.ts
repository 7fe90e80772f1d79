// The offline coach through the real agent loop, real tools and a real store: for fixture users in
// different situations, each intent picks the expected tools and the answer cites the user's own
// numbers, read back independently from the domain functions.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { importCalendar } from '../../../src/calendar/calendars.js'
import { setPlan } from '../../../src/plans/plans.js'
import { detectPatternsTool } from '../../../src/agent/tools/drift-tools.js'
import { analyzeCalendarTool } from '../../../src/agent/tools/calendar-tools.js'
import { accountSettings, registerAccount } from '../../../src/accounts/accounts.js'
import { runAgent, type AgentRunResult } from '../../../src/agent/agent-loop.js'
import type { ChatMessage, ToolDefinition } from '../../../src/agent/models/chat-model.js'
import { OfflineCoach } from '../../../src/agent/offline/offline-coach.js'
import { ToolRegistry, type Tool } from '../../../src/agent/tools/tool-registry.js'
import { logReasoningTool } from '../../../src/agent/tools/log-reasoning.js'
import { getCommitmentTool } from '../../../src/agent/tools/commitment-tools.js'
import { createCommitment } from '../../../src/commitments/commitments.js'
import { getWorkoutHistoryTool, logWorkoutTool } from '../../../src/agent/tools/workout-tools.js'
import { proposePauseTool, proposePlanChangeTool, proposeWorkoutCorrectionTool, proposeWorkoutDeletionTool } from '../../../src/agent/tools/proposal-tools.js'
import { getAutopilotRunsTool } from '../../../src/agent/tools/autopilot-tools.js'
import { LowdbRepository } from '../../../src/store/lowdb/lowdb-repository.js'
import { logWorkout, updateWorkout, workoutHistory } from '../../../src/workouts/workouts.js'

/** Thursday 12 March 2026, afternoon in every fixture zone. */
const NOW = new Date('2026-03-12T18:00:00Z')
/** Sign-up well before the seeded workouts: the default plan (and so every judgement) starts then. */
const SIGNED_UP = new Date('2026-01-01T00:00:00Z')
const ALL_TOOLS: Tool[] = [logWorkoutTool, getWorkoutHistoryTool, logReasoningTool]

type UserName = 'alice' | 'bob' | 'carol'

/** performed_at, exercise, minutes. Local dates follow each user's zone. */
const SEEDS: Record<UserName, { timezone: string, workouts: Array<[string, string, number]> }> = {
  // On track: 5 in the last 7 days (2026-03-06 … 03-12), 7 in the last 28.
  alice: {
    timezone: 'Europe/Berlin',
    workouts: [
      ['2026-03-12T06:30:00Z', 'running', 30], ['2026-03-11T17:00:00Z', 'yoga', 45], ['2026-03-10T06:30:00Z', 'running', 35],
      ['2026-03-09T06:30:00Z', 'running', 40], ['2026-03-07T09:00:00Z', 'swimming', 60], ['2026-03-02T06:30:00Z', 'running', 30],
      ['2026-02-23T06:30:00Z', 'running', 30]
    ]
  },
  // Behind: 1 in the last 7 days. 02:30Z on 11 March is the evening of Tuesday 10 March in New York.
  bob: {
    timezone: 'America/New_York',
    workouts: [['2026-03-11T02:30:00Z', 'yoga', 20], ['2026-02-27T23:00:00Z', 'yoga', 25], ['2026-02-20T23:00:00Z', 'cycling', 50]]
  },
  // Nothing logged at all.
  carol: { timezone: 'UTC', workouts: [] }
}

interface Fixture {
  repo: LowdbRepository
  ids: Record<UserName, string>
  ask (user: UserName, message: string, options?: { history?: ChatMessage[], tools?: Tool[], signal?: AbortSignal }): Promise<AgentRunResult>
  history (user: UserName, days: number): ReturnType<typeof workoutHistory>
}

async function fixture (t: { teardown: (fn: () => unknown) => void }): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'offline-coach-'))
  const repo = await LowdbRepository.open({ dataDir: dir })
  t.teardown(async () => {
    await repo.close()
    await rm(dir, { recursive: true, force: true })
  })
  const ids = {} as Record<UserName, string>
  for (const [name, seed] of Object.entries(SEEDS) as Array<[UserName, typeof SEEDS[UserName]]>) {
    const account = await registerAccount(repo, { username: name, password: 'correct horse', timezone: seed.timezone },
      accountSettings(1024), SIGNED_UP)
    ids[name] = account.id
    for (const [at, type, minutes] of seed.workouts) {
      await logWorkout(repo, account.id, { exercise_type: type, duration_minutes: minutes, performed_at: at }, NOW)
    }
  }
  return {
    repo,
    ids,
    ask: (user, message, options = {}) => runAgent(
      { model: new OfflineCoach(), tools: new ToolRegistry(options.tools ?? ALL_TOOLS), repo, maxIterations: 10, systemPrompt: 'You are a coach.' },
      { userId: ids[user], message, history: options.history ?? [], now: NOW, signal: options.signal }),
    history: (user, days) => workoutHistory(repo, ids[user], days, NOW)
  }
}

const calls = (result: AgentRunResult) => result.toolCalls.map(c => ({ name: c.name, arguments: c.arguments, ok: c.ok }))
const numbersIn = (text: string) => (text.match(/\d+(?:\.\d+)?/g) ?? []).map(Number)
/** Every number the tools returned in this run: what an answer may cite. */
const toolNumbers = (result: AgentRunResult) => new Set(result.messages.flatMap(m => m.role === 'tool' ? numbersIn(m.content) : []))
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

t.test('log_workout: logs what was said, then cites the week from the tool', async t => {
  const fx = await fixture(t)
  const alice = await fx.ask('alice', 'did 30 min of yoga')
  const bob = await fx.ask('bob', 'I ran for 45 minutes')

  t.same(calls(alice), [{ name: 'logWorkout', arguments: { exercise_type: 'yoga', duration_minutes: 30 }, ok: true }])
  t.same(calls(bob), [{ name: 'logWorkout', arguments: { exercise_type: 'running', duration_minutes: 45 }, ok: true }])
  t.equal(alice.iterations, 2, 'one model call for the tool, one for the answer')

  const aliceWeek = (await fx.history('alice', 7)).stats
  const bobWeek = (await fx.history('bob', 7)).stats
  t.same([aliceWeek.total_workouts, bobWeek.total_workouts], [6, 2], 'the workout was stored')
  t.match((await fx.history('bob', 1)).workouts[0], { exercise_type: 'running', duration_minutes: 45, local_date: '2026-03-12' })

  t.match(alice.response, 'Logged 30 min of yoga on Thursday 12 March.')
  t.match(alice.response, `${aliceWeek.total_workouts} workouts (${aliceWeek.total_minutes} min) in the last 7 days — ${aliceWeek.completion_rate}% of your 4-a-week target`)
  t.match(alice.response, /You've reached 4/)
  t.match(bob.response, 'Logged 45 min of running on Thursday 12 March.')
  t.match(bob.response, `${bobWeek.total_workouts} workouts (${bobWeek.total_minutes} min) in the last 7 days — ${bobWeek.completion_rate}%`)
  t.match(bob.response, 'Next step: 2 more sessions to reach 4; the next one could be Friday 13 March')
})

t.test('log_workout without a duration asks for it, and the reply completes it', async t => {
  const fx = await fixture(t)
  const asked = await fx.ask('carol', 'did 3 sets of 10 pushups')
  t.same(asked.toolCalls, [], 'nothing logged without a duration')
  t.match(asked.response, /How long did your pushups \(3 sets of 10\) take\?/)
  t.same((await fx.history('carol', 7)).workouts, [])

  const logged = await fx.ask('carol', '15 minutes', { history: asked.messages })
  t.same(calls(logged), [{ name: 'logWorkout', arguments: { exercise_type: 'pushups', duration_minutes: 15, sets: 3, reps: 10 }, ok: true }])
  t.match(logged.response, 'Logged 15 min of pushups (3 sets of 10) on Thursday 12 March. That makes 1 workout (15 min) in the last 7 days — 0%', 'under 20 minutes (the plan) it is not a session')

  const alone = await fx.ask('carol', '15 minutes')
  t.same(alone.toolCalls, [], 'a bare duration with nothing to complete logs nothing')
  t.match(alone.response, /15 minutes of what\?/)
})

t.test('log_workout refuses what it cannot log correctly, and reports tool errors', async t => {
  const fx = await fixture(t)
  const tooLong = await fx.ask('bob', 'ran 900 minutes')
  t.same(tooLong.toolCalls, [])
  t.match(tooLong.response, /900 minutes is over the limit of 600 minutes/)

  const negative = await fx.ask('bob', 'did -30 min of yoga')
  t.same(negative.toolCalls, [], 'a minus sign is not dropped: nothing is logged')
  t.match(negative.response, /can't last -30 minutes/)

  const zero = await fx.ask('bob', 'did 0 min of yoga')
  t.same(zero.toolCalls, [])
  t.match(zero.response, /at least 1 minute/)

  const tomorrow = await fx.ask('bob', 'I ran for 45 minutes tomorrow')
  t.same(tomorrow.toolCalls, [], 'a day ahead is not logged')
  t.match(tomorrow.response, /Friday 13 March, which hasn't happened yet/)

  // 5000 reps breaks the API's rule (at most 1000): the registry refuses, the coach says why.
  const invalid = await fx.ask('bob', 'did 5000 pushups in 30 minutes')
  t.same(calls(invalid), [{ name: 'logWorkout', arguments: { exercise_type: 'pushups', duration_minutes: 30, reps: 5000 }, ok: false }])
  t.match(invalid.response, /^I couldn't log your pushups \(5000 reps\), so nothing was saved: Invalid arguments for logWorkout: arguments\.reps must be <= 1000\.$/)

  t.equal((await fx.history('bob', 7)).stats.total_workouts, 1, 'none of these stored anything')
})

t.test('progress: both windows in one parallel turn, the user\'s own numbers', async t => {
  const fx = await fixture(t)
  const answers: string[] = []
  for (const user of ['alice', 'bob', 'carol'] as const) {
    const result = await fx.ask(user, 'how am I doing')
    t.same(calls(result), [
      { name: 'getWorkoutHistory', arguments: { days_back: 7 }, ok: true },
      { name: 'getWorkoutHistory', arguments: { days_back: 28 }, ok: true }
    ], `${user}: both histories`)
    t.same(result.modelCalls.map(c => c.toolCalls), [2, 0], `${user}: the two calls came in one reply`)

    const week = await fx.history(user, 7)
    const month = await fx.history(user, 28)
    t.match(result.response, `Last 7 days: ${plural(week.stats.total_workouts, 'workout')}, ${week.stats.total_minutes} min — ${week.stats.completion_rate}% of your 4-a-week target, risk ${week.commitment_analysis.risk_level}.`)
    t.match(result.response, `Last 28 days: ${plural(month.stats.total_workouts, 'workout')}, ${month.stats.total_minutes} min (${month.stats.completion_rate}%, ${month.stats.workouts_per_week} a week)`)
    t.match(result.response, /Next step: /)
    answers.push(result.response)
  }
  t.match(answers[0], 'Your most frequent exercise is running (5 of 7).')
  t.match(answers[0], 'Next step: you\'ve hit 4')
  t.match(answers[1], 'Your most frequent exercise is yoga (2 of 3).')
  t.match(answers[1], 'Next step: a short session today — even 15 minutes of yoga counts and makes it 2 of 4.')
  t.match(answers[2], 'Last 7 days: 0 workouts, 0 min — 0%')
  t.notMatch(answers[2], /most frequent/, 'no favourite invented for an empty history')
  t.equal(new Set(answers).size, 3, 'each user gets their own answer')
})

t.test('log_workout: the day said is the day logged ("yesterday" in the person\'s zone)', async t => {
  const fx = await fixture(t)
  const bob = await fx.ask('bob', 'yesterday I did 30 min of cycling')
  // Thursday 12 March 14:00 in New York: yesterday is Wednesday 11 March, logged at midday there.
  t.same(calls(bob), [{ name: 'logWorkout', arguments: { exercise_type: 'cycling', duration_minutes: 30, performed_at: '2026-03-11T16:00:00.000Z' }, ok: true }])
  t.match(bob.response, 'Logged 30 min of cycling on Wednesday 11 March.')
  t.match((await fx.history('bob', 7)).workouts.find(w => w.exercise_type === 'cycling'), { local_date: '2026-03-11' })
})

t.test('low_energy: aware of what was already done today', async t => {
  const fx = await fixture(t)
  await logWorkout(fx.repo, fx.ids.bob, { exercise_type: 'legs', duration_minutes: 60, performed_at: '2026-03-12T13:00:00Z' }, NOW)
  await logWorkout(fx.repo, fx.ids.bob, { exercise_type: 'running', duration_minutes: 45, performed_at: '2026-03-12T15:00:00Z' }, NOW)
  const bob = await fx.ask('bob', "I'm exhausted, skipping today")
  t.match(bob.response, "You've already done 105 min today (legs and running) — that's today's session done.")
  t.notMatch(bob.response, /easy 10–15 minute session/, 'no session suggested on top of 105 minutes')
})

t.test('low_energy: rest when on track, a short easy session when behind, never shame', async t => {
  const fx = await fixture(t)
  // Alice's run this morning moves to Sunday: still on track, but nothing done today yet.
  await updateWorkout(fx.repo, fx.ids.alice, (await fx.history('alice', 1)).workouts[0].workout_id, { performed_at: '2026-03-08T06:30:00Z' }, NOW)
  const alice = await fx.ask('alice', "I'm exhausted")
  const bob = await fx.ask('bob', 'too tired, skipping today')
  const carol = await fx.ask('carol', "I'm exhausted")

  for (const [name, result] of [['alice', alice], ['bob', bob], ['carol', carol]] as const) {
    t.same(result.toolCalls.map(c => c.name), ['getWorkoutHistory', 'logReasoning'], `${name}: history, then the reasoning`)
    t.same(result.toolCalls[0].arguments, { days_back: 7 })
    t.equal(result.iterations, 3)
    t.notMatch(result.response, /lazy|fail|should have|disappoint|ashamed|excuse/i, `${name}: no shaming`)
  }

  const aliceWeek = (await fx.history('alice', 7)).stats
  t.match(alice.reasoning, [{ event_name: 'low_energy_rest_day', metrics: { workouts_7d: aliceWeek.total_workouts, completion_rate_7d: aliceWeek.completion_rate, on_track: true } }])
  t.match(alice.response, `Rest today, guilt-free: you've done ${aliceWeek.total_workouts} workouts (${aliceWeek.total_minutes} min) in the last 7 days — ${aliceWeek.completion_rate}%`)

  const bobWeek = (await fx.history('bob', 7)).stats
  t.match(bob.reasoning, [{ event_name: 'low_energy_short_session', metrics: { workouts_7d: 1, completion_rate_7d: bobWeek.completion_rate, risk_level: 'high', on_track: false } }])
  t.match(bob.response, `You're at 1 of 4 in the last 7 days (${bobWeek.completion_rate}%)`)
  t.match(bob.response, /easy 10–15 minute session/)

  t.match(carol.response, /Nothing is logged in the last 7 days yet, so an easy 10–15 minute session/)
  t.equal(new Set([alice.response, bob.response, carol.response]).size, 3)

  const withoutReasoning = await fx.ask('bob', "I'm exhausted", { tools: [getWorkoutHistoryTool, logWorkoutTool] })
  t.same(withoutReasoning.toolCalls.map(c => c.name), ['getWorkoutHistory'], 'reasoning is skipped when the tool is not offered')
  t.match(withoutReasoning.response, /easy 10–15 minute session/)
})

/** Weekday counts over the most recent (at most 10) workouts of the last 28 days, by local date. */
async function usualDays (fx: Fixture, user: UserName): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const w of (await fx.history(user, 28)).workouts.slice(0, 10)) {
    const day = WEEKDAYS[new Date(`${w.local_date}T00:00:00Z`).getUTCDay()]
    counts.set(day, (counts.get(day) ?? 0) + 1)
  }
  return counts
}

t.test('plan_week: sessions still needed, usual days from local dates, no calendar yet', async t => {
  const fx = await fixture(t)
  for (const user of ['alice', 'bob', 'carol'] as const) {
    const result = await fx.ask(user, 'plan my week')
    t.same(calls(result), [
      { name: 'getWorkoutHistory', arguments: { days_back: 7 }, ok: true },
      { name: 'getWorkoutHistory', arguments: { days_back: 28 }, ok: true }
    ], `${user}: the week for what is needed, 28 days for the usual days`)
    t.match(result.response, "I can't book calendar slots yet")
    t.notMatch(result.response, /\d{1,2}:\d{2}|\b(?:am|pm)\b/i, `${user}: no invented time slots`)

    const days = await usualDays(fx, user)
    const needed = Math.max(0, 4 - (await fx.history(user, 7)).stats.total_workouts)
    const allowed = new Set([...toolNumbers(result), ...days.values(), needed])
    t.same(numbersIn(result.response).filter(n => !allowed.has(n)), [], `${user}: every number comes from the data`)
  }

  const bob = await fx.ask('bob', 'plan my week')
  t.same(await usualDays(fx, 'bob'), new Map([['Friday', 2], ['Tuesday', 1]]), 'bob\'s days are his New York days')
  t.match(bob.response, "You've done 1 workout in the last 7 days, so 3 more sessions get you to 4.")
  t.match(bob.response, 'most often on Friday (2) and Tuesday (1)')
  t.match(bob.response, 'I suggest Friday and Tuesday, plus 1 other day of your choice')

  const alice = await fx.ask('alice', 'plan my week')
  t.match(alice.response, 'so 4 is reached')
  t.match(alice.response, 'keep Monday as your anchor day')

  const carol = await fx.ask('carol', 'plan my week')
  t.match(carol.response, 'There are no workouts in the last 28 days to learn your usual days from')
})

t.test('stakes: the real commitment, or plainly none — never invented numbers', async t => {
  const fx = await fixture(t)
  const withCommitment = [...ALL_TOOLS, getCommitmentTool]
  const none = await fx.ask('alice', "what's at stake", { tools: withCommitment })
  t.same(calls(none), [{ name: 'getCommitment', arguments: {}, ok: true }])
  t.match(none.response, /^Nothing is at stake yet: you have no open commitment/)
  t.notMatch(none.response, /[$€£]|\b(?:dollars?|euros?|usd|eur)\b/i, 'no amounts without a commitment')

  const bob = (await fx.repo.findAccountByUsername('bob'))!
  await createCommitment(fx.repo, bob.id, { stake_amount: 4200, currency: 'EUR', weeks: 2, milestones: 1, recipient_on_failure: 'buddy' }, NOW)
  const staked = await fx.ask('bob', 'what is at stake?', { tools: withCommitment })
  t.same(calls(staked), [{ name: 'getCommitment', arguments: {}, ok: true }])
  t.match(staked.response, /^€42\.00 is at stake \(active\), going to your buddy if a milestone is missed; it runs until 2026-03-25\. Milestone 1: 0 of 8 sessions, 8 more needed by 2026-03-25 — 14 days left\.$/)
  const allowed = toolNumbers(staked)
  t.same(numbersIn(staked.response).filter(n => !allowed.has(n) && n !== 42), [], 'every number comes from the commitment')

  const offline = await fx.ask('bob', 'what is at stake?', { tools: [logWorkoutTool] })
  t.same(offline.toolCalls, [])
  t.match(offline.response, /getCommitment tool isn't available/)
  t.same(numbersIn(offline.response), [], 'without data, no numbers at all')
})

t.test('greeting and unknown: what the coach can do, with where the user stands', async t => {
  const fx = await fixture(t)
  const hi = await fx.ask('bob', 'hi')
  t.same(calls(hi), [{ name: 'getWorkoutHistory', arguments: { days_back: 7 }, ok: true }])
  t.match(hi.response, /^Hi! I'm your coach\. Where you stand: /)
  t.match(hi.response, (await fx.history('bob', 7)).commitment_analysis.message)
  t.match(hi.response, /log it.*how am I doing.*plan my week.*low on energy/)

  const unknown = await fx.ask('alice', 'what is the weather in paris')
  t.same(calls(unknown), [])
  t.match(unknown.response, /^I can't do that\. Here's what I can: .* Try: "did 30 min of yoga", "am I on track\?" or "I'm traveling next week"\.$/)
})

t.test('a failed or missing tool is explained in plain words', async t => {
  const fx = await fixture(t)
  const gone = await runAgent(
    { model: new OfflineCoach(), tools: new ToolRegistry(ALL_TOOLS), repo: fx.repo, maxIterations: 10, systemPrompt: '' },
    { userId: 'u_deleted', message: 'how am I doing', history: [], now: NOW })
  t.match(gone.response, "I couldn't read your workout history: Your account no longer exists.")

  const noHistory = await fx.ask('alice', 'how am I doing', { tools: [logWorkoutTool] })
  t.same(noHistory.toolCalls, [])
  t.match(noHistory.response, "I can't check your progress right now: the getWorkoutHistory tool isn't available.")
})

/** One model step, straight on the coach: the messages of a turn whose tool has answered. */
function answeredTurn (content: string): ChatMessage[] {
  return [
    { role: 'system', content: 'coach' },
    { role: 'user', content: 'how am I doing' },
    { role: 'assistant', content: null, tool_calls: [
      { id: 'a', type: 'function', function: { name: 'getWorkoutHistory', arguments: '{"days_back":7}' } },
      { id: 'b', type: 'function', function: { name: 'getWorkoutHistory', arguments: '{"days_back":28}' } }
    ] },
    { role: 'tool', tool_call_id: 'a', content },
    { role: 'tool', tool_call_id: 'b', content }
  ]
}
const DEFINITIONS: ToolDefinition[] = new ToolRegistry(ALL_TOOLS).definitions()

t.test('unreadable results are reported, not guessed around', async t => {
  const coach = new OfflineCoach()
  const signal = new AbortController().signal
  const garbled = await coach.complete({ messages: answeredTurn('not json'), tools: DEFINITIONS, signal })
  t.same(garbled.toolCalls, [])
  t.equal(garbled.content, "I couldn't read your workout history: not json.")
  const reshaped = await coach.complete({ messages: answeredTurn('{"ok":true,"total":3}'), tools: DEFINITIONS, signal })
  t.equal(reshaped.content, "I couldn't read your workout history: the result came back in a form I can't read.")
})

t.test('deterministic: same data and message → same calls and answer', async t => {
  const one = await fixture(t)
  const two = await fixture(t)
  for (const message of ['how am I doing', "I'm exhausted", 'plan my week', 'did 30 min of yoga']) {
    const a = await one.ask('bob', message)
    const b = await two.ask('bob', message)
    t.equal(a.response, b.response, message)
    t.same(a.toolCalls.map(c => [c.id, c.name, c.arguments]), b.toolCalls.map(c => [c.id, c.name, c.arguments]), `${message}: same calls, same ids`)
  }
})

t.test('streams the final answer in sentence deltas that add up to it', async t => {
  const fx = await fixture(t)
  const deltas: string[] = []
  const result = await runAgent(
    { model: new OfflineCoach(), tools: new ToolRegistry(ALL_TOOLS), repo: fx.repo, maxIterations: 10, systemPrompt: '', onEvent: e => { if (e.type === 'delta') deltas.push(e.text) } },
    { userId: fx.ids.alice, message: 'how am I doing', history: [], now: NOW })
  t.ok(deltas.length >= 4, 'one delta per sentence')
  t.equal(deltas.join(''), result.response)
})

t.test('an aborted signal stops the coach', async t => {
  const fx = await fixture(t)
  const aborted = AbortSignal.abort()
  await t.rejects(new OfflineCoach().complete({ messages: [{ role: 'user', content: 'did 30 min of yoga' }], tools: DEFINITIONS, signal: aborted }), { name: 'AbortError' })
  await t.rejects(fx.ask('carol', 'did 30 min of yoga', { signal: aborted }), { name: 'AbortError' })
  t.same((await fx.history('carol', 7)).workouts, [], 'nothing logged')

  // Aborted while the answer streams: the rest is not sent and the call fails.
  const controller = new AbortController()
  const received: string[] = []
  await t.rejects(new OfflineCoach().complete({
    messages: answeredTurn('{"ok":false,"error":"Store unavailable. Try again later."}'),
    tools: DEFINITIONS,
    signal: controller.signal,
    onDelta: text => { received.push(text); controller.abort() }
  }), { name: 'AbortError' })
  t.equal(received.length, 1)
})

t.test('with the drift and calendar tools: progress gets the drift check, the week plan the free slots', async t => {
  const fx = await fixture(t)
  const tools = [...ALL_TOOLS, detectPatternsTool, analyzeCalendarTool]
  // Carol has trained on no day since she signed up in January: her misses are the drift.
  const carol = await fx.ask('carol', 'how am I doing?', { tools })
  t.same(calls(carol).map(c => c.name).sort(), ['detectPatterns', 'getWorkoutHistory', 'getWorkoutHistory'], 'history and drift in one parallel turn')
  t.match(carol.response, /Drift check: risk high \(\d+\/100\), habit strength 0\/100\. /)
  for (const n of numbersIn(carol.response)) t.ok(toolNumbers(carol).has(n), `${n} comes from a tool`)

  // Alice (Berlin, default plan 06:00–07:30) has a meeting in Saturday's window (14 March).
  await importCalendar(fx.repo, fx.ids.alice, { kind: 'json', events: [{ summary: 'Dentist', start: '2026-03-14T05:30:00Z', end: '2026-03-14T06:00:00Z' }] }, NOW)
  const plan = await fx.ask('alice', 'when can I work out this week?', { tools })
  t.ok(calls(plan).some(c => c.name === 'analyzeCalendar' && c.ok), 'the calendar was read')
  // Now is Thursday 12 March 19:00 Berlin: the free windows are Friday's, Saturday's around the
  // dentist, then Sunday's — the first three, in Berlin time.
  t.match(plan.response, /Free in your plan's window: Friday 13 March 06:00–07:30, Saturday 14 March 06:00–06:30 and Saturday 14 March 07:00–07:30\./)
  t.match(plan.response, /1 planned session clashes with your calendar \("Dentist"\)/)
  t.match(plan.response, /I can't book them for you yet/)
})

t.test("the coach words the person's own plan: a 3-a-week plan is not called 4", async t => {
  const fx = await fixture(t)
  await setPlan(fx.repo, fx.ids.alice, { sessions_per_week: 3, weekdays: ['tue', 'thu', 'sat'], start_date: '2026-01-05' }, NOW)
  const result = await fx.ask('alice', 'how am I doing?')
  t.match(result.response, /% of your 3-a-week target/)
  t.notMatch(result.response, /4-a-week/)
})

t.test('when a detail is missing or impossible, the coach asks or says why — it never guesses', async t => {
  const fx = await fixture(t)
  const tools = [...ALL_TOOLS, proposeWorkoutCorrectionTool, proposeWorkoutDeletionTool, proposePauseTool, proposePlanChangeTool]
  const ask = (message: string) => fx.ask('bob', message, { tools })
  const noCalls = async (message: string, answer: RegExp) => {
    const result = await ask(message)
    t.same(result.toolCalls.filter(c => c.name !== 'getWorkoutHistory'), [], `${message}: nothing proposed`)
    t.match(result.response, answer, message)
  }
  await noCalls('my resolution is to get fitter', /How many sessions a week do you want/)
  await noCalls('pause my plan', /Which days should I pause\?/)
  await noCalls('move a session to another day', /Which session, and to which day\?/)
  await noCalls('remind me', /When should I remind you\?/)
  // Thursday 12 March, 14:00 in New York: 6 am today is gone.
  await noCalls('remind me today at 6am', /06:00 on Thursday 12 March has already passed/)
  await noCalls('actually it was wrong', /What should I change on your 20 min of yoga on Tuesday 10 March\?/)
  await noCalls('actually it was 900 minutes', /900 minutes is over the limit of 600 minutes/)
  await noCalls('actually it was swimming, not rowing', /can't find a rowing workout of yours/)
  await noCalls('I ran for 45 minutes tomorrow', /hasn't happened yet/)

  const carol = await fx.ask('carol', 'delete the last one', { tools })
  t.match(carol.response, /I can't find a workout of yours in the last 28 days to delete/)

  // The tool checks what the coach cannot know: Thursday is not one of bob's planned days.
  const move = await ask('move my Thursday session to Saturday')
  t.match(calls(move), [{ name: 'proposePlanChange', arguments: { move: { from: 'thu', to: 'sat' } }, ok: false }])
  t.match(move.response, /^I can't propose that: No session is planned on thu: your plan's days are mon, wed, fri, sat\.$/)
  t.notOk(move.proposal, 'nothing waits for a yes')

  const reminder = await ask('remind me tomorrow at 7')
  t.match(reminder.response, /can't set reminders right now: the deployNudge tool isn't available/)
})

t.test('a missed session: nothing logged, what the week still needs', async t => {
  const fx = await fixture(t)
  const bob = await fx.ask('bob', 'I missed yesterday')
  t.same(calls(bob), [{ name: 'getWorkoutHistory', arguments: { days_back: 7 }, ok: true }], 'read, never logged')
  t.match(bob.response, /^No problem — I've logged nothing for Wednesday 11 March; a missed session is information, not a failure\. This week still needs 3 sessions\. The next short session/)
  const alice = await fx.ask('alice', 'I skipped the gym on monday')
  t.match(alice.response, /logged nothing for Monday 9 March.*nothing more is needed/)
})

t.test('the autopilot: what it did at its last checkpoints, and why', async t => {
  const fx = await fixture(t)
  const tools = [...ALL_TOOLS, getAutopilotRunsTool]
  t.match((await fx.ask('bob', 'what did the autopilot do?', { tools })).response, /hasn't checked in on you yet/)
  const run = (id: string, ranAt: string, decision: 'acted' | 'skipped', why: string) => fx.repo.addAutopilotRun(fx.ids.bob, {
    run_id: id, checkpoint: 'before_session', checkpoint_id: `c_${id}`, scheduled_for: ranAt, ran_at: ranAt, risk: null, decision, why, ...(decision === 'skipped' ? { skipped: 'not_at_risk' as const } : {})
  })
  await run('1', '2026-03-11T10:00:00Z', 'acted', 'Risk high: 3 sessions missed in a row, so a nudge went out')
  await run('2', '2026-03-12T10:00:00Z', 'skipped', 'Not at risk')
  const why = await fx.ask('bob', 'why did the autopilot nudge me?', { tools })
  t.same(calls(why), [{ name: 'getAutopilotRuns', arguments: { limit: 5 }, ok: true }])
  t.equal(why.response, 'Last check: Thursday 12 March at 06:00 before a session — it stayed quiet: Not at risk. It last acted Wednesday 11 March at 06:00: Risk high: 3 sessions missed in a row, so a nudge went out.')
})
