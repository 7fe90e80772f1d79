import t from 'tap'
import { plannedSessions } from '../../src/autopilot/checkpoints.js'
import { beforeSessionMessage, commitmentDeadlineMessage, dateText, endOfDayMessage, MAX_MESSAGE_LENGTH, slotText, weeklyDigestMessage } from '../../src/autopilot/messages.js'
import type { PlanVersion } from '../../src/drift/drift-types.js'

const ZONE = 'Europe/Berlin'
const ms = (iso: string) => Date.parse(iso)
// Wednesday 2 December 2026, Berlin on CET (UTC+1)
const MORNING = { start: '2026-12-02T05:00:00Z', end: '2026-12-02T06:30:00Z' }

t.test('before a session', async t => {
  t.equal(beforeSessionMessage({
    timeZone: ZONE, nowMs: ms('2026-12-02T04:00:00Z'), session: MORNING,
    conflicts: [{ summary: 'Team standup' }], missedWeekday: null,
    freeSlot: { start: '2026-12-02T16:30:00Z', end: '2026-12-02T17:30:00Z' }
  }), "Your 06:00 session clashes with 'Team standup'. Free today 17:30–18:30 — confirm to book it.")
  t.equal(beforeSessionMessage({
    timeZone: ZONE, nowMs: ms('2026-12-02T16:00:00Z'), session: { start: new Date('2026-12-02T17:00:00Z'), end: new Date('2026-12-02T18:00:00Z') },
    conflicts: [], missedWeekday: 'wed'
  }), 'Wednesday is the day you keep missing: your 18:00 session is in an hour.')
  t.equal(beforeSessionMessage({
    timeZone: ZONE, nowMs: ms('2026-12-02T04:00:00Z'), session: MORNING,
    conflicts: [{ summary: 'Team standup' }, { summary: '  Dentist\n' }, { summary: 'School run' }], missedWeekday: 'wed'
  }), "Your 06:00 session clashes with 'Team standup', 'Dentist' and 1 more. Wednesday is the day you keep missing.")
  t.equal(beforeSessionMessage({
    timeZone: ZONE, nowMs: ms('2026-12-02T04:15:00Z'), session: MORNING, conflicts: [], missedWeekday: null,
    risk: {
      level: 'medium',
      signals: [
        { type: 'habit_strength', severity: 'low', message: 'Habit strength 70.', evidence: {} },
        { type: 'safety_buffer', severity: 'medium', message: '2 sessions still needed by Sunday 2026-12-06; they all still fit if you start by 2026-12-04 (room for 1 more to spare)', evidence: {} }
      ]
    },
    freeSlot: { start: '2026-12-03T16:00:00Z', end: '2026-12-03T17:00:00Z' }
  }), 'Your 06:00 session is in 45 minutes and your week is at medium risk. 2 sessions still needed by Sunday 2026-12-06; they all still fit if you start by 2026-12-04 (room for 1 more to spare). ' +
    'Free Thursday 17:00–18:00 — confirm to book it.')
  t.equal(beforeSessionMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T04:00:00Z'), session: MORNING, conflicts: [{ summary: ' ' }], missedWeekday: null }),
    'Your 06:00 session clashes with an untitled event.')
  t.equal(beforeSessionMessage({
    timeZone: ZONE, nowMs: ms('2026-12-02T04:00:00Z'), session: MORNING, conflicts: [], missedWeekday: null,
    risk: { level: 'high', signals: [{ type: 'consecutive_misses', severity: 'high', message: 'Missed the last 3 planned sessions.', evidence: {} }] }
  }), 'Your 06:00 session is in an hour and your week is at high risk. Missed the last 3 planned sessions.')
  const lead = (minutes: number) => beforeSessionMessage({ timeZone: ZONE, nowMs: ms(MORNING.start) - minutes * 60_000, session: MORNING, conflicts: [], missedWeekday: null })
  t.same([lead(1), lead(90), lead(120), lead(720), lead(0)], [
    'Your 06:00 session is in 1 minute.',
    'Your 06:00 session is in 1 hour 30 minutes.',
    'Your 06:00 session is in 2 hours.',
    'Your 06:00 session is in 12 hours.',
    'Your 06:00 session is starting now.'
  ])
  t.equal(beforeSessionMessage({ timeZone: 'Asia/Kolkata', nowMs: ms('2026-12-01T23:00:00Z'), session: { start: '2026-12-02T00:30:00Z', end: '2026-12-02T02:00:00Z' }, conflicts: [], missedWeekday: null }),
    'Your 06:00 session is in 1 hour 30 minutes.', 'in the person\'s zone')
})

t.test('end of a day', async t => {
  const buffer = { needed: 2, by: '2026-12-06', fails_on: '2026-12-03' }
  const slots = [
    { start: '2026-12-03T16:00:00Z', end: '2026-12-03T17:00:00Z' },
    { start: '2026-12-05T08:00:00Z', end: '2026-12-05T09:00:00Z' }
  ]
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T20:00:00Z'), sessionDate: '2026-12-02', buffer, freeSlots: slots }),
    "Today's session didn't happen: 2 more by Sunday — free Thursday 17:00–18:00 and Saturday 09:00–10:00.")
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T23:30:00Z'), sessionDate: '2026-12-02', buffer: { ...buffer, needed: 1 }, freeSlots: [] }),
    "Wednesday's session didn't happen: 1 more by Sunday.", 'reviewed at 00:30 after a window past midnight')
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T20:00:00Z'), sessionDate: '2026-12-02', buffer: { needed: 3, by: '2026-12-06', fails_on: '2026-12-01' }, freeSlots: slots.slice(0, 1) }),
    "Today's session didn't happen: 3 more were needed by Sunday and they no longer all fit — every session still counts. Free Thursday 17:00–18:00.")
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T20:00:00Z'), sessionDate: '2026-12-02', buffer: { needed: 9, by: '2026-12-06', fails_on: null }, freeSlots: [] }),
    "Today's session didn't happen: 9 more were needed by Sunday and they no longer all fit — every session still counts.")
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-05T20:00:00Z'), sessionDate: '2026-12-05', buffer: { needed: 1, by: '2026-12-06', fails_on: '2026-12-06' }, freeSlots: [{ start: '2026-12-06T08:00:00Z', end: '2026-12-06T09:00:00Z' }] }),
    "Today's session didn't happen: 1 more by Sunday — free Sunday 09:00–10:00.")
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-06T17:00:00Z'), sessionDate: '2026-12-06', buffer: { needed: 1, by: '2026-12-06', fails_on: '2026-12-06' }, freeSlots: [] }),
    "Today's session didn't happen: 1 more by tonight.")
  const many = Array.from({ length: 6 }, (_, i) => ({ start: `2026-12-0${3 + (i % 4)}T${10 + i}:00:00Z`, end: `2026-12-0${3 + (i % 4)}T${11 + i}:00:00Z` }))
  t.equal(endOfDayMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T20:00:00Z'), sessionDate: '2026-12-02', buffer, freeSlots: many }),
    "Today's session didn't happen: 2 more by Sunday — free Thursday 11:00–12:00, Friday 12:00–13:00 and Saturday 13:00–14:00.", 'three slots at most')
})

t.test('slots and dates in words', async t => {
  t.equal(slotText({ start: '2026-12-10T16:00:00Z', end: '2026-12-10T17:00:00Z' }, ZONE, '2026-12-02'), 'Thursday 10 December 17:00–18:00', 'beyond the coming week: the date too')
  t.equal(slotText({ start: '2026-12-01T16:00:00Z', end: '2026-12-01T17:00:00Z' }, ZONE, '2026-12-02'), 'Tuesday 1 December 17:00–18:00', 'a past day')
  t.equal(slotText({ start: '2026-12-02T22:30:00Z', end: '2026-12-02T23:30:00Z' }, ZONE, '2026-12-02'), 'today 23:30–00:30')
  t.equal(dateText('2026-12-06'), 'Sunday 6 December')
})

t.test('commitment deadline', async t => {
  t.equal(commitmentDeadlineMessage({ stake: { amount: 5000, currency: 'EUR' }, progress: { needed: 3, completed_sessions: 3, required_sessions: 6, target_date: '2026-12-06', days_left: 2 } }),
    '€50.00 at stake: 3 of 6 sessions done, 3 more needed by Sunday 6 December (2 days left).')
  t.equal(commitmentDeadlineMessage({ stake: { amount: 1200, currency: 'JPY' }, progress: { needed: 1, completed_sessions: 0, required_sessions: 1, target_date: '2027-01-01', days_left: 1 } }),
    '¥1,200 at stake: 0 of 1 session done, 1 more needed by Friday 1 January (1 day left).')
})

t.test('weekly digest', async t => {
  const nextWeek = [
    { start: '2026-12-07T05:00:00Z', end: '2026-12-07T06:30:00Z' },
    { start: '2026-12-09T05:00:00Z', end: '2026-12-09T06:30:00Z' },
    { start: '2026-12-11T05:00:00Z', end: '2026-12-11T06:30:00Z' }
  ]
  t.equal(weeklyDigestMessage({
    timeZone: ZONE,
    sessions: { done: 3, target: 4 },
    habit: { strength: 62, previous: 58 },
    outcomes: [{ type: 'calendar', helped: true }, { type: 'message', helped: true }, { type: 'calendar', helped: false }],
    nextWeek,
    conflicts: [{ session_start: '2026-12-09T05:00:00Z', summary: 'Team standup' }]
  }), [
    'This week: 3 of 4 sessions done.',
    'Habit strength 62 (+4 since last week).',
    'What helped: booked sessions (1 of 2) and reminders (1 of 1).',
    'Next week: Monday 06:00, Wednesday 06:00 and Friday 06:00.',
    "Clashes: Wednesday 06:00 with 'Team standup'."
  ].join('\n'))
  t.equal(weeklyDigestMessage({
    timeZone: ZONE, sessions: { done: 1, target: 1 }, habit: { strength: 40, previous: 43 }, outcomes: [{ type: 'social', helped: false }], nextWeek: [], conflicts: []
  }), [
    'This week: 1 of 1 session done.',
    'Habit strength 40 (-3 since last week).',
    'What helped: nothing yet — 1 nudge measured, none followed by a session.',
    'Next week: no sessions planned.',
    'No clashes with your calendar.'
  ].join('\n'))
  t.equal(weeklyDigestMessage({ timeZone: ZONE, sessions: { done: 0, target: 3 }, habit: { strength: 0, previous: null }, outcomes: [], nextWeek: nextWeek.slice(0, 1), conflicts: null }),
    'This week: 0 of 3 sessions done.\nHabit strength 0.\nNext week: Monday 06:00.', 'nothing measured, no calendar: those lines are left out')
  t.match(weeklyDigestMessage({ timeZone: ZONE, sessions: { done: 2, target: 2 }, habit: { strength: 50, previous: 50 }, outcomes: [], nextWeek: [], conflicts: null }), /^Habit strength 50 \(unchanged since last week\)\.$/m)
})

t.test('the digest across the spring-forward week: 06:00 on both sides', async t => {
  const plan: PlanVersion = { sessions_per_week: 3, weekdays: ['mon', 'fri', 'sun'], window_start: '06:00', window_end: '07:30', min_minutes: 20, max_sessions_per_day: 1, start_date: '2026-01-05', end_date: null, created_at: '2026-01-05T08:00:00Z' }
  const sessions = plannedSessions({ plans: [plan], defaultStart: '2026-01-05', pauses: [], timeZone: ZONE, from: '2026-03-23', to: '2026-03-30' })
  t.same(sessions.map(s => s.start.toISOString()), ['2026-03-23T05:00:00.000Z', '2026-03-27T05:00:00.000Z', '2026-03-29T04:00:00.000Z', '2026-03-30T04:00:00.000Z'])
  t.match(weeklyDigestMessage({ timeZone: ZONE, sessions: { done: 3, target: 3 }, habit: { strength: 80, previous: 78 }, outcomes: [], nextWeek: sessions, conflicts: null }),
    /\nNext week: Monday 06:00, Friday 06:00, Sunday 06:00 and Monday 06:00\.$/)
})

t.test('every message fits a nudge', async t => {
  const long = 'Quarterly business review with the whole regional leadership team and guests'.repeat(3)
  const digest = weeklyDigestMessage({
    timeZone: ZONE,
    sessions: { done: 10, target: 14 },
    habit: { strength: 99, previous: 1 },
    outcomes: ['calendar', 'message', 'social', 'financial'].flatMap(type => [{ type: type as 'calendar', helped: true }]),
    nextWeek: Array.from({ length: 14 }, (_, i) => ({ start: `2026-12-${String(7 + (i % 7)).padStart(2, '0')}T05:00:00Z`, end: `2026-12-${String(7 + (i % 7)).padStart(2, '0')}T06:00:00Z` })),
    conflicts: Array.from({ length: 20 }, (_, i) => ({ session_start: `2026-12-${String(7 + (i % 7)).padStart(2, '0')}T05:00:00Z`, summary: `${i} ${long}` }))
  })
  t.ok(digest.length <= MAX_MESSAGE_LENGTH, `${digest.length} characters`)
  t.match(digest, /and \d+ more\.$/)
  t.match(digest, /'0 Quarterly business review with the wh…'/, 'titles shortened')
  const before = beforeSessionMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T04:00:00Z'), session: MORNING, conflicts: [{ summary: long }, { summary: long }], missedWeekday: 'wed', freeSlot: MORNING })
  t.ok(before.length <= MAX_MESSAGE_LENGTH)
  const risky = beforeSessionMessage({ timeZone: ZONE, nowMs: ms('2026-12-02T04:00:00Z'), session: MORNING, conflicts: [], missedWeekday: null, risk: { level: 'high', signals: [{ type: 'plan_mismatch', severity: 'high', message: long.repeat(5), evidence: {} }] } })
  t.equal(risky.length, MAX_MESSAGE_LENGTH, 'a long signal message is cut at the limit')
  t.match(risky, /…$/)
})
