// Which rate-limit scopes a request counts against. A request may be in several (a workout log
// counts in `api` and `workout`); each scope has its own counter. Pure, so the table is testable.

export type RateLimitScope = 'api' | 'agent' | 'workout' | 'auth'

export const SCOPES: readonly RateLimitScope[] = ['api', 'agent', 'workout', 'auth']

/** `path` is the route pattern when the request matched a route, else the URL path. */
export function scopesFor (method: string, path: string): RateLimitScope[] {
  if (path !== '/api' && !path.startsWith('/api/')) return [] // /health, /documentation*, /metrics
  const scopes: RateLimitScope[] = ['api']
  if (method === 'POST' && (path === '/api/agent' || path === '/api/agent/')) scopes.push('agent')
  if (path.startsWith('/api/workout/') || path === '/api/workout') scopes.push('workout')
  if (method === 'POST' && (path === '/api/auth/login' || path === '/api/auth/register')) scopes.push('auth')
  return scopes
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
