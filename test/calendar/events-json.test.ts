import t from 'tap'
import { parseEventsJson } from '../../src/calendar/events-json.js'

t.test('instants and local all-day dates, sorted, all busy', async t => {
  t.same(parseEventsJson([
    { summary: 'Flight', start: '2025-10-26T09:00:00+01:00', end: '2025-10-26T11:30:00+01:00' },
    { summary: 'Holiday', start: '2025-10-25', end: '2025-10-27', all_day: true },
    { summary: ' Call ', start: '2025-10-24T16:00:00Z', end: '2025-10-24T16:30:00.5Z', all_day: false },
    { summary: 'Quick', start: '2025-10-24T16:00:00Z', end: '2025-10-24T16:10:00Z' }
  ], 'Europe/Berlin'), [
    { summary: 'Quick', start: '2025-10-24T16:00:00.000Z', end: '2025-10-24T16:10:00.000Z', all_day: false, busy: true },
    { summary: 'Call', start: '2025-10-24T16:00:00.000Z', end: '2025-10-24T16:30:00.500Z', all_day: false, busy: true },
    // Saturday and the 25-hour Sunday, in the user's zone.
    { summary: 'Holiday', start: '2025-10-24T22:00:00.000Z', end: '2025-10-26T23:00:00.000Z', all_day: true, busy: true },
    { summary: 'Flight', start: '2025-10-26T08:00:00.000Z', end: '2025-10-26T10:30:00.000Z', all_day: false, busy: true }
  ])
  t.same(parseEventsJson([], 'UTC'), [])
})

t.test('invalid events name the event and the field', async t => {
  const fails = (events: any[], message: string | RegExp) =>
    t.throws(() => parseEventsJson(events, 'Europe/Berlin'), { name: 'CalendarError', kind: 'invalid', message })
  fails([{ summary: 'Gym', start: '2025-10-24T16:00:00Z', end: '2025-10-24T16:00:00Z' }], 'event 1 ("Gym"): end must be after start')
  fails([{ summary: 'Trip', start: '2025-10-24', end: '2025-10-24', all_day: true }],
    'event 1 ("Trip"): end must be after start (an all-day end is the first day it no longer covers)')
  fails([{ summary: 'a', start: '2025-10-24T16:00:00Z', end: '2025-10-24T17:00:00Z' }, { summary: '', start: '2025-10-24 16:00', end: '2025-10-24T17:00:00Z' }],
    /^event 2: start must be an RFC 3339 date-time with an offset/)
  fails([{ summary: 'x', start: '2025-10-24T16:00:00', end: '2025-10-24T17:00:00Z' }], /^event 1 \("x"\): start must be an RFC 3339/)
  fails([{ summary: 'x', start: '2025-10-24T16:00:00Z', end: 17 }], /^event 1 \("x"\): end must be an RFC 3339/)
  fails([{ summary: 'x', start: '2025-02-29', end: '2025-03-01', all_day: true }], 'event 1 ("x"): start must be a YYYY-MM-DD date for an all-day event')
  fails([{ summary: 'x', start: '2025-10-24', end: '2025-10-25T00:00:00Z', all_day: true }], 'event 1 ("x"): end must be a YYYY-MM-DD date for an all-day event')
  fails([{ start: '2025-10-24T16:00:00Z', end: '2025-10-24T17:00:00Z' }], 'event 1: summary must be a string')
  fails([null], 'event 1: summary must be a string')
  t.throws(() => parseEventsJson({} as any, 'UTC'), { message: 'events must be an array' })
  t.throws(() => parseEventsJson([], 'Nowhere/Land'), { message: 'timeZone "Nowhere/Land" is not a known IANA time zone' })
})
