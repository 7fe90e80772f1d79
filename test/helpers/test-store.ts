// A fresh, empty store for tests that use the domain without HTTP: LowDB on a temp directory, or
// with TEST_STORE=postgres (the files in test/postgres/) the PostgreSQL store on a private database.
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { openPgRepository } from '../../src/store/postgres/pg-repository.js'
import type { Repository } from '../../src/store/repository.js'
import { tempDir } from './build-app.js'
import { privateDatabase } from './postgres.js'

type Test = { teardown: (fn: () => unknown) => void }

export async function openTestStore (t: Test): Promise<Repository> {
  const repo: Repository = process.env.TEST_STORE === 'postgres'
    ? await openPgRepository({ connectionString: await privateDatabase(t), poolMax: 4, statementTimeoutMs: 5000 })
    : await LowdbRepository.open({ dataDir: await tempDir(t) })
  t.teardown(() => repo.close())
  return repo
}
