import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userPatterns } from '../../../src/drift/user-patterns.js'
import { DriftReport } from '../../../src/drift/drift-schemas.js'
import { errors, ref } from '../../../src/shared/http-schemas.js'

const patterns: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.get('', {
    schema: {
      tags: ['plan'],
      operationId: 'detectPatterns',
      summary: 'Drift signals: is your resolution slipping, why, and what would help',
      description: 'Deterministic: computed from your plan, workouts, pauses and preferences. Signals: consecutive misses, completion rate (7/14/28 days), frequency and duration trends, a weekday you keep missing, time-of-day drift, habit strength, the safety buffer, a plan that does not match when you really train.',
      response: { 200: ref(DriftReport, 'The drift report'), ...errors(401, 404) }
    }
  }, async (request) => userPatterns(repo, request.user.id, new Date(), fastify.config.OUTCOME_WINDOW_HOURS))
}

export default patterns
