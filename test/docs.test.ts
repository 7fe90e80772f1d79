import t from 'tap'
import { Type } from 'typebox'
import { build } from './helpers/build-app.js'
import { queryWithDefaults, ref } from '../src/shared/http-schemas.js'

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
    '/api/agent/traces/{trace_id}': ['get'],
    '/api/me/channels': ['get', 'put'],
    '/api/me/channels/confirm': ['post'],
    '/api/me/channels/test': ['post'],
    '/api/me/buddy': ['get', 'put', 'delete'],
    '/api/nudges': ['get', 'post'],
    '/api/nudges/{nudge_id}': ['patch'],
    '/api/interventions': ['get', 'post'],
    '/api/interventions/effectiveness': ['get'],
    '/api/interventions/{intervention_id}/confirm': ['post'],
    '/api/interventions/{intervention_id}/feedback': ['post'],
    '/api/commitments': ['get', 'post'],
    '/api/commitments/current': ['get', 'patch', 'delete'],
    '/api/commitments/{commitment_id}/audit': ['get'],
    '/api/me/autopilot': ['get', 'put'],
    '/api/autopilot/runs': ['get']
  }
  for (const [path, methods] of Object.entries(expected)) {
    const entry = doc.paths[path]
    t.ok(entry, `${path} documented`)
    for (const method of methods) {
      const op = entry?.[method]
      t.ok(op?.responses, `${method.toUpperCase()} ${path} has responses`)
      const ok = Object.keys(op?.responses ?? {}).find(code => code.startsWith('2'))
      t.ok(ok, `${method.toUpperCase()} ${path} documents its success response`)
      if (['post', 'patch', 'put'].includes(method) && !['/api/auth/logout', '/api/interventions/{intervention_id}/confirm'].includes(path)) {
        t.ok(op.requestBody?.content?.['application/json']?.schema, `${method.toUpperCase()} ${path} documents its body`)
      }
    }
  }
  const log = doc.paths['/api/workout/log'].post
  t.same(log.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/LogWorkoutBody' })
  t.same(doc.components.schemas.LogWorkoutBody.required, ['exercise_type', 'duration_minutes'])
  t.ok(log.responses['400'], 'error responses documented')
  t.ok(doc.components.securitySchemes.sessionHeader)
})

// The rest of the contract is `npm run lint:openapi` (Redocly's recommended rules, in CI); these
// are the points it does not check.
t.test('the OpenAPI document is a contract a client can be generated from', async t => {
  const app = await build(t)
  const doc = (await app.inject({ url: '/documentation/json' })).json()
  t.match(doc.servers, [{ url: '/' }])
  t.match(doc.info.license, { name: String, url: String })

  const operationIds: string[] = []
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`
      operationIds.push(op.operationId)
      t.match(op.operationId, /^[a-z][A-Za-z]+$/, `${name} has an operationId`)
      t.ok(Object.keys(op.responses).some(code => code.startsWith('4')), `${name} documents a 4xx`)
      for (const [code, response] of Object.entries<any>(op.responses)) {
        t.not(response.description, 'Default Response', `${name} ${code} is described`)
      }
    }
  }
  t.equal(new Set(operationIds).size, operationIds.length, 'operationIds are unique')

  for (const name of ['ErrorResponse', 'RateLimited', 'PublicUser', 'SessionReply', 'Workout', 'WorkoutStats', 'LogWorkoutBody', 'LogWorkoutResponse', 'HistoryResponse', 'AgentRequest', 'AgentReply', 'AgentTrace']) {
    t.ok(doc.components.schemas[name], `components.schemas.${name}`)
  }
  t.notOk(Object.keys(doc.components.schemas).some(name => name.startsWith('def-')), 'every component has its own name')
  t.notMatch(JSON.stringify(doc.paths), /"\$ref":"(?!#\/components\/schemas\/)/, 'every $ref points into components.schemas')

  // Parameters with a default are optional to clients.
  const param = (path: string, name: string) => doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name)
  t.match(param('/api/workout/history', 'days_back'), { in: 'query', required: false, schema: { default: 7 } })
  t.match(param('/api/agent/traces', 'limit'), { in: 'query', required: false, schema: { default: 20 } })

  const agent = doc.paths['/api/agent'].post.responses['200'].content
  t.same(Object.keys(agent).sort(), ['application/json', 'text/event-stream'])
  t.same(agent['application/json'].schema, { $ref: '#/components/schemas/AgentReply' })
  t.same(Object.keys(doc.paths['/metrics'].get.responses['200'].content), ['text/plain'])
})

t.test('Swagger UI is served at /documentation', async t => {
  const app = await build(t)
  const res = await app.inject({ url: '/documentation/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.match(res.body, /swagger/i)
})

t.test('ref() needs a named schema; queryWithDefaults() a default for every parameter', async t => {
  t.throws(() => ref(Type.Object({ a: Type.String() })), /needs a named schema/)
  t.same(ref(Type.String({ $id: 'Named' }), 'one use'), { $ref: 'Named', description: 'one use' })
  t.throws(() => queryWithDefaults({ limit: Type.Integer() }), /limit has no default/)
})
