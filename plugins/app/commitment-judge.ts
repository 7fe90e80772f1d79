// Judges commitments in the background, so a milestone is judged (and a forfeit recorded) when
// it falls due even if nobody reads it — reads settle lazily too. Due users come from the store's
// due-time queue every COMMITMENT_CHECK_MS (claimed, so with several instances each is judged by
// one); after a downtime the
// first pass catches up on everything that fell due meanwhile.
import fp from 'fastify-plugin'
import { settleCommitments } from '../../src/commitments/commitments.js'

const BATCH = 50

export default fp(async function commitmentJudge (fastify) {
  let stopped = false
  let running: Promise<void> | undefined

  async function judgeDue (): Promise<void> {
    while (!stopped) {
      const due = await fastify.repo.claimDueCommitmentChecks(Date.now(), BATCH, 5 * 60_000)
      if (due.length === 0) return
      for (const { user_id: userId } of due) {
        if (stopped) return
        await settleCommitments(fastify.repo, userId).catch(async err => {
          fastify.log.error({ err, user_id: userId }, 'commitment judgement failed; retried later')
          await fastify.repo.scheduleCommitmentCheck(userId, Date.now() + 5 * 60_000).catch(() => {})
        })
      }
    }
  }

  const tick = () => { running ??= judgeDue().catch(err => fastify.log.error({ err }, 'commitment judging failed')).finally(() => { running = undefined }) }
  let timer: NodeJS.Timeout | undefined
  fastify.addHook('onReady', async () => {
    timer = setInterval(tick, fastify.config.COMMITMENT_CHECK_MS).unref()
    tick()
  })
  fastify.addHook('preClose', async () => {
    stopped = true
    clearInterval(timer)
    await running
  })
}, { name: 'commitment-judge', dependencies: ['config', 'store'] })
