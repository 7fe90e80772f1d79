import { spawn } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { builtEntry, http, ROOT, serverEnv, spawnServer } from '../helpers/child-server.js'
import { PASSWORD, tempDir } from '../helpers/build-app.js'

async function cli (args: string[], env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const proc = spawn(process.execPath, ['--enable-source-maps', builtEntry('src/cli.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', d => { stdout += d })
  proc.stderr.on('data', d => { stderr += d })
  const [code] = await once(proc, 'exit')
  return { code, stdout, stderr }
}

t.test('in-process: the user is created on first use, progress on stderr, the answer on stdout', async t => {
  const dataDir = await tempDir(t)
  const env = serverEnv(dataDir)
  const first = await cli(['--user', 'carol', 'did 45 min of swimming'], env)
  t.equal(first.code, 0, first.stderr)
  t.match(first.stderr, /created local user carol/)
  t.match(first.stderr, /… logWorkout/)
  t.match(first.stdout, /45 min of swimming/)
  const second = await cli(['--user', 'carol', '--json', 'how am I doing?'], env)
  t.equal(second.code, 0, second.stderr)
  const reply = JSON.parse(second.stdout)
  t.match(reply, { success: true, trace_id: /^t_/ })
  t.match(reply.toolCalls, [{ name: 'getWorkoutHistory', ok: true }])
  t.match(reply.response, /1 workout/, 'the answer cites the workout logged before')
  const missing = await cli(['--user', 'carol'], env)
  t.equal(missing.code, 1)
  t.match(missing.stderr, /Say something to the coach/)
})

t.test('a data directory held by a server: says so and suggests --url; --url talks to that server', async t => {
  const dataDir = await tempDir(t)
  const server = await spawnServer(dataDir)
  t.teardown(() => server.proc.kill('SIGKILL'))
  await http(server.url, 'POST', '/api/auth/register', { username: 'dave', password: PASSWORD })
  const env = serverEnv(dataDir)
  const locked = await cli(['--user', 'dave', 'hi'], env)
  t.equal(locked.code, 1)
  t.match(locked.stderr, /in use by another running process/)
  t.match(locked.stderr, /--url http:\/\/127\.0\.0\.1:/)

  const remote = await cli(['--url', server.url, '--user', 'dave', 'did 20 minutes of yoga'], { ...env, RA_PASSWORD: PASSWORD })
  t.equal(remote.code, 0, remote.stderr)
  t.match(remote.stderr, /… logWorkout/)
  t.match(remote.stdout, /20 min of yoga/)
  const wrong = await cli(['--url', server.url, '--user', 'dave', 'hi'], { ...env, RA_PASSWORD: 'not the password' })
  t.equal(wrong.code, 1)
  t.match(wrong.stderr, /Login failed: Wrong username or password/)
})
