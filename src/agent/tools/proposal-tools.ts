// The coach's tools for changes that need the person's yes: correct or delete a workout, pause the
// plan, change the plan. They check what can be checked now (the workout is this person's, the
// dates are real, the plan fits), then only PROPOSE: the change waits on the run's trace and the
// service carries it out when the person's next message is a plain yes — the model never can.
import { Type } from 'typebox'
import { MAX_PAUSE_DAYS, currentPlan } from '../../plans/plans.js'
import { Weekday } from '../../plans/plan-schemas.js'
import { invalid, unavailable } from '../../shared/domain-errors.js'
import { LocalDate } from '../../shared/http-schemas.js'
import { addDays, daysBetween, localDate } from '../../shared/local-time.js'
import { getWorkout } from '../../workouts/workouts.js'
import { MAX_WORKOUT_MINUTES } from '../../workouts/workout-schemas.js'
import type { Proposal } from '../proposals/proposal.js'
import { defineTool, type ToolContext } from './tool-registry.js'

const WAITING = "Proposed; waiting for the user's yes (their next message). Ask them to confirm."

function propose (context: ToolContext, proposal: Proposal) {
  if (!context.propose) throw unavailable('Changes that need a yes cannot be proposed here.', 60)
  context.propose(proposal)
  return { ok: true, summary: `${proposal.description} — ${WAITING}`, data: { proposal: { kind: proposal.kind, description: proposal.description } } }
}

async function timezoneOf (context: ToolContext): Promise<string> {
  return (await context.repo.getAccount(context.userId))?.timezone ?? 'UTC'
}

export const proposeWorkoutCorrectionTool = defineTool({
  name: 'proposeWorkoutCorrection',
  description: 'Propose correcting one of the user\'s logged workouts (workout_id from getWorkoutHistory): a new duration, exercise type or performed_at. Nothing changes until the user says yes.',
  parameters: Type.Object({
    workout_id: Type.String({ minLength: 1, maxLength: 64 }),
    duration_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WORKOUT_MINUTES })),
    exercise_type: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    performed_at: Type.Optional(Type.String({ format: 'date-time' }))
  }, { additionalProperties: false }),
  async run (args, context) {
    const w = await getWorkout(context.repo, context.userId, args.workout_id)
    const { workout_id: _id, ...changes } = args
    if (Object.keys(changes).length === 0) throw invalid('Say what to change: duration_minutes, exercise_type or performed_at.')
    const said = [
      args.duration_minutes !== undefined ? `${args.duration_minutes} min` : null,
      args.exercise_type !== undefined ? `of ${args.exercise_type.trim().toLowerCase()}` : null,
      args.performed_at !== undefined ? `on ${localDate(new Date(args.performed_at), w.timezone)}` : null
    ].filter(Boolean).join(' ')
    return propose(context, { kind: 'correct_workout', description: `Change your ${w.duration_minutes} min of ${w.exercise_type} on ${w.local_date} to ${said}`, arguments: args })
  }
})

export const proposeWorkoutDeletionTool = defineTool({
  name: 'proposeWorkoutDeletion',
  description: 'Propose deleting one of the user\'s logged workouts (workout_id from getWorkoutHistory), e.g. one logged twice. Nothing is deleted until the user says yes.',
  parameters: Type.Object({ workout_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  async run (args, context) {
    const w = await getWorkout(context.repo, context.userId, args.workout_id)
    return propose(context, { kind: 'delete_workout', description: `Delete your ${w.duration_minutes} min of ${w.exercise_type} on ${w.local_date}${w.local_time ? ` at ${w.local_time}` : ''}`, arguments: args })
  }
})

export const proposePauseTool = defineTool({
  name: 'proposePause',
  description: `Propose pausing the user's plan (travel, illness) for local dates start_date..end_date inclusive, at most ${MAX_PAUSE_DAYS} days: paused days count neither as done nor as missed. Created only when the user says yes.`,
  parameters: Type.Object({
    start_date: LocalDate,
    end_date: LocalDate,
    reason: Type.String({ minLength: 1, maxLength: 500 })
  }, { additionalProperties: false }),
  async run (args, context) {
    const days = daysBetween(args.start_date, args.end_date) + 1
    if (days < 1) throw invalid('end_date must be on or after start_date.')
    if (days > MAX_PAUSE_DAYS) throw invalid(`A pause lasts at most ${MAX_PAUSE_DAYS} days (this one is ${days}).`)
    return propose(context, { kind: 'pause', description: `Pause your plan from ${args.start_date} to ${args.end_date} (${days} day${days === 1 ? '' : 's'}, ${args.reason})`, arguments: args })
  }
})

export const proposePlanChangeTool = defineTool({
  name: 'proposePlanChange',
  description: 'Propose a new plan from today — the resolution in numbers (sessions_per_week, the weekdays, for how many weeks) or a session moved to another weekday — optionally with the resolution in the user\'s words. Other plan fields stay as they are. Saved only when the user says yes.',
  parameters: Type.Object({
    sessions_per_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 14 })),
    weekdays: Type.Optional(Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true })),
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 104, description: 'the plan ends after this many weeks' })),
    move: Type.Optional(Type.Object({ from: Weekday, to: Weekday }, { additionalProperties: false, description: 'move the session planned on one weekday to another' })),
    resolution: Type.Optional(Type.String({ minLength: 1, maxLength: 200 }))
  }, { additionalProperties: false }),
  async run (args, context) {
    const { plan } = await currentPlan(context.repo, context.userId, context.now)
    const today = localDate(context.now, await timezoneOf(context))
    const sessions = args.sessions_per_week ?? plan.sessions_per_week
    let weekdays = args.weekdays ?? plan.weekdays
    if (args.move) {
      const { from, to } = args.move
      if (!weekdays.includes(from)) throw invalid(`No session is planned on ${from}: your plan's days are ${weekdays.join(', ')}.`)
      if (weekdays.includes(to)) throw invalid(`A session is already planned on ${to}: your plan's days are ${weekdays.join(', ')}.`)
      weekdays = weekdays.map(d => d === from ? to : d)
    } else if (!args.weekdays && sessions > weekdays.length * plan.max_sessions_per_day) {
      // More sessions than the current days hold, and no days named: spread them over the week.
      weekdays = SPREAD[Math.min(sessions, 7) - 1]
    }
    if (sessions > weekdays.length * plan.max_sessions_per_day) {
      throw invalid(`${sessions} sessions a week do not fit into ${weekdays.length} planned day${weekdays.length === 1 ? '' : 's'}; name more days.`)
    }
    const body = {
      sessions_per_week: sessions,
      weekdays: [...weekdays].sort((a, b) => WEEK_ORDER.indexOf(a) - WEEK_ORDER.indexOf(b)),
      window_start: plan.window_start,
      window_end: plan.window_end,
      min_minutes: plan.min_minutes,
      max_sessions_per_day: plan.max_sessions_per_day,
      start_date: today,
      end_date: args.weeks ? addDays(today, args.weeks * 7 - 1) : null,
      ...(args.resolution ? { resolution: args.resolution } : {})
    }
    const until = body.end_date ? ` until ${body.end_date} (${args.weeks} week${args.weeks === 1 ? '' : 's'})` : ''
    return propose(context, { kind: 'plan', description: `Set your plan to ${sessions} session${sessions === 1 ? '' : 's'} a week on ${body.weekdays.join(', ')} from ${today}${until}`, arguments: body })
  }
})

const WEEK_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
/** n sessions a week with rest days between them where the week allows it. */
const SPREAD: Array<Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>> = [
  ['wed'], ['tue', 'sat'], ['mon', 'wed', 'fri'], ['mon', 'wed', 'fri', 'sat'], ['mon', 'tue', 'thu', 'fri', 'sat'],
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
]
