import fc from 'fast-check'
import t from 'tap'
import { applyPauses, isPausedDay, milestoneSchedule, pauseQualifies, roundHalfUp, unpausedDaysBetween, type ScheduledMilestone } from '../../src/commitments/commitment-schedule.js'
import { addDays, daysBetween } from '../../src/shared/local-time.js'

const START = '2026-03-02' // a Monday
/** "start…target days/required (+paused)" per milestone: what a person would read. */
const summary = (schedule: readonly ScheduledMilestone[]) =>
  schedule.map(m => `${m.start_date}…${m.target_date} ${m.days}d/${m.required_sessions}${m.paused_days ? ` +${m.paused_days}p` : ''}`)

t.test('8 weeks in 3 milestones: ends on days round(56/3)=19, round(112/3)=37, 56', async t => {
  t.same(summary(milestoneSchedule({ start_date: START, weeks: 8, milestones: 3, sessions_per_week: 3 })), [
    '2026-03-02…2026-03-20 19d/8', // 3 × 19 / 7 = 8.14
    '2026-03-21…2026-04-07 18d/8', // 3 × 18 / 7 = 7.71
    '2026-04-08…2026-04-26 19d/8'
  ])
  t.same(milestoneSchedule({ start_date: START, weeks: 8, milestones: 3, sessions_per_week: 4 }).map(m => m.required_sessions), [11, 10, 11],
    '4 × 19 / 7 = 10.86 → 11, 4 × 18 / 7 = 10.29 → 10')
  t.same(milestoneSchedule({ start_date: START, weeks: 8, milestones: 3, sessions_per_week: 3 }).map(m => m.index), [1, 2, 3], '1-based')
})

t.test('1 week in 1 milestone; 52 weeks in 52', async t => {
  t.same(summary(milestoneSchedule({ start_date: START, weeks: 1, milestones: 1, sessions_per_week: 5 })), ['2026-03-02…2026-03-08 7d/5'])
  const year = milestoneSchedule({ start_date: START, weeks: 52, milestones: 52, sessions_per_week: 3 })
  t.equal(year.length, 52)
  t.ok(year.every(m => m.days === 7 && m.required_sessions === 3), 'every milestone a week of 3 sessions')
  t.same(summary([year[0], year[51]]), ['2026-03-02…2026-03-08 7d/3', '2027-02-22…2027-02-28 7d/3'])
  t.equal(year[51].target_date, addDays(START, 52 * 7 - 1))
})

t.test('5 weeks in 2: 17.5 rounds half up to 18', async t => {
  t.same(summary(milestoneSchedule({ start_date: START, weeks: 5, milestones: 2, sessions_per_week: 3 })), [
    '2026-03-02…2026-03-19 18d/8', // 3 × 18 / 7 = 7.71
    '2026-03-20…2026-04-05 17d/7' //  3 × 17 / 7 = 7.29
  ])
  t.equal(roundHalfUp(35, 2), 18)
  t.equal(roundHalfUp(34, 4), 9, '8.5 → 9')
  t.equal(roundHalfUp(33, 4), 8, '8.25 → 8')
  t.equal(roundHalfUp(0, 7), 0)
})

t.test('required_sessions: round(sessions_per_week × days / 7)', async t => {
  // 3 weeks in 2: 11 and 10 days.
  t.same(milestoneSchedule({ start_date: START, weeks: 3, milestones: 2, sessions_per_week: 1 }).map(m => [m.days, m.required_sessions]), [[11, 2], [10, 1]],
    '11/7 = 1.57 → 2, 10/7 = 1.43 → 1')
  t.same(milestoneSchedule({ start_date: START, weeks: 3, milestones: 2, sessions_per_week: 7 }).map(m => m.required_sessions), [11, 10], 'daily: one a day')
})

t.test('out-of-range input throws', async t => {
  const base = { start_date: START, weeks: 4, milestones: 2, sessions_per_week: 3 }
  t.throws(() => milestoneSchedule({ ...base, weeks: 0 }), RangeError)
  t.throws(() => milestoneSchedule({ ...base, weeks: 53 }), RangeError)
  t.throws(() => milestoneSchedule({ ...base, milestones: 5 }), /milestones must be an integer from 1 to 4/)
  t.throws(() => milestoneSchedule({ ...base, milestones: 1.5 }), RangeError)
  t.throws(() => milestoneSchedule({ ...base, sessions_per_week: 0 }), RangeError)
  t.throws(() => milestoneSchedule({ ...base, start_date: '2026-02-30' }), /start_date/)
})

t.test('property: the milestones tile the commitment, in order, none empty', async () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 52 }).chain(weeks => fc.tuple(fc.constant(weeks), fc.integer({ min: 1, max: weeks }))),
    fc.integer({ min: 1, max: 14 }),
    fc.integer({ min: 0, max: 3000 }),
    ([weeks, milestones], sessionsPerWeek, offset) => {
      const start = addDays('2024-01-01', offset)
      const schedule = milestoneSchedule({ start_date: start, weeks, milestones, sessions_per_week: sessionsPerWeek })
      if (schedule.length !== milestones || schedule[0].start_date !== start) return false
      if (schedule[milestones - 1].target_date !== addDays(start, weeks * 7 - 1)) return false
      return schedule.every((m, i) =>
        m.days >= 6 && m.days === daysBetween(m.start_date, m.target_date) + 1 &&
        (i === 0 || m.start_date === addDays(schedule[i - 1].target_date, 1)) &&
        Number.isInteger(m.required_sessions) && Math.abs(m.required_sessions - sessionsPerWeek * m.days / 7) <= 0.5)
    }))
})

// Pauses. Berlin: CET (UTC+1) until 2026-03-29, CEST (UTC+2) after.
const ZONE = 'Europe/Berlin'
const twoWeeks = () => milestoneSchedule({ start_date: START, weeks: 2, milestones: 2, sessions_per_week: 3 })
const pause = (start_date: string, end_date: string, created_at: string) => ({ start_date, end_date, created_at })

t.test('a pause made 7 days ahead moves the deadline it precedes and every later one', async t => {
  // Start minus 7 days is 2026-02-26; local midnight then is 2026-02-25T23:00Z.
  const inTime = pause('2026-03-05', '2026-03-06', '2026-02-25T23:00:00Z')
  t.ok(pauseQualifies(inTime, ZONE), 'exactly at local midnight 7 days before: in time')
  t.same(summary(applyPauses(twoWeeks(), [inTime], ZONE)), ['2026-03-02…2026-03-10 7d/3 +2p', '2026-03-11…2026-03-17 7d/3'])
  const late = pause('2026-03-05', '2026-03-06', '2026-02-25T23:00:00.001Z')
  t.notOk(pauseQualifies(late, ZONE), 'a millisecond later: too late')
  t.same(summary(applyPauses(twoWeeks(), [late], ZONE)), summary(twoWeeks()), 'a late pause moves nothing')
})

t.test('7 local calendar days, not 168 hours, across a DST change', async t => {
  // 2026-04-01 starts at 2026-03-31T22:00Z (CEST); 2026-03-25 at 2026-03-24T23:00Z (CET).
  t.ok(pauseQualifies(pause('2026-04-01', '2026-04-02', '2026-03-24T22:30:00Z'), ZONE), '7 calendar days but 167.5 hours')
  t.notOk(pauseQualifies(pause('2026-04-01', '2026-04-02', '2026-03-24T23:30:00Z'), ZONE))
  // The zone decides midnight: 2026-03-25 begins at 2026-03-24T15:00Z in Tokyo.
  t.notOk(pauseQualifies(pause('2026-04-01', '2026-04-02', '2026-03-24T22:30:00Z'), 'Asia/Tokyo'), 'in time in Berlin, 07:30 on the 25th in Tokyo')
  t.ok(pauseQualifies(pause('2026-04-01', '2026-04-02', '2026-03-24T23:59:00+09:00'), 'Asia/Tokyo'))
})

t.test('paused days: where they fall decides which deadlines move', async t => {
  const made = '2026-01-01T00:00:00Z'
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-03-09', '2026-03-10', made)], ZONE)),
    ['2026-03-02…2026-03-08 7d/3', '2026-03-09…2026-03-17 7d/3 +2p'], 'the day after a deadline belongs to the next milestone')
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-03-08', '2026-03-08', made)], ZONE)),
    ['2026-03-02…2026-03-09 7d/3 +1p', '2026-03-10…2026-03-16 7d/3'], 'a paused deadline day moves it: a deadline is never a paused day')
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-02-20', '2026-03-03', made)], ZONE)),
    ['2026-03-02…2026-03-10 7d/3 +2p', '2026-03-11…2026-03-17 7d/3'], 'a pause begun before the start counts from the start')
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-02-20', '2026-03-01', made)], ZONE)), summary(twoWeeks()), 'one over before the start moves nothing')
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-03-20', '2026-03-30', made)], ZONE)), summary(twoWeeks()), 'one after the end moves nothing')
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-03-04', '2026-03-06', made), pause('2026-03-05', '2026-03-12', made)], ZONE)),
    ['2026-03-02…2026-03-17 7d/3 +9p', '2026-03-18…2026-03-24 7d/3'], 'overlapping pauses: a day is paused once (9 days, not 11)')
  t.same(summary(applyPauses(twoWeeks(), [pause('2026-03-05', '2026-03-04', made), pause('2026-03-05', '2026-03-06', 'yesterday')], ZONE)),
    summary(twoWeeks()), 'a backwards or unreadable pause does not qualify')
  t.same(applyPauses([], [pause('2026-03-05', '2026-03-06', made)], ZONE), [])
})

t.test('applyPauses is idempotent and carries other fields', async t => {
  const pauses = [pause('2026-03-05', '2026-03-06', '2026-01-01T00:00:00Z')]
  const once = applyPauses(twoWeeks().map(m => ({ ...m, status: 'pending' })), pauses, ZONE)
  t.same(applyPauses(once, pauses, ZONE), once)
  t.equal(once[1].status, 'pending')
  t.throws(() => applyPauses([{ ...twoWeeks()[0], days: 0 }], pauses, ZONE), RangeError)
})

t.test('isPausedDay and unpausedDaysBetween see qualifying pauses only', async t => {
  const pauses = [pause('2026-03-05', '2026-03-06', '2026-01-01T00:00:00Z'), pause('2026-03-10', '2026-03-10', '2026-03-09T00:00:00Z')]
  t.ok(isPausedDay('2026-03-05', pauses, ZONE))
  t.notOk(isPausedDay('2026-03-10', pauses, ZONE), 'made the day before: does not count')
  t.notOk(isPausedDay('2026-03-07', pauses, ZONE))
  t.equal(unpausedDaysBetween('2026-03-01', '2026-03-10', pauses, ZONE), 8)
  t.equal(unpausedDaysBetween('2026-03-06', '2026-03-06', pauses, ZONE), 0)
  t.equal(unpausedDaysBetween('2026-03-10', '2026-03-01', pauses, ZONE), 0)
})
