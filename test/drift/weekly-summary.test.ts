// The weekly summary (GET /api/patterns/weekly, the web app's week and 12-week chart) agrees
// with the drift engine: the same session counts, the same habit strength.
import t from 'tap'
import { weeklySummary } from '../../src/drift/weekly-summary.js'
import { habitStrength } from '../../src/drift/habit-strength.js'
import { addDays } from '../../src/shared/local-time.js'
import { build, logWorkout, register } from '../helpers/build-app.js'
import { engineInput, onDays, simulate, START } from './engine-fixtures.js'

t.test('a perfect user of the default plan: 4 of 4 each week, habit strength climbing to today\'s', async t => {
  const today = addDays(START, 8 * 7 + 2) // a Wednesday, eight weeks in
  const input = engineInput({ workouts: simulate(onDays('mon', 'wed', 'fri', 'sat'), START, addDays(today, -1)), today })
  const weeks = weeklySummary(input, 12)
  t.equal(weeks.length, 12)
  t.equal(weeks.at(-1)!.monday, addDays(START, 8 * 7), 'the last is the current week')
  t.same(weeks.slice(0, 3).map(w => [w.target, w.sessions, w.habit_strength]), [[0, 0, null], [0, 0, null], [0, 0, null]], 'before the plan')
  t.same(weeks.slice(4, 11).map(w => [w.target, w.sessions, w.complete]), Array(7).fill([4, 4, true]))
  t.match(weeks.at(-1), { target: 4, sessions: 1, complete: false })
  const strengths = weeks.slice(4).map(w => w.habit_strength!)
  t.ok(strengths.every((s, i) => i === 0 || s > strengths[i - 1]), `climbing: ${strengths}`)
  t.equal(weeks.at(-1)!.habit_strength, habitStrength(input), 'the current week ends at today\'s strength')
})

t.test('GET /api/patterns/weekly: the current week counts a workout just logged', async t => {
  const app = await build(t)
  const s = await register(app, 'weekly')
  const before = await app.inject({ url: '/api/patterns/weekly?weeks=3', headers: s.headers })
  t.equal(before.statusCode, 200)
  t.equal(before.json().weeks.length, 3)
  t.equal(before.json().weeks.at(-1).sessions, 0)
  await logWorkout(app, s, { duration_minutes: 45 })
  const after = (await app.inject({ url: '/api/patterns/weekly', headers: s.headers })).json()
  t.equal(after.weeks.length, 12, '12 weeks by default')
  t.equal(after.weeks.at(-1).sessions, 1)
  t.equal((await app.inject({ url: '/api/patterns/weekly?weeks=53', headers: s.headers })).statusCode, 400)
  t.equal((await app.inject({ url: '/api/patterns/weekly' })).statusCode, 401)
})
