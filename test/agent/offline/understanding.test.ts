// The offline coach's understanding measured on messages it was not trained on: accuracy per
// intent and overall (a message counts only when its intent AND every expected detail are right),
// printed for the closing note, and the suite fails below 95 %. Also: training cost, determinism.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import { trainClassifier } from '../../../src/agent/offline/understand/classifier.js'
import { CORPUS, NONE } from '../../../src/agent/offline/understand/corpus.js'
import { understand, type Understood } from '../../../src/agent/offline/understand/understand.js'
import { CASES } from './understanding-corpus.js'

// Thursday 26 November 2026, 14:00 in New York.
const CONTEXT = { now: new Date('2026-11-26T19:00:00Z'), timeZone: 'America/New_York' }

t.test('the test corpus is realistic in size and not the training corpus', async t => {
  t.ok(CASES.length >= 150, `${CASES.length} messages`)
  const trained = new Set([...Object.values(CORPUS).flat(), ...NONE].map(s => s.toLowerCase().trim()))
  const copied = CASES.filter(([text]) => trained.has(text.toLowerCase().trim())).map(([text]) => text)
  // The issue's own sentences are in both on purpose (they are the specification); nothing else.
  const issue = new Set(['I did legs for 45 minutes', 'yesterday I did 30 min of cycling', 'did upper body at the gym, about an hour', 'actually it was 30 minutes',
    'delete the last one', 'oops, I logged legs twice - delete one', 'am I on track', 'I missed yesterday', "I'm exhausted, skipping today", 'My resolution: gym 4x a week for 8 weeks',
    'my resolution is run 3x a week for 6 weeks', 'plan my week', "I'm traveling next week", 'move my Thursday session to Saturday', 'remind me tomorrow at 7', 'thanks!'])
  t.same(copied.filter(text => !issue.has(text)), [], 'no test message copied from the training corpus')
  t.ok(CASES.filter(([, e]) => e.intent === 'unknown').length >= 10, 'a share of messages no intent should claim')
})

t.test('accuracy per intent and overall, ≥ 95 %', async t => {
  const started = performance.now()
  const classifier = await trainClassifier()
  const trainMs = performance.now() - started
  const perIntent = new Map<string, { right: number, total: number }>()
  const wrong: string[] = []
  const classifyStarted = performance.now()
  for (const [text, expected] of CASES) {
    const got = understand(text, await classifier.classify(text), CONTEXT) as Record<string, unknown>
    const ok = Object.entries(expected).every(([key, value]) => isDeepStrictEqual(got[key], value))
    const tally = perIntent.get(expected.intent) ?? { right: 0, total: 0 }
    tally.total++
    if (ok) tally.right++
    else wrong.push(`${JSON.stringify(text)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`)
    perIntent.set(expected.intent, tally)
  }
  const perMessageMs = (performance.now() - classifyStarted) / CASES.length
  const right = [...perIntent.values()].reduce((sum, v) => sum + v.right, 0)
  const overall = right / CASES.length
  const lines = [...perIntent.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([intent, { right, total }]) => `  ${intent.padEnd(16)} ${String(right).padStart(3)}/${String(total).padEnd(3)} ${(100 * right / total).toFixed(1)} %`)
  t.comment(['Understanding accuracy (intent and details):', ...lines, `  ${'overall'.padEnd(16)} ${String(right).padStart(3)}/${String(CASES.length).padEnd(3)} ${(100 * overall).toFixed(1)} %`,
    `Training: ${trainMs.toFixed(0)} ms; understanding one message: ${perMessageMs.toFixed(2)} ms`].join('\n'))
  for (const line of wrong) t.comment(`missed ${line}`)
  t.ok(overall >= 0.95, `overall accuracy ${(100 * overall).toFixed(1)} % (at least 95 %)`)
  // Trained on the first offline message: it must stay far inside the start-up budget (< 3 s).
  t.ok(trainMs < 1500, `training took ${trainMs.toFixed(0)} ms`)
})

t.test('deterministic: two classifiers trained apart give the same answers', async t => {
  const [a, b] = await Promise.all([trainClassifier(), trainClassifier()])
  for (const [text] of CASES) {
    const [x, y] = await Promise.all([a.classify(text), b.classify(text)])
    if (!isDeepStrictEqual(x, y)) t.fail(`${text}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`)
  }
  t.pass('same classification for every message')
})

t.test('the issue\'s sentences get the right intent and details', async t => {
  const classifier = await trainClassifier()
  const read = async (text: string): Promise<Understood> => understand(text, await classifier.classify(text), CONTEXT)
  t.match(await read('I did legs for 45 minutes'), { intent: 'log_workout', workouts: [{ exercise_type: 'legs', duration_minutes: 45 }] })
  t.match(await read('did upper body at the gym, about an hour'), { intent: 'log_workout', workouts: [{ exercise_type: 'upper body', duration_minutes: 60 }] })
  t.match(await read('My resolution: gym 4x a week for 8 weeks'), { intent: 'set_resolution', sessions_per_week: 4, weeks: 8 })
  t.match(await read('played tennis on Saturday for an hour'), { intent: 'log_workout', when: { date: '2026-11-21' } }, 'what was done lies behind: last Saturday, not the coming one')
  t.match(await read('missed saturday'), { intent: 'missed_session', date: '2026-11-21' })
  t.same(await read('did 20 min yoga and a 25 min run'), { intent: 'log_workout', workouts: [{ exercise_type: 'yoga', duration_minutes: 20 }, { exercise_type: 'running', duration_minutes: 25 }] })
})

t.test('properties: total, deterministic, durations exact', async t => {
  const classifier = await trainClassifier()
  const read = async (text: string) => understand(text, await classifier.classify(text), CONTEXT)
  await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), async text => {
    return JSON.stringify(await read(text)) === JSON.stringify(await read(text))
  }), { numRuns: 200 })
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), fc.constantFrom('yoga', 'running', 'swimming', 'tennis', 'legs'), async (minutes, type) => {
    const said = await read(`did ${minutes} min of ${type}`)
    return said.intent === 'log_workout' && said.workouts.length === 1 && said.workouts[0].duration_minutes === minutes && said.workouts[0].exercise_type === type
  }), { numRuns: 200 })
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 12 }), async hours => {
    const said = await read(`I ran for ${hours} ${hours === 1 ? 'hour' : 'hours'}`)
    return said.intent === 'log_workout' && said.workouts[0].duration_minutes === hours * 60
  }))
  t.pass('fast-check found no counterexample')
})
