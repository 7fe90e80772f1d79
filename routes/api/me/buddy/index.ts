import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { deleteBuddy, getBuddy, setBuddy } from '../../../../src/nudges/buddy.js'
import { BuddyBody, BuddyReply } from '../../../../src/nudges/channel-schemas.js'
import { errors, ref } from '../../../../src/shared/http-schemas.js'

const buddy: FastifyPluginAsyncTypebox = async (fastify) => {
  const { outreach } = fastify

  fastify.get('', {
    schema: {
      tags: ['nudges'],
      operationId: 'getBuddy',
      summary: 'Your accountability buddy and whether they accepted',
      response: { 200: ref(BuddyReply, 'Your buddy'), ...errors(401, 404) }
    }
  }, async (request) => ({ buddy: await getBuddy(outreach, request.user.id) }))

  fastify.put('', {
    schema: {
      tags: ['nudges'],
      operationId: 'setBuddy',
      summary: 'Choose an accountability buddy (replaces the previous one); they are invited and must accept',
      description: 'The buddy gets an invitation (by email, or a `buddy_invitation` event to their webhook) with a link to accept. ' +
        'Until they accept, nothing else is sent to them; every message to them carries a link to stop. Give `email` or `webhook_url` (or both).',
      body: ref(BuddyBody),
      response: { 200: ref(BuddyReply, 'Your buddy, pending until they accept (webhook_secret is shown only now)'), ...errors(400, 401, 404, 409, 413, 415, 502) }
    }
  }, async (request) => ({ buddy: await setBuddy(outreach, request.user.id, request.body) }))

  fastify.delete('', {
    schema: {
      tags: ['nudges'],
      operationId: 'deleteBuddy',
      summary: 'Remove your buddy (nothing more is sent to them)',
      response: { 204: Type.Null({ description: 'Removed' }), ...errors(401, 404) }
    }
  }, async (request, reply) => {
    await deleteBuddy(outreach, request.user.id)
    return reply.code(204).send(null)
  })
}

export default buddy
