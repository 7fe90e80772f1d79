// A real webhook receiver on loopback: records every request with its raw body (signatures are
// verified over raw bytes) and answers from a script, so tests can play a receiver that accepts,
// fails, throttles, redirects, hangs, or is down for a while and comes back on the same port.
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'

type Test = { teardown: (fn: () => unknown) => void }

export interface ReceivedRequest {
  method: string
  /** path and query */
  url: string
  headers: IncomingHttpHeaders
  rawBody: string
}

/**
 * One answer: a bare status (empty body), a status with headers and a body, a redirect
 * (302 unless `status` says otherwise), or 'hang' — headers never sent, the request left open
 * until the client gives up or the receiver stops.
 */
export type ReceiverReply =
  | number
  | { status: number, headers?: Record<string, string>, body?: string }
  | { redirectTo: string, status?: number }
  | 'hang'

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>/hooks/nudges */
  url: string
  port: number
  /** every request received, in order (a 'hang' one too) */
  requests: ReceivedRequest[]
  /** queue answers for the next requests, used in order; once the queue is empty: 200 */
  reply (...replies: ReceiverReply[]): void
  /** close the port and drop open connections: clients now get "connection refused" */
  stop (): Promise<void>
  /** listen again on the same port */
  restart (): Promise<void>
  /** resolves with the requests once there are at least `n`; rejects after `timeoutMs` */
  waitForRequests (n: number, timeoutMs?: number): Promise<ReceivedRequest[]>
}

/**
 * Starts a receiver on 127.0.0.1 (a free port), stopped on teardown.
 *
 * @example
 *   const receiver = await startWebhookReceiver(t)
 *   receiver.reply(503, { status: 429, headers: { 'retry-after': '7' } }, 'hang', { redirectTo: 'http://169.254.169.254/' })
 *   await sendWebhook(fetcher, { url: receiver.url, ... })
 *   t.equal(receiver.requests[0].headers['x-ra-delivery'], 'd-1')
 */
export async function startWebhookReceiver (t: Test): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = []
  const queue: ReceiverReply[] = []
  const waiters = new Set<() => void>()

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') })
      for (const wake of waiters) wake()
      const reply = queue.shift() ?? 200
      if (reply === 'hang') return
      if (typeof reply === 'number') {
        res.writeHead(reply).end()
      } else if ('redirectTo' in reply) {
        res.writeHead(reply.status ?? 302, { location: reply.redirectTo }).end()
      } else {
        res.writeHead(reply.status, reply.headers).end(reply.body ?? '')
      }
    })
  })

  let port = 0
  const listen = async () => {
    server.listen(port, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as { port: number }).port
  }
  await listen()

  const stop = async () => {
    if (!server.listening) return
    const closed = once(server, 'close')
    server.close()
    // hanging requests and idle keep-alive connections would hold close() open
    server.closeAllConnections()
    await closed
  }
  t.teardown(stop)

  return {
    url: `http://127.0.0.1:${port}/hooks/nudges`,
    port,
    requests,
    reply: (...replies) => { queue.push(...replies) },
    stop,
    restart: listen,
    async waitForRequests (n, timeoutMs = 5000) {
      if (requests.length >= n) return requests
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${requests.length} of ${n} webhook requests within ${timeoutMs} ms`))
        }, timeoutMs)
        function check () {
          if (requests.length < n) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
      })
      return requests
    }
  }
}
