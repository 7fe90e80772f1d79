// Security headers (@fastify/helmet). The CSP lets Swagger UI's own scripts and styles run at
// /documentation and nothing else.
//
// The headers are the same for every response, so they are computed once, at start-up, by
// running helmet's own middleware against a recording response, and then set from that list on
// each request. (@fastify/helmet builds a new helmet middleware — parsing the CSP directives —
// on every request: a measurable share of a cached read.) The plugin stays registered without
// its global hook, so `reply.helmet()` remains for a route that needs other headers.
import fp from 'fastify-plugin'
import helmetPlugin from '@fastify/helmet'
import helmet from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The headers helmet sets for `options`, as [name, value] pairs. */
export function helmetHeaders (options: Parameters<typeof helmet>[0]): Array<[string, string]> {
  const recorded = new Map<string, string>()
  const response = {
    setHeader (name: string, value: string | number | readonly string[]) { recorded.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)) },
    removeHeader (name: string) { recorded.delete(name.toLowerCase()) },
    getHeader (name: string) { return recorded.get(name.toLowerCase()) }
  }
  let failed: unknown = null
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => { failed = err ?? null })
  if (failed) throw failed
  return [...recorded]
}

export default fp(async function helmetHeadersPlugin (fastify) {
  const swagger = (fastify as unknown as { swaggerCSP?: { script: string[], style: string[] } }).swaggerCSP
  const options = {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...(swagger?.script ?? [])],
        styleSrc: ["'self'", ...(swagger?.style ?? [])],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Helmet's default would make browsers fetch Swagger UI's assets over https even when the
        // service is plain HTTP on a LAN address (a blank page).
        upgradeInsecureRequests: null
      }
    }
  } as const
  await fastify.register(helmetPlugin, { ...options, global: false })
  const headers = Object.fromEntries(helmetHeaders(options))
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
}, { name: 'helmet', dependencies: ['swagger'] })
