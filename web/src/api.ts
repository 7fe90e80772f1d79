// Talking to the API from the browser: the session is the HttpOnly cookie (the app never sees
// it), errors arrive in the API's one shape {statusCode, error, message} and are thrown as an
// ApiError whose message is the person-readable one the API wrote.
export class ApiError extends Error {
  constructor (readonly status: number, message: string) {
    super(message)
  }
}

/** Signed-out listeners: any 401 means the session is gone (expired, signed out elsewhere). */
const unauthorized = new Set<() => void>()
export function onUnauthorized (fn: () => void): () => void {
  unauthorized.add(fn)
  return () => unauthorized.delete(fn)
}

async function errorFrom (res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`
  try {
    const body = await res.json() as { message?: unknown }
    if (typeof body.message === 'string') message = body.message
  } catch { /* not JSON: keep the status line */ }
  return new ApiError(res.status, message)
}

export async function api<T = unknown> (method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  let payload: BodyInit | undefined
  if (typeof body === 'string') {
    headers['content-type'] = 'text/calendar'
    payload = body
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', ...init })
  if (!res.ok) {
    const error = await errorFrom(res)
    if (res.status === 401 && !path.startsWith('/api/auth/')) for (const fn of unauthorized) fn()
    throw error
  }
  if (res.status === 204) return undefined as T
  return await res.json() as T
}

export const get = <T>(path: string) => api<T>('GET', path)
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body)
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body)
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body)
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, body)

export interface StreamEvent { event: string, data: any }

/**
 * POST with `Accept: text/event-stream` and hand each Server-Sent Event to `onEvent` as it
 * arrives (EventSource cannot POST). Resolves when the stream ends.
 */
export async function postStream (path: string, body: unknown, onEvent: (e: StreamEvent) => void): Promise<void> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    credentials: 'same-origin'
  })
  if (!res.ok || !res.body) {
    const error = await errorFrom(res)
    if (res.status === 401) for (const fn of unauthorized) fn()
    throw error
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      let event = 'message'
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
      }
      if (data.length > 0) onEvent({ event, data: JSON.parse(data.join('\n')) })
    }
  }
}
