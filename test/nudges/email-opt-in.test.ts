// Email through a real local SMTP server: nothing but a code reaches an address until it is
// confirmed; every email carries an unsubscribe link (and RFC 8058 headers) that works.
import t from 'tap'
import { build, register } from '../helpers/build-app.js'
import { startSmtpServer } from '../helpers/smtp-server.js'

const code = (text: string) => /\b(\d{6})\b/.exec(text)![1]

t.test('double opt-in, delivery, unsubscribe', async t => {
  const smtp = await startSmtpServer(t)
  const app = await build(t, { env: { SMTP_URL: smtp.url, SMTP_FROM: 'coach@autopilot.test', NUDGE_POLL_MS: '50' } })
  const s = await register(app, 'mailer')

  const set = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { email: 'me@example.com' } })
  t.equal(set.statusCode, 200)
  t.match(set.json().channels, { email: 'me@example.com', email_status: 'pending', usable: ['in_app'] })
  const [mail] = await smtp.waitForMessages(1)
  t.same(mail.to, ['me@example.com'])
  t.match(mail.subject, /code/)
  t.match(mail.text, /Unsubscribe: http/)
  t.match(mail.headers['list-unsubscribe'], /^<http.*\/api\/links\/unsubscribe\?token=/)

  const early = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'hello', channel: 'email' } })
  t.equal(early.statusCode, 409, 'no message to an unconfirmed address')
  t.match(early.json().message, /not confirmed/)
  const resend = await app.inject({ method: 'PUT', url: '/api/me/channels', headers: s.headers, payload: { email: 'me@example.com' } })
  t.equal(resend.statusCode, 429, 'a second code within a minute is refused')
  t.match(resend.json(), { limit: 'confirmation' })

  const wrongCode = code(mail.text) === '000000' ? '111111' : '000000'
  const wrong = await app.inject({ method: 'POST', url: '/api/me/channels/confirm', headers: s.headers, payload: { channel: 'email', code: wrongCode } })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.json().message, /4 tries left/)
  const right = await app.inject({ method: 'POST', url: '/api/me/channels/confirm', headers: s.headers, payload: { channel: 'email', code: code(mail.text) } })
  t.equal(right.statusCode, 200)
  t.match(right.json().channels, { email_status: 'confirmed', usable: ['in_app', 'email'] })

  const sent = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'Your 18:00 session is in an hour.', channel: 'email', urgency: 'high' } })
  t.equal(sent.statusCode, 202)
  const [, nudgeMail] = await smtp.waitForMessages(2)
  t.same(nudgeMail.to, ['me@example.com'])
  t.equal(nudgeMail.subject, 'Your 18:00 session is in an hour.')
  t.match(nudgeMail.text, /Your 18:00 session is in an hour\.[\s\S]*Unsubscribe: (http\S+)/)
  t.equal(nudgeMail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click')

  // The link's page changes nothing; the one-click POST (what mail apps send) unsubscribes.
  const link = /Unsubscribe: (http\S+)/.exec(nudgeMail.text)![1]
  const path = link.slice(link.indexOf('/api/'))
  const page = await app.inject({ url: path })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.equal((await app.inject({ url: '/api/me/channels', headers: s.headers })).json().channels.email_status, 'confirmed')
  const out = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })
  t.equal(out.statusCode, 200)
  t.match(out.body, /no more nudges/)
  t.equal((await app.inject({ url: '/api/me/channels', headers: s.headers })).json().channels.email_status, 'unsubscribed')
  const after = await app.inject({ method: 'POST', url: '/api/nudges', headers: s.headers, payload: { message: 'still there?', channel: 'email' } })
  t.equal(after.statusCode, 409)
  const forged = await app.inject({ method: 'POST', url: path.replace(/.$/, c => c === 'A' ? 'B' : 'A'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
  t.equal(forged.statusCode, 400, 'a tampered link does nothing')

  const exported = (await app.inject({ url: '/api/me/export', headers: s.headers })).json()
  t.equal(exported.channels.email.code_digest, null, 'no code digest in the export')
})
