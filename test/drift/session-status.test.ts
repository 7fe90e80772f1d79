import t from 'tap'
import { buildLedger, sessionDate } from '../../src/drift/ledger.js'
import { planOn } from '../../src/drift/plan-versions.js'
import { sessionStatuses } from '../../src/drift/session-status.js'
import { engineInput, planVersion, workout } from './engine-fixtures.js'

const statusMap = (...args: Parameters<typeof sessionStatuses>) =>
  Object.fromEntries(sessionStatuses(...args).map(s => [s.date, s.status]))

t.test('a workout on an unplanned day makes up a skipped planned one once the week reaches its target', async t => {
  // Week of Mon 2026-01-05: Monday skipped, Tuesday trained instead, then Wed/Fri/Sat as planned.
  const workouts = ['2026-01-06', '2026-01-07', '2026-01-09', '2026-01-10'].map(d => workout(d))
  t.same(statusMap(engineInput({ workouts, today: '2026-01-20' }), '2026-01-05', '2026-01-11'), {
    '2026-01-05': 'made_up', '2026-01-07': 'done', '2026-01-09': 'done', '2026-01-10': 'done'
  })
  // Same week without Saturday, short by one: every planned day without a session is missed.
  t.same(statusMap(engineInput({ workouts: workouts.slice(0, 3), today: '2026-01-20' }), '2026-01-05', '2026-01-11'), {
    '2026-01-05': 'missed', '2026-01-07': 'done', '2026-01-09': 'done', '2026-01-10': 'missed'
  })
})

t.test('the current week: skipped while it can still be made up, missed once it cannot, made up once met', async t => {
  // Wednesday 2026-03-18; Monday skipped, Tuesday trained: 3 still needed, 5 days left.
  const open = engineInput({ workouts: [workout('2026-03-17')], today: '2026-03-18' })
  t.same(statusMap(open, '2026-03-16', '2026-03-22'), {
    '2026-03-16': 'skipped', '2026-03-18': 'upcoming', '2026-03-20': 'upcoming', '2026-03-21': 'upcoming'
  }, 'Monday is not yet judged; today and later are upcoming')
  // Saturday with nothing done: 4 needed, 2 days left — the week is lost, its skipped days missed.
  t.same(statusMap(engineInput({ today: '2026-03-21', defaultStart: '2026-03-16' }), '2026-03-16', '2026-03-22'), {
    '2026-03-16': 'missed', '2026-03-18': 'missed', '2026-03-20': 'missed', '2026-03-21': 'upcoming'
  })
  // Saturday with four done on Tue, Thu, Fri and Sat morning: the target is met, Mon and Wed made up.
  const met = engineInput({ workouts: ['2026-03-17', '2026-03-19', '2026-03-20', '2026-03-21'].map(d => workout(d)), today: '2026-03-21' })
  t.same(statusMap(met, '2026-03-16', '2026-03-22'), {
    '2026-03-16': 'made_up', '2026-03-18': 'made_up', '2026-03-20': 'done', '2026-03-21': 'done'
  })
})

t.test('five workouts on one Sunday are one session toward "4 a week"', async t => {
  const sunday = Array.from({ length: 5 }, () => workout('2026-01-11', 40))
  const ledger = buildLedger(engineInput({ workouts: [workout('2026-01-05'), ...sunday], today: '2026-01-20' }))
  t.equal(ledger.day('2026-01-11')!.sessions, 1)
  t.equal(ledger.week('2026-01-05')!.sessions, 2, 'Monday + Sunday, not 6')
  t.same(statusMap(engineInput({ workouts: [workout('2026-01-05'), ...sunday], today: '2026-01-20' }), '2026-01-05', '2026-01-11'), {
    '2026-01-05': 'done', '2026-01-07': 'missed', '2026-01-09': 'missed', '2026-01-10': 'missed'
  })
  // With max_sessions_per_day 2, a double day counts twice (and no more).
  const twice = buildLedger(engineInput({ plans: [planVersion({ max_sessions_per_day: 2 })], workouts: sunday, today: '2026-01-20' }))
  t.equal(twice.day('2026-01-11')!.sessions, 2)
})

t.test('sessions below min_minutes do not qualify', async t => {
  const workouts = [workout('2026-01-05', 19), workout('2026-01-07', 20)]
  const statuses = statusMap(engineInput({ workouts, today: '2026-01-08' }), '2026-01-05', '2026-01-07')
  t.same(statuses, { '2026-01-05': 'skipped', '2026-01-07': 'done' }, '19 minutes of a 20-minute minimum is not a session')
  t.equal(buildLedger(engineInput({ workouts, today: '2026-01-08' })).day('2026-01-05')!.workouts.length, 1, 'the workout is still on its day')
})

t.test('a window crossing midnight: a session belongs to the date its window starts', async t => {
  const plans = [planVersion({ window_start: '22:00', window_end: '01:00' })]
  const timeline = plans
  t.equal(sessionDate(workout('2026-01-06', 30, '00:30'), timeline), '2026-01-05', '00:30 Tuesday is Monday night\'s session')
  t.equal(sessionDate(workout('2026-01-06', 30, '01:00'), timeline), '2026-01-06', 'the window has ended at 01:00')
  t.equal(sessionDate(workout('2026-01-06', 30, '23:00'), timeline), '2026-01-06')
  t.equal(sessionDate(workout('2026-01-06', 30), timeline), '2026-01-06', 'no local time: its own date')
  t.equal(sessionDate(workout('2026-01-06', 30, '00:30'), [planVersion()]), '2026-01-06', 'a morning window keeps dates as they are')
  t.equal(sessionDate(workout('2026-01-05', 30, '00:30'), timeline), '2026-01-05', 'no plan the evening before: its own date')

  const workouts = [workout('2026-01-06', 30, '00:30'), workout('2026-01-07', 30, '22:15'), workout('2026-01-10', 30, '00:10'), workout('2026-01-10', 30, '23:50')]
  t.same(sessionStatuses(engineInput({ plans, workouts, today: '2026-01-20' }), '2026-01-05', '2026-01-11'), [
    { date: '2026-01-05', start: '22:00', end: '01:00', status: 'done' },
    { date: '2026-01-07', start: '22:00', end: '01:00', status: 'done' },
    { date: '2026-01-09', start: '22:00', end: '01:00', status: 'done' },
    { date: '2026-01-10', start: '22:00', end: '01:00', status: 'done' }
  ], 'Saturday 00:10 is Friday\'s session, Saturday 23:50 Saturday\'s')
  t.equal(planOn(plans, '2026-01-05')?.window_end, '01:00')
})

t.test('paused days are paused; a range into the future is upcoming', async t => {
  const pauses = [{ pause_id: 'p1', start_date: '2026-03-18', end_date: '2026-03-20', created_at: '2026-03-17T10:00:00Z' }]
  t.same(statusMap(engineInput({ pauses, today: '2026-03-17', defaultStart: '2026-03-16' }), '2026-03-16', '2026-03-28'), {
    '2026-03-16': 'skipped', '2026-03-18': 'paused', '2026-03-20': 'paused', '2026-03-21': 'upcoming',
    '2026-03-23': 'upcoming', '2026-03-25': 'upcoming', '2026-03-27': 'upcoming', '2026-03-28': 'upcoming'
  })
})

t.test('workouts dated after today or before the plan are ignored', async t => {
  const input = engineInput({ defaultStart: '2026-01-07', workouts: [workout('2026-01-05'), workout('2026-01-09'), workout('2026-01-07')], today: '2026-01-08' })
  const ledger = buildLedger(input)
  t.equal(ledger.day('2026-01-09')!.workouts.length, 0, 'the future holds no sessions')
  t.match(ledger.day('2026-01-05'), { plan: null, counted: false, sessions: 0 }, 'before the plan: nothing counts')
  t.equal(ledger.day('2026-01-07')!.sessions, 1)
  t.equal(ledger.week('2026-01-05')!.target, 3, 'Wednesday to Sunday: round(4 × 5 / 7)')
  t.equal(ledger.day('2025-12-01'), undefined, 'outside the ledger')
  t.equal(ledger.week('2027-01-01'), undefined)
})
