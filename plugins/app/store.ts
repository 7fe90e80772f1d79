// Opens the user-data store (and takes DATA_DIR's lock) before the server listens, so a second
// process on the same directory is refused at start-up, and closes it last on shutdown so every
// acknowledged write is flushed.
import fp from 'fastify-plugin'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { ObservedRepository } from '../../src/store/observed-repository.js'
import { Operation } from '../../src/infra/telemetry/performance-monitor.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** the store; `repo.onUserChanged` tells listeners (the cache) about every write */
    repo: ObservedRepository
  }
}

export default fp(async function store (fastify) {
  const lowdb = await LowdbRepository.open({
    dataDir: fastify.config.DATA_DIR,
    maxOpen: fastify.config.STORE_MAX_OPEN,
    command: process.argv.slice(1).join(' '),
    // Flush times feed the store_flush percentiles and the store_flush_seconds histogram.
    onFlush: ({ durationMs }) => fastify.perf.record(Operation.storeFlush, durationMs)
  })
  const repo = new ObservedRepository(lowdb)
  fastify.decorate('repo', repo)
  fastify.addHook('onClose', async () => {
    await repo.close()
  })
}, { name: 'store', dependencies: ['config', 'telemetry'] })
