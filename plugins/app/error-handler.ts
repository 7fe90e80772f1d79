// Every error leaves as {statusCode, error, message} with a message a person can act on; a 5xx
// never carries a stack trace or internal detail (the log has it, keyed by request id).
import fp from 'fastify-plugin'
import type { FastifyError, FastifyRequest } from 'fastify'
import { DomainError, type DomainErrorKind } from '../../src/shared/domain-errors.js'
import { errorBody } from '../../src/shared/error-body.js'

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many: 429,
  unavailable: 503,
  upstream_failed: 502,
  upstream_timeout: 504
}

/** Disk trouble is the operator's to fix, not a bug: say so with a 503 the client may retry. */
const STORAGE_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EMFILE', 'ENFILE'])


export interface ErrorReply {
  statusCode: number
  headers: Record<string, string>
  body: Record<string, unknown>
}

/**
 * The reply for any error: used by the error handler and by responses that are already streaming
 * (an SSE `error` event carries the same body). Logs what the client is not told.
 */
export function replyForError (error: unknown, request: FastifyRequest): ErrorReply {
  const err = error as FastifyError
  if (err.validation) return { statusCode: 400, headers: {}, body: errorBody(400, err.message) }
  if (error instanceof DomainError) {
    const status = STATUS_OF_KIND[error.kind]
    const headers: Record<string, string> = error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {}
    if (status >= 500) request.log.warn({ kind: error.kind, msg: error.message }, 'request failed upstream')
    return { statusCode: status, headers, body: { ...errorBody(status, error.message), ...error.details } }
  }
  if (err.code && STORAGE_FAILURES.has(err.code)) {
    request.log.error({ err }, 'storage failure')
    return { statusCode: 503, headers: { 'retry-after': '30' }, body: errorBody(503, 'Storage is temporarily unavailable; nothing was changed. Try again shortly.') }
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
  if (status >= 500) {
    request.log.error({ err }, 'request failed')
    return { statusCode: status, headers: {}, body: errorBody(status, `Something went wrong on our side. Quote request id ${request.id} if you report it.`) }
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const sent = request.headers['content-type']
    return { statusCode: 415, headers: {}, body: errorBody(415, `Send the body as JSON with Content-Type: application/json (${sent ? `got "${sent.slice(0, 64)}"` : 'none was sent'}).`) }
  }
  // Fastify's other client errors (bad JSON, body too large) are already clear.
  return { statusCode: status, headers: {}, body: errorBody(status, err.message) }
}

export default fp(async function errorHandler (fastify) {
  fastify.setErrorHandler(function (error, request, reply) {
    const { statusCode, headers, body } = replyForError(error, request)
    return reply.code(statusCode).headers(headers).send(body)
  })

  fastify.setNotFoundHandler(function (request, reply) {
    reply.code(404).send(errorBody(404, `No route ${request.method} ${request.url.split('?')[0]}. See /documentation for the API.`))
  })
}, { name: 'error-handler' })
