// The PostgreSQL schema is brought up to date at start-up and by `npm run db:migrate`, under an
// advisory lock (instances starting together take turns), and a database from a newer release is
// refused in one line rather than used.
import t from 'tap'
import pg from 'pg'
import { migrate, knownMigrations } from '../../src/store/postgres/migrate.js'
import { privateDatabase } from '../helpers/postgres.js'
import { runToExit } from '../helpers/child-server.js'
import { tempDir } from '../helpers/build-app.js'

async function query (url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try { return (await client.query(sql, values)).rows } finally { await client.end() }
}

t.test('five migrations started together on an empty database: one applies the schema, the others find it done', async t => {
  const url = await privateDatabase(t)
  const results = await Promise.all(Array.from({ length: 5 }, () => migrate(url)))
  const applied = results.filter(r => r.length > 0)
  t.equal(applied.length, 1, 'exactly one run applied the migrations')
  t.same(applied[0], await knownMigrations())
  const run = await query(url, 'SELECT name FROM pgmigrations')
  t.same(run.map(r => r.name), await knownMigrations(), 'each migration recorded once')
  t.same(await migrate(url), [], 'a later start has nothing to do')
})

t.test('a database at a newer schema than the code: start-up refuses in one line', async t => {
  const url = await privateDatabase(t)
  await migrate(url)
  await query(url, "INSERT INTO pgmigrations (name, run_on) VALUES ('999_from_the_future', now())")
  await t.rejects(migrate(url), /schema is newer than this version of the service \(it has migration 999_from_the_future\)/)
  const result = await runToExit(await tempDir(t), { DATABASE_URL: url })
  t.equal(result.code, 1)
  t.match(result.output, /^The database's schema is newer than this version of the service \(it has migration 999_from_the_future\); run the newer version or restore a matching backup\.\n$/)
  t.same((await query(url, "SELECT count(*)::int AS n FROM pgmigrations")), [{ n: (await knownMigrations()).length + 1 }], 'nothing was changed')
})
