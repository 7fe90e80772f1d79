import t from 'tap'
import { build } from './helpers/build-app.js'

t.test('OpenAPI 3 document lists every route with its schemas', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/documentation/json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.match(doc.openapi, /^3\./)
  const expected: Record<string, string[]> = {
    '/api/auth/register': ['post'],
    '/api/auth/login': ['post'],
    '/api/auth/logout': ['post'],
    '/api/auth/session': ['get'],
    '/api/me': ['get', 'patch', 'delete'],
    '/api/me/password': ['put'],
    '/api/me/export': ['get'],
    '/api/workout/log': ['post'],
    '/api/workout/history': ['get'],
    '/api/workout/{workout_id}': ['get', 'patch', 'delete'],
    '/health': ['get'],
    '/metrics': ['get'],
    '/api/performance': ['get'],
    '/api/agent': ['post'],
    '/api/agent/conversation': ['delete'],
    '/api/agent/traces': ['get'],
    '/api/agent/traces/{trace_id}': ['get']
  }
  for (const [path, methods] of Object.entries(expected)) {
    const entry = doc.paths[path]
    t.ok(entry, `${path} documented`)
    for (const method of methods) {
      const op = entry?.[method]
      t.ok(op?.responses, `${method.toUpperCase()} ${path} has responses`)
      const ok = Object.keys(op?.responses ?? {}).find(code => code.startsWith('2'))
      t.ok(ok, `${method.toUpperCase()} ${path} documents its success response`)
      if (['post', 'patch', 'put'].includes(method) && path !== '/api/auth/logout') {
        t.ok(op.requestBody?.content?.['application/json']?.schema, `${method.toUpperCase()} ${path} documents its body`)
      }
    }
  }
  const log = doc.paths['/api/workout/log'].post
  t.same(log.requestBody.content['application/json'].schema.required, ['exercise_type', 'duration_minutes'])
  t.ok(log.responses['400'], 'error responses documented')
  t.ok(doc.components.securitySchemes.sessionHeader)
})

t.test('Swagger UI is served at /documentation', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/documentation/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.match(res.body, /swagger/i)
})
