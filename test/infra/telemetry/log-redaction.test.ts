// The logs of a whole scenario — register, login, workouts, password change, query-string tokens,
// authorization and cookie headers, a failing request, bad JSON — contain no secret. Every secret
// is a canary: a distinctive string searched for in every line the app writes.
import t from 'tap'
import { build, login, logWorkout, register } from '../../helpers/build-app.js'

const METRICS_TOKEN = 'canary-metrics-token-6b1f0e'
const SECRETS = {
  password: 'canary-password-a91c4e',
  newPassword: 'canary-new-password-5d2b77',
  queryToken: 'canary-query-token-3f8e10',
  authorization: 'canary-auth-header-c0ffee',
  cookieOther: 'canary-cookie-value-77aa01',
  badJson: 'canary-in-broken-json-1e9d',
  apiKey: 'canary-api-key-44b2c8',
  metricsToken: METRICS_TOKEN
}

t.test('no secret reaches the log in a whole scenario', async t => {
  const lines: string[] = []
  const app = await build(t, {
    logLines: lines,
    env: { METRICS_TOKEN },
    beforeReady: app => {
      // A handler that fails with an unexpected error (logged with its stack by the error handler).
      app.get('/test/explode', async () => { throw new Error('database exploded') })
    }
  })

  const alice = await register(app, 'alice', { password: SECRETS.password })
  const session = await login(app, 'alice', SECRETS.password)
  await logWorkout(app, session, { notes: 'easy run' })
  await logWorkout(app, session, { duration_minutes: 45 })
  let res = await app.inject({
    method: 'PUT',
    url: '/api/me/password',
    headers: session.headers,
    payload: { current_password: SECRETS.password, new_password: SECRETS.newPassword }
  })
  t.equal(res.statusCode, 204, 'password changed')
  const again = await login(app, 'alice', SECRETS.newPassword)
  await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: SECRETS.password } }) // the old one: 401

  res = await app.inject({ url: `/api/workout/history?days_back=7&token=${SECRETS.queryToken}&api_key=${SECRETS.apiKey}`, headers: again.headers })
  t.equal(res.statusCode, 200)
  await app.inject({ url: `/nowhere?token=${SECRETS.queryToken}` })
  await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${SECRETS.authorization}`, cookie: `sessionId=${again.sessionId}; other=${SECRETS.cookieOther}` } })
  await app.inject({ url: '/api/performance', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })
  res = await app.inject({ url: `/test/explode?token=${SECRETS.queryToken}`, headers: { ...again.headers, authorization: `Bearer ${SECRETS.authorization}` } })
  t.equal(res.statusCode, 500)
  await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: `{"username":"alice","password":"${SECRETS.badJson}`
  })
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: again.headers })
  await app.close()

  // The capture works and saw the scenario (so "no canary" is not vacuous).
  t.ok(lines.length >= 15, `${lines.length} log lines captured`)
  const parsed = lines.map(line => JSON.parse(line))
  t.ok(parsed.some(l => l.route === '/api/workout/history' && l.status === 200), 'request lines are there')
  t.ok(parsed.some(l => l.msg === 'request failed' && l.err?.stack), 'the failing request logged its error')
  t.ok(parsed.some(l => l.route === '/api/auth/login' && l.status === 400), 'the bad JSON request is there')

  const sessionIds = [alice.sessionId, session.sessionId, again.sessionId]
  for (const [name, secret] of [...Object.entries(SECRETS), ...sessionIds.map((id, i) => [`sessionId ${i}`, id] as const)]) {
    const leaking = lines.filter(line => line.includes(secret))
    t.same(leaking, [], `${name} is in no log line`)
  }
  // Session ids are signed cookies ("<id>.<signature>"): neither half may appear either.
  for (const id of sessionIds) {
    for (const part of id.split('.').filter(p => p.length >= 16)) {
      t.notOk(lines.some(line => line.includes(part)), 'no part of a session id is logged')
    }
  }
  t.notOk(lines.some(line => line.includes('test-secret-that-is-at-least-32-characters-long')), 'SESSION_SECRET is not logged')
})
