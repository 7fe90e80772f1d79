// The coach's workout tools: the same domain functions as POST /api/workout/log and
// GET /api/workout/history, with results summarised to the numbers that matter so a year of
// history never floods the prompt.
import { Type } from 'typebox'
import { DaysBack, LogWorkoutBody } from '../../workouts/workout-schemas.js'
import { logWorkout, workoutHistory } from '../../workouts/workouts.js'
import { currentPlan } from '../../plans/plans.js'
import { defineTool } from './tool-registry.js'

const workouts = (n: number) => `${n} workout${n === 1 ? '' : 's'}`

/** Most recent workouts listed to the model; the stats cover the rest. */
const RECENT_LIMIT = 10

export const logWorkoutTool = defineTool({
  name: 'logWorkout',
  description: 'Log a workout the user says they did. duration_minutes is whole minutes. performed_at defaults to now; give it (RFC 3339 with offset) only if the user said when.',
  parameters: LogWorkoutBody,
  async run (args, { repo, userId, now }) {
    const { response } = await logWorkout(repo, userId, args, now)
    const { workout, stats } = response
    const { plan } = await currentPlan(repo, userId, now)
    return {
      ok: true,
      summary: `Logged ${workout.duration_minutes} min of ${workout.exercise_type} on ${workout.local_date}; ${workouts(stats.total_workouts)} (${stats.total_minutes} min) in the last 7 days, ${stats.completion_rate}% of target.`,
      data: {
        workout: { workout_id: workout.workout_id, exercise_type: workout.exercise_type, duration_minutes: workout.duration_minutes, local_date: workout.local_date },
        week: { total_workouts: stats.total_workouts, total_minutes: stats.total_minutes, completion_rate: stats.completion_rate, weekly_target: plan.sessions_per_week }
      }
    }
  }
})

export const getWorkoutHistoryTool = defineTool({
  name: 'getWorkoutHistory',
  description: "Read the user's workouts over the last days_back days (their time zone) with stats: totals, completion rate against their plan's weekly target, workouts per week, exercise breakdown, and whether they are on track.",
  parameters: Type.Object({ days_back: DaysBack }, { additionalProperties: false }),
  async run (args, { repo, userId, now }) {
    const [history, { plan }] = await Promise.all([workoutHistory(repo, userId, args.days_back, now), currentPlan(repo, userId, now)])
    const { stats, commitment_analysis: commitment } = history
    return {
      ok: true,
      summary: `${workouts(stats.total_workouts)}, ${stats.total_minutes} min in the last ${args.days_back} days; ${stats.completion_rate}% of target, risk ${commitment.risk_level}.`,
      data: {
        days_back: args.days_back,
        /** sessions a week the plan applying today asks for */
        weekly_target: plan.sessions_per_week,
        stats,
        commitment,
        recent: history.workouts.slice(0, RECENT_LIMIT).map(w => ({ workout_id: w.workout_id, local_date: w.local_date, local_time: w.local_time, exercise_type: w.exercise_type, duration_minutes: w.duration_minutes, form_quality: w.form_quality })),
        more_not_listed: Math.max(0, history.workouts.length - RECENT_LIMIT)
      }
    }
  }
})
