import { STATUS_CODES } from 'node:http'

/** The one error shape every response uses: {statusCode, error, message}. */
export function errorBody (statusCode: number, message: string) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message }
}
