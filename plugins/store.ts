// Opens the user-data store (and takes DATA_DIR's lock) before the server listens, so a second
// process on the same directory is refused at start-up, and closes it last on shutdown so every
// acknowledged write is flushed.
import fp from 'fastify-plugin'
import { LowdbRepository } from '../src/store/lowdb-repository.js'
import type { Repository } from '../src/store/repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    repo: Repository
  }
}

export default fp(async function store (fastify) {
  const repo = await LowdbRepository.open({
    dataDir: fastify.config.DATA_DIR,
    maxOpen: fastify.config.STORE_MAX_OPEN,
    command: process.argv.slice(1).join(' ')
  })
  fastify.decorate('repo', repo)
  fastify.addHook('onClose', async () => {
    await repo.close()
  })
}, { name: 'store', dependencies: ['config'] })
