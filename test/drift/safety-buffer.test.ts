import t from 'tap'
import { buildLedger } from '../../src/drift/ledger.js'
import { safetyBuffer, safetyBufferSignal } from '../../src/drift/safety-buffer.js'
import type { EngineInput } from '../../src/drift/drift-types.js'
import { engineInput, onDays, planVersion, simulate, START, workout } from './engine-fixtures.js'

const signal = (input: EngineInput) => safetyBufferSignal(buildLedger(input))
const planned = onDays('mon', 'wed', 'fri', 'sat')

t.test('met: nothing needed, no failure date, low', async t => {
  const input = engineInput({ workouts: simulate(planned, START, '2026-03-21'), today: '2026-03-21' })
  t.same(safetyBuffer(input), { needed: 0, by: '2026-03-22', fails_on: null })
  t.match(signal(input), { type: 'safety_buffer', severity: 'low', message: 'This week\'s target of 4 is met (4 done).' })
})

t.test('needed, by Sunday, and the last date from which they still all fit', async t => {
  // Wednesday after the session: 2 still needed; Saturday and Sunday can still hold them.
  const input = engineInput({ workouts: simulate(planned, START, '2026-03-18') })
  t.same(safetyBuffer(input), { needed: 2, by: '2026-03-22', fails_on: '2026-03-21' })
  t.match(signal(input), {
    severity: 'low',
    message: '2 sessions still needed by Sunday 2026-03-22; they all still fit if you start by 2026-03-21 (room for 2 more to spare).',
    evidence: { needed: 2, target: 4, done: 2, capacity_left: 4, slack: 2, skipped_planned_days: 0 }
  }, 'today is full (one a day), so the days left are Thursday to Sunday')
})

t.test('slack < 0: the week can no longer be met — high, and it last fitted on a past date', async t => {
  const input = engineInput({ defaultStart: '2026-03-16', today: '2026-03-21' })
  t.same(safetyBuffer(input), { needed: 4, by: '2026-03-22', fails_on: '2026-03-19' }, 'from Thursday on, four days held four')
  t.match(signal(input), {
    severity: 'high',
    message: '4 sessions still needed by Sunday 2026-03-22, but only room for 2 left: this week can no longer be met.',
    evidence: { slack: -2 }
  })
})

t.test('slack ≤ 1 after a planned day of this week was skipped: medium', async t => {
  // Thursday; Monday skipped, Wednesday done: 3 needed, Thursday to Sunday hold 4.
  const input = engineInput({ defaultStart: '2026-03-16', workouts: [workout('2026-03-18')], today: '2026-03-19' })
  t.same(safetyBuffer(input), { needed: 3, by: '2026-03-22', fails_on: '2026-03-20' })
  t.match(signal(input), { severity: 'medium', message: /room for 1 more to spare/, evidence: { slack: 1, skipped_planned_days: 1 } })
  // The same slack with every planned day done so far is low.
  const onPlan = engineInput({ defaultStart: '2026-03-16', workouts: [workout('2026-03-16'), workout('2026-03-18')], today: '2026-03-20' })
  t.match(signal(onPlan), { severity: 'low', evidence: { slack: 1, skipped_planned_days: 0 } })
})

t.test('no slack at all is low for someone who has done every planned session so far', async t => {
  const plans = [planVersion({ weekdays: ['thu', 'fri', 'sat', 'sun'] })]
  const input = engineInput({ plans, workouts: simulate(onDays('thu', 'fri', 'sat', 'sun'), START, '2026-03-15'), today: '2026-03-19' })
  t.match(signal(input), { severity: 'low', message: /no room to spare/, evidence: { needed: 4, slack: 0, skipped_planned_days: 0 } })
})

t.test('a pause this week lowers the target and the days left alike', async t => {
  const pauses = [{ pause_id: 'p', start_date: '2026-03-16', end_date: '2026-03-18', created_at: '2026-03-10T00:00:00Z' }]
  const input = engineInput({ workouts: simulate(planned, START, '2026-03-15'), pauses, today: '2026-03-19' })
  t.same(safetyBuffer(input), { needed: 2, by: '2026-03-22', fails_on: '2026-03-21' }, 'round(4 × 4 / 7) = 2')
  t.match(signal(input), { severity: 'low', evidence: { target: 2, capacity_left: 4, skipped_planned_days: 0 } }, 'paused Monday and Wednesday were not skipped')
})

t.test('training the target on other days: a tight week is their normal week, not a warning', async t => {
  const own = onDays('tue', 'thu', 'sat', 'sun')
  for (const today of ['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22']) {
    for (const morning of [true, false]) {
      const workouts = simulate(own, START, today).filter(w => !morning || w.local_date < today)
      const s = signal(engineInput({ workouts, today }))!
      t.equal(s.severity, 'low', `${today}${morning ? ' before training' : ''}: slack ${s.evidence.slack}`)
    }
  }
  // Without weeks of history showing that rhythm, the contract's rule applies as written:
  // Thursday morning of a first week, Monday and Wednesday passed, one spare session.
  const firstWeek = engineInput({ defaultStart: '2026-03-16', workouts: [workout('2026-03-17')], today: '2026-03-19' })
  t.match(signal(firstWeek), { severity: 'medium', evidence: { slack: 1, skipped_planned_days: 2, trains_on_own_days: 0 } })
  // And their buffer still turns high the moment the week can no longer be met.
  const lost = simulate(own, START, '2026-03-15')
  t.match(signal(engineInput({ workouts: [...lost, workout('2026-03-17')], today: '2026-03-21' })), { severity: 'high' })
})

t.test('no plan this week: nothing needed and no signal; a week that could never hold its target', async t => {
  const ended = engineInput({ plans: [planVersion({ end_date: '2026-03-01' })] })
  t.same(safetyBuffer(ended), { needed: 0, by: '2026-03-22', fails_on: null })
  t.equal(signal(ended), null)
  // 14 a week at one a day cannot fit (the plan's validation should refuse it): no date works.
  const impossible = engineInput({ plans: [planVersion({ sessions_per_week: 14 })], today: '2026-03-16' })
  t.same(safetyBuffer(impossible), { needed: 14, by: '2026-03-22', fails_on: null })
  t.match(signal(impossible), { severity: 'high' })
})
