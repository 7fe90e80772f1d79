// `reply.eventStream()`: turns a reply into a Server-Sent Events stream. Fastify hands the socket
// over (hijack), so the headers set so far (CORS, request id, rate limits) are written by hand;
// idle streams get a comment line every SSE_HEARTBEAT_MS so proxies keep them open; on shutdown
// the stream ends with an `error` event the client can act on (and `onShutdown` lets the caller
// stop its work); errors leave as the same body the error handler gives plain requests.
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'
import { replyForError } from './error-handler.js'

export interface EventStream {
  send (event: string, data: unknown): void
  /** sends `error` with the standard error body for `err` */
  fail (err: unknown): void
  end (): void
}

declare module 'fastify' {
  interface FastifyReply {
    eventStream (options?: { onShutdown?: () => void }): EventStream
  }
}

const SHUTDOWN_EVENT = { statusCode: 503, error: 'Service Unavailable', message: 'The service is restarting; ask again in a moment.' }

export default fp(async function eventStream (fastify) {
  const { config, shutdownSignal } = fastify

  fastify.decorateReply('eventStream', function (this: FastifyReply, options: { onShutdown?: () => void } = {}): EventStream {
    const reply = this
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      ...reply.getHeaders() as Record<string, string>,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no'
    })
    const write = (text: string) => { if (!res.writableEnded) res.write(text) }
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), config.SSE_HEARTBEAT_MS)
    const stream: EventStream = {
      send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      fail: err => stream.send('error', replyForError(err, reply.request).body),
      end: () => {
        clearInterval(heartbeat)
        shutdownSignal.removeEventListener('abort', onShutdown)
        if (!res.writableEnded) res.end()
      }
    }
    function onShutdown (): void {
      stream.send('error', SHUTDOWN_EVENT)
      options.onShutdown?.()
      stream.end()
    }
    shutdownSignal.addEventListener('abort', onShutdown, { once: true })
    return stream
  })
}, { name: 'event-stream', dependencies: ['config', 'shutdown', 'error-handler'] })
