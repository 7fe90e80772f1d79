import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userPatterns } from '../../../src/drift/user-patterns.js'
import { gatherEngineInput } from '../../../src/drift/gather-engine-input.js'
import { weeklySummary } from '../../../src/drift/weekly-summary.js'
import { DriftReport, WeeklySummary, WeeksQuery } from '../../../src/drift/drift-schemas.js'
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

  fastify.get('/weekly', {
    schema: {
      tags: ['plan'],
      operationId: 'weeklySummary',
      summary: 'Your last weeks as the drift engine counts them: target, sessions, habit strength',
      description: 'Monday–Sunday weeks in your time zone, ending with the current one (what the web app charts). Sessions and habit strength are counted exactly as in GET /api/patterns.',
      querystring: WeeksQuery,
      response: { 200: ref(WeeklySummary, 'The weeks, oldest first'), ...errors(400, 401, 404) }
    }
  }, async (request) => ({
    weeks: weeklySummary(await gatherEngineInput(repo, request.user.id, new Date(), fastify.config.OUTCOME_WINDOW_HOURS), request.query.weeks)
  }))
}

export default patterns
