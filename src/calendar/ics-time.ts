// ICAL.Time → epoch milliseconds. ical.js converts correctly only times in UTC or in a zone the
// file defines with a VTIMEZONE; it reads every other time (floating, a TZID the file does not
// define, a date) as zone-less, and its toJSDate() would then follow the process's zone. Those
// are placed here, with Temporal, in the zone they belong to.
import ICAL from 'ical.js'
import { Temporal } from 'temporal-polyfill'
import { ianaZoneForTzid, startOfLocalDay, wallClockToEpochMs } from './wall-clock.js'

export type IcalTime = InstanceType<typeof ICAL.Time>
export type IcalProperty = InstanceType<typeof ICAL.Property>

/**
 * How to place the zone-less times of one property. `userZone` reads floating times and dates
 * (an all-day event is busy for the user's own day); a TZID the file defines no VTIMEZONE for is
 * read in that IANA zone when it names one, in the user's zone otherwise.
 */
export interface TimePlacement {
  /** zone for a date-time ical.js holds as floating */
  zonelessIn: string
  /** zone whose midnights bound dates */
  userZone: string
}

export function placementFor (property: IcalProperty, userZone: string): TimePlacement {
  const tzid = property.getParameter('tzid')
  const named = typeof tzid === 'string' ? ianaZoneForTzid(tzid) : null
  return { zonelessIn: named ?? userZone, userZone }
}

/** ical.js marks a time it could not attach to a known zone with its "floating" zone. */
export const isZoneless = (time: IcalTime): boolean => !time.zone || time.zone.tzid === 'floating'

export function plainDateOf (time: IcalTime): Temporal.PlainDate {
  return Temporal.PlainDate.from({ year: time.year, month: time.month, day: time.day }, { overflow: 'reject' })
}

export function toEpochMs (time: IcalTime, placement: TimePlacement): number {
  if (time.isDate) return startOfLocalDay(plainDateOf(time), placement.userZone)
  if (isZoneless(time)) {
    return wallClockToEpochMs({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second },
      placement.zonelessIn)
  }
  return time.toUnixTime() * 1000
}
