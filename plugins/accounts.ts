// Password-hashing settings shared by the auth and profile routes. The decoy hash is made once,
// lazily, so logins for unknown usernames cost the same as real ones without slowing start-up.
import fp from 'fastify-plugin'
import { decoyHash } from '../src/passwords.js'
import type { AccountSettings } from '../src/accounts.js'

declare module 'fastify' {
  interface FastifyInstance {
    accountSettings: AccountSettings
  }
}

export default fp(async function accounts (fastify) {
  const cost = fastify.config.PASSWORD_HASH_COST
  let decoy: Promise<string> | undefined
  fastify.decorate('accountSettings', {
    hashCost: cost,
    get decoyHash () {
      return (decoy ??= decoyHash(cost))
    }
  })
}, { name: 'accounts', dependencies: ['config'] })
