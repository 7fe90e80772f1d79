import t from 'tap'
import { calendarFeed, type FeedSession } from '../../src/calendar/calendar-feed.js'
import { parseCalendar } from '../../src/calendar/parse-calendar.js'

const sessions: FeedSession[] = [
  { uid: 's-1@resolution-autopilot', start: new Date('2025-10-25T06:00:00Z'), end: new Date('2025-10-25T07:00:00Z'), summary: 'Run, easy; 5 km',
    description: 'Planned by your coach.\nKeep it conversational.' },
  // Across the fall-back night in Europe/Berlin and in the feed reader's zone alike: UTC is UTC.
  { uid: 's-2@resolution-autopilot', start: new Date('2025-10-26T00:30:00Z'), end: new Date('2025-10-26T02:30:00Z'), summary: 'Night swim 🏊',
    updatedAt: new Date('2025-10-20T12:34:56Z') }
]
const options = { name: 'Workouts', prodId: '//Resolution Autopilot//Sessions//EN', sessions }

t.test('an ICS feed in UTC with the caller\'s UIDs', async t => {
  const text = calendarFeed(options)
  t.match(text, /^BEGIN:VCALENDAR\r\n/)
  t.match(text, /\r\nPRODID:-\/\/Resolution Autopilot\/\/Sessions\/\/EN\r\n/)
  t.match(text, /\r\nX-WR-CALNAME:Workouts\r\n/)
  t.match(text, /\r\nUID:s-1@resolution-autopilot\r\n/)
  t.match(text, /\r\nDTSTART:20251025T060000Z\r\nDTEND:20251025T070000Z\r\n/)
  t.notMatch(text, /VTIMEZONE|TZID/, 'UTC times need no zone definitions')
  t.match(text, /UID:s-1@resolution-autopilot\r\nSEQUENCE:0\r\nDTSTAMP:20251025T060000Z\r\n/, 'no updatedAt: DTSTAMP is the start, not the clock')
  t.match(text, /DTSTAMP:20251020T123456Z[\s\S]*LAST-MODIFIED:20251020T123456Z/, 'updatedAt is DTSTAMP and LAST-MODIFIED')
  t.equal(calendarFeed(options), text, 'the same plan, the same bytes')
  t.equal(calendarFeed({ ...options, prodId: '-//Resolution Autopilot//Sessions//EN' }), text, 'a leading "-" is not doubled')
})

t.test('the feed round-trips through parseCalendar: same instants, whatever zone reads it', async t => {
  const text = calendarFeed(options)
  for (const timeZone of ['Europe/Berlin', 'Pacific/Auckland']) {
    const parsed = parseCalendar(text, { timeZone, from: new Date('2025-10-01T00:00:00Z'), until: new Date('2025-11-01T00:00:00Z') })
    t.same(parsed, {
      events: 2,
      truncated: false,
      occurrences: sessions.map(s => ({ summary: s.summary, start: s.start.toISOString(), end: s.end.toISOString(), all_day: false, busy: true }))
    }, timeZone)
  }
  t.same(parseCalendar(calendarFeed({ ...options, sessions: [] }), { timeZone: 'UTC', from: new Date(0), until: new Date(1) }).events, 0, 'an empty plan is a valid feed')
})

t.test('sessions that cannot be published', async t => {
  const fails = (bad: Partial<FeedSession>, message: string) =>
    t.throws(() => calendarFeed({ ...options, sessions: [sessions[0], { ...sessions[1], ...bad }] }), { name: 'CalendarError', message })
  fails({ uid: sessions[0].uid }, 'session 2: uid "s-1@resolution-autopilot" is used twice')
  fails({ uid: ' ' }, 'session 2: uid is missing')
  fails({ end: new Date('2025-10-26T00:00:00Z') }, 'session 2: end is before start')
  fails({ start: new Date('x') }, 'session 2: start and end must be valid Dates')
  fails({ updatedAt: new Date('x') }, 'session 2: updatedAt must be a valid Date')
})
