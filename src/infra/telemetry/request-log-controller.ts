// One log line per request — method, route pattern (never the raw URL: query strings can hold
// tokens), status, duration. A Fastify server option (`logController`), so src/server.ts passes it.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'

function cacheField (reply: FastifyReply): { cache?: string } {
  const value = reply.getHeader('x-cache')
  return typeof value === 'string' ? { cache: value } : {}
}

/** Replaces Fastify's two lines per request (which log the raw URL) with one safe line. */
export class RequestLogController extends LogController {
  override incomingRequest (): void {}

  override requestCompleted (error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      // HIT or MISS when the response cache answered or was consulted (it sets x-cache).
      ...cacheField(reply)
    }
    if (error) reply.log.error({ ...line, err: error }, 'request failed')
    else reply.log.info(line, 'request completed')
  }

  /** Fastify's own "route not found" line would log the raw URL; the completion line covers it. */
  override routeNotFound (): void {}
}
