// Carrying out a proposal the person said yes to — through the same domain functions as the REST
// routes (PATCH/DELETE /api/workout/:id, POST /api/me/pauses, PUT /api/me/plan, PATCH /api/me),
// so every rule they enforce applies here too, checked again at the moment of the yes.
import { updateProfile } from '../../accounts/accounts.js'
import { addPause, setPlan } from '../../plans/plans.js'
import type { PauseBody, PlanBody } from '../../plans/plan-schemas.js'
import type { Repository } from '../../store/repository.js'
import { deleteWorkout, updateWorkout, type WorkoutPatch } from '../../workouts/workouts.js'
import type { Proposal } from './proposal.js'

export async function carryOutProposal (repo: Repository, userId: string, proposal: Proposal, now: Date): Promise<string> {
  const args = proposal.arguments
  switch (proposal.kind) {
    case 'correct_workout': {
      const { workout_id: id, ...patch } = args as { workout_id: string } & WorkoutPatch
      const w = await updateWorkout(repo, userId, id, patch, now)
      return `Corrected: ${w.duration_minutes} min of ${w.exercise_type} on ${w.local_date}.`
    }
    case 'delete_workout':
      await deleteWorkout(repo, userId, args.workout_id as string, now)
      return `Deleted: ${proposal.description.replace(/^Delete /, '')}.`
    case 'pause': {
      const pause = await addPause(repo, userId, args as PauseBody, now)
      return `Paused from ${pause.start_date} to ${pause.end_date}: those days count neither as done nor as missed.`
    }
    case 'plan': {
      const { resolution, ...body } = args as PlanBody & { resolution?: string }
      const plan = await setPlan(repo, userId, body, now)
      if (resolution) await updateProfile(repo, userId, { resolution }, now)
      return `Your plan from ${plan.start_date}${plan.end_date ? ` to ${plan.end_date}` : ''}: ${plan.sessions_per_week} sessions a week on ${plan.weekdays.join(', ')}.`
    }
  }
}
