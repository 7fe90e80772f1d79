// The one place the drift engine's input is read from the store: plans, live workouts (placed in
// the user's zone when they were logged — a later move shifts the future, not the past), pauses,
// preferences, and "now" as the user's local date and time. Everything else in src/drift is pure.
import { getAccount } from '../accounts/accounts.js'
import type { Account } from '../accounts/account-schemas.js'
import { DEFAULT_PREFERENCES } from '../plans/plan-schemas.js'
import { localDate, localTime } from '../shared/local-time.js'
import type { AccountStore } from '../store/account-store.js'
import type { PlanStore } from '../store/plan-store.js'
import type { WorkoutStore } from '../store/workout-store.js'
import type { WorkoutRecord } from '../workouts/workout-schemas.js'
import type { EngineInput, EngineWorkout } from './drift-types.js'
import type { InterventionStore } from '../store/intervention-store.js'
import { measureOutcomes } from '../interventions/measure-outcomes.js'
import { toDriftOutcomes } from '../interventions/effectiveness.js'

/** OUTCOME_WINDOW_HOURS's default: callers that know the configured value pass it. */
export const DEFAULT_OUTCOME_WINDOW_HOURS = 24

export type DriftRepo = AccountStore & WorkoutStore & PlanStore & InterventionStore

/** Live workouts as the engine sees them: where and when they happened in the user's day. */
export function engineWorkouts (workouts: readonly WorkoutRecord[]): EngineWorkout[] {
  return workouts.filter(w => !w.deleted_at).map(w => ({
    local_date: w.local_date,
    ...(w.local_time !== undefined ? { local_time: w.local_time } : {}),
    duration_minutes: w.duration_minutes
  }))
}

/** `known`: the account, when the caller has just read it (one read fewer). */
export async function gatherEngineInput (repo: DriftRepo, userId: string, now = new Date(), outcomeWindowHours = DEFAULT_OUTCOME_WINDOW_HOURS, known?: Account): Promise<EngineInput> {
  const account = known ?? await getAccount(repo, userId)
  const [workouts, plans, pauses, preferences, interventions] = await Promise.all([
    repo.listWorkouts(userId), repo.listPlans(userId), repo.listPauses(userId), repo.getPreferences(userId), repo.listInterventions(userId)
  ])
  // What helped this person before steers what is recommended next.
  const { byId } = measureOutcomes({ account, interventions, workouts, plans, pauses }, outcomeWindowHours, now)
  return {
    plans: [...plans],
    defaultStart: localDate(new Date(account.created_at), account.timezone),
    workouts: engineWorkouts(workouts),
    pauses: [...pauses],
    today: localDate(now, account.timezone),
    nowLocalTime: localTime(now, account.timezone),
    outcomes: toDriftOutcomes([...byId.values()]),
    preferences: (preferences ?? DEFAULT_PREFERENCES).interventions
  }
}
