import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getAutopilotSettings, updateAutopilotSettings } from '../../../../src/autopilot/autopilot-settings.js'
import { AutopilotReply, AutopilotSettingsBody } from '../../../../src/autopilot/autopilot-schemas.js'
import { errors, ref } from '../../../../src/shared/http-schemas.js'

const autopilotSettings: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo, outreach } = fastify

  fastify.get('', {
    schema: {
      tags: ['autopilot'],
      operationId: 'getAutopilot',
      summary: 'The autopilot\'s settings (on, in-app only, by default)',
      response: { 200: ref(AutopilotReply, 'Your autopilot settings'), ...errors(401, 404) }
    }
  }, async (request) => ({ autopilot: await getAutopilotSettings(repo, request.user.id) }))

  fastify.put('', {
    schema: {
      tags: ['autopilot'],
      operationId: 'setAutopilot',
      summary: 'Turn the autopilot down or off, or let it use more channels (the fields you send change)',
      description: 'A channel you have not set up and confirmed is refused with 409 naming what is missing. Changes take effect at once: the next checkpoint is rescheduled.',
      body: ref(AutopilotSettingsBody),
      response: { 200: ref(AutopilotReply, 'Your autopilot settings now'), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request) => ({ autopilot: await updateAutopilotSettings(repo, outreach, request.user.id, request.body) }))
}

export default autopilotSettings
