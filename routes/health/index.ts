import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

// Liveness and store status for load balancers and operators. Answers from in-memory state only.
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  const started = Date.now()
  fastify.get('/', {
    schema: {
      tags: ['health'],
      summary: 'Service status',
      security: [],
      response: {
        200: Type.Object({ status: Type.String(), timestamp: Type.String(), uptime: Type.Number(), database: Type.Record(Type.String(), Type.Unknown()) }),
        503: Type.Object({ status: Type.String(), timestamp: Type.String(), uptime: Type.Number(), database: Type.Record(Type.String(), Type.Unknown()) })
      }
    }
  }, async (_request, reply) => {
    const database = fastify.repo.status()
    const status = database.writable ? 'healthy' : 'unhealthy'
    return reply.code(database.writable ? 200 : 503).send({
      status,
      timestamp: new Date().toISOString(),
      uptime: Math.round((Date.now() - started) / 1000),
      database
    })
  })
}

export default health
