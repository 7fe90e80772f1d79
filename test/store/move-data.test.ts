// Moving a service between the stores: a LowDB data directory copied into PostgreSQL
// (npm run db:import) serves the same people with the same data, a second run copies nothing, and
// db:export brings it back into a data directory unchanged.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { build, login, logWorkout, PASSWORD, register, tempDir, type Session } from '../helpers/build-app.js'
import { privateDatabase } from '../helpers/postgres.js'
import { dbCommand } from '../../src/cli/db-command.js'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import type { MoveReport } from '../../src/store/move-users.js'

const run = promisify(execFile)
const quiet = () => {}

/** A data directory with two people who used most features. */
async function populatedDataDir (t: Test): Promise<{ dir: string, people: Session[] }> {
  const dir = await tempDir(t)
  const app = await build(t, { dataDir: dir })
  const ann = await register(app, 'ann', { timezone: 'Europe/Berlin' })
  const ben = await register(app, 'ben')
  for (let i = 0; i < 3; i++) await logWorkout(app, ann, { exercise_type: 'legs', duration_minutes: 30 + i })
  await logWorkout(app, ben)
  const headers = ann.headers
  await app.inject({ method: 'PUT', url: '/api/me/plan', headers, payload: { sessions_per_week: 3, weekdays: ['mon', 'wed', 'fri'] } })
  await app.inject({ method: 'POST', url: '/api/me/pauses', headers, payload: { start_date: '2027-01-04', end_date: '2027-01-08', reason: 'trip' } })
  await app.inject({ method: 'POST', url: '/api/nudges', headers, payload: { message: 'go', channel: 'in_app' } })
  await app.inject({ method: 'POST', url: '/api/calendar/import', headers, payload: { events: [{ summary: 'Standup', start: '2027-01-05T07:00:00Z', end: '2027-01-05T07:30:00Z' }] } })
  await app.inject({ method: 'POST', url: '/api/agent', headers, payload: { message: 'how am I doing?' } })
  await app.close()
  return { dir, people: [ann, ben] }
}

async function calendarOf (dataDir: string, userId: string) {
  const repo = await LowdbRepository.open({ dataDir })
  try { return await repo.getCalendar(userId) } finally { await repo.close() }
}

async function exportOf (dataDir: string, userId: string) {
  const repo = await LowdbRepository.open({ dataDir })
  try { return await repo.exportUser(userId) } finally { await repo.close() }
}

t.test('db:import copies a data directory into PostgreSQL; the service then serves the same people from it', async t => {
  const { dir, people: [ann, ben] } = await populatedDataDir(t)
  const url = await privateDatabase(t)
  const env = { DATABASE_URL: url }

  const first = await dbCommand(['import', '--data-dir', dir], env, quiet) as MoveReport
  t.equal(first.users_copied, 2)
  t.ok(first.rows_copied >= 10, `rows copied: ${first.rows_copied}`)
  const second = await dbCommand(['import', '--data-dir', dir], env, quiet) as MoveReport
  t.same(second, { users_copied: 0, rows_copied: 0, users_skipped: 2, username_conflicts: [] }, 'a second run changes nothing')

  const app = await build(t, { env: { DATABASE_URL: url } })
  t.equal((await app.inject({ url: '/health' })).json().database.kind, 'postgres')
  const again = await login(app, 'ann', PASSWORD)
  t.equal(again.user.id, ann.user.id, 'the same account, by the same password')
  const history = (await app.inject({ url: '/api/workout/history', headers: again.headers })).json()
  t.equal(history.workouts.length, 3)
  t.same(history.workouts.map((w: { exercise_type: string }) => w.exercise_type), ['legs', 'legs', 'legs'])
  const pgExport = (await app.inject({ url: '/api/me/export', headers: again.headers })).json()
  const original = (await exportOf(dir, ann.user.id))!
  t.equal(pgExport.plans.length, original.plans.length)
  t.equal(pgExport.conversation.length, original.conversation.length, 'the coach remembers the conversation')
  t.equal(pgExport.nudges.length, original.nudges.length)
  t.same(await app.repo.getCalendar(ann.user.id), await calendarOf(dir, ann.user.id), 'the calendar came along')
  t.equal((await login(app, 'ben', PASSWORD)).user.id, ben.user.id)
  await app.close()

  // And back: PostgreSQL → a new data directory holds exactly what the first one held.
  const back = await tempDir(t)
  const exported = await dbCommand(['export', '--data-dir', back], env, quiet) as MoveReport
  t.equal(exported.users_copied, 2)
  t.equal(exported.rows_copied, first.rows_copied, 'every row came back')
  const roundTrip = (await exportOf(back, ann.user.id))!
  t.same(roundTrip.workouts, original.workouts)
  t.same(roundTrip.account, original.account)
  t.same(roundTrip.conversation, original.conversation)
  t.same(roundTrip.plans, original.plans)
  t.same(roundTrip.pauses, original.pauses)
})

t.test('a username already held by someone else in the target is reported, not overwritten', async t => {
  const { dir } = await populatedDataDir(t)
  const url = await privateDatabase(t)
  const app = await build(t, { env: { DATABASE_URL: url } })
  const other = await register(app, 'ann')
  await app.close()
  const report = await dbCommand(['import', '--data-dir', dir], { DATABASE_URL: url }, quiet) as MoveReport
  t.same(report.username_conflicts, ['ann'])
  t.equal(report.users_copied, 1)
  const check = await build(t, { env: { DATABASE_URL: url } })
  t.equal((await login(check, 'ann')).user.id, other.user.id, 'the one already there keeps the name')
})

t.test('the npm scripts: db:migrate and db:import as an operator runs them', async t => {
  const { dir } = await populatedDataDir(t)
  const url = await privateDatabase(t)
  const env = { ...process.env, DATABASE_URL: url }
  const migrated = await run('npm', ['run', '--silent', 'db:migrate'], { env })
  t.match(migrated.stdout, /Applied 1 migration\(s\): 001_initial/)
  t.match((await run('npm', ['run', '--silent', 'db:migrate'], { env })).stdout, /up to date/)
  const imported = await run('npm', ['run', '--silent', 'db:import', '--', '--data-dir', dir], { env })
  t.match(imported.stdout, /Copied 2 user\(s\) and \d+ row\(s\)/)
  const missing = await run('npm', ['run', '--silent', 'db:import'], { env }).catch((err: { code: number, stderr: string }) => err)
  t.equal((missing as { code: number }).code, 2)
  t.match((missing as { stderr: string }).stderr, /needs --data-dir/)
  const noUrl = await run('npm', ['run', '--silent', 'db:migrate'], { env: { ...process.env, DATABASE_URL: '' } }).catch((err: { code: number, stderr: string }) => err)
  t.match((noUrl as { stderr: string }).stderr, /DATABASE_URL is not set/)
})
