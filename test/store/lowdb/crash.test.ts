// Kill -9 a process in the middle of a stream of writes, again and again on the same directory:
// every file must still parse, and every write it acknowledged must be there. Start-up removes the
// temp files such a kill leaves.
import t from 'tap'
import { spawn } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from './fixtures/temp-dir.js'
import { accountSettings, registerAccount } from '../../../src/accounts/accounts.js'
import { LowdbRepository } from '../../../src/store/lowdb/lowdb-repository.js'

const writerScript = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url))
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url))
const ROUNDS = 6

/** Runs the writer until it has acknowledged some writes, then SIGKILLs it at a random moment.
 *  Resolves with the highest acknowledged counter per key. */
async function runAndKill (dataDir: string): Promise<Map<string, number>> {
  const child = spawn(process.execPath, ['--import', './scripts/ts-register.mjs', writerScript, dataDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const acked = new Map<string, number>()
  let buffered = ''
  let killTimer: NodeJS.Timeout | undefined
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n')
    buffered = lines.pop() ?? '' // a line cut off by the kill is not an acknowledgement
    for (const line of lines) {
      const [word, key, n] = line.split(' ')
      if (word !== 'ack') continue
      acked.set(key, Math.max(acked.get(key) ?? 0, Number(n)))
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 300)
    }
  })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => {
    child.on('exit', (code, signal) => resolve([code, signal]))
  })
  clearTimeout(killTimer)
  if (signal !== 'SIGKILL') throw new Error(`writer exited on its own (code ${code}, signal ${signal})`)
  return acked
}

async function jsonFiles (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter(e => e.isFile() && e.name.endsWith('.json')).map(e => join(e.parentPath, e.name))
}

t.test(`acknowledged writes survive SIGKILL (${ROUNDS} rounds)`, async t => {
  const dataDir = await tempDir(t)
  const lastAck = new Map<string, number>()
  for (let round = 1; round <= ROUNDS; round++) {
    const acked = await runAndKill(dataDir)
    t.ok(acked.size > 0, `round ${round}: writes were acknowledged before the kill`)
    for (const [key, n] of acked) lastAck.set(key, Math.max(lastAck.get(key) ?? 0, n))

    const stored = new Map<string, number>()
    for (const file of await jsonFiles(dataDir)) {
      const text = await readFile(file, 'utf8')
      let doc: { counter: number }
      try {
        doc = JSON.parse(text)
      } catch {
        t.fail(`round ${round}: ${file} does not parse: ${JSON.stringify(text.slice(0, 80))}`)
        continue
      }
      stored.set(file.slice(file.lastIndexOf('/') + 1, -'.json'.length), doc.counter)
    }
    for (const [key, n] of lastAck) {
      t.ok((stored.get(key) ?? -1) >= n, `round ${round}: ${key} stored ${stored.get(key)} ≥ last ack ${n}`)
    }
  }
})

t.test('start-up removes the temp files of interrupted writes, and nothing else', async t => {
  const dataDir = await tempDir(t)
  const repo = await LowdbRepository.open({ dataDir })
  await registerAccount(repo, { username: 'kept', password: 'correct horse' }, accountSettings(1024))
  await repo.close()
  const userFile = (await readdir(join(dataDir, 'users'), { recursive: true })).find(f => f.endsWith('.json'))!
  const claim = (await readdir(join(dataDir, 'usernames'), { recursive: true })).find(f => f.endsWith('.json'))!
  // What kill -9 leaves: an empty temp beside a user file, a half-made claim.
  await writeFile(join(dataDir, 'users', `${userFile}.tmp`), '')
  await writeFile(join(dataDir, 'usernames', `${claim}.create.tmp`), '')

  const reopened = await LowdbRepository.open({ dataDir })
  t.teardown(() => reopened.close())
  const left = [...await readdir(join(dataDir, 'users'), { recursive: true }), ...await readdir(join(dataDir, 'usernames'), { recursive: true })]
  t.same(left.filter(f => f.endsWith('.tmp')), [], 'no temp file left')
  t.equal(reopened.status().temp_files_removed_at_start, 2)
  t.ok(await reopened.findAccountByUsername('kept'), 'the real files are intact')
})
