import t from 'tap'
import { endOfDayDueMs, localTimeOn, plannedSessions, stillUseful, upcomingCheckpoints, type Checkpoint, type CheckpointInput } from '../../src/autopilot/checkpoints.js'
import type { PlanVersion } from '../../src/drift/drift-types.js'

// 2026-11-30 is a Monday; Berlin is on CET (UTC+1) all that week.
const MONDAY = '2026-11-30'

function plan (partial: Partial<PlanVersion> = {}): PlanVersion {
  return {
    sessions_per_week: 3,
    weekdays: ['mon', 'wed', 'fri'],
    window_start: '06:00',
    window_end: '07:30',
    min_minutes: 20,
    max_sessions_per_day: 1,
    start_date: '2026-01-05',
    end_date: null,
    created_at: '2026-01-05T08:00:00Z',
    ...partial
  }
}

const ms = (iso: string) => Date.parse(iso)

function input (partial: Partial<CheckpointInput> = {}): CheckpointInput {
  return {
    plans: [plan()],
    defaultStart: '2026-01-05',
    pauses: [],
    timeZone: 'Europe/Berlin',
    settings: { lead_minutes: 60, weekly_digest: true },
    milestones: null,
    // Monday 00:00 to the next Monday 00:00, Berlin time
    fromMs: ms('2026-11-29T23:00:00Z'),
    toMs: ms('2026-12-06T23:00:00Z'),
    ...partial
  }
}

const brief = (checkpoints: Checkpoint[]) => checkpoints.map(c => `${c.checkpoint_id} ${c.due_at}`)
const ofKind = (checkpoints: Checkpoint[], kind: Checkpoint['kind']) => checkpoints.filter(c => c.kind === kind)

t.test('a simulated week in Berlin: mon/wed/fri 06:00–07:30, lead 60', async t => {
  const week = upcomingCheckpoints(input())
  t.same(brief(week), [
    'before_session:2026-11-30 2026-11-30T04:00:00.000Z',
    'end_of_day:2026-11-30 2026-11-30T09:30:00.000Z',
    'before_session:2026-12-02 2026-12-02T04:00:00.000Z',
    'end_of_day:2026-12-02 2026-12-02T09:30:00.000Z',
    'before_session:2026-12-04 2026-12-04T04:00:00.000Z',
    'end_of_day:2026-12-04 2026-12-04T09:30:00.000Z',
    'weekly_digest:2026-12-06 2026-12-06T17:00:00.000Z'
  ], 'before_session at 05:00 local, end_of_day at 10:30 (07:30 + 3 h), the digest Sunday 18:00')
  t.same(week[0], {
    checkpoint_id: 'before_session:2026-11-30',
    kind: 'before_session',
    due_at: '2026-11-30T04:00:00.000Z',
    useful_until: '2026-11-30T05:00:00.000Z',
    session_date: MONDAY,
    window_start: '2026-11-30T05:00:00.000Z',
    window_end: '2026-11-30T06:30:00.000Z'
  })
  t.same(week[1].useful_until, '2026-11-30T23:00:00.000Z', 'end_of_day: until the end of that local day')
  t.same(week[6], {
    checkpoint_id: 'weekly_digest:2026-12-06',
    kind: 'weekly_digest',
    due_at: '2026-12-06T17:00:00.000Z',
    useful_until: '2026-12-06T23:00:00.000Z',
    week_start: MONDAY
  })

  // The same checkpoint always has the same id, however the span is cut.
  const pieces = Array.from({ length: 7 * 24 }, (_, h) => upcomingCheckpoints(input({ fromMs: ms('2026-11-29T23:00:00Z') + h * 3_600_000, toMs: ms('2026-11-29T23:00:00Z') + (h + 1) * 3_600_000 }))).flat()
  t.same(brief(pieces), brief(week), 'hour by hour gives the same checkpoints, each once')
  t.same(brief(upcomingCheckpoints(input({ fromMs: ms('2026-11-30T04:00:00Z'), toMs: ms('2026-11-30T04:00:00Z') }))), [], 'an empty span has none')
  t.same(brief(upcomingCheckpoints(input({ fromMs: ms('2026-11-30T04:00:00Z'), toMs: ms('2026-11-30T04:00:00.001Z') }))), ['before_session:2026-11-30 2026-11-30T04:00:00.000Z'], '[from, to): from included')
  t.same(ofKind(upcomingCheckpoints(input({ settings: { lead_minutes: 60, weekly_digest: false } })), 'weekly_digest'), [], 'no digest unless wanted')
})

t.test('end of day: window_end + 3 h or 21:00, the earlier, never before the window ends', async t => {
  const eod = (window_start: string, window_end: string) => ofKind(upcomingCheckpoints(input({ plans: [plan({ window_start, window_end })] })), 'end_of_day')[0]
  const late = eod('22:00', '00:30')
  t.same([late.checkpoint_id, late.due_at, late.window_start, late.window_end], ['end_of_day:2026-11-30', '2026-11-30T23:30:00.000Z', '2026-11-30T21:00:00.000Z', '2026-11-30T23:30:00.000Z'],
    '22:00–00:30: at 00:30 the next day, when the window ends')
  t.equal(late.useful_until, '2026-12-01T23:00:00.000Z', 'useful until the end of the day it falls due on')
  t.equal(eod('18:00', '19:00').due_at, '2026-11-30T20:00:00.000Z', '18:00–19:00: 21:00 comes before 22:00')
  t.equal(eod('07:00', '08:00').due_at, '2026-11-30T10:00:00.000Z', '07:00–08:00: 11:00')
  t.equal(eod('20:00', '23:30').due_at, '2026-11-30T22:30:00.000Z', '20:00–23:30: 21:00 is inside the window, so 23:30')
  t.equal(eod('17:00', '18:30').due_at, '2026-11-30T20:00:00.000Z', '17:00–18:30: 21:30 would be later than 21:00')
  // The last session of the span's week, reviewed after the span: a window past midnight on Sunday.
  const sunday = upcomingCheckpoints(input({ plans: [plan({ weekdays: ['sun'], window_start: '23:00', window_end: '00:30' })], toMs: ms('2026-12-07T23:00:00Z') }))
  t.same(brief(sunday).filter(b => b.startsWith('end_of_day')), ['end_of_day:2026-11-29 2026-11-29T23:30:00.000Z', 'end_of_day:2026-12-06 2026-12-06T23:30:00.000Z'],
    'a Sunday session reviewed on Monday 00:30: the week before\'s in this span, and this one\'s in the next')
  t.equal(endOfDayDueMs({ date: MONDAY, end: new Date('2026-11-30T06:30:00Z') }, 'Europe/Berlin'), ms('2026-11-30T09:30:00Z'))
})

t.test('paused days have no session checkpoints; a week paused throughout has no digest', async t => {
  const week = upcomingCheckpoints(input({ pauses: [{ start_date: '2026-12-02', end_date: '2026-12-02' }] }))
  t.same(week.filter(c => c.session_date === '2026-12-02'), [], 'Wednesday paused')
  t.equal(week.filter(c => c.session_date).length, 4, 'Monday and Friday keep theirs')
  t.equal(ofKind(week, 'weekly_digest').length, 1)
  const away = upcomingCheckpoints(input({ pauses: [{ start_date: '2026-11-28', end_date: '2026-12-10' }] }))
  t.same(brief(away), [], 'nothing at all while away all week')
  const deadlines = upcomingCheckpoints(input({ pauses: [{ start_date: '2026-11-28', end_date: '2026-12-10' }], milestones: [{ index: 1, target_date: '2026-12-06', status: 'pending' }] }))
  t.same(deadlines.map(c => c.checkpoint_id), ['commitment_deadline:1:2026-12-06:2', 'commitment_deadline:1:2026-12-06:1'], 'a pause does not silence money at stake')
})

t.test('a plan version changing mid-week', async t => {
  const plans = [plan(), plan({ weekdays: ['tue', 'thu', 'sat'], window_start: '18:00', window_end: '19:00', start_date: '2026-12-02', created_at: '2026-12-01T10:00:00Z' })]
  t.same(brief(upcomingCheckpoints(input({ plans, settings: { lead_minutes: 30, weekly_digest: false } }))), [
    'before_session:2026-11-30 2026-11-30T04:30:00.000Z',
    'end_of_day:2026-11-30 2026-11-30T09:30:00.000Z',
    'before_session:2026-12-03 2026-12-03T16:30:00.000Z',
    'end_of_day:2026-12-03 2026-12-03T20:00:00.000Z',
    'before_session:2026-12-05 2026-12-05T16:30:00.000Z',
    'end_of_day:2026-12-05 2026-12-05T20:00:00.000Z'
  ], 'Monday by the old plan; Thursday and Saturday by the new one; Wednesday and Friday are in neither')
  const ended = [plan({ end_date: '2026-12-01' })]
  t.same(upcomingCheckpoints(input({ plans: ended })).filter(c => c.session_date).map(c => c.session_date), [MONDAY, MONDAY], 'nothing after an end_date')
  const defaults = upcomingCheckpoints(input({ plans: [], defaultStart: '2026-12-03', settings: { lead_minutes: 60, weekly_digest: true } }))
  t.same(defaults.map(c => c.checkpoint_id), [
    'before_session:2026-12-04', 'end_of_day:2026-12-04', 'before_session:2026-12-05', 'end_of_day:2026-12-05', 'weekly_digest:2026-12-06'
  ], 'no plan: the default plan (mon/wed/fri/sat) from the account\'s first day')
  t.same(ofKind(upcomingCheckpoints(input({ plans: [plan({ start_date: '2026-12-07' })] })), 'weekly_digest'), [], 'no digest of a week before any plan')
  const sessions = plannedSessions({ plans, defaultStart: '2026-01-05', pauses: [], timeZone: 'Europe/Berlin', from: MONDAY, to: '2026-12-06' })
  t.same(sessions.map(s => [s.date, s.weekday, s.start.toISOString()]), [
    [MONDAY, 'mon', '2026-11-30T05:00:00.000Z'], ['2026-12-03', 'thu', '2026-12-03T17:00:00.000Z'], ['2026-12-05', 'sat', '2026-12-05T17:00:00.000Z']
  ])
})

t.test('commitment deadlines: 09:00 two days and one day before a pending milestone\'s last day', async t => {
  const milestones = [
    { index: 1, target_date: '2026-11-22', status: 'pending' },
    { index: 2, target_date: '2026-11-29', status: 'met' },
    { index: 3, target_date: '2026-12-06', status: 'pending' },
    { index: 4, target_date: '2026-12-13', status: 'pending' }
  ]
  const deadlines = ofKind(upcomingCheckpoints(input({ milestones })), 'commitment_deadline')
  t.same(deadlines, [{
    checkpoint_id: 'commitment_deadline:3:2026-12-06:2',
    kind: 'commitment_deadline',
    due_at: '2026-12-04T08:00:00.000Z',
    useful_until: '2026-12-04T23:00:00.000Z',
    milestone_index: 3,
    target_date: '2026-12-06',
    days_before: 2
  }, {
    checkpoint_id: 'commitment_deadline:3:2026-12-06:1',
    kind: 'commitment_deadline',
    due_at: '2026-12-05T08:00:00.000Z',
    useful_until: '2026-12-05T23:00:00.000Z',
    milestone_index: 3,
    target_date: '2026-12-06',
    days_before: 1
  }], 'milestone 4 falls due next week; a met milestone has none')
  const sorted = upcomingCheckpoints(input({ milestones, plans: [plan({ weekdays: ['fri'], window_start: '10:00', window_end: '11:00', created_at: '2026-01-05T08:00:00Z' })], settings: { lead_minutes: 60, weekly_digest: false } }))
  t.same(brief(sorted), [
    'before_session:2026-12-04 2026-12-04T08:00:00.000Z',
    'commitment_deadline:3:2026-12-06:2 2026-12-04T08:00:00.000Z',
    'end_of_day:2026-12-04 2026-12-04T13:00:00.000Z',
    'commitment_deadline:3:2026-12-06:1 2026-12-05T08:00:00.000Z'
  ], 'due together: sorted by id')
  t.same(ofKind(upcomingCheckpoints(input({ milestones: [{ index: 1, target_date: 'soon', status: 'pending' }] })), 'commitment_deadline'), [], 'a date that does not parse is ignored')
})

t.test('DST: the digest is at 18:00 local on either side of the changes', async t => {
  const digests = (timeZone: string, from: string, to: string) =>
    ofKind(upcomingCheckpoints(input({ timeZone, plans: [plan({ weekdays: ['tue'] })], fromMs: ms(from), toMs: ms(to) })), 'weekly_digest').map(c => [c.checkpoint_id, c.due_at, c.useful_until])
  t.same(digests('Europe/Berlin', '2026-03-16T00:00:00Z', '2026-04-06T00:00:00Z'), [
    ['weekly_digest:2026-03-22', '2026-03-22T17:00:00.000Z', '2026-03-22T23:00:00.000Z'],
    ['weekly_digest:2026-03-29', '2026-03-29T16:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['weekly_digest:2026-04-05', '2026-04-05T16:00:00.000Z', '2026-04-05T22:00:00.000Z']
  ], 'Berlin springs forward on Sunday 29 March')
  t.same(digests('Europe/Berlin', '2026-10-19T00:00:00Z', '2026-11-02T00:00:00Z'), [
    ['weekly_digest:2026-10-25', '2026-10-25T17:00:00.000Z', '2026-10-25T23:00:00.000Z'],
    ['weekly_digest:2026-11-01', '2026-11-01T17:00:00.000Z', '2026-11-01T23:00:00.000Z']
  ], 'Berlin falls back on Sunday 25 October')
  t.same(digests('America/New_York', '2026-03-02T00:00:00Z', '2026-03-10T00:00:00Z'), [['weekly_digest:2026-03-08', '2026-03-08T22:00:00.000Z', '2026-03-09T04:00:00.000Z']], 'New York springs forward on 8 March')
  t.same(digests('America/New_York', '2026-10-26T00:00:00Z', '2026-11-03T00:00:00Z'), [['weekly_digest:2026-11-01', '2026-11-01T23:00:00.000Z', '2026-11-02T05:00:00.000Z']], 'and falls back on 1 November')
  t.same(digests('Australia/Lord_Howe', '2026-09-26T00:00:00Z', '2026-10-05T00:00:00Z'), [
    ['weekly_digest:2026-09-27', '2026-09-27T07:30:00.000Z', '2026-09-27T13:30:00.000Z'],
    ['weekly_digest:2026-10-04', '2026-10-04T07:00:00.000Z', '2026-10-04T13:00:00.000Z']
  ], 'Lord Howe moves its clocks by half an hour')
})

t.test('DST: sessions, leads and reviews around the changes', async t => {
  const sunday = (timeZone: string, date: string, window_start: string, window_end: string, lead_minutes: number) => upcomingCheckpoints(input({
    timeZone,
    plans: [plan({ weekdays: ['sun'], window_start, window_end })],
    settings: { lead_minutes, weekly_digest: false },
    fromMs: ms(`${date}T00:00:00Z`) - 2 * 86_400_000,
    toMs: ms(`${date}T00:00:00Z`) + 2 * 86_400_000
  })).map(c => [c.checkpoint_id, c.due_at, c.window_start, c.window_end])

  t.same(sunday('Europe/Berlin', '2026-03-29', '06:00', '07:30', 300), [
    ['before_session:2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T04:00:00.000Z', '2026-03-29T05:30:00.000Z'],
    ['end_of_day:2026-03-29', '2026-03-29T08:30:00.000Z', '2026-03-29T04:00:00.000Z', '2026-03-29T05:30:00.000Z']
  ], 'a five-hour lead is five hours of elapsed time: 00:00 CET, six hours earlier on the wall')
  t.same(sunday('Europe/Berlin', '2026-03-29', '02:30', '04:00', 60), [
    ['before_session:2026-03-29', '2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z'],
    ['end_of_day:2026-03-29', '2026-03-29T05:00:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z']
  ], '02:30 does not exist that night: the window starts 03:30 CEST')
  t.same(sunday('Europe/Berlin', '2026-10-25', '02:30', '03:30', 60), [
    ['before_session:2026-10-25', '2026-10-24T23:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00.000Z'],
    ['end_of_day:2026-10-25', '2026-10-25T05:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00.000Z']
  ], '02:30 happens twice: the first, summer-time one; the window lasts two hours')
  t.same(sunday('America/New_York', '2026-11-01', '01:30', '02:30', 120), [
    ['before_session:2026-11-01', '2026-11-01T03:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z'],
    ['end_of_day:2026-11-01', '2026-11-01T10:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z']
  ], 'New York\'s repeated hour: 01:30 EDT, 02:30 EST')
  t.same(sunday('America/New_York', '2026-03-08', '19:00', '20:00', 60), [
    ['before_session:2026-03-08', '2026-03-08T22:00:00.000Z', '2026-03-08T23:00:00.000Z', '2026-03-09T00:00:00.000Z'],
    ['end_of_day:2026-03-08', '2026-03-09T01:00:00.000Z', '2026-03-08T23:00:00.000Z', '2026-03-09T00:00:00.000Z']
  ], 'an evening in New York falls on the next UTC day: 21:00 EDT')
  t.same(sunday('Australia/Lord_Howe', '2026-10-04', '02:00', '03:00', 30), [
    ['before_session:2026-10-04', '2026-10-03T15:00:00.000Z', '2026-10-03T15:30:00.000Z', '2026-10-03T16:00:00.000Z'],
    ['end_of_day:2026-10-04', '2026-10-03T19:00:00.000Z', '2026-10-03T15:30:00.000Z', '2026-10-03T16:00:00.000Z']
  ], 'Lord Howe: 02:00 does not exist on 4 October, the window starts 02:30 (+11:00)')
})

t.test('Asia/Kolkata: a morning session\'s checkpoint falls on the previous UTC day', async t => {
  const utcDay = upcomingCheckpoints(input({
    timeZone: 'Asia/Kolkata',
    settings: { lead_minutes: 90, weekly_digest: true },
    fromMs: ms('2026-12-01T00:00:00Z'),
    toMs: ms('2026-12-02T00:00:00Z')
  }))
  t.same(brief(utcDay), ['before_session:2026-12-02 2026-12-01T23:00:00.000Z'], '04:30 IST on Wednesday is 23:00 UTC on Tuesday')
  t.same(brief(ofKind(upcomingCheckpoints(input({ timeZone: 'Asia/Kolkata' })), 'weekly_digest')), ['weekly_digest:2026-12-06 2026-12-06T12:30:00.000Z'])
})

t.test('lead_minutes, the span and the zone are checked', async t => {
  t.throws(() => upcomingCheckpoints(input({ settings: { lead_minutes: 0, weekly_digest: true } })), RangeError)
  t.throws(() => upcomingCheckpoints(input({ settings: { lead_minutes: 721, weekly_digest: true } })), RangeError)
  t.throws(() => upcomingCheckpoints(input({ settings: { lead_minutes: 1.5, weekly_digest: true } })), RangeError)
  t.equal(ofKind(upcomingCheckpoints(input({ settings: { lead_minutes: 720, weekly_digest: false } })), 'before_session')[0].due_at, '2026-12-01T17:00:00.000Z', 'twelve hours ahead: 18:00 the evening before (Monday\'s fell before the span)')
  t.throws(() => upcomingCheckpoints(input({ fromMs: 10, toMs: 5 })), RangeError)
  t.throws(() => upcomingCheckpoints(input({ fromMs: Number.NaN })), RangeError)
  t.throws(() => upcomingCheckpoints(input({ toMs: ms('2028-01-01T00:00:00Z') })), RangeError)
  t.throws(() => upcomingCheckpoints(input({ timeZone: 'Mars/Olympus' })), /not a known IANA time zone/)
  t.throws(() => localTimeOn('2026-02-30', '09:00', 'Europe/Berlin'), RangeError)
  t.throws(() => localTimeOn('2026-12-02', '24:00', 'Europe/Berlin'), RangeError)
  t.equal(localTimeOn('2026-12-02', '09:00', 'Europe/Berlin'), ms('2026-12-02T08:00:00Z'))
})

t.test('stillUseful: late once the moment for the checkpoint has passed', async t => {
  const week = upcomingCheckpoints(input({ milestones: [{ index: 3, target_date: '2026-12-06', status: 'pending' }] }))
  const get = (id: string) => week.find(c => c.checkpoint_id === id)!

  const before = get('before_session:2026-11-30')
  t.equal(stillUseful(before, ms('2026-11-30T04:00:00Z')), true, 'at its due time')
  t.equal(stillUseful(before, ms('2026-11-30T04:59:59.999Z')), true, 'until the window starts')
  t.same(stillUseful(before, ms('2026-11-30T05:00:00Z')), { late: 'the session of 2026-11-30 started at 2026-11-30T05:00:00.000Z; it is 2026-11-30T05:00:00.000Z' })

  const eod = get('end_of_day:2026-11-30')
  t.equal(stillUseful(eod, ms('2026-11-30T22:59:59Z')), true, '23:59:59 local')
  t.match(stillUseful(eod, ms('2026-11-30T23:00:00Z')), { late: /^the day reviewing the session of 2026-11-30 ended at 2026-11-30T23:00:00.000Z/ })

  const deadline = get('commitment_deadline:3:2026-12-06:2')
  t.equal(stillUseful(deadline, ms('2026-12-04T22:00:00Z')), true)
  t.match(stillUseful(deadline, ms('2026-12-05T08:00:00Z')), { late: /^the reminder day 2 days before milestone 3's deadline \(2026-12-06\) ended/ })
  t.match(stillUseful(get('commitment_deadline:3:2026-12-06:1'), ms('2026-12-06T00:00:00Z')), { late: /^the reminder day 1 day before/ })

  const digest = get('weekly_digest:2026-12-06')
  t.equal(stillUseful(digest, ms('2026-12-06T22:59:00Z')), true, 'Sunday 23:59 local')
  t.same(stillUseful(digest, ms('2026-12-06T23:00:00Z')), { late: 'the week starting 2026-11-30 ended at 2026-12-06T23:00:00.000Z; it is 2026-12-06T23:00:00.000Z' }, 'Monday 00:00 local')

  // Kept without useful_until (a queue's copy): the same answers, given the zone.
  for (const checkpoint of week) {
    const { useful_until: until, ...stored } = checkpoint
    for (const at of [ms(until) - 1, ms(until)]) t.same(stillUseful(stored, at, 'Europe/Berlin'), stillUseful(checkpoint, at), `${checkpoint.checkpoint_id} at ${at}`)
  }
  const { useful_until: _dropped, ...storedBefore } = before
  t.equal(stillUseful(storedBefore, ms('2026-11-30T04:30:00Z')), true, 'before_session needs no zone: its window says when')
  const { useful_until: _gone, ...storedDigest } = digest
  t.throws(() => stillUseful(storedDigest, ms('2026-12-06T20:00:00Z')), RangeError, 'the others need the zone')

  const [pastMidnight] = ofKind(upcomingCheckpoints(input({ plans: [plan({ window_start: '22:00', window_end: '00:30' })] })), 'end_of_day')
  t.equal(stillUseful(pastMidnight, ms('2026-12-01T12:00:00Z')), true, 'a review due at 00:30 stays useful all that day')
})
