import t from 'tap'
import { buildLedger } from '../../src/drift/ledger.js'
import { crossesMidnight, DEFAULT_PLAN, planOn, planTimeline } from '../../src/drift/plan-versions.js'
import { sessionStatuses } from '../../src/drift/session-status.js'
import { engineInput, planVersion, START, workout } from './engine-fixtures.js'

t.test('no plan versions: the DEFAULT plan from the account\'s creation date', async t => {
  const timeline = planTimeline([], '2026-01-07')
  t.equal(timeline.length, 1)
  t.match(timeline[0], {
    sessions_per_week: 4, weekdays: ['mon', 'wed', 'fri', 'sat'], window_start: '06:00', window_end: '07:30',
    min_minutes: 20, max_sessions_per_day: 1, start_date: '2026-01-07', end_date: null
  })
  t.equal(planOn(timeline, '2026-01-06'), null, 'nothing is planned before the account existed')
  t.equal(planOn(timeline, '2030-01-01')?.start_date, '2026-01-07', 'and the default never ends')
  timeline[0].weekdays.push('sun')
  t.same(DEFAULT_PLAN.weekdays, ['mon', 'wed', 'fri', 'sat'], 'each default plan is a copy')
})

t.test('the version applying to a date: latest start_date on or before it, ties to the latest created', async t => {
  const first = planVersion({ start_date: '2026-01-05', sessions_per_week: 4 })
  // 09:00+02:00 is 07:00Z: created before 08:00Z although its string sorts after it.
  const early = planVersion({ start_date: '2026-02-02', sessions_per_week: 2, created_at: '2026-02-01T09:00:00+02:00' })
  const late = planVersion({ start_date: '2026-02-02', sessions_per_week: 3, created_at: '2026-02-01T08:00:00Z' })
  const timeline = planTimeline([late, first, early], 'ignored')
  t.equal(planOn(timeline, '2026-01-04'), null, 'before the first version')
  t.equal(planOn(timeline, '2026-02-01')?.sessions_per_week, 4)
  t.equal(planOn(timeline, '2026-02-02')?.sessions_per_week, 3, 'same start: the later created_at wins')
  t.equal(planOn(timeline, '2026-06-30')?.sessions_per_week, 3)
  const unreadable = planVersion({ start_date: '2026-02-02', sessions_per_week: 1, created_at: 'yesterday' })
  t.equal(planOn(planTimeline([late, unreadable], 'ignored'), '2026-02-02')?.sessions_per_week, 3, 'an unreadable created_at sorts first')
})

t.test('end_date ends the plan; a later version takes over from its own start', async t => {
  const ended = planVersion({ end_date: '2026-01-31' })
  t.equal(planOn([ended], '2026-01-31')?.start_date, START, 'the end date itself is still planned')
  t.equal(planOn([ended], '2026-02-01'), null)
  const timeline = planTimeline([ended, planVersion({ start_date: '2026-02-09', weekdays: ['tue'] })], START)
  t.equal(planOn(timeline, '2026-02-05'), null, 'a gap between versions plans nothing')
  t.same(planOn(timeline, '2026-02-10')?.weekdays, ['tue'])
  const statuses = sessionStatuses(engineInput({ plans: timeline, today: '2026-02-18' }), '2026-01-26', '2026-02-15')
  t.same(statuses.map(s => s.date), ['2026-01-26', '2026-01-28', '2026-01-30', '2026-01-31', '2026-02-10'])
})

t.test('a plan changed mid-way: each day is judged by the version applying then', async t => {
  const plans = [
    planVersion(),
    planVersion({ start_date: '2026-02-02', sessions_per_week: 2, weekdays: ['tue', 'thu'], min_minutes: 30, window_start: '18:00', window_end: '19:00', created_at: '2026-02-01T20:00:00Z' })
  ]
  const workouts = [
    workout('2026-01-26', 25), workout('2026-01-28'), workout('2026-01-30'), workout('2026-01-31'), // old plan: 25 ≥ 20 qualifies
    workout('2026-02-03', 25), workout('2026-02-05', 45), workout('2026-02-07', 30) // new plan: 25 < 30 does not
  ]
  const input = engineInput({ plans, workouts, today: '2026-02-10' })
  t.same(sessionStatuses(input, '2026-01-26', '2026-02-08'), [
    { date: '2026-01-26', start: '06:00', end: '07:30', status: 'done' },
    { date: '2026-01-28', start: '06:00', end: '07:30', status: 'done' },
    { date: '2026-01-30', start: '06:00', end: '07:30', status: 'done' },
    { date: '2026-01-31', start: '06:00', end: '07:30', status: 'done' },
    { date: '2026-02-03', start: '18:00', end: '19:00', status: 'made_up' },
    { date: '2026-02-05', start: '18:00', end: '19:00', status: 'done' }
  ], 'Tuesday\'s 25 minutes fall short of the new minimum, but Saturday\'s 30 make the week\'s 2')
  const ledger = buildLedger(input)
  t.equal(ledger.week('2026-01-26')!.target, 4)
  t.equal(ledger.week('2026-02-02')!.target, 2)
  t.equal(ledger.week('2026-02-02')!.sessions, 2)

  // A change on a Thursday blends the week: (3 days × 4 + 4 days × 2) / 7 = 2.86 → 3.
  const midWeek = [planVersion(), planVersion({ start_date: '2026-02-05', sessions_per_week: 2, weekdays: ['tue', 'thu'] })]
  t.equal(buildLedger(engineInput({ plans: midWeek, today: '2026-02-10' })).week('2026-02-05')!.target, 3)
})

t.test('a plan starting mid-week asks for that part of the week only', async t => {
  // Thursday to Sunday of the default plan: round(4 × 4 / 7) = 2, planned Friday and Saturday.
  const ledger = buildLedger(engineInput({ defaultStart: '2026-01-08', today: '2026-01-20' }))
  t.equal(ledger.week('2026-01-08')!.target, 2)
  t.same(ledger.week('2026-01-08')!.days.filter(d => d.planned).map(d => d.date), ['2026-01-09', '2026-01-10'])
})

t.test('a window earlier at its end than at its start crosses midnight', async t => {
  t.ok(crossesMidnight(planVersion({ window_start: '22:00', window_end: '01:00' })))
  t.notOk(crossesMidnight(planVersion()))
})
