// When to try a nudge again after an attempt that may succeed later (receiver down, 503, 451…).
//
// Exponential backoff from 2 s, ×4 per attempt, capped at `maxMs` (NUDGE_RETRY_MAX_MS, 10 min by
// default), then scaled by a per-nudge factor in [0.75, 1] derived from the nudge id:
//
//   after attempt   1        2        3         4           5            6 and later (10 min cap)
//   nominal         2 s      8 s      32 s      128 s       512 s        600 s
//   with jitter     1.5–2 s  6–8 s    24–32 s   96–128 s    384–512 s    450–600 s
//
// The first retry comes within 2 s, so a blip (a deploy, one dropped connection) costs the user
// almost nothing; by the fourth attempt a receiver that is really down is asked only every couple
// of minutes. The factor depends on the nudge id alone: the same nudge always gets the same
// schedule (predictable, testable, no clock or Math.random), each nudge's delays never decrease,
// and nudges that failed together against one receiver come back spread over a quarter of the
// delay instead of in lockstep. Scaling after the cap keeps the spread at the cap too, and never
// exceeds `maxMs`.
import { createHash } from 'node:crypto'

const FIRST_DELAY_MS = 2000
const GROWTH = 4
const JITTER_SPREAD = 0.25

export interface RetryScheduleOptions {
  /** the longest delay, in ms (NUDGE_RETRY_MAX_MS) */
  maxMs: number
  /** what makes the jitter differ between nudges and stay the same for one: the nudge id */
  key: string
  /** the receiver's Retry-After, in ms: honoured when longer than the schedule, up to maxMs */
  retryAfterMs?: number
}

/** A stable number in [0, 1) from `key`. */
function unitFraction (key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32
}

/** How long to wait, in ms, before the next attempt, when `attemptsSoFar` attempts (≥ 1) have failed. */
export function retryDelayMs (attemptsSoFar: number, { maxMs, key, retryAfterMs }: RetryScheduleOptions): number {
  if (!Number.isInteger(attemptsSoFar) || attemptsSoFar < 1) throw new RangeError(`attemptsSoFar must be a whole number ≥ 1, not ${attemptsSoFar}`)
  if (!(maxMs > 0)) throw new RangeError(`maxMs must be positive, not ${maxMs}`)
  const nominal = Math.min(maxMs, FIRST_DELAY_MS * GROWTH ** (attemptsSoFar - 1))
  const scheduled = Math.round(nominal * (1 - JITTER_SPREAD * unitFraction(key)))
  // A receiver that said how long it needs gets at least that — but never more than the cap, or
  // one hostile `Retry-After: 31536000` would park the nudge for a year.
  if (retryAfterMs !== undefined && retryAfterMs > scheduled) return Math.min(maxMs, Math.ceil(retryAfterMs))
  return scheduled
}

/** Whether the attempts are used up: after `maxAttempts` attempts, a "retry" becomes a failure. */
export function shouldGiveUp (attemptsSoFar: number, maxAttempts: number): boolean {
  return attemptsSoFar >= maxAttempts
}
