import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import t from 'tap'
import { hashScrypt } from '../../../src/accounts/passwords.js'
import { shardedPath } from '../../../src/store/lowdb/doc-pool.js'
import { LowdbRepository } from '../../../src/store/lowdb/lowdb-repository.js'
import { USER_DOC_VERSION } from '../../../src/store/lowdb/user-doc.js'
import { build, login, PASSWORD, tempDir } from '../../helpers/build-app.js'

const USER_ID = 'u_00000000000000000000abcd'

async function placeLegacyUser (dataDir: string, mutate: (doc: any) => void = () => {}): Promise<string> {
  const doc = JSON.parse(await readFile(join(import.meta.dirname, 'fixtures/v0-user.json'), 'utf8'))
  doc.account.password_hash = await hashScrypt(PASSWORD, 1024)
  mutate(doc)
  const file = shardedPath(join(dataDir, 'users'), USER_ID)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(doc))
  const claim = shardedPath(join(dataDir, 'usernames'), 'legacy')
  await mkdir(dirname(claim), { recursive: true })
  await writeFile(claim, JSON.stringify({ user_id: USER_ID }))
  return file
}

t.test('a file from before schema versioning is migrated forward when opened', async t => {
  const dataDir = await tempDir(t)
  const file = await placeLegacyUser(dataDir)
  const app = await build(t, { dataDir })
  const s = await login(app, 'legacy')
  const exported = (await app.inject({ url: '/api/me/export', headers: s.headers })).json()
  t.equal(exported.schema_version, USER_DOC_VERSION)
  t.match(exported.account, { resolution: null, timezone: 'Asia/Tokyo' })
  t.match(exported.workouts[0], {
    performed_at: '2026-01-04T15:30:00.000Z', // from the prototype's `timestamp`
    local_date: '2026-01-05', // 00:30 in Tokyo
    local_time: '00:30', // v3: the time of day, read in the zone it was logged in
    timezone: 'Asia/Tokyo',
    form_quality: 'good',
    audit: [{ action: 'create', at: '2026-01-04T15:30:00.000Z' }]
  })
  t.match(exported.workouts[1], { local_date: '2026-01-05', form_quality: 'excellent', created_at: '2026-01-05T01:05:00.000Z' })

  const onDisk = JSON.parse(await readFile(file, 'utf8'))
  t.equal(onDisk.schema_version, USER_DOC_VERSION, 'the migrated form was written back')
  t.same(onDisk.request_keys, {})
  t.same([onDisk.plans, onDisk.pauses, onDisk.preferences], [[], [], null], 'v3: no plan, pause or preference yet')

  // New writes work on the migrated document.
  const logged = await app.inject({ method: 'POST', url: '/api/workout/log', headers: s.headers, payload: { exercise_type: 'swim', duration_minutes: 15 } })
  t.equal(logged.statusCode, 201)
})

t.test('a file from a newer release is refused, not rewritten', async t => {
  const dataDir = await tempDir(t)
  const file = await placeLegacyUser(dataDir, doc => { doc.schema_version = USER_DOC_VERSION + 1 })
  const before = await readFile(file, 'utf8')
  const repo = await LowdbRepository.open({ dataDir })
  t.teardown(() => repo.close())
  await t.rejects(repo.getAccount(USER_ID), /newer than this release understands/)
  t.equal(await readFile(file, 'utf8'), before, 'file untouched')
})
