import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { changePassword, deleteAccount, exportAccount, getAccount, publicUser, updateProfile } from '../../../src/accounts/accounts.js'
import { errors, ref } from '../../../src/shared/http-schemas.js'
import { Account, Password, TimeZone, UserReply } from '../../../src/accounts/account-schemas.js'
import { WorkoutRecord } from '../../../src/workouts/workout-schemas.js'
import { sessionsUnavailable } from '../../../src/infra/sessions/session-store.js'

const me: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo, accountSettings, sessions } = fastify

  fastify.get('', {
    schema: { tags: ['me'], operationId: 'getMe', summary: 'Your profile', response: { 200: ref(UserReply, 'Your profile'), ...errors(401, 404) } }
  }, async (request) => ({ user: publicUser(await getAccount(repo, request.user.id)) }))

  fastify.patch('', {
    schema: {
      tags: ['me'],
      operationId: 'updateMe',
      summary: 'Change your time zone or resolution',
      body: Type.Object({
        timezone: Type.Optional(TimeZone),
        resolution: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()], { description: 'what you are aiming for, e.g. "gym 4× a week for 8 weeks" (≤ 500 characters); null clears it' }))
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: ref(UserReply, 'Your profile as changed'), ...errors(400, 401, 404) }
    }
  }, async (request) => ({ user: publicUser(await updateProfile(repo, request.user.id, request.body)) }))

  fastify.put('/password', {
    schema: {
      tags: ['me'],
      operationId: 'changePassword',
      summary: 'Change your password (ends your other sessions)',
      body: Type.Object({ current_password: Type.String({ minLength: 1, maxLength: 1024 }), new_password: Password }, { additionalProperties: false }),
      response: { 204: Type.Null({ description: 'The password is changed; your other sessions are ended' }), ...errors(400, 401, 403, 404, 503) }
    }
  }, async (request, reply) => {
    // Ending the other sessions is part of the change: refuse it whole if that cannot happen now.
    if (!sessions.available()) throw sessionsUnavailable()
    await changePassword(repo, request.user.id, request.body.current_password, request.body.new_password, accountSettings)
    await sessions.destroyUserSessions(request.user.id, request.session.sessionId)
    return reply.code(204).send(null)
  })

  fastify.get('/export', {
    schema: {
      tags: ['me'],
      operationId: 'exportMe',
      summary: 'Everything the service holds about you, as JSON',
      response: {
        200: Type.Object({
          exported_at: Type.String({ format: 'date-time' }),
          schema_version: Type.Integer(),
          account: Type.Omit(Account, ['password_hash']),
          workouts: Type.Array(ref(WorkoutRecord)),
          request_keys: Type.Record(Type.String(), Type.Unknown())
        }, { additionalProperties: true, description: 'Everything held about you (sent as an attachment)' }),
        ...errors(401, 404)
      }
    }
  }, async (request, reply) => {
    reply.header('content-disposition', `attachment; filename="resolution-autopilot-${request.user.username}.json"`)
    return exportAccount(repo, request.user.id)
  })

  fastify.delete('', {
    schema: {
      tags: ['me'],
      operationId: 'deleteMe',
      summary: 'Delete your account and all its data (ends every session)',
      body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 204: Type.Null({ description: 'The account and all its data are deleted' }), ...errors(400, 401, 403, 404) }
    }
  }, async (request, reply) => {
    if (!sessions.available()) throw sessionsUnavailable()
    await deleteAccount(repo, request.user.id, request.body.password)
    await sessions.destroyUserSessions(request.user.id)
    await reply.endSession()
    return reply.code(204).send(null)
  })
}

export default me
