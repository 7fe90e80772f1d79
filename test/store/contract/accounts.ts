// AccountStore: create, find, update, and the username rule. Deleting an account (everything goes,
// the username comes free) is in export-and-delete.ts, where every kind of record exists to go.
import type { Test } from 'tap'
import { USERNAME_PATTERN } from '../../../src/accounts/account-schemas.js'
import { account, at, givenAccount, Refused, username } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function accountContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'accounts')

  clause('a created account is found by id and by username, as given', async t => {
    const repo = await open(t)
    const created = account({ resolution: 'Run a half marathon' })
    t.equal(await repo.createAccount(created), true)
    t.same(await repo.getAccount(created.id), created)
    t.same(await repo.findAccountByUsername(created.username), created)
  })

  clause('a taken username is refused (false) and the holder keeps it', async t => {
    const repo = await open(t)
    const first = await givenAccount(repo)
    const second = account({ username: first.username })
    t.equal(await repo.createAccount(second), false)
    t.equal(await repo.getAccount(second.id), null, 'the refused account was not created')
    t.same(await repo.findAccountByUsername(first.username), first)
  })

  clause('two concurrent registrations of one username: exactly one gets it', async t => {
    const repo = await open(t)
    const name = username('race')
    const a = account({ username: name })
    const b = account({ username: name })
    const results = await Promise.all([repo.createAccount(a), repo.createAccount(b)])
    t.same(results.filter(Boolean).length, 1, `results ${JSON.stringify(results)}`)
    const winner = results[0] ? a : b
    const loser = results[0] ? b : a
    t.same(await repo.findAccountByUsername(name), winner)
    t.equal(await repo.getAccount(loser.id), null)
  })

  // The store does no case folding or trimming: USERNAME_PATTERN admits lowercase names only, the
  // API validates against it, and a login with any other text simply finds nobody (never throws:
  // POST /api/auth/login passes whatever was typed).
  clause('usernames match exactly; a name outside USERNAME_PATTERN finds nobody', async t => {
    const repo = await open(t)
    const holder = await givenAccount(repo, { username: username('case') })
    t.ok(USERNAME_PATTERN.test(holder.username))
    for (const other of [holder.username.toUpperCase(), ` ${holder.username}`, `${holder.username} `, 'ab', 'x'.repeat(33), 'bad name', '', '../etc', holder.username.slice(0, -1)]) {
      t.equal(await repo.findAccountByUsername(other), null, JSON.stringify(other))
    }
    t.same(await repo.findAccountByUsername(holder.username), holder, 'the exact name still works')
  })

  clause('updateAccount applies the change, returns the account and later reads see it', async t => {
    const repo = await open(t)
    const created = await givenAccount(repo)
    const updated = await repo.updateAccount(created.id, a => {
      a.timezone = 'America/New_York'
      a.resolution = 'Swim twice a week'
      a.updated_at = at(5)
    })
    const expected = { ...created, timezone: 'America/New_York', resolution: 'Swim twice a week', updated_at: at(5) }
    t.same(updated, expected)
    t.same(await repo.getAccount(created.id), expected)
    t.same(await repo.findAccountByUsername(created.username), expected)
  })

  clause('updateAccount: a change sees the current account (a later change builds on an earlier one)', async t => {
    const repo = await open(t)
    const created = await givenAccount(repo)
    await repo.updateAccount(created.id, a => { a.password_hash = 'hash-2' })
    // authenticate() re-hashes only if the hash is still the one it verified.
    let seen: string | undefined
    await repo.updateAccount(created.id, a => { seen = a.password_hash; if (a.password_hash === created.password_hash) a.password_hash = 'stale' })
    t.equal(seen, 'hash-2')
    t.equal((await repo.getAccount(created.id))?.password_hash, 'hash-2')
  })

  clause('updateAccount: a change that throws (even halfway) changes nothing, and the error reaches the caller', async t => {
    const repo = await open(t)
    const created = await givenAccount(repo)
    const err = new Refused()
    await t.rejects(repo.updateAccount(created.id, a => {
      a.timezone = 'Asia/Tokyo' // mutated before the refusal: must not stick
      throw err
    }), err)
    t.same(await repo.getAccount(created.id), created)
    // …and the store still takes writes afterwards.
    t.same(await repo.updateAccount(created.id, a => { a.resolution = 'after' }), { ...created, resolution: 'after' })
  })

  clause('concurrent updateAccount calls all land (none overwrites another)', async t => {
    const repo = await open(t)
    const created = await givenAccount(repo, { resolution: '' })
    await Promise.all(Array.from({ length: 10 }, (_, i) => repo.updateAccount(created.id, a => { a.resolution = `${a.resolution ?? ''}${i},` })))
    const parts = (await repo.getAccount(created.id))?.resolution?.split(',').filter(Boolean).map(Number).sort((x, y) => x - y)
    t.same(parts, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
}
