import fc from 'fast-check'
import t from 'tap'
import { judgeOutcomes, nextOutcomeChangeMs, type OutcomeInput, type OutcomeIntervention, type OutcomeWorkout } from '../../src/interventions/outcomes.js'
import type { InterventionType } from '../../src/drift/drift-types.js'
import { localDate } from '../../src/shared/local-time.js'

// Berlin: CET (UTC+1) until 2026-03-29 02:00, CEST (UTC+2) after.
const ZONE = 'Europe/Berlin'
const NOW = '2026-03-20T12:00:00Z'

const deployed = (id: string, at: string, type: InterventionType = 'message', block_start: string | null = null): OutcomeIntervention =>
  ({ intervention_id: id, type, status: 'deployed', deployed_at: at, block_start })
const workout = (id: string, performed_at: string, minutes = 30, zone = ZONE): OutcomeWorkout =>
  ({ workout_id: id, performed_at, minutes, local_date: localDate(new Date(performed_at), zone) })
const judge = (interventions: OutcomeIntervention[], workouts: OutcomeWorkout[], options: Partial<Omit<OutcomeInput, 'nowMs'>> & { now?: string } = {}) => {
  const { now = NOW, ...rest } = options
  return judgeOutcomes({ interventions, workouts, minMinutesOn: () => 20, pauses: [], timeZone: ZONE, windowHours: 24, nowMs: Date.parse(now), ...rest })
}
/** "id outcome [workout]" per judged intervention: what a person would read. */
const summary = (result: ReturnType<typeof judge>) =>
  result.outcomes.map(o => [o.intervention_id, o.outcome, o.workout_id].filter(Boolean).join(' '))

t.test('a qualifying workout inside the window: success, decided when it was performed', async t => {
  const result = judge([deployed('i1', '2026-03-10T08:00:00Z')], [workout('w1', '2026-03-10T17:30:00Z')])
  t.same(result.outcomes, [{
    intervention_id: 'i1',
    type: 'message',
    outcome: 'success',
    outcome_at: '2026-03-10T17:30:00.000Z',
    workout_id: 'w1',
    window_start: '2026-03-10T08:00:00.000Z',
    window_end: '2026-03-11T08:00:00.000Z'
  }])
  t.equal(result.nextChangeMs, null, 'nothing pending: nothing changes by the clock')
})

t.test('outside the window: a workout before the nudge or after the window does not count', async t => {
  const result = judge([deployed('i1', '2026-03-10T08:00:00Z')], [workout('before', '2026-03-10T07:59:00Z'), workout('after', '2026-03-11T08:01:00Z')])
  t.same(summary(result), ['i1 failed'])
  t.equal(result.outcomes[0].outcome_at, '2026-03-11T08:00:00.000Z', 'failed as of the window\'s end')
  t.equal(judge([deployed('i1', '2026-03-10T08:00:00Z')], [], { windowHours: 48 }).outcomes[0].window_end, '2026-03-12T08:00:00.000Z', 'OUTCOME_WINDOW_HOURS')
})

t.test('the window\'s edges are both inside', async t => {
  const nudge = [deployed('i1', '2026-03-10T08:00:00Z')]
  t.same(summary(judge(nudge, [workout('w', '2026-03-10T08:00:00Z')])), ['i1 success w'], 'at the very moment of the nudge')
  t.same(summary(judge(nudge, [workout('w', '2026-03-11T08:00:00Z')])), ['i1 success w'], 'at the window\'s last moment')
  t.same(summary(judge(nudge, [workout('w', '2026-03-11T08:00:00.001Z')])), ['i1 failed'], 'a millisecond late')
  // Nothing yet: pending through the window's end, failed a millisecond after.
  const atEnd = judge(nudge, [], { now: '2026-03-11T08:00:00Z' })
  t.same(summary(atEnd), ['i1 pending'])
  t.equal(atEnd.outcomes[0].outcome_at, null)
  t.equal(atEnd.nextChangeMs, Date.parse('2026-03-11T08:00:00.001Z'), 'a cache of this holds until the window has passed')
  t.same(summary(judge(nudge, [], { now: '2026-03-11T08:00:00.001Z' })), ['i1 failed'])
})

t.test('a workout too short for the plan, or deleted, does not count', async t => {
  const nudge = [deployed('i1', '2026-03-10T08:00:00Z')]
  t.same(summary(judge(nudge, [workout('short', '2026-03-10T18:00:00Z', 19)])), ['i1 failed'], '19 minutes, the plan asks 20')
  t.same(summary(judge(nudge, [workout('enough', '2026-03-10T18:00:00Z', 20)])), ['i1 success enough'], 'exactly min_minutes')
  t.same(summary(judge(nudge, [{ ...workout('gone', '2026-03-10T18:00:00Z'), deleted_at: '2026-03-10T19:00:00Z' }])), ['i1 failed'], 'deleted')
  t.same(summary(judge(nudge, [{ ...workout('kept', '2026-03-10T18:00:00Z'), deleted_at: null }])), ['i1 success kept'])
})

t.test('min_minutes is the plan\'s on the workout\'s own local date', async t => {
  // The plan asks 45 minutes from March 11 (Tokyo dates). 23:30 UTC on the 10th is already the 11th in Tokyo.
  const minMinutesOn = (date: string) => date >= '2026-03-11' ? 45 : 20
  const nudge = [deployed('i1', '2026-03-10T08:00:00Z')]
  const seen: string[] = []
  const spy = (date: string) => { seen.push(date); return minMinutesOn(date) }
  t.same(summary(judge(nudge, [workout('late', '2026-03-10T15:30:00Z', 30, 'Asia/Tokyo')], { minMinutesOn: spy, timeZone: 'Asia/Tokyo' })), ['i1 failed'])
  t.same(seen, ['2026-03-11'], 'asked for the Tokyo date')
  t.same(summary(judge(nudge, [workout('early', '2026-03-10T14:30:00Z', 30, 'Asia/Tokyo')], { minMinutesOn, timeZone: 'Asia/Tokyo' })), ['i1 success early'],
    '23:30 on the 10th in Tokyo: 20 minutes still do')
})

t.test('several pending when a workout comes: the latest gets the credit, the earlier ones are superseded', async t => {
  const interventions = [deployed('morning', '2026-03-10T08:00:00Z', 'calendar'), deployed('noon', '2026-03-10T12:00:00Z', 'message'), deployed('afternoon', '2026-03-10T15:00:00Z', 'social')]
  const result = judge(interventions, [workout('w1', '2026-03-10T16:00:00Z')])
  t.same(summary(result), ['morning superseded w1', 'noon superseded w1', 'afternoon success w1'])
  t.same(result.outcomes.map(o => o.outcome_at), Array(3).fill('2026-03-10T16:00:00.000Z'), 'all decided by that workout')
  // A second workout still inside the earlier windows finds nothing pending: one workout, one credit;
  // the superseded ones stay superseded.
  const again = judge(interventions, [workout('w1', '2026-03-10T16:00:00Z'), workout('w2', '2026-03-11T07:00:00Z')])
  t.same(summary(again), ['morning superseded w1', 'noon superseded w1', 'afternoon success w1'])
})

t.test('two workouts in overlapping windows credit one intervention each when both were pending in turn', async t => {
  // A at 08:00, workout at 10:00 (A's), B at 12:00 while A's window is still open, workout at 18:00 (B's).
  const result = judge([deployed('A', '2026-03-10T08:00:00Z'), deployed('B', '2026-03-10T12:00:00Z')],
    [workout('w2', '2026-03-10T18:00:00Z'), workout('w1', '2026-03-10T10:00:00Z')])
  t.same(summary(result), ['A success w1', 'B success w2'])
  // A workout no pending window holds credits nothing.
  t.same(summary(judge([deployed('A', '2026-03-10T08:00:00Z')], [workout('w1', '2026-03-10T10:00:00Z'), workout('w2', '2026-03-10T11:00:00Z')])), ['A success w1'])
})

t.test('"latest" is by the window\'s start: a calendar block beats a later message sent before it', async t => {
  const block = deployed('block', '2026-03-10T08:00:00Z', 'calendar', '2026-03-11T17:00:00Z')
  const message = deployed('message', '2026-03-11T12:00:00Z', 'message')
  t.same(summary(judge([message, block], [workout('w', '2026-03-11T17:30:00Z')])), ['message superseded w', 'block success w'])
  // Same start: the later deployed, then the greater id, deterministically.
  const twins = [deployed('b', '2026-03-10T08:00:00Z'), deployed('a', '2026-03-10T08:00:00Z')]
  t.same(summary(judge(twins, [workout('w', '2026-03-10T09:00:00Z')])), ['a superseded w', 'b success w'])
  const sameStart = [deployed('z', '2026-03-10T08:00:00Z'), deployed('late-block', '2026-03-09T08:00:00Z', 'calendar', '2026-03-10T08:00:00Z')]
  t.same(summary(judge(sameStart, [workout('w', '2026-03-10T09:00:00Z')])), ['late-block superseded w', 'z success w'], 'z was deployed later')
})

t.test('a calendar block\'s window starts at the block', async t => {
  const block = deployed('block', '2026-03-10T08:00:00Z', 'calendar', '2026-03-11T17:00:00Z')
  const before = judge([block], [workout('early', '2026-03-11T07:00:00Z')])
  t.same(summary(before), ['block failed'], 'a workout the morning before the block is not its doing')
  t.equal(before.outcomes[0].window_start, '2026-03-11T17:00:00.000Z')
  t.equal(before.outcomes[0].window_end, '2026-03-12T17:00:00.000Z')
  t.same(summary(judge([block], [workout('at', '2026-03-11T17:30:00Z')])), ['block success at'])
  t.same(summary(judge([block], [], { now: '2026-03-11T12:00:00Z' })), ['block pending'], 'booked but not yet come')
  // A block written into the past cannot credit workouts from before the nudge.
  const backdated = deployed('past', '2026-03-10T08:00:00Z', 'calendar', '2026-03-09T17:00:00Z')
  t.equal(judge([backdated], []).outcomes[0].window_start, '2026-03-10T08:00:00.000Z')
  t.equal(judge([deployed('m', '2026-03-10T08:00:00Z', 'message', '2026-03-11T17:00:00Z')], []).outcomes[0].window_start, '2026-03-10T08:00:00.000Z',
    'only calendar interventions have blocks')
  t.equal(judge([{ ...block, deployed_at: null }], []).outcomes[0].window_start, '2026-03-11T17:00:00.000Z', 'a block alone anchors it')
})

t.test('a pause stops the window\'s clock', async t => {
  // Deployed 19:00 CET on March 5; March 6 is paused. 5 hours run before midnight, the paused day
  // does not count, the other 19 run on the 7th: the window ends 19:00 CET on March 7.
  const nudge = [deployed('i1', '2026-03-05T18:00:00Z')]
  const pauses = [{ start_date: '2026-03-06', end_date: '2026-03-06' }]
  const paused = judge(nudge, [workout('w', '2026-03-07T17:00:00Z')], { pauses })
  t.same(summary(paused), ['i1 success w'], 'a workout the evening after the pause still counts')
  t.equal(paused.outcomes[0].window_end, '2026-03-07T18:00:00.000Z')
  t.same(summary(judge(nudge, [workout('w', '2026-03-07T17:00:00Z')])), ['i1 failed'], 'without the pause it would not')
  t.same(summary(judge(nudge, [workout('anyway', '2026-03-06T10:00:00Z')], { pauses })), ['i1 success anyway'], 'training during the pause still counts')
  // Overlapping and adjacent pauses are one stretch; one ending before it starts holds nothing.
  const split = [{ start_date: '2026-03-07', end_date: '2026-03-07' }, { start_date: '2026-03-06', end_date: '2026-03-06' },
    { start_date: '2026-03-06', end_date: '2026-03-06' }, { start_date: '2026-03-09', end_date: '2026-03-01' }]
  t.equal(judge(nudge, [], { pauses: split }).outcomes[0].window_end, '2026-03-08T18:00:00.000Z', 'two paused days: 48 hours later')
  t.equal(judge(nudge, [], { pauses: [{ start_date: '2026-03-20', end_date: '2026-03-25' }] }).outcomes[0].window_end, '2026-03-06T18:00:00.000Z',
    'a pause after the window changes nothing')
  // The window runs out exactly as a pause begins (24 h from 00:00 on the 5th): not stretched.
  t.equal(judge([deployed('m', '2026-03-04T23:00:00Z')], [], { pauses }).outcomes[0].window_end, '2026-03-05T23:00:00.000Z')
})

t.test('a pause over a clock change lasts the paused day\'s real length', async t => {
  // March 29 is 23 hours long in Berlin. 19:00 CET on the 28th: 5 h, the paused 29th, 19 h into the
  // 30th: 19:00 CEST, 17:00 UTC.
  const result = judge([deployed('i1', '2026-03-28T18:00:00Z')], [], { pauses: [{ start_date: '2026-03-29', end_date: '2026-03-29' }], now: '2026-04-01T00:00:00Z' })
  t.equal(result.outcomes[0].window_end, '2026-03-30T17:00:00.000Z')
})

t.test('deployed during a pause: the window starts when the pause ends', async t => {
  const pauses = [{ start_date: '2026-03-06', end_date: '2026-03-07' }]
  const nudge = [deployed('i1', '2026-03-06T10:00:00Z')]
  const result = judge(nudge, [workout('paused', '2026-03-07T12:00:00Z')], { pauses })
  t.equal(result.outcomes[0].window_start, '2026-03-07T23:00:00.000Z', 'midnight after the last paused day, CET')
  t.equal(result.outcomes[0].window_end, '2026-03-08T23:00:00.000Z')
  t.same(summary(result), ['i1 failed'], 'a workout inside the pause, before the window, is not credited')
  t.same(summary(judge(nudge, [workout('after', '2026-03-08T07:00:00Z')], { pauses })), ['i1 success after'])
  t.same(summary(judge(nudge, [], { pauses, now: '2026-03-08T12:00:00Z' })), ['i1 pending'])
})

t.test('only deployed interventions are judged and returned', async t => {
  const others: OutcomeIntervention[] = [
    { intervention_id: 'p', type: 'calendar', status: 'proposed', deployed_at: null, block_start: '2026-03-10T17:00:00Z' },
    { intervention_id: 'd', type: 'message', status: 'dismissed', deployed_at: null, block_start: null },
    { intervention_id: 'f', type: 'financial', status: 'failed', deployed_at: '2026-03-10T08:00:00Z', block_start: null }
  ]
  const result = judge([...others, deployed('i1', '2026-03-10T08:00:00Z')], [workout('w', '2026-03-10T17:30:00Z')])
  t.same(summary(result), ['i1 success w'], 'the workout goes to the deployed one')
  t.same(judge(others, [workout('w', '2026-03-10T17:30:00Z')]).outcomes, [])
})

t.test('a workout logged late turns a failed outcome into a success', async t => {
  const nudge = [deployed('i1', '2026-03-10T08:00:00Z')]
  t.same(summary(judge(nudge, [])), ['i1 failed'])
  t.same(summary(judge(nudge, [workout('backdated', '2026-03-10T19:00:00Z')])), ['i1 success backdated'], 'the same day, logged a week later')
})

t.test('nextChangeMs: the earliest pending window\'s end, + 1 ms', async t => {
  const result = judge([deployed('a', '2026-03-19T20:00:00Z'), deployed('b', '2026-03-19T14:00:00Z'), deployed('c', '2026-03-10T08:00:00Z')], [])
  t.same(summary(result), ['c failed', 'b pending', 'a pending'])
  t.equal(result.nextChangeMs, Date.parse('2026-03-20T14:00:00.001Z'))
  t.equal(nextOutcomeChangeMs(result.outcomes), result.nextChangeMs, 'the same from stored outcomes')
  t.equal(nextOutcomeChangeMs([]), null)
})

t.test('bad input is a RangeError', async t => {
  t.throws(() => judge([], [], { windowHours: 0 }), { name: 'RangeError', message: /windowHours/ })
  t.throws(() => judge([], [], { windowHours: Number.NaN }), RangeError)
  t.throws(() => judge([], [], { now: 'never' }), { message: /nowMs/ })
  t.throws(() => judge([], [], { timeZone: 'Nowhere/Special' }), { message: /Nowhere\/Special/ })
  t.throws(() => judge([{ ...deployed('i1', '2026-03-10T08:00:00Z'), deployed_at: null }], []), { message: 'intervention i1 is deployed but has no deployed_at' })
  t.throws(() => judge([deployed('i1', '2026-03-10 08:00')], []), { message: /i1 deployed_at/ })
  t.throws(() => judge([], [workout('w1', '2026-03-10T08:00:00Z'), { ...workout('w2', '2026-03-10T08:00:00Z'), performed_at: 'soon' }]), { message: /w2 performed_at/ })
  t.throws(() => judge([], [], { pauses: [{ start_date: '2026-02-30', end_date: '2026-03-01' }] }), { message: /pause/ })
})

t.test('deterministic: the same records in any order give the same outcomes, and a workout credits at most one', async t => {
  const base = Date.parse('2026-03-01T00:00:00Z')
  const hour = 3_600_000
  const arb = fc.record({
    interventions: fc.uniqueArray(fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      type: fc.constantFrom<InterventionType>('calendar', 'message', 'financial', 'social'),
      status: fc.constantFrom('proposed', 'deployed', 'deployed', 'dismissed', 'failed' as const),
      at: fc.integer({ min: 0, max: 20 * 24 }),
      block: fc.option(fc.integer({ min: 0, max: 20 * 24 }))
    }), { selector: i => i.id, maxLength: 12 }),
    workouts: fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), at: fc.integer({ min: 0, max: 20 * 24 }), minutes: fc.integer({ min: 5, max: 60 }), deleted: fc.boolean() }),
      { selector: w => w.id, maxLength: 12 }),
    pauses: fc.array(fc.record({ from: fc.integer({ min: 0, max: 20 }), days: fc.integer({ min: 0, max: 3 }) }), { maxLength: 2 }),
    now: fc.integer({ min: 0, max: 25 * 24 }),
    seed: fc.integer()
  })
  const iso = (hours: number) => new Date(base + hours * hour).toISOString()
  const day = (days: number) => iso(days * 24).slice(0, 10)
  fc.assert(fc.property(arb, ({ interventions, workouts, pauses, now, seed }) => {
    const input: OutcomeInput = {
      interventions: interventions.map(i => ({ intervention_id: i.id, type: i.type, status: i.status, deployed_at: i.status === 'deployed' ? iso(i.at) : null, block_start: i.block === null ? null : iso(i.block) })),
      workouts: workouts.map(w => ({ workout_id: w.id, performed_at: iso(w.at), minutes: w.minutes, local_date: localDate(new Date(iso(w.at)), 'UTC'), deleted_at: w.deleted ? iso(w.at + 1) : undefined })),
      minMinutesOn: () => 20,
      pauses: pauses.map(p => ({ start_date: day(p.from), end_date: day(p.from + p.days) })),
      timeZone: 'UTC',
      windowHours: 24,
      nowMs: base + now * hour
    }
    const result = judgeOutcomes(input)
    const shuffle = <T>(items: readonly T[]) => items.map((item, i) => ({ item, key: (Math.imul(i + 1, 2654435761) ^ seed) >>> 0 })).sort((a, b) => a.key - b.key).map(x => x.item)
    const shuffled = judgeOutcomes({ ...input, interventions: shuffle(input.interventions), workouts: shuffle(input.workouts), pauses: shuffle(input.pauses) })
    if (JSON.stringify(result) !== JSON.stringify(shuffled)) return false
    const credited = result.outcomes.filter(o => o.outcome === 'success').map(o => o.workout_id)
    if (new Set(credited).size !== credited.length) return false
    if (result.outcomes.length !== input.interventions.filter(i => i.status === 'deployed').length) return false
    return result.outcomes.every(o => o.window_start <= o.window_end &&
      (o.outcome === 'pending' ? o.outcome_at === null && input.nowMs <= Date.parse(o.window_end)
        : o.outcome === 'failed' ? o.outcome_at === o.window_end && input.nowMs > Date.parse(o.window_end)
          : o.outcome_at! >= o.window_start && o.outcome_at! <= o.window_end))
  }), { numRuns: 500, seed: 20260310 })
  t.pass('500 random histories')
})
