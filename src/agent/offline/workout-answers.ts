// The offline coach's answers about workouts: log what was said (several at once, on the day said),
// and propose a correction or a deletion — done only on the person's yes.
import type { Static } from 'typebox'
import { wallClockToEpochMs } from '../../calendar/wall-clock.js'
import { addDays } from '../../shared/local-time.js'
import { MAX_WORKOUT_MINUTES } from '../../workouts/workout-schemas.js'
import type { WorkoutSaid } from './understand/understand.js'
import { HISTORY_FAILED, HistoryData, LoggedData, gather, history, proposalAnswer, read, type Intent, type LogWorkoutIntent, type PlannedCall, type Recent, type Step, type Turn } from './coach-turn.js'
import { count, dayName, describeWorkout, list } from './words.js'

/** Why a duration cannot be logged as said, or null when it can. */
function durationProblem (w: WorkoutSaid, what: string): string | null {
  const minutes = w.duration_minutes
  if (minutes === undefined) return `How long did your ${what} take? Tell me the minutes and I'll log it — I won't guess.`
  if (minutes > MAX_WORKOUT_MINUTES) return `${minutes} minutes is over the limit of ${MAX_WORKOUT_MINUTES} minutes for one workout, so I haven't logged it. If it was several sessions, tell me about them one at a time; if it was a typo, tell me the right duration.`
  if (minutes < 0) return `A workout can't last ${minutes} minutes — a duration is never negative — so I haven't logged your ${what}. How long was it?`
  if (minutes < 1) return `A workout needs at least 1 minute, so I haven't logged your ${what}. How long was it?`
  return null
}

/** The instant a workout said to be done on another day is logged at: the time said, else midday there. */
export function performedAt (intent: LogWorkoutIntent, timeZone: string): string | undefined {
  const when = intent.when
  if (!when) return undefined
  if (when.at) return when.at
  const [year, month, day] = when.date.split('-').map(Number)
  return new Date(wallClockToEpochMs({ year, month, day, hour: 12, minute: 0, second: 0 }, timeZone)).toISOString()
}

export function logWorkout (turn: Turn, intent: LogWorkoutIntent): Step {
  if (intent.when && intent.when.date > turn.today) {
    return { answer: `That sounds like ${dayName(intent.when.date)}, which hasn't happened yet — I log workouts once they're done. Tell me when you've done it.` }
  }
  for (const w of intent.workouts) {
    const problem = durationProblem(w, describeWorkout(w.exercise_type, w))
    if (problem) return { answer: intent.workouts.length > 1 ? `${problem} (I haven't logged the others yet either — tell me all of them again with their minutes.)` : problem }
  }
  const at = performedAt(intent, turn.context.timeZone)
  const calls: PlannedCall[] = intent.workouts.map(w => ({
    name: 'logWorkout',
    args: {
      exercise_type: w.exercise_type,
      duration_minutes: w.duration_minutes!,
      ...(w.sets !== undefined ? { sets: w.sets } : {}),
      ...(w.reps !== undefined ? { reps: w.reps } : {}),
      ...(at ? { performed_at: at } : {})
    }
  }))
  const got = gather(turn, calls, 'log workouts')
  if (!Array.isArray(got)) return got
  const done: Array<Static<typeof LoggedData>> = []
  for (const [i, result] of got.entries()) {
    const logged = read(result, LoggedData, `I couldn't log your ${describeWorkout(intent.workouts[i].exercise_type, intent.workouts[i])}${done.length > 0 ? ` (the ${list(done.map(d => d.workout.exercise_type))} before it ${done.length === 1 ? 'is' : 'are'} logged)` : ', so nothing was saved'}`)
    if ('answer' in logged) return logged
    done.push(logged)
  }
  // Logged together, each result counts the others or not depending on timing: the fullest week is the true one.
  const week = done.map(d => d.week).sort((a, b) => b.total_workouts - a.total_workouts)[0]
  const lastDate = done.map(d => d.workout.local_date).sort().at(-1)!
  const target = week.weekly_target
  const remaining = target - week.total_workouts
  return {
    answer: [
      `Logged ${list(done.map((d, i) => `${d.workout.duration_minutes} min of ${describeWorkout(d.workout.exercise_type, intent.workouts[i])}`))} on ${dayName(done[0].workout.local_date)}.`,
      `That makes ${count(week.total_workouts, 'workout')} (${week.total_minutes} min) in the last 7 days — ${week.completion_rate}% of your ${target}-a-week target.`,
      remaining > 0
        ? `Next step: ${count(remaining, 'more session')} to reach ${target}; the next one could be ${dayName(addDays(lastDate < turn.today ? turn.today : lastDate, lastDate < turn.today ? 0 : 1))}, and a short one counts.`
        : `You've reached ${target} in 7 days — next step: keep the rhythm, and take a rest day whenever you need one.`
    ].join(' ')
  }
}

/** The workout meant by "the last one" / "the run": the most recent one, of the type named if any. */
function targetWorkout (recent: Recent[], type: string | undefined, duplicate = false): Recent | undefined {
  const candidates = recent.filter(w => w.workout_id !== undefined && (type === undefined || w.exercise_type === type || w.exercise_type.includes(type)))
  if (duplicate) {
    // Of a workout logged twice, the later copy goes.
    const twin = candidates.find((w, i) => candidates.slice(i + 1).some(o => o.exercise_type === w.exercise_type && o.local_date === w.local_date && o.duration_minutes === w.duration_minutes))
    if (twin) return twin
  }
  return candidates[0]
}

export function correctWorkout (turn: Turn, intent: Extract<Intent, { intent: 'correct_workout' }>): Step {
  const got = gather(turn, [history(28)], 'look up your workouts')
  if (!Array.isArray(got)) return got
  const month = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in month) return month
  const target = targetWorkout(month.recent, intent.target_type)
  if (!target) return { answer: `I can't find ${intent.target_type ? `a ${intent.target_type} workout` : 'a workout'} of yours in the last 28 days to correct.` }
  const args: Record<string, unknown> = { workout_id: target.workout_id }
  if (intent.duration_minutes !== undefined) {
    const problem = durationProblem({ exercise_type: target.exercise_type, duration_minutes: intent.duration_minutes }, target.exercise_type)
    if (problem) return { answer: problem }
    args.duration_minutes = intent.duration_minutes
  }
  if (intent.exercise_type !== undefined) args.exercise_type = intent.exercise_type
  if (intent.when) args.performed_at = intent.when.at ?? performedAt({ intent: 'log_workout', workouts: [], when: intent.when }, turn.context.timeZone)
  if (Object.keys(args).length === 1) {
    return { answer: `What should I change on your ${target.duration_minutes} min of ${target.exercise_type} on ${dayName(target.local_date)}? Say for example "actually it was 30 minutes" or "it was yoga".` }
  }
  const call: PlannedCall = { name: 'proposeWorkoutCorrection', args }
  const done = gather(turn, [call], 'correct workouts')
  if (!Array.isArray(done)) return done
  const changes = [
    intent.duration_minutes !== undefined ? `${intent.duration_minutes} min` : null,
    intent.exercise_type !== undefined ? `${intent.exercise_type}` : null,
    intent.when ? `on ${dayName(intent.when.date)}` : null
  ].filter(Boolean).join(', ')
  return proposalAnswer(done[0], `I'll change your ${target.duration_minutes} min of ${target.exercise_type} on ${dayName(target.local_date)} to ${changes}.`)
}

export function deleteWorkout (turn: Turn, intent: Extract<Intent, { intent: 'delete_workout' }>): Step {
  const got = gather(turn, [history(28)], 'look up your workouts')
  if (!Array.isArray(got)) return got
  const month = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in month) return month
  const target = targetWorkout(month.recent, intent.target_type, intent.duplicate)
  if (!target) return { answer: `I can't find ${intent.target_type ? `a ${intent.target_type} workout` : 'a workout'} of yours in the last 28 days to delete.` }
  const done = gather(turn, [{ name: 'proposeWorkoutDeletion', args: { workout_id: target.workout_id } }], 'delete workouts')
  if (!Array.isArray(done)) return done
  return proposalAnswer(done[0], `I'll delete your ${target.duration_minutes} min of ${target.exercise_type} on ${dayName(target.local_date)}${target.local_time ? ` at ${target.local_time}` : ''}.`)
}
