// Commitments over HTTP and through the coach: made with frozen terms, read with progress, listed,
// cancelled only before they start, audited; bad input is a 400 that stores nothing.
import t from 'tap'
import { build, logWorkout, register } from '../helpers/build-app.js'
import { addDays, localDate } from '../../src/shared/local-time.js'

const body = (extra: Record<string, unknown> = {}) => ({ stake_amount: 5000, currency: 'EUR', weeks: 4, milestones: 2, recipient_on_failure: 'charity', bonus_percentage: 10, ...extra })

t.test('create, read, list, audit; one open commitment at a time; frozen terms', async t => {
  const app = await build(t)
  const s = await register(app, 'staker', { timezone: 'Europe/Berlin' })
  const today = localDate(new Date(), 'Europe/Berlin')
  const created = await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload: body() })
  t.equal(created.statusCode, 201)
  const c = created.json().commitment
  t.match(c, {
    status: 'active', stake_amount: 5000, currency: 'EUR', stake_display: '€50.00', start_date: today, end_date: addDays(today, 27), weeks: 4,
    terms: { sessions_per_week: 4, min_minutes: 20, max_sessions_per_day: 1, timezone: 'Europe/Berlin', grace_hours: 24 },
    amount_at_risk: 5000, bonus_amount: null, forfeited_amount: null
  })
  t.same(c.milestones.map((m: { target_date: string, required_sessions: number, status: string }) => [m.target_date, m.required_sessions, m.status]),
    [[addDays(today, 13), 8, 'pending'], [addDays(today, 27), 8, 'pending']])
  t.match(c.progress, { milestone: 1, completed_sessions: 0, required_sessions: 8, needed: 8, target_date: addDays(today, 13), days_left: 14 })

  await logWorkout(app, s, { duration_minutes: 25 })
  t.match((await app.inject({ url: '/api/commitments/current', headers: s.headers })).json().commitment.progress, { completed_sessions: 1, needed: 7 }, 'progress counts a qualifying workout')

  // The plan gets easier: the commitment does not.
  await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { sessions_per_week: 1, min_minutes: 5 } })
  await app.inject({ method: 'PATCH', url: '/api/me', headers: s.headers, payload: { timezone: 'Pacific/Kiritimati' } })
  const frozen = (await app.inject({ url: '/api/commitments/current', headers: s.headers })).json().commitment
  t.match(frozen.terms, { sessions_per_week: 4, min_minutes: 20, timezone: 'Europe/Berlin' })
  t.equal(frozen.milestones[0].required_sessions, 8)

  const second = await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload: body() })
  t.equal(second.statusCode, 409)
  t.match(second.json().message, /already have an? active commitment/)

  const cancel = await app.inject({ method: 'DELETE', url: '/api/commitments/current', headers: s.headers })
  t.equal(cancel.statusCode, 409, 'a commitment that started cannot be cancelled')

  // The next deadline is 13 days away: easier is allowed; harder always is.
  const harder = await app.inject({ method: 'PATCH', url: '/api/commitments/current', headers: s.headers, payload: { stake_amount: 8000 } })
  t.equal(harder.statusCode, 200)
  t.equal(harder.json().commitment.stake_amount, 8000)
  const other = await app.inject({ method: 'PATCH', url: '/api/commitments/current', headers: s.headers, payload: { status: 'completed' } })
  t.equal(other.statusCode, 400, 'nothing lets you mark it complete')
  t.match(other.json().message, /unknown property 'status'/)

  const list = (await app.inject({ url: '/api/commitments', headers: s.headers })).json().commitments
  t.equal(list.length, 1)
  const audit = await app.inject({ url: `/api/commitments/${c.commitment_id}/audit`, headers: s.headers })
  t.equal(audit.statusCode, 200)
  t.same(audit.json().audit.map((e: { event: string }) => e.event), ['created', 'started', 'terms_changed'])
  t.match(audit.json().audit[2].details, { changes: { stake_amount: { from: 5000, to: 8000 } } })
  t.equal((await app.inject({ url: '/api/commitments/c_nope/audit', headers: s.headers })).statusCode, 404)

  // The coach reads it; a financial intervention reminds of it.
  const coach = await app.inject({ method: 'POST', url: '/api/agent', headers: s.headers, payload: { message: "what's at stake?" } })
  t.match(coach.json(), { response: /€80\.00 is at stake \(active\), going to a charity/, toolCalls: [{ name: 'getCommitment', ok: true }] })
  const reminder = await app.inject({ method: 'POST', url: '/api/interventions', headers: s.headers, payload: { type: 'financial' } })
  t.equal(reminder.statusCode, 201)
  t.match(reminder.json().intervention, { type: 'financial', status: 'deployed', message: /€80\.00 is at stake: 1 of 8 sessions done/ })
})

t.test('a scheduled commitment can be cancelled; past ones stay listed', async t => {
  const app = await build(t)
  const s = await register(app, 'later', { timezone: 'Asia/Tokyo' })
  const start = addDays(localDate(new Date(), 'Asia/Tokyo'), 3)
  const created = (await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload: body({ start_date: start, currency: 'JPY', stake_amount: 3000 }) })).json().commitment
  t.match(created, { status: 'scheduled', stake_display: '¥3,000', progress: { days_left: Number } })
  const cancelled = await app.inject({ method: 'DELETE', url: '/api/commitments/current', headers: s.headers })
  t.equal(cancelled.statusCode, 200)
  t.equal(cancelled.json().commitment.status, 'cancelled')
  t.equal((await app.inject({ url: '/api/commitments/current', headers: s.headers })).statusCode, 404)
  const again = await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload: body() })
  t.equal(again.statusCode, 201, 'a cancelled one does not block a new one')
  t.same((await app.inject({ url: '/api/commitments', headers: s.headers })).json().commitments.map((c: { status: string }) => c.status), ['active', 'cancelled'])
  t.same((await app.inject({ url: `/api/commitments/${created.commitment_id}/audit`, headers: s.headers })).json().audit.map((e: { event: string }) => e.event), ['created', 'cancelled'])
})

t.test('bad input is refused and stores nothing', async t => {
  const app = await build(t)
  const s = await register(app, 'careful')
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [body({ stake_amount: -5 }), /stake_amount must be >= 1/],
    [body({ stake_amount: 12.5 }), /stake_amount must be an integer/],
    [body({ stake_amount: 1_000_000_001 }), /stake_amount must be <= 1000000000/],
    [body({ milestones: 0 }), /milestones must be >= 1/],
    [body({ milestones: 5, weeks: 4 }), /milestones/],
    [body({ currency: 'XYZ' }), /currency "XYZ" is not an ISO 4217 code/],
    [body({ currency: 'eur' }), /currency/],
    [body({ start_date: '2020-01-01' }), /start_date 2020-01-01 is before today/],
    [body({ weeks: 53 }), /weeks must be <= 52/],
    [body({ recipient_on_failure: 'me' }), /recipient_on_failure must be one of/],
    [body({ bonus_percentage: 101 }), /bonus_percentage must be <= 100/],
    [body({ stake_amount: '5000' }), /stake_amount must be an integer/]
  ]
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json().message, message)
  }
  t.same((await app.inject({ url: '/api/commitments', headers: s.headers })).json().commitments, [])
  t.equal((await app.inject({ url: '/api/commitments/current', headers: s.headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'PATCH', url: '/api/commitments/current', headers: s.headers, payload: { stake_amount: 1 } })).statusCode, 404)
  const none = await app.inject({ method: 'POST', url: '/api/agent', headers: s.headers, payload: { message: 'what is at stake?' } })
  t.match(none.json().response, /Nothing is at stake yet/)
  t.equal((await app.inject({ method: 'POST', url: '/api/interventions', headers: s.headers, payload: { type: 'financial' } })).statusCode, 409)
})

t.test('the background judge forfeits a missed milestone without anyone reading it', async t => {
  const app = await build(t, { env: { COMMITMENT_CHECK_MS: '50' } })
  const s = await register(app, 'absent', { timezone: 'America/New_York' })
  // Made 20 days ago (the domain takes the clock; the API only allows today or later): the first
  // milestone (14 days, 8 sessions) ended 6 days ago with nothing logged.
  const { createCommitment } = await import('../../src/commitments/commitments.js')
  const past = new Date(Date.now() - 20 * 86_400_000)
  const made = await createCommitment(app.repo, s.user.id, { stake_amount: 2500, currency: 'USD', weeks: 4, milestones: 2, recipient_on_failure: 'anti_charity' }, past)
  t.equal(made.status, 'active')
  let stored = (await app.repo.listCommitments(s.user.id))[0]
  for (let i = 0; i < 100 && stored.status === 'active'; i++) {
    await new Promise(resolve => setTimeout(resolve, 50))
    stored = (await app.repo.listCommitments(s.user.id))[0]
  }
  t.equal(stored.status, 'forfeited', 'judged in the background')
  t.equal(stored.forfeited_amount, 2500)
  t.same(stored.milestones.map(m => m.status), ['missed', 'cancelled'])
  const audit = await app.repo.listCommitmentAudit(s.user.id, stored.commitment_id)
  t.same(audit!.map(e => e.event), ['created', 'started', 'milestone_missed', 'forfeited'])
  const listed = (await app.inject({ url: '/api/commitments', headers: s.headers })).json().commitments[0]
  t.match(listed, { status: 'forfeited', amount_at_risk: 0, forfeited_amount: 2500, progress: null })
  t.equal((await app.inject({ url: '/api/commitments/current', headers: s.headers })).statusCode, 404)
  const fresh = await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload: body() })
  t.equal(fresh.statusCode, 201, 'a forfeited commitment leaves room for a new one')
})
