// A real client of the served contract: the OpenAPI document is fetched from the running service,
// TypeScript types are generated from it (openapi-typescript), and a typed openapi-fetch client
// drives register → log a workout → history → the coach over HTTP.
//
// The types: `paths` comes from test/generated/openapi.d.ts, generated from the same document
// (git-ignored; `npm run typecheck` regenerates it first, so tsc checks every call below against
// the current contract). At run time the import is erased, and this test regenerates the file
// from what the service serves now.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import t from 'tap'
import createClient from 'openapi-fetch'
import { generateTypes } from '@resolution-autopilot/openapi-types'
import type { paths } from './generated/openapi.js'
import { build, PASSWORD } from './helpers/build-app.js'

const GENERATED = new URL('./generated/', import.meta.url)

t.test('a client generated from the served document drives the service', async t => {
  const app = await build(t)
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })

  const document = await (await fetch(`${baseUrl}/documentation/json`)).json() as object
  const source = await generateTypes(document)
  t.match(source, /^export interface operations \{$/m, 'named operations')
  for (const operation of ['register', 'logWorkout', 'getWorkoutHistory', 'askCoach']) {
    t.match(source, new RegExp(`^    ${operation}: \\{$`, 'm'), `operations.${operation}`)
  }
  for (const schema of ['SessionReply', 'LogWorkoutBody', 'LogWorkoutResponse', 'HistoryResponse', 'AgentReply', 'ErrorResponse']) {
    t.match(source, new RegExp(`^        ${schema}: `, 'm'), `components.schemas.${schema}`)
  }
  t.match(source, /days_back\?: number;/, 'days_back is optional to clients')
  await mkdir(GENERATED, { recursive: true })
  const file = new URL('openapi.d.ts', GENERATED)
  const previous = await readFile(file, 'utf8').catch(() => null)
  if (previous !== source) {
    await writeFile(file, source)
    if (previous !== null) t.comment('test/generated/openapi.d.ts was stale: rewritten (npm run typecheck checks against it)')
  }

  // Only JSON bodies are typed as `data`; the event stream is read as text below.
  const anonymous = createClient<paths, 'application/json'>({ baseUrl })

  const registered = await anonymous.POST('/api/auth/register', {
    body: { username: 'alice', password: PASSWORD, timezone: 'Europe/Berlin' }
  })
  t.equal(registered.response.status, 201)
  if (!registered.data) throw new Error(`register: ${JSON.stringify(registered.error)}`)
  t.equal(registered.data.user.username, 'alice')

  const client = createClient<paths, 'application/json'>({ baseUrl, headers: { 'x-session-id': registered.data.sessionId } })

  const logged = await client.POST('/api/workout/log', {
    body: { exercise_type: 'running', duration_minutes: 30, form_quality: 'good', notes: 'easy 5k' }
  })
  t.equal(logged.response.status, 201)
  if (!logged.data) throw new Error(`log: ${JSON.stringify(logged.error)}`)
  t.match(logged.data.workout, { exercise_type: 'running', duration_minutes: 30, form_quality: 'good', workout_id: /^w_/ })
  t.equal(logged.data.stats.total_workouts, 1)

  // days_back is optional: its default (7) applies.
  const history = await client.GET('/api/workout/history')
  if (!history.data) throw new Error(`history: ${JSON.stringify(history.error)}`)
  t.same(history.data.workouts.map(w => w.workout_id), [logged.data.workout.workout_id])
  t.equal(history.data.stats.total_minutes, 30)
  t.type(history.data.commitment_analysis.on_track, 'boolean')

  const month = await client.GET('/api/workout/history', { params: { query: { days_back: 28 } } })
  t.equal(month.data?.stats.total_workouts, 1)

  // Errors are typed too: the ErrorResponse of the route's 4xx.
  const invalid = await client.GET('/api/workout/history', { params: { query: { days_back: 0 } } })
  t.equal(invalid.response.status, 400)
  t.match(invalid.error, { statusCode: 400, error: 'Bad Request', message: /days_back/ })
  const missing = await client.GET('/api/workout/{workout_id}', { params: { path: { workout_id: 'w_nope' } } })
  t.equal(missing.response.status, 404)
  t.equal(missing.error?.statusCode, 404)

  const answer = await client.POST('/api/agent', { body: { message: 'how am I doing' } })
  t.equal(answer.response.status, 200)
  if (!answer.data) throw new Error(`agent: ${JSON.stringify(answer.error)}`)
  t.same(answer.data.toolCalls.map(call => call.name), ['getWorkoutHistory', 'getWorkoutHistory', 'detectPatterns'])
  t.match(answer.data.response, 'Last 7 days: 1 workout, 30 min')
  t.match(answer.data.trace_id, /^t_/)

  // The same operation's text/event-stream response.
  const streamed = await client.POST('/api/agent', {
    body: { message: 'how am I doing' },
    headers: { accept: 'text/event-stream' },
    parseAs: 'text'
  })
  t.equal(streamed.response.status, 200)
  t.match(streamed.response.headers.get('content-type'), /^text\/event-stream/)
  t.match(streamed.data, /^event: done$/m)

  // Unauthenticated calls get the documented 401.
  const anonymousHistory = await anonymous.GET('/api/workout/history')
  t.equal(anonymousHistory.response.status, 401)
  t.equal(anonymousHistory.error?.statusCode, 401)
})
