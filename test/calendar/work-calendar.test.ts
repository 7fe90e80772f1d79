// A real-world-shaped export (test/calendar/fixtures/work-calendar.ics, Google Calendar's layout):
// a weekly meeting in Europe/Berlin with an EXDATE and a moved instance across the October DST
// change, a call from New York across *its* DST change a week later, a TZID with no VTIMEZONE,
// a floating time, all-day events (one over the 25-hour day), transparent, cancelled and
// zero-length events. The user lives in Europe/Berlin; every instant below is worked out by hand.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { busyIntervals } from '../../src/calendar/busy-intervals.js'
import { conflicts } from '../../src/calendar/conflicts.js'
import { freeSlots } from '../../src/calendar/free-slots.js'
import { parseCalendar } from '../../src/calendar/parse-calendar.js'
import { sessionWindow } from '../../src/calendar/session-window.js'

const ZONE = 'Europe/Berlin'
const text = readFileSync(new URL('fixtures/work-calendar.ics', import.meta.url), 'utf8')
const from = new Date('2025-10-13T00:00:00Z')
const until = new Date('2025-11-10T00:00:00Z')
const parsed = parseCalendar(text, { timeZone: ZONE, from, until })

const occurrence = (summary: string, start: string, end: string, busy = true, allDay = false) =>
  ({ summary, start: `${start}.000Z`, end: `${end}.000Z`, all_day: allDay, busy })

t.test('every occurrence in the four weeks, as UTC instants', async t => {
  t.equal(parsed.events, 10, 'ten VEVENTs, the moved instance among them')
  t.equal(parsed.truncated, false)
  t.same(parsed.occurrences, [
    // Oct 13 is an EXDATE. 10:00 CEST = 08:00Z.
    occurrence('Team sync', '2025-10-20T08:00:00', '2025-10-20T09:00:00'),
    // TZID=Europe/London without a VTIMEZONE: read in that IANA zone (BST), DURATION PT1H.
    occurrence('Lunch with Sam', '2025-10-22T11:00:00', '2025-10-22T12:00:00'),
    // All-day: the user's own day, local midnight to local midnight.
    occurrence('Offsite', '2025-10-22T22:00:00', '2025-10-23T22:00:00', true, true),
    // 09:00 EDT = 13:00Z.
    occurrence('Call with NYC office', '2025-10-23T13:00:00', '2025-10-23T14:00:00'),
    // Sat + Sun, Sunday has 25 hours (CEST → CET); transparent: shown, not busy.
    occurrence('Autumn break', '2025-10-24T22:00:00', '2025-10-26T23:00:00', false, true),
    // Same 10:00 local, now CET = 09:00Z.
    occurrence('Team sync', '2025-10-27T09:00:00', '2025-10-27T10:00:00'),
    // Floating 08:30 in the user's zone (CET).
    occurrence('Dentist', '2025-10-28T07:30:00', '2025-10-28T08:30:00'),
    occurrence('Board review', '2025-10-29T14:00:00', '2025-10-29T16:00:00', false),
    // New York still on EDT (it changes on Nov 2): 13:00Z, one hour less apart from Berlin.
    occurrence('Call with NYC office', '2025-10-30T13:00:00', '2025-10-30T14:00:00'),
    // No DTEND, no DURATION: takes no time, blocks none.
    occurrence('Submit expenses', '2025-10-31T16:00:00', '2025-10-31T16:00:00', false),
    // Nov 3 10:00 moved to Nov 4 14:00 CET by RECURRENCE-ID; the original slot is gone.
    occurrence('Team sync (moved)', '2025-11-04T13:00:00', '2025-11-04T14:00:00'),
    // 09:00 EST = 14:00Z; COUNT=3 ends the series here.
    occurrence('Call with NYC office', '2025-11-06T14:00:00', '2025-11-06T15:00:00')
  ])
})

t.test('the process time zone plays no part', async t => {
  const saved = process.env.TZ
  t.teardown(() => {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })
  for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
    process.env.TZ = tz
    t.same(parseCalendar(text, { timeZone: ZONE, from, until }), parsed, `TZ=${tz}`)
  }
})

t.test('read in another user zone: only zone-less times and dates move', async t => {
  const inTokyo = parseCalendar(text, { timeZone: 'Asia/Tokyo', from, until })
  const byName = new Map(inTokyo.occurrences.map(o => [o.summary, o]))
  t.match(byName.get('Dentist'), { start: '2025-10-27T23:30:00.000Z' }, 'floating 08:30 in Tokyo')
  t.match(byName.get('Offsite'), { start: '2025-10-22T15:00:00.000Z', end: '2025-10-23T15:00:00.000Z' }, "Tokyo's day")
  t.match(byName.get('Lunch with Sam'), { start: '2025-10-22T11:00:00.000Z' }, 'a named IANA zone stays put')
  t.match(byName.get('Team sync (moved)'), { start: '2025-11-04T13:00:00.000Z' }, 'VTIMEZONE times stay put')
})

t.test('a narrower range keeps occurrences overlapping it, and no others', async t => {
  const day = parseCalendar(text, { timeZone: ZONE, from: new Date('2025-10-23T12:00:00Z'), until: new Date('2025-10-23T13:00:00Z') })
  t.same(day.occurrences.map(o => o.summary), ['Offsite'], 'started before, still running; the call starts at the end')
})

t.test('busy time, merged', async t => {
  t.same(busyIntervals(parsed.occurrences, from, until).map(i => [i.start.toISOString(), i.end.toISOString()]), [
    ['2025-10-20T08:00:00.000Z', '2025-10-20T09:00:00.000Z'],
    ['2025-10-22T11:00:00.000Z', '2025-10-22T12:00:00.000Z'],
    ['2025-10-22T22:00:00.000Z', '2025-10-23T22:00:00.000Z'], // the NYC call lies inside the offsite day
    ['2025-10-27T09:00:00.000Z', '2025-10-27T10:00:00.000Z'],
    ['2025-10-28T07:30:00.000Z', '2025-10-28T08:30:00.000Z'],
    ['2025-10-30T13:00:00.000Z', '2025-10-30T14:00:00.000Z'],
    ['2025-11-04T13:00:00.000Z', '2025-11-04T14:00:00.000Z'],
    ['2025-11-06T14:00:00.000Z', '2025-11-06T15:00:00.000Z']
  ])
})

t.test('conflicts with planned session windows', async t => {
  const session = (date: string, start: string, end: string) => ({ date, ...sessionWindow(date, start, end, ZONE) })
  const sessions = [
    session('2025-10-13', '10:00', '11:00'), // the EXDATE'd sync: free
    session('2025-10-20', '09:30', '11:00'), // overlaps the sync
    session('2025-10-23', '18:00', '19:00'), // inside the all-day offsite
    session('2025-10-26', '10:00', '11:00'), // autumn break is transparent
    session('2025-10-27', '11:00', '12:00'), // the sync ends as it starts: no conflict
    session('2025-10-29', '15:00', '16:00'), // the board review is cancelled
    session('2025-10-31', '16:30', '17:30'), // the zero-length reminder blocks nothing
    session('2025-11-03', '10:00', '11:00'), // the sync moved away from here…
    session('2025-11-04', '14:30', '15:30') // …to here
  ]
  const found = conflicts(sessions, parsed.occurrences)
  t.same(found.map(c => [c.session.date, c.event.summary, c.event.start, c.event.end]), [
    ['2025-10-20', 'Team sync', '2025-10-20T08:00:00.000Z', '2025-10-20T09:00:00.000Z'],
    ['2025-10-23', 'Offsite', '2025-10-22T22:00:00.000Z', '2025-10-23T22:00:00.000Z'],
    ['2025-11-04', 'Team sync (moved)', '2025-11-04T13:00:00.000Z', '2025-11-04T14:00:00.000Z']
  ])
  t.equal(found[0].session, sessions[1], 'the session comes back as given')
})

t.test('free slots in 11:00–15:00 windows', async t => {
  const windows = ['2025-10-22', '2025-10-23', '2025-10-30'].map(date => sessionWindow(date, '11:00', '15:00', ZONE))
  const slots = freeSlots({
    busy: busyIntervals(parsed.occurrences, from, until),
    windows,
    minMinutes: 45,
    from: new Date('2025-10-22T10:30:00Z') // now: the first free half hour is too short to offer
  })
  t.same(slots.map(s => [s.start.toISOString(), s.end.toISOString()]), [
    ['2025-10-22T12:00:00.000Z', '2025-10-22T13:00:00.000Z'], // after lunch with Sam
    ['2025-10-30T10:00:00.000Z', '2025-10-30T13:00:00.000Z'] // CET now; the NYC call takes the last hour
  ])
})
