// What a person means, from one chat message: the intent (classified by NLP.js, classifier.ts),
// then the details that intent needs (entities.ts, and dates with parse-when.ts in the person's
// zone). Pure given its inputs: the same sentence, clock and zone always give the same result.
// It reports what was said and nothing more — a missing duration stays missing (the coach asks),
// an out-of-range one is kept as said (the coach explains the limit).
import { wallClockToEpochMs } from '../../../calendar/wall-clock.js'
import { addDays, daysBetween, localDate, startOfWeek } from '../../../shared/local-time.js'
import type { Classification } from './classifier.js'
import { findDurations, findExercises, findPerWeek, findSetsReps, findWeekdays, findWeeks, normalise, type WeekdayName } from './entities.js'
import { isConsent, isDecline } from './consent.js'
import { parseWhen, type WhenMatch } from './parse-when.js'

export interface WorkoutSaid {
  exercise_type: string
  /** whole minutes as said; absent when the sentence gave no duration */
  duration_minutes?: number
  sets?: number
  reps?: number
}

export interface When {
  /** the local date meant */
  date: string
  /** the instant meant, when a time of day was said */
  at?: string
}

export type Understood =
  | { intent: 'log_workout', workouts: WorkoutSaid[], when?: When }
  /** a bare "20 minutes": meaningful only as the answer to "how long was it?" */
  | { intent: 'duration', duration_minutes: number }
  | { intent: 'correct_workout', target_type?: string, duration_minutes?: number, exercise_type?: string, when?: When }
  | { intent: 'delete_workout', target_type?: string, duplicate: boolean }
  | { intent: 'missed_session', date?: string }
  | { intent: 'set_resolution', sessions_per_week?: number, weeks?: number, weekdays: WeekdayName[], exercise_type?: string, text: string }
  | { intent: 'pause', start_date?: string, end_date?: string, reason: 'travel' | 'illness' | 'a break' }
  | { intent: 'move_session', from?: WeekdayName, to?: WeekdayName }
  | { intent: 'remind', at?: string, date?: string, time?: string, about?: string }
  | { intent: 'progress' | 'low_energy' | 'plan_week' | 'stakes' | 'autopilot' | 'thanks' | 'small_talk' | 'consent' | 'decline' | 'unknown' }

export type IntentKind = Understood['intent']

export interface Context {
  now: Date
  timeZone: string
}

/** What may surround a bare duration answer: "about 20 minutes", "it took 1h". */
const DURATION_FILLER = /^(?:about|around|roughly|approximately|approx|maybe|like|it|was|took|me|for|just|only|~|long|total|in|of|\s|[.,!?])*$/

/**
 * The rule-read part that needs no classifier: a yes, a no, a bare duration. These are closed
 * forms a statistical model gains nothing on, and a yes must never be a guess.
 */
export function understandFixed (message: string): Understood | null {
  const text = normalise(message)
  if (text === '') return { intent: 'unknown' }
  if (isConsent(text)) return { intent: 'consent' }
  if (isDecline(text)) return { intent: 'decline' }
  const [duration] = findDurations(text)
  if (duration && DURATION_FILLER.test(text.slice(0, duration.at) + text.slice(duration.end))) return { intent: 'duration', duration_minutes: duration.minutes }
  if (/^\d+$/.test(text)) return { intent: 'duration', duration_minutes: Number(text) }
  return null
}

export function understand (message: string, classification: Classification, context: Context): Understood {
  const fixed = understandFixed(message)
  if (fixed) return fixed
  const text = normalise(message)
  switch (classification.intent) {
    case 'log_workout': return logWorkout(text, context)
    case 'correct_workout': return correctWorkout(text, context)
    case 'delete_workout': {
      const [target] = findExercises(text).filter(e => !e.generic)
      return { intent: 'delete_workout', ...(target ? { target_type: target.type } : {}), duplicate: /\b(?:twice|duplicate|double|two times|2 times)\b/.test(text) }
    }
    case 'missed_session': {
      const when = pastDay(text, context)
      return { intent: 'missed_session', ...(when ? { date: when.date } : {}) }
    }
    case 'set_resolution': return setResolution(message, text)
    case 'pause': return pause(text, context)
    case 'move_session': return moveSession(text)
    case 'remind': return remind(text, context)
    case 'none': return { intent: 'unknown' }
    default: return { intent: classification.intent }
  }
}

/** Clauses of a message that may each be a workout: "20 min yoga and a 25 min run". */
const CLAUSE = /\s*(?:[,;]|:(?!\d)|\band then\b|\bthen\b|\band\b|\bplus\b|\balso\b|\+|&)\s*/g
const BODY_PARTS = new Set(['upper body', 'lower body', 'full body', 'legs', 'arms', 'chest', 'back', 'shoulders', 'core', 'glutes'])

function logWorkout (text: string, context: Context): Understood {
  const workouts: WorkoutSaid[] = []
  let pending: number | undefined
  let start = 0
  const clauses: Array<{ text: string, joined: boolean }> = []
  for (const m of text.matchAll(CLAUSE)) {
    clauses.push({ text: text.slice(start, m.index), joined: /\band\b|\+|&/.test(m[0]) })
    start = m.index + m[0].length
  }
  clauses.push({ text: text.slice(start), joined: false })

  let joinedBefore = false
  for (const clause of clauses) {
    const exercises = findExercises(clause.text)
    const specific = exercises.find(e => !e.generic)
    const exercise = specific ?? (workouts.length === 0 ? exercises[0] : undefined)
    const [duration] = findDurations(clause.text)
    if (exercise) {
      const counts = findSetsReps(clause.text, exercise)
      const previous = workouts.at(-1)
      // "chest and arms for 50 minutes" is one workout of two body parts, not two workouts.
      if (previous && joinedBefore && previous.duration_minutes === undefined && BODY_PARTS.has(previous.exercise_type) && BODY_PARTS.has(exercise.type)) {
        previous.exercise_type = `${previous.exercise_type} and ${exercise.type}`
        if (duration) previous.duration_minutes = duration.minutes
        Object.assign(previous, counts)
      } else {
        const minutes = duration?.minutes ?? pending
        pending = undefined
        workouts.push({ exercise_type: exercise.type, ...(minutes !== undefined ? { duration_minutes: minutes } : {}), ...counts })
      }
    } else if (duration) {
      // "did upper body at the gym, about an hour": a duration on its own belongs to the workout
      // before it, or to the one named next ("an hour of … ").
      const open = workouts.findLast(w => w.duration_minutes === undefined)
      if (open) open.duration_minutes = duration.minutes
      else pending = duration.minutes
    } else if (workouts.length > 0) {
      Object.assign(workouts.at(-1)!, findSetsReps(clause.text, undefined))
    }
    joinedBefore = clause.joined
  }
  if (workouts.length === 0) workouts.push({ exercise_type: 'workout', ...(pending !== undefined ? { duration_minutes: pending } : {}) })
  const when = pastWhen(text, context)
  return { intent: 'log_workout', workouts, ...(when ? { when } : {}) }
}

/**
 * What was done or missed lies behind: a bare weekday chrono placed ahead ("tennis on Saturday",
 * said on a Thursday, is the Saturday before — chrono picks the nearest) is moved back a week.
 */
function pastDay (text: string, context: Context): WhenMatch | undefined {
  const [when] = parseWhen(text, context.now, context.timeZone)
  if (!when) return undefined
  const today = localDate(context.now, context.timeZone)
  if (when.date > today && /\b(?:mon|tue|wed|thu|fri|sat|sun)/.test(when.text) && !/\bnext\b/.test(when.text)) {
    // Rebuilt from the wall clock: a week back may cross a DST change.
    const date = addDays(when.date, -7)
    const [year, month, day] = date.split('-').map(Number)
    const [hour, minute] = (when.time ?? '00:00').split(':').map(Number)
    return { ...when, date, at: new Date(wallClockToEpochMs({ year, month, day, hour, minute, second: 0 }, context.timeZone)) }
  }
  return when
}

/** The day (and time) a finished workout was done, when the sentence says one other than now. */
function pastWhen (text: string, context: Context): When | undefined {
  const when = pastDay(text, context)
  if (!when) return undefined
  const today = localDate(context.now, context.timeZone)
  if (when.time !== null && when.at.getTime() <= context.now.getTime()) return { date: when.date, at: when.at.toISOString() }
  if (when.date === today) return undefined
  return { date: when.date }
}

function correctWorkout (text: string, context: Context): Understood {
  const [duration] = findDurations(text)
  const bareNumber = duration ? undefined : /\b(?:to|was|make it|be|meant|only)\s+(\d{1,3})\b(?!\s*(?:x|sets?|reps?))/.exec(text)
  const minutes = duration?.minutes ?? (bareNumber ? Number(bareNumber[1]) : undefined)
  const exercises = findExercises(text).filter(e => !e.generic)
  const negated = exercises.find(e => /\b(?:not|instead of)\s+(?:a\s+|an\s+|the\s+)?$/.test(text.slice(0, e.at)))
  const said = exercises.find(e => e !== negated)
  const when = parseWhen(text, context.now, context.timeZone)
  // "that was yesterday, not today": the first day said is the right one.
  const day = when.find((w: WhenMatch) => !/\bnot\s+$/.test(text.slice(0, w.index)))
  const result: Understood = { intent: 'correct_workout', ...(minutes !== undefined ? { duration_minutes: minutes } : {}) }
  if (minutes !== undefined) {
    // With a new duration, the exercise named is which workout ("update the swim to 60 minutes").
    if (said) result.target_type = said.type
  } else {
    if (said) result.exercise_type = said.type
    if (negated) result.target_type = negated.type
  }
  if (day) result.when = day.time !== null ? { date: day.date, at: day.at.toISOString() } : { date: day.date }
  return result
}

function setResolution (message: string, text: string): Understood {
  const perWeek = findPerWeek(text)
  const weeks = findWeeks(text)
  const weekdays = [...new Set(findWeekdays(text).map(d => d.day))]
  const [exercise] = findExercises(text).filter(e => !e.generic)
  return {
    intent: 'set_resolution',
    ...(perWeek !== undefined ? { sessions_per_week: perWeek } : weekdays.length > 0 && /\bevery\b/.test(text) ? { sessions_per_week: weekdays.length } : {}),
    ...(weeks !== undefined ? { weeks } : {}),
    weekdays,
    ...(exercise ? { exercise_type: exercise.type } : {}),
    text: message.trim().replace(/^(?:my\s+)?(?:new\s+)?(?:new year'?s?\s+)?(?:resolution|goal)\s*(?:is|:)?\s*/i, '').slice(0, 200)
  }
}

const TRAVEL = /\b(?:travel\w*|trip|holiday|vacation|away|out of town|flight|flying|abroad|conference)\b/
const ILLNESS = /\b(?:sick|ill|illness|flu|covid|cold|fever|injur\w*|hurt|sprain\w*|unwell|surgery|broken)\b/

function pause (text: string, context: Context): Understood {
  const reason = ILLNESS.test(text) ? 'illness' : TRAVEL.test(text) ? 'travel' : 'a break'
  const today = localDate(context.now, context.timeZone)
  const days = /\b(\d+)\s*days?\b/.exec(text)
  const [when] = parseWhen(text, context.now, context.timeZone, { future: true })
  let start: string | undefined
  let end: string | undefined
  if (when && /\bweek\b/.test(when.text)) {
    // chrono's "next week" is one date; a pause for it is that whole Monday–Sunday week.
    start = startOfWeek(when.date)
    end = addDays(start, 6)
    if (start < today) start = today
  } else if (when && /\bweekend\b/.test(when.text)) {
    start = addDays(startOfWeek(when.date), 5)
    end = addDays(start, 1)
  } else if (when && /\b(?:until|till|til|through|thru)\s+$/.test(text.slice(0, when.index))) {
    start = today
    end = when.date
  } else if (when) {
    start = when.date
    end = when.endDate ?? (days ? addDays(when.date, Number(days[1]) - 1) : when.date)
  } else if (days) {
    start = today
    end = addDays(today, Number(days[1]) - 1)
  } else if (reason === 'illness' || /\b(?:today|now)\b/.test(text)) {
    // "I have the flu": from today; how long is for the person to say.
    start = today
    end = today
  }
  if (start && end && daysBetween(start, end) < 0) end = start
  return { intent: 'pause', ...(start ? { start_date: start } : {}), ...(end ? { end_date: end } : {}), reason }
}

function moveSession (text: string): Understood {
  const days = findWeekdays(text)
  const instead = text.indexOf('instead of')
  if (instead >= 0 && days.length >= 2) {
    const from = days.find(d => d.at > instead)
    const to = days.find(d => d !== from)
    return { intent: 'move_session', ...(from ? { from: from.day } : {}), ...(to ? { to: to.day } : {}) }
  }
  return { intent: 'move_session', ...(days[0] ? { from: days[0].day } : {}), ...(days[1] ? { to: days[1].day } : {}) }
}

function remind (text: string, context: Context): Understood {
  const found = parseWhen(text, context.now, context.timeZone, { future: true })
  const when = found.find(w => w.time !== null) ?? found[0]
  const about = /\bto\s+((?:go|do|work|run|stretch|train|hit|get|take|swim|walk|pack|book|lift)\b[^,.!?]*)/.exec(text)?.[1]
    ?.replace(/\b(?:at|on|in|tomorrow|tonight|this|next)\b.*$/, '').trim()
  return {
    intent: 'remind',
    ...(when ? { at: when.at.toISOString(), date: when.date, ...(when.time !== null ? { time: when.time } : {}) } : {}),
    ...(about ? { about } : {})
  }
}
