// Opens the user-data store before the server listens and closes it last on shutdown, so every
// acknowledged write is durable. Without DATABASE_URL: the embedded LowDB store, which takes
// DATA_DIR's lock (a second process on the same directory is refused at start-up). With it: the
// PostgreSQL store, migrated under an advisory lock and shared by any number of instances.
import fp from 'fastify-plugin'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { openPgRepository } from '../../src/store/postgres/pg-repository.js'
import { ObservedRepository } from '../../src/store/observed-repository.js'
import { Operation } from '../../src/infra/telemetry/performance-monitor.js'
import type { Repository } from '../../src/store/repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** the store; `repo.onUserChanged` tells listeners (the cache) about every write */
    repo: ObservedRepository
  }
}

export default fp(async function store (fastify) {
  const config = fastify.config
  let inner: Repository
  if (config.DATABASE_URL) {
    inner = await openPgRepository({
      connectionString: config.DATABASE_URL,
      poolMax: config.DATABASE_POOL_MAX,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      log: line => fastify.log.warn({ component: 'migrations' }, line)
    })
  } else {
    inner = await LowdbRepository.open({
      dataDir: config.DATA_DIR,
      maxOpen: config.STORE_MAX_OPEN,
      command: process.argv.slice(1).join(' '),
      // Flush times feed the store_flush percentiles and the store_flush_seconds histogram.
      onFlush: ({ durationMs }) => fastify.perf.record(Operation.storeFlush, durationMs)
    })
  }
  const repo = new ObservedRepository(inner)
  fastify.decorate('repo', repo)
  fastify.addHook('onClose', async () => {
    await repo.close()
  })
}, { name: 'store', dependencies: ['config', 'telemetry'] })
