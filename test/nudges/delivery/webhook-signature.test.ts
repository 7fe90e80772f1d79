// The webhook signature receivers check: Stripe's t=…,v1=… scheme over the raw body.
import { createHmac } from 'node:crypto'
import t from 'tap'
import { signWebhook, verifyWebhookSignature } from '../../../src/nudges/delivery/webhook-signature.js'

const secret = 'whsec_test_3f9a1c'
const body = '{"nudge_id":"n-1","text":"Your run is at 18:00 — 5 km easy."}'
const now = 1_767_000_000

t.test('the header is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">, computable by any receiver', async t => {
  const header = signWebhook(secret, body, now)
  const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')
  t.equal(header, `t=${now},v1=${expected}`)
  t.equal(signWebhook(secret, body, now), header, 'the same input, the same signature')
  t.throws(() => signWebhook(secret, body, 1.5), RangeError, 'whole seconds only')
})

t.test('a genuine request verifies, also as bytes and a few minutes later', async t => {
  const header = signWebhook(secret, body, now)
  t.ok(verifyWebhookSignature(secret, header, body, { nowS: now }))
  t.ok(verifyWebhookSignature(secret, header, Buffer.from(body), { nowS: now + 299 }), 'raw bytes, 299 s later')
  t.ok(verifyWebhookSignature(secret, header, body, { nowS: now - 60 }), 'a receiver clock a minute behind')
  t.ok(verifyWebhookSignature(secret, ` t=${now} , v1=${header.split('v1=')[1]} `, body, { nowS: now }), 'spaces around entries')
})

t.test('forgeries and replays fail', async t => {
  const header = signWebhook(secret, body, now)
  t.notOk(verifyWebhookSignature('whsec_other', header, body, { nowS: now }), 'wrong secret')
  t.notOk(verifyWebhookSignature(secret, header, body.replace('5 km', '50 km'), { nowS: now }), 'tampered body')
  t.notOk(verifyWebhookSignature(secret, header, JSON.stringify(JSON.parse(body), null, 1), { nowS: now }), 're-serialized JSON is not the raw body')
  t.notOk(verifyWebhookSignature(secret, header, body, { nowS: now + 301 }), 'older than the 5 min tolerance: a replay')
  t.notOk(verifyWebhookSignature(secret, header, body, { nowS: now + 61, toleranceS: 60 }), 'a receiver\'s own tolerance')
  t.notOk(verifyWebhookSignature(secret, header, body, { nowS: now - 3600 }), 'from the future')
  const replayed = header.replace(`t=${now}`, `t=${now + 600}`)
  t.notOk(verifyWebhookSignature(secret, replayed, body, { nowS: now + 600 }), 'a fresh timestamp on an old signature')
})

t.test('malformed headers fail without throwing', async t => {
  const v1 = signWebhook(secret, body, now).split(',')[1]
  for (const header of [undefined, '', 'garbage', `t=${now}`, v1, `t=${now},t=${now},${v1}`, `t=abc,${v1}`, `t=-5,${v1}`,
    `t=${now},v1=zz${v1.slice(5)}`, `t=${now},v1=${v1.slice(3, -2)}`, `t=${now},${v1.toUpperCase().replace('V1', 'v1')}`,
    `t=${now},=x,${v1}`, `${'x'.repeat(5000)},t=${now},${v1}`]) {
    t.notOk(verifyWebhookSignature(secret, header, body, { nowS: now }), JSON.stringify(header)?.slice(0, 60))
  }
})

t.test('several v1 entries (a secret being rotated): one match is enough', async t => {
  const current = signWebhook(secret, body, now)
  const old = signWebhook('whsec_old', body, now).split(',')[1]
  t.ok(verifyWebhookSignature(secret, `${current},${old}`, body, { nowS: now }), 'current first')
  t.ok(verifyWebhookSignature(secret, `t=${now},${old},${current.split(',')[1]}`, body, { nowS: now }), 'current second')
  t.ok(verifyWebhookSignature(secret, `${current},v0=ignored`, body, { nowS: now }), 'unknown schemes are ignored')
  t.notOk(verifyWebhookSignature(secret, `t=${now},${old}`, body, { nowS: now }), 'only the old secret\'s entry')
})
