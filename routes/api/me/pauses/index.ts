import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { addPause, deletePause, listPauses } from '../../../../src/plans/plans.js'
import { Pause, PauseBody, PauseParams } from '../../../../src/plans/plan-schemas.js'
import { errors, ref } from '../../../../src/shared/http-schemas.js'

const pauses: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.post('', {
    schema: {
      tags: ['plan'],
      operationId: 'addPause',
      summary: 'Pause your plan for some days (they count neither as done nor as missed)',
      description: 'Local dates, inclusive, at most 60 days; a pause that starts today or earlier needs a reason. Overlapping another pause is a 409.',
      body: ref(PauseBody),
      response: { 201: Type.Object({ pause: ref(Pause) }, { description: 'The pause' }), ...errors(400, 401, 404, 409, 413, 415) }
    }
  }, async (request, reply) => reply.code(201).send({ pause: await addPause(repo, request.user.id, request.body) }))

  fastify.get('', {
    schema: {
      tags: ['plan'],
      operationId: 'listPauses',
      summary: 'Your pauses, by start date',
      response: { 200: Type.Object({ pauses: Type.Array(ref(Pause)) }, { description: 'Your pauses' }), ...errors(401, 404) }
    }
  }, async (request) => ({ pauses: await listPauses(repo, request.user.id) }))

  fastify.delete('/:pause_id', {
    schema: {
      tags: ['plan'],
      operationId: 'deletePause',
      summary: 'Delete one of your pauses',
      params: PauseParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errors(400, 401, 404) }
    }
  }, async (request, reply) => {
    await deletePause(repo, request.user.id, request.params.pause_id)
    return reply.code(204).send(null)
  })
}

export default pauses
