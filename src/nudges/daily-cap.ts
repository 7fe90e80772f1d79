// The daily cap on external nudges counts what reaches the person on one day of *their* calendar:
// a nudge belongs to the local day it is delivered — the day of `scheduled_for` when it was
// scheduled (one queued at 23:50 for 07:00 tomorrow spends tomorrow's allowance), else the day of
// `created_at`. In-app nudges interrupt nobody and are never capped. The caller passes the nudges
// that count (it drops cancelled ones); this file only places them on days.
import { canonicalTimeZone, localDate as localDateOf, parseInstant } from '../shared/local-time.js'

/** The channel shown inside the app only: not an interruption, not counted. */
export const IN_APP_CHANNEL = 'in_app'

export interface CappedNudge {
  channel: string
  /** RFC 3339 */
  created_at: string
  /** RFC 3339; null when sent at once */
  scheduled_for: string | null
}

/** YYYY-MM-DD in `timeZone` of the day the nudge is (or was) delivered. A RangeError for an
 * unknown zone or a timestamp that is not RFC 3339 — stored nudges always carry valid ones. */
export function deliveryLocalDate (nudge: CappedNudge, timeZone: string): string {
  return deliveryDate(nudge, requireZone(timeZone))
}

/** External nudges (channel ≠ in_app) delivered on `localDate` (YYYY-MM-DD) in `timeZone`. */
export function nudgesOnLocalDay (nudges: readonly CappedNudge[], localDate: string, timeZone: string): number {
  const zone = requireZone(timeZone)
  let count = 0
  for (const nudge of nudges) {
    if (nudge.channel !== IN_APP_CHANNEL && deliveryDate(nudge, zone) === localDate) count++
  }
  return count
}

function requireZone (timeZone: string): string {
  const zone = canonicalTimeZone(timeZone)
  if (!zone) throw new RangeError(`timeZone ${JSON.stringify(timeZone)} is not a known IANA time zone`)
  return zone
}

function deliveryDate (nudge: CappedNudge, zone: string): string {
  const value = nudge.scheduled_for ?? nudge.created_at
  const instant = parseInstant(value)
  if (!instant) {
    const field = nudge.scheduled_for === null ? 'created_at' : 'scheduled_for'
    throw new RangeError(`nudge ${field} ${JSON.stringify(value)} is not an RFC 3339 date-time`)
  }
  return localDateOf(instant, zone)
}
