// The autopilot's settings and runs over HTTP; a change to the plan reschedules at once.
import t from 'tap'
import { build, register } from '../helpers/build-app.js'

t.test('settings: in-app only by default; an unconfirmed channel is refused naming what is missing', async t => {
  const app = await build(t, { env: { AUTOPILOT_ENABLED: 'false' } })
  const s = await register(app, 'pilot')
  const got = await app.inject({ url: '/api/me/autopilot', headers: s.headers })
  t.same(got.json(), { autopilot: { enabled: true, lead_minutes: 60, min_risk: 'medium', weekly_digest: true, channels: ['in_app'] } })
  const webhook = await app.inject({ method: 'PUT', url: '/api/me/autopilot', headers: s.headers, payload: { channels: ['in_app', 'webhook'] } })
  t.equal(webhook.statusCode, 409)
  t.match(webhook.json().message, /No webhook is set up: PUT \/api\/me\/channels with webhook_url first/)
  for (const payload of [{ lead_minutes: 0 }, { lead_minutes: 721 }, { min_risk: 'low' }, { channels: [] }, {}, { paused: true }]) {
    t.equal((await app.inject({ method: 'PUT', url: '/api/me/autopilot', headers: s.headers, payload })).statusCode, 400, JSON.stringify(payload))
  }
  const set = await app.inject({ method: 'PUT', url: '/api/me/autopilot', headers: s.headers, payload: { lead_minutes: 90, min_risk: 'high', weekly_digest: false } })
  t.equal(set.statusCode, 200)
  t.same(set.json().autopilot, { enabled: true, lead_minutes: 90, min_risk: 'high', weekly_digest: false, channels: ['in_app'] })
  t.same((await app.inject({ url: '/api/me/autopilot', headers: s.headers })).json().autopilot.lead_minutes, 90)
  t.same((await app.inject({ url: '/api/autopilot/runs?limit=5', headers: s.headers })).json(), { runs: [] })
  t.equal((await app.inject({ url: '/api/autopilot/runs?limit=0', headers: s.headers })).statusCode, 400)
})

t.test('a plan change reschedules the next checkpoint at once; runs are listed newest first', async t => {
  const app = await build(t, { env: { AUTOPILOT_ENABLED: 'false' } })
  const s = await register(app, 'moving', { timezone: 'UTC' })
  // Every day, a window starting two hours from now: the next checkpoint is an hour from now.
  const start = new Date(Date.now() + 2 * 3600_000)
  const hhmm = (d: Date) => d.toISOString().slice(11, 16)
  const end = new Date(start.getTime() + 3600_000)
  await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], sessions_per_week: 7, window_start: hhmm(start), window_end: hhmm(end) } })
  // The reschedule is not awaited by the write: tick at the expected check-in until it has run.
  const checkIn = start.getTime() - 3600_000
  let runs: Array<Record<string, any>> = []
  for (let i = 0; i < 50 && runs.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 20))
    await app.autopilot.tick(checkIn + 1000)
    runs = (await app.inject({ url: '/api/autopilot/runs', headers: s.headers })).json().runs
  }
  t.equal(runs.length, 1, 'the check-in ran once')
  t.match(runs[0], { checkpoint: 'before_session', decision: String, why: String, risk: { risk_level: String } })
  const lead = (start.getTime() - Date.parse(runs[0].scheduled_for)) / 60_000
  t.ok(Math.abs(lead - 60) < 1.01, `scheduled lead_minutes before the window (${lead.toFixed(1)} min)`)
  await app.autopilot.tick(checkIn + 2000)
  t.equal((await app.inject({ url: '/api/autopilot/runs', headers: s.headers })).json().runs.length, 1, 'and not again')
})
