// The calendar over HTTP: import (ICS or JSON) replaces the previous one, a bad file changes
// nothing, and the analysis puts the plan's sessions against the busy time — the same analysis the
// coach's analyzeCalendar tool reads.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { once } from 'node:events'
import t from 'tap'
import { addDays, localDate } from '../../src/shared/local-time.js'
import { build, register } from '../helpers/build-app.js'
import { parseCalendar } from '../../src/calendar/parse-calendar.js'
import { tokenDigest } from '../../src/calendar/feed-token.js'
import { refreshSubscription } from '../../src/calendar/calendars.js'

const ICS = readFile(new URL('./fixtures/work-calendar.ics', import.meta.url), 'utf8')

t.test('import: ICS or JSON, replacing the previous one; bad input is refused and changes nothing', async t => {
  const app = await build(t)
  const s = await register(app, 'cal', { timezone: 'Europe/Berlin' })
  const ics = await app.inject({ method: 'POST', url: '/api/calendar/import', headers: { ...s.headers, 'content-type': 'text/calendar' }, payload: await ICS })
  t.equal(ics.statusCode, 200)
  t.match(ics.json(), { imported: { source: 'ics', events: Number, occurrences: Number, truncated: false } })
  t.ok(ics.json().imported.occurrences > 0)

  const refusals: Array<[Record<string, string>, string | object, number, RegExp]> = [
    [{ 'content-type': 'text/calendar' }, 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Standup\nEND:VEVENT\nEND:VCALENDAR', 400, /event 1 \("Standup"\): DTSTART is missing/],
    [{ 'content-type': 'text/calendar' }, 'not a calendar at all', 400, /./],
    [{ 'content-type': 'application/xml' }, '<calendar/>', 415, /Content-Type/],
    [{}, { events: [{ summary: 'Backwards', start: '2026-01-02T10:00:00Z', end: '2026-01-02T09:00:00Z' }] }, 400, /end must be after start/],
    [{}, { events: [{ summary: 'x', start: '2026-01-02T10:00:00Z', end: '2026-01-02T11:00:00Z', colour: 'red' }] }, 400, /unknown property 'colour'/],
    [{ 'content-type': 'text/calendar' }, 'X'.repeat(2 * 1024 * 1024 + 1), 413, /./]
  ]
  for (const [headers, payload, status, message] of refusals) {
    const res = await app.inject({ method: 'POST', url: '/api/calendar/import', headers: { ...s.headers, ...headers }, payload })
    t.equal(res.statusCode, status, `${status}: ${JSON.stringify(payload).slice(0, 40)}`)
    t.match(res.json().message, message)
  }
  const kept = (await app.inject({ url: '/api/calendar/analysis', headers: s.headers })).json()
  t.match(kept.calendar, { source: 'ics', events: ics.json().imported.events }, 'the good import is still there')

  const json = await app.inject({ method: 'POST', url: '/api/calendar/import', headers: s.headers, payload: { events: [{ summary: 'Offsite', start: '2026-12-01', end: '2026-12-03', all_day: true }] } })
  t.same(json.json(), { imported: { source: 'json', events: 1, occurrences: 1, truncated: false } }, 'a new import replaces the old')

  t.equal((await app.inject({ method: 'DELETE', url: '/api/calendar', headers: s.headers })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/calendar', headers: s.headers })).statusCode, 404, 'nothing left to remove')
  t.equal((await app.inject({ url: '/api/calendar/analysis', headers: s.headers })).json().calendar, null)
})

t.test('analysis: a meeting in the window is a conflict, the rest of the window a free slot; the next session is at risk', async t => {
  const app = await build(t)
  const s = await register(app, 'cal', { timezone: 'UTC' })
  const today = localDate(new Date(), 'UTC')
  // Every day planned, 18:00–19:30 UTC, from a week ago.
  await app.inject({ method: 'PUT', url: '/api/me/plan', headers: s.headers, payload: { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], window_start: '18:00', window_end: '19:30', start_date: addDays(today, -7) } })
  const tomorrow = addDays(today, 1)
  await app.inject({ method: 'POST', url: '/api/calendar/import', headers: s.headers, payload: { events: [{ summary: 'Parents evening', start: `${tomorrow}T18:30:00Z`, end: `${tomorrow}T19:00:00Z` }] } })

  const res = await app.inject({ url: '/api/calendar/analysis?days_back=3&days_ahead=2', headers: s.headers })
  t.equal(res.statusCode, 200)
  const a = res.json()
  t.same(a.sessions.map((x: { date: string }) => x.date), [-3, -2, -1, 0, 1, 2].map(d => addDays(today, d)), 'days_back to days_ahead')
  t.same(a.conflicts, [{ session: a.sessions.find((x: { date: string }) => x.date === tomorrow), event: { summary: 'Parents evening', start: `${tomorrow}T18:30:00.000Z`, end: `${tomorrow}T19:00:00.000Z` } }])
  const slotsTomorrow = a.free_slots.filter((slot: { start: string }) => slot.start.startsWith(tomorrow))
  t.same(slotsTomorrow, [
    { start: `${tomorrow}T18:00:00.000Z`, end: `${tomorrow}T18:30:00.000Z` },
    { start: `${tomorrow}T19:00:00.000Z`, end: `${tomorrow}T19:30:00.000Z` }
  ], 'around the meeting, each at least the 20-minute minimum')
  t.ok(a.free_slots.every((slot: { end: string }) => Date.parse(slot.end) > Date.now()), 'no slot in the past')
  const next = a.next_session
  if (next.date === tomorrow) t.match(next, { at_risk: true, reasons: [/clashes with "Parents evening"/] })
  else t.match(next, { date: today, at_risk: false }, 'today is still ahead')

  // The coach's tool reads the same analysis.
  const call = { id: 'c1', type: 'function' as const, function: { name: 'analyzeCalendar', arguments: '{"days_ahead":2}' } }
  const tool = await app.agentTools.execute(call, { repo: app.repo, userId: s.user.id, now: new Date(), recordReasoning: () => {} })
  t.equal(tool.ok, true)
  t.match(JSON.parse(tool.content), { calendar_imported: true, conflicts: [{ date: tomorrow, event: 'Parents evening' }] })

  for (const query of ['days_back=91', 'days_ahead=0', 'days_ahead=31']) {
    t.equal((await app.inject({ url: `/api/calendar/analysis?${query}`, headers: s.headers })).statusCode, 400, query)
  }
})

t.test('the feed: a secret address that rotates, serves the planned sessions with an ETag, never leaks', async t => {
  const lines: string[] = []
  const app = await build(t, { logLines: lines, env: { RATE_LIMIT_FEED_MAX: '3', PUBLIC_BASE_URL: 'https://autopilot.example.com/' } })
  const s = await register(app, 'feedy', { timezone: 'Europe/Berlin' })
  const made = await app.inject({ method: 'POST', url: '/api/me/calendar-token', headers: s.headers })
  t.equal(made.statusCode, 200)
  const { token, url } = made.json()
  t.match(token, /^[A-Za-z0-9_-]{32}$/)
  t.equal(url, `https://autopilot.example.com/api/calendar.ics?token=${token}`, 'the address people reach, from PUBLIC_BASE_URL')

  const feed = await app.inject({ url: `/api/calendar.ics?token=${token}` })
  t.equal(feed.statusCode, 200, 'no session needed: the token is the credential')
  t.match(feed.headers['content-type'], /^text\/calendar/)
  t.equal(feed.headers['cache-control'], 'private, no-cache')
  const parsed = parseCalendar(feed.body, { timeZone: 'UTC', from: new Date(Date.now() - 30 * 86_400_000), until: new Date(Date.now() + 90 * 86_400_000) })
  const planned = (await app.inject({ url: '/api/calendar/analysis?days_back=0&days_ahead=30', headers: s.headers })).json().sessions
  for (const session of planned) {
    t.ok(parsed.occurrences.some(o => o.start === session.start && o.end === session.end), `the feed holds ${session.date}'s session`)
  }
  const again = await app.inject({ url: `/api/calendar.ics?token=${token}`, headers: { 'if-none-match': String(feed.headers.etag) } })
  t.equal(again.statusCode, 304, 'unchanged: 304 to the same ETag')

  t.equal((await app.inject({ url: `/api/calendar.ics?token=${token}` })).statusCode, 200, 'a third poll')
  const limited = await app.inject({ url: `/api/calendar.ics?token=${token}` })
  t.equal(limited.statusCode, 429, 'three polls an hour for this test')
  t.equal(limited.json().limit, 'feed')

  const rotated = (await app.inject({ method: 'POST', url: '/api/me/calendar-token', headers: s.headers })).json()
  t.equal((await app.inject({ url: `/api/calendar.ics?token=${rotated.token}` })).statusCode, 200, 'a new token has its own count')
  // The old token is no more (its poll count is spent too, so the store is asked rather than the route).
  t.equal(await app.repo.findUserByCalendarToken(tokenDigest(token)), null, 'the old token stopped working')
  t.equal((await app.inject({ url: '/api/calendar.ics?token=not-a-real-token' })).statusCode, 404)

  const exported = (await app.inject({ url: '/api/me/export', headers: s.headers })).body
  t.notMatch(exported, rotated.token)
  t.notMatch(exported, /calendar_token/, 'not even its digest is exported')
  t.notOk(lines.some(line => line.includes(token) || line.includes(rotated.token)), 'no log line holds a token')
})

t.test('behind a proxy in production without PUBLIC_BASE_URL the feed address cannot be made', async t => {
  const app = await build(t, { env: { NODE_ENV: 'production', TRUST_PROXY: 'true', PASSWORD_HASH_MEMORY_KIB: '19456' } })
  const s = await register(app, 'feedy')
  const res = await app.inject({ method: 'POST', url: '/api/me/calendar-token', headers: s.headers })
  t.equal(res.statusCode, 503)
  t.match(res.json().message, /PUBLIC_BASE_URL/)
})

t.test('subscription by URL: fetched now and on refresh; private addresses refused unless allowed', async t => {
  let body = await ICS
  let status = 200
  const server = createServer((_req, res) => { res.writeHead(status, { 'content-type': 'text/calendar' }); res.end(body) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/secret/basic.ics`

  // By default a loopback address is refused, and nothing changes.
  const guarded = await build(t)
  const g = await register(guarded, 'guarded')
  const refused = await guarded.inject({ method: 'POST', url: '/api/calendar/subscription', headers: g.headers, payload: { url } })
  t.equal(refused.statusCode, 400)
  t.match(refused.json().message, /body\.url: .*private, loopback/)
  t.equal((await guarded.inject({ url: '/api/calendar/analysis', headers: g.headers })).json().calendar, null)

  const app = await build(t, { env: { ALLOW_PRIVATE_WEBHOOKS: 'true' } })
  const s = await register(app, 'subscriber', { timezone: 'Europe/Berlin' })
  const subscribed = await app.inject({ method: 'POST', url: '/api/calendar/subscription', headers: s.headers, payload: { url } })
  t.equal(subscribed.statusCode, 200)
  t.match(subscribed.json(), { imported: { source: 'url', events: Number, occurrences: Number } })
  const stored = await app.repo.getCalendar(s.user.id)
  t.equal(stored?.subscription?.url, url)
  t.same((await app.repo.listCalendarSubscriptions()).map(x => x.userId), [s.user.id], 'listed for the periodic refresh')

  // A refresh picks up the new contents; a failing one keeps the last good copy and says why.
  body = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:one@t\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20270105T070000Z\r\nDTEND:20270105T080000Z\r\nSUMMARY:Only one\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
  t.equal(await refreshSubscription(app.repo, app.outbound, s.user.id), true)
  t.equal((await app.repo.getCalendar(s.user.id))?.events, 1)
  status = 500
  t.equal(await refreshSubscription(app.repo, app.outbound, s.user.id), false)
  const kept = await app.repo.getCalendar(s.user.id)
  t.equal(kept?.events, 1, 'the last good copy is kept')
  t.match(kept?.subscription?.last_error, /answered 500/)

  const bad = await app.inject({ method: 'POST', url: '/api/calendar/subscription', headers: s.headers, payload: { url: `${url}?x` } })
  t.equal(bad.statusCode, 502, 'an address that fails is an upstream failure')
  t.match(bad.json().message, /could not be fetched: the address answered 500/)
  t.equal((await app.inject({ method: 'POST', url: '/api/calendar/subscription', headers: s.headers, payload: { url: 'ftp://example.com/x.ics' } })).statusCode, 400)
})
