// Bugs the route fuzzer (fuzz.test.ts) found, each pinned by the request that showed it.
import t from 'tap'
import { build, register } from '../helpers/build-app.js'

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
const COMMITMENT = { stake_amount: 5000, currency: 'EUR', weeks: 4, milestones: 2, recipient_on_failure: 'charity' }

t.test('a commitment\'s end_date cannot be moved centuries ahead (each request then took seconds, blocking every user)', async t => {
  const app = await build(t)
  const s = await register(app, 'far_end')
  t.equal((await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { sessions_per_week: 3, weekdays: ['mon', 'wed', 'fri'], window_start: '07:00', window_end: '09:00', min_minutes: 20 } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/commitments', headers: s.headers, payload: COMMITMENT })).statusCode, 201)

  const started = performance.now()
  const far = await app.inject({ method: 'PATCH', url: '/api/commitments/current', headers: s.headers, payload: { end_date: '9999-12-31' } })
  t.equal(far.statusCode, 400, far.body)
  t.match(far.json(), { statusCode: 400, error: 'Bad Request', message: /end_date/ })
  const current = await app.inject({ url: '/api/commitments/current', headers: s.headers })
  t.equal(current.statusCode, 200)
  t.ok(performance.now() - started < 2000, 'answered at once')

  // still movable within a commitment's longest span (52 weeks from its start)
  const later = await app.inject({ method: 'PATCH', url: '/api/commitments/current', headers: s.headers, payload: { end_date: day(300) } })
  t.equal(later.statusCode, 200, later.body)
  const tooLate = await app.inject({ method: 'PATCH', url: '/api/commitments/current', headers: s.headers, payload: { end_date: day(365) } })
  t.equal(tooLate.statusCode, 400, tooLate.body)
})

t.test('the calendar feed is documented as the text/calendar it is (the document said application/json)', async t => {
  const app = await build(t)
  const s = await register(app, 'feed_reader')
  const doc = (await app.inject({ url: '/documentation/json' })).json()
  t.same(Object.keys(doc.paths['/api/calendar.ics'].get.responses['200'].content), ['text/calendar'])
  const { token } = (await app.inject({ method: 'POST', url: '/api/me/calendar-token', headers: s.headers })).json()
  const feed = await app.inject({ url: `/api/calendar.ics?token=${encodeURIComponent(token)}` })
  t.equal(feed.statusCode, 200)
  t.match(feed.headers['content-type'], /^text\/calendar/)
  t.match(feed.body, /^BEGIN:VCALENDAR\r\n/, 'the calendar itself, not a JSON string')
})

t.test('an exercise_type named like an Object property ("constructor", "__proto__"…) is counted like any other (it made every later log and history a 500)', async t => {
  const app = await build(t)
  const s = await register(app, 'proto_types')
  const types = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'running']
  for (const type of types) {
    const res = await app.inject({ method: 'POST', url: '/api/workout/log', headers: s.headers, payload: { exercise_type: type, duration_minutes: 30 } })
    t.equal(res.statusCode, 201, `${type}: ${res.body.slice(0, 200)}`)
  }
  const history = await app.inject({ url: '/api/workout/history?days_back=30', headers: s.headers })
  t.equal(history.statusCode, 200, history.body.slice(0, 200))
  const breakdown = history.json().stats.exercise_breakdown
  t.same(Object.keys(breakdown).sort(), types.map(type => type.toLowerCase()).sort(), 'exercise types are kept lower-case')
  t.ok(Object.values(breakdown).every(n => n === 1), JSON.stringify(breakdown))
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})
