// A real HTTP server on loopback that speaks Twilio's Messages endpoint
// (POST /2010-04-01/Accounts/{AccountSid}/Messages.json): checks HTTP basic auth and the form as
// Twilio does, answers 201 with a queued message, and answers from a script when a test wants
// Twilio's errors (21610 for a recipient who replied STOP, 503, 429…) or a Twilio that hangs.
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'

type Test = { teardown: (fn: () => unknown) => void }

export interface TwilioRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** the parsed form body */
  form: Record<string, string>
}

export interface QueuedSms {
  sid: string
  to: string
  from: string
  body: string
}

/**
 * An answer to the next request that passes authentication: a status with a JSON body (an object)
 * or a text one (a string: say, a proxy's HTML error page), and headers; or 'hang'.
 */
export type TwilioReply = { status: number, body?: object | string, headers?: Record<string, string> } | 'hang'

export interface TwilioStub {
  /** what the sender takes as apiBaseUrl: http://127.0.0.1:<port> */
  baseUrl: string
  accountSid: string
  authToken: string
  /** every request, whatever the answer */
  requests: TwilioRequest[]
  /** messages answered 201, in order */
  messages: QueuedSms[]
  /** queue answers for the next requests that pass authentication, in order; then: 201 */
  reply (...replies: TwilioReply[]): void
  /** close the port: clients now get "connection refused" */
  stop (): Promise<void>
}

/** Twilio's errors, as its API words them. */
export const twilioErrors = {
  unsubscribed: { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 } },
  invalidTo: { status: 400, body: { code: 21211, message: "Invalid 'To' Phone Number", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 } },
  unavailable: { status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } },
  tooManyRequests: { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 }, headers: { 'retry-after': '2' } }
} satisfies Record<string, TwilioReply>

const json = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))

/**
 * Starts the stub on 127.0.0.1 (a free port) with a fresh account sid and auth token; stopped on
 * teardown.
 *
 * @example
 *   const twilio = await startTwilioStub(t)
 *   twilio.reply(twilioErrors.unsubscribed)
 *   const sms = createSmsSender({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', apiBaseUrl: twilio.baseUrl, timeoutMs: 2000 })
 *   await sms.send({ to: '+14155550100', body: 'Time to run' })   // failed, code 'unsubscribed'
 *   await sms.send({ to: '+14155550100', body: 'Time to run' })   // delivered; twilio.messages[0].body === 'Time to run'
 */
export async function startTwilioStub (t: Test, { accountSid = `AC${randomBytes(16).toString('hex')}`, authToken = randomBytes(16).toString('hex') } = {}): Promise<TwilioStub> {
  const requests: TwilioRequest[] = []
  const messages: QueuedSms[] = []
  const queue: TwilioReply[] = []
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, form })
      if (req.headers.authorization !== expectedAuth) {
        return json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 }, { 'www-authenticate': 'Basic realm="Twilio API"' })
      }
      if (req.method !== 'POST' || req.url !== messagesPath) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 })
      const reply = queue.shift()
      if (reply === 'hang') return
      if (typeof reply?.body === 'string') return res.writeHead(reply.status, { 'content-type': 'text/html', ...reply.headers }).end(reply.body)
      if (reply) return json(res, reply.status, reply.body ?? {}, reply.headers)
      if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return json(res, 400, { code: 20001, message: 'Unsupported content type', status: 400 })
      if (!form.To) return json(res, 400, { code: 21604, message: "A 'To' phone number is required.", status: 400 })
      if (!form.From) return json(res, 400, { code: 21603, message: "A 'From' phone number is required.", status: 400 })
      if (!form.Body) return json(res, 400, { code: 21602, message: 'Message body is required.', status: 400 })
      const message = { sid: `SM${randomBytes(16).toString('hex')}`, to: form.To, from: form.From, body: form.Body }
      messages.push(message)
      json(res, 201, { ...message, account_sid: accountSid, status: 'queued', num_segments: '1', direction: 'outbound-api', error_code: null })
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port

  const stop = async () => {
    if (!server.listening) return
    const closed = once(server, 'close')
    server.close()
    server.closeAllConnections()
    await closed
  }
  t.teardown(stop)

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    messages,
    reply: (...replies) => { queue.push(...replies) },
    stop
  }
}
