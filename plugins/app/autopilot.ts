// `fastify.autopilot`: runs due checkpoints every AUTOPILOT_TICK_MS (off on this instance with
// AUTOPILOT_ENABLED=false), and reschedules a person's next checkpoint whenever their account,
// plan, pauses, settings, workouts or commitment change (the store's change notifications).
import fp from 'fastify-plugin'
import { AutopilotRunner } from '../../src/autopilot/autopilot-runner.js'
import { modelPhraser } from '../../src/autopilot/phrase-message.js'
import { chatModelFor } from '../../src/agent/create-coach.js'

declare module 'fastify' {
  interface FastifyInstance {
    autopilot: AutopilotRunner
  }
}

export default fp(async function autopilot (fastify) {
  const { config } = fastify
  // With a provider configured, messages may be re-phrased by the model (a small token budget).
  const phrase = config.LLM.provider === 'offline' ? undefined : modelPhraser(chatModelFor({ ...config, LLM_MAX_TOKENS: Math.min(config.LLM_MAX_TOKENS, 200) }), config.LLM_TIMEOUT_MS)
  const runner = new AutopilotRunner({ repo: fastify.repo, outreach: fastify.outreach, outcomeWindowHours: config.OUTCOME_WINDOW_HOURS, log: fastify.log, ...(phrase ? { phrase } : {}) })
  fastify.decorate('autopilot', runner)
  // Awaited, so a write is acknowledged with its checkpoint in place; it costs a write only when
  // the next checkpoint moved (a plan, pause, zone, settings or commitment change).
  fastify.repo.onUserChanged(userId => runner.reschedule(userId, Date.now()).catch(err => fastify.log.error({ err, user_id: userId }, 'autopilot reschedule failed')))
  if (!config.AUTOPILOT_ENABLED) return

  let stopped = false
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (stopped) return
    running ??= runner.tick(Date.now()).catch(err => fastify.log.error({ err }, 'autopilot tick failed')).finally(() => { running = undefined })
  }
  let timer: NodeJS.Timeout | undefined
  fastify.addHook('onReady', async () => {
    timer = setInterval(tick, config.AUTOPILOT_TICK_MS).unref()
    tick()
  })
  fastify.addHook('preClose', async () => {
    stopped = true
    clearInterval(timer)
    await running
  })
}, { name: 'autopilot', dependencies: ['config', 'store', 'nudges'] })
