// Password hashes: argon2id at OWASP's parameters for new hashes, old scrypt hashes upgraded at the
// next login, and every failed login costing the same whether the user exists and whatever their
// hash is.
import t from 'tap'
import { accountSettings, authenticate, registerAccount } from '../../src/accounts/accounts.js'
import { hashPassword, hashScrypt, needsRehash, OWASP_ARGON2ID, verifyPassword } from '../../src/accounts/passwords.js'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { build, login, PASSWORD, tempDir } from '../helpers/build-app.js'

t.test('new hashes are argon2id and name their algorithm and parameters', async t => {
  const hash = await hashPassword(PASSWORD, OWASP_ARGON2ID)
  t.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
  t.ok(await verifyPassword(PASSWORD, hash))
  t.notOk(await verifyPassword('not the password', hash))
  t.notOk(needsRehash(hash, OWASP_ARGON2ID), 'current hash stays')
  t.ok(needsRehash(hash, { ...OWASP_ARGON2ID, memoryKib: 65_536 }), 'a raised cost re-hashes')
  t.ok(needsRehash(await hashScrypt(PASSWORD, 1024), OWASP_ARGON2ID), 'scrypt re-hashes')
  t.notOk(await verifyPassword(PASSWORD, 'md5$whatever'), 'an unknown scheme never matches')
})

t.test('a stored scrypt hash logs in and is replaced by an argon2id hash', async t => {
  const dataDir = await tempDir(t)
  const app = await build(t, { dataDir })
  await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'old_timer', password: PASSWORD } })
  const scrypt = await hashScrypt(PASSWORD, 1024)
  const account = await app.repo.findAccountByUsername('old_timer')
  await app.repo.updateAccount(account!.id, a => { a.password_hash = scrypt })

  const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'old_timer', password: 'not the password' } })
  t.equal(wrong.statusCode, 401)
  t.equal((await app.repo.getAccount(account!.id))!.password_hash, scrypt, 'a failed login changes nothing')

  await login(app, 'old_timer')
  const upgraded = (await app.repo.getAccount(account!.id))!.password_hash
  t.match(upgraded, /^\$argon2id\$v=19\$m=1024,t=2,p=1\$/, 'argon2id at the configured cost')
  await login(app, 'old_timer')
  t.equal((await app.repo.getAccount(account!.id))!.password_hash, upgraded, 'not re-hashed again')
})

t.test('a wrong password against either kind of hash takes as long as an unknown user', async t => {
  // Production cost (OWASP argon2id; scrypt at the cost old hashes were made with), through the
  // domain function to keep HTTP noise out. Rounds interleave the three cases so machine noise
  // falls on all of them alike.
  const repo = await LowdbRepository.open({ dataDir: await tempDir(t) })
  t.teardown(() => repo.close())
  const settings = accountSettings(OWASP_ARGON2ID.memoryKib)
  await registerAccount(repo, { username: 'modern', password: PASSWORD }, settings)
  const legacy = await registerAccount(repo, { username: 'legacy', password: PASSWORD }, settings)
  const scrypt = await hashScrypt(PASSWORD)
  await repo.updateAccount(legacy.id, a => { a.password_hash = scrypt })
  await settings.decoys

  const cases = { unknown: 'nobody_here', argon2id: 'modern', scrypt: 'legacy' } as const
  const times: Record<keyof typeof cases, number[]> = { unknown: [], argon2id: [], scrypt: [] }
  for (let round = 0; round < 50; round++) {
    for (const [kind, username] of Object.entries(cases) as Array<[keyof typeof cases, string]>) {
      const started = performance.now()
      const account = await authenticate(repo, username, 'not the password', settings)
      times[kind].push(performance.now() - started)
      t.equal(account, null)
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  const unknown = median(times.unknown)
  const line = Object.entries(times).map(([kind, xs]) => `${kind} ${median(xs).toFixed(1)} ms`).join(', ')
  t.comment(`failed login, median of 50: ${line}`)
  for (const kind of ['argon2id', 'scrypt'] as const) {
    const ratio = median(times[kind]) / unknown
    t.ok(ratio > 0.75 && ratio < 1.33, `${kind}: ${ratio.toFixed(2)} × the unknown user's time`)
  }
  t.equal((await repo.getAccount(legacy.id))!.password_hash, scrypt, 'failed logins never re-hash')
})
