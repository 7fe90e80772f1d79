// SMS through a local Twilio stub (the same REST call Twilio gets), honouring STOP; a buddy reached
// by email who accepts, or declines, through the link — and who can always opt out.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, register, type Session } from '../helpers/build-app.js'
import { startTwilioStub, twilioErrors } from '../helpers/twilio-stub.js'
import { startSmtpServer } from '../helpers/smtp-server.js'

const code = (text: string) => /\b(\d{6})\b/.exec(text)![1]

async function settle (app: FastifyInstance, s: Session, nudgeId: string) {
  for (let i = 0; i < 100; i++) {
    const nudge = (await app.inject({ url: '/api/nudges', headers: s.headers })).json().nudges.find((n: { nudge_id: string }) => n.nudge_id === nudgeId)
    if (nudge.status === 'delivered' || nudge.status === 'failed') return nudge
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error('the nudge did not settle')
}

t.test('SMS: a code first, then nudges; a number that replied STOP is not texted again', async t => {
  const twilio = await startTwilioStub(t)
  const app = await build(t, { env: { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.baseUrl, NUDGE_POLL_MS: '50' } })
  const s = await register(app, 'texter')
  const set = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { phone: '+14155550123' } })
  t.equal(set.statusCode, 200)
  t.match(set.json().channels, { phone: '+14155550123', phone_status: 'pending' })
  t.equal(twilio.messages.length, 1)
  t.match(twilio.messages[0], { to: '+14155550123', from: '+15005550006', body: /Reply STOP to opt out/ })
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'x', channel: 'sms' } })).statusCode, 409)
  const bad = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { phone: '0155 5555' } })
  t.equal(bad.statusCode, 400, 'not E.164')

  t.equal((await app.inject({ method: 'POST', url: '/api/me/channels/confirm', headers: s.headers, payload: { channel: 'sms', code: code(twilio.messages[0].body) } })).statusCode, 200)
  const sent = (await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'Run at 7?', channel: 'sms', urgency: 'high' } })).json().nudge
  t.match(await settle(app, s, sent.nudge_id), { status: 'delivered', attempts: 1 })
  t.match(twilio.messages[1], { to: '+14155550123', body: 'Run at 7? Reply STOP to opt out.' })

  twilio.reply(twilioErrors.unsubscribed)
  const refused = (await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'Still there?', channel: 'sms', urgency: 'high' } })).json().nudge
  t.match(await settle(app, s, refused.nudge_id), { status: 'failed', attempts: 1 })
  t.match((await app.inject({ url: '/api/me/channels', headers: s.headers })).json().channels, { phone_status: 'unsubscribed', usable: ['in_app'] })
  t.equal((await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'x', channel: 'sms' } })).statusCode, 409)

  const test = await app.inject({ method: 'POST', url: '/api/me/channels/test', headers: s.headers, payload: { channel: 'in_app' } })
  t.equal(test.statusCode, 202)
  t.match(test.json().nudge, { source: 'test', status: 'delivered' })
})

t.test('a buddy by email: invited, accepts through the link, gets the message; or declines; and can opt out', async t => {
  const smtp = await startSmtpServer(t)
  const app = await build(t, { env: { SMTP_URL: smtp.url, SMTP_FROM: 'coach@autopilot.test', NUDGE_POLL_MS: '50' } })
  const s = await register(app, 'friendly')
  t.equal((await app.inject({ method: 'PUT', url: '/api/me/buddy', headers: s.headers, payload: { name: 'Sam' } })).statusCode, 400, 'a buddy needs a way to be reached')
  t.equal((await app.inject({ url: '/api/me/buddy', headers: s.headers })).statusCode, 404)
  const invited = await app.inject({ method: 'PUT', url: '/api/me/buddy', headers: s.headers, payload: { name: 'Sam', email: 'sam@example.com' } })
  t.equal(invited.statusCode, 200)
  t.match(invited.json().buddy, { name: 'Sam', email: 'sam@example.com', status: 'pending', confirmed_at: null })
  const [invitation] = await smtp.waitForMessages(1)
  t.same(invitation.to, ['sam@example.com'])
  t.match(invitation.text, /friendly is keeping a resolution/)
  const accept = /Accept: (http\S+)/.exec(invitation.text)![1]
  const acceptPath = accept.slice(accept.indexOf('/api/'))
  const form = { 'content-type': 'application/x-www-form-urlencoded' }

  // Before the buddy accepts, nothing reaches them.
  await app.inject({ method: 'PUT', url: '/api/me/preferences', headers: s.headers, payload: { interventions: { social: true } } })
  t.equal((await app.inject({ method: 'POST', url: '/api/interventions', headers: s.headers, payload: { type: 'social' } })).statusCode, 409)
  t.equal((await app.inject({ method: 'POST', url: acceptPath, headers: form, payload: 'answer=yes' })).statusCode, 200)
  const social = await app.inject({ method: 'POST', url: '/api/interventions', headers: s.headers, payload: { type: 'social', message: 'Cheer me on for Saturday!' } })
  t.equal(social.statusCode, 201)
  t.match(social.json().intervention, { status: 'deployed', details: { channels: ['email'] } })
  const [, toBuddy] = await smtp.waitForMessages(2)
  t.same(toBuddy.to, ['sam@example.com'])
  t.match(toBuddy.text, /A message about friendly[\s\S]*Cheer me on for Saturday!/)
  const optOut = /Unsubscribe: (http\S+)/.exec(toBuddy.text)![1]
  t.equal((await app.inject({ method: 'POST', url: optOut.slice(optOut.indexOf('/api/')), headers: form, payload: '' })).statusCode, 200)
  t.equal((await app.inject({ url: '/api/me/buddy', headers: s.headers })).json().buddy.status, 'unsubscribed')
  t.equal((await app.inject({ method: 'POST', url: '/api/interventions', headers: s.headers, payload: { type: 'social' } })).statusCode, 409, 'an opted-out buddy gets nothing')

  // A new buddy: the old link no longer confirms anything; the new one can be declined.
  await app.inject({ method: 'PUT', url: '/api/me/buddy', headers: s.headers, payload: { name: 'Alex', email: 'alex@example.com' } })
  t.equal((await app.inject({ method: 'POST', url: acceptPath, headers: form, payload: 'answer=yes' })).statusCode, 404, 'a replaced invitation')
  const [, , second] = await smtp.waitForMessages(3)
  const declinePath = /Accept: (http\S+)/.exec(second.text)![1].replace(/^https?:\/\/[^/]+/, '')
  const declined = await app.inject({ method: 'POST', url: declinePath, headers: form, payload: 'answer=no' })
  t.match(declined.body, /Declined/)
  t.equal((await app.inject({ url: '/api/me/buddy', headers: s.headers })).json().buddy.status, 'unsubscribed')
  t.equal((await app.inject({ url: '/api/links/buddy-invitation?token=not-a-real-token' })).statusCode, 400)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/me/buddy', headers: s.headers })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/me/buddy', headers: s.headers })).statusCode, 404)
})
