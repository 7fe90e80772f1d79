// Nudges by email through a real SMTP server on loopback: what the recipient's mailbox gets
// (addresses, subject, text, the unsubscribe line and the RFC 8058 one-click headers), and what
// each reply — or a server that is down or stalls — means for the outbox.
import { once } from 'node:events'
import { createServer } from 'node:net'
import t from 'tap'
import { createEmailSender, type EmailSenderOptions } from '../../../src/nudges/delivery/email-sender.js'
import { startSmtpServer } from '../../helpers/smtp-server.js'

type Test = { teardown: (fn: () => unknown) => void }

const from = 'Resolution Autopilot <coach@autopilot.example>'
// as long as a real one (a signed token): long header lines get folded, and the link must survive it
const unsubscribeUrl = `https://autopilot.example/api/nudges/unsubscribe?token=${'9f2c'.repeat(24)}&channel=email`

function senderFor (t: Test, smtpUrl: string, timeouts: Partial<EmailSenderOptions> = {}) {
  const sender = createEmailSender({ smtpUrl, from, connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 2000, ...timeouts })
  t.teardown(() => sender.close())
  return sender
}

t.test('delivered: the recipient gets the subject, the text, and an unsubscribe link twice over', async t => {
  const smtp = await startSmtpServer(t)
  const sender = senderFor(t, smtp.url)
  const result = await sender.send({
    to: 'ada@example.com',
    subject: 'Läuft? Your run is at 18:00',
    text: 'Your 5 km easy run is at 18:00.\nKeep it conversational.\n',
    unsubscribeUrl,
    replyTo: 'coach-replies@autopilot.example'
  })
  t.match(result, { outcome: 'delivered', detail: /^accepted by the mail server \(250 .*\), message id <.+>$/ })
  const [mail] = await smtp.waitForMessages(1)
  t.same(mail.envelope, { mailFrom: 'coach@autopilot.example', rcptTo: ['ada@example.com'] })
  t.equal(mail.from, 'coach@autopilot.example')
  t.same(mail.to, ['ada@example.com'])
  t.equal(mail.subject, 'Läuft? Your run is at 18:00', 'non-ASCII subject survives')
  t.match(mail.text, /^Your 5 km easy run is at 18:00\.\nKeep it conversational\.\n/)
  const lines = mail.text.trimEnd().split('\n')
  t.equal(lines.at(-1), `Unsubscribe: ${unsubscribeUrl}`, 'the text ends with the link')
  t.equal(mail.headers['list-unsubscribe'], `<${unsubscribeUrl}>`)
  t.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click')
  t.match(mail.headers['reply-to'], /coach-replies@autopilot\.example/)
})

t.test('without an unsubscribe link: the text as written, no List-Unsubscribe headers', async t => {
  const smtp = await startSmtpServer(t)
  const sender = senderFor(t, smtp.url)
  t.equal((await sender.send({ to: 'ada@example.com', subject: 'Hello', text: 'Just the text.' })).outcome, 'delivered')
  const [mail] = await smtp.waitForMessages(1)
  t.equal(mail.text.trim(), 'Just the text.')
  t.notOk('list-unsubscribe' in mail.headers)
  t.notOk('list-unsubscribe-post' in mail.headers)
  t.notOk('reply-to' in mail.headers)
})

t.test('an unsubscribe link that is not http(s) is refused before anything is sent', async t => {
  const smtp = await startSmtpServer(t)
  const sender = senderFor(t, smtp.url)
  for (const bad of ['javascript:alert(1)', 'not a url', 'mailto:x@example.com']) {
    t.same(await sender.send({ to: 'ada@example.com', subject: 'S', text: 'T', unsubscribeUrl: bad }), { outcome: 'failed', detail: 'the unsubscribe link is not an http(s) URL' }, bad)
  }
  t.equal(smtp.messages.length, 0)
})

t.test('451 (try later) is retried and the next attempt gets through; 550 fails for good', async t => {
  const smtp = await startSmtpServer(t)
  const sender = senderFor(t, smtp.url)
  const message = { to: 'ada@example.com', subject: 'Run at 18:00', text: 'Go.' }
  smtp.rejectNext(451, 'Greylisted, try again later')
  t.same(await sender.send(message), { outcome: 'retry', detail: 'the mail server replied 451 Greylisted, try again later' })
  t.equal(smtp.messages.length, 0)
  t.equal((await sender.send(message)).outcome, 'delivered')
  t.equal((await smtp.waitForMessages(1)).length, 1)
  smtp.rejectNext(550, 'No such user here')
  t.same(await sender.send(message), { outcome: 'failed', detail: 'the mail server replied 550 No such user here', code: 'rejected' })
  t.equal(smtp.messages.length, 1, 'the refused message is not in the mailbox')
})

t.test('a mail server that is down: retry, quickly', async t => {
  const smtp = await startSmtpServer(t)
  await smtp.stop()
  const sender = senderFor(t, smtp.url)
  const started = performance.now()
  t.same(await sender.send({ to: 'ada@example.com', subject: 'S', text: 'T' }), { outcome: 'retry', detail: 'could not connect to the mail server: connection refused' })
  t.ok(performance.now() - started < 1000)
})

t.test('timeouts are bounded: a server that never greets, one that never answers DATA', async t => {
  const smtp = await startSmtpServer(t)
  const sender = senderFor(t, smtp.url, { greetingTimeoutMs: 300, socketTimeoutMs: 400 })
  smtp.hangNextGreeting()
  let started = performance.now()
  t.same(await sender.send({ to: 'ada@example.com', subject: 'S', text: 'T' }), { outcome: 'retry', detail: 'the mail server did not greet within 300 ms' })
  let elapsed = performance.now() - started
  t.ok(elapsed >= 290 && elapsed < 2000, `greeting: ${Math.round(elapsed)} ms`)

  smtp.hangNextData()
  started = performance.now()
  t.same(await sender.send({ to: 'ada@example.com', subject: 'S', text: 'T' }), { outcome: 'retry', detail: 'the mail server did not reply within 400 ms' })
  elapsed = performance.now() - started
  t.ok(elapsed >= 390 && elapsed < 2500, `reply: ${Math.round(elapsed)} ms`)

  t.equal((await sender.send({ to: 'ada@example.com', subject: 'S', text: 'T' })).outcome, 'delivered', 'the next message goes through')
})

t.test('a server that trickles a line now and then is cut off at the whole exchange\'s deadline', async t => {
  // An EHLO reply that never ends ("250-…" continuation lines): each line resets the idle timer.
  const server = createServer(socket => {
    let timer: NodeJS.Timeout | undefined
    socket.write('220 slow.example ESMTP\r\n')
    socket.once('data', () => { timer = setInterval(() => socket.write('250-still here\r\n'), 100) })
    socket.on('close', () => clearInterval(timer))
    socket.on('error', () => {})
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.close() })
  const port = (server.address() as { port: number }).port
  const sender = senderFor(t, `smtp://127.0.0.1:${port}`, { connectionTimeoutMs: 200, greetingTimeoutMs: 200, socketTimeoutMs: 300 })
  const started = performance.now()
  t.same(await sender.send({ to: 'ada@example.com', subject: 'S', text: 'T' }), { outcome: 'retry', detail: 'the mail server took longer than 1000 ms in all' })
  const elapsed = performance.now() - started
  t.ok(elapsed >= 990 && elapsed < 3000, `${Math.round(elapsed)} ms`)
})

t.test('a recipient address nodemailer cannot use fails for good without a connection', async t => {
  const smtp = await startSmtpServer(t)
  const sender = senderFor(t, smtp.url)
  t.match(await sender.send({ to: '', subject: 'S', text: 'T' }), { outcome: 'failed', code: 'rejected', detail: /^the address was not accepted/ })
  t.equal(smtp.messages.length, 0)
})
