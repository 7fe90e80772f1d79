// A real SMTP server on loopback (smtp-server), each message parsed (mailparser) and recorded —
// so tests go through nodemailer's whole SMTP conversation — with scripted trouble: the next
// message refused with a given reply code, a greeting or a reply that never comes, or no server.
// STARTTLS is off: smtp-server's built-in test certificate has expired, and a loopback test
// proves nothing about TLS anyway.
import { once } from 'node:events'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

type Test = { teardown: (fn: () => unknown) => void }

export interface ReceivedMail {
  /** what the client said in MAIL FROM and RCPT TO */
  envelope: { mailFrom: string, rcptTo: string[] }
  /** the From header's address */
  from: string
  /** the To header's addresses */
  to: string[]
  subject: string
  text: string
  /** raw header values by lower-case name (unfolded, as sent: `list-unsubscribe` → `<https://…>`) */
  headers: Record<string, string>
}

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> */
  url: string
  port: number
  /** accepted messages, in order */
  messages: ReceivedMail[]
  /**
   * Refuse the next message at the end of DATA with `code` (e.g. 451, 550), once per call, in
   * order; later messages are accepted again.
   */
  rejectNext (code: number, message?: string): void
  /** Never send the greeting to the next connection (a server that accepts TCP and then stalls). */
  hangNextGreeting (): void
  /** Never answer the next message's DATA (a server that stalls mid-conversation). */
  hangNextData (): void
  /** close the port and drop open connections: clients now get "connection refused" */
  stop (): Promise<void>
  /** resolves with the messages once there are at least `n`; rejects after `timeoutMs` */
  waitForMessages (n: number, timeoutMs?: number): Promise<ReceivedMail[]>
}

const address = (value: { value: Array<{ address?: string }> } | Array<{ value: Array<{ address?: string }> }> | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap(group => group.value.map(a => a.address ?? ''))

/**
 * Starts an SMTP server on 127.0.0.1 (a free port), no TLS, no authentication required; stopped
 * on teardown.
 *
 * @example
 *   const smtp = await startSmtpServer(t)
 *   smtp.rejectNext(451)
 *   const sender = createEmailSender({ smtpUrl: smtp.url, from: 'coach@example.com', ... })
 *   await sender.send({ to: 'ada@example.com', subject: 'Time to run', text: '…' })   // retry
 *   await sender.send({ to: 'ada@example.com', subject: 'Time to run', text: '…' })   // delivered
 *   t.equal((await smtp.waitForMessages(1))[0].subject, 'Time to run')
 */
export async function startSmtpServer (t: Test): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = []
  const rejections: Array<{ code: number, message: string }> = []
  const waiters = new Set<() => void>()
  let hangGreeting = false
  let hangData = false

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    // stop() should not wait for clients a test left hanging
    closeTimeout: 50,
    onConnect (_session, callback) {
      if (hangGreeting) {
        hangGreeting = false
        return
      }
      callback()
    },
    onData (stream, session, callback) {
      const hang = hangData
      hangData = false
      simpleParser(stream).then(mail => {
        if (hang) return
        const rejection = rejections.shift()
        if (rejection) {
          callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }))
          return
        }
        const headers: Record<string, string> = {}
        for (const { key, line } of mail.headerLines) {
          // unfolding (RFC 5322 §2.2.3) removes the line breaks only, not the whitespace after them
          headers[key] = line.slice(line.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '').trim()
        }
        messages.push({
          envelope: {
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map(r => r.address)
          },
          from: address(mail.from)[0] ?? '',
          to: address(mail.to),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          headers
        })
        for (const wake of waiters) wake()
        callback()
      }, callback)
    }
  })
  server.on('error', () => {})
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const port = (server.server.address() as { port: number }).port

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await new Promise<void>(resolve => server.close(resolve))
  }
  t.teardown(stop)

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    rejectNext (code, message = code >= 500 ? 'Requested action not taken: mailbox unavailable' : 'Requested action aborted: try again later') {
      rejections.push({ code, message })
    },
    hangNextGreeting () { hangGreeting = true },
    hangNextData () { hangData = true },
    stop,
    async waitForMessages (n, timeoutMs = 5000) {
      if (messages.length >= n) return messages
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${messages.length} of ${n} messages within ${timeoutMs} ms`))
        }, timeoutMs)
        function check () {
          if (messages.length < n) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
      })
      return messages
    }
  }
}
