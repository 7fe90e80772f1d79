import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AutopilotRunsReply } from '../../../src/autopilot/autopilot-schemas.js'
import { autopilotRuns as listRuns } from '../../../src/autopilot/autopilot-runs.js'
import { errors, queryWithDefaults, ref } from '../../../src/shared/http-schemas.js'

const autopilotRuns: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.get('/runs', {
    schema: {
      tags: ['autopilot'],
      operationId: 'listAutopilotRuns',
      summary: 'Why the autopilot did — or did not — act: one record per checkpoint, newest first',
      querystring: queryWithDefaults({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
      response: { 200: ref(AutopilotRunsReply, 'The most recent runs (the last 200 are kept)'), ...errors(400, 401, 404) }
    }
  }, async (request) => {
    return { runs: await listRuns(repo, request.user.id, request.query.limit) }
  })
}

export default autopilotRuns
