// Talk to the coach from a terminal:
//   npm run agent -- --user alice "How am I doing?"                       (in-process, local DATA_DIR)
//   npm run agent -- --url http://127.0.0.1:3001 --user alice "plan my week"   (a running server)
// In-process, local file access is the trust boundary: the user is created on first use and no
// password is asked. Against a server, the password comes from RA_PASSWORD or a prompt.
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { accountSettings, registerAccount } from './accounts/accounts.js'
import type { AgentEvent } from './agent/agent-loop.js'
import type { AgentReply } from './agent/agent-service.js'
import { createCoach } from './agent/create-coach.js'
import { ConfigError, loadConfig, readEnvironment } from './config.js'
import { DomainError } from './shared/domain-errors.js'
import { DataDirLockedError } from './store/lowdb/data-dir-lock.js'
import { LowdbRepository } from './store/lowdb/lowdb-repository.js'
import { USERNAME_PATTERN } from './accounts/account-schemas.js'

const USAGE = `Usage: npm run agent -- [--user NAME] [--url URL] [--json] "your message"

  --user NAME   who you are (default: $RA_USER, else your login name)
  --url URL     talk to a running server instead of the local data directory;
                the password comes from RA_PASSWORD or a prompt
  --json        print the whole reply object instead of the answer
`

interface Options { user: string, url?: string, json: boolean, message: string }

/** A failure to report in one line (after cleaning up), not a crash. */
class CliError extends Error {}

function parse (argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { user: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true
  })
  if (values.help) { process.stdout.write(USAGE); process.exit(0) }
  const message = positionals.join(' ').trim()
  if (!message) fail('Say something to the coach, e.g. npm run agent -- "How am I doing?"\n\n' + USAGE)
  const user = (values.user ?? process.env.RA_USER ?? process.env.USER ?? '').toLowerCase()
  if (!USERNAME_PATTERN.test(user)) fail(`--user must be 3–32 characters of a-z 0-9 _ . - (got "${user}")`)
  return { user, url: values.url, json: values.json ?? false, message }
}

function fail (message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n')
  process.exit(1)
}

/** Progress goes to stderr so stdout holds only the answer (or the JSON). */
function progress (event: AgentEvent): void {
  if (event.type === 'tool_call') process.stderr.write(`… ${event.name}\n`)
  else if (event.type === 'tool_result') process.stderr.write(`  ${event.ok ? '✓' : '✗'} ${event.summary}\n`)
}

async function inProcess (options: Options): Promise<AgentReply> {
  const config = loadConfig(readEnvironment())
  let repo: LowdbRepository
  try {
    repo = await LowdbRepository.open({ dataDir: config.DATA_DIR, maxOpen: 10, command: 'resolution-autopilot cli' })
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      fail(`${err.message}\nA server is using it: talk to the server instead, e.g.\n  npm run agent -- --url http://127.0.0.1:${config.PORT} --user ${options.user} "${options.message}"`)
    }
    throw err
  }
  try {
    let account = await repo.findAccountByUsername(options.user)
    if (!account) {
      // Local use: whoever can read DATA_DIR owns its data; the password is random and unused here.
      account = await registerAccount(repo, { username: options.user, password: randomBytes(24).toString('hex') },
        accountSettings(config.PASSWORD_HASH_MEMORY_KIB))
      process.stderr.write(`(created local user ${options.user})\n`)
    }
    const { service } = createCoach(config, repo)
    return await service.run(account.id, options.message, { onEvent: progress })
  } finally {
    await repo.close()
  }
}

async function password (): Promise<string> {
  if (process.env.RA_PASSWORD) return process.env.RA_PASSWORD
  if (!process.stdin.isTTY) fail('Set RA_PASSWORD (no terminal to ask for the password).')
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  // Hide what is typed: echo nothing after the prompt.
  const output = rl as unknown as { _writeToOutput: (s: string) => void }
  const answer = rl.question('Password: ')
  output._writeToOutput = () => {}
  const value = await answer
  rl.close()
  process.stderr.write('\n')
  return value
}

async function overHttp (options: Options): Promise<AgentReply> {
  const base = options.url!.replace(/\/$/, '')
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: options.user, password: await password() })
  }).catch(err => fail(`Cannot reach ${base}: ${err.message}`))
  const session = await login.json() as { sessionId?: string, message?: string }
  if (!login.ok) fail(`Login failed: ${session.message ?? login.status}`)
  const res = await fetch(`${base}/api/agent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-session-id': session.sessionId! },
    body: JSON.stringify({ message: options.message })
  })
  // This run's session is not needed afterwards: end it, so repeated runs leave none behind.
  const logout = () => fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { 'x-session-id': session.sessionId! } }).catch(() => {})
  if (!res.ok) {
    await logout()
    fail(`The coach refused: ${((await res.json()) as { message?: string }).message ?? res.status}`)
  }
  try {
    return await readReply(res)
  } finally {
    await logout()
  }
}

async function readReply (res: Response): Promise<AgentReply> {
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
      if (event === 'tool_call' || event === 'tool_result') progress({ type: event, ...payload })
    }
  }
  throw new CliError('The server closed the stream without an answer.')
}

async function main (): Promise<void> {
  const options = parse(process.argv.slice(2))
  try {
    const reply = options.url ? await overHttp(options) : await inProcess(options)
    process.stdout.write(options.json ? JSON.stringify(reply, null, 2) + '\n' : reply.response + '\n')
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DomainError || err instanceof CliError) fail(err.message)
    throw err
  }
}

await main()
