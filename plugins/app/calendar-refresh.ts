// Subscribed calendars are fetched again every CALENDAR_REFRESH_MINUTES, one at a time, by a timer
// that never keeps the process alive and stops on close. (One instance holds DATA_DIR, so one
// timer runs; a shared store will need the scheduler the autopilot brings.)
import fp from 'fastify-plugin'
import { refreshSubscription } from '../../src/calendar/calendars.js'

export default fp(async function calendarRefresh (fastify) {
  const periodMs = fastify.config.CALENDAR_REFRESH_MINUTES * 60_000
  let running: Promise<void> | undefined
  let stopped = false

  async function refreshDue (): Promise<void> {
    const due = (await fastify.repo.listCalendarSubscriptions())
      .filter(({ subscription }) => Date.now() - Date.parse(subscription.refreshed_at) >= periodMs)
    for (const { userId } of due) {
      if (stopped) return
      const ok = await refreshSubscription(fastify.repo, fastify.outbound, userId).catch(() => false)
      if (!ok) fastify.log.warn({ user_id: userId }, 'calendar subscription refresh failed (kept the last good copy)')
    }
  }

  const timer = setInterval(() => {
    running ??= refreshDue().catch(err => fastify.log.error({ err }, 'calendar refresh failed')).finally(() => { running = undefined })
  }, Math.min(periodMs, 60_000)).unref()

  fastify.addHook('onClose', async () => {
    stopped = true
    clearInterval(timer)
    await running
  })
}, { name: 'calendar-refresh', dependencies: ['store', 'outbound', 'config'] })
