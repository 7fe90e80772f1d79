// sendNudge with a fixed clock on a real store: quiet hours across a DST change, the daily cap on
// the person's local day, dedupe for 24 hours — whatever the machine's clock and zone.
import t, { type Test } from 'tap'
import { openTestStore } from '../helpers/test-store.js'
import type { Repository } from '../../src/store/repository.js'
import { accountSettings, registerAccount } from '../../src/accounts/accounts.js'
import { sendNudge } from '../../src/nudges/nudges.js'
import type { Outreach } from '../../src/nudges/outreach.js'
import { DomainError } from '../../src/shared/domain-errors.js'

async function setup (t: Test, timezone: string, channels: { quiet_hours?: { start: string, end: string }, daily_cap?: number }) {
  const repo = await openTestStore(t)
  const account = await registerAccount(repo, { username: 'clock', password: 'correct horse battery', timezone }, accountSettings(1024))
  let kicks = 0
  const outreach: Outreach = {
    repo,
    email: null,
    sms: null,
    webhook: { send: async () => ({ outcome: 'delivered', detail: 'not called here' }) },
    fetcher: { validate: async (raw: string) => new URL(raw) },
    links: { baseUrl: 'http://127.0.0.1:3001', secret: 'a-secret-of-at-least-32-characters!!' },
    outcomeWindowHours: 24,
    kick: () => { kicks++ }
  }
  await repo.updateChannels(account.id, c => {
    c.webhook = { url: 'https://hooks.example.com/nudge', secret: 'whsec_test' }
    if (channels.quiet_hours) c.quiet_hours = channels.quiet_hours
    if (channels.daily_cap !== undefined) c.daily_cap = channels.daily_cap
  })
  return { repo, outreach, userId: account.id, kicks: () => kicks }
}

const webhook = (message: string, extra: Record<string, unknown> = {}) => ({ message, channel: 'webhook' as const, ...extra })

t.test('New York, the night clocks spring forward: quiet hours end at 07:00 EDT', async t => {
  const { outreach, userId, repo, kicks } = await setup(t, 'America/New_York', { quiet_hours: { start: '22:00', end: '07:00' } })
  // 2026-03-08 01:30 EST = 06:30Z; at 02:00 the clocks jump to 03:00.
  const { nudge } = await sendNudge(outreach, userId, webhook('morning'), { source: 'you' }, new Date('2026-03-08T06:30:00Z'))
  t.equal(nudge.status, 'scheduled')
  t.equal(nudge.scheduled_for, '2026-03-08T11:00:00.000Z', '07:00 EDT')
  t.equal(kicks(), 0, 'nothing to deliver now')
  t.equal(await repo.nextDeliveryDue(), Date.parse('2026-03-08T11:00:00Z'), 'the outbox holds it for then')
  const urgent = await sendNudge(outreach, userId, webhook('now', { urgency: 'high' }), { source: 'coach' }, new Date('2026-03-08T06:31:00Z'))
  t.match(urgent.nudge, { status: 'queued', scheduled_for: '2026-03-08T06:31:00.000Z', source: 'coach' })
  t.equal(kicks(), 1)
  const outside = await sendNudge(outreach, userId, webhook('afternoon'), { source: 'you' }, new Date('2026-03-08T19:00:00Z'))
  t.equal(outside.nudge.status, 'queued', '15:00 EDT is not quiet')
})

t.test('Tokyo: the cap counts the local day, so 23:59 and 00:01 are different days', async t => {
  const { outreach, userId } = await setup(t, 'Asia/Tokyo', { daily_cap: 1 })
  // 2026-06-01 23:59 JST = 14:59Z; 00:01 JST the next day = 15:01Z.
  await sendNudge(outreach, userId, webhook('late'), { source: 'you' }, new Date('2026-06-01T14:59:00Z'))
  const refused = await sendNudge(outreach, userId, webhook('later'), { source: 'you' }, new Date('2026-06-01T14:59:30Z')).catch(e => e)
  t.ok(refused instanceof DomainError)
  t.match(refused, { kind: 'too_many', details: { limit: 'nudge_daily' }, retryAfterSeconds: 30 })
  const nextDay = await sendNudge(outreach, userId, webhook('new day'), { source: 'you' }, new Date('2026-06-01T15:01:00Z'))
  t.equal(nextDay.created, true, 'a new local day, a new allowance')
  const inApp = await sendNudge(outreach, userId, { message: 'inbox', channel: 'in_app' }, { source: 'you' }, new Date('2026-06-01T15:02:00Z'))
  t.equal(inApp.nudge.status, 'delivered', 'in-app is not capped')
  const test = await sendNudge(outreach, userId, webhook('test'), { source: 'test' }, new Date('2026-06-01T15:03:00Z'))
  t.equal(test.created, true, 'a channel test is not capped')
})

t.test('Berlin: a non-urgent nudge scheduled for after quiet hours counts on the day it goes out', async t => {
  const { outreach, userId } = await setup(t, 'Europe/Berlin', { quiet_hours: { start: '22:00', end: '07:00' }, daily_cap: 1 })
  // 23:30 CET on 2026-11-26 → scheduled for 07:00 on the 27th: the 27th's allowance is used.
  const night = await sendNudge(outreach, userId, webhook('night'), { source: 'you' }, new Date('2026-11-26T22:30:00Z'))
  t.equal(night.nudge.scheduled_for, '2026-11-27T06:00:00.000Z')
  const urgent = await sendNudge(outreach, userId, webhook('urgent', { urgency: 'high' }), { source: 'you' }, new Date('2026-11-26T22:31:00Z'))
  t.equal(urgent.nudge.status, 'queued', 'the 26th still had room')
  const morning = await sendNudge(outreach, userId, webhook('morning'), { source: 'you' }, new Date('2026-11-27T08:00:00Z')).catch(e => e)
  t.match(morning, { kind: 'too_many' }, 'the 27th was taken by the scheduled one')
})

t.test('dedupe holds for 24 hours, then the key may be used again', async t => {
  const { outreach, userId } = await setup(t, 'UTC', {})
  const first = await sendNudge(outreach, userId, webhook('a', { dedupe_key: 'k' }), { source: 'you' }, new Date('2026-05-01T08:00:00Z'))
  const same = await sendNudge(outreach, userId, webhook('b', { dedupe_key: 'k' }), { source: 'you' }, new Date('2026-05-02T07:59:00Z'))
  t.same([same.created, same.nudge.nudge_id], [false, first.nudge.nudge_id])
  const later = await sendNudge(outreach, userId, webhook('c', { dedupe_key: 'k' }), { source: 'you' }, new Date('2026-05-02T08:00:01Z'))
  t.equal(later.created, true)
})
