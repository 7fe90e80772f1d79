// CalendarStore: one imported calendar per person (replaced whole), its feed token (only the
// current digest works), and the list of URL subscriptions the periodic refresh walks.
import type { Test } from 'tap'
import { at, calendar, givenAccount, subscribedCalendar, tokenDigest } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function calendarContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'calendar')

  clause('setCalendar then getCalendar returns it as given; deleteCalendar removes it (false the second time)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.equal(await repo.getCalendar(id), null)
    t.equal(await repo.deleteCalendar(id), false, 'nothing imported yet')
    const cal = calendar({ truncated: true })
    await repo.setCalendar(id, cal)
    t.same(await repo.getCalendar(id), cal)
    t.equal(await repo.deleteCalendar(id), true)
    t.equal(await repo.getCalendar(id), null)
    t.equal(await repo.deleteCalendar(id), false)
  })

  clause('setCalendar replaces the calendar whole: fields the new one lacks are gone', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    await repo.setCalendar(id, subscribedCalendar())
    // The person replaces their URL subscription by uploading a file (importCalendar writes no
    // `subscription` then): the refresh must stop, or it would overwrite the upload with the URL's.
    const upload = calendar({ source: 'ics', events: 1, occurrences: [] })
    await repo.setCalendar(id, upload)
    t.same(await repo.getCalendar(id), upload)
    t.same(await repo.listCalendarSubscriptions(), [], 'no subscription left to refresh')
  })

  clause('a failed refresh records last_error; the next good one clears it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const cal = subscribedCalendar()
    await repo.setCalendar(id, cal)
    const failed = { ...cal, subscription: { ...cal.subscription!, refreshed_at: at(60), last_error: 'HTTP 404' } }
    await repo.setCalendar(id, failed)
    t.same(await repo.getCalendar(id), failed)
    const good = { ...cal, imported_at: at(120), subscription: { url: cal.subscription!.url, refreshed_at: at(120) } }
    await repo.setCalendar(id, good)
    t.same(await repo.getCalendar(id), good)
  })

  clause('listCalendarSubscriptions lists every user with a subscription, and only them', async t => {
    const repo = await open(t)
    const subscribed = await givenAccount(repo)
    const uploaded = await givenAccount(repo)
    const another = await givenAccount(repo)
    await givenAccount(repo) // no calendar at all
    const a = subscribedCalendar()
    const b = subscribedCalendar()
    await repo.setCalendar(subscribed.id, a)
    await repo.setCalendar(uploaded.id, calendar())
    await repo.setCalendar(another.id, b)
    const listed = (await repo.listCalendarSubscriptions()).sort((x, y) => x.userId < y.userId ? -1 : 1)
    const expected = [{ userId: subscribed.id, subscription: a.subscription }, { userId: another.id, subscription: b.subscription }]
      .sort((x, y) => x.userId < y.userId ? -1 : 1)
    t.same(listed, expected)
    await repo.deleteCalendar(another.id)
    t.same(await repo.listCalendarSubscriptions(), [{ userId: subscribed.id, subscription: a.subscription }])
  })

  clause('the calendar token: the current digest finds its user; a rotated one stops working at once', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const other = await givenAccount(repo)
    const first = tokenDigest()
    const second = tokenDigest()
    t.equal(await repo.findUserByCalendarToken(first), null, 'not set yet')
    t.equal(await repo.setCalendarToken(id, first), true)
    t.equal(await repo.findUserByCalendarToken(first), id)
    t.equal(await repo.setCalendarToken(id, second), true)
    t.equal(await repo.findUserByCalendarToken(first), null, 'the old token is dead')
    t.equal(await repo.findUserByCalendarToken(second), id)
    const others = tokenDigest()
    t.equal(await repo.setCalendarToken(other.id, others), true)
    t.equal(await repo.findUserByCalendarToken(others), other.id)
    t.equal(await repo.findUserByCalendarToken(second), id, 'each user has their own')
    t.equal((await repo.exportUser(id))?.calendar_token_digest, second, 'the store keeps the digest (the export strips it later)')
  })

  clause('findUserByCalendarToken of text that is no digest finds nobody (and does not throw)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const digest = tokenDigest()
    await repo.setCalendarToken(id, digest)
    for (const probe of ['', 'abc', digest.toUpperCase(), `${digest}0`, '../../etc/passwd', 'x'.repeat(64)]) {
      t.equal(await repo.findUserByCalendarToken(probe), null, JSON.stringify(probe))
    }
  })

  clause('calendars are per user', async t => {
    const repo = await open(t)
    const a = await givenAccount(repo)
    const b = await givenAccount(repo)
    const cal = calendar()
    await repo.setCalendar(a.id, cal)
    t.equal(await repo.getCalendar(b.id), null)
    t.equal(await repo.deleteCalendar(b.id), false)
    t.same(await repo.getCalendar(a.id), cal)
  })
}
