// The one line per request: method, route pattern, status, duration, the request id, and the
// response cache's verdict (x-cache HIT/MISS) when there is one.
import t from 'tap'
import { build } from '../../helpers/build-app.js'

t.test('the request line carries route pattern, status, duration, request id and cache verdict', async t => {
  const lines: string[] = []
  const app = await build(t, {
    logLines: lines,
    beforeReady: app => {
      app.get('/test/cached/:id', async (_request, reply) => reply.header('x-cache', 'HIT').send({ ok: true }))
      app.get('/test/uncached', async () => ({ ok: true }))
    }
  })
  const hit = await app.inject({ url: '/test/cached/42?x=1', headers: { 'x-request-id': 'probe-123' } })
  t.equal(hit.headers['x-request-id'], 'probe-123')
  await app.inject({ url: '/test/uncached' })

  const parsed = lines.map(line => JSON.parse(line)).filter(l => l.msg === 'request completed')
  const cached = parsed.find(l => l.reqId === 'probe-123')
  t.match(cached, { method: 'GET', route: '/test/cached/:id', status: 200, duration_ms: Number, cache: 'HIT' })
  const plain = parsed.find(l => l.route === '/test/uncached')
  t.ok(plain, 'the uncached request is logged')
  t.notOk('cache' in plain, 'no cache field when the cache was not involved')
  t.type(plain.reqId, 'string')
})
