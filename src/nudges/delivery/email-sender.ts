// Nudges by email over SMTP (nodemailer). One connection per message: nudges are few and far
// between, and a fresh connection cannot inherit a half-dead one's state. Every wait is bounded —
// connecting, the greeting, each reply, and the whole exchange — so a mail server that stalls
// costs one attempt, not a stuck worker.
// What the server says decides what happens next (RFC 5321): a 2xx is delivered, a 4xx reply or a
// lost connection is worth another attempt, a 5xx reply is a refusal that would be repeated.
// A message with an unsubscribe link says so twice: a last line of text for the reader, and the
// RFC 8058 one-click headers mail clients show as an "Unsubscribe" button.
import { createTransport, type NodemailerError } from 'nodemailer'
import { delivered, failed, retry, type DeliveryResult } from './delivery-result.js'

export interface EmailSenderOptions {
  /** smtp://host:port or smtps://user:password@host:port (operator configuration) */
  smtpUrl: string
  from: string
  connectionTimeoutMs: number
  greetingTimeoutMs: number
  /** longest silence from the server while a command waits for its reply */
  socketTimeoutMs: number
}

export interface EmailNudge {
  to: string
  subject: string
  text: string
  /** an https link that unsubscribes in one request (RFC 8058 POST) */
  unsubscribeUrl?: string
  replyTo?: string
}

export interface EmailSender {
  send (message: EmailNudge): Promise<DeliveryResult>
  close (): Promise<void>
}

/** Server replies are shown to the user: one line, not a server's whole essay. */
const replyText = (response: string | undefined) => (response ?? '').split(/\r?\n/)[0].slice(0, 200)

/** "Unsubscribe: <url>" as the last line, so the link is where readers look for it. */
function withUnsubscribeLine (text: string, unsubscribeUrl: string): string {
  return `${text.trimEnd()}\n\nUnsubscribe: ${unsubscribeUrl}\n`
}

export function createEmailSender ({ smtpUrl, from, connectionTimeoutMs, greetingTimeoutMs, socketTimeoutMs }: EmailSenderOptions): EmailSender {
  const transporter = createTransport({
    url: smtpUrl,
    connectionTimeout: connectionTimeoutMs,
    greetingTimeout: greetingTimeoutMs,
    socketTimeout: socketTimeoutMs,
    dnsTimeout: connectionTimeoutMs,
    // A nudge is text we compose; nothing in it may make the mailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true
  })
  // A server trickling a byte now and then resets the idle timer forever; this ends the exchange anyway.
  const exchangeDeadlineMs = connectionTimeoutMs + greetingTimeoutMs + 2 * socketTimeoutMs

  const timeoutDetail = (err: NodemailerError) => {
    switch (err.timeoutType) {
      case 'CONNECT_TIMEOUT': return `could not connect to the mail server within ${connectionTimeoutMs} ms`
      case 'GREETING_TIMEOUT': return `the mail server did not greet within ${greetingTimeoutMs} ms`
      default: return `the mail server did not reply within ${socketTimeoutMs} ms`
    }
  }

  function classify (err: NodemailerError): DeliveryResult {
    // Our credentials, not this message: keep it for when the operator fixes them.
    if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return retry(`the mail server refused our login${err.responseCode ? ` (${err.responseCode})` : ''}`)
    if (typeof err.responseCode === 'number') {
      const reply = `the mail server replied ${replyText(err.response) || err.responseCode}`
      // 503 is "bad sequence of commands": the session's state, not the message (RFC 5321 §4.2.4).
      if (err.responseCode >= 500 && err.responseCode !== 503) return failed(reply, 'rejected')
      return retry(reply)
    }
    if (err.code === 'EABORT') return retry(`the mail server took longer than ${exchangeDeadlineMs} ms in all`)
    if (err.code === 'ETIMEDOUT') return retry(timeoutDetail(err))
    if (err.code === 'EENVELOPE') return failed(`the address was not accepted: ${err.message}`, 'rejected')
    const cause = err.originalCode ?? err.code
    if (cause === 'ECONNREFUSED') return retry('could not connect to the mail server: connection refused')
    return retry(`could not send through the mail server (${cause ?? err.message})`)
  }

  return {
    async send ({ to, subject, text, unsubscribeUrl, replyTo }) {
      // Parsing also normalizes away anything that could break out of a header line.
      const parsed = unsubscribeUrl === undefined ? undefined : URL.parse(unsubscribeUrl)
      if (unsubscribeUrl !== undefined && (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:')) return failed('the unsubscribe link is not an http(s) URL')
      const unsubscribe = parsed?.href
      try {
        const info = await transporter.sendMail({
          from,
          to,
          subject,
          text: unsubscribe ? withUnsubscribeLine(text, unsubscribe) : text,
          ...(replyTo ? { replyTo } : {}),
          ...(unsubscribe ? { list: { unsubscribe }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
          signal: AbortSignal.timeout(exchangeDeadlineMs)
        })
        return delivered(`accepted by the mail server (${replyText(info.response)}), message id ${info.messageId}`)
      } catch (err) {
        return classify(err as NodemailerError)
      }
    },
    async close () {
      transporter.close()
    }
  }
}
