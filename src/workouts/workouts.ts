// Workouts: log, correct, delete, and review. One implementation for both front doors (the REST
// routes and, later, the coach's tools). Every change is kept in the workout's audit trail.
import { createHash, randomBytes } from 'node:crypto'
import { invalid, notFound, conflict } from '../shared/domain-errors.js'
import { addDays, localDate, localTime, parseInstant } from '../shared/local-time.js'
import { computeStats, describeCommitment, workoutsSince } from './workout-stats.js'
import { completionRate } from '../drift/completion-rate.js'
import { currentVerdict } from '../drift/detect-patterns.js'
import type { EngineInput } from '../drift/drift-types.js'
import { DEFAULT_OUTCOME_WINDOW_HOURS, engineWorkouts, gatherEngineInput } from '../drift/gather-engine-input.js'
import type { AuditEntry, FormQuality, HistoryResponse, LogWorkoutResponse, PublicWorkout, WorkoutRecord, WorkoutStats } from './workout-schemas.js'
import type { AccountStore } from '../store/account-store.js'
import type { InterventionStore } from '../store/intervention-store.js'
import type { PlanStore } from '../store/plan-store.js'
import type { WorkoutStore } from '../store/workout-store.js'

/** The store parts workouts need: their own, the account (the user's zone), the plan (stats are judged against it). */
type WorkoutRepo = WorkoutStore & AccountStore & PlanStore & InterventionStore
import { getAccount } from '../accounts/accounts.js'

export interface WorkoutFields {
  exercise_type: string
  duration_minutes: number
  reps?: number
  sets?: number
  form_quality?: FormQuality
  notes?: string
  performed_at?: string
}

export interface LogWorkoutInput extends WorkoutFields {
  request_id?: string
}

/** Fields a correction may change; `null` clears an optional one. */
export type WorkoutPatch = Partial<Omit<WorkoutFields, 'reps' | 'sets' | 'notes'>> & {
  reps?: number | null
  sets?: number | null
  notes?: string | null
}


/** A workout may be logged a little ahead (clock skew), not in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000
/** Stats returned with a newly logged workout cover the last week. */
const LOG_STATS_DAYS = 7
/** Backdating is fine (last week's sessions), but nobody logs a workout from before this. */
export const EARLIEST_WORKOUT = '2000-01-01T00:00:00Z'

export function publicWorkout (w: WorkoutRecord): PublicWorkout {
  const { audit: _audit, deleted_at: _deleted, ...rest } = w
  return rest
}

function performedAt (value: string | undefined, now: Date, field: string): Date {
  if (value === undefined) return now
  const instant = parseInstant(value)
  if (!instant) throw invalid(`${field} must be an RFC 3339 date-time with Z or an offset, e.g. 2026-01-05T07:30:00+01:00`)
  if (instant.getTime() - now.getTime() > FUTURE_TOLERANCE_MS) throw invalid(`${field} is in the future; log workouts once they are done`)
  if (instant < new Date(EARLIEST_WORKOUT)) throw invalid(`${field} must be on or after 2000-01-01`)
  return instant
}

function exerciseType (value: string, field: string): string {
  const type = value.trim().toLowerCase()
  if (type.length === 0) throw invalid(`${field} must not be blank`)
  return type
}

/** Same body → same fingerprint, whatever the key order. */
function fingerprint (input: WorkoutFields): string {
  const canonical = Object.keys(input).sort().map(k => [k, (input as unknown as Record<string, unknown>)[k]])
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex')
}

/** Stats over the last `daysBack` local days, with the engine's completion rate on these workouts. */
function liveStats (workouts: readonly WorkoutRecord[], input: EngineInput, daysBack: number): WorkoutStats {
  const completion = completionRate({ ...input, workouts: engineWorkouts(workouts) }, daysBack)
  return computeStats(workoutsSince(workouts, addDays(input.today, -(daysBack - 1))), daysBack, completion)
}

export async function logWorkout (repo: WorkoutRepo, userId: string, input: LogWorkoutInput, now = new Date()):
Promise<{ replayed: boolean, response: LogWorkoutResponse }> {
  const { request_id: requestId, ...fields } = input
  const account = await getAccount(repo, userId)
  // The plan, pauses and "today" the new stats are judged by; the workouts come from the write itself.
  const judging = await gatherEngineInput(repo, userId, now, DEFAULT_OUTCOME_WINDOW_HOURS, account)
  const at = performedAt(fields.performed_at, now, 'body.performed_at')
  const created = now.toISOString()
  const workout: WorkoutRecord = {
    workout_id: `w_${randomBytes(10).toString('hex')}`,
    user_id: userId,
    exercise_type: exerciseType(fields.exercise_type, 'body.exercise_type'),
    duration_minutes: fields.duration_minutes,
    ...(fields.reps !== undefined ? { reps: fields.reps } : {}),
    ...(fields.sets !== undefined ? { sets: fields.sets } : {}),
    // Only what the person said: an absent rating stays absent.
    ...(fields.form_quality !== undefined ? { form_quality: fields.form_quality } : {}),
    ...(fields.notes !== undefined ? { notes: fields.notes } : {}),
    performed_at: at.toISOString(),
    local_date: localDate(at, account.timezone),
    local_time: localTime(at, account.timezone),
    timezone: account.timezone,
    ...(requestId !== undefined ? { request_id: requestId } : {}),
    created_at: created,
    updated_at: created,
    audit: [{ at: created, action: 'create' }]
  }
  const key = requestId === undefined ? undefined : { request_id: requestId, fingerprint: fingerprint(fields) }
  const result = await repo.insertWorkout(userId, workout, key, (all, inserted): LogWorkoutResponse => ({
    success: true,
    workout: publicWorkout(inserted),
    stats: liveStats(all, judging, LOG_STATS_DAYS)
  }))
  if (!result.replayed) return { replayed: false, response: result.response }
  if (!result.sameRequest) throw conflict(`request_id "${requestId}" was already used for a different workout; use a new request_id for a new workout.`)
  return { replayed: true, response: result.response as LogWorkoutResponse }
}

export async function getWorkout (repo: WorkoutRepo, userId: string, workoutId: string): Promise<WorkoutRecord> {
  const workout = (await repo.listWorkouts(userId)).find(w => w.workout_id === workoutId && !w.deleted_at)
  if (!workout) throw notFound(`No workout ${workoutId} among yours.`)
  return workout
}

export async function updateWorkout (repo: WorkoutRepo, userId: string, workoutId: string, patch: WorkoutPatch, now = new Date()): Promise<WorkoutRecord> {
  // Validate everything before touching the stored record: a bad field changes nothing.
  const next: Record<string, unknown> = { ...patch }
  if (patch.exercise_type !== undefined) next.exercise_type = exerciseType(patch.exercise_type, 'body.exercise_type')
  const newInstant = patch.performed_at === undefined ? undefined : performedAt(patch.performed_at, now, 'body.performed_at')
  if (newInstant) next.performed_at = newInstant.toISOString()

  const updated = await repo.updateWorkout(userId, workoutId, workout => {
    const record = workout as unknown as Record<string, unknown>
    const changes: NonNullable<AuditEntry['changes']> = {}
    for (const [field, value] of Object.entries(next)) {
      const before = record[field]
      if (value === null) {
        if (before === undefined) continue
        delete record[field]
      } else {
        if (before === value) continue
        record[field] = value
      }
      changes[field] = { from: before ?? null, to: value }
    }
    if (newInstant) {
      // The local date and time follow the instant, read in the zone the workout was logged in.
      const date = localDate(newInstant, workout.timezone)
      if (date !== workout.local_date) {
        changes.local_date = { from: workout.local_date, to: date }
        workout.local_date = date
      }
      const time = localTime(newInstant, workout.timezone)
      if (time !== workout.local_time) {
        changes.local_time = { from: workout.local_time ?? null, to: time }
        workout.local_time = time
      }
    }
    if (Object.keys(changes).length === 0) return
    const at = now.toISOString()
    workout.updated_at = at
    workout.audit.push({ at, action: 'update', changes })
  })
  if (!updated) throw notFound(`No workout ${workoutId} among yours.`)
  return updated
}

export async function deleteWorkout (repo: WorkoutRepo, userId: string, workoutId: string, now = new Date()): Promise<void> {
  const deleted = await repo.updateWorkout(userId, workoutId, workout => {
    const at = now.toISOString()
    workout.deleted_at = at
    workout.updated_at = at
    workout.audit.push({ at, action: 'delete' })
  })
  if (!deleted) throw notFound(`No workout ${workoutId} among yours.`)
}

/** Today's date in the user's time zone. */
export async function userToday (repo: WorkoutRepo, userId: string, now = new Date()): Promise<string> {
  return localDate(now, (await getAccount(repo, userId)).timezone)
}

/** The last `daysBack` local dates including today, newest first, with stats over that window. */
export async function workoutHistory (repo: WorkoutRepo, userId: string, daysBack: number, now = new Date()): Promise<HistoryResponse> {
  const input = await gatherEngineInput(repo, userId, now)
  const workouts = workoutsSince(await repo.listWorkouts(userId), addDays(input.today, -(daysBack - 1)))
  const completion = completionRate(input, daysBack)
  return {
    success: true,
    workouts: workouts.map(publicWorkout),
    stats: computeStats(workouts, daysBack, completion),
    // The verdict is the engine's current one, the same whatever the window.
    commitment_analysis: describeCommitment(completion, currentVerdict(input), daysBack)
  }
}
