import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getPreferences, updatePreferences } from '../../../../src/plans/plans.js'
import { Preferences, PreferencesBody } from '../../../../src/plans/plan-schemas.js'
import { errors, ref } from '../../../../src/shared/http-schemas.js'

const preferences: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.get('', {
    schema: {
      tags: ['plan'],
      operationId: 'getPreferences',
      summary: 'Which kinds of intervention the coach and the autopilot may use',
      response: { 200: ref(Preferences, 'Your preferences (financial and social are off until you turn them on)'), ...errors(401, 404) }
    }
  }, async (request) => getPreferences(repo, request.user.id))

  fastify.put('', {
    schema: {
      tags: ['plan'],
      operationId: 'setPreferences',
      summary: 'Allow or refuse kinds of intervention (the fields you send change; the others stay)',
      body: ref(PreferencesBody),
      response: { 200: ref(Preferences, 'Your preferences now'), ...errors(400, 401, 404, 413, 415) }
    }
  }, async (request) => updatePreferences(repo, request.user.id, request.body))
}

export default preferences
