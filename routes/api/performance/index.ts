import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { bearerToken, bearerTokenMatches } from '../../../src/infra/bearer-token.js'
import { unauthorized } from '../../../src/shared/domain-errors.js'
import { errors, ref } from '../../../src/shared/http-schemas.js'
import { PerformanceResponse } from '../../../src/infra/telemetry/performance-schemas.js'

// The performance monitor's report. Readable by any logged-in user (it holds no one's data) or by a
// monitoring system with METRICS_TOKEN. The route is marked public so the /api hook does not
// demand a session, and checks "session or token" itself. A request that presents a bearer token
// is judged by the token alone: a wrong token is a 401 even with a session, so a misconfigured
// scraper is noticed instead of silently riding on someone's cookie.

const performance: FastifyPluginAsyncTypebox = async (fastify) => {
  const token = fastify.config.METRICS_TOKEN

  fastify.get('', {
    config: { public: true },
    schema: {
      tags: ['health'],
      operationId: 'getPerformance',
      summary: 'Latency percentiles per operation and the performance targets',
      description: 'Needs a session, or `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
      response: { 200: ref(PerformanceResponse, 'The performance report'), ...errors(401, 403) }
    },
    onRequest: async (request) => {
      const header = request.headers.authorization
      if (token && bearerToken(header) !== null) {
        if (bearerTokenMatches(header, token)) return
        throw unauthorized('The bearer token is not the METRICS_TOKEN.')
      }
      if (request.session?.userId) return
      throw unauthorized(token
        ? 'Log in first (sessionId cookie or x-session-id header) or send Authorization: Bearer <METRICS_TOKEN>.'
        : 'Log in first: send the sessionId cookie or an x-session-id header (from POST /api/auth/login).')
    }
  }, async () => fastify.perf.report())
}

export default performance
