// Talk to the coach from a terminal (from the project directory; see bin/resolution-autopilot.mjs):
//   npx resolution-autopilot --user alice "How am I doing?"                        (in-process, local DATA_DIR)
//   npx resolution-autopilot --url http://127.0.0.1:3001 --user alice "plan my week"   (a running server)
//   npx resolution-autopilot --url http://127.0.0.1:3001 --user alice --logout
// In-process, local file access is the trust boundary: the user is created on first use and no
// password is asked. Against a server, the CLI logs in once (password from RA_PASSWORD or a
// prompt) and keeps the session between runs (cli-sessions.ts); a 401 means it ended: log in again.
// Everything but the answer (or the JSON) goes to stderr, so stdout can be piped (| jq).
import { randomBytes } from 'node:crypto'
import { readFileSync, realpathSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { AgentEvent } from './agent/agent-loop.js'
import type { AgentReply } from './agent/agent-service.js'
import { canPrompt, PromptAborted, readHidden, type TerminalInput } from './cli/password-prompt.js'
import { serverKey, SessionFile, sessionFilePath } from './cli/session-file.js'
import { DomainError } from './shared/domain-errors.js'
import { DataDirLockedError } from './store/lowdb/data-dir-lock.js'
import type { Repository } from './store/repository.js'
// The rest is imported where it is needed: the coach, the store and the schemas take most of a
// second to load, which --help, --version and --url (a server does that work) need not wait for.

const USAGE = `Usage: resolution-autopilot [--user NAME] [--url URL] [--json] "your message"
       resolution-autopilot --url URL [--user NAME] --logout
From the project directory: npx resolution-autopilot … (or npx ra …, or npm run agent -- …)

  --user NAME   who you are (default: $RA_USER, else your login name)
  --url URL     talk to a running server instead of the local data directory:
                logs in once (password from RA_PASSWORD, else asked) and keeps the
                session for the next runs in
                $XDG_CONFIG_HOME/resolution-autopilot/sessions.json
                (default ~/.config/resolution-autopilot/sessions.json)
  --logout      with --url: end the kept session on the server and forget it
  --json        print the whole reply object instead of the answer
  --version     print the version and the Node.js running it
`

/** What the CLI talks through: the process's streams and environment, or a test's. */
export interface CliIo {
  stdout: Writable
  stderr: Writable
  stdin: TerminalInput
  env: Record<string, string | undefined>
}

type Options =
  | { kind: 'ask', user: string, url?: URL, json: boolean, message: string }
  | { kind: 'logout', user: string, url: URL }

/** A failure to report in one line (after cleaning up), not a crash. */
class CliError extends Error {}

/** Runs the CLI for `argv` (the arguments after the command); resolves to the exit code. */
export async function runCli (argv: string[], io: CliIo): Promise<number> {
  try {
    const options = await parse(argv, io)
    if (options === 'done') return 0
    if (options.kind === 'logout') {
      await logout(options, io)
      return 0
    }
    const reply = options.url ? await overHttp({ ...options, url: options.url }, io) : await inProcess(options, io)
    io.stdout.write(options.json ? JSON.stringify(reply, null, 2) + '\n' : reply.response + '\n')
    return 0
  } catch (err) {
    if (err instanceof PromptAborted) {
      // Ctrl-C: the prompt already moved to a new line; like a shell, say nothing more.
      if (err.exitCode !== 130) io.stderr.write(err.message + '\n')
      return err.exitCode
    }
    if (err instanceof DomainError || err instanceof CliError) {
      io.stderr.write(err.message.endsWith('\n') ? err.message : err.message + '\n')
      return 1
    }
    throw err
  }
}

async function parse (argv: string[], io: CliIo): Promise<Options | 'done'> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        user: { type: 'string' },
        url: { type: 'string' },
        json: { type: 'boolean', default: false },
        logout: { type: 'boolean', default: false },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      allowPositionals: true
    })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout.write(USAGE)
    return 'done'
  }
  if (values.version) {
    io.stdout.write(`resolution-autopilot ${packageVersion()} (Node.js ${process.version})\n`)
    return 'done'
  }
  const user = (values.user ?? io.env.RA_USER ?? io.env.USER ?? '').toLowerCase()
  const { USERNAME_PATTERN } = await import('./accounts/account-schemas.js')
  if (!USERNAME_PATTERN.test(user)) throw new CliError(`--user must be 3–32 characters of a-z 0-9 _ . - (got "${user}")`)
  const url = values.url === undefined ? undefined : parseUrl(values.url)
  const message = positionals.join(' ').trim()
  if (values.logout) {
    if (!url) throw new CliError('--logout ends a session with a server: give its --url.')
    if (message) throw new CliError('--logout takes no message.')
    return { kind: 'logout', user, url }
  }
  if (!message) throw new CliError('Say something to the coach, e.g. npx resolution-autopilot "How am I doing?"\n\n' + USAGE)
  return { kind: 'ask', user, url, json: values.json ?? false, message }
}

function parseUrl (text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new CliError(`--url must be the server's address, e.g. http://127.0.0.1:3001 (got "${text}")`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--url must be an http:// or https:// address (got "${text}")`)
  return url
}

function packageVersion (): string {
  // src/cli.ts is one level below package.json, dist/src/cli.js two.
  for (const path of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version
    } catch { /* not at this level: try the next */ }
  }
  return 'unknown'
}

/** Progress goes to stderr so stdout holds only the answer (or the JSON). */
function progress (stderr: Writable): (event: AgentEvent) => void {
  return event => {
    if (event.type === 'tool_call') stderr.write(`… ${event.name}\n`)
    else if (event.type === 'tool_result') stderr.write(`  ${event.ok ? '✓' : '✗'} ${event.summary}\n`)
  }
}

async function inProcess (options: Extract<Options, { kind: 'ask' }>, io: CliIo): Promise<AgentReply> {
  const [{ ConfigError, loadConfig, readEnvironment }, { LowdbRepository }, { accountSettings, registerAccount }, { createCoach }, { createOutreach }, { SafeFetcher }] = await Promise.all([
    import('./config.js'), import('./store/lowdb/lowdb-repository.js'), import('./accounts/accounts.js'), import('./agent/create-coach.js'),
    import('./nudges/create-outreach.js'), import('./infra/outbound/safe-fetch.js')
  ])
  let config
  try {
    config = loadConfig(readEnvironment(io.env))
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message)
    throw err
  }
  let repo: Repository
  try {
    // With DATABASE_URL the CLI shares the database with any running servers (no lock to take).
    repo = config.DATABASE_URL
      ? await (await import('./store/postgres/pg-repository.js')).openPgRepository({ connectionString: config.DATABASE_URL, poolMax: 2, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS })
      : await LowdbRepository.open({ dataDir: config.DATA_DIR, maxOpen: 10, command: 'resolution-autopilot cli' })
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(lockedHint(err, options, config.PORT))
    throw err
  }
  try {
    let account = await repo.findAccountByUsername(options.user)
    if (!account) {
      // Local use: whoever can read DATA_DIR owns its data; the password is random and unused here.
      account = await registerAccount(repo, { username: options.user, password: randomBytes(24).toString('hex') },
        accountSettings(config.PASSWORD_HASH_MEMORY_KIB))
      io.stderr.write(`(created local user ${options.user})\n`)
    }
    // Nudges the coach sends here wait in the outbox of DATA_DIR; the server delivers them when it runs.
    const fetcher = new SafeFetcher({ allowPrivate: config.ALLOW_PRIVATE_WEBHOOKS, timeoutMs: config.NUDGE_WEBHOOK_TIMEOUT_MS, maxBytes: 64 * 1024 })
    const outreach = createOutreach(config, repo, fetcher)
    try {
      const { service } = createCoach(config, repo, undefined, outreach.outreach)
      return await service.run(account.id, options.message, { onEvent: progress(io.stderr) })
    } finally {
      await outreach.close()
      await fetcher.close()
    }
  } finally {
    await repo.close()
  }
}

/** The directory is taken: most likely by a server, whose address the lock records once it listens. */
function lockedHint (err: DataDirLockedError, options: Extract<Options, { kind: 'ask' }>, configuredPort: number): string {
  const command = (url: string) => `  npx resolution-autopilot --url ${url} --user ${options.user} ${shellQuote(options.message)}`
  const how = `It logs in once (password from RA_PASSWORD, else asked) and keeps the session.`
  if (err.url) return `${err.message}\nA server listens at ${err.url}: talk to it instead —\n${command(err.url)}\n${how}`
  return `${err.message}\nIf a server is using it, talk to the server instead, e.g. (with the port it listens on)\n` +
    `${command(`http://127.0.0.1:${configuredPort}`)}\n${how}`
}

/** `text` as one shell word, so a printed command works when pasted. */
function shellQuote (text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

interface Server { base: string, user: string, sessions: SessionFile }

function server (url: URL, user: string, io: CliIo): Server {
  return { base: serverKey(url), user, sessions: new SessionFile(sessionFilePath(io.env)) }
}

async function overHttp (options: Extract<Options, { kind: 'ask' }> & { url: URL }, io: CliIo): Promise<AgentReply> {
  const srv = server(options.url, options.user, io)
  let sessionId = await srv.sessions.get(srv.base, srv.user)
  const stored = sessionId !== null
  sessionId ??= await login(srv, io)
  let res = await ask(srv, sessionId, options.message)
  if (res.status === 401 && stored) {
    // The kept session expired or was ended (logout, server restart without Redis): forget it,
    // log in once more and keep the new one. A 401 with a fresh session is reported as it is.
    await res.body?.cancel()
    await srv.sessions.delete(srv.base, srv.user)
    sessionId = await login(srv, io)
    res = await ask(srv, sessionId, options.message)
  }
  if (!res.ok) throw new CliError(`The coach refused: ${await errorMessage(res)}`)
  return readReply(res, io.stderr)
}

/** Logs in, keeps the session for the next runs, and returns it. */
async function login (srv: Server, io: CliIo): Promise<string> {
  const password = await readPassword(srv, io)
  const res = await request(srv, '/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: srv.user, password })
  })
  if (!res.ok) throw new CliError(`Login failed: ${await errorMessage(res)}`)
  const { sessionId } = await res.json() as { sessionId: string }
  await srv.sessions.set(srv.base, srv.user, sessionId)
  return sessionId
}

async function readPassword (srv: Server, io: CliIo): Promise<string> {
  if (io.env.RA_PASSWORD) return io.env.RA_PASSWORD
  if (!canPrompt(io.stdin)) throw new CliError('Set RA_PASSWORD (no terminal to ask for the password).')
  return readHidden(io.stdin, io.stderr, `Password for ${srv.user} at ${srv.base}: `)
}

function ask (srv: Server, sessionId: string, message: string): Promise<Response> {
  return request(srv, '/api/agent', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-session-id': sessionId },
    body: JSON.stringify({ message })
  })
}

async function logout (options: Extract<Options, { kind: 'logout' }>, io: CliIo): Promise<void> {
  const srv = server(options.url, options.user, io)
  const sessionId = await srv.sessions.get(srv.base, srv.user)
  if (sessionId === null) {
    io.stderr.write(`No kept session for ${srv.user} at ${srv.base}.\n`)
    return
  }
  const res = await request(srv, '/api/auth/logout', { method: 'POST', headers: { 'x-session-id': sessionId } })
  // 401: the server had already ended it. Anything else keeps it, so --logout can be retried.
  if (!res.ok && res.status !== 401) throw new CliError(`Logout failed: ${await errorMessage(res)}`)
  await res.body?.cancel()
  await srv.sessions.delete(srv.base, srv.user)
  io.stderr.write(`Logged out ${srv.user} at ${srv.base}.\n`)
}

async function request (srv: Server, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(srv.base + path, init)
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause
    throw new CliError(`Cannot reach ${srv.base}: ${cause?.message ?? (err as Error).message}`)
  }
}

async function errorMessage (res: Response): Promise<string> {
  const text = await res.text()
  try {
    return (JSON.parse(text) as { message?: string }).message ?? String(res.status)
  } catch {
    return `${res.status} ${res.statusText}`
  }
}

async function readReply (res: Response, stderr: Writable): Promise<AgentReply> {
  const onEvent = progress(stderr)
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true })
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (!event || !data) continue
      const payload = JSON.parse(data)
      if (event === 'done') return payload as AgentReply
      if (event === 'error') throw new CliError(`The coach failed: ${payload.message}`)
      if (event === 'tool_call' || event === 'tool_result') onEvent({ type: event, ...payload })
    }
  }
  throw new CliError('The server closed the stream without an answer.')
}

/** The CLI on this process's streams: what the command (bin/resolution-autopilot.mjs) runs. */
export async function main (): Promise<void> {
  // A reader that stops early (| head) closes the pipe: the output is no longer wanted, not a crash.
  process.stdout.on('error', err => {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err
    process.exit()
  })
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })
}

/** True when this file is the process's entry (`npm run agent`, `node dist/src/cli.js`), not imported. */
function isEntry (): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntry()) await main()
