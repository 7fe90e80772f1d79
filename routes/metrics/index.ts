import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { bearerTokenMatches } from '../../src/infra/bearer-token.js'
import { unauthorized } from '../../src/shared/domain-errors.js'
import { errors } from '../../src/shared/http-schemas.js'

// Prometheus scrape endpoint. With METRICS_TOKEN set, only `Authorization: Bearer <token>` may read
// it (route counts and latencies tell an outsider a lot); without it, it is open, for a service
// whose port only the scraper can reach. Never rate-limited (outside /api, see
// src/rate-limit-scopes.ts): a scraper must not be turned away.
const metrics: FastifyPluginAsyncTypebox = async (fastify) => {
  const token = fastify.config.METRICS_TOKEN
  const registry = fastify.metricsRegistry

  fastify.get('', {
    schema: {
      tags: ['health'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics (text exposition format)',
      description: 'Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
      security: [],
      response: { 200: { description: 'The metrics, in the Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } }, ...errors(401) }
    },
    onRequest: async (request, reply) => {
      if (token && !bearerTokenMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"')
        throw unauthorized('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.')
      }
    }
  }, async (_request, reply) => {
    const body = await registry.metrics()
    return reply.type(registry.contentType).send(body)
  })
}

export default metrics
