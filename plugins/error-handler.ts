// Every error leaves as {statusCode, error, message} with a message a person can act on; a 5xx
// never carries a stack trace or internal detail (the log has it, keyed by request id).
import fp from 'fastify-plugin'
import { STATUS_CODES } from 'node:http'
import type { FastifyError } from 'fastify'
import { DomainError, type DomainErrorKind } from '../src/domain-errors.js'

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503
}

/** Disk trouble is the operator's to fix, not a bug: say so with a 503 the client may retry. */
const STORAGE_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EMFILE', 'ENFILE'])

export function errorBody (statusCode: number, message: string) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

export default fp(async function errorHandler (fastify) {
  fastify.setErrorHandler(function (error: FastifyError & { kind?: DomainErrorKind }, request, reply) {
    if (error.validation) {
      return reply.code(400).send(errorBody(400, error.message))
    }
    if (error instanceof DomainError) {
      const status = STATUS_OF_KIND[error.kind]
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
      return reply.code(status).send(errorBody(status, error.message))
    }
    if (error.code && STORAGE_FAILURES.has(error.code)) {
      request.log.error({ err: error }, 'storage failure')
      reply.header('retry-after', '30')
      return reply.code(503).send(errorBody(503, 'Storage is temporarily unavailable; nothing was changed. Try again shortly.'))
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(status).send(errorBody(status, `Something went wrong on our side. Quote request id ${request.id} if you report it.`))
    }
    // Fastify's own client errors (bad JSON, body too large, wrong content type) are already clear.
    return reply.code(status).send(errorBody(status, error.message))
  })

  fastify.setNotFoundHandler(function (request, reply) {
    reply.code(404).send(errorBody(404, `No route ${request.method} ${request.url.split('?')[0]}. See /documentation for the API.`))
  })
}, { name: 'error-handler' })
