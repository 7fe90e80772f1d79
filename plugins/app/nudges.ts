// `fastify.outreach` (what nudge and intervention routes and the coach's tools act through) and
// the delivery worker that drains the outbox. The worker starts once the service is ready and
// stops, waiting for attempts in flight, when it closes.
import fp from 'fastify-plugin'
import { createOutreach } from '../../src/nudges/create-outreach.js'
import { NudgeDispatcher } from '../../src/nudges/nudge-dispatcher.js'
import type { Outreach } from '../../src/nudges/outreach.js'

declare module 'fastify' {
  interface FastifyInstance {
    outreach: Outreach
  }
}

export default fp(async function nudges (fastify) {
  const { config } = fastify
  let dispatcher: NudgeDispatcher | null = null
  const { outreach, close } = createOutreach(config, fastify.repo, fastify.outbound, () => dispatcher?.kick())
  dispatcher = new NudgeDispatcher(outreach, {
    maxAttempts: config.NUDGE_MAX_ATTEMPTS,
    retryMaxMs: config.NUDGE_RETRY_MAX_MS,
    pollMs: config.NUDGE_POLL_MS,
    attemptTimeoutMs: config.NUDGE_WEBHOOK_TIMEOUT_MS,
    log: fastify.log
  })
  fastify.decorate('outreach', outreach)
  fastify.addHook('onReady', async () => dispatcher.start())
  // preClose: before any onClose hook (the store's) runs, so no attempt is recorded into a closed store.
  fastify.addHook('preClose', async () => {
    await dispatcher.close()
    await close()
  })
}, { name: 'nudges', dependencies: ['config', 'store', 'outbound'] })
