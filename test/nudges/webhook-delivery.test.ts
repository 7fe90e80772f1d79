// Nudges through a real local webhook receiver: signed like Stripe's, retried with backoff while
// the receiver is down, delivered when it comes back — also across a restart of the service —
// and every attempt of one nudge carries the same x-ra-delivery.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, register, tempDir, type Session } from '../helpers/build-app.js'
import { startWebhookReceiver } from '../helpers/webhook-receiver.js'
import { verifyWebhookSignature } from '../../src/nudges/delivery/webhook-signature.js'

const FAST = { ALLOW_PRIVATE_WEBHOOKS: 'true', NUDGE_POLL_MS: '50', NUDGE_RETRY_MAX_MS: '1000' }

async function nudgeNow (app: FastifyInstance, s: Session, nudgeId: string) {
  const list = (await app.inject({ url: '/api/nudges', headers: s.headers })).json().nudges as Array<Record<string, any>>
  return list.find(n => n.nudge_id === nudgeId)!
}

async function waitForStatus (app: FastifyInstance, s: Session, nudgeId: string, status: string, timeoutMs = 8000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const nudge = await nudgeNow(app, s, nudgeId)
    if (nudge.status === status || Date.now() > until) return nudge
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

t.test('a webhook nudge arrives signed; the secret is shown once', async t => {
  const receiver = await startWebhookReceiver(t)
  const app = await build(t, { env: FAST })
  const s = await register(app, 'hooked')
  const set = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { webhook_url: receiver.url } })
  t.equal(set.statusCode, 200)
  const secret = set.json().channels.webhook_secret
  t.match(secret, /^whsec_/)
  t.match(set.json().channels, { webhook_url: receiver.url, webhook_secret_set: true, usable: ['in_app', 'webhook'] })
  const shown = (await app.inject({ url: '/api/me/channels', headers: s.headers })).json().channels
  t.equal(shown.webhook_secret_set, true)
  t.notOk('webhook_secret' in shown, 'the secret is not shown again')
  const again = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { webhook_url: `${receiver.url}?v=2` } })
  t.notOk('webhook_secret' in again.json().channels, 'changing the URL keeps the secret')

  const sent = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'Leg day at 18:00', channel: 'webhook', urgency: 'high' } })
  t.equal(sent.statusCode, 202)
  const nudge = sent.json().nudge
  t.match(nudge, { channel: 'webhook', status: 'queued', attempts: 0, source: 'you' })
  const [request] = await receiver.waitForRequests(1)
  t.equal(request.method, 'POST')
  t.equal(request.headers['x-ra-delivery'], nudge.nudge_id)
  t.equal(request.headers['content-type'], 'application/json')
  t.ok(verifyWebhookSignature(secret, request.headers['x-ra-signature'] as string, request.rawBody, { nowS: Math.floor(Date.now() / 1000) }), 'the signature verifies with the secret')
  t.notOk(verifyWebhookSignature('whsec_wrong', request.headers['x-ra-signature'] as string, request.rawBody, { nowS: Math.floor(Date.now() / 1000) }))
  t.match(JSON.parse(request.rawBody), { id: nudge.nudge_id, type: 'nudge', created_at: nudge.created_at, nudge: { nudge_id: nudge.nudge_id, message: 'Leg day at 18:00', urgency: 'high' } })
  t.match(await waitForStatus(app, s, nudge.nudge_id, 'delivered'), { status: 'delivered', attempts: 1, delivered_at: String, last_error: null })

  const rotated = await app.inject({ method: 'POST', url: '/api/me/channels/webhook-secret', headers: s.headers })
  t.equal(rotated.statusCode, 200)
  t.not(rotated.json().channels.webhook_secret, secret)
  const other = await register(app, 'nohook')
  t.equal((await app.inject({ method: 'POST', url: '/api/me/channels/webhook-secret', headers: other.headers })).statusCode, 409)
})

t.test('a failing receiver is retried with the same x-ra-delivery; a 4xx gives up at once', async t => {
  const receiver = await startWebhookReceiver(t)
  const app = await build(t, { env: FAST })
  const s = await register(app, 'retry')
  await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { webhook_url: receiver.url } })
  receiver.reply(503, 429)
  const nudge = (await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'again', channel: 'webhook', urgency: 'high' } })).json().nudge
  const requests = await receiver.waitForRequests(3, 15_000)
  t.same(new Set(requests.map(r => r.headers['x-ra-delivery'])), new Set([nudge.nudge_id]), 'every attempt names the same delivery')
  const done = await waitForStatus(app, s, nudge.nudge_id, 'delivered')
  t.match(done, { status: 'delivered', attempts: 3 })

  receiver.reply(404)
  const gone = (await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'nobody home', channel: 'webhook', urgency: 'high' } })).json().nudge
  t.match(await waitForStatus(app, s, gone.nudge_id, 'failed'), { status: 'failed', attempts: 1, last_error: /404/ })
})

t.test('receiver down, then the service restarts, then the receiver is back: the nudge still arrives', async t => {
  const receiver = await startWebhookReceiver(t)
  const dataDir = await tempDir(t)
  const first = await build(t, { env: FAST, dataDir })
  const s = await register(first, 'durable')
  await first.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { webhook_url: receiver.url } })
  await receiver.stop()
  const nudge = (await first.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'survive a restart', channel: 'webhook', urgency: 'high' } })).json().nudge
  const retrying = await waitForStatus(first, s, nudge.nudge_id, 'retrying')
  t.match(retrying, { status: 'retrying', attempts: 1, last_error: /./, scheduled_for: String })
  await first.close()

  await receiver.restart()
  const second = await build(t, { env: FAST, dataDir })
  const login = await second.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'durable', password: 'correct horse battery' } })
  const again = { ...s, headers: { 'x-session-id': login.json().sessionId } }
  const [request] = await receiver.waitForRequests(1, 10_000)
  t.equal(request.headers['x-ra-delivery'], nudge.nudge_id)
  t.match(await waitForStatus(second, again, nudge.nudge_id, 'delivered'), { status: 'delivered', attempts: 2 })
})

t.test('webhook URLs that point inside the network are refused when private webhooks are not allowed', async t => {
  const app = await build(t)
  const s = await register(app, 'ssrf')
  for (const url of ['http://127.0.0.1/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:8080/', 'http://[::ffff:127.0.0.1]/', 'http://10.1.2.3/', 'file:///etc/passwd', 'gopher://example.com/']) {
    const res = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { webhook_url: url } })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().message, /webhook_url/)
    const buddy = await app.inject({ method: 'PUT', url: '/api/me/buddy', headers: s.headers, payload: { name: 'Sam', webhook_url: url } })
    t.equal(buddy.statusCode, 400, `buddy ${url}`)
  }
  t.match((await app.inject({ url: '/api/me/channels', headers: s.headers })).json().channels, { webhook_url: null, webhook_secret_set: false }, 'nothing was stored')
})
