import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { inboxTag, listNudges, markAllRead, markNudge, sendNudge } from '../../../src/nudges/nudges.js'
import { MarkNudgeBody, NudgeBody, NudgeListReply, NudgeParams, NudgeQuery, NudgeReply } from '../../../src/nudges/nudge-schemas.js'
import { errors, rateLimitedResponse, ref } from '../../../src/shared/http-schemas.js'

const nudges: FastifyPluginAsyncTypebox = async (fastify) => {
  const { outreach } = fastify
  const etagOf = async (userId: string) => `"${await inboxTag(outreach, userId)}"`

  fastify.post('', {
    schema: {
      tags: ['nudges'],
      operationId: 'sendNudge',
      summary: 'Send yourself a nudge through a channel',
      description: 'Webhook, email and SMS nudges are delivered at least once through a durable outbox (retried with backoff; `status` and `attempts` show how it went). ' +
        'Quiet hours delay non-urgent ones (`scheduled`); `high` urgency bypasses them. Beyond your `daily_cap` of webhook, email and SMS nudges in a local day: 429 with `limit: "nudge_daily"`. ' +
        'The same `dedupe_key` within 24 h returns the first nudge with 200. in_app nudges go straight to your inbox. ' +
        'With `send_at` (now to 30 days ahead) it is a reminder for later: `scheduled` until then, in the inbox or through its channel at that moment.',
      body: ref(NudgeBody),
      response: {
        200: ref(NudgeReply, 'The nudge already sent with this dedupe_key'),
        202: ref(NudgeReply, 'Accepted for delivery'),
        429: rateLimitedResponse(),
        ...errors(400, 401, 404, 409, 413, 415)
      }
    }
  }, async (request, reply) => {
    const { nudge, created } = await sendNudge(outreach, request.user.id, request.body, { source: 'you' })
    return reply.code(created ? 202 : 200).send({ nudge })
  })

  fastify.get('', {
    config: { etag: async (request) => request.session?.userId ? etagOf(request.session.userId) : null },
    schema: {
      tags: ['nudges'],
      operationId: 'listNudges',
      summary: 'Your nudges (the in-app inbox, and delivery status of the others), newest first',
      description: 'Carries an ETag: poll with If-None-Match, and an unchanged inbox answers 304 — which does not count against your rate limit.',
      querystring: NudgeQuery,
      response: { 200: ref(NudgeListReply, 'Your nudges'), 304: Type.Null({ description: 'Unchanged since the ETag you sent' }), ...errors(400, 401, 404) }
    }
  }, async (request, reply) => {
    const etag = await etagOf(request.user.id)
    reply.header('etag', etag).header('cache-control', 'private, no-cache')
    return { nudges: await listNudges(outreach, request.user.id, request.query) }
  })

  fastify.patch('/:nudge_id', {
    schema: {
      tags: ['nudges'],
      operationId: 'markNudge',
      summary: 'Mark a nudge read (or unread)',
      params: NudgeParams,
      body: ref(MarkNudgeBody),
      response: { 200: ref(NudgeReply, 'The nudge'), ...errors(400, 401, 404, 413, 415) }
    }
  }, async (request) => ({ nudge: await markNudge(outreach, request.user.id, request.params.nudge_id, request.body.read) }))

  fastify.post('/read-all', {
    schema: {
      tags: ['nudges'],
      operationId: 'markAllNudgesRead',
      summary: 'Mark every nudge read',
      description: 'Send no body.',
      response: { 200: Type.Object({ marked: Type.Integer({ description: 'how many were unread' }) }, { description: 'Done' }), ...errors(401, 404) }
    }
  }, async (request) => ({ marked: await markAllRead(outreach, request.user.id) }))
}

export default nudges
