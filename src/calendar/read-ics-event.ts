// One VEVENT, decoded and checked. ical.js decodes lazily — a broken DTSTART would only throw
// while expanding, deep inside a loop, or never for an event outside the range asked — so every
// property the expansion uses is decoded here, up front, and a problem becomes a CalendarError
// naming the event ("event 3 (\"Standup\"): DTSTART is missing").
import ICAL from 'ical.js'
import { CalendarError } from './calendar-error.js'
import { parseLocalDate } from './wall-clock.js'
import { type IcalProperty, type IcalTime, type TimePlacement, placementFor, plainDateOf, toEpochMs } from './ics-time.js'

export type IcalComponent = InstanceType<typeof ICAL.Component>
export type IcalRecur = InstanceType<typeof ICAL.Recur>
type IcalDuration = InstanceType<typeof ICAL.Duration>
type IcalPeriod = InstanceType<typeof ICAL.Period>

/**
 * How long each occurrence lasts: `days` whole days on the wall clock (23 or 25 hours across a
 * DST change, as RFC 5545 says for DURATION's day part and for dates), then `ms` exact time.
 */
export interface EventLength {
  days: number
  ms: number
}

/** An extra occurrence from RDATE: a start (a PERIOD also gives its own end). */
export interface ExtraDate {
  time: IcalTime
  placement: TimePlacement
  end: IcalTime | null
}

export interface IcsEvent {
  /** 1-based position among the file's VEVENTs */
  number: number
  /** `event 3 ("Standup")`, for messages */
  label: string
  uid: string | null
  summary: string
  /** not TRANSP:TRANSPARENT and not STATUS:CANCELLED */
  blocksTime: boolean
  start: IcalTime
  startMs: number
  /** where DTSTART's zone-less times go; every occurrence of the rule shares DTSTART's zone */
  placement: TimePlacement
  allDay: boolean
  length: EventLength
  rules: IcalRecur[]
  rdates: ExtraDate[]
  /** EXDATEs with a time, as instants */
  exdateMs: Set<number>
  /** EXDATEs that are dates (VALUE=DATE): they remove every occurrence on that local date */
  exdateDays: Set<string>
  /** this VEVENT overrides the occurrence of its series (same UID) starting at this instant */
  recurrenceIdMs: number | null
}

const MAX_LABEL = 40

function labelOf (number: number, summary: string): string {
  if (!summary) return `event ${number}`
  const short = summary.length > MAX_LABEL ? `${summary.slice(0, MAX_LABEL - 1)}…` : summary
  return `event ${number} (${JSON.stringify(short)})`
}

export function readIcsEvent (component: IcalComponent, number: number, userZone: string): IcsEvent {
  const summaryValue = safely(() => component.getFirstPropertyValue('summary'))
  const summary = typeof summaryValue === 'string' ? summaryValue.trim() : ''
  const label = labelOf(number, summary)
  const fail = (problem: string) => new CalendarError(`${label}: ${problem}`)

  /** The decoded value of one property, or a CalendarError saying which property is broken. */
  const decode = <T>(name: string, read: () => T): T => {
    try {
      return read()
    } catch (err) {
      if (err instanceof CalendarError) throw err // already says which property
      throw fail(`${name} is not valid (${(err as Error).message})`)
    }
  }
  const timeOf = (property: IcalProperty, name: string): IcalTime => decode(name, () => {
    checkCalendarValues(property)
    const value = property.getFirstValue()
    if (!(value instanceof ICAL.Time)) throw new Error(`expected a date or date-time, got ${property.type}`)
    return value
  })

  const startProperty = component.getFirstProperty('dtstart')
  if (!startProperty) throw fail('DTSTART is missing')
  const start = timeOf(startProperty, 'DTSTART')
  const placement = placementFor(startProperty, userZone)
  const startMs = decode('DTSTART', () => toEpochMs(start, placement))
  const allDay = start.isDate

  const length = lengthOf(component, start, startMs, allDay, userZone, timeOf, decode, fail)

  const rules = component.getAllProperties('rrule').map(property => decode('RRULE', () => {
    const rule = property.getFirstValue()
    if (!(rule instanceof ICAL.Recur)) throw new Error('not a recurrence rule')
    if (!rule.freq) throw new Error('FREQ is missing')
    return rule
  }))

  const rdates: ExtraDate[] = []
  for (const property of component.getAllProperties('rdate')) {
    const rdatePlacement = placementFor(property, userZone)
    // ical.js types RDATE values as dates, date-times or periods (it ignores other VALUE= types).
    for (const value of decode('RDATE', () => checkCalendarValues(property).getValues()) as Array<IcalTime | IcalPeriod>) {
      const extra: ExtraDate = value instanceof ICAL.Period
        ? { time: value.start, placement: rdatePlacement, end: decode('RDATE', () => value.getEnd()) }
        : { time: value, placement: rdatePlacement, end: null }
      decode('RDATE', () => toEpochMs(extra.time, rdatePlacement))
      rdates.push(extra)
    }
  }

  const exdateMs = new Set<number>()
  const exdateDays = new Set<string>()
  for (const property of component.getAllProperties('exdate')) {
    const exdatePlacement = placementFor(property, userZone)
    // Dates or date-times, as ical.js types EXDATE values.
    for (const value of decode('EXDATE', () => checkCalendarValues(property).getValues()) as IcalTime[]) {
      if (value.isDate) exdateDays.add(plainDateOf(value).toString())
      else exdateMs.add(decode('EXDATE', () => toEpochMs(value, exdatePlacement)))
    }
  }

  const recurrenceIdProperty = component.getFirstProperty('recurrence-id')
  const recurrenceIdMs = recurrenceIdProperty
    ? decode('RECURRENCE-ID', () => toEpochMs(timeOf(recurrenceIdProperty, 'RECURRENCE-ID'), placementFor(recurrenceIdProperty, userZone)))
    : null

  const uid = safely(() => component.getFirstPropertyValue('uid'))
  const status = safely(() => component.getFirstPropertyValue('status'))
  const transp = safely(() => component.getFirstPropertyValue('transp'))
  const blocksTime = String(status ?? '').toUpperCase() !== 'CANCELLED' && String(transp ?? '').toUpperCase() !== 'TRANSPARENT'

  return {
    number,
    label,
    uid: typeof uid === 'string' && uid !== '' ? uid : null,
    summary,
    blocksTime,
    start,
    startMs,
    placement,
    allDay,
    length,
    rules,
    rdates,
    exdateMs,
    exdateDays,
    recurrenceIdMs
  }
}

/**
 * DTEND (wins when a producer wrongly writes DURATION too: it is the explicit end), else DURATION,
 * else RFC 5545's defaults: one day for a date, no time at all for a date-time.
 */
function lengthOf (component: IcalComponent, start: IcalTime, startMs: number, allDay: boolean, userZone: string,
  timeOf: (property: IcalProperty, name: string) => IcalTime,
  decode: <T>(name: string, read: () => T) => T,
  fail: (problem: string) => CalendarError): EventLength {
  const endProperty = component.getFirstProperty('dtend')
  if (endProperty) {
    const end = timeOf(endProperty, 'DTEND')
    if (end.isDate !== allDay) {
      throw fail(allDay ? 'DTSTART is a date but DTEND is a date-time' : 'DTSTART is a date-time but DTEND is a date')
    }
    if (allDay) {
      const days = plainDateOf(start).until(plainDateOf(end), { largestUnit: 'days' }).days
      if (days < 0) throw fail('DTEND is before DTSTART')
      return { days, ms: 0 }
    }
    const ms = decode('DTEND', () => toEpochMs(end, placementFor(endProperty, userZone))) - startMs
    if (ms < 0) throw fail('DTEND is before DTSTART')
    return { days: 0, ms }
  }
  const durationProperty = component.getFirstProperty('duration')
  if (durationProperty) {
    const duration = decode('DURATION', () => {
      const value = durationProperty.getFirstValue()
      if (!(value instanceof ICAL.Duration)) throw new Error('expected a duration')
      return value as IcalDuration
    })
    if (duration.isNegative && duration.toSeconds() !== 0) throw fail('DURATION is negative')
    const days = duration.weeks * 7 + duration.days
    const ms = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000
    // A date has no time of day to add hours to: a part-day remainder still takes that day.
    if (allDay) return { days: days + (ms > 0 ? 1 : 0), ms: 0 }
    return { days, ms }
  }
  return { days: allDay ? 1 : 0, ms: 0 }
}

const RAW_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/

/**
 * ical.js rolls impossible dates and times over (2025-02-30 becomes March 2, 25:00 the next day);
 * a calendar that says Feb 30 is broken, so each raw value is checked before it is decoded.
 */
function checkCalendarValues (property: IcalProperty): IcalProperty {
  const raw = (property.toJSON() as unknown[]).slice(3).flat()
  for (const value of raw) {
    const match = typeof value === 'string' ? RAW_DATE_TIME.exec(value) : null
    if (!match) continue
    const [, date, hour, minute, second] = match
    // Second 60 is a leap second, which RFC 5545 allows.
    if (!parseLocalDate(date) || (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60))) {
      throw new Error(`${JSON.stringify(value)} is not a real date or time`)
    }
  }
  return property
}

/** Reading a plain text property must not fail the import: a broken SUMMARY is no SUMMARY. */
function safely (read: () => unknown): unknown {
  try {
    return read()
  } catch {
    return null
  }
}
