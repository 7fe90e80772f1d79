// An x-request-id on every response, to tie a report to the log (the one log line per request is
// the server's logController: src/infra/telemetry/request-log-controller.ts).
import fp from 'fastify-plugin'

export default fp(async function requestLog (fastify) {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
}, { name: 'request-log' })
