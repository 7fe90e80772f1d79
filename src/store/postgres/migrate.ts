// Brings a PostgreSQL database to the schema this code expects, with node-pg-migrate: the SQL files
// in ./migrations, applied in one transaction under the tool's advisory lock (in `wait` mode, so
// two instances starting together take turns instead of racing or failing). A database that has
// migrations this code does not know is newer than the code: start-up refuses, as it refuses a
// user file from a newer version, rather than run against tables it does not understand.
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { runner } from 'node-pg-migrate'

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
const MIGRATIONS_TABLE = 'pgmigrations'

/** The store cannot be opened: start-up prints the message as one line and exits. */
export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError'
}

/** The migration names this code ships, oldest first. */
export async function knownMigrations (): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter(f => f.endsWith('.sql')).map(f => f.slice(0, -'.sql'.length)).sort()
}

/**
 * Applies every migration not yet run; returns the names applied (none when up to date).
 * Throws DatabaseStartError when it cannot connect, or when the database is ahead of this code.
 */
export async function migrate (connectionString: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
  } catch (err) {
    const { hostname, port, pathname } = new URL(connectionString)
    const e = err as { code?: string, message?: string }
    // Never the password: the URL is shown without it.
    throw new DatabaseStartError(`Cannot connect to PostgreSQL at ${hostname}:${port || 5432}${pathname} (DATABASE_URL): ${e.code ?? e.message ?? String(err)}`)
  }
  try {
    await refuseNewerSchema(client)
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      singleTransaction: true,
      advisoryLockMode: 'wait',
      checkOrder: true,
      logger: { debug: () => {}, info: () => {}, warn: log, error: log }
    })
    return applied.map(m => m.name)
  } finally {
    await client.end()
  }
}

async function refuseNewerSchema (client: pg.Client): Promise<void> {
  const table = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [MIGRATIONS_TABLE])
  if (!table.rows[0].exists) return
  const known = new Set(await knownMigrations())
  const run = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY run_on, id`)
  const unknown = run.rows.map(r => r.name).filter(name => !known.has(name))
  if (unknown.length > 0) {
    throw new DatabaseStartError(`The database's schema is newer than this version of the service (it has migration ${unknown.join(', ')}); run the newer version or restore a matching backup.`)
  }
}
