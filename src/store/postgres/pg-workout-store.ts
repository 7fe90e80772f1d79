// Workouts in PostgreSQL: one row each, in the order written (seq), indexed per person and per
// local date; deleted ones stay with `deleted_at` (their audit trail survives). An idempotency key
// is a row of request_keys written in the insert's transaction, so a retry after a crash either
// finds the key and the workout, or neither.
import { notFound } from '../../shared/domain-errors.js'
import type { WorkoutRecord } from '../../workouts/workout-schemas.js'
import type { IdempotencyKey, InsertWorkoutResult, WorkoutStore } from '../workout-store.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, firstBody, json } from './sql-values.js'
import type pg from 'pg'

/** How long an idempotency key is remembered: long enough for any sane client retry (as LowDB). */
const REQUEST_KEY_TTL_MS = 24 * 60 * 60 * 1000

const listSql = 'SELECT body FROM workouts WHERE user_id = $1 ORDER BY seq'

async function updateRow (client: pg.PoolClient, userId: string, workout: WorkoutRecord): Promise<void> {
  await client.query('UPDATE workouts SET local_date = $3, performed_at = $4, deleted_at = $5, body = $6::jsonb WHERE user_id = $1 AND workout_id = $2',
    [userId, workout.workout_id, workout.local_date, workout.performed_at, workout.deleted_at ?? null, json(workout)])
}

export function pgWorkoutStore (db: PgDatabase): WorkoutStore {
  return {
    async listWorkouts (userId: string) {
      return bodies<WorkoutRecord>(await db.query(listSql, [userId]))
    },

    async insertWorkout<R> (userId: string, workout: WorkoutRecord, key: IdempotencyKey | undefined,
      respond: (workouts: readonly WorkoutRecord[], inserted: WorkoutRecord) => R): Promise<InsertWorkoutResult<R>> {
      const result = await db.userTransaction<InsertWorkoutResult<R>>(userId, async client => {
        if (key) {
          const seen = await client.query('SELECT fingerprint, response FROM request_keys WHERE user_id = $1 AND request_id = $2', [userId, key.request_id])
          if (seen.rows.length > 0) return { replayed: true, sameRequest: seen.rows[0].fingerprint === key.fingerprint, response: seen.rows[0].response }
        }
        // The insert and the person's whole log (which the response's stats need) in one statement:
        // its snapshot does not see the new row in the table, so it is added from RETURNING.
        const all = await client.query(
          `WITH inserted AS (
             INSERT INTO workouts (user_id, workout_id, local_date, performed_at, deleted_at, body)
             VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING seq, body)
           SELECT body FROM (SELECT seq, body FROM workouts WHERE user_id = $1 UNION ALL SELECT seq, body FROM inserted) AS log ORDER BY seq`,
          [userId, workout.workout_id, workout.local_date, workout.performed_at, workout.deleted_at ?? null, json(workout)])
        const response = respond(bodies<WorkoutRecord>(all), workout)
        if (key) {
          const now = Date.parse(workout.created_at)
          await client.query('DELETE FROM request_keys WHERE user_id = $1 AND created_at < $2', [userId, new Date(now - REQUEST_KEY_TTL_MS)])
          await client.query(
            'INSERT INTO request_keys (user_id, request_id, fingerprint, workout_id, response, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)',
            [userId, key.request_id, key.fingerprint, workout.workout_id, json(response), workout.created_at])
        }
        return { replayed: false, response }
      })
      if (result === null) throw notFound('Your account no longer exists.')
      return result
    },

    async updateWorkout (userId: string, workoutId: string, change: (workout: WorkoutRecord) => void) {
      return (await db.userTransaction(userId, async client => {
        const workout = firstBody<WorkoutRecord>(await client.query(
          'SELECT body FROM workouts WHERE user_id = $1 AND workout_id = $2 AND deleted_at IS NULL', [userId, workoutId]))
        if (workout === null) return null
        change(workout)
        await updateRow(client, userId, workout)
        return workout
      })) ?? null
    }
  }
}
