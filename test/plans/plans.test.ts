// The plan, pauses and preferences over HTTP: defaults until set, versions by start date, rules
// that refuse impossible plans and dishonest pauses — and a refusal changes nothing.
import t from 'tap'
import { build, register } from '../helpers/build-app.js'

t.test('no plan stored: the defaults, from the day the account was created', async t => {
  const app = await build(t)
  const s = await register(app, 'pat', { timezone: 'Asia/Tokyo' })
  const res = await app.inject({ url: '/api/me/plan', headers: s.headers })
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    source: 'default',
    plan: { sessions_per_week: 4, weekdays: ['mon', 'wed', 'fri', 'sat'], window_start: '06:00', window_end: '07:30', min_minutes: 20, max_sessions_per_day: 1, end_date: null }
  })
  const createdLocal = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(s.user.created_at))
  t.equal(res.json().plan.start_date, createdLocal, 'starts on the local date of sign-up')
  t.same((await app.inject({ url: '/api/me/plan/history', headers: s.headers })).json(), { plans: [] })
})

t.test('a new plan applies from its start date; the history keeps every version', async t => {
  const app = await build(t)
  const s = await register(app, 'pat')
  const first = await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { sessions_per_week: 3, weekdays: ['tue', 'thu', 'sat'], start_date: '2026-01-05' } })
  t.equal(first.statusCode, 200)
  t.match(first.json(), { source: 'stored', plan: { sessions_per_week: 3, min_minutes: 20, start_date: '2026-01-05' } })
  // A version starting in the future does not apply yet.
  const future = await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { sessions_per_week: 2, weekdays: ['sat', 'sun'], start_date: '2099-01-01' } })
  t.equal(future.statusCode, 200)
  t.match((await app.inject({ url: '/api/me/plan', headers: s.headers })).json(), { source: 'stored', plan: { sessions_per_week: 3 } })
  const history = (await app.inject({ url: '/api/me/plan/history', headers: s.headers })).json()
  t.same(history.plans.map((p: { start_date: string }) => p.start_date), ['2026-01-05', '2099-01-01'])
})

t.test('impossible plans are refused with the field named, and nothing is stored', async t => {
  const app = await build(t)
  const s = await register(app, 'pat')
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ sessions_per_week: 0 }, /body\.sessions_per_week must be >= 1/],
    [{ sessions_per_week: 15 }, /body\.sessions_per_week must be <= 14/],
    [{ sessions_per_week: 5, weekdays: ['mon', 'tue'] }, /body\.sessions_per_week \(5\) cannot fit into 2 planned days × 1 session a day/],
    [{ weekdays: ['mon', 'mon'] }, /body\.weekdays must not list the same item twice/],
    [{ weekdays: ['monday'] }, /body\.weekdays\.0 must be one of: mon, tue/],
    [{ weekdays: [] }, /body\.weekdays must list at least 1 item$/],
    [{ window_start: '25:00' }, /body\.window_start must be a time of day, HH:MM/],
    [{ window_start: '07:00', window_end: '07:00' }, /body\.window_end must differ from body\.window_start/],
    [{ max_sessions_per_day: 4 }, /body\.max_sessions_per_day must be <= 3/],
    [{ start_date: '2026-02-30' }, /body\.start_date must be a local date \(YYYY-MM-DD\)/],
    [{ start_date: '2026-03-10', end_date: '2026-03-01' }, /body\.end_date must be on or after body\.start_date/],
    [{ sessions_per_week: '4' }, /body\.sessions_per_week must be an integer/],
    [{ colour: 'red' }, /body has unknown property 'colour'/]
  ]
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json().message, message)
  }
  t.same((await app.inject({ url: '/api/me/plan/history', headers: s.headers })).json(), { plans: [] }, 'none stored')
  // A window that crosses midnight is a real plan.
  const night = await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { window_start: '22:30', window_end: '00:30' } })
  t.equal(night.statusCode, 200)
})

t.test('pauses: local dates, at most 60 days, no overlaps, a reason when they start today or earlier', async t => {
  const app = await build(t)
  const s = await register(app, 'pat')
  const add = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/me/pauses', headers: s.headers, payload })
  const holiday = await add({ start_date: '2099-12-20', end_date: '2100-01-03' })
  t.equal(holiday.statusCode, 201)
  t.match(holiday.json().pause, { pause_id: /^p_[0-9a-f]{16}$/, start_date: '2099-12-20', end_date: '2100-01-03' })

  const overlapping = await add({ start_date: '2100-01-03', end_date: '2100-01-10' })
  t.equal(overlapping.statusCode, 409, 'sharing one day is an overlap')
  t.match(overlapping.json().message, new RegExp(holiday.json().pause.pause_id))
  t.equal((await add({ start_date: '2100-01-04', end_date: '2100-01-10' })).statusCode, 201, 'the next day is fine')

  t.match((await add({ start_date: '2099-01-01', end_date: '2099-03-02' })).json().message, /at most 60 days \(this one is 61\)/)
  t.match((await add({ start_date: '2099-01-10', end_date: '2099-01-01' })).json().message, /end_date must be on or after/)
  t.match((await add({ start_date: '2020-01-01', end_date: '2020-01-03' })).json().message, /reason is required for a pause that starts today or earlier/)
  t.match((await add({ start_date: '2020-01-01', end_date: '2020-01-03', reason: '   ' })).json().message, /reason is required/, 'a blank reason is no reason')
  const honest = await add({ start_date: '2020-01-01', end_date: '2020-01-03', reason: 'flu' })
  t.equal(honest.statusCode, 201)
  t.equal(honest.json().pause.reason, 'flu', 'the reason is recorded')

  const list = (await app.inject({ url: '/api/me/pauses', headers: s.headers })).json().pauses
  t.same(list.map((p: { start_date: string }) => p.start_date), ['2020-01-01', '2099-12-20', '2100-01-04'], 'by start date')

  const other = await register(app, 'mallory')
  const stolen = await app.inject({ method: 'DELETE', url: `/api/me/pauses/${holiday.json().pause.pause_id}`, headers: other.headers })
  t.equal(stolen.statusCode, 404, "another user's pause is not found")
  const deleted = await app.inject({ method: 'DELETE', url: `/api/me/pauses/${holiday.json().pause.pause_id}`, headers: s.headers })
  t.equal(deleted.statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/me/pauses/${holiday.json().pause.pause_id}`, headers: s.headers })).statusCode, 404, 'only once')
  t.equal((await app.inject({ url: '/api/me/pauses', headers: s.headers })).json().pauses.length, 2)
})

t.test('preferences: financial and social off until chosen; a change touches only what was sent', async t => {
  const app = await build(t)
  const s = await register(app, 'pat')
  t.same((await app.inject({ url: '/api/me/preferences', headers: s.headers })).json(),
    { interventions: { calendar: true, message: true, financial: false, social: false } })
  const on = await app.inject({ method: 'PUT', url: '/api/me/preferences', headers: s.headers, payload: { interventions: { financial: true } } })
  t.same(on.json(), { interventions: { calendar: true, message: true, financial: true, social: false } })
  const off = await app.inject({ method: 'PUT', url: '/api/me/preferences', headers: s.headers, payload: { interventions: { calendar: false } } })
  t.same(off.json(), { interventions: { calendar: false, message: true, financial: true, social: false } })
  for (const payload of [{ interventions: {} }, { interventions: { sms: true } }, { interventions: { financial: 'yes' } }, {}]) {
    t.equal((await app.inject({ method: 'PUT', url: '/api/me/preferences', headers: s.headers, payload })).statusCode, 400, JSON.stringify(payload))
  }
  t.same((await app.inject({ url: '/api/me/preferences', headers: s.headers })).json(), off.json(), 'refusals changed nothing')
  const exported = (await app.inject({ url: '/api/me/export', headers: s.headers })).json()
  t.same(exported.preferences, off.json(), 'in the export')
})
