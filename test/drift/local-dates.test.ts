// Time zones belong to the caller: workouts reach the engine with local_date and local_time already
// computed in the user's zone. This shows that, built with localDate()/localTime(), a workout lands
// on the user's own day — late at night in Tokyo, and across the clock changes of Berlin and New York.
import t from 'tap'
import type { EngineWorkout } from '../../src/drift/drift-types.js'
import { sessionStatuses } from '../../src/drift/session-status.js'
import { addDays, localDate, localTime } from '../../src/shared/local-time.js'
import { engineInput, planVersion } from './engine-fixtures.js'

const logged = (instant: string, zone: string, minutes = 30): EngineWorkout => {
  const at = new Date(instant)
  return { local_date: localDate(at, zone), local_time: localTime(at, zone), duration_minutes: minutes }
}

t.test('Asia/Tokyo: a 23:30 workout is on that Tokyo evening, whatever the UTC date', async t => {
  // Monday 2026-03-16 23:30 in Tokyo (UTC+9) is 14:30 UTC the same day; 00:30 Tuesday is 15:30 UTC Monday.
  const late = logged('2026-03-16T14:30:00Z', 'Asia/Tokyo')
  t.same(late, { local_date: '2026-03-16', local_time: '23:30', duration_minutes: 30 })
  const afterMidnight = logged('2026-03-16T15:30:00Z', 'Asia/Tokyo')
  t.same(afterMidnight, { local_date: '2026-03-17', local_time: '00:30', duration_minutes: 30 }, 'UTC still says Monday; Tokyo says Tuesday')
  // Tuesday 08:00 Tokyo is 23:00 UTC Monday: it counts for Tuesday, an unplanned day.
  const morning = logged('2026-03-16T23:00:00Z', 'Asia/Tokyo')
  t.equal(morning.local_date, '2026-03-17')

  const statuses = (workouts: EngineWorkout[], plans = [planVersion({ start_date: '2026-03-09' })]) =>
    sessionStatuses(engineInput({ plans, workouts, today: '2026-03-19' }), '2026-03-16', '2026-03-18').map(s => `${s.date} ${s.status}`)
  t.same(statuses([late]), ['2026-03-16 done', '2026-03-18 skipped'])
  t.same(statuses([afterMidnight]), ['2026-03-16 skipped', '2026-03-18 skipped'], 'a morning window: 00:30 Tuesday is Tuesday')
  const night = [planVersion({ start_date: '2026-03-09', window_start: '22:00', window_end: '01:00' })]
  t.same(statuses([afterMidnight], night), ['2026-03-16 done', '2026-03-18 skipped'], 'a night window: 00:30 Tuesday is Monday night\'s session')
})

t.test('Europe/Berlin: the local day across the spring and autumn clock changes', async t => {
  // Clocks go forward on Sunday 2026-03-29 at 02:00 (UTC+1 → UTC+2).
  t.same(logged('2026-03-28T23:30:00Z', 'Europe/Berlin'), { local_date: '2026-03-29', local_time: '00:30', duration_minutes: 30 }, 'Sunday 00:30 CET')
  const mondayEarly = logged('2026-03-29T22:30:00Z', 'Europe/Berlin')
  t.same(mondayEarly, { local_date: '2026-03-30', local_time: '00:30', duration_minutes: 30 }, 'UTC Sunday 22:30 is Monday 00:30 CEST')
  t.equal(localDate(new Date('2026-03-29T22:30:00Z'), 'UTC'), '2026-03-29')
  // Clocks go back on Sunday 2026-10-25 at 03:00 (UTC+2 → UTC+1): 23:30 UTC Sunday is 00:30 Monday.
  const autumn = logged('2026-10-25T23:30:00Z', 'Europe/Berlin')
  t.same(autumn, { local_date: '2026-10-26', local_time: '00:30', duration_minutes: 30 })

  // A plan of Mondays only: on a morning window both Monday-00:30 workouts are Monday's session.
  const mondays = (window: { window_start: string, window_end: string }, monday: string, workout: EngineWorkout) => {
    const plans = [planVersion({ start_date: '2026-03-02', sessions_per_week: 1, weekdays: ['mon'], ...window })]
    return sessionStatuses(engineInput({ plans, workouts: [workout], today: addDays(monday, 1) }), monday, monday).map(s => s.status)
  }
  const morning = { window_start: '06:00', window_end: '07:30' }
  t.same(mondays(morning, '2026-03-30', mondayEarly), ['done'])
  t.same(mondays(morning, '2026-10-26', autumn), ['done'])
  // On a window running to 01:00 the same workout is Sunday night's session — last week's — so
  // this Monday is still open.
  t.same(mondays({ window_start: '23:00', window_end: '01:00' }, '2026-03-30', mondayEarly), ['skipped'])
})

t.test('America/New_York: the local day across the spring and autumn clock changes', async t => {
  // Clocks go forward on Sunday 2026-03-08 at 02:00 (UTC−5 → UTC−4) and back on Sunday 2026-11-01.
  t.same(logged('2026-03-08T04:30:00Z', 'America/New_York'), { local_date: '2026-03-07', local_time: '23:30', duration_minutes: 30 }, 'Saturday 23:30 EST')
  t.same(logged('2026-03-08T07:30:00Z', 'America/New_York'), { local_date: '2026-03-08', local_time: '03:30', duration_minutes: 30 }, 'an hour later on the wall clock than EST would say')
  t.same(logged('2026-11-01T05:30:00Z', 'America/New_York'), { local_date: '2026-11-01', local_time: '01:30', duration_minutes: 30 }, 'the first 01:30 (EDT)')
  t.same(logged('2026-11-01T06:30:00Z', 'America/New_York'), { local_date: '2026-11-01', local_time: '01:30', duration_minutes: 30 }, 'the second 01:30 (EST): the same local day')
  // A Saturday-evening session and a Sunday one in the week of the change: two sessions, two days.
  const input = engineInput({
    plans: [planVersion({ start_date: '2026-02-23', weekdays: ['sat', 'sun'], sessions_per_week: 2 })],
    workouts: [logged('2026-03-08T04:30:00Z', 'America/New_York'), logged('2026-03-08T14:00:00Z', 'America/New_York')],
    today: '2026-03-09'
  })
  t.same(sessionStatuses(input, '2026-03-07', '2026-03-08').map(s => [s.date, s.status]), [['2026-03-07', 'done'], ['2026-03-08', 'done']])
})
