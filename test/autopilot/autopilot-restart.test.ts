// The autopilot survives kill -9: a checkpoint that fell due while the service was dead runs once
// after the restart (it is still useful: the session has not begun), and sends one nudge.
import t from 'tap'
import { http, spawnServer } from '../helpers/child-server.js'
import { PASSWORD, tempDir } from '../helpers/build-app.js'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'

t.test('kill -9 before a checkpoint, restart after it: it runs exactly once', async t => {
  const dataDir = await tempDir(t)
  const env = { AUTOPILOT_TICK_MS: '100' }
  const first = await spawnServer(dataDir, env)
  const reg = await http(first.url, 'POST', '/api/auth/register', { username: 'phoenix', password: PASSWORD, timezone: 'UTC' })
  t.equal(reg.status, 201)
  const sid = reg.body.sessionId
  // Every day, a window that opens about an hour from now; check in 61 minutes before it.
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16)
  const opens = Math.ceil((Date.now() + 62 * 60_000) / 60_000) * 60_000
  const plan = await http(first.url, 'PUT', '/api/me/plan', { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], sessions_per_week: 7, window_start: hhmm(opens), window_end: hhmm(opens + 3_600_000) }, sid)
  t.equal(plan.status, 200)
  // min_risk high and a brand-new account: the autopilot decides (and records) without acting,
  // or acts; either way exactly one run — what matters here is "once".
  t.equal((await http(first.url, 'PUT', '/api/me/autopilot', { lead_minutes: 61 }, sid)).status, 200)
  const dueAt = opens - 61 * 60_000
  first.proc.kill('SIGKILL')
  await first.exit

  // The checkpoint was queued durably before the kill. Time passes while the service is dead: move
  // its due time into the past (the session, an hour away, still lies ahead) instead of waiting.
  const repo = await LowdbRepository.open({ dataDir })
  const queued = await repo.getQueuedCheckpoint(reg.body.user.id)
  t.match(queued, { kind: 'before_session', due_at: new Date(dueAt).toISOString() })
  await repo.scheduleCheckpoint(reg.body.user.id, { ...queued!, due_at: new Date(Date.now() - 1000).toISOString() })
  await repo.close()
  const second = await spawnServer(dataDir, env)
  t.teardown(() => second.proc.kill('SIGKILL'))
  const login = await http(second.url, 'POST', '/api/auth/login', { username: 'phoenix', password: PASSWORD })
  let runs: Array<Record<string, unknown>> = []
  for (let i = 0; i < 50 && runs.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 100))
    runs = (await http(second.url, 'GET', '/api/autopilot/runs', undefined, login.body.sessionId)).body.runs
  }
  await new Promise(resolve => setTimeout(resolve, 500))
  runs = (await http(second.url, 'GET', '/api/autopilot/runs', undefined, login.body.sessionId)).body.runs
  t.equal(runs.length, 1, 'the checkpoint ran once after the restart')
  t.match(runs[0], { checkpoint: 'before_session', checkpoint_id: queued!.checkpoint_id })
  t.not(runs[0].skipped, 'late', 'still useful: the session had not begun')
  const nudges = (await http(second.url, 'GET', '/api/nudges', undefined, login.body.sessionId)).body.nudges
  t.equal(nudges.length, runs[0].decision === 'acted' ? 1 : 0, 'one nudge if it acted, none if not')
})
