// The Repository contract (test/store/contract/) against the PostgreSQL store: one private
// database, migrated once and emptied (TRUNCATE, identities restarted) before each clause — the
// clauses of a file run one after another — so each starts from an empty store; a restart is
// closing the pool and opening the same database again.
import pg from 'pg'
import t, { type Test } from 'tap'
import { migrate } from '../../src/store/postgres/migrate.js'
import { openPgRepository } from '../../src/store/postgres/pg-repository.js'
import type { Repository } from '../../src/store/repository.js'
import { privateDatabase } from '../helpers/postgres.js'
import { runRepositoryContract, type OpenStore } from './contract/index.js'

const url = await privateDatabase(t)
await migrate(url)

const opened = new WeakSet<Repository>()

async function openAt (t: Test): Promise<Repository> {
  const repo = await openPgRepository({ connectionString: url, poolMax: 4, statementTimeoutMs: 5000 })
  opened.add(repo)
  let closed = false
  const close = repo.close.bind(repo)
  repo.close = async () => { if (!closed) { closed = true; await close() } }
  t.teardown(() => repo.close())
  return repo
}

async function empty (): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgmigrations'")
    await client.query(`TRUNCATE ${rows.map(r => r.tablename).join(', ')} RESTART IDENTITY CASCADE`)
  } finally {
    await client.end()
  }
}

const open: OpenStore = async t => {
  await empty()
  return openAt(t)
}

async function reopen (t: Test, repo: Repository): Promise<Repository> {
  if (!opened.has(repo)) throw new Error('reopen: not a store this file opened')
  await repo.close()
  return openAt(t)
}

runRepositoryContract(t, open, { reopen })
