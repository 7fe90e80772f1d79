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

t.test('with a model configured, it re-phrases the written message; a failing model changes nothing but the words', async t => {
  const { startStubLlm } = await import('../helpers/stub-llm.js')
  const stub = await startStubLlm(t)
  const app = await build(t, { env: { AUTOPILOT_ENABLED: 'false', LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', LLM_BASE_URL: stub.url, LLM_MODEL: 'stub' } })
  const hhmm = (d: Date) => d.toISOString().slice(11, 16)
  const start = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 60_000) * 60_000)
  const checkIn = start.getTime() - 3600_000
  const messages: string[] = []
  for (const [name, reply] of [['worded', { text: 'Standup at your gym time today — slip in a session before it?' }], ['fallback', { status: 500, error: 'down' }]] as const) {
    const s = await register(app, name, { timezone: 'UTC' })
    await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], sessions_per_week: 7, window_start: hhmm(start), window_end: hhmm(new Date(start.getTime() + 3600_000)) } })
    // A clash makes the session at risk whatever the drift engine says of a new account.
    await app.inject({ method: 'POST', url: '/api/calendar/import', headers: s.headers, payload: { events: [{ summary: 'Standup', start: start.toISOString(), end: new Date(start.getTime() + 1800_000).toISOString() }] } })
    stub.push(reply)
    let runs: Array<Record<string, any>> = []
    for (let i = 0; i < 50 && runs.length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 20))
      await app.autopilot.tick(checkIn + 1000)
      runs = (await app.inject({ url: '/api/autopilot/runs', headers: s.headers })).json().runs
    }
    t.match(runs[0], { decision: 'acted' }, name)
    messages.push((await app.inject({ url: '/api/nudges', headers: s.headers })).json().nudges[0].message)
  }
  t.equal(messages[0], 'Standup at your gym time today — slip in a session before it?', 'the model\'s words')
  t.match(messages[1], /^Your \d\d:\d\d session clashes with 'Standup'\./, 'the written message when the model fails')
  const request = stub.requests[0].body
  t.same(request.tools ?? [], [], 'no tools offered: it can only word the message')
  t.ok((request.max_tokens ?? 0) <= 200, 'a small token budget')
  t.notMatch(JSON.stringify(request.messages), /fallback/, 'only this person\'s facts')
})
