// A private PostgreSQL database per test file: created with a random name on the machine's server
// (TEST_DATABASE_ADMIN_URL, default the local one with trust auth) and dropped afterwards, so tests
// never see each other's rows. For tests that stop the server, privatePostgresCluster() starts a
// whole cluster of its own (initdb + pg_ctl on a free port), as the Redis helper does.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

type Test = { teardown: (fn: () => unknown) => void }

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** the URL of `database` on the server `adminUrl` points at */
export function databaseUrl (adminUrl: string, database: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<R> (adminUrl: string, fn: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database with a random name; dropped (connections and all) at teardown. */
export async function privateDatabase (t: Test, adminUrl = ADMIN_URL): Promise<string> {
  const name = `ra_test_${randomBytes(6).toString('hex')}`
  await admin(adminUrl, client => client.query(`CREATE DATABASE ${name}`))
  t.teardown(() => admin(adminUrl, client => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
  return databaseUrl(adminUrl, name)
}

/** Every row anywhere in the database that belongs to `userId`, counted per table (none: {}). */
export async function rowsOfUser (url: string, userId: string): Promise<Record<string, number>> {
  return admin(url, async client => {
    const tables = await client.query<{ table_name: string, column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND (column_name = 'user_id' OR (table_name = 'accounts' AND column_name = 'id'))")
    const found: Record<string, number> = {}
    for (const { table_name: table, column_name: column } of tables.rows) {
      const { rows: [{ n }] } = await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [userId])
      if (n > 0) found[table] = n
    }
    return found
  })
}
