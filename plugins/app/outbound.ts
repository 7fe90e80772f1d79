// `fastify.outbound`: the one way the service fetches a URL a user gave (calendar subscriptions;
// webhooks next) — public addresses only, checked again at connect time, no redirects, bounded
// in time and size (src/infra/outbound/safe-fetch.ts).
import fp from 'fastify-plugin'
import { SafeFetcher } from '../../src/infra/outbound/safe-fetch.js'

declare module 'fastify' {
  interface FastifyInstance {
    outbound: SafeFetcher
  }
}

/** A calendar file is at most this large (as an upload is). */
const MAX_BYTES = 2 * 1024 * 1024
const TIMEOUT_MS = 10_000

export default fp<{ resolver?: ConstructorParameters<typeof SafeFetcher>[0]['resolver'] }>(async function outbound (fastify, options) {
  const fetcher = new SafeFetcher({ allowPrivate: fastify.config.ALLOW_PRIVATE_WEBHOOKS, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, resolver: options.resolver })
  fastify.decorate('outbound', fetcher)
  fastify.addHook('onClose', async () => fetcher.close())
}, { name: 'outbound', dependencies: ['config'] })
