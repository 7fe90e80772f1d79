// Nudges by SMS through a Twilio stub on loopback that speaks the Messages API: what Twilio gets
// (form fields, basic auth), what its answers mean (21610 = the user texted STOP), and the
// inbound side: Twilio's webhook signature and its STOP/START keywords.
import { createHmac } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:http'
import t from 'tap'
import { createSmsSender, isStartKeyword, isStopKeyword, verifyTwilioSignature } from '../../../src/nudges/delivery/sms-sender.js'
import { startTwilioStub, twilioErrors, type TwilioStub } from '../../helpers/twilio-stub.js'

const from = '+15005550006'
const to = '+14155550100'

const senderFor = (twilio: TwilioStub, overrides: { authToken?: string, timeoutMs?: number } = {}) =>
  createSmsSender({ accountSid: twilio.accountSid, authToken: overrides.authToken ?? twilio.authToken, from, apiBaseUrl: twilio.baseUrl, timeoutMs: overrides.timeoutMs ?? 2000 })

t.test('delivered: one form POST with To, From, Body and basic auth; the detail names the message sid', async t => {
  const twilio = await startTwilioStub(t)
  const result = await senderFor(twilio).send({ to, body: 'Your 5 km run is at 18:00 — Läuft! 🏃 Reply STOP to stop.' })
  t.equal(twilio.messages.length, 1)
  const [message] = twilio.messages
  t.match(message, { sid: /^SM[0-9a-f]{32}$/, to, from, body: 'Your 5 km run is at 18:00 — Läuft! 🏃 Reply STOP to stop.' })
  t.same(result, { outcome: 'delivered', detail: `queued by Twilio as ${message.sid}` })
  const [request] = twilio.requests
  t.equal(request.method, 'POST')
  t.equal(request.path, `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`)
  t.match(request.headers['content-type'], /^application\/x-www-form-urlencoded/)
  t.equal(request.headers.authorization, `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`)
  t.same(request.form, { To: to, From: from, Body: message.body })
})

t.test('a trailing slash on the base URL does not break the path', async t => {
  const twilio = await startTwilioStub(t)
  const sms = createSmsSender({ accountSid: twilio.accountSid, authToken: twilio.authToken, from, apiBaseUrl: `${twilio.baseUrl}/`, timeoutMs: 2000 })
  t.equal((await sms.send({ to, body: 'Hi' })).outcome, 'delivered')
})

t.test('a recipient who replied STOP: failed, unsubscribed — and not retried', async t => {
  const twilio = await startTwilioStub(t)
  twilio.reply(twilioErrors.unsubscribed)
  t.same(await senderFor(twilio).send({ to, body: 'Run?' }), {
    outcome: 'failed',
    code: 'unsubscribed',
    detail: 'the recipient has replied STOP to our number; Twilio will not deliver to them until they reply START'
  })
  t.equal(twilio.messages.length, 0)
})

t.test('Twilio in trouble: 503 and 429 are retried (with its Retry-After), other 4xx fail', async t => {
  const twilio = await startTwilioStub(t)
  const sms = senderFor(twilio)
  twilio.reply(twilioErrors.unavailable, twilioErrors.tooManyRequests, { status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' }, twilioErrors.invalidTo)
  t.same(await sms.send({ to, body: 'Run?' }), { outcome: 'retry', detail: 'Twilio answered 503, code 20503: Service unavailable' })
  t.same(await sms.send({ to, body: 'Run?' }), { outcome: 'retry', detail: 'Twilio answered 429, code 20429: Too Many Requests', retryAfterMs: 2000 })
  t.same(await sms.send({ to, body: 'Run?' }), { outcome: 'retry', detail: 'Twilio answered 502' }, 'a proxy\'s HTML page, not Twilio\'s JSON')
  t.same(await sms.send({ to: '+1555', body: 'Run?' }), { outcome: 'failed', code: 'rejected', detail: "Twilio answered 400, code 21211: Invalid 'To' Phone Number" })
  t.same(await sms.send({ to, body: '' }), { outcome: 'failed', code: 'rejected', detail: 'Twilio answered 400, code 21602: Message body is required.' }, 'the stub checks the form as Twilio does')
  t.equal(twilio.messages.length, 0)
})

t.test('wrong credentials: retried (the operator\'s to fix, not the nudge\'s fault); the token is never in the detail', async t => {
  const twilio = await startTwilioStub(t)
  const result = await senderFor(twilio, { authToken: 'not-the-token' }).send({ to, body: 'Run?' })
  t.same(result, { outcome: 'retry', detail: 'Twilio answered 401, code 20003: Authenticate' })
  t.notMatch(result.detail, /not-the-token/)
  t.equal(twilio.messages.length, 0)
})

t.test('no answer: a Twilio that hangs (retry after the timeout) or is down (retry)', async t => {
  const twilio = await startTwilioStub(t)
  twilio.reply('hang')
  const started = performance.now()
  t.same(await senderFor(twilio, { timeoutMs: 300 }).send({ to, body: 'Run?' }), { outcome: 'retry', detail: 'Twilio did not answer within 300 ms' })
  const elapsed = performance.now() - started
  t.ok(elapsed >= 290 && elapsed < 2000, `${Math.round(elapsed)} ms`)
  await twilio.stop()
  t.same(await senderFor(twilio).send({ to, body: 'Run?' }), { outcome: 'retry', detail: 'could not reach Twilio (connection refused)' })
})

t.test('a Twilio address that redirects is not followed', async t => {
  const server = createServer((_, res) => res.writeHead(307, { location: 'http://169.254.169.254/' }).end())
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.close() })
  const sms = createSmsSender({ accountSid: 'AC1', authToken: 't', from, apiBaseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, timeoutMs: 2000 })
  t.match(await sms.send({ to, body: 'Run?' }), { outcome: 'retry', detail: /^could not reach Twilio/ })
})

t.test('Twilio\'s request signature: its published example vectors, and forgeries', async t => {
  // Twilio's example (TwilioDevEd/api-snippets, security/signature_validation): auth token 12345.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2'
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' }
  t.ok(verifyTwilioSignature('12345', url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc='))
  const older = { ...params, Caller: '+14158675309', From: '+14158675309' }
  t.ok(verifyTwilioSignature('12345', url, older, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='), 'the older example')
  t.ok(verifyTwilioSignature('12345', url, Object.fromEntries(Object.entries(params).reverse()), 'GvWf1cFY/Q7PnoempGyD5oXAezc='), 'parameter order does not matter')

  t.notOk(verifyTwilioSignature('54321', url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc='), 'another auth token')
  t.notOk(verifyTwilioSignature('12345', url, { ...params, Digits: '9999' }, 'GvWf1cFY/Q7PnoempGyD5oXAezc='), 'a changed parameter')
  t.notOk(verifyTwilioSignature('12345', url, { ...params, Body: 'STOP' }, 'GvWf1cFY/Q7PnoempGyD5oXAezc='), 'an added parameter')
  t.notOk(verifyTwilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=3', params, 'GvWf1cFY/Q7PnoempGyD5oXAezc='), 'another URL')
  for (const bad of [undefined, '', 'GvWf1cFY/Q7PnoempGyD5oXAezc', 'GvWf1cFY/Q7PnoempGyD5oXAezc=!', 'x'.repeat(28)]) {
    t.notOk(verifyTwilioSignature('12345', url, params, bad), `malformed: ${bad}`)
  }

  // An inbound SMS webhook as Twilio sends it, signed the documented way.
  const inbound = { MessageSid: 'SM0123', From: to, To: from, Body: 'STOP' }
  const hook = 'https://autopilot.example/api/sms/inbound'
  const signature = createHmac('sha1', 'tok').update(hook + 'Body' + 'STOP' + 'From' + to + 'MessageSid' + 'SM0123' + 'To' + from).digest('base64')
  t.ok(verifyTwilioSignature('tok', hook, inbound, signature))
})

t.test('STOP and START keywords: Twilio\'s defaults, the whole message, any case', async t => {
  for (const word of ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'stop', ' Stop \n', 'optOut']) {
    t.ok(isStopKeyword(word), `stop: ${JSON.stringify(word)}`)
    t.notOk(isStartKeyword(word))
  }
  for (const word of ['START', 'YES', 'UNSTOP', 'start', ' Yes ']) {
    t.ok(isStartKeyword(word), `start: ${JSON.stringify(word)}`)
    t.notOk(isStopKeyword(word))
  }
  for (const text of ['STOP PLEASE', 'please stop', 'OPT-OUT', 'STOP ALL', 'HELP', 'INFO', 'stopp', '', 'ST OP']) {
    t.notOk(isStopKeyword(text), `not stop: ${JSON.stringify(text)}`)
    t.notOk(isStartKeyword(text), `not start: ${JSON.stringify(text)}`)
  }
})
