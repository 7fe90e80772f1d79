import t from 'tap'
import { build, login, PASSWORD, register } from '../helpers/build-app.js'
import type { MemorySessionStore } from '../../src/infra/sessions/memory-session-store.js'

t.test('register creates an account and a session usable by cookie or header', async t => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'alice', password: PASSWORD, timezone: 'Asia/Tokyo' } })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body.user, { username: 'alice', timezone: 'Asia/Tokyo', resolution: null })
  t.match(body.user.id, /^u_[0-9a-f]{24}$/)
  t.notOk('password_hash' in body.user, 'no hash in the reply')
  const cookie = res.cookies.find(c => c.name === 'sessionId')
  t.ok(cookie, 'session cookie set')
  t.equal(cookie!.value, body.sessionId, 'body sessionId is exactly the cookie value')
  t.equal(cookie!.httpOnly, true)
  t.equal(String(cookie!.sameSite).toLowerCase(), 'lax')
  t.notOk(cookie!.secure, 'not Secure over plain HTTP')

  const viaCookie = await app.inject({ url: '/api/auth/session', cookies: { sessionId: body.sessionId } })
  t.equal(viaCookie.statusCode, 200)
  t.same(viaCookie.json().user, { id: body.user.id, username: 'alice' })
  const viaHeader = await app.inject({ url: '/api/auth/session', headers: { 'x-session-id': body.sessionId } })
  t.equal(viaHeader.statusCode, 200)
  const expires = Date.parse(viaHeader.json().expires_at)
  t.ok(expires > Date.now() + 3500_000 && expires <= Date.now() + 3600_000, 'expires in SESSION_TTL')
})

t.test('the Secure cookie attribute follows TLS, also behind a trusted proxy', async t => {
  const app = await build(t, { env: { TRUST_PROXY: 'true' } })
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'bob', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } })
  t.equal(res.statusCode, 201)
  t.equal(res.cookies.find(c => c.name === 'sessionId')!.secure, true)

  const untrusted = await build(t)
  const res2 = await untrusted.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'bob', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } })
  t.notOk(res2.cookies.find(c => c.name === 'sessionId')!.secure, 'a forwarded header from an untrusted peer is ignored')
})

t.test('registration input is checked and a bad request creates nothing', async t => {
  const app = await build(t)
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ username: 'Alice', password: PASSWORD }, /body\.username must be 3–32 characters/],
    [{ username: 'al', password: PASSWORD }, /body\.username/],
    [{ username: 'a'.repeat(33), password: PASSWORD }, /body\.username/],
    [{ username: 'alice', password: 'short' }, /body\.password must be at least 8 characters/],
    [{ username: 'alice', password: 'x'.repeat(1025) }, /body\.password must be at most 1024/],
    [{ username: 'alice', password: PASSWORD, timezone: 'Mars/Olympus' }, /body\.timezone must be an IANA time zone/],
    [{ username: 'alice', password: 12345678 }, /body\.password must be a string/],
    [{ username: 'alice', password: PASSWORD, admin: true }, /body has unknown property 'admin'/],
    [{ password: PASSWORD }, /body\.username is required/]
  ]
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80))
    t.match(res.json(), { statusCode: 400, error: 'Bad Request', message })
  }
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: PASSWORD } })
  t.equal(login.statusCode, 401, 'no account was created by any of them')
})

t.test('usernames are unique and the default time zone is UTC', async t => {
  const app = await build(t)
  const first = await register(app, 'carol')
  t.equal(first.user.timezone, 'UTC')
  const again = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'carol', password: 'another password' } })
  t.equal(again.statusCode, 409)
  t.match(again.json().message, /carol.*taken/)
  // Concurrent registrations of one name: exactly one wins.
  const racing = await Promise.all(Array.from({ length: 8 }, () =>
    app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'dave', password: PASSWORD } })))
  t.same(racing.map(r => r.statusCode).sort(), [201, 409, 409, 409, 409, 409, 409, 409])
})

t.test('login: wrong username and wrong password get the same 401', async t => {
  const app = await build(t)
  await register(app, 'erin')
  const wrongPassword = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'erin', password: 'not the password' } })
  const noSuchUser = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'not the password' } })
  t.equal(wrongPassword.statusCode, 401)
  t.equal(noSuchUser.statusCode, 401)
  t.same(wrongPassword.json(), noSuchUser.json())
  t.notOk(wrongPassword.headers['set-cookie'], 'a failed login starts no session')
  const ok = await login(app, 'erin')
  t.equal(ok.user.username, 'erin')
})

t.test('login replaces the presented session (fixation) and leaves other devices logged in', async t => {
  const app = await build(t)
  const phone = await register(app, 'frank')
  const laptop = await login(app, 'frank')
  const replaced = await login(app, 'frank', PASSWORD, laptop.headers)
  t.not(replaced.sessionId, laptop.sessionId)
  t.equal((await app.inject({ url: '/api/auth/session', headers: laptop.headers })).statusCode, 401, 'the presented session is gone')
  t.equal((await app.inject({ url: '/api/auth/session', headers: replaced.headers })).statusCode, 200)
  t.equal((await app.inject({ url: '/api/auth/session', headers: phone.headers })).statusCode, 200, 'other device unaffected')
})

t.test('logout ends the presented session only', async t => {
  const app = await build(t)
  const a = await register(app, 'gina')
  const b = await login(app, 'gina')
  const res = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: a.headers })
  t.equal(res.statusCode, 204)
  t.equal((await app.inject({ url: '/api/me', headers: a.headers })).statusCode, 401)
  t.equal((await app.inject({ url: '/api/me', headers: b.headers })).statusCode, 200)
})

t.test('every /api route but register and login needs a session', async t => {
  const app = await build(t)
  const routes: Array<[string, string]> = [
    ['GET', '/api/me'], ['PATCH', '/api/me'], ['DELETE', '/api/me'], ['PUT', '/api/me/password'], ['GET', '/api/me/export'],
    ['POST', '/api/auth/logout'], ['GET', '/api/auth/session'], ['POST', '/api/workout/log'], ['GET', '/api/workout/history'],
    ['GET', '/api/workout/w_1'], ['PATCH', '/api/workout/w_1'], ['DELETE', '/api/workout/w_1']
  ]
  for (const [method, url] of routes) {
    const res = await app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : {} })
    t.equal(res.statusCode, 401, `${method} ${url}`)
    t.match(res.json(), { statusCode: 401, error: 'Unauthorized', message: /Log in first/ })
  }
  const forged = await app.inject({ url: '/api/me', headers: { 'x-session-id': 'made-up.signature' } })
  t.equal(forged.statusCode, 401, 'an unsigned or forged session id is refused')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, '/health needs none')
})

t.test('anonymous requests create no session', async t => {
  const app = await build(t)
  const before = (app.sessions as MemorySessionStore).size
  for (const url of ['/health', '/api/me', '/nope', '/documentation/json']) {
    const res = await app.inject({ url })
    t.notOk(res.headers['set-cookie'], `no cookie for ${url}`)
  }
  const failed = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' } })
  t.notOk(failed.headers['set-cookie'])
  t.equal((app.sessions as MemorySessionStore).size, before, 'nothing stored')
})

t.test('user_id in a body or query may only name the session user', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const bob = await register(app, 'bob')
  const same = await app.inject({ method: 'POST', url: '/api/workout/log', headers: alice.headers, payload: { exercise_type: 'yoga', duration_minutes: 20, user_id: alice.user.id } })
  t.equal(same.statusCode, 201, 'own id is accepted and ignored')
  t.equal(same.json().workout.user_id, alice.user.id)
  const other = await app.inject({ method: 'POST', url: '/api/workout/log', headers: alice.headers, payload: { exercise_type: 'yoga', duration_minutes: 20, user_id: bob.user.id } })
  t.equal(other.statusCode, 403)
  t.match(other.json().message, /user_id does not match your session/)
  const query = await app.inject({ url: `/api/workout/history?user_id=${bob.user.id}`, headers: alice.headers })
  t.equal(query.statusCode, 403)
  const ownQuery = await app.inject({ url: `/api/workout/history?user_id=${alice.user.id}&days_back=7`, headers: alice.headers })
  t.equal(ownQuery.statusCode, 200)
  const bobHistory = await app.inject({ url: '/api/workout/history', headers: bob.headers })
  t.equal(bobHistory.json().workouts.length, 0, "nothing landed in bob's data")
})

t.test('a session is extended once half its TTL has passed, without a write per request', async t => {
  const app = await build(t, { env: { SESSION_TTL: '60' } })
  const s = await register(app, 'hana')
  const first = Date.parse((await app.inject({ url: '/api/auth/session', headers: s.headers })).json().expires_at)
  const again = Date.parse((await app.inject({ url: '/api/auth/session', headers: s.headers })).json().expires_at)
  t.equal(again, first, 'early requests do not move the expiry')
  const realNow = Date.now
  Date.now = () => realNow() + 35_000 // 35 s later: past half of the 60 s TTL
  try {
    const later = Date.parse((await app.inject({ url: '/api/auth/session', headers: s.headers })).json().expires_at)
    t.ok(later > first, 'renewed past half the TTL')
  } finally {
    Date.now = realNow
  }
})
