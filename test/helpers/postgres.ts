// A private PostgreSQL database per test file: created with a random name on the machine's server
// (TEST_DATABASE_ADMIN_URL, default the local one with trust auth) and dropped afterwards, so tests
// never see each other's rows. For tests that stop the server, privatePostgresCluster() starts a
// whole cluster of its own (initdb + pg_ctl on a free port), as the Redis helper does.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const exec = promisify(execFile)

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

export interface PrivateCluster {
  /** the admin URL of the cluster's `postgres` database */
  adminUrl: string
  port: number
  /** fast shutdown (connections are cut) */
  stop (): Promise<void>
  /** start again on the same port and data */
  start (): Promise<void>
}

/** The PostgreSQL server binaries (Debian keeps them out of PATH, under a versioned folder). */
async function serverBinDir (): Promise<string> {
  const root = '/usr/lib/postgresql'
  const versions = (await readdir(root).catch(() => [] as string[])).filter(v => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root} (Debian: apt-get install postgresql)`)
  return join(root, versions[0], 'bin')
}

/**
 * A whole PostgreSQL cluster of the test's own (initdb + pg_ctl on a free loopback port, trust
 * auth, fsync on), so a test may stop and restart it without touching anyone else's database.
 * PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user.
 */
export async function privatePostgresCluster (t: Test): Promise<PrivateCluster> {
  const bin = await serverBinDir()
  const dir = await mkdtemp(join(tmpdir(), 'ra-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  let owner: { uid: number, gid: number } | null = null
  if (asRoot) {
    const { stdout } = await exec('id', ['-u', 'postgres'])
    const { stdout: gid } = await exec('id', ['-g', 'postgres'])
    owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) }
    await chown(dir, owner.uid, owner.gid)
  }
  const as = (command: string, args: string[]) => asRoot
    ? exec('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
    : exec(join(bin, command), args)
  await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  const log = join(dir, 'server.log')
  const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=100 -c fsync=on`
  const start = async () => { await as('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '30', 'start']) }
  const stop = async () => { await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {}) }
  await start()
  t.teardown(async () => {
    await stop()
    await rm(dir, { recursive: true, force: true })
  })
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop, start }
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  server.close()
  await once(server, 'close')
  return port
}
