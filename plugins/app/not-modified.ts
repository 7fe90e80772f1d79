// Conditional GETs that cost almost nothing: a route that can tell its current ETag cheaply
// (`config.etag`) answers `If-None-Match` with a 304 here, in an onRequest hook registered before
// the rate limits — so a client polling an unchanged inbox is not counted against its `api` limit
// and no handler, serializer or body runs. Anything else goes on as usual (and is counted).
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the resource's current ETag (quoted), or null when it cannot be told here (no session) */
    etag?: (request: FastifyRequest) => Promise<string | null>
  }
}

export function etagMatches (header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some(tag => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}

export default fp(async function notModified (fastify) {
  fastify.addHook('onRequest', async (request, reply) => {
    const etagOf = request.routeOptions.config?.etag
    if (!etagOf || request.method !== 'GET' || !request.headers['if-none-match']) return
    const etag = await etagOf(request)
    if (etag === null || !etagMatches(request.headers['if-none-match'], etag)) return
    return reply.code(304).header('etag', etag).header('cache-control', 'private, no-cache').send()
  })
}, { name: 'not-modified', dependencies: ['sessions', 'store'] })
