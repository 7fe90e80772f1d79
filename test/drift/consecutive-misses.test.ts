import t from 'tap'
import { consecutiveMissesOf, consecutiveMissesSignal } from '../../src/drift/consecutive-misses.js'
import type { EngineInput } from '../../src/drift/drift-types.js'
import { buildLedger } from '../../src/drift/ledger.js'
import { engineInput, onDays, simulate, START, workout } from './engine-fixtures.js'

const run = (input: EngineInput) => consecutiveMissesOf(buildLedger(input))
const signal = (input: EngineInput) => consecutiveMissesSignal(buildLedger(input))
const planned = onDays('mon', 'wed', 'fri', 'sat')

t.test('someone who stopped three weeks ago still shows their misses on a Tuesday', async t => {
  // Last session Saturday 2026-02-28; weeks of 2 and 9 March missed; today Tuesday 17 March.
  const input = engineInput({ workouts: simulate(planned, START, '2026-02-28'), today: '2026-03-17' })
  t.equal(run(input), 8, 'Monday the 16th can still be made up: not judged, it neither breaks nor extends the run')
  t.match(signal(input), {
    type: 'consecutive_misses',
    severity: 'high',
    message: '8 planned sessions missed in a row; the last qualifying session was 17 days ago.',
    evidence: { missed_in_a_row: 8, days_since_last_session: 17 }
  })
})

t.test('2 in a row is medium, 3 high, 1 is no signal', async t => {
  // Week of 9 March: Mon and Wed done, Fri and Sat missed (2 of 4). Today Monday 16 March, before training.
  const two = engineInput({ workouts: [...simulate(planned, START, '2026-03-11')], today: '2026-03-16' })
  t.equal(run(two), 2)
  t.match(signal(two), { severity: 'medium', evidence: { days_since_last_session: 5 } })
  const three = engineInput({ workouts: simulate(planned, START, '2026-03-09'), today: '2026-03-16' })
  t.match(signal(three), { severity: 'high', evidence: { missed_in_a_row: 3 } })
  const one = engineInput({ workouts: simulate(planned, START, '2026-03-13'), today: '2026-03-16' })
  t.equal(run(one), 1)
  t.equal(signal(one), null)
})

t.test('a made-up or done session ends the run; paused days are stepped over', async t => {
  // Fri and Sat of the week of 2 March missed, the next week paused.
  const pauses = [{ pause_id: 'p', start_date: '2026-03-09', end_date: '2026-03-15', created_at: '2026-03-01T00:00:00Z' }]
  const input = engineInput({ workouts: simulate(planned, START, '2026-03-04'), pauses, today: '2026-03-17' })
  t.equal(run(input), 2, 'Fri + Sat of the week of 2 March, the paused week stepped over, Monday 16 not yet judged')
  // A session on an unplanned day that completes the week turns its skipped days into made_up.
  const madeUp = engineInput({ workouts: [...simulate(planned, START, '2026-03-06'), workout('2026-03-08')], today: '2026-03-17' })
  t.equal(run(madeUp), 4, 'the week of 9 March only: Saturday the 7th was made up on Sunday')
  t.equal(run(engineInput({ workouts: simulate(planned), today: '2026-03-18' })), 0)
  t.match(signal(engineInput({ workouts: [...simulate(planned, START, '2026-03-04'), workout('2026-03-17')], today: '2026-03-17' })),
    { evidence: { missed_in_a_row: 6, days_since_last_session: 0 }, message: /was today/ }, 'a Tuesday session does not settle the week yet')
  t.match(signal(engineInput({ workouts: [...simulate(planned, START, '2026-03-04'), workout('2026-03-17')], today: '2026-03-18' })),
    { message: /was yesterday/ })
})

t.test('an empty history misses everything; nothing at all on day one', async t => {
  t.match(signal(engineInput({ defaultStart: '2026-03-02', today: '2026-03-17' })), {
    message: '8 planned sessions missed in a row, and no qualifying session logged yet.',
    evidence: { days_since_last_session: null }
  })
  t.equal(run(engineInput({ defaultStart: '2026-03-17', today: '2026-03-17' })), 0)
})
