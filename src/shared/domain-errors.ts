// Errors the domain raises for the caller's mistakes. They carry a kind, not an HTTP status: the
// HTTP layer (plugins/error-handler.ts) maps kinds to status codes, the agent's tools map them to
// error results for the model.

export type DomainErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_many' |
  'unavailable' | 'upstream_failed' | 'upstream_timeout'

export class DomainError extends Error {
  override name = 'DomainError'
  /**
   * @param retryAfterSeconds when the client may usefully retry (sent as retry-after)
   * @param details extra fields for the error body (e.g. which limit was reached)
   */
  constructor (readonly kind: DomainErrorKind, message: string, readonly retryAfterSeconds?: number,
    readonly details?: Record<string, unknown>) {
    super(message)
  }
}

export const invalid = (message: string) => new DomainError('invalid', message)
export const notFound = (message: string) => new DomainError('not_found', message)
export const conflict = (message: string) => new DomainError('conflict', message)
export const unauthorized = (message: string) => new DomainError('unauthorized', message)
export const unavailable = (message: string, retryAfterSeconds: number) => new DomainError('unavailable', message, retryAfterSeconds)
