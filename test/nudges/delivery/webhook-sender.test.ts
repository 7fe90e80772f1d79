// A nudge delivered to a real webhook receiver on loopback: what the receiver gets (headers, a
// signature that verifies over the raw body) and what each kind of answer — or silence — means.
import t from 'tap'
import { SafeFetcher } from '../../../src/infra/outbound/safe-fetch.js'
import { sendWebhook, WEBHOOK_USER_AGENT } from '../../../src/nudges/delivery/webhook-sender.js'
import { verifyWebhookSignature } from '../../../src/nudges/delivery/webhook-signature.js'
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js'

type Test = { teardown: (fn: () => unknown) => void }

const secret = 'whsec_user_7c1e'
const payload = { type: 'nudge', nudge_id: 'n-42', text: 'Läuft: your 5 km easy run is at 18:00 🏃', plan: { weekly_target: 3 } }

function fetcherFor (t: Test, allowPrivate = true) {
  const fetcher = new SafeFetcher({ allowPrivate, timeoutMs: 2000, maxBytes: 1024 })
  t.teardown(() => fetcher.close())
  return fetcher
}

t.test('2xx: delivered; the receiver gets JSON, our headers, and a signature over the exact bytes', async t => {
  const receiver = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t)
  const nowS = Math.floor(Date.now() / 1000)
  const result = await sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-42-1', payload, nowS, timeoutMs: 2000 })
  t.same(result, { outcome: 'delivered', detail: 'the webhook receiver answered 200' })
  const [request] = await receiver.waitForRequests(1)
  t.equal(request.method, 'POST')
  t.equal(request.url, '/hooks/nudges')
  t.match(request.headers, {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'x-ra-delivery': 'd-42-1',
    'x-ra-signature': new RegExp(`^t=${nowS},v1=[0-9a-f]{64}$`)
  })
  t.equal(WEBHOOK_USER_AGENT, 'ResolutionAutopilot/1 (+webhook)')
  t.same(JSON.parse(request.rawBody), payload)
  t.ok(verifyWebhookSignature(secret, request.headers['x-ra-signature'] as string, request.rawBody, { nowS }), 'verifies over the raw body')
  t.notOk(verifyWebhookSignature('another secret', request.headers['x-ra-signature'] as string, request.rawBody, { nowS }), 'only with the user\'s secret')

  receiver.reply(201, { status: 204 })
  t.equal((await sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-2', payload, timeoutMs: 2000 })).outcome, 'delivered', '201')
  t.equal((await sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-3', payload, timeoutMs: 2000 })).outcome, 'delivered', '204')
  const unsigned = receiver.requests[2]
  t.ok(verifyWebhookSignature(secret, unsigned.headers['x-ra-signature'] as string, unsigned.rawBody, { nowS: Math.floor(Date.now() / 1000) }), 'no nowS: the clock signs')
})

t.test('a receiver in trouble: 500, 503, 408, 429 are retried, with its Retry-After', async t => {
  const receiver = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t)
  const nowS = 1_767_000_000
  receiver.reply(500, 503,
    { status: 503, headers: { 'retry-after': '120' } },
    { status: 408, headers: { 'retry-after': '5' } },
    { status: 429, headers: { 'retry-after': new Date((nowS + 90) * 1000).toUTCString() } },
    { status: 429, headers: { 'retry-after': 'whenever' } })
  const send = () => sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-1', payload, nowS, timeoutMs: 2000 })
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver answered 500' })
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver answered 503' })
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver answered 503', retryAfterMs: 120_000 })
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver answered 408', retryAfterMs: 5000 })
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver answered 429', retryAfterMs: 90_000 }, 'an HTTP date')
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver answered 429' }, 'an unreadable Retry-After is ignored')
  t.equal(receiver.requests.length, 6)
  t.ok(receiver.requests.every(r => r.headers['x-ra-delivery'] === 'd-1'), 'every attempt carries the same delivery id, so the receiver can drop duplicates')
})

t.test('a receiver that says no: 4xx fails, 3xx fails and is not followed', async t => {
  const receiver = await startWebhookReceiver(t)
  const elsewhere = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t)
  receiver.reply(404, 410, { status: 401, body: 'bad signature' }, { redirectTo: elsewhere.url }, { redirectTo: 'http://169.254.169.254/latest/meta-data', status: 307 }, 301)
  const send = () => sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-1', payload, timeoutMs: 2000 })
  t.same(await send(), { outcome: 'failed', detail: 'the webhook receiver answered 404', code: 'rejected' })
  t.same(await send(), { outcome: 'failed', detail: 'the webhook receiver answered 410', code: 'rejected' })
  t.same(await send(), { outcome: 'failed', detail: 'the webhook receiver answered 401', code: 'rejected' })
  t.same(await send(), { outcome: 'failed', detail: 'the address redirects (302); give the final address' })
  t.same(await send(), { outcome: 'failed', detail: 'the address redirects (307); give the final address' })
  t.same(await send(), { outcome: 'failed', detail: 'the address redirects (301); give the final address' })
  t.equal(elsewhere.requests.length, 0, 'the redirect target never saw the nudge')
})

t.test('a receiver that never answers: retry after the timeout, not before, not much after', async t => {
  const receiver = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t)
  receiver.reply('hang')
  const started = performance.now()
  const result = await sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-1', payload, timeoutMs: 300 })
  const elapsed = performance.now() - started
  t.same(result, { outcome: 'retry', detail: 'the webhook receiver did not answer: timed out after 300 ms' })
  t.ok(elapsed >= 290 && elapsed < 2000, `${Math.round(elapsed)} ms`)
  t.equal(receiver.requests.length, 1, 'the request did arrive')
})

t.test('a receiver that is down, then back on the same address', async t => {
  const receiver = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t)
  const send = () => sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-1', payload, timeoutMs: 2000 })
  t.equal((await send()).outcome, 'delivered', 'up (and a kept-alive connection to it)')
  await receiver.stop()
  t.same(await send(), { outcome: 'retry', detail: 'the webhook receiver did not answer: connection refused' })
  await receiver.restart()
  t.same(await send(), { outcome: 'delivered', detail: 'the webhook receiver answered 200' }, 'back')
  t.equal(receiver.requests.length, 2)
})

t.test('an address the SSRF guard refuses fails for good, and nothing is sent', async t => {
  const receiver = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t, false)
  const result = await sendWebhook(fetcher, { url: receiver.url, secret, deliveryId: 'd-1', payload, timeoutMs: 2000 })
  t.match(result, { outcome: 'failed', code: 'unsafe_address', detail: /^the webhook address is not allowed: 127\.0\.0\.1 is a private, loopback/ })
  t.equal(receiver.requests.length, 0)
})

t.test('an address that is no URL, or not http(s), fails without a request', async t => {
  const fetcher = fetcherFor(t)
  t.same(await sendWebhook(fetcher, { url: 'not a url', secret, deliveryId: 'd', payload, timeoutMs: 500 }), { outcome: 'failed', detail: 'the webhook address is not a valid URL' })
  t.same(await sendWebhook(fetcher, { url: 'file:///etc/passwd', secret, deliveryId: 'd', payload, timeoutMs: 500 }),
    { outcome: 'failed', detail: 'the webhook address must be http:// or https://', code: 'unsafe_address' })
})

t.test('details never carry the address (webhook URLs often embed a token) or the secret', async t => {
  const receiver = await startWebhookReceiver(t)
  const fetcher = fetcherFor(t)
  const url = `${receiver.url}?token=sekrit-path-token`
  receiver.reply(500, 404, 'hang')
  const details = []
  for (let i = 0; i < 3; i++) details.push((await sendWebhook(fetcher, { url, secret, deliveryId: 'd', payload, timeoutMs: 200 })).detail)
  await receiver.stop()
  details.push((await sendWebhook(fetcher, { url, secret, deliveryId: 'd', payload, timeoutMs: 200 })).detail)
  for (const detail of details) t.notMatch(detail, /sekrit|whsec|hooks\/nudges/, detail)
})
