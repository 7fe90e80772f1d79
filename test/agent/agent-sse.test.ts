// POST /api/agent with Accept: text/event-stream, through a real HTTP connection.
import t, { type Test } from 'tap'
import { build, type Session } from '../helpers/build-app.js'
import { startStubLlm } from '../helpers/stub-llm.js'

interface SseEvent { event: string, data: any }

async function coachServer (t: Test, env: Record<string, string> = {}) {
  const stub = await startStubLlm(t)
  const app = await build(t, { env: { LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', LLM_BASE_URL: stub.url, LLM_MODEL: 'stub-model', ...env } })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  return { stub, app, base }
}

/** Reads the stream to its end (or until `stopAfter` says so), returning events and comment lines. */
async function stream (base: string, s: Session, message: string, options: { signal?: AbortSignal, stopAfter?: (e: SseEvent) => boolean } = {}) {
  const res = await fetch(`${base}/api/agent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-session-id': s.sessionId },
    body: JSON.stringify({ message }),
    signal: options.signal
  })
  const events: SseEvent[] = []
  const comments: string[] = []
  const decoder = new TextDecoder()
  let buffer = ''
  const reader = res.body!.getReader()
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      let end
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (block.startsWith(':')) { comments.push(block); continue }
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null')
        events.push({ event, data })
        if (options.stopAfter?.({ event, data })) { await reader.cancel(); return { res, events, comments } }
      }
    }
  } catch (err) {
    if (!options.signal?.aborted) throw err
  }
  return { res, events, comments }
}

t.test('events arrive in order and `done` carries the JSON reply', async t => {
  const { stub, base } = await coachServer(t)
  const alice = await registerOver(base, 'alice')
  stub.push(
    { toolCalls: [{ id: 'c1', name: 'logWorkout', arguments: { exercise_type: 'yoga', duration_minutes: 30 } }] },
    { text: 'Logged 30 minutes of yoga. One more session this week keeps you on track.' }
  )
  const { res, events } = await stream(base, alice, 'did 30 min of yoga')
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /text\/event-stream/)
  t.ok(res.headers.get('x-request-id'), 'headers set before the stream are sent')
  const names = events.map(e => e.event)
  t.same(names.slice(0, 2), ['tool_call', 'tool_result'])
  t.equal(names.at(-1), 'done')
  t.ok(names.filter(n => n === 'delta').length >= 2, 'text streamed in several deltas')
  t.match(events[0].data, { id: 'c1', name: 'logWorkout', arguments: { exercise_type: 'yoga', duration_minutes: 30 } })
  t.match(events[1].data, { id: 'c1', name: 'logWorkout', ok: true, summary: /Logged 30 min of yoga/ })
  const text = events.filter(e => e.event === 'delta').map(e => e.data.text).join('')
  const done = events.at(-1)!.data
  t.equal(text, done.response, 'the deltas spell the final answer')
  t.match(done, { success: true, iterations: 2, trace_id: /^t_/, toolCalls: [{ name: 'logWorkout', ok: true }], performance: { target: 2000 } })
  t.ok(stub.requests.every(r => r.body.stream === true), 'the provider was asked to stream')
})

t.test('a failure after the stream started is an `error` event, then the stream closes', async t => {
  const { stub, base } = await coachServer(t)
  const alice = await registerOver(base, 'alice')
  stub.push({ toolCalls: [{ name: 'getWorkoutHistory', arguments: { days_back: 7 } }] }, { status: 401, error: 'bad key' })
  const { res, events } = await stream(base, alice, 'how am I doing')
  t.equal(res.status, 200)
  t.same(events.map(e => e.event), ['tool_call', 'tool_result', 'error'])
  t.match(events[2].data, { statusCode: 502, error: 'Bad Gateway', message: /rejected the API key/ })
})

t.test('idle streams get heartbeats; a client disconnect stops the run', async t => {
  const { stub, base } = await coachServer(t, { SSE_HEARTBEAT_MS: '100', LLM_TIMEOUT_MS: '5000' })
  const alice = await registerOver(base, 'alice')
  stub.push({ toolCalls: [{ name: 'getWorkoutHistory', arguments: { days_back: 7 } }] }, { hang: true })
  const controller = new AbortController()
  let heartbeats = 0
  const reading = stream(base, alice, 'slow one', { signal: controller.signal })
  // Wait until the second model call is hanging, collect a few heartbeats, then hang up.
  const started = Date.now()
  while (stub.requests.length < 2 && Date.now() - started < 5000) await new Promise(resolve => setTimeout(resolve, 20))
  await new Promise(resolve => setTimeout(resolve, 350))
  controller.abort()
  const { comments } = await reading
  heartbeats = comments.length
  t.ok(heartbeats >= 2, `heartbeat comments while the model was busy: ${heartbeats}`)
  t.ok(comments.every(c => c === ': heartbeat'))
  const deadline = Date.now() + 2000
  while (!stub.requests[1].aborted && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  t.ok(stub.requests[1].aborted, 'the upstream model call was cancelled when the client left')
  await new Promise(resolve => setTimeout(resolve, 200))
  t.equal(stub.requests.length, 2, 'no further model calls')
})

t.test('without the Accept header the reply is JSON', async t => {
  const { stub, base } = await coachServer(t)
  const alice = await registerOver(base, 'alice')
  stub.push({ text: 'plain' })
  const res = await fetch(`${base}/api/agent`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': alice.sessionId }, body: JSON.stringify({ message: 'hi' }) })
  t.match(res.headers.get('content-type'), /application\/json/)
  t.match(await res.json(), { response: 'plain' })
  t.equal(stub.requests[0].body.stream, undefined, 'no streaming asked of the provider')
})

async function registerOver (base: string, username: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'correct horse battery' }) })
  const body = await res.json() as { sessionId: string, user: Session['user'] }
  return { sessionId: body.sessionId, user: body.user, headers: { 'x-session-id': body.sessionId } }
}

t.test('shutdown ends open streams cleanly with an error event', async t => {
  const { stub, app, base } = await coachServer(t, { LLM_TIMEOUT_MS: '30000' })
  const alice = await registerOver(base, 'alice')
  stub.push({ hang: true })
  const reading = stream(base, alice, 'a slow question')
  const started = Date.now()
  while (stub.requests.length < 1 && Date.now() - started < 5000) await new Promise(resolve => setTimeout(resolve, 20))
  const closing = Date.now()
  await app.close()
  const { events } = await reading
  t.ok(Date.now() - closing < 3000, `closed in ${Date.now() - closing} ms`)
  t.match(events.at(-1), { event: 'error', data: { statusCode: 503, message: /restarting/ } })
})

t.test('a refusal before the run starts is a plain HTTP error, not a stream', async t => {
  const { stub, base } = await coachServer(t, { AGENT_DAILY_RUNS: '1' })
  const alice = await registerOver(base, 'alice')
  stub.fallback = { text: 'ok' }
  t.equal((await stream(base, alice, 'first')).res.status, 200)
  const res = await fetch(`${base}/api/agent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-session-id': alice.sessionId },
    body: JSON.stringify({ message: 'second' })
  })
  t.equal(res.status, 429)
  t.match(res.headers.get('content-type'), /application\/json/)
  t.ok(Number(res.headers.get('retry-after')) > 0)
  t.match(await res.json(), { statusCode: 429, limit: 'agent_daily' })
})
