import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { authenticate, publicUser, registerAccount } from '../../../src/accounts/accounts.js'
import { unauthorized } from '../../../src/shared/domain-errors.js'
import { sessionsUnavailable } from '../../../src/infra/sessions/session-store.js'
import { errors, Nullable, rateLimitedResponse, ref } from '../../../src/shared/http-schemas.js'
import { Password, SessionReply, TimeZone, Username } from '../../../src/accounts/account-schemas.js'

const auth: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo, accountSettings } = fastify

  fastify.post('/register', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      operationId: 'register',
      summary: 'Create an account and start a session',
      security: [],
      body: Type.Object({ username: Username, password: Password, timezone: Type.Optional(TimeZone) }, { additionalProperties: false }),
      response: { 201: ref(SessionReply, 'The account is created and you are logged in'), ...errors(400, 403, 409, 413, 415, 503) }
    }
  }, async (request, reply) => {
    // Refuse before creating anything if no session could be started (Redis down).
    if (!fastify.sessions.available()) throw sessionsUnavailable()
    const account = await registerAccount(repo, request.body, accountSettings)
    let sessionId: string
    try {
      sessionId = await request.startSession(account)
    } catch (err) {
      // An account nobody can log into yet is worse than none: undo, let the client retry.
      await repo.deleteAccount(account.id)
      throw err
    }
    return reply.code(201).send({ user: publicUser(account), sessionId })
  })

  fastify.post('/login', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      operationId: 'login',
      summary: 'Start a session (replaces any session sent with the request)',
      security: [],
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 200: ref(SessionReply, 'You are logged in'), 429: rateLimitedResponse(), ...errors(400, 401, 403, 503) }
    }
  }, async (request, reply) => {
    // Failed attempts are counted (and a locked-out address or username refused) by the rate-limit plugin.
    const account = await authenticate(repo, request.body.username, request.body.password, accountSettings)
    if (!account) throw unauthorized('Wrong username or password.')
    const sessionId = await request.startSession(account)
    return { user: publicUser(account), sessionId }
  })

  fastify.post('/logout', {
    schema: {
      tags: ['auth'],
      operationId: 'logout',
      summary: 'End this session',
      response: { 204: Type.Null({ description: 'The session is ended' }), ...errors(401) }
    }
  }, async (request, reply) => {
    await reply.endSession()
    return reply.code(204).send(null)
  })

  fastify.get('/session', {
    schema: {
      tags: ['auth'],
      operationId: 'getSession',
      summary: 'Who this session belongs to and when it expires',
      response: {
        200: Type.Object({
          user: Type.Object({ id: Type.String(), username: Type.String() }),
          expires_at: Nullable(Type.String({ format: 'date-time' }))
        }, { description: 'The session and its user' }),
        ...errors(401)
      }
    }
  }, async (request) => {
    const expires = request.sessionExpiresAt()
    return { user: request.user, expires_at: expires === null ? null : new Date(expires).toISOString() }
  })
}

export default auth
