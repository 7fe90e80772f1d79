// POST /api/nudges with send_at: a reminder for later. It waits as `scheduled` and reaches the inbox
// at its time through the same outbox as every other delivery; a time in the past, too far ahead
// or without an offset is refused with the field named.
import t from 'tap'
import { build, register } from '../helpers/build-app.js'

const send = (app: Awaited<ReturnType<typeof build>>, headers: Record<string, string>, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/nudges', headers, payload })

t.test('an in-app reminder waits until send_at, then is in the inbox', async t => {
  const app = await build(t, { env: { NUDGE_POLL_MS: '50' } })
  const alice = await register(app, 'alice', { timezone: 'Asia/Tokyo' })
  const at = new Date(Date.now() + 600)
  const res = await send(app, alice.headers, { message: 'Stretch!', channel: 'in_app', send_at: at.toISOString().replace('Z', '+00:00') })
  t.equal(res.statusCode, 202)
  t.match(res.json().nudge, { status: 'scheduled', scheduled_for: at.toISOString(), delivered_at: null })
  const inbox = async () => (await app.inject({ url: '/api/nudges', headers: alice.headers })).json().nudges[0]
  t.equal((await inbox()).status, 'scheduled', 'not delivered before its time')
  const deadline = Date.now() + 5000
  while ((await inbox()).status !== 'delivered' && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
  const delivered = await inbox()
  t.equal(delivered.status, 'delivered')
  t.ok(Date.parse(delivered.delivered_at) >= at.getTime(), 'delivered at or after send_at')
})

t.test('send_at must be ahead (within 30 days) and carry an offset', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const past = await send(app, alice.headers, { message: 'x', channel: 'in_app', send_at: new Date(Date.now() - 3_600_000).toISOString() })
  t.match({ status: past.statusCode, body: past.json() }, { status: 400, body: { message: /body\.send_at is in the past/ } })
  const far = await send(app, alice.headers, { message: 'x', channel: 'in_app', send_at: new Date(Date.now() + 31 * 86_400_000).toISOString() })
  t.match({ status: far.statusCode, body: far.json() }, { status: 400, body: { message: /body\.send_at is more than 30 days ahead/ } })
  const local = await send(app, alice.headers, { message: 'x', channel: 'in_app', send_at: '2030-01-01T07:00:00' })
  t.equal(local.statusCode, 400, 'a wall-clock time without a zone is ambiguous')
  t.match(local.json().message, /send_at/)
  const now = await send(app, alice.headers, { message: 'now', channel: 'in_app' })
  t.match(now.json().nudge, { status: 'delivered', scheduled_for: null }, 'without send_at: in the inbox at once, as before')
})
