import t from 'tap'
import type { CalendarEvent } from '../../src/calendar/calendar-types.js'
import { conflicts } from '../../src/calendar/conflicts.js'

const event = (summary: string, start: string, end: string, busy = true): CalendarEvent =>
  ({ summary, start: `2025-10-20T${start}:00.000Z`, end: `2025-10-20T${end}:00.000Z`, all_day: false, busy })
const session = (id: string, start: string, end: string) =>
  ({ id, date: '2025-10-20', start: new Date(`2025-10-20T${start}:00.000Z`), end: new Date(`2025-10-20T${end}:00.000Z`) })

t.test('busy events overlapping a session, in session order then event start', async t => {
  const occurrences = [
    event('Review', '18:30', '19:30'),
    event('Standup', '07:45', '08:15'),
    event('Breakfast', '06:00', '07:00'), // ends as the session starts
    event('Focus', '07:00', '09:00', false), // not busy
    event('Deadline', '07:30', '07:30', false), // takes no time
    event('Offsite', '00:00', '23:59'),
    event('Dinner', '18:30', '19:00') // starts with the review, ends first
  ]
  const sessions = [session('evening', '18:00', '19:00'), session('morning', '07:00', '08:00')]
  const found = conflicts(sessions, occurrences)
  t.same(found.map(c => [c.session.id, c.event.summary]), [
    ['evening', 'Offsite'], ['evening', 'Dinner'], ['evening', 'Review'], ['morning', 'Offsite'], ['morning', 'Standup']
  ])
  t.same(found[4].event, { summary: 'Standup', start: '2025-10-20T07:45:00.000Z', end: '2025-10-20T08:15:00.000Z' }, 'the event as summary and instants')
  t.equal(found[0].session, sessions[0], 'the caller\'s session object, extra fields and all')
  t.same(conflicts([], occurrences), [])
  t.same(conflicts(sessions, []), [])
})
