// A `Retry-After` header (RFC 9110 §10.2.3) as milliseconds from now: either whole seconds or an
// HTTP date. Anything else — garbage, a negative number — is as good as no header: the sender
// then falls back on its own schedule. A date in the past means "now" (0).
// The value is not capped here: retry-schedule.ts bounds it by the service's maximum delay.

export function parseRetryAfter (value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) {
    const seconds = Number(text)
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined
  }
  // Date.parse reads "Sun, 06 Nov 1994 08:49:37 GMT" (and, leniently, other formats); a date must
  // at least name its zone, or it would be read in the server's local time.
  if (!/GMT|UTC|[+-]\d{4}$/.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}
