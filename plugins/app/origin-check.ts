// Cross-site request forgery: a browser sends the session cookie with a request another site
// makes it send. A state-changing request (any method but GET, HEAD, OPTIONS — bodiless ones
// too: confirm, logout, read-all) that rides on the cookie must come from the service's own
// origin or FRONTEND_URL, by its Origin header (or, without one, its Referer). Requests that carry
// the session in `x-session-id` are not affected: another site cannot make a browser send that.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { DomainError } from '../../src/shared/domain-errors.js'
import { SESSION_COOKIE } from '../../src/infra/sessions/session-store.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function originOf (value: string | undefined): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    return url.origin === 'null' ? 'null' : url.origin
  } catch {
    return 'null'
  }
}

export default fp(async function originCheck (fastify) {
  const allowed = new Set(fastify.config.FRONTEND_URL.map(u => originOf(u)).filter((o): o is string => o !== null && o !== 'null'))
  const cookieSession = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`)

  // Normalised like the header (URL drops a default port: http://localhost:80 is http://localhost).
  const ownOrigin = (request: FastifyRequest) => originOf(`${request.protocol}://${request.host}`)

  fastify.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return
    if (request.headers['x-session-id'] !== undefined) return
    if (!cookieSession.test(request.headers.cookie ?? '')) return
    const origin = originOf(request.headers.origin) ?? originOf(request.headers.referer)
    // Neither header: not a browser request another site made (browsers send Origin on every
    // cross-site POST), e.g. curl with a cookie jar.
    if (origin === null) return
    if (origin === ownOrigin(request) || allowed.has(origin)) return
    throw new DomainError('forbidden', `Cross-site request refused: ${origin} may not change anything with your session cookie (allowed: this service's own origin${allowed.size > 0 ? ` and ${[...allowed].join(', ')}` : ''}).`)
  })
}, { name: 'origin-check', dependencies: ['config'] })
