// A full disk under the running service (its DATA_DIR a small private tmpfs, filled up by a file
// beside it): writes answer 503 with retry-after and never 500, reads keep working, nothing stored
// before is damaged, /health says why, and once the space returns writes succeed again in the same
// process — no restart. And a DATA_DIR that is read-only at start: one clear line, exit 1.
import { open, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { PASSWORD } from '../helpers/build-app.js'
import { http, runToExit, spawnServer } from '../helpers/child-server.js'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { canMount, describe, pick, privateTmpfs, registerAccounts, sleep, startLoad, unexpectedOutcomes, type MixRequest } from './harness.js'

const mountable = await canMount()

/** Writes a file until the filesystem refuses: what is left afterwards is (next to) nothing. */
async function fillUp (path: string): Promise<number> {
  const handle = await open(path, 'w')
  const chunk = Buffer.alloc(64 * 1024, 1)
  let written = 0
  try {
    for (;;) {
      try {
        written += (await handle.write(chunk)).bytesWritten
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break
        throw err
      }
    }
    // the last partial page: smaller writes until nothing fits
    for (let size = 2048; size >= 1; size = Math.floor(size / 2)) {
      try { written += (await handle.write(Buffer.alloc(size, 1))).bytesWritten } catch { }
    }
  } finally {
    await handle.close()
  }
  return written
}

async function jsonFiles (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter(e => e.isFile() && e.name.endsWith('.json')).map(e => join(e.parentPath, e.name))
}

t.test('the disk fills up under load, then space returns', { skip: mountable ? false : 'needs root and tmpfs mounts' }, async t => {
  const fs = await privateTmpfs(t, '16m')
  const dataDir = join(fs.dir, 'data')
  const server = await spawnServer(dataDir)
  t.teardown(() => { server.proc.kill('SIGKILL') })
  const people = await registerAccounts(server.url, 'disk', 4)
  const acked = new Set<string>()
  for (let i = 0; i < 40; i++) {
    const res = await http(server.url, 'POST', '/api/workout/log', { exercise_type: 'row', duration_minutes: 10 + i }, people[i % 4].sessionId)
    t.equal(res.status, 201)
    acked.add(res.body.workout.workout_id)
  }

  const filler = join(fs.dir, 'filler')
  const filled = await fillUp(filler)
  t.comment(`filled the disk with ${(filled / 1024 / 1024).toFixed(1)} MiB`)

  // Writes (workouts, and new accounts) and reads, concurrently, while the disk is full.
  let registrations = 0
  const mix = (w: number, i: number): MixRequest & { sessionId?: string } => {
    const who = people[(w + i) % people.length]
    switch (i % 3) {
      case 0: return { name: 'log', method: 'POST', path: '/api/workout/log', body: { exercise_type: 'walk', duration_minutes: 5 }, expect: [201, 503], sessionId: who.sessionId, onOk: b => acked.add(b.workout.workout_id) }
      case 1: return { name: 'history', method: 'GET', path: '/api/workout/history', expect: [200], sessionId: who.sessionId }
      default: return w === 0 && i % 30 === 2
        ? { name: 'register', method: 'POST', path: '/api/auth/register', body: { username: `full${registrations++}`, password: PASSWORD }, expect: [503] }
        : { name: 'me', method: 'GET', path: '/api/me', expect: [200], sessionId: who.sessionId }
    }
  }
  const expectOf = (name: string) => name === 'log' ? [201, 503] : name === 'register' ? [503] : [200]
  const full = await startLoad({ urls: [server.url], connections: 8, durationMs: pick(2000, 10_000), next: mix, timeoutMs: 10_000 }).done
  t.comment(`while full: ${describe(full.outcomes)}`)
  t.same(unexpectedOutcomes(full.outcomes, expectOf).map(o => `${o.name} ${o.status}`), [], 'writes get 503, reads 200; no 500, no timeout')
  const refused = full.outcomes.filter(o => o.status === 503)
  t.ok(refused.filter(o => o.name === 'log').length > 0, `${refused.length} writes refused with 503`)
  t.ok(refused.every(o => Number(o.retryAfter) > 0), 'every 503 carries retry-after')
  const slowest = Math.max(...full.outcomes.map(o => o.ms))
  t.ok(slowest < 5000, `the slowest request took ${slowest.toFixed(0)} ms`)

  const health = await http(server.url, 'GET', '/health')
  t.equal(health.status, 503, '/health is 503 while the disk is full')
  t.match(health.body, { status: 'unhealthy', database: { writable: false, last_error: /ENOSPC|no space/i } }, '…and says why')

  // Space returns: the same process writes again.
  await unlink(filler)
  const freedAt = Date.now()
  let after: { status: number, body: any } | undefined
  while (Date.now() - freedAt < 10_000) {
    after = await http(server.url, 'POST', '/api/workout/log', { exercise_type: 'swim', duration_minutes: 30 }, people[0].sessionId)
    if (after.status === 201) break
    await sleep(100)
  }
  t.equal(after?.status, 201, `writes succeed again ${Date.now() - freedAt} ms after the space returned`)
  if (after?.status === 201) acked.add(after.body.workout.workout_id)
  const healthy = await http(server.url, 'GET', '/health')
  t.equal(healthy.status, 200, '/health is 200 again')
  t.equal(healthy.body.database.writable, true)
  t.equal(server.proc.exitCode, null, 'no restart: the same process')
  // Names refused while the disk was full were not half-claimed.
  if (registrations > 0) t.equal((await http(server.url, 'POST', '/api/auth/register', { username: 'full0', password: PASSWORD })).status, 201, 'a registration refused for lack of space left no claim behind')
  const more = await startLoad({ urls: [server.url], connections: 8, durationMs: 1000, next: mix, timeoutMs: 10_000 }).done
  t.same(more.outcomes.filter(o => o.name === 'log' && o.status !== 201).map(o => o.status), [], 'every write after the space returned succeeded')

  server.proc.kill('SIGTERM')
  t.same(await server.exit, { code: 0, signal: null }, 'a clean shutdown')

  // Nothing stored is damaged: every file parses, every acknowledged workout is there.
  const files = await jsonFiles(dataDir)
  const broken: string[] = []
  for (const file of files) {
    try { JSON.parse(await readFile(file, 'utf8')) } catch { broken.push(file) }
  }
  t.same(broken, [], `all ${files.length} files parse`)
  const repo = await LowdbRepository.open({ dataDir })
  t.teardown(() => repo.close())
  const stored = new Set<string>()
  for (const p of people) for (const w of await repo.listWorkouts(p.userId)) stored.add(w.workout_id)
  const missing = [...acked].filter(id => !stored.has(id))
  t.same(missing, [], `all ${acked.size} acknowledged workouts are stored (${stored.size} in all)`)
})

t.test('a read-only DATA_DIR at start: one clear line, exit 1', { skip: mountable ? false : 'needs root and tmpfs mounts' }, async t => {
  const fs = await privateTmpfs(t, '1m')
  await fs.remountReadOnly()
  // With SESSION_SECRET set (as in production), the store is the first to find out.
  const result = await runToExit(fs.dir)
  t.equal(result.code, 1, 'exit 1')
  t.equal(result.output.trim().split('\n').length, 1, `one line: ${result.output}`)
  t.match(result.output, /DATA_DIR|Data directory/)
  t.match(result.output, /not writable|read-only/)
  t.notMatch(result.output, /\n\s+at /, 'no stack trace')
  // A DATA_DIR still to be made, on a read-only parent.
  const beneath = await runToExit(join(fs.dir, 'data'))
  t.equal(beneath.code, 1)
  t.equal(beneath.output.trim().split('\n').length, 1, `one line: ${beneath.output}`)
  t.match(beneath.output, /not writable/)
  // Without it, the generated session secret is.
  const generated = await runToExit(fs.dir, { SESSION_SECRET: '' })
  t.equal(generated.code, 1)
  t.equal(generated.output.trim().split('\n').length, 1, `one line: ${generated.output}`)
  t.match(generated.output, /not writable/)
})
