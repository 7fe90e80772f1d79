// What only a real process or terminal shows about the CLI: the command a user runs (npx, its
// stdout fit for a pipe, its Node), the rebuild that keeps it from running stale code, and the
// password prompt under a real pseudo-terminal. Everything else: cli.test.ts, in-process.
//
// The terminal is util-linux `script` (Debian's bsdutils, an Essential package, so on every
// Debian system): it runs a command on a new pseudo-terminal and relays our pipe to it as typed
// keys. Its stdin is not a terminal, so it leaves the terminal's echo on: whatever the program
// does not hide is shown, exactly as at a keyboard.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { cp, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import semver from 'semver'
import t, { type Test } from 'tap'
import { sessionFilePath } from '../../src/cli/session-file.js'
import { builtEntry, ROOT, serverEnv } from '../helpers/child-server.js'
import { build, tempDir } from '../helpers/build-app.js'

interface Exit { code: number | null, stdout: string, stderr: string }

async function run (command: string, args: string[], options: { cwd?: string, env: Record<string, string> }): Promise<Exit> {
  const proc = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', d => { stdout += d })
  proc.stderr.on('data', d => { stderr += d })
  const [code] = await once(proc, 'exit')
  return { code, stdout, stderr }
}

/** PATH as in a user's shell: without this project's node_modules/.bin, which npm test puts first. */
function shellPath (): string {
  return (process.env.PATH ?? '').split(':').filter(dir => !dir.startsWith(join(ROOT, 'node_modules'))).join(':')
}

t.test('npx resolution-autopilot: stdout holds only the answer (pipe it to jq), on the project\'s Node 24', async t => {
  // The command rebuilds a stale dist/; here it must not, under other test files using it.
  builtEntry('src/cli.ts')
  // No update check: it asks the registry, seconds of network this test does not need.
  const env = serverEnv(await tempDir(t), { PATH: shellPath(), LLM_PROVIDER: 'offline', npm_config_update_notifier: 'false' })
  const [reply, version] = await Promise.all([
    run('npx', ['resolution-autopilot', '--user', 'ivan', '--json', 'how am I doing?'], { env }),
    run('npx', ['ra', '--version'], { env })
  ])
  t.equal(reply.code, 0, reply.stderr)
  const parsed = JSON.parse(reply.stdout) // what jq would choke on: anything but the JSON
  t.match(parsed, { success: true, response: /0 workouts/ })
  t.match(reply.stderr, /created local user ivan/, 'the rest goes to stderr')

  t.equal(version.code, 0, version.stderr)
  const node = /Node\.js (v[\d.]+)/.exec(version.stdout)?.[1] ?? ''
  const { engines } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  t.ok(semver.satisfies(node, engines.node), `runs on ${node}, which the project's engines (${engines.node}) admit — whatever node the shell has`)
})

t.test('the command rebuilds dist/ when it is missing or older than the sources, and only then', async t => {
  // A copy of the project, so changing its sources cannot disturb other tests using dist/.
  const copy = await tempDir(t, 'ra-copy-')
  for (const dir of ['bin', 'src', 'plugins', 'routes', 'scripts']) await cp(join(ROOT, dir), join(copy, dir), { recursive: true })
  await cp(join(ROOT, 'package.json'), join(copy, 'package.json'))
  await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
  const env = serverEnv(await tempDir(t), { PATH: shellPath() })
  const bin = join(copy, 'bin', 'resolution-autopilot.mjs')
  const help = () => run(process.execPath, [bin, '--help'], { cwd: copy, env })
  const cliSource = join(copy, 'src', 'cli.ts')
  const builtCli = join(copy, 'dist', 'src', 'cli.js')
  const original = await readFile(cliSource, 'utf8')
  const usage = (text: string) => writeFile(cliSource, original.replace('Usage: resolution-autopilot', `Usage: ${text}`))

  await usage('first-edit')
  const first = await help()
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, 'Usage: first-edit', 'no dist/: built, then run')
  t.equal(first.stdout.split('\n')[0], 'Usage: first-edit [--user NAME] [--url URL] [--json] "your message"', 'the build says nothing on stdout')

  const builtAt = (await stat(builtCli)).mtimeMs
  t.equal((await help()).code, 0)
  t.equal((await stat(builtCli)).mtimeMs, builtAt, 'up to date: not rebuilt')

  await usage('second-edit')
  await mkdir(join(copy, 'src', 'probe'))
  await writeFile(join(copy, 'src', 'probe', 'added.ts'), 'export const added = 1\n')
  t.match((await help()).stdout, 'Usage: second-edit', 'a changed source: rebuilt')
  await stat(join(copy, 'dist', 'src', 'probe', 'added.js'))
  t.pass('an added source is built')

  await rm(join(copy, 'src', 'probe', 'added.ts'))
  t.equal((await help()).code, 0)
  await t.rejects(stat(join(copy, 'dist', 'src', 'probe', 'added.js')), { code: 'ENOENT' }, 'a deleted source: rebuilt, its module gone')
})

/** Runs `argv` on a new pseudo-terminal (or fails saying which package brings `script`). */
function script (argv: string[], options: { cwd?: string, env: Record<string, string> }) {
  if (spawnSync('script', ['--version']).error) throw new Error("util-linux's `script` is missing: on Debian, apt-get install bsdutils")
  const command = argv.map(arg => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ') // run by $SHELL -c
  // -q: no "Script started" banner; -e: exit with the command's exit code; /dev/null: no typescript file.
  return spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { ...options, env: { ...options.env, SHELL: '/bin/sh' }, stdio: ['pipe', 'pipe', 'pipe'] })
}

/** Runs `args` (the built CLI's) on a pseudo-terminal; `typeAfter(prompt, keys)` types once `prompt` shows. */
function onTerminal (t: Test, args: string[], env: Record<string, string>) {
  const proc = script([process.execPath, builtEntry('src/cli.ts'), ...args], { cwd: ROOT, env })
  t.teardown(() => { if (proc.exitCode === null) proc.kill('SIGKILL') })
  let screen = ''
  const shown: Array<() => void> = []
  const onOutput = (d: Buffer) => {
    screen += d
    for (const check of shown) check()
  }
  proc.stdout.on('data', onOutput)
  proc.stderr.on('data', onOutput)
  const exit = once(proc, 'exit').then(([code]) => code as number | null)
  return {
    screen: () => screen,
    exit,
    async typeAfter (prompt: string, keys: string) {
      await new Promise<void>((resolve, reject) => {
        const check = () => { if (screen.includes(prompt)) resolve() }
        shown.push(check)
        check()
        void exit.then(code => reject(new Error(`exited (${code}) before showing "${prompt}":\n${screen}`)))
      })
      proc.stdin.write(keys)
    }
  }
}

t.test('the terminal harness echoes what is typed unless the program turns echo off', async t => {
  // Without this, the prompt tests below could pass only because this harness never echoes.
  const probe = script([process.execPath, '-e', "process.stdout.write('ready> '); process.stdin.once('data', () => process.exit(0))"], { env: {} })
  t.teardown(() => { if (probe.exitCode === null) probe.kill('SIGKILL') })
  let screen = ''
  probe.stdout.on('data', d => {
    screen += d
    if (screen.endsWith('ready> ')) probe.stdin.write('visible-keys\r')
  })
  const [code] = await once(probe, 'exit')
  t.equal(code, 0)
  t.match(screen, 'ready> visible-keys', 'typed keys appear on the terminal')
})

t.test('the password prompt on a real terminal: nothing typed is shown; Backspace edits; the login works', async t => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const typed = 'Zq7-typed-Pw'
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'judy', password: typed } })).statusCode, 201)
  const env = serverEnv(await tempDir(t), { XDG_CONFIG_HOME: await tempDir(t, 'ra-config-'), LLM_PROVIDER: 'offline' })

  const term = onTerminal(t, ['--url', url, '--user', 'judy', 'did 20 minutes of yoga'], env)
  const prompt = `Password for judy at ${url}: `
  // A wrong last character, rubbed out with Backspace, then Enter (a terminal sends CR).
  await term.typeAfter(prompt, typed + 'X\x7f\r')
  t.equal(await term.exit, 0, term.screen())
  const screen = term.screen()
  t.match(screen, /20 min of yoga/, 'logged in with what was typed')
  t.equal(screen.slice(screen.indexOf(prompt) + prompt.length).split('\n')[0], '\r', 'after the prompt, only the line end: no character, no mask')
  t.notMatch(screen, 'Zq7', 'the password appears nowhere')
  t.ok(JSON.parse(await readFile(sessionFilePath(env), 'utf8')).sessions[url].judy, 'the session is kept')
})

t.test('Ctrl-C at the password prompt: exit code 130, a new line, nothing typed shown', async t => {
  const env = serverEnv(await tempDir(t), { XDG_CONFIG_HOME: await tempDir(t, 'ra-config-') })
  const term = onTerminal(t, ['--url', 'http://127.0.0.1:9', '--user', 'judy', 'hi'], env)
  const prompt = 'Password for judy at http://127.0.0.1:9: '
  await term.typeAfter(prompt, 'Zq7-half\x03')
  t.equal(await term.exit, 130)
  const screen = term.screen()
  t.equal(screen.slice(screen.indexOf(prompt) + prompt.length), '\r\n', 'just the new line')
})
