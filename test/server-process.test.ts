import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { http, runToExit, spawnServer } from './helpers/child-server.js'
import { PASSWORD, tempDir } from './helpers/build-app.js'

t.test('data survives a clean restart', async t => {
  const dataDir = await tempDir(t)
  const first = await spawnServer(dataDir)
  const reg = await http(first.url, 'POST', '/api/auth/register', { username: 'alice', password: PASSWORD })
  t.equal(reg.status, 201)
  const logged = await http(first.url, 'POST', '/api/workout/log', { exercise_type: 'run', duration_minutes: 25 }, reg.body.sessionId)
  t.equal(logged.status, 201)
  first.proc.kill('SIGTERM')
  t.same(await first.exit, { code: 0, signal: null }, 'SIGTERM exits 0')

  const second = await spawnServer(dataDir)
  t.teardown(() => second.proc.kill('SIGKILL'))
  const session = await http(second.url, 'GET', '/api/auth/session', undefined, reg.body.sessionId)
  t.equal(session.status, 401, 'in-memory sessions do not survive a restart (Redis sessions will)')
  const login = await http(second.url, 'POST', '/api/auth/login', { username: 'alice', password: PASSWORD })
  t.equal(login.status, 200)
  const history = await http(second.url, 'GET', '/api/workout/history', undefined, login.body.sessionId)
  t.equal(history.body.workouts.length, 1)
  t.equal(history.body.workouts[0].workout_id, logged.body.workout.workout_id)
})

t.test('a second process on the same DATA_DIR is refused and the first keeps serving', async t => {
  const dataDir = await tempDir(t)
  const first = await spawnServer(dataDir)
  t.teardown(() => first.proc.kill('SIGKILL'))
  const second = await runToExit(dataDir)
  t.equal(second.code, 1)
  const lines = second.output.trim().split('\n')
  t.equal(lines.length, 1, 'one clear line, no stack trace')
  t.match(lines[0], new RegExp(`Data directory "${dataDir}" is in use by another running process \\(pid ${first.proc.pid}`))
  const health = await http(first.url, 'GET', '/health')
  t.equal(health.status, 200, 'the first still serves')
  const reg = await http(first.url, 'POST', '/api/auth/register', { username: 'bob', password: PASSWORD })
  t.equal(reg.status, 201, 'and still writes')
})

t.test('kill -9 then an immediate restart: not refused, acknowledged writes present', async t => {
  const dataDir = await tempDir(t)
  const first = await spawnServer(dataDir)
  const reg = await http(first.url, 'POST', '/api/auth/register', { username: 'carol', password: PASSWORD })
  const acked: string[] = []
  for (let i = 0; i < 20; i++) {
    const res = await http(first.url, 'POST', '/api/workout/log', { exercise_type: 'row', duration_minutes: 10 + i }, reg.body.sessionId)
    if (res.status === 201) acked.push(res.body.workout.workout_id)
  }
  first.proc.kill('SIGKILL')
  await first.exit
  const lock = JSON.parse(await readFile(join(dataDir, '.lock'), 'utf8'))
  t.equal(lock.pid, first.proc.pid, 'the dead owner left its lock behind')

  const started = Date.now()
  const second = await spawnServer(dataDir)
  t.teardown(() => second.proc.kill('SIGKILL'))
  t.comment(`restart after kill -9 listening in ${Date.now() - started} ms`)
  const login = await http(second.url, 'POST', '/api/auth/login', { username: 'carol', password: PASSWORD })
  const history = await http(second.url, 'GET', '/api/workout/history', undefined, login.body.sessionId)
  t.same(history.body.workouts.map((w: { workout_id: string }) => w.workout_id).sort(), acked.sort(), 'every acknowledged workout is there')
})

t.test('bad configuration stops start-up with one line naming the variable', async t => {
  const dataDir = await tempDir(t)
  for (const [env, message] of [
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer \(got "abc"\)$/],
    [{ SESSION_SECRET: 'too-short' }, /^Invalid configuration: SESSION_SECRET must be at least 32 characters$/],
    [{ NODE_ENV: 'production', SESSION_SECRET: '' }, /^Invalid configuration: SESSION_SECRET is required when NODE_ENV=production/]
  ] as const) {
    const { code, output } = await runToExit(dataDir, env)
    t.equal(code, 1, JSON.stringify(env))
    t.match(output.trim(), message)
    t.equal(output.trim().split('\n').length, 1, 'a single line')
  }
})
