import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { confirmContact, getChannels, rotateWebhookSecret, updateChannels } from '../../../../src/nudges/channels.js'
import { ChannelsBody, ChannelsReply, ConfirmContactBody, TestChannelBody } from '../../../../src/nudges/channel-schemas.js'
import { NudgeReply } from '../../../../src/nudges/nudge-schemas.js'
import { sendTestNudge } from '../../../../src/nudges/nudges.js'
import { errors, rateLimitedResponse, ref } from '../../../../src/shared/http-schemas.js'

const channels: FastifyPluginAsyncTypebox = async (fastify) => {
  const { outreach } = fastify

  fastify.get('', {
    schema: {
      tags: ['nudges'],
      operationId: 'getChannels',
      summary: 'Where nudges can reach you: webhook, email, SMS, quiet hours and the daily cap',
      response: { 200: ref(ChannelsReply, 'Your channels (secrets are never shown again)'), ...errors(401, 404) }
    }
  }, async (request) => ({ channels: await getChannels(outreach, request.user.id) }))

  fastify.put('', {
    schema: {
      tags: ['nudges'],
      operationId: 'setChannels',
      summary: 'Set up channels (the fields you send change; null removes one)',
      description: 'A new email address or phone number gets a 6-digit code (confirm it with POST /api/me/channels/confirm); nothing else is sent to it until then. ' +
        'The reply that first sets `webhook_url` carries `webhook_secret`, shown once: every delivery is signed with it (`x-ra-signature`). ' +
        'Webhook URLs must be public http(s) addresses.',
      body: ref(ChannelsBody),
      response: { 200: ref(ChannelsReply, 'Your channels now'), 429: rateLimitedResponse(), ...errors(400, 401, 404, 409, 413, 415, 502) }
    }
  }, async (request) => ({ channels: await updateChannels(outreach, request.user.id, request.body) }))

  fastify.post('/confirm', {
    schema: {
      tags: ['nudges'],
      operationId: 'confirmChannel',
      summary: 'Confirm an email address or phone number with the code sent to it',
      body: ref(ConfirmContactBody),
      response: { 200: ref(ChannelsReply, 'Confirmed: the channel is usable'), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => ({ channels: await confirmContact(outreach, request.user.id, request.body) }))

  fastify.post('/webhook-secret', {
    schema: {
      tags: ['nudges'],
      operationId: 'rotateWebhookSecret',
      summary: 'A new webhook signing secret (the previous one stops signing at once)',
      description: 'Send no body. The new `webhook_secret` is shown only in this reply.',
      response: { 200: ref(ChannelsReply, 'Your channels, with the new secret'), ...errors(401, 404, 409) }
    }
  }, async (request) => ({ channels: await rotateWebhookSecret(outreach, request.user.id) }))

  fastify.post('/test', {
    schema: {
      tags: ['nudges'],
      operationId: 'testChannel',
      summary: 'Send a test message through one channel (now, whatever the quiet hours and cap)',
      body: ref(TestChannelBody),
      response: {
        202: ref(NudgeReply, 'Accepted: follow its status with GET /api/nudges'),
        ...errors(400, 401, 404, 409, 413, 415)
      }
    }
  }, async (request, reply) => reply.code(202).send({ nudge: await sendTestNudge(outreach, request.user.id, request.body.channel) }))
}

export default channels
