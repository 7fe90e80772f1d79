// The small details inside a sentence — how long, which exercise, how many sets, which weekday,
// "3x a week", "for 6 weeks". These are closed, regular forms, so patterns read them exactly;
// what the sentence is ABOUT (its intent) is the classifier's job (classifier.ts), not theirs.
// Pure: no clock, no data.

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']

/**
 * Lower case with number words and idioms turned into digits and units, so the patterns below
 * deal with one spelling: "an hour and a half" → "90 minutes", "forty-five" → "45", "about an
 * hour" → "about 1 hour", "twice a week" → "2x a week".
 */
export function normalise (text: string): string {
  return text.toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b(?:an|one) (?:hour|hr) and a half\b|\bone and a half hours?\b/g, '90 minutes')
    .replace(/\bhalf (?:an )?hour\b/g, '30 minutes')
    .replace(/\b(?:a )?quarter (?:of an )?hour\b/g, '15 minutes')
    .replace(/\b(?:a|an) (hours?|hrs?)\b/g, '1 $1')
    .replace(/\bonce (a|per|each|every) week\b/g, '1x $1 week')
    .replace(/\btwice (a|per|each|every) week\b/g, '2x $1 week')
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
  [/(?<![\d-])(-?\d+)\s*(?:h|hrs?|hours?)\s*(?:and\s+)?(\d+)\s*(?:m|mins?|minutes?)\b/g, m => Math.sign(Number(m[1]) || 1) * (Math.abs(Number(m[1])) * 60 + Number(m[2]))],
  [/(?<![\d-])(-?\d+)h(\d{1,2})\b/g, m => Math.sign(Number(m[1]) || 1) * (Math.abs(Number(m[1])) * 60 + Number(m[2]))],
  [/(?<![\d-])(-?\d+(?:\.\d+)?)[\s-]*(?:h|hrs?|hours?)\b/g, m => Math.round(Number(m[1]) * 60)],
  [/(?<![\d-])(-?\d+(?:\.\d+)?)[\s-]*(?:m|mins?|minutes?)\b/g, m => Math.round(Number(m[1]))]
]

export interface Found { at: number, end: number }
export interface DurationFound extends Found { minutes: number, match: string }

/** Every duration in the (normalised) text, in order; overlapping weaker matches are dropped. */
export function findDurations (text: string): DurationFound[] {
  const found: DurationFound[] = []
  for (const [pattern, toMinutes] of DURATIONS) {
    for (const m of text.matchAll(pattern)) {
      const at = m.index
      const end = at + m[0].length
      if (found.some(f => at < f.end && f.at < end)) continue
      found.push({ minutes: toMinutes(m as RegExpExecArray), match: m[0], at, end })
    }
  }
  return found.sort((a, b) => a.at - b.at)
}

/**
 * Exercise words → the type stored. Body parts and sports are kept as said ("legs", "upper body",
 * "tennis"): that is what the person trained, and what their history should show.
 */
const EXERCISES: Array<[string, RegExp]> = [
  ['running', /\b(?:run|runs|ran|running|jog|jogs|jogged|jogging|5k|10k)\b/g],
  ['walking', /\b(?:walk|walks|walked|walking)\b/g],
  ['hiking', /\b(?:hike|hikes|hiked|hiking)\b/g],
  ['cycling', /\b(?:cycle|cycled|cycling|bike|biked|biking|bicycle|spin class|spinning)\b/g],
  ['swimming', /\b(?:swim|swims|swam|swum|swimming)\b/g],
  ['yoga', /\byoga\b/g],
  ['pilates', /\bpilates\b/g],
  ['hiit', /\bhiit\b/g],
  ['crossfit', /\bcrossfit\b/g],
  ['upper body', /\bupper[- ]?body\b/g],
  ['lower body', /\blower[- ]?body\b/g],
  ['full body', /\bfull[- ]?body\b/g],
  ['legs', /\b(?:legs|leg day|leg workout)\b/g],
  ['arms', /\b(?:arms|biceps|triceps)\b/g],
  ['chest', /\bchest\b/g],
  ['back', /\bback (?:day|workout)\b/g],
  ['shoulders', /\bshoulders\b/g],
  ['core', /\b(?:core|abs)\b/g],
  ['glutes', /\bglutes\b/g],
  ['strength training', /\b(?:weights|weight ?lifting|lifted|lifting|strength(?: training)?)\b/g],
  ['rowing', /(?<!in a )\brow\b|\b(?:rowed|rowing)\b/g],
  ['pushups', /\bpush[- ]?ups?\b/g],
  ['pullups', /\bpull[- ]?ups?\b/g],
  ['situps', /\bsit[- ]?ups?\b/g],
  ['squats', /\bsquats?\b/g],
  ['burpees', /\bburpees?\b/g],
  ['lunges', /\blunges?\b/g],
  ['plank', /\bplanks?\b/g],
  ['stretching', /\b(?:stretch|stretched|stretching|mobility)\b/g],
  ['climbing', /\b(?:climb|climbed|climbing|bouldering)\b/g],
  ['boxing', /\b(?:boxing|kickboxing)\b/g],
  ['dancing', /\b(?:dance|danced|dancing|zumba)\b/g],
  ['tennis', /\btennis\b/g],
  ['badminton', /\bbadminton\b/g],
  ['squash', /\bsquash\b/g],
  ['padel', /\bpadel\b/g],
  ['volleyball', /\bvolleyball\b/g],
  ['golf', /\bgolf\b/g],
  ['football', /\b(?:football|soccer)\b/g],
  ['basketball', /\bbasketball\b/g],
  ['skiing', /\b(?:ski|skied|skiing)\b/g],
  ['skating', /\b(?:skate|skated|skating)\b/g],
  ['martial arts', /\b(?:karate|judo|jiu[- ]?jitsu|bjj|taekwondo|martial arts)\b/g],
  ['elliptical', /\b(?:elliptical|cross[- ]?trainer)\b/g],
  ['cardio', /\bcardio\b/g]
]

/** A workout with no named exercise ("did a 30 minute workout", "went to the gym") is still a workout. */
const GENERIC = /\b(?:workout|work out|worked out|exercise|exercised|training|trained|session|gym)\b/g
const GENERIC_WORD = /^(?:workout|exercise|training|session|gym)$/

/** Words that end a free-text exercise name ("30 min of tai chi this morning" → "tai chi"). */
const NAME_STOP = new Set(['today', 'this', 'yesterday', 'earlier', 'tonight', 'now', 'at', 'in', 'on', 'with', 'and', 'for', 'after', 'before', 'then', 'just', 'again', 'last', 'the', 'a'])

export interface ExerciseFound extends Found { type: string, generic: boolean }

/** Every exercise mentioned, in order (a generic "workout" only where nothing specific is said). */
export function findExercises (text: string): ExerciseFound[] {
  const found: ExerciseFound[] = []
  for (const [type, pattern] of EXERCISES) {
    for (const m of text.matchAll(pattern)) found.push({ type, at: m.index, end: m.index + m[0].length, generic: false })
  }
  // "did 30 min of tai chi": an exercise the vocabulary does not know, named after "of".
  for (const m of text.matchAll(/(?:mins?|minutes?|h|hrs?|hours?)\s+of\s+(?:(?:a|an|the|some)\s+)?([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)/g)) {
    const start = m.index + m[0].length - m[1].length
    if (found.some(f => f.at >= start && f.at < start + m[1].length)) continue
    const kept: string[] = []
    for (const word of m[1].split(/\s+/)) {
      if (NAME_STOP.has(word) || GENERIC_WORD.test(word)) break
      kept.push(word)
    }
    if (kept.length > 0) found.push({ type: kept.join(' '), at: start, end: start + kept.join(' ').length, generic: false })
  }
  for (const m of text.matchAll(GENERIC)) {
    if (!found.some(f => !f.generic && Math.abs(f.at - m.index) < 40)) found.push({ type: 'workout', at: m.index, end: m.index + m[0].length, generic: true })
  }
  found.sort((a, b) => a.at - b.at)
  // One mention per type and place: "ran … running" twice in a clause is one workout.
  return found.filter((f, i) => !found.slice(0, i).some(e => e.at <= f.at && f.at < e.end))
}

/** Counted exercises: a number right before them is a rep count ("did 50 pushups"). */
const COUNTED = new Set(['pushups', 'pullups', 'situps', 'squats', 'burpees', 'lunges'])

export function findSetsReps (text: string, exercise?: { type: string, at: number }): { sets?: number, reps?: number } {
  const times = /(\d+)\s*[x×]\s*(\d+)\b/.exec(text)
  if (times) return { sets: Number(times[1]), reps: Number(times[2]) }
  const sets = /(\d+)\s*sets?\b(?:\s*(?:of|x)\s*(\d+))?/.exec(text)
  const reps = /(\d+)\s*reps?\b/.exec(text)
  const countedReps = exercise && COUNTED.has(exercise.type) ? /(\d+)\s+$/.exec(text.slice(0, exercise.at)) : null
  const repCount = sets?.[2] ?? reps?.[1] ?? countedReps?.[1]
  return {
    ...(sets ? { sets: Number(sets[1]) } : {}),
    ...(repCount !== undefined ? { reps: Number(repCount) } : {})
  }
}

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type WeekdayName = typeof WEEKDAY_NAMES[number]
const WEEKDAY = /\b(mon(?:day)?s?|tue(?:s|sday)?s?|wed(?:nesday)?s?|thu(?:rs?|rsday)?s?|fri(?:day)?s?|sat(?:urday)?s?|sun(?:day)?s?)\b/g

/** Weekdays named, in the order said ("Thursday … Saturday" → thu, sat). */
export function findWeekdays (text: string): Array<{ day: WeekdayName, at: number }> {
  return [...text.matchAll(WEEKDAY)].map(m => ({ day: m[1].slice(0, 3) as WeekdayName, at: m.index }))
}

/** "3x a week", "3 times a week", "3 sessions per week", "3 days a week" → 3. */
export function findPerWeek (text: string): number | undefined {
  const m = /(\d+)\s*(?:x|×|times?|sessions?|days?|workouts?|runs?)\s*(?:a|per|each|every|\/)\s*week\b/.exec(text) ?? /(\d+)\s*(?:x|×)\s*(?:weekly|\/\s*w(?:ee)?k)\b/.exec(text)
  return m ? Number(m[1]) : undefined
}

/** "for 6 weeks", "8-week", "for 2 months" → a number of weeks. */
export function findWeeks (text: string): number | undefined {
  const weeks = /(\d+)[\s-]*(?:weeks?|wks?)\b(?!\s*(?:a|per)\b)/.exec(text.replace(/(\d+)\s*(?:x|×|times?|sessions?|days?|workouts?|runs?)\s*(?:a|per|each|every|\/)\s*week\b/g, ' '))
  if (weeks) return Number(weeks[1])
  const months = /(\d+)[\s-]*months?\b/.exec(text)
  return months ? Number(months[1]) * 4 : undefined
}
