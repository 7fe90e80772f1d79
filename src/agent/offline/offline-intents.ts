// What a person means, read from one chat message by rules: the offline coach's "understanding".
// Pure and deterministic (no clock, no data), so the same sentence always gives the same intent.
// Parsing reports what the sentence says and nothing more: a missing duration stays missing (the
// coach asks for it) and an out-of-range one is kept as said (the coach explains the limit) —
// nothing is guessed or clamped here.

export interface LogWorkoutIntent {
  intent: 'log_workout'
  exercise_type: string
  /** whole minutes as said; absent when the sentence gave no duration */
  duration_minutes?: number
  sets?: number
  reps?: number
  /** a day other than today the person named ("yesterday"): a sentence cannot date a workout yet */
  past_day?: string
}

/** A bare answer such as "20 minutes" — meaningful only as the reply to "how long was it?". */
export interface DurationIntent {
  intent: 'duration'
  duration_minutes: number
}

export type Intent =
  | LogWorkoutIntent
  | DurationIntent
  | { intent: 'progress' | 'low_energy' | 'plan_week' | 'stakes' | 'greeting' | 'unknown' }

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']

/**
 * Lower case with number words and idioms turned into digits and units, so the patterns below
 * deal with one spelling: "an hour and a half" → "90 minutes", "forty-five" → "45".
 */
function normalise (text: string): string {
  return text.toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\b(?:an|one) (?:hour|hr) and a half\b|\bone and a half hours?\b/g, '90 minutes')
    .replace(/\bhalf (?:an )?hour\b/g, '30 minutes')
    .replace(/\b(?:a )?quarter (?:of an )?hour\b/g, '15 minutes')
    .replace(/\b(?:a|an) (hours?|hrs?)\b/g, '1 $1')
    .replace(new RegExp(`\\b(${TENS.slice(2).join('|')})(?:[- ](${UNITS.slice(1, 10).join('|')}))?\\b`, 'g'),
      (_, tens: string, unit?: string) => String(TENS.indexOf(tens) * 10 + (unit ? UNITS.indexOf(unit) : 0)))
    .replace(new RegExp(`\\b(${UNITS.join('|')})\\b`, 'g'), (_, word: string) => String(UNITS.indexOf(word)))
}

/**
 * Duration patterns, most specific first; each returns minutes (fractions rounded to whole minutes).
 * A minus sign written against the number ("-30 min") is kept, so the coach can refuse it; a dash
 * used as punctuation ("Boxing class - 55 minutes") or a range ("4-5 min") is not a sign.
 */
const DURATIONS: Array<[RegExp, (m: RegExpExecArray) => number]> = [
  [/(?<![\d-])(-?\d+)\s*(?:h|hrs?|hours?)\s*(?:and\s+)?(\d+)\s*(?:m|mins?|minutes?)\b/, m => Math.sign(Number(m[1]) || 1) * (Math.abs(Number(m[1])) * 60 + Number(m[2]))],
  [/(?<![\d-])(-?\d+)h(\d{1,2})\b/, m => Math.sign(Number(m[1]) || 1) * (Math.abs(Number(m[1])) * 60 + Number(m[2]))],
  [/(?<![\d-])(-?\d+(?:\.\d+)?)[\s-]*(?:h|hrs?|hours?)\b/, m => Math.round(Number(m[1]) * 60)],
  [/(?<![\d-])(-?\d+(?:\.\d+)?)[\s-]*(?:mins?|minutes?)\b/, m => Math.round(Number(m[1]))]
]

function findDuration (text: string): { minutes: number, match: string } | undefined {
  for (const [pattern, toMinutes] of DURATIONS) {
    const m = pattern.exec(text)
    if (m) return { minutes: toMinutes(m), match: m[0] }
  }
  return undefined
}

/** Exercise words → the type stored; the earliest mention in the sentence wins. */
const EXERCISES: Array<[string, RegExp]> = [
  ['running', /\b(?:run|runs|ran|running|jog|jogs|jogged|jogging)\b/],
  ['walking', /\b(?:walk|walks|walked|walking)\b/],
  ['hiking', /\b(?:hike|hikes|hiked|hiking)\b/],
  ['cycling', /\b(?:cycle|cycled|cycling|bike|biked|biking|bicycle|spin class|spinning)\b/],
  ['swimming', /\b(?:swim|swims|swam|swum|swimming)\b/],
  ['yoga', /\byoga\b/],
  ['pilates', /\bpilates\b/],
  ['hiit', /\bhiit\b/],
  ['crossfit', /\bcrossfit\b/],
  ['strength training', /\b(?:weights|weight ?lifting|lifted|lifting|strength(?: training)?)\b/],
  ['rowing', /\b(?:row|rowed|rowing)\b/],
  ['pushups', /\bpush[- ]?ups?\b/],
  ['pullups', /\bpull[- ]?ups?\b/],
  ['situps', /\bsit[- ]?ups?\b/],
  ['squats', /\bsquats?\b/],
  ['burpees', /\bburpees?\b/],
  ['lunges', /\blunges?\b/],
  ['plank', /\bplanks?\b/],
  ['stretching', /\b(?:stretch|stretched|stretching)\b/],
  ['climbing', /\b(?:climb|climbed|climbing|bouldering)\b/],
  ['boxing', /\b(?:boxing|kickboxing)\b/],
  ['dancing', /\b(?:dance|danced|dancing|zumba)\b/],
  ['tennis', /\btennis\b/],
  ['football', /\b(?:football|soccer)\b/],
  ['basketball', /\bbasketball\b/],
  ['elliptical', /\b(?:elliptical|cross[- ]?trainer)\b/],
  ['cardio', /\bcardio\b/]
]

/** Words that end a free-text exercise name ("30 min of tai chi this morning" → "tai chi"). */
const NAME_STOP = new Set(['today', 'this', 'yesterday', 'earlier', 'tonight', 'now', 'at', 'in', 'on', 'with', 'and', 'for', 'after', 'before', 'then', 'just', 'again'])
/** A workout with no named exercise ("did a 30 minute workout") is still a workout. */
const GENERIC = /\b(?:workout|work out|worked out|exercise|exercised|training|session|gym)\b/

/** Counted exercises: a number right before them is a rep count ("did 50 pushups"). */
const COUNTED = new Set(['pushups', 'pullups', 'situps', 'squats', 'burpees', 'lunges'])

function findExercise (text: string): { type: string, at?: number } | undefined {
  let best: { type: string, at: number } | undefined
  for (const [type, pattern] of EXERCISES) {
    const at = text.search(pattern)
    if (at >= 0 && (!best || at < best.at)) best = { type, at }
  }
  if (best) return best
  // "did 30 min of tai chi": an exercise the vocabulary does not know, named after "of".
  const named = /(?:mins?|minutes?|h|hrs?|hours?)\s+of\s+(?:(?:a|an|the|some)\s+)?([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)/.exec(text)
  if (named) {
    const kept: string[] = []
    for (const word of named[1].split(/\s+/)) {
      if (NAME_STOP.has(word)) break
      kept.push(word)
    }
    if (kept.length > 0) return { type: kept.join(' ') }
  }
  return GENERIC.test(text) ? { type: 'workout' } : undefined
}

function findSetsReps (text: string, exercise: { type: string, at?: number }): { sets?: number, reps?: number } {
  const times = /(\d+)\s*[x×]\s*(\d+)\b/.exec(text)
  if (times) return { sets: Number(times[1]), reps: Number(times[2]) }
  const sets = /(\d+)\s*sets?\b(?:\s*(?:of|x)\s*(\d+))?/.exec(text)
  const reps = /(\d+)\s*reps?\b/.exec(text)
  const countedReps = COUNTED.has(exercise.type) && exercise.at !== undefined ? /(\d+)\s+$/.exec(text.slice(0, exercise.at)) : null
  const repCount = sets?.[2] ?? reps?.[1] ?? countedReps?.[1]
  return {
    ...(sets ? { sets: Number(sets[1]) } : {}),
    ...(repCount !== undefined ? { reps: Number(repCount) } : {})
  }
}

/** Said as done — the sentence reports a finished workout, not a wish or a plan. */
const DONE = /\b(?:did|done|finished|completed|had|got in|managed|went for|ran|swam|biked|cycled|walked|hiked|rowed|lifted|played|trained|worked out|log|logged)\b/
/** Not done: skipped, refused or still to come. Such sentences are never logged. */
const NOT_DONE = /\b(?:skip|skips|skipping|skipped|didn't|did not|couldn't|could not|can't|cannot|won't|will not|not going|too tired|going to|gonna|will|i'll|plan to|planning to|want to|tomorrow)\b/
/** A question about workouts ("did I run enough?") is not a report of one. */
const QUESTION = /^(?:did i|have i|how|what|when|which|why|should|shall|am i|is|are|can|could|do i)\b|\?$/
const PAST_DAY = /\b(yesterday|last night|the day before|(?:on|last) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d+ days ago)\b/

const STAKES = /\b(?:stakes?|at stake|commitments?|bet|wager|deposit|money|penalty|penalties|forfeit)\b/
const LOW_ENERGY = /\b(?:exhausted|tired|knackered|drained|wiped|no energy|low energy|sore|burn(?:ed|t)? out|sick|unmotivated|not feeling it|can't be bothered|skip|skips|skipping|skipped|rest day)\b/
const PLAN = /\b(?:plan|planning|schedule|scheduling|calendar|book|free (?:time|slots?)|when (?:should|can|could) i (?:train|work out|workout|exercise|fit in))\b/
const PROGRESS = /\b(?:how am i doing|how'?s it going|how did i do|on track|progress|stats|statistics|summary|how many (?:workouts|sessions)|status|streak|am i behind|enough)\b/
const GREETING = /^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening))\b|\b(?:help|what can you do)\b/
/** What may surround a bare duration answer: "about 20 minutes", "it took 1h". */
const DURATION_FILLER = /^(?:about|around|roughly|approximately|approx|maybe|like|it|was|took|me|for|just|only|~|long|total|in|of|\s|[.,!?])*$/

export function recognise (message: string): Intent {
  const text = normalise(message.trim())
  if (text === '') return { intent: 'unknown' }

  const duration = findDuration(text)
  if (duration && DURATION_FILLER.test(text.replace(duration.match, ''))) return { intent: 'duration', duration_minutes: duration.minutes }
  if (/^\d+$/.test(text)) return { intent: 'duration', duration_minutes: Number(text) }

  const exercise = findExercise(text)
  if (exercise && !NOT_DONE.test(text) && !QUESTION.test(text)) {
    const counts = findSetsReps(text, exercise)
    if (duration || counts.sets !== undefined || counts.reps !== undefined || DONE.test(text)) {
      const pastDay = PAST_DAY.exec(text)?.[1]
      return {
        intent: 'log_workout',
        exercise_type: exercise.type,
        ...(duration ? { duration_minutes: duration.minutes } : {}),
        ...counts,
        ...(pastDay ? { past_day: pastDay } : {})
      }
    }
  }
  if (STAKES.test(text)) return { intent: 'stakes' }
  if (LOW_ENERGY.test(text)) return { intent: 'low_energy' }
  if (PLAN.test(text)) return { intent: 'plan_week' }
  if (PROGRESS.test(text)) return { intent: 'progress' }
  if (GREETING.test(text)) return { intent: 'greeting' }
  return { intent: 'unknown' }
}
