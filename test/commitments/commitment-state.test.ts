import fc from 'fast-check'
import t from 'tap'
import type { PauseSpan } from '../../src/commitments/commitment-schedule.js'
import {
  bonusAmount, cancelCommitment, changeTerms, createCommitment, nextDeadline, settle,
  type AuditEntry, type CommitmentRecord, type NewCommitment
} from '../../src/commitments/commitment-state.js'
import type { JudgedWorkout } from '../../src/commitments/judge-milestone.js'
import { localDate } from '../../src/shared/local-time.js'

// Tokyo (UTC+9, no DST). Two weekly milestones from Monday 2 March 2026:
//   1: 03-02…03-08, judged at 2026-03-09T15:00Z (Tokyo midnight + 24 h)
//   2: 03-09…03-15, judged at 2026-03-16T15:00Z
const ZONE = 'Asia/Tokyo'
const CREATED = Date.parse('2026-02-20T00:00:00Z')
const STARTS = Date.parse('2026-03-01T15:00:00Z') // 2026-03-02 00:00 in Tokyo
const DUE1 = Date.parse('2026-03-09T15:00:00Z')
const DUE2 = Date.parse('2026-03-16T15:00:00Z')
const HOUR = 3_600_000

const NEW: NewCommitment = {
  stake_amount: 5000,
  currency: 'EUR',
  start_date: '2026-03-02',
  weeks: 2,
  milestones: 2,
  recipient_on_failure: 'charity',
  bonus_percentage: 10,
  plan: { sessions_per_week: 3, min_minutes: 30, max_sessions_per_day: 1 },
  timezone: ZONE
}
const create = (input: Partial<NewCommitment> = {}, nowMs = CREATED) => createCommitment({ ...NEW, ...input }, { commitment_id: 'c1', nowMs })
const fresh = () => create().commitment

/** A workout at 18:00 Tokyo on `date` (or at the instant given), logged after `loggedAfterHours`. */
const workout = (id: string, when: string, options: { minutes?: number, loggedAfterHours?: number, deleted_at?: string } = {}): JudgedWorkout => {
  const performed = Date.parse(when.length === 10 ? `${when}T09:00:00Z` : when)
  return {
    workout_id: id,
    local_date: localDate(new Date(performed), ZONE),
    duration_minutes: options.minutes ?? 45,
    performed_at: new Date(performed).toISOString(),
    created_at: new Date(performed + (options.loggedAfterHours ?? 0.5) * HOUR).toISOString(),
    ...(options.deleted_at ? { deleted_at: options.deleted_at } : {})
  }
}
const WEEK1 = [workout('w1-mon', '2026-03-02'), workout('w1-wed', '2026-03-04'), workout('w1-fri', '2026-03-06')]
const WEEK2 = [workout('w2-mon', '2026-03-09'), workout('w2-wed', '2026-03-11'), workout('w2-fri', '2026-03-13')]
const at = (nowMs: number, workouts: readonly JudgedWorkout[] = [...WEEK1, ...WEEK2], pauses: readonly PauseSpan[] = []) => ({ nowMs, workouts, pauses })
/** "event at" per audit entry. */
const events = (audit: readonly AuditEntry[]) => audit.map(e => `${e.event} ${e.at}`)
const milestoneSummary = (c: CommitmentRecord) => c.milestones.map(m => `${m.index} ${m.status} ${m.start_date}…${m.target_date} ${m.completed_sessions ?? '-'}/${m.required_sessions}`)

t.test('created: scheduled, terms frozen, milestones pending, one audit entry', async t => {
  const { commitment, audit } = create()
  t.same(commitment, {
    commitment_id: 'c1',
    status: 'scheduled',
    stake_amount: 5000,
    currency: 'EUR',
    start_date: '2026-03-02',
    weeks: 2,
    recipient_on_failure: 'charity',
    bonus_percentage: 10,
    terms: { sessions_per_week: 3, min_minutes: 30, max_sessions_per_day: 1, timezone: ZONE, grace_ms: 24 * HOUR },
    milestones: [
      { index: 1, start_date: '2026-03-02', target_date: '2026-03-08', days: 7, paused_days: 0, required_sessions: 3, min_minutes: 30, status: 'pending', judged_at: null, completed_sessions: null, evidence: [] },
      { index: 2, start_date: '2026-03-09', target_date: '2026-03-15', days: 7, paused_days: 0, required_sessions: 3, min_minutes: 30, status: 'pending', judged_at: null, completed_sessions: null, evidence: [] }
    ],
    created_at: '2026-02-20T00:00:00.000Z',
    started_at: null,
    ended_at: null,
    bonus_amount: null,
    forfeited_amount: null
  })
  t.same(audit, [{
    at: '2026-02-20T00:00:00.000Z',
    event: 'created',
    details: {
      stake_amount: 5000,
      currency: 'EUR',
      start_date: '2026-03-02',
      weeks: 2,
      recipient_on_failure: 'charity',
      bonus_percentage: 10,
      terms: { sessions_per_week: 3, min_minutes: 30, max_sessions_per_day: 1, timezone: ZONE, grace_ms: 24 * HOUR },
      milestones: [
        { index: 1, start_date: '2026-03-02', target_date: '2026-03-08', required_sessions: 3 },
        { index: 2, start_date: '2026-03-09', target_date: '2026-03-15', required_sessions: 3 }
      ]
    },
    evidence: []
  }])
  t.same(JSON.parse(JSON.stringify({ commitment, audit })), { commitment, audit }, 'plain JSON: survives the store unchanged')
  t.equal(create({ timezone: 'asia/tokyo' }).commitment.terms.timezone, ZONE, 'the zone is stored canonical')
  t.equal(createCommitment(NEW, { commitment_id: 'c', nowMs: CREATED, graceMs: 2 * HOUR }).commitment.terms.grace_ms, 2 * HOUR, 'the grace is frozen too')
})

t.test('a commitment starting today is active at once', async t => {
  const now = Date.parse('2026-03-02T01:00:00Z') // 10:00 in Tokyo
  const { commitment, audit } = create({}, now)
  t.equal(commitment.status, 'active')
  t.same(events(audit), ['created 2026-03-02T01:00:00.000Z', 'started 2026-03-02T01:00:00.000Z'], 'started when created, not at midnight before it')
  t.equal(commitment.started_at, '2026-03-02T01:00:00.000Z')
})

t.test('invalid input: DomainError invalid, naming the field', async t => {
  const cases: [Partial<NewCommitment>, RegExp][] = [
    [{ stake_amount: 0 }, /stake_amount must be an integer from 1 to 1000000000/],
    [{ stake_amount: 10.5 }, /stake_amount/],
    [{ stake_amount: 1_000_000_001 }, /stake_amount/],
    [{ currency: 'eur' }, /currency "eur" is not an ISO 4217 code/],
    [{ weeks: 53 }, /weeks/],
    [{ milestones: 3 }, /milestones must be an integer from 1 to 2/],
    [{ recipient_on_failure: 'nobody' as 'charity' }, /recipient_on_failure must be one of charity, anti_charity, buddy/],
    [{ bonus_percentage: 101 }, /bonus_percentage/],
    [{ bonus_percentage: 12.5 }, /bonus_percentage/],
    [{ plan: { ...NEW.plan, sessions_per_week: 0 } }, /sessions_per_week/],
    [{ plan: { ...NEW.plan, min_minutes: 601 } }, /min_minutes/],
    [{ plan: { ...NEW.plan, max_sessions_per_day: 0 } }, /max_sessions_per_day/],
    [{ timezone: 'Mars/Olympus' }, /timezone "Mars\/Olympus" is not a known IANA time zone/],
    [{ start_date: '2026-02-30' }, /start_date must be a YYYY-MM-DD date/],
    [{ start_date: '2026-02-19' }, /start_date 2026-02-19 is before today \(2026-02-20\)/]
  ]
  for (const [input, message] of cases) t.throws(() => create(input), { name: 'DomainError', kind: 'invalid', message }, JSON.stringify(input))
  t.throws(() => createCommitment(NEW, { commitment_id: 'c', nowMs: CREATED, graceMs: -1 }), RangeError)
})

t.test('before the start nothing happens; at local midnight it starts', async t => {
  const before = fresh()
  const early = settle(before, at(STARTS - 1))
  t.same({ changed: early.changed, audit: early.audit, next: early.next_due_ms }, { changed: false, audit: [], next: STARTS })
  t.equal(early.commitment, before, 'unchanged: the same object back')
  const started = settle(before, at(STARTS))
  t.equal(started.commitment.status, 'active')
  t.same(events(started.audit), ['started 2026-03-01T15:00:00.000Z'])
  t.equal(started.next_due_ms, DUE1, 'next: the first judgement')
  t.equal(before.status, 'scheduled', 'the input is not mutated')
})

t.test('timezone edge: 23:30 on the target date in Tokyo counts, and the judgement waits for midnight + grace', async t => {
  const workouts = [WEEK1[0], WEEK1[1], workout('sun-2330', '2026-03-08T14:30:00Z', { loggedAfterHours: 20 })]
  const c = fresh()
  const waiting = settle(c, at(DUE1 - 1, workouts))
  t.same(milestoneSummary(waiting.commitment)[0], '1 pending 2026-03-02…2026-03-08 -/3', 'a millisecond before: still pending')
  const judged = settle(c, at(DUE1, workouts))
  t.same(milestoneSummary(judged.commitment)[0], '1 met 2026-03-02…2026-03-08 3/3')
  t.same(judged.commitment.milestones[0].evidence, ['w1-mon', 'w1-wed', 'sun-2330'])
  t.equal(judged.commitment.milestones[0].judged_at, '2026-03-09T15:00:00.000Z')
})

t.test('all milestones met: completed with bonus = floor(stake × pct / 100); the audit trail tells it', async t => {
  const now = Date.parse('2026-03-20T00:00:00Z')
  const { commitment, audit, next_due_ms: next } = settle(fresh(), at(now))
  t.equal(commitment.status, 'completed')
  t.equal(commitment.bonus_amount, 500)
  t.equal(commitment.ended_at, '2026-03-16T15:00:00.000Z', 'ended when the last judgement fell due')
  t.equal(next, null)
  t.same(events(audit), [
    'started 2026-03-01T15:00:00.000Z',
    'milestone_met 2026-03-09T15:00:00.000Z',
    'milestone_met 2026-03-16T15:00:00.000Z',
    'completed 2026-03-16T15:00:00.000Z'
  ])
  t.same(audit[1], {
    at: '2026-03-09T15:00:00.000Z',
    event: 'milestone_met',
    details: { index: 1, start_date: '2026-03-02', target_date: '2026-03-08', required_sessions: 3, completed_sessions: 3, min_minutes: 30, not_counted: [], settled_at: '2026-03-20T00:00:00.000Z' },
    evidence: ['w1-mon', 'w1-wed', 'w1-fri']
  })
  t.same(audit[3], {
    at: '2026-03-16T15:00:00.000Z',
    event: 'completed',
    details: { stake_amount: 5000, currency: 'EUR', bonus_percentage: 10, bonus_amount: 500, milestones_met: 2 },
    evidence: ['w1-mon', 'w1-wed', 'w1-fri', 'w2-mon', 'w2-wed', 'w2-fri']
  })
  t.same(JSON.parse(JSON.stringify(audit)), audit, 'plain JSON')
  t.equal(settle(create({ bonus_percentage: 0 }).commitment, at(now)).commitment.bonus_amount, 0, '0 %: no bonus')
  t.equal(settle(create({ stake_amount: 333, bonus_percentage: 33 }).commitment, at(now)).commitment.bonus_amount, 109, '333 × 33 % = 109.89 → 109')
  t.same(settle(commitment, at(now + 1000 * HOUR)), { commitment, audit: [], changed: false, next_due_ms: null }, 'ended: settling does nothing')
})

t.test('a missed milestone forfeits at once; the rest are cancelled, never judged', async t => {
  const workouts = [WEEK1[0], workout('w1-fri-short', '2026-03-06', { minutes: 20 }), ...WEEK2]
  const { commitment, audit } = settle(fresh(), at(DUE2 + HOUR, workouts))
  t.equal(commitment.status, 'forfeited')
  t.equal(commitment.forfeited_amount, 5000)
  t.equal(commitment.bonus_amount, null)
  t.equal(commitment.ended_at, '2026-03-09T15:00:00.000Z')
  t.same(milestoneSummary(commitment), ['1 missed 2026-03-02…2026-03-08 1/3', '2 cancelled 2026-03-09…2026-03-15 -/3'])
  t.same(events(audit), ['started 2026-03-01T15:00:00.000Z', 'milestone_missed 2026-03-09T15:00:00.000Z', 'forfeited 2026-03-09T15:00:00.000Z'])
  t.same(audit[1].details.not_counted, [{ workout_id: 'w1-fri-short', reason: 'too_short' }])
  t.same(audit[2], {
    at: '2026-03-09T15:00:00.000Z',
    event: 'forfeited',
    details: { missed_milestone: 1, stake_amount: 5000, currency: 'EUR', recipient_on_failure: 'charity', cancelled_milestones: [2] },
    evidence: ['w1-mon']
  })
})

t.test('catch-up after downtime: every due milestone judged in order, each as of its own due instant', async t => {
  const workouts = [
    ...WEEK1.slice(0, 2),
    // Logged during the downtime, 30 h after: late, whenever the service looks.
    workout('w1-fri-late', '2026-03-06', { loggedAfterHours: 30 }),
    workout('w1-sat', '2026-03-07', { loggedAfterHours: 2 }),
    // Deleted after milestone 1's judgement fell due, before the service came back: it counted then.
    workout('w1-sun', '2026-03-08', { deleted_at: '2026-03-12T00:00:00Z' }),
    ...WEEK2
  ]
  const { commitment, audit } = settle(fresh(), at(Date.parse('2026-04-01T00:00:00Z'), workouts))
  t.same(milestoneSummary(commitment), ['1 met 2026-03-02…2026-03-08 4/3', '2 met 2026-03-09…2026-03-15 3/3'])
  t.same(commitment.milestones[0].evidence, ['w1-mon', 'w1-wed', 'w1-sat', 'w1-sun'])
  t.same(audit[1].details.not_counted, [{ workout_id: 'w1-fri-late', reason: 'logged_late' }])
  t.same(audit.map(e => e.details.settled_at).filter(Boolean), ['2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'], 'when the service actually judged')
  t.same(events(audit).slice(1), ['milestone_met 2026-03-09T15:00:00.000Z', 'milestone_met 2026-03-16T15:00:00.000Z', 'completed 2026-03-16T15:00:00.000Z'])
})

t.test('a judgement is never redone', async t => {
  const first = settle(fresh(), at(DUE1, WEEK1))
  t.same(milestoneSummary(first.commitment)[0], '1 met 2026-03-02…2026-03-08 3/3')
  // Later every week-1 workout is deleted; the judgement stands.
  const deleted = WEEK1.map(w => ({ ...w, deleted_at: '2026-03-10T00:00:00Z' }))
  const again = settle(first.commitment, at(DUE1 + 5 * HOUR, deleted))
  t.same({ changed: again.changed, audit: again.audit }, { changed: false, audit: [] })
  t.equal(again.commitment, first.commitment)
  const end = settle(first.commitment, at(DUE2, [...deleted, ...WEEK2]))
  t.same(events(end.audit), ['milestone_met 2026-03-16T15:00:00.000Z', 'completed 2026-03-16T15:00:00.000Z'], 'milestone 1 not judged again')
  t.same(end.commitment.milestones[0], first.commitment.milestones[0])
  // And a workout logged after a judgement (within its grace) cannot turn a missed one around.
  const missed = settle(fresh(), at(DUE1, WEEK1.slice(0, 2)))
  t.equal(missed.commitment.status, 'forfeited')
  t.equal(settle(missed.commitment, at(DUE1 + HOUR, [...WEEK1, workout('w1-sun', '2026-03-08T14:59:00Z', { loggedAfterHours: 23 })])).changed, false)
})

t.test('a pause made 7 days ahead moves the deadlines; one made later does not', async t => {
  // Milestone 2 paused Thu–Fri 12–13 March: its deadline moves from the 15th to the 17th.
  // In time means created by 2026-03-05 00:00 Tokyo (2026-03-04T15:00Z).
  const inTime: PauseSpan = { start_date: '2026-03-12', end_date: '2026-03-13', created_at: '2026-03-04T15:00:00Z' }
  const tooLate: PauseSpan = { ...inTime, created_at: '2026-03-04T15:00:01Z' }
  const workouts = [...WEEK1, workout('w2-mon', '2026-03-09'), workout('w2-wed', '2026-03-11'), workout('w2-paused-fri', '2026-03-13')]

  const moved = settle(fresh(), at(DUE1 + HOUR, workouts, [inTime]))
  t.same(milestoneSummary(moved.commitment)[1], '2 pending 2026-03-09…2026-03-17 -/3')
  t.equal(moved.commitment.milestones[1].paused_days, 2)
  t.equal(moved.next_due_ms, Date.parse('2026-03-18T15:00:00Z'))
  const notYet = settle(moved.commitment, at(DUE2, workouts, [inTime]))
  t.same(notYet.audit, [], 'not judged at the old due instant')
  const judged = settle(moved.commitment, at(Date.parse('2026-03-18T15:00:00Z'), workouts, [inTime]))
  t.same(events(judged.audit), ['milestone_met 2026-03-18T15:00:00.000Z', 'completed 2026-03-18T15:00:00.000Z'])
  t.same(judged.commitment.milestones[1].evidence, ['w2-mon', 'w2-wed', 'w2-paused-fri'], 'training on a paused day still counts')

  const late = settle(fresh(), at(DUE2, workouts, [tooLate]))
  t.same(milestoneSummary(late.commitment)[1], '2 met 2026-03-09…2026-03-15 3/3', 'a second too late: judged on the original deadline')

  // A pause deleted before it starts: the deadlines move back (pending ones only).
  const back = settle(moved.commitment, at(DUE1 + 2 * HOUR, workouts, []))
  t.equal(back.changed, true)
  t.same(back.audit, [])
  t.same(milestoneSummary(back.commitment)[1], '2 pending 2026-03-09…2026-03-15 -/3')
})

t.test('property: settling in several steps is settling once', async () => {
  const pool = [...WEEK1, ...WEEK2, workout('w1-sun', '2026-03-08', { loggedAfterHours: 23 })]
  fc.assert(fc.property(
    fc.subarray(pool),
    fc.array(fc.integer({ min: Date.parse('2026-02-25T00:00:00Z'), max: Date.parse('2026-03-25T00:00:00Z') }), { maxLength: 5 }),
    (workouts, stops) => {
      const end = Date.parse('2026-03-25T00:00:00Z')
      const once = settle(fresh(), at(end, workouts))
      let c = fresh()
      const audit: AuditEntry[] = []
      for (const now of [...stops.sort((a, b) => a - b), end]) {
        const step = settle(c, at(now, workouts))
        c = step.commitment
        audit.push(...step.audit)
      }
      const withoutSettledAt = (entries: AuditEntry[]) => entries.map(e => ({ ...e, details: { ...e.details, settled_at: null } }))
      return JSON.stringify(c) === JSON.stringify(once.commitment) && JSON.stringify(withoutSettledAt(audit)) === JSON.stringify(withoutSettledAt(once.audit))
    }))
})

// Terms changes run through the 7-day lock. Four weeks in two milestones: 03-02…03-15 and 03-16…03-29, 6 sessions each.
const fourWeeks = () => settle(create({ weeks: 4 }).commitment, at(STARTS, [])).commitment
const tokyo = (local: string) => Date.parse(`${local}+09:00`)

t.test('terms: an easier change outside 7 days of the next deadline is applied and audited', async t => {
  const c = fourWeeks()
  t.equal(nextDeadline(c)?.target_date, '2026-03-15')
  const result = changeTerms(c, { stake_amount: 4000, min_minutes: 20 }, { nowMs: tokyo('2026-03-08T12:00:00'), pauses: [] })
  if (!result.ok) throw new Error(result.reason)
  t.equal(result.commitment.stake_amount, 4000)
  t.equal(result.commitment.terms.min_minutes, 20)
  t.same(result.commitment.milestones.map(m => m.min_minutes), [20, 20])
  t.same(result.audit, [{
    at: '2026-03-08T03:00:00.000Z',
    event: 'terms_changed',
    details: {
      changes: { stake_amount: { from: 5000, to: 4000 }, min_minutes: { from: 30, to: 20 } },
      harder: [],
      easier: ['stake_amount', 'min_minutes'],
      next_deadline: '2026-03-15'
    },
    evidence: []
  }])
  t.equal(c.stake_amount, 5000, 'the input is not mutated')
})

t.test('terms: within 7 days an easier change is refused, a harder one allowed', async t => {
  const c = fourWeeks()
  const now = { nowMs: tokyo('2026-03-09T08:00:00'), pauses: [] } // 6 days before the 15th
  t.same(changeTerms(c, { stake_amount: 4000 }, now), {
    ok: false,
    reason: 'within 7 days of the next deadline (2026-03-15): lowering stake_amount is allowed again after 2026-03-15, once that milestone has been judged, while the deadline after it is more than 7 days away',
    harder: [],
    easier: ['stake_amount']
  })
  const harder = changeTerms(c, { stake_amount: 6000, required_sessions: 7, min_minutes: 40 }, now)
  t.match(harder, { ok: true, harder: ['stake_amount', 'required_sessions', 'min_minutes'], easier: [] })
  if (!harder.ok) return
  t.same(harder.commitment.milestones.map(m => [m.required_sessions, m.min_minutes]), [[7, 40], [7, 40]], 'required_sessions applies to both remaining milestones')
  t.same(harder.audit[0].details.changes, {
    stake_amount: { from: 5000, to: 6000 },
    min_minutes: { from: 30, to: 40 },
    required_sessions: { from: [6, 6], to: 7, milestones: [1, 2] }
  })
})

t.test('terms: a milestone waiting out its grace keeps its terms and still holds the lock', async t => {
  const c = fourWeeks()
  const now = { nowMs: tokyo('2026-03-16T10:00:00'), pauses: [] } // milestone 1 over, judged at 03-17 00:00 Tokyo
  const result = changeTerms(c, { required_sessions: 8 }, now)
  if (!result.ok) throw new Error(result.reason)
  t.same(result.commitment.milestones.map(m => m.required_sessions), [6, 8], 'only the remaining milestone')
  t.match(changeTerms(c, { min_minutes: 20 }, now), { ok: false, reason: /next deadline \(2026-03-15\)/ })
})

t.test('terms: end_date moves the last deadline by unpaused days', async t => {
  const c = fourWeeks()
  const early = { nowMs: tokyo('2026-03-03T12:00:00'), pauses: [] }
  const sooner = changeTerms(c, { end_date: '2026-03-27' }, early)
  t.match(sooner, { ok: true, harder: ['end_date'] })
  if (sooner.ok) t.same(milestoneSummary(sooner.commitment)[1], '2 pending 2026-03-16…2026-03-27 -/6', 'earlier end, same sessions: harder')
  const pauses: PauseSpan[] = [{ start_date: '2026-03-31', end_date: '2026-04-01', created_at: '2026-03-01T00:00:00Z' }]
  const later = changeTerms(c, { end_date: '2026-04-03' }, { ...early, pauses })
  t.match(later, { ok: true, easier: ['end_date'] })
  if (later.ok) {
    t.same(milestoneSummary(later.commitment)[1], '2 pending 2026-03-16…2026-04-03 -/6')
    t.same([later.commitment.milestones[1].days, later.commitment.milestones[1].paused_days], [17, 2], '14 days + the 3 unpaused ones up to 04-03; 03-31 and 04-01 paused')
  }
  t.throws(() => changeTerms(c, { end_date: '2026-04-01' }, { ...early, pauses }), { name: 'DomainError', kind: 'invalid', message: /falls in a pause/ })
  t.throws(() => changeTerms(c, { end_date: '2026-03-15' }, early), { kind: 'invalid', message: /before the last milestone starts \(2026-03-16\)/ })
  t.throws(() => changeTerms(c, { required_sessions: 15 }, early), { kind: 'invalid', message: /milestone 1 can count at most 14 sessions/ })
})

t.test('terms: equal values change nothing; an ended commitment or one with nothing left is a conflict', async t => {
  const c = fourWeeks()
  const same = changeTerms(c, { stake_amount: 5000 }, { nowMs: tokyo('2026-03-03T12:00:00'), pauses: [] })
  t.same(same, { ok: true, commitment: c, audit: [], harder: [], easier: [] })
  t.throws(() => changeTerms(c, { stake_amount: 9000 }, { nowMs: tokyo('2026-03-30T10:00:00'), pauses: [] }),
    { name: 'DomainError', kind: 'conflict', message: /nothing is left to change/ })
  const forfeited = settle(c, at(Date.parse('2026-04-01T00:00:00Z'), [])).commitment
  t.throws(() => changeTerms(forfeited, { stake_amount: 9000 }, { nowMs: Date.parse('2026-04-01T00:00:00Z'), pauses: [] }),
    { kind: 'conflict', message: 'this commitment is forfeited; its terms are final' })
})

t.test('cancel: before the start only', async t => {
  const { commitment, audit } = cancelCommitment(fresh(), { nowMs: STARTS - 1, reason: 'changed my mind' })
  t.equal(commitment.status, 'cancelled')
  t.same(commitment.milestones.map(m => m.status), ['cancelled', 'cancelled'])
  t.same(audit, [{ at: '2026-03-01T14:59:59.999Z', event: 'cancelled', details: { reason: 'changed my mind' }, evidence: [] }])
  t.same(cancelCommitment(fresh(), { nowMs: STARTS - 1 }).audit[0].details, {})
  t.throws(() => cancelCommitment(fresh(), { nowMs: STARTS }), { kind: 'conflict', message: /only a commitment that has not started can be cancelled \(this one is active\)/ },
    'started at midnight even though nobody settled it')
  t.throws(() => cancelCommitment(commitment, { nowMs: STARTS - 1 }), { kind: 'conflict', message: /this one is cancelled/ })
  t.same(settle(commitment, at(DUE2)).audit, [], 'a cancelled commitment is never judged')
})

t.test('money is never a float: bonusAmount', async t => {
  t.equal(bonusAmount(333, 33), 109)
  t.equal(bonusAmount(5000, 0), 0)
  t.equal(bonusAmount(5000, 100), 5000)
  t.equal(bonusAmount(1_000_000_000, 99), 990_000_000)
  t.equal(bonusAmount(1, 99), 0)
  t.throws(() => bonusAmount(10.5, 10), RangeError)
  t.throws(() => bonusAmount(1_000_000_001, 10), RangeError)
  t.throws(() => bonusAmount(100, 10.5), RangeError)
  t.throws(() => bonusAmount(100, 101), RangeError)
  fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 0, max: 100 }), (stake, pct) => {
    const bonus = bonusAmount(stake, pct)
    return Number.isSafeInteger(bonus) && bonus >= 0 && bonus <= stake && BigInt(bonus) === BigInt(stake) * BigInt(pct) / 100n
  }))
})
