import t from 'tap'
import { reviewTermsChange, type CurrentTerms, type TermsChange } from '../../src/commitments/terms-change.js'

const CURRENT: CurrentTerms = { stake_amount: 5000, min_minutes: 30, remaining_required_sessions: [8, 8], end_date: '2026-12-20' }
const NEXT = '2026-12-06'
const review = (change: TermsChange, today: string, current: CurrentTerms = CURRENT) =>
  reviewTermsChange(current, change, { nextDeadlineDate: NEXT, todayLocalDate: today })
const LOCKED = '2026-11-30' // 6 days before the next deadline
const FREE = '2026-11-29' // 7 days before

t.test('within 7 days of the next deadline an easier change is refused, saying when the lock lifts', async t => {
  t.same(review({ stake_amount: 4000 }, LOCKED), {
    ok: false,
    reason: 'within 7 days of the next deadline (2026-12-06): lowering stake_amount is allowed again after 2026-12-06, ' +
      'once that milestone has been judged, while the deadline after it is more than 7 days away',
    harder: [],
    easier: ['stake_amount'],
    locked_by_deadline: '2026-12-06'
  })
  for (const [change, words] of [
    [{ required_sessions: 7 }, 'lowering required_sessions is'],
    [{ min_minutes: 20 }, 'lowering min_minutes is'],
    [{ end_date: '2026-12-27' }, 'moving end_date later is'],
    [{ stake_amount: 1, end_date: '2026-12-21' }, 'lowering stake_amount and moving end_date later are']
  ] as const) {
    const result = review(change, LOCKED)
    t.equal(result.ok, false)
    t.match(!result.ok && result.reason, `(2026-12-06): ${words} allowed again after 2026-12-06`)
  }
  t.equal(review({ stake_amount: 4000 }, NEXT).ok, false, 'on the deadline day')
  t.equal(review({ stake_amount: 4000 }, '2026-12-07').ok, false, 'a deadline passed but not yet judged still holds the lock')
})

t.test('an easier change is allowed 7 or more days before the next deadline', async t => {
  t.same(review({ stake_amount: 4000, min_minutes: 20, required_sessions: 6, end_date: '2027-01-03' }, FREE), {
    ok: true,
    applied: { stake_amount: 4000, required_sessions: 6, min_minutes: 20, end_date: '2027-01-03' },
    harder: [],
    easier: ['stake_amount', 'required_sessions', 'min_minutes', 'end_date']
  })
  t.equal(review({ stake_amount: 4000 }, '2026-11-01').ok, true)
})

t.test('a harder change is always allowed, even on the deadline day', async t => {
  t.same(review({ stake_amount: 6000, required_sessions: 9, min_minutes: 40, end_date: '2026-12-13' }, NEXT), {
    ok: true,
    applied: { stake_amount: 6000, required_sessions: 9, min_minutes: 40, end_date: '2026-12-13' },
    harder: ['stake_amount', 'required_sessions', 'min_minutes', 'end_date'],
    easier: []
  })
})

t.test('equal values are neither harder nor easier, and not applied', async t => {
  t.same(review({ stake_amount: 5000, required_sessions: 8, min_minutes: 30, end_date: '2026-12-20' }, LOCKED), { ok: true, applied: {}, harder: [], easier: [] })
  t.same(review({ stake_amount: 5000, min_minutes: 45 }, LOCKED), { ok: true, applied: { min_minutes: 45 }, harder: ['min_minutes'], easier: [] })
})

t.test('a change is taken or refused whole', async t => {
  t.match(review({ stake_amount: 9000, min_minutes: 20 }, LOCKED), { ok: false, harder: ['stake_amount'], easier: ['min_minutes'] },
    'the harder stake does not go through with the easier minutes')
})

t.test('required_sessions against milestones that differ: lowering any one is easier', async t => {
  const uneven = { ...CURRENT, remaining_required_sessions: [8, 7] }
  t.match(review({ required_sessions: 8 }, LOCKED, uneven), { ok: true, harder: ['required_sessions'], easier: [] }, '7 → 8, 8 stays')
  t.match(review({ required_sessions: 7 }, LOCKED, uneven), { ok: false, easier: ['required_sessions'] }, '8 → 7')
})

t.test('values out of range are the caller\'s mistake: DomainError invalid', async t => {
  const invalid = (change: TermsChange, pattern: RegExp, current = CURRENT) =>
    t.throws(() => review(change, FREE, current), { name: 'DomainError', kind: 'invalid', message: pattern }, JSON.stringify(change))
  invalid({}, /at least one of stake_amount, required_sessions, min_minutes, end_date/)
  invalid({ stake_amount: 0 }, /stake_amount must be an integer from 1 to 1000000000/)
  invalid({ stake_amount: 12.5 }, /stake_amount/)
  invalid({ stake_amount: 1_000_000_001 }, /stake_amount/)
  invalid({ min_minutes: 0 }, /min_minutes must be an integer from 1 to 600/)
  invalid({ required_sessions: 0 }, /required_sessions/)
  invalid({ required_sessions: 3 }, /no milestone is left/, { ...CURRENT, remaining_required_sessions: [] })
  invalid({ end_date: '2026-13-01' }, /end_date must be a YYYY-MM-DD date/)
  invalid({ end_date: '2026-11-28' }, /end_date 2026-11-28 is before today \(2026-11-29\)/)
})
