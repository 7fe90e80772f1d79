// The PostgreSQL store sends BEGIN and the person's row lock in one round trip — two statements in
// the simple protocol, which takes no parameters, so the user id travels as an escaped literal.
// Whatever an id holds (quotes, backslashes, SQL), it is only ever an id.
import t from 'tap'
import { openTestStore } from '../helpers/test-store.js'

process.env.TEST_STORE = 'postgres'

t.test('user ids with quotes, backslashes and SQL in them are only ids', async t => {
  const repo = await openTestStore(t)
  const at = new Date().toISOString()
  const odd = "u_o'brien\\'; DROP TABLE accounts; --"
  t.equal(await repo.createAccount({ id: odd, username: 'obrien', password_hash: 'x', timezone: 'UTC', resolution: null, created_at: at, updated_at: at }), true)
  const changed = await repo.updateAccount(odd, a => { a.resolution = 'run' })
  t.equal(changed?.resolution, 'run', 'its own row was locked and changed')
  t.equal(await repo.updateAccount("nobody' OR '1'='1", a => { a.resolution = 'hacked' }), null, 'an id that matches nobody changes nobody')
  t.equal((await repo.getAccount(odd))?.resolution, 'run')
  t.equal(await repo.addPlan("x'); DELETE FROM accounts; --", { sessions_per_week: 3, weekdays: ['mon'], window_start: '07:00', window_end: '08:00', min_minutes: 20, max_sessions_per_day: 1, start_date: '2026-01-01', end_date: null, created_at: at }), false)
  t.ok(await repo.findAccountByUsername('obrien'), 'the table is intact')
})
