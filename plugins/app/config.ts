// Makes the validated configuration available as `fastify.config`.
import fp from 'fastify-plugin'
import type { Config } from '../../src/config.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export default fp<{ config: Config }>(async function config (fastify, options) {
  fastify.decorate('config', options.config)
}, { name: 'config' })
