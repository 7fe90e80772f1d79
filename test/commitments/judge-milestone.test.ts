import fc from 'fast-check'
import t from 'tap'
import { DEFAULT_GRACE_MS, judgementDueMs, judgeMilestone, type JudgedWorkout, type JudgeMilestoneInput } from '../../src/commitments/judge-milestone.js'
import { localDate } from '../../src/shared/local-time.js'

// Tokyo: UTC+9, no DST. The milestone is the week of Monday 2 March 2026 (Tokyo dates).
const ZONE = 'Asia/Tokyo'
const MILESTONE = { start_date: '2026-03-02', target_date: '2026-03-08', required_sessions: 3, min_minutes: 30 }
const HOUR = 3_600_000
// 2026-03-09 begins in Tokyo at 2026-03-08T15:00Z; with 24 h of grace the judgement is due a day later.
const DUE = Date.parse('2026-03-09T15:00:00Z')

/** A workout performed at `performed_at`, logged `loggedAfterHours` later. */
const workout = (id: string, performed_at: string, options: { minutes?: number, loggedAfterHours?: number, deleted_at?: string | null } = {}): JudgedWorkout => {
  const performed = Date.parse(performed_at)
  return {
    workout_id: id,
    local_date: localDate(new Date(performed), ZONE),
    duration_minutes: options.minutes ?? 45,
    performed_at: new Date(performed).toISOString(),
    created_at: new Date(performed + (options.loggedAfterHours ?? 0.5) * HOUR).toISOString(),
    ...(options.deleted_at !== undefined ? { deleted_at: options.deleted_at } : {})
  }
}
const judge = (workouts: JudgedWorkout[], options: Partial<Omit<JudgeMilestoneInput, 'workouts'>> = {}) =>
  judgeMilestone({ milestone: MILESTONE, workouts, maxSessionsPerDay: 1, graceMs: DEFAULT_GRACE_MS, judgedAtMs: DUE, ...options })
// Mon, Wed, Fri at 18:00 Tokyo (09:00Z).
const week = () => [workout('mon', '2026-03-02T09:00:00Z'), workout('wed', '2026-03-04T09:00:00Z'), workout('fri', '2026-03-06T09:00:00Z')]

t.test('judgementDueMs: the start of the next local day, plus the grace, DST-safe', async t => {
  t.equal(judgementDueMs('2026-03-08', ZONE, DEFAULT_GRACE_MS), DUE)
  t.equal(judgementDueMs('2026-03-08', ZONE, 0), Date.parse('2026-03-08T15:00:00Z'), 'no grace: Tokyo midnight')
  // Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
  t.equal(judgementDueMs('2026-03-28', 'Europe/Berlin', 0), Date.parse('2026-03-28T23:00:00Z'), 'midnight CET')
  t.equal(judgementDueMs('2026-03-29', 'Europe/Berlin', 0), Date.parse('2026-03-29T22:00:00Z'), 'after a 23-hour day: midnight CEST')
  t.equal(judgementDueMs('2026-10-25', 'Europe/Berlin', DEFAULT_GRACE_MS), Date.parse('2026-10-26T23:00:00Z'), 'after a 25-hour day, then 24 h')
  // Havana springs forward at midnight itself: 2026-03-08 begins at 01:00 CDT.
  t.equal(judgementDueMs('2026-03-07', 'America/Havana', 0), Date.parse('2026-03-08T05:00:00Z'), 'a zone skipping midnight: its first moment')
  t.throws(() => judgementDueMs('2026-02-30', ZONE, 0), RangeError)
  t.throws(() => judgementDueMs('2026-03-08', ZONE, -1), RangeError)
})

t.test('met and missed from the logs; evidence is the ids counted', async t => {
  t.same(judge(week()), { status: 'met', completed_sessions: 3, evidence: ['mon', 'wed', 'fri'], not_counted: [] })
  t.same(judge(week().slice(0, 2)), { status: 'missed', completed_sessions: 2, evidence: ['mon', 'wed'], not_counted: [] })
  t.same(judge([...week(), workout('sat', '2026-03-07T09:00:00Z')]).completed_sessions, 4, 'more than required: all counted')
  t.same(judge([]), { status: 'missed', completed_sessions: 0, evidence: [], not_counted: [] })
  t.equal(judge([], { milestone: { ...MILESTONE, required_sessions: 0 } }).status, 'met', 'nothing required: met')
})

t.test('only the milestone\'s own period counts', async t => {
  const outside = [workout('sun-before', '2026-03-01T09:00:00Z'), workout('mon-after', '2026-03-09T09:00:00Z')]
  t.same(judge([...week().slice(0, 2), ...outside]), { status: 'missed', completed_sessions: 2, evidence: ['mon', 'wed'], not_counted: [] },
    'the days either side are other milestones\' (not even listed)')
})

t.test('timezone edge: 23:30 on the target date in Tokyo counts; judged only after local midnight + grace', async t => {
  const late = workout('sun-2330', '2026-03-08T14:30:00Z') // 23:30 Sunday in Tokyo, 14:30 UTC
  t.equal(late.local_date, '2026-03-08')
  t.same(judge([...week().slice(0, 2), late]).evidence, ['mon', 'wed', 'sun-2330'])
  const justAfter = workout('mon-0030', '2026-03-08T15:30:00Z') // 00:30 Monday in Tokyo, still Sunday in UTC
  t.same(judge([...week().slice(0, 2), justAfter]).status, 'missed', '00:30 Monday in Tokyo belongs to the next milestone')
  const loggedNextEvening = workout('sun', '2026-03-08T14:30:00Z', { loggedAfterHours: 24 })
  t.equal(loggedNextEvening.created_at, '2026-03-09T14:30:00.000Z', 'logged at 23:30 Monday, half an hour before the judgement')
  t.equal(judge([...week().slice(0, 2), loggedNextEvening]).status, 'met', 'the grace window is for exactly this')
})

t.test('grace window: logged 23 h after performed_at counts, 25 h does not', async t => {
  const two = week().slice(0, 2)
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: 23 })]).status, 'met')
  t.same(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: 25 })]),
    { status: 'missed', completed_sessions: 2, evidence: ['mon', 'wed'], not_counted: [{ workout_id: 'fri', reason: 'logged_late' }] })
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: 24 })]).status, 'met', 'exactly 24 h: inside')
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: 25 })], { graceMs: 48 * HOUR }).status, 'met', 'the grace is a parameter')
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: -0.1 })]).status, 'met', 'logged a little ahead (clock skew) is not late')
})

t.test('backfilling the week at the deadline does not count', async t => {
  // Sunday 22:00 in Tokyo: three workouts typed in for Mon, Wed and Fri.
  const deadline = Date.parse('2026-03-08T13:00:00Z')
  const backfilled = week().map(w => ({ ...w, created_at: new Date(deadline).toISOString() }))
  t.same(judge(backfilled), {
    status: 'missed',
    completed_sessions: 0,
    evidence: [],
    not_counted: [{ workout_id: 'mon', reason: 'logged_late' }, { workout_id: 'wed', reason: 'logged_late' }, { workout_id: 'fri', reason: 'logged_late' }]
  })
})

t.test('a workout logged after the judgement does not count', async t => {
  const judgedAtMs = Date.parse('2026-03-07T00:00:00Z')
  const result = judge([...week().slice(0, 2), workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: 20 })], { judgedAtMs })
  t.same(result.not_counted, [{ workout_id: 'fri', reason: 'logged_after_judgement' }], 'logged at 05:00Z on the 7th, judged at 00:00Z')
  t.equal(result.status, 'missed')
  t.equal(judge([...week().slice(0, 2), workout('fri', '2026-03-06T09:00:00Z', { loggedAfterHours: 15 })], { judgedAtMs }).status, 'met', 'logged exactly at the judgement: counts')
})

t.test('max_sessions_per_day: the earliest performed first, then the smaller id', async t => {
  const day = [workout('b-evening', '2026-03-04T10:00:00Z'), workout('z-morning', '2026-03-03T23:00:00Z'), workout('a-evening', '2026-03-04T10:00:00Z')]
  t.ok(day.every(w => w.local_date === '2026-03-04'))
  t.same(judge(day), {
    status: 'missed',
    completed_sessions: 1,
    evidence: ['z-morning'],
    not_counted: [{ workout_id: 'a-evening', reason: 'over_daily_cap' }, { workout_id: 'b-evening', reason: 'over_daily_cap' }]
  })
  t.same(judge(day, { maxSessionsPerDay: 2 }).evidence, ['z-morning', 'a-evening'], 'same performed_at: the smaller id')
  t.same(judge(day, { maxSessionsPerDay: 3 }).evidence, ['z-morning', 'a-evening', 'b-evening'])
  // A short or late workout does not take a place under the cap.
  t.same(judge([workout('short', '2026-03-03T22:00:00Z', { minutes: 10 }), workout('ok', '2026-03-04T10:00:00Z')]).evidence, ['ok'])
  t.throws(() => judge(day, { maxSessionsPerDay: 0 }), RangeError)
})

t.test('too short, deleted, or unreadable: not counted', async t => {
  const two = week().slice(0, 2)
  t.same(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { minutes: 29 })]).not_counted, [{ workout_id: 'fri', reason: 'too_short' }], '29 minutes, min 30')
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { minutes: 30 })]).status, 'met', 'exactly min_minutes')
  t.same(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { deleted_at: '2026-03-07T00:00:00Z' })]).not_counted, [{ workout_id: 'fri', reason: 'deleted' }])
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { deleted_at: '2026-03-09T15:00:00.001Z' })]).status, 'met', 'deleted after the judgement: it counted then')
  t.equal(judge([...two, workout('fri', '2026-03-06T09:00:00Z', { deleted_at: null })]).status, 'met')
  t.same(judge([...two, { ...workout('fri', '2026-03-06T09:00:00Z'), created_at: 'soon' }, { ...workout('sat', '2026-03-07T09:00:00Z'), performed_at: 'later' }]).not_counted,
    [{ workout_id: 'fri', reason: 'unreadable' }, { workout_id: 'sat', reason: 'unreadable' }])
})

t.test('property: the same workouts in any order give the same judgement', async t => {
  const pool = [
    ...week(),
    workout('wed-2', '2026-03-04T09:00:00Z'),
    workout('sat', '2026-03-07T01:00:00Z', { minutes: 20 }),
    workout('sun', '2026-03-08T14:30:00Z', { loggedAfterHours: 30 }),
    workout('tue', '2026-03-03T09:00:00Z', { deleted_at: '2026-03-05T00:00:00Z' })
  ]
  const reference = judge(pool, { maxSessionsPerDay: 1 })
  t.same(reference.evidence, ['mon', 'wed', 'fri'])
  fc.assert(fc.property(fc.shuffledSubarray(pool, { minLength: pool.length }),
    shuffled => JSON.stringify(judge(shuffled, { maxSessionsPerDay: 1 })) === JSON.stringify(reference)))
})
