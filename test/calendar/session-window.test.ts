import t from 'tap'
import { sessionWindow } from '../../src/calendar/session-window.js'

const iso = (window: { start: Date, end: Date }) => [window.start.toISOString(), window.end.toISOString()]

t.test('a local window as instants', async t => {
  t.same(iso(sessionWindow('2025-10-20', '06:00', '07:30', 'Europe/Berlin')), ['2025-10-20T04:00:00.000Z', '2025-10-20T05:30:00.000Z'])
  t.same(iso(sessionWindow('2025-10-20', '06:00', '07:30', 'America/New_York')), ['2025-10-20T10:00:00.000Z', '2025-10-20T11:30:00.000Z'])
  t.same(iso(sessionWindow('2025-10-20', '22:30', '00:30', 'Europe/Berlin')), ['2025-10-20T20:30:00.000Z', '2025-10-20T22:30:00.000Z'],
    'an earlier end crosses midnight into the next local day')
  t.same(iso(sessionWindow('2025-10-25', '23:00', '04:00', 'Europe/Berlin')), ['2025-10-25T21:00:00.000Z', '2025-10-26T03:00:00.000Z'],
    'across midnight and the fall-back: 6 real hours')
})

t.test('DST gaps and overlaps resolve as calendar apps do (\'compatible\')', async t => {
  t.same(iso(sessionWindow('2025-03-30', '02:30', '04:00', 'Europe/Berlin')), ['2025-03-30T01:30:00.000Z', '2025-03-30T02:00:00.000Z'],
    '02:30 does not exist on spring-forward day: it becomes 03:30 CEST')
  t.same(iso(sessionWindow('2025-03-30', '02:00', '03:00', 'Europe/Berlin')), ['2025-03-30T01:00:00.000Z', '2025-03-30T01:00:00.000Z'],
    'a window wholly inside the gap has no time in it')
  t.same(iso(sessionWindow('2025-10-26', '02:30', '03:30', 'Europe/Berlin')), ['2025-10-26T00:30:00.000Z', '2025-10-26T02:30:00.000Z'],
    '02:30 happens twice on fall-back day: the first (CEST) one; the window holds two real hours')
  t.same(iso(sessionWindow('2025-09-07', '00:00', '01:00', 'America/Santiago')), ['2025-09-07T04:00:00.000Z', '2025-09-07T04:00:00.000Z'],
    'a zone that skips midnight itself')
})

t.test('invalid input is a CalendarError', async t => {
  const fails = (args: [string, string, string, string], message: string) =>
    t.throws(() => sessionWindow(...args), { name: 'CalendarError', kind: 'invalid', message })
  fails(['2025-02-29', '06:00', '07:00', 'UTC'], 'date "2025-02-29" is not a YYYY-MM-DD date')
  fails(['2025-10-20', '6:00', '07:00', 'UTC'], 'window start "6:00" is not an HH:MM time')
  fails(['2025-10-20', '06:00', '24:00', 'UTC'], 'window end "24:00" is not an HH:MM time')
  fails(['2025-10-20', '06:00', '06:00', 'UTC'], 'window end must differ from window start (an earlier time means the window crosses midnight)')
  fails(['2025-10-20', '06:00', '07:00', 'Europe/Nowhere'], 'timeZone "Europe/Nowhere" is not a known IANA time zone')
})
