// Cross-site request forgery: a state-changing request riding on the session cookie must come from
// the service's own origin or FRONTEND_URL; header sessions are not affected.
import t from 'tap'
import { build, register } from '../helpers/build-app.js'

t.test('cookie sessions: foreign origins are refused for every state change, bodiless ones included', async t => {
  const app = await build(t, { env: { FRONTEND_URL: 'http://app.example.com' } })
  const s = await register(app, 'csrf')
  const cookie = { cookie: `sessionId=${encodeURIComponent(s.sessionId)}` }
  const evil = { ...cookie, origin: 'https://evil.example' }

  const refused = [
    { method: 'POST' as const, url: '/api/nudges', payload: { message: 'x', channel: 'in_app' } },
    { method: 'POST' as const, url: '/api/nudges/read-all' },
    { method: 'POST' as const, url: '/api/me/calendar-token' },
    { method: 'POST' as const, url: '/api/auth/logout' }
  ]
  for (const request of refused) {
    const res = await app.inject({ ...request, headers: evil })
    t.equal(res.statusCode, 403, `${request.method} ${request.url}`)
    t.match(res.json().message, /Cross-site request refused/)
  }
  const viaReferer = await app.inject({ method: 'POST', url: '/api/nudges/read-all', headers: { ...cookie, referer: 'https://evil.example/page' } })
  t.equal(viaReferer.statusCode, 403, 'without Origin, the Referer decides')
  t.equal((await app.inject({ url: '/api/nudges', headers: cookie })).json().nudges.length, 0, 'nothing was sent')

  t.equal((await app.inject({ url: '/api/nudges', headers: evil })).statusCode, 200, 'a GET is not a state change')
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges/read-all', headers: { ...cookie, origin: 'http://app.example.com' } })).statusCode, 200, 'FRONTEND_URL is allowed')
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges/read-all', headers: { ...cookie, origin: 'http://localhost:80' } })).statusCode, 200, 'the service\'s own origin is allowed')
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges/read-all', headers: cookie })).statusCode, 200, 'no Origin or Referer: not a cross-site browser request')
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges/read-all', headers: { ...s.headers, origin: 'https://evil.example' } })).statusCode, 200, 'x-session-id is not affected')
})
