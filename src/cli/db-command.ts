// `npm run db:migrate | db:import -- --data-dir DIR | db:export -- --data-dir DIR`: the PostgreSQL
// store's operator commands. DATABASE_URL (from the environment or .env) names the database.
// import copies a LowDB data directory into PostgreSQL, export copies PostgreSQL into a data
// directory; both skip people already in the target, so running one twice changes nothing. The data
// directory is locked while it is read or written, so it cannot be a running server's.
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { readEnvironment } from '../config.js'
import { DatabaseStartError, migrate } from '../store/postgres/migrate.js'
import { openPgRepository } from '../store/postgres/pg-repository.js'
import { pgTransfer } from '../store/postgres/pg-transfer.js'
import { LowdbRepository } from '../store/lowdb/lowdb-repository.js'
import { lowdbTransfer } from '../store/lowdb/lowdb-transfer.js'
import { DataDirLockedError } from '../store/lowdb/data-dir-lock.js'
import { moveUsers, type MoveReport } from '../store/move-users.js'

const USAGE = 'usage: npm run db:migrate | npm run db:import -- --data-dir ./data | npm run db:export -- --data-dir DIR'

class UsageError extends Error {}

export async function dbCommand (argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<MoveReport | string[]> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' } } })
  const [command] = positionals
  const url = env.DATABASE_URL
  if (!url) throw new UsageError('DATABASE_URL is not set: it names the PostgreSQL database (e.g. postgres://app:secret@127.0.0.1:5432/autopilot)')
  if (command === 'migrate') {
    const applied = await migrate(url, out)
    out(applied.length === 0 ? 'The database schema is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`)
    return applied
  }
  if (command !== 'import' && command !== 'export') throw new UsageError(USAGE)
  const dataDir = values['data-dir']
  if (!dataDir) throw new UsageError(`${command} needs --data-dir: ${USAGE}`)
  const pg = await openPgRepository({ connectionString: url, poolMax: 4, statementTimeoutMs: 60_000, log: out })
  try {
    const lowdb = await LowdbRepository.open({ dataDir, maxOpen: 50, command: `npm run db:${command}` })
    try {
      const report = command === 'import'
        ? await moveUsers(lowdbTransfer(lowdb), pgTransfer(pg.database), pg)
        : await moveUsers(pgTransfer(pg.database), lowdbTransfer(lowdb), lowdb)
      const [from, to] = command === 'import' ? [dataDir, 'PostgreSQL'] : ['PostgreSQL', dataDir]
      out(`Copied ${report.users_copied} user(s) and ${report.rows_copied} row(s) from ${from} to ${to}; ` +
        `${report.users_skipped} already there were left as they were.`)
      if (report.username_conflicts.length > 0) {
        out(`Not copied — the username belongs to someone else in ${to}: ${report.username_conflicts.join(', ')}`)
      }
      return report
    } finally {
      await lowdb.close()
    }
  } finally {
    await pg.close()
  }
}

async function main (): Promise<void> {
  try {
    await dbCommand(process.argv.slice(2), readEnvironment(), line => process.stdout.write(line + '\n'))
  } catch (err) {
    if (err instanceof UsageError || err instanceof DatabaseStartError || err instanceof DataDirLockedError) {
      process.stderr.write(err.message + '\n')
      process.exit(2)
    }
    throw err
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
