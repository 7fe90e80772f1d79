// Reads what outcome measurement needs from the store (interventions, workouts, plans, pauses, the
// person's zone) and judges every deployed intervention as of now (outcomes.ts). Outcomes are not
// stored: measured from the data each time, they can never disagree with it.
import type { Account } from '../accounts/account-schemas.js'
import { planOn, planTimeline } from '../drift/plan-versions.js'
import { DEFAULT_PLAN_FIELDS, type Pause, type Plan } from '../plans/plan-schemas.js'
import { localDate } from '../shared/local-time.js'
import type { WorkoutRecord } from '../workouts/workout-schemas.js'
import type { StoredIntervention } from './intervention-schemas.js'
import { judgeOutcomes, type JudgedIntervention } from './outcomes.js'

export interface OutcomeData {
  account: Account
  interventions: readonly StoredIntervention[]
  workouts: readonly WorkoutRecord[]
  plans: readonly Plan[]
  pauses: readonly Pause[]
}

/** Judged outcomes by intervention id (deployed ones only), and when one next changes by the clock. */
export function measureOutcomes (data: OutcomeData, windowHours: number, now: Date): { byId: Map<string, JudgedIntervention>, nextChangeMs: number | null } {
  const timeline = planTimeline(data.plans, localDate(new Date(data.account.created_at), data.account.timezone))
  const { outcomes, nextChangeMs } = judgeOutcomes({
    interventions: data.interventions.map(i => ({
      intervention_id: i.intervention_id,
      type: i.type,
      status: i.status,
      deployed_at: i.deployed_at,
      block_start: i.type === 'calendar' ? i.details.start ?? null : null
    })),
    workouts: data.workouts.map(w => ({ workout_id: w.workout_id, performed_at: w.performed_at, minutes: w.duration_minutes, local_date: w.local_date, deleted_at: w.deleted_at ?? null })),
    minMinutesOn: date => planOn(timeline, date)?.min_minutes ?? DEFAULT_PLAN_FIELDS.min_minutes,
    pauses: data.pauses,
    timeZone: data.account.timezone,
    windowHours,
    nowMs: now.getTime()
  })
  return { byId: new Map(outcomes.map(o => [o.intervention_id, o])), nextChangeMs }
}
