// The store part for workouts: the log with its audit trail, and idempotent inserts.
import type { WorkoutRecord } from '../workouts/workout-schemas.js'

export type InsertWorkoutResult<R> =
  | { replayed: false, response: R }
  | { replayed: true, sameRequest: boolean, response: unknown }

export interface IdempotencyKey {
  request_id: string
  /** digest of the request body: the same id with another body is a conflict */
  fingerprint: string
}

export interface WorkoutStore {
  /** all the user's workouts, deleted ones included (they carry `deleted_at`) */
  listWorkouts (userId: string): Promise<readonly WorkoutRecord[]>
  /**
   * Stores `workout` unless `key` was seen before, in which case nothing is stored and the first
   * response is returned. `respond` builds the response from the user's workouts after the insert
   * (inside the same transaction, so it is exactly what the first caller saw).
   */
  insertWorkout<R> (userId: string, workout: WorkoutRecord, key: IdempotencyKey | undefined,
    respond: (workouts: readonly WorkoutRecord[], inserted: WorkoutRecord) => R): Promise<InsertWorkoutResult<R>>
  /** applies `change` to a live (not deleted) workout; null when there is none with that id */
  updateWorkout (userId: string, workoutId: string, change: (workout: WorkoutRecord) => void): Promise<WorkoutRecord | null>
}
