import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AgentReply, AgentRequest, AgentTrace, TraceParams, TracesQuery } from '../../../src/agent/agent-schemas.js'
import { errors, ref } from '../../../src/shared/http-schemas.js'

/** Aborts when the client goes away before the answer is complete: a run nobody awaits stops. */
function abortOnDisconnect (reply: FastifyReply): AbortController {
  const controller = new AbortController()
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'))
  })
  return controller
}

function wantsEventStream (request: FastifyRequest): boolean {
  return /\btext\/event-stream\b/.test(request.headers.accept ?? '')
}

const agent: FastifyPluginAsyncTypebox = async (fastify) => {
  const { agent: coach } = fastify

  fastify.post('', {
    schema: {
      tags: ['agent'],
      operationId: 'askCoach',
      summary: 'Talk to the coach',
      description: 'The coach reads your data, acts through its tools and answers. With `Accept: text/event-stream` the run is streamed as Server-Sent Events: `tool_call`, `tool_result`, `delta` (text chunks), then `done` with the same object as the JSON reply, or `error` with the standard error body.',
      body: ref(AgentRequest),
      response: {
        200: {
          description: "The coach's answer: JSON, or with `Accept: text/event-stream` the run as Server-Sent Events",
          content: {
            'application/json': { schema: ref(AgentReply) },
            'text/event-stream': {
              schema: Type.String({ description: 'Server-Sent Events: `tool_call`, `tool_result`, `delta`, then `done` (data: the JSON reply) or `error` (data: an ErrorResponse)' })
            }
          }
        },
        ...errors(400, 401, 403, 404, 413, 502, 503, 504)
      }
    }
  }, async (request, reply) => {
    const controller = abortOnDisconnect(reply)
    // Refusals (daily budget, no account) are answered as plain HTTP errors, before any stream.
    const prepared = await coach.prepare(request.user.id, request.body.message)
    if (!wantsEventStream(request)) {
      return coach.execute(prepared, { signal: controller.signal })
    }

    const stream = reply.eventStream({ onShutdown: () => controller.abort(new Error('shutting down')) })
    try {
      const result = await coach.execute(prepared, {
        signal: controller.signal,
        onEvent: ({ type, ...data }) => stream.send(type, data)
      })
      stream.send('done', result)
    } catch (err) {
      if (!controller.signal.aborted) stream.fail(err)
    } finally {
      stream.end()
    }
  })

  fastify.delete('/conversation', {
    schema: {
      tags: ['agent'],
      operationId: 'clearConversation',
      summary: "Clear the coach's memory of your conversation",
      response: { 204: Type.Null({ description: 'The conversation is forgotten' }), ...errors(401, 404) }
    }
  }, async (request, reply) => {
    await coach.clearConversation(request.user.id)
    return reply.code(204).send(null)
  })

  fastify.get('/traces', {
    schema: {
      tags: ['agent'],
      operationId: 'listTraces',
      summary: 'What your recent coach runs did, newest first',
      querystring: TracesQuery,
      response: { 200: Type.Object({ traces: Type.Array(ref(AgentTrace)) }, { description: 'Your recent coach runs, newest first' }), ...errors(400, 401) }
    }
  }, async (request) => ({ traces: await coach.traces(request.user.id, request.query.limit) }))

  fastify.get('/traces/:trace_id', {
    schema: {
      tags: ['agent'],
      operationId: 'getTrace',
      summary: 'One coach run: model calls, tool calls, reasoning',
      params: TraceParams,
      response: { 200: ref(AgentTrace, 'The coach run'), ...errors(401, 404) }
    }
  }, async (request) => coach.trace(request.user.id, request.params.trace_id))
}

export default agent
