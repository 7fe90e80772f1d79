import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { deleteWorkout, getWorkout, logWorkout, publicWorkout, updateWorkout, userToday, workoutHistory } from '../../../src/workouts/workouts.js'
import { errors, ref } from '../../../src/shared/http-schemas.js'
import {
  HISTORY_DEFAULT_DAYS, HistoryQuery, HistoryResponse, LogWorkoutBody, LogWorkoutResponse, PatchWorkoutBody, Workout, WorkoutParams, WorkoutWithAudit
} from '../../../src/workouts/workout-schemas.js'

/** The history's cache field: from the raw query (before validation) or the validated one alike. */
function historyCacheField (query: Record<string, unknown>): string {
  return `workout-history?days_back=${Number(query.days_back ?? HISTORY_DEFAULT_DAYS)}`
}

const workout: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  fastify.post('/log', {
    schema: {
      tags: ['workout'],
      operationId: 'logWorkout',
      summary: 'Log a workout',
      description: 'With `request_id`, a retry with the same id and body returns the original response (200) and stores nothing; the same id with another body is a 409.',
      body: ref(LogWorkoutBody),
      response: {
        201: ref(LogWorkoutResponse, 'Logged; with your stats for the last 7 days'),
        200: ref(LogWorkoutResponse, 'A retry with a known request_id: the original response; nothing new was stored'),
        ...errors(400, 401, 403, 409, 413)
      }
    }
  }, async (request, reply) => {
    const { replayed, response } = await logWorkout(repo, request.user.id, request.body)
    return reply.code(replayed ? 200 : 201).send(response)
  })

  fastify.get('/history', {
    config: { cacheField: historyCacheField },
    schema: {
      tags: ['workout'],
      operationId: 'getWorkoutHistory',
      summary: 'Your workouts over the last N days, with stats',
      querystring: HistoryQuery,
      response: { 200: ref(HistoryResponse, 'Your workouts in the window, newest first, with stats and a verdict'), ...errors(400, 401, 403, 404) }
    }
  }, async (request, reply) => {
    const { days_back: daysBack } = request.query
    const userId = request.user.id
    const field = historyCacheField(request.query)
    const early = request.cachePrefetched
    // The window ends today in the user's zone: an entry from yesterday must not answer after midnight.
    const today = await userToday(repo, userId)
    const { value, hit } = await fastify.cache.userCached(userId, field, fastify.config.CACHE_TTL,
      async () => ({ today, history: await workoutHistory(repo, userId, daysBack) }),
      { prefetched: early?.userId === userId && early.field === field ? early.entry : undefined, fresh: cached => cached.today === today })
    reply.markCache(hit)
    return value.history
  })

  fastify.get('/:workout_id', {
    schema: {
      tags: ['workout'],
      operationId: 'getWorkout',
      summary: 'One of your workouts, with its audit trail',
      params: WorkoutParams,
      response: { 200: Type.Object({ workout: ref(WorkoutWithAudit) }, { description: 'The workout and its audit trail' }), ...errors(401, 404) }
    }
  }, async (request) => ({ workout: await getWorkout(repo, request.user.id, request.params.workout_id) }))

  fastify.patch('/:workout_id', {
    schema: {
      tags: ['workout'],
      operationId: 'updateWorkout',
      summary: 'Correct a workout (the change is kept in its audit trail)',
      params: WorkoutParams,
      body: ref(PatchWorkoutBody),
      response: { 200: Type.Object({ success: Type.Literal(true), workout: ref(Workout) }, { description: 'The workout as corrected' }), ...errors(400, 401, 403, 404) }
    }
  }, async (request) => {
    const updated = await updateWorkout(repo, request.user.id, request.params.workout_id, request.body)
    return { success: true as const, workout: publicWorkout(updated) }
  })

  fastify.delete('/:workout_id', {
    schema: {
      tags: ['workout'],
      operationId: 'deleteWorkout',
      summary: 'Delete a workout (the deletion is kept in the audit trail and the export)',
      params: WorkoutParams,
      response: { 204: Type.Null({ description: 'The workout is deleted' }), ...errors(401, 403, 404) }
    }
  }, async (request, reply) => {
    await deleteWorkout(repo, request.user.id, request.params.workout_id)
    return reply.code(204).send(null)
  })
}

export default workout
