// ChannelStore: a person's channels (over the defaults until set) and their buddy. A `change`
// refuses by throwing, and then nothing is stored — the caller's error reaches them unchanged.
import type { Test } from 'tap'
import { emptyChannels, type StoredBuddy, type StoredChannels } from '../../../src/nudges/channel-schemas.js'
import { buddy, channels, givenAccount, Refused } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function channelContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'channels')

  clause('channels: null until set; the first change starts from the defaults; its result is returned', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.equal(await repo.getChannels(id), null)
    const wanted = channels()
    let seen: StoredChannels | undefined
    const result = await repo.updateChannels(id, current => {
      seen = structuredClone(current)
      Object.assign(current, structuredClone(wanted))
      return { secret: wanted.webhook?.secret }
    })
    t.same(seen, emptyChannels())
    t.same(result, { secret: wanted.webhook?.secret })
    t.same(await repo.getChannels(id), wanted)
    await repo.updateChannels(id, current => { seen = structuredClone(current); current.daily_cap = 5; current.email = null })
    t.same(seen, wanted, 'a later change starts from what is stored')
    t.same(await repo.getChannels(id), { ...wanted, daily_cap: 5, email: null })
  })

  clause('updateChannels: a change that throws (after mutating) stores nothing and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const err = new Refused()
    await t.rejects(repo.updateChannels(id, current => { current.daily_cap = 9; throw err }), err)
    t.equal(await repo.getChannels(id), null, 'still the defaults')
    const stored = channels()
    await repo.updateChannels(id, current => { Object.assign(current, structuredClone(stored)) })
    await t.rejects(repo.updateChannels(id, current => { current.webhook = null; current.daily_cap = 0; throw err }), err)
    t.same(await repo.getChannels(id), stored)
  })

  clause('concurrent updateChannels calls all land', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    await Promise.all(Array.from({ length: 5 }, () => repo.updateChannels(id, c => { c.daily_cap += 1 })))
    t.equal((await repo.getChannels(id))?.daily_cap, emptyChannels().daily_cap + 5)
  })

  clause('buddy: set, read, replaced and removed through updateBuddy, whose result is returned', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.equal(await repo.getBuddy(id), null)
    const first = buddy()
    let seen: StoredBuddy | null | undefined
    t.equal(await repo.updateBuddy(id, current => { seen = current; return { buddy: first, result: 'invited' } }), 'invited')
    t.equal(seen, null)
    t.same(await repo.getBuddy(id), first)
    const confirmed = { ...first, status: 'confirmed' as const, confirmed_at: first.invited_at, webhook: { url: 'https://buddy.example.com/hook', secret: 's3cret' } }
    t.same(await repo.updateBuddy(id, current => { seen = structuredClone(current); return { buddy: confirmed, result: { ok: true } } }), { ok: true })
    t.same(seen, first)
    t.same(await repo.getBuddy(id), confirmed)
    t.equal(await repo.updateBuddy(id, () => ({ buddy: null, result: 'removed' })), 'removed')
    t.equal(await repo.getBuddy(id), null)
  })

  clause('updateBuddy: a change that throws stores nothing and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const stored = buddy()
    await repo.updateBuddy(id, () => ({ buddy: stored, result: null }))
    const err = new Refused()
    await t.rejects(repo.updateBuddy(id, current => { if (current) current.name = 'Changed'; throw err }), err)
    t.same(await repo.getBuddy(id), stored)
  })
}
