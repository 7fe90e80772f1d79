// What keeps nudges from becoming spam: quiet hours in the person's own zone, a daily cap per
// local day, dedupe keys — and an inbox cheap to poll (ETag + 304 outside the rate limit).
import t from 'tap'
import { build, register } from '../helpers/build-app.js'
import { startWebhookReceiver } from '../helpers/webhook-receiver.js'
import { localTime } from '../../src/shared/local-time.js'

const shift = (hhmm: string, minutes: number) => {
  const [h, m] = hhmm.split(':').map(Number)
  const total = ((h * 60 + m + minutes) % 1440 + 1440) % 1440
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

for (const timezone of ['Asia/Tokyo', 'America/New_York', 'Europe/Berlin']) {
  t.test(`quiet hours, cap and dedupe in ${timezone}`, async t => {
    const receiver = await startWebhookReceiver(t)
    const app = await build(t, { env: { ALLOW_PRIVATE_WEBHOOKS: 'true', NUDGE_POLL_MS: '50' } })
    const s = await register(app, 'quiet', { timezone })
    const now = localTime(new Date(), timezone)
    // Quiet hours around "now" in the person's zone (they may cross midnight).
    const quiet = { start: shift(now, -60), end: shift(now, 60) }
    const set = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { webhook_url: receiver.url, quiet_hours: quiet, daily_cap: 5 } })
    t.equal(set.statusCode, 200)
    t.match(set.json().channels, { quiet_hours: quiet, daily_cap: 5 })

    const calm = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'later', channel: 'webhook' } })
    t.equal(calm.statusCode, 202)
    const scheduled = calm.json().nudge
    t.equal(scheduled.status, 'scheduled', 'a non-urgent nudge waits for quiet hours to end')
    const waitMinutes = (Date.parse(scheduled.scheduled_for) - Date.now()) / 60_000
    t.ok(waitMinutes > 55 && waitMinutes <= 61, `scheduled about an hour from now (${waitMinutes.toFixed(1)} min)`)
    t.equal(localTime(new Date(scheduled.scheduled_for), timezone), quiet.end, 'at the end of quiet hours, local time')

    const urgent = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'now', channel: 'webhook', urgency: 'high', dedupe_key: 'session-42' } })
    t.equal(urgent.statusCode, 202)
    t.equal(urgent.json().nudge.status, 'queued', 'high urgency bypasses quiet hours')
    await receiver.waitForRequests(1)
    t.equal(receiver.requests.length, 1, 'only the urgent one went out')

    const repeat = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'now, again', channel: 'webhook', urgency: 'high', dedupe_key: 'session-42' } })
    t.equal(repeat.statusCode, 200, 'a repeated dedupe_key returns the first nudge')
    t.equal(repeat.json().nudge.nudge_id, urgent.json().nudge.nudge_id)

    // The cap, for someone without quiet hours (so every nudge is due today, local time).
    const c = await register(app, 'capped', { timezone })
    await app.inject({ method: 'PUT', url: '/api/me/channels', headers: c.headers, payload: { webhook_url: receiver.url, daily_cap: 2 } })
    for (const message of ['first', 'second']) {
      t.equal((await app.inject({ method: 'POST', url: '/api/nudges', headers: c.headers, payload: { message, channel: 'webhook', urgency: 'high' } })).statusCode, 202)
    }
    const over = await app.inject({ method: 'POST', url: '/api/nudges', headers: c.headers, payload: { message: 'one too many', channel: 'webhook', urgency: 'high' } })
    t.equal(over.statusCode, 429, 'the daily cap holds — high urgency does not bypass it')
    t.match(over.json(), { limit: 'nudge_daily', retry_after: Number })
    const resetsIn = Number(over.headers['retry-after'])
    t.ok(resetsIn > 0 && resetsIn <= 25 * 3600, 'retry-after points at the next local midnight')
    const inApp = await app.inject({ method: 'POST', url: '/api/nudges', headers: c.headers, payload: { message: 'inbox is exempt', channel: 'in_app' } })
    t.equal(inApp.statusCode, 202)
    t.match(inApp.json().nudge, { status: 'delivered', channel: 'in_app' })
    const list = (await app.inject({ url: '/api/nudges', headers: c.headers })).json().nudges
    t.same(list.map((n: { message: string }) => n.message), ['inbox is exempt', 'second', 'first'], 'the refused one was not stored; newest first')
  })
}

t.test('a channel that is not set up is refused with what is missing, and nothing is stored', async t => {
  const app = await build(t)
  const s = await register(app, 'bare')
  const cases: Array<[string, RegExp]> = [['webhook', /webhook_url/], ['email', /SMTP_URL/], ['sms', /TWILIO_ACCOUNT_SID/]]
  for (const [channel, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'hi', channel } })
    t.equal(res.statusCode, 409, channel)
    t.match(res.json().message, message)
  }
  const email = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { email: 'me@example.com' } })
  t.equal(email.statusCode, 409, 'no email address can be set where the server has no SMTP')
  t.same((await app.inject({ url: '/api/nudges', headers: s.headers })).json().nudges, [])
  const bad = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: '', channel: 'in_app' } })
  t.equal(bad.statusCode, 400)
  const long = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'x'.repeat(501), channel: 'in_app' } })
  t.equal(long.statusCode, 400)
  const equal = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { quiet_hours: { start: '22:00', end: '22:00' } } })
  t.equal(equal.statusCode, 400)
})

t.test('the inbox: newest first, unread filter, read marks, and a 304 that costs no rate limit', async t => {
  const app = await build(t, { env: { RATE_LIMIT_API_MAX: '12' } })
  const s = await register(app, 'inbox')
  for (const message of ['one', 'two', 'three']) {
    t.equal((await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message, channel: 'in_app' } })).statusCode, 202)
  }
  const first = await app.inject({ url: '/api/nudges?limit=2', headers: s.headers })
  t.same(first.json().nudges.map((n: { message: string }) => n.message), ['three', 'two'])
  const etag = first.headers.etag as string
  t.match(etag, /^"/)
  const remaining = Number(first.headers['x-ratelimit-remaining'])
  for (let i = 0; i < 20; i++) {
    const polled = await app.inject({ url: '/api/nudges', headers: { ...s.headers, 'if-none-match': etag } })
    t.equal(polled.statusCode, 304)
  }
  const after = await app.inject({ url: '/api/nudges', headers: s.headers })
  t.equal(after.statusCode, 200, '20 polls with 304 did not use up a limit of 12')
  t.equal(Number(after.headers['x-ratelimit-remaining']), remaining - 1)

  const id = first.json().nudges[0].nudge_id
  const read = await app.inject({ method: 'PATCH', url: `/api/nudges/${id}`, headers: s.headers, payload: { read: true } })
  t.equal(read.statusCode, 200)
  t.match(read.json().nudge.read_at, String)
  const changed = await app.inject({ url: '/api/nudges', headers: { ...s.headers, 'if-none-match': etag } })
  t.equal(changed.statusCode, 200, 'a read mark changes the ETag')
  t.same((await app.inject({ url: '/api/nudges?unread=true', headers: s.headers })).json().nudges.map((n: { message: string }) => n.message), ['two', 'one'])
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges/read-all', headers: s.headers })).json().marked, 2)
  t.same((await app.inject({ url: '/api/nudges?unread=true', headers: s.headers })).json().nudges, [])
  t.equal((await app.inject({ method: 'PATCH', url: '/api/nudges/nope', headers: s.headers, payload: { read: true } })).statusCode, 404)
  t.equal((await app.inject({ url: '/api/nudges', headers: { 'if-none-match': etag } })).statusCode, 401, 'no session, no 304')
})
