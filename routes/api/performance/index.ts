import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { bearerToken, bearerTokenMatches } from '../../../src/infra/bearer-token.js'
import { unauthorized } from '../../../src/shared/domain-errors.js'
import { errors, Nullable } from '../../../src/shared/http-schemas.js'
import { TargetsReport } from '../../../src/infra/telemetry/performance-schemas.js'

// The performance monitor's report. Readable by any logged-in user (it holds no one's data) or by a
// monitoring system with METRICS_TOKEN. The route is marked public so the /api hook does not
// demand a session, and checks "session or token" itself. A request that presents a bearer token
// is judged by the token alone: a wrong token is a 401 even with a session, so a misconfigured
// scraper is noticed instead of silently riding on someone's cookie.


const Stats = Type.Object({
  count: Type.Integer({ description: 'samples in the window' }),
  total: Type.Integer({ description: 'samples since start' }),
  average: Nullable(Type.Number()),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  p50: Nullable(Type.Number()),
  p95: Nullable(Type.Number()),
  p99: Nullable(Type.Number())
}, { description: 'milliseconds over the last PERF_WINDOW samples (nearest-rank percentiles)' })

export const PerformanceResponse = Type.Object({
  stats: Type.Record(Type.String(), Stats, { description: 'by operation: `METHOD /route/pattern`, agent_response, llm_call, tool:<name>, store_flush, redis' }),
  targets: TargetsReport,
  passing: Nullable(Type.Boolean({ description: 'false if any target fails; true if every target with data passes; null if no target has data' }))
})

const performance: FastifyPluginAsyncTypebox = async (fastify) => {
  const token = fastify.config.METRICS_TOKEN

  fastify.get('', {
    config: { public: true },
    schema: {
      tags: ['health'],
      summary: 'Latency percentiles per operation and the performance targets',
      description: 'Needs a session, or `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
      response: { 200: PerformanceResponse, ...errors(401, 403) }
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
