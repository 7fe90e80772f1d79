import t from 'tap'
import { build, logWorkout, PASSWORD, register } from './helpers/build-app.js'

t.test('unknown routes get a JSON 404', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/api/nothing-here?token=abc' })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /application\/json/)
  t.match(res.json(), { statusCode: 404, error: 'Not Found', message: /No route GET \/api\/nothing-here\./ })
  t.notMatch(res.body, /token=abc/, 'the query string is not echoed')
})

t.test('malformed and oversized bodies get clear 4xx', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const badJson = await app.inject({ method: 'POST', url: '/api/workout/log', headers: { ...alice.headers, 'content-type': 'application/json' }, payload: '{"exercise_type": ' })
  t.equal(badJson.statusCode, 400)
  t.match(badJson.json(), { statusCode: 400, error: 'Bad Request' })
  const huge = await logWorkout(app, alice, { notes: 'x'.repeat(70 * 1024) })
  t.equal(huge.statusCode, 413)
  t.match(huge.json(), { statusCode: 413, error: 'Payload Too Large' })
  const xml = await app.inject({ method: 'POST', url: '/api/workout/log', headers: { ...alice.headers, 'content-type': 'application/xml' }, payload: '<run/>' })
  t.equal(xml.statusCode, 415)
  const text = await app.inject({ method: 'POST', url: '/api/workout/log', headers: { ...alice.headers, 'content-type': 'text/plain' }, payload: 'run 30' })
  t.equal(text.statusCode, 400)
  t.match(text.json().message, /body must be an object/)
  const history = await app.inject({ url: '/api/workout/history', headers: alice.headers })
  t.equal(history.json().workouts.length, 0, 'none of them stored anything')
})

t.test('a server error carries no stack trace or internals; disk trouble is a 503', async t => {
  const app = await build(t, {
    beforeReady: app => {
      app.get('/boom', async () => { throw new Error('secret internal detail in /srv/app/x.ts:12') })
      app.get('/disk-full', async () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) })
    }
  })
  const res = await app.inject({ url: '/boom' })
  t.equal(res.statusCode, 500)
  t.match(res.json(), { statusCode: 500, error: 'Internal Server Error', message: new RegExp(`request id ${res.headers['x-request-id']}`) })
  t.notMatch(res.body, /secret internal detail|\.ts:|stack/)
  const full = await app.inject({ url: '/disk-full' })
  t.equal(full.statusCode, 503)
  t.equal(full.headers['retry-after'], '30')
  t.match(full.json().message, /Storage is temporarily unavailable; nothing was changed/)
})

t.test('every response carries an x-request-id; a sane incoming one is kept', async t => {
  const app = await build(t)
  const generated = await app.inject({ url: '/health' })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const kept = await app.inject({ url: '/health', headers: { 'x-request-id': 'trace-abc.123' } })
  t.equal(kept.headers['x-request-id'], 'trace-abc.123')
  const hostile = await app.inject({ url: '/health', headers: { 'x-request-id': 'bad id\nwith newline' } })
  t.not(hostile.headers['x-request-id'], 'bad id\nwith newline')
})

t.test('security headers and CORS for the front end', async t => {
  const app = await build(t, { env: { FRONTEND_URL: 'https://app.example.com' } })
  const res = await app.inject({ url: '/health' })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.ok(res.headers['content-security-policy'])
  t.ok(res.headers['strict-transport-security'])
  // Computed once at start-up, the same full set on every response: a 404 and an error too.
  for (const other of [await app.inject({ url: '/api/nope' }), await app.inject({ method: 'POST', url: '/api/auth/login', payload: {} })]) {
    for (const name of ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy',
      'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options',
      'x-permitted-cross-domain-policies', 'x-xss-protection']) {
      t.equal(other.headers[name], res.headers[name], `${name} on a ${other.statusCode} too`)
    }
  }
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /default-src 'self'/)
  t.match(csp, /frame-ancestors 'none'/)
  t.notMatch(csp, /upgrade-insecure-requests/, 'plain-HTTP LAN use keeps working')
  t.notOk(res.headers['x-powered-by'])

  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/workout/log',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-session-id' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com')
  t.equal(preflight.headers['access-control-allow-credentials'], 'true')
  t.match(preflight.headers['access-control-allow-headers'], /x-session-id/)

  const simple = await app.inject({ url: '/health', headers: { origin: 'https://app.example.com' } })
  for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'x-cache', 'x-request-id']) {
    t.match(simple.headers['access-control-expose-headers'], new RegExp(h))
  }
  const foreign = await app.inject({ url: '/health', headers: { origin: 'https://evil.example.net' } })
  t.notOk(foreign.headers['access-control-allow-origin'], 'other origins get no CORS grant')
})

t.test('one log line per request, with the route pattern and never a secret', async t => {
  const lines: string[] = []
  const app = await build(t, { logLines: lines })
  const alice = await register(app, 'alice')
  const logged = await logWorkout(app, alice, { notes: 'felt good' })
  await app.inject({ url: `/api/workout/${logged.json().workout.workout_id}?token=query-canary`, headers: alice.headers })
  await app.inject({ method: 'PUT', url: '/api/me/password', headers: { ...alice.headers, cookie: `sessionId=${alice.sessionId}` }, payload: { current_password: PASSWORD, new_password: 'canary-new-password' } })

  const requests = lines.map(l => JSON.parse(l)).filter(l => l.msg === 'request completed')
  t.equal(requests.length, 4, 'one line per request')
  t.match(requests[2], { method: 'GET', route: '/api/workout/:workout_id', status: 200, reqId: String })
  t.type(requests[2].duration_ms, 'number')
  const all = lines.join('\n')
  for (const secret of [alice.sessionId, PASSWORD, 'canary-new-password', 'query-canary', 'felt good']) {
    t.notOk(all.includes(secret), `log never contains ${secret.slice(0, 12)}…`)
  }
})

t.test('front-door defects: malformed URLs, content types, missing bodies, ended sessions, no-store', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')

  const badUrl = await app.inject({ url: '/api/workout/%', headers: alice.headers })
  t.equal(badUrl.statusCode, 400)
  t.same(Object.keys(badUrl.json()).sort(), ['error', 'message', 'statusCode'], 'the service\'s error shape, no `code`')
  t.match(badUrl.json().message, /URL is malformed/)

  const noType = await app.inject({ method: 'POST', url: '/api/workout/log', headers: alice.headers, payload: 'run 30' })
  t.equal(noType.statusCode, 415)
  t.match(noType.json().message, /Content-Type: application\/json \(none was sent\)/)
  const xml = await app.inject({ method: 'POST', url: '/api/workout/log', headers: { ...alice.headers, 'content-type': 'application/xml' }, payload: '<run/>' })
  t.match(xml.json().message, /Content-Type: application\/json \(got "application\/xml"\)/)

  const noBody = await app.inject({ method: 'DELETE', url: '/api/me', headers: alice.headers })
  t.equal(noBody.statusCode, 400)
  t.match(noBody.json().message, /^body is required: send a JSON object with password$/)

  for (const url of ['/api/me', '/api/me/export', '/api/workout/history', '/api/agent/traces']) {
    const res = await app.inject({ url, headers: alice.headers })
    t.equal(res.headers['cache-control'], 'no-store', `${url}: no-store`)
  }
  const refused = await app.inject({ url: '/api/me' })
  t.equal(refused.headers['cache-control'], 'no-store', 'refusals too')
  t.match(refused.json().message, /^Log in first/, 'no credential: how to get one')

  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: alice.headers })
  const ended = await app.inject({ url: '/api/me', headers: alice.headers })
  t.equal(ended.statusCode, 401)
  t.match(ended.json().message, /^Your session has expired or was ended; log in again/)
})
