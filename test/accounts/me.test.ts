import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { USER_DOC_VERSION } from '../../src/store/lowdb/user-doc.js'
import { rowsOfUser } from '../helpers/postgres.js'
import { build, login, logWorkout, PASSWORD, register, tempDir } from '../helpers/build-app.js'

/** Every file under dir, recursively (relative paths). */
async function filesUnder (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter(e => e.isFile()).map(e => join(e.parentPath, e.name).slice(dir.length + 1))
}

t.test('profile: read and change time zone and resolution only', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const me = await app.inject({ url: '/api/me', headers: alice.headers })
  t.same(me.json().user, alice.user)

  const patched = await app.inject({ method: 'PATCH', url: '/api/me', headers: alice.headers, payload: { timezone: 'Europe/Berlin', resolution: 'gym 4× a week for 8 weeks' } })
  t.equal(patched.statusCode, 200)
  t.match(patched.json().user, { timezone: 'Europe/Berlin', resolution: 'gym 4× a week for 8 weeks', username: 'alice' })

  for (const [payload, message] of [
    [{ username: 'mallory' }, /unknown property 'username'/],
    [{ id: 'u_1' }, /unknown property 'id'/],
    [{ password: 'new password!' }, /unknown property 'password'/],
    [{ resolution: 'r'.repeat(501) }, /body\.resolution/],
    [{ timezone: 'Nowhere/Land' }, /IANA time zone/],
    [{}, /at least 1 field/]
  ] as const) {
    const res = await app.inject({ method: 'PATCH', url: '/api/me', headers: alice.headers, payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 40))
    t.match(res.json().message, message)
  }
  const after = await app.inject({ url: '/api/me', headers: alice.headers })
  t.match(after.json().user, { username: 'alice', timezone: 'Europe/Berlin' }, 'rejected patches changed nothing')
  const cleared = await app.inject({ method: 'PATCH', url: '/api/me', headers: alice.headers, payload: { resolution: null } })
  t.equal(cleared.json().user.resolution, null)
})

t.test('password change needs the current password and ends the other sessions', async t => {
  const app = await build(t)
  const here = await register(app, 'alice')
  const elsewhere = await login(app, 'alice')

  const wrong = await app.inject({ method: 'PUT', url: '/api/me/password', headers: here.headers, payload: { current_password: 'guess guess', new_password: 'a brand new secret' } })
  t.equal(wrong.statusCode, 403)
  t.match(wrong.json().message, /current_password is not your current password/)
  t.equal((await app.inject({ url: '/api/me', headers: elsewhere.headers })).statusCode, 200, 'a failed change ends nothing')

  const short = await app.inject({ method: 'PUT', url: '/api/me/password', headers: here.headers, payload: { current_password: PASSWORD, new_password: 'short' } })
  t.equal(short.statusCode, 400)

  const ok = await app.inject({ method: 'PUT', url: '/api/me/password', headers: here.headers, payload: { current_password: PASSWORD, new_password: 'a brand new secret' } })
  t.equal(ok.statusCode, 204)
  t.equal((await app.inject({ url: '/api/me', headers: here.headers })).statusCode, 200, 'this session continues')
  t.equal((await app.inject({ url: '/api/me', headers: elsewhere.headers })).statusCode, 401, 'the other session ended')
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: PASSWORD } })).statusCode, 401, 'old password no longer works')
  await login(app, 'alice', 'a brand new secret')
})

t.test('export holds every record about the user and no secret', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice', { timezone: 'Asia/Tokyo' })
  await logWorkout(app, alice, { exercise_type: 'run', duration_minutes: 30, request_id: 'r1' })
  const res = await app.inject({ url: '/api/me/export', headers: alice.headers })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-disposition'], /attachment; filename="resolution-autopilot-alice.json"/)
  const body = res.json()
  t.equal(body.schema_version, USER_DOC_VERSION)
  t.match(body.account, { id: alice.user.id, username: 'alice', timezone: 'Asia/Tokyo' })
  t.equal(body.workouts.length, 1)
  t.match(body.workouts[0].audit, [{ action: 'create' }])
  t.ok(body.request_keys.r1, 'idempotency keys are data held about the user too')
  t.notMatch(res.body, /scrypt|password_hash/, 'no password hash')
})

t.test('account deletion: password required, then every file and every session is gone', async t => {
  const dataDir = await tempDir(t)
  const app = await build(t, { dataDir })
  const alice = await register(app, 'alice')
  const phone = await login(app, 'alice')
  const bob = await register(app, 'bob')
  await logWorkout(app, alice)
  const before = await filesUnder(dataDir)

  const noBody = await app.inject({ method: 'DELETE', url: '/api/me', headers: alice.headers })
  t.equal(noBody.statusCode, 400)
  const wrong = await app.inject({ method: 'DELETE', url: '/api/me', headers: alice.headers, payload: { password: 'not it at all' } })
  t.equal(wrong.statusCode, 403)
  t.same(await filesUnder(dataDir), before, 'a refused deletion changes nothing')

  const res = await app.inject({ method: 'DELETE', url: '/api/me', headers: alice.headers, payload: { password: PASSWORD } })
  t.equal(res.statusCode, 204)
  t.equal((await app.inject({ url: '/api/me', headers: alice.headers })).statusCode, 401, 'this session ended')
  t.equal((await app.inject({ url: '/api/me', headers: phone.headers })).statusCode, 401, 'every other session ended')
  t.equal((await app.inject({ url: '/api/me', headers: bob.headers })).statusCode, 200, "bob's session is untouched")

  if (app.config.DATABASE_URL) {
    t.same(await rowsOfUser(app.config.DATABASE_URL, alice.user.id), {}, 'no table holds a row of alice')
    t.ok(Object.keys(await rowsOfUser(app.config.DATABASE_URL, bob.user.id)).includes('accounts'), "bob's account remains")
  } else {
    const after = await filesUnder(dataDir)
    for (const file of after) {
      const text = await readFile(join(dataDir, file), 'utf8')
      t.notMatch(text, new RegExp(`${alice.user.id}|"alice"`), `${file} holds nothing of alice`)
    }
    t.ok(after.some(f => f.includes('usernames')), "bob's index entry remains")
  }
  const again = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: PASSWORD } })
  t.equal(again.statusCode, 401)
  const reuse = await register(app, 'alice')
  t.not(reuse.user.id, alice.user.id, 'the name is free again, as a new account')
  t.equal((await app.inject({ url: '/api/workout/history', headers: reuse.headers })).json().workouts.length, 0)
})
