// Which rate-limit scopes a request counts against. A request may be in several (a workout log
// counts in `api` and `workout`); each scope has its own counter. Pure, so the table is testable.
// Login and registration are different: only their FAILURES count, in `auth` (per IP) and — for a
// login — `auth_user` (per username, against credential stuffing from many addresses). A person
// who logs in successfully is not an attacker.

/** Scopes counted on every request they cover. `feed`: the calendar feed, per token — calendar
 * servers poll from shared addresses, so it counts neither per IP nor in `api`. */
export type RequestScope = 'api' | 'agent' | 'workout' | 'feed'
/** Scopes counted on failed logins and registrations. */
export type FailureScope = 'auth' | 'auth_user'
export type RateLimitScope = RequestScope | FailureScope

export const SCOPES: readonly RateLimitScope[] = ['api', 'agent', 'workout', 'feed', 'auth', 'auth_user']

/** `path` is the route pattern when the request matched a route, else the URL path. */
export function scopesFor (method: string, path: string): RequestScope[] {
  if (path !== '/api' && !path.startsWith('/api/')) return [] // /health, /documentation*, /metrics
  if (path === '/api/calendar.ics') return ['feed']
  const scopes: RequestScope[] = ['api']
  if (method === 'POST' && (path === '/api/agent' || path === '/api/agent/')) scopes.push('agent')
  if (path.startsWith('/api/workout/') || path === '/api/workout') scopes.push('workout')
  return scopes
}

/** The failure scopes of a login or registration attempt (none for any other request). */
export function failureScopesFor (method: string, path: string): FailureScope[] {
  if (method !== 'POST') return []
  if (path === '/api/auth/login') return ['auth', 'auth_user']
  if (path === '/api/auth/register') return ['auth']
  return []
}

/** A response that counts as a failed attempt: any client error but the refusal itself. */
export function isFailedAttempt (statusCode: number): boolean {
  return statusCode >= 400 && statusCode < 500 && statusCode !== 429
}

export interface ScopeResult {
  scope: RateLimitScope
  max: number
  remaining: number
  /** seconds until the scope's window resets */
  resetSeconds: number
  exceeded: boolean
}

/** The scope to report in x-ratelimit-*: fewest requests left; on a tie, the longer wait. */
export function tightest (results: readonly ScopeResult[]): ScopeResult | undefined {
  return [...results].sort((a, b) => a.remaining - b.remaining || b.resetSeconds - a.resetSeconds)[0]
}

/** The scope that refuses the request: of those exceeded, the one that frees up last. */
export function refusing (results: readonly ScopeResult[]): ScopeResult | undefined {
  return results.filter(r => r.exceeded).sort((a, b) => b.resetSeconds - a.resetSeconds)[0]
}
