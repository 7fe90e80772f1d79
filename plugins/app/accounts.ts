// Password-hashing settings shared by the auth and profile routes (the decoy hashes that keep
// failed logins equal in time are made lazily, so they do not slow start-up).
import fp from 'fastify-plugin'
import { accountSettings, type AccountSettings } from '../../src/accounts/accounts.js'

declare module 'fastify' {
  interface FastifyInstance {
    accountSettings: AccountSettings
  }
}

export default fp(async function accounts (fastify) {
  fastify.decorate('accountSettings', accountSettings(fastify.config.PASSWORD_HASH_MEMORY_KIB))
}, { name: 'accounts', dependencies: ['config'] })
