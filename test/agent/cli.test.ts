// The CLI, run in-process through runCli (no process to spawn: most of what it does needs none).
// What only a process or a terminal can show — the real command's stdout, the rebuild, the hidden
// password prompt — is in cli-terminal.test.ts.
import { once } from 'node:events'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { runCli } from '../../src/cli.js'
import { sessionFilePath } from '../../src/cli/session-file.js'
import { http, serverEnv, spawnServer } from '../helpers/child-server.js'
import { build, PASSWORD, tempDir } from '../helpers/build-app.js'

interface Run { code: number, stdout: string, stderr: string }

function collector (): { stream: Writable, text: () => string } {
  let text = ''
  return { stream: new Writable({ write (chunk, _enc, done) { text += chunk; done() } }), text: () => text }
}

/** Runs the CLI in this process with `env` as its whole environment and no terminal on stdin. */
async function cli (args: string[], env: Record<string, string>): Promise<Run> {
  const stdout = collector()
  const stderr = collector()
  const stdin = new PassThrough()
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, stdin, env })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

/** The CLI's environment: a data directory, a config home of its own, the offline coach. */
async function cliEnv (t: Test, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return serverEnv(await tempDir(t), { XDG_CONFIG_HOME: await tempDir(t, 'ra-config-'), LLM_PROVIDER: 'offline', ...extra })
}

/** A server in this process, listening on a random port, with `username` registered. */
async function server (t: Test, username: string, env: Record<string, string> = {}): Promise<{ app: FastifyInstance, url: string }> {
  const app = await build(t, { env })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  await http(url, 'POST', '/api/auth/register', { username, password: PASSWORD })
  return { app, url }
}

async function storedSessions (env: Record<string, string>) {
  return JSON.parse(await readFile(sessionFilePath(env), 'utf8')).sessions as Record<string, Record<string, { session_id: string }>>
}

/** A port nothing listens on (it did a moment ago). */
async function closedPort (): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  probe.close()
  await once(probe, 'close')
  return port
}

async function sessionIsLive (url: string, sessionId: string): Promise<boolean> {
  return (await http(url, 'GET', '/api/auth/session', undefined, sessionId)).status === 200
}

t.test('in-process: the user is created on first use, progress on stderr, the answer on stdout', async t => {
  const env = await cliEnv(t)
  const first = await cli(['--user', 'carol', 'did 45 min of swimming'], env)
  t.equal(first.code, 0, first.stderr)
  t.match(first.stderr, /created local user carol/)
  t.match(first.stderr, /… logWorkout/)
  t.match(first.stdout, /45 min of swimming/)
  t.notMatch(first.stdout, /logWorkout|created/, 'nothing but the answer on stdout')
  const second = await cli(['--user', 'carol', '--json', 'how am I doing?'], env)
  t.equal(second.code, 0, second.stderr)
  const reply = JSON.parse(second.stdout)
  t.match(reply, { success: true, trace_id: /^t_/ })
  t.match(reply.toolCalls, [{ name: 'getWorkoutHistory', ok: true }])
  t.match(reply.response, /1 workout/, 'the answer cites the workout logged before')
})

t.test('usage mistakes: one message on stderr, exit code 1', async t => {
  const env = await cliEnv(t)
  for (const [args, expected] of [
    [['--user', 'carol'], /Say something to the coach/],
    [['--user', 'carol', '--logout'], /--logout ends a session with a server: give its --url/],
    [['--user', 'carol', '--url', 'http://127.0.0.1:1', '--logout', 'hi'], /--logout takes no message/],
    [['--user', 'carol', '--url', 'ftp://example.com', 'hi'], /--url must be an http/],
    [['--user', 'carol', '--url', 'localhost 3001', 'hi'], /--url must be the server's address/],
    [['--user', 'carol', '--frobnicate', 'hi'], /Unknown option '--frobnicate'[\s\S]*Usage:/],
    [['--user', 'X', 'hi'], /--user must be 3–32 characters/]
  ] as const) {
    const run = await cli([...args], env)
    t.equal(run.code, 1, args.join(' '))
    t.match(run.stderr, expected)
    t.equal(run.stdout, '')
  }
  const help = await cli(['--help'], env)
  t.equal(help.code, 0)
  t.match(help.stdout, /--logout/)
})

t.test('--url: one login, kept between runs, so many messages stay within the auth rate limit', async t => {
  // 3 logins/registrations per IP: the registration and the CLI's one login fit; a login per
  // message (the old behaviour) is refused from the third message on.
  const { url } = await server(t, 'dave', { RATE_LIMIT_AUTH_MAX: '3' })
  const home = await tempDir(t, 'ra-home-')
  // No XDG_CONFIG_HOME: the session file goes to ~/.config. The directory exists already, too open.
  const env = serverEnv(await tempDir(t), { HOME: home, LLM_PROVIDER: 'offline' })
  await mkdir(join(home, '.config', 'resolution-autopilot'), { recursive: true, mode: 0o755 })

  const first = await cli(['--url', url, '--user', 'dave', 'did 20 minutes of yoga'], { ...env, RA_PASSWORD: PASSWORD })
  t.equal(first.code, 0, first.stderr)
  t.match(first.stderr, /… logWorkout/)
  t.match(first.stdout, /20 min of yoga/)

  const file = join(home, '.config', 'resolution-autopilot', 'sessions.json')
  t.equal((await stat(file)).mode & 0o777, 0o600, 'only the user can read the session file')
  t.equal((await stat(join(home, '.config', 'resolution-autopilot'))).mode & 0o777, 0o700, 'nor list its directory')
  const sessions = await storedSessions(env)
  t.same(Object.keys(sessions), [url], 'keyed by server URL')
  t.same(Object.keys(sessions[url]), ['dave'], 'then by username')
  const kept = sessions[url].dave.session_id
  t.ok(await sessionIsLive(url, kept), 'the kept session is not logged out after the message')

  // No RA_PASSWORD and no terminal: any run that needed to log in would fail.
  for (let i = 0; i < 5; i++) {
    const next = await cli(['--url', url + '/', '--user', 'dave', 'how am I doing?'], env)
    t.equal(next.code, 0, `message ${i + 2} reuses the session: ${next.stderr}`)
    t.match(next.stdout, /1 workout/)
  }
  t.equal((await storedSessions(env))[url].dave.session_id, kept, 'still the one session (…:port and …:port/ are one server)')
})

t.test('--url: a session the server ended is replaced by one new login; without a password it is forgotten', async t => {
  const { url } = await server(t, 'erin')
  const env = await cliEnv(t)
  t.equal((await cli(['--url', url, '--user', 'erin', 'hi'], { ...env, RA_PASSWORD: PASSWORD })).code, 0)
  const old = (await storedSessions(env))[url].erin.session_id
  t.equal((await http(url, 'POST', '/api/auth/logout', undefined, old)).status, 204, 'ended elsewhere')

  const again = await cli(['--url', url, '--user', 'erin', 'how am I doing?'], { ...env, RA_PASSWORD: PASSWORD })
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, /workout/)
  const renewed = (await storedSessions(env))[url].erin.session_id
  t.not(renewed, old, 'the new session replaces the ended one')
  t.ok(await sessionIsLive(url, renewed))

  await http(url, 'POST', '/api/auth/logout', undefined, renewed)
  const noPassword = await cli(['--url', url, '--user', 'erin', 'hi'], env)
  t.equal(noPassword.code, 1)
  t.match(noPassword.stderr, /Set RA_PASSWORD \(no terminal to ask for the password\)/)
  t.same(await storedSessions(env), {}, 'the ended session is not kept')

  const wrong = await cli(['--url', url, '--user', 'erin', 'hi'], { ...env, RA_PASSWORD: 'not the password' })
  t.equal(wrong.code, 1)
  t.match(wrong.stderr, /Login failed: Wrong username or password/)
  t.same(await storedSessions(env), {}, 'a failed login keeps nothing')

  const nobody = await closedPort()
  const unreachable = await cli(['--url', `http://127.0.0.1:${nobody}`, '--user', 'erin', 'hi'], { ...env, RA_PASSWORD: PASSWORD })
  t.equal(unreachable.code, 1)
  t.match(unreachable.stderr, `Cannot reach http://127.0.0.1:${nobody}: connect ECONNREFUSED`)
})

t.test('--logout ends the kept session on the server and forgets it; other users keep theirs', async t => {
  const { url } = await server(t, 'frank')
  await http(url, 'POST', '/api/auth/register', { username: 'grace', password: PASSWORD })
  const env = await cliEnv(t, { RA_PASSWORD: PASSWORD })
  t.equal((await cli(['--url', url, '--user', 'frank', 'hi'], env)).code, 0)
  t.equal((await cli(['--url', url, '--user', 'grace', 'hi'], env)).code, 0)
  const before = await storedSessions(env)
  const frank = before[url].frank.session_id
  const grace = before[url].grace.session_id
  t.not(frank, grace)

  const out = await cli(['--url', url, '--user', 'frank', '--logout'], env)
  t.equal(out.code, 0, out.stderr)
  t.match(out.stderr, `Logged out frank at ${url}`)
  t.equal(out.stdout, '')
  t.notOk(await sessionIsLive(url, frank), 'ended on the server')
  t.same(Object.keys((await storedSessions(env))[url]), ['grace'], 'and forgotten here')
  t.ok(await sessionIsLive(url, grace), "grace's session is untouched")

  const twice = await cli(['--url', url, '--user', 'frank', '--logout'], env)
  t.equal(twice.code, 0)
  t.match(twice.stderr, `No kept session for frank at ${url}`)
})

t.test('the session file: $XDG_CONFIG_HOME if absolute, else ~/.config', async t => {
  t.equal(sessionFilePath({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/u' }), '/x/conf/resolution-autopilot/sessions.json')
  t.equal(sessionFilePath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/u' }), '/home/u/.config/resolution-autopilot/sessions.json', 'a relative one is ignored (XDG spec)')
  t.equal(sessionFilePath({ HOME: '/home/u' }), '/home/u/.config/resolution-autopilot/sessions.json')
})

t.test('a data directory held by a server: the hint names the URL it really listens on, and RA_PASSWORD', async t => {
  const dataDir = await tempDir(t)
  const srv = await spawnServer(dataDir) // PORT=0: a random port, not the configured one
  t.teardown(() => srv.proc.kill('SIGKILL'))
  // The URL is recorded right after listening; this line is logged after that.
  while (!srv.output.some(line => line.includes('Resolution Autopilot running on Node'))) await new Promise(resolve => setTimeout(resolve, 20))
  await http(srv.url, 'POST', '/api/auth/register', { username: 'heidi', password: PASSWORD })

  const env = serverEnv(dataDir, { PORT: '3001', XDG_CONFIG_HOME: await tempDir(t, 'ra-config-'), LLM_PROVIDER: 'offline' })
  const locked = await cli(['--user', 'heidi', "what's my plan?"], env)
  t.equal(locked.code, 1)
  t.match(locked.stderr, /in use by another running process/)
  t.match(locked.stderr, `npx resolution-autopilot --url ${srv.url} --user heidi 'what'\\''s my plan?'`, 'a command that works when pasted')
  t.match(locked.stderr, /RA_PASSWORD/)
  t.notMatch(locked.stderr, ':3001', 'not the configured port')

  // The suggested command works.
  const url = /--url (\S+)/.exec(locked.stderr)![1]
  const remote = await cli(['--url', url, '--user', 'heidi', 'did 20 minutes of yoga'], { ...env, RA_PASSWORD: PASSWORD })
  t.equal(remote.code, 0, remote.stderr)
  t.match(remote.stdout, /20 min of yoga/)
})
