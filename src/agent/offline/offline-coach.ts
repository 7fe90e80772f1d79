// The offline coach: a deterministic, rule-based ChatModel used when no LLM key is configured (and
// by tests, for reproducibility). It plays the model's part in the SAME agent loop: on the user's
// message it recognises the intent and asks for tools; once their results are back it writes the
// answer from THEIR data. It keeps no state — like an LLM, it reads everything from the messages —
// so the same conversation and data always give the same reply, and it never states a number the
// tools did not return.
import { parseJsonOrText } from '../../shared/parse-json-or-text.js'
import { MAX_WORKOUT_MINUTES } from '../../workouts/workout-schemas.js'
import { createHash } from 'node:crypto'
import Value from 'typebox/value'
import { Type, type Static, type TSchema } from 'typebox'
import { addDays } from '../../shared/local-time.js'
import { CommitmentAnalysis, WorkoutStats } from '../../workouts/workout-schemas.js'
import type { ChatMessage, ChatModel, ModelReply, ModelRequest, ToolCall } from '../models/chat-model.js'
import { wallClockToEpochMs } from '../../calendar/wall-clock.js'
import { localDate, localTime } from '../../shared/local-time.js'
import { classifier } from './understand/classifier.js'
import { understand, type Context, type Understood, type WorkoutSaid } from './understand/understand.js'

type Intent = Understood
type LogWorkoutIntent = Extract<Understood, { intent: 'log_workout' }>

/** The target the tools' completion rates are measured against (see getWorkoutHistory's description). */
/** The most one workout may log (the API's rule); a longer duration is refused, never clamped. */

/** The shapes of the tool results this coach reads (see tools/workout-tools.ts). */
const HistoryData = Type.Object({
  days_back: Type.Integer(),
  weekly_target: Type.Integer(),
  stats: WorkoutStats,
  commitment: CommitmentAnalysis,
  recent: Type.Array(Type.Object({ workout_id: Type.Optional(Type.String()), local_date: Type.String(), local_time: Type.Optional(Type.String()), exercise_type: Type.String(), duration_minutes: Type.Integer() })),
  more_not_listed: Type.Integer()
})

const LoggedData = Type.Object({
  workout: Type.Object({ exercise_type: Type.String(), duration_minutes: Type.Integer(), local_date: Type.String() }),
  week: Type.Object({ total_workouts: Type.Integer(), total_minutes: Type.Integer(), completion_rate: Type.Integer(), weekly_target: Type.Integer() })
})

const PatternsData = Type.Object({
  drift_detected: Type.Boolean(),
  risk_level: Type.String(),
  risk_score: Type.Integer(),
  habit_strength: Type.Integer(),
  signals: Type.Array(Type.Object({ type: Type.String(), severity: Type.String(), message: Type.String() })),
  recommended_intervention: Type.Optional(Type.Object({ type: Type.String() })),
  safety_buffer: Type.Optional(Type.Object({ needed: Type.Integer(), by: Type.String(), fails_on: Type.Union([Type.String(), Type.Null()]) }))
})

const BookedData = Type.Object({
  intervention_id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  details: Type.Object({ start: Type.Optional(Type.String()), end: Type.Optional(Type.String()) }),
  timezone: Type.String()
})

const CalendarData = Type.Object({
  timezone: Type.String(),
  calendar_imported: Type.Boolean(),
  conflicts: Type.Array(Type.Object({ date: Type.String(), event: Type.String() })),
  free_slots: Type.Array(Type.Object({ start: Type.String(), end: Type.String() }))
})

type ToolResult = { ok: true, data: Record<string, unknown> } | { ok: false, error: string }

interface PlannedCall {
  name: string
  args: Record<string, unknown>
}

/** One step of the coach: ask for tools, or answer. */
type Step = { calls: PlannedCall[] } | { answer: string }

/** The current turn as the messages tell it: what the user asked and which tools have answered. */
interface Turn {
  intent: Intent
  /** the run's clock and the person's zone */
  context: Context
  today: string
  /** results of this turn's tool calls, keyed by callKey() */
  results: Map<string, ToolResult>
  offered: Set<string>
}

export class OfflineCoach implements ChatModel {
  readonly provider = 'offline'
  readonly model = 'offline-coach-1'

  async complete ({ messages, tools, signal, onDelta, now, timeZone }: ModelRequest): Promise<ModelReply> {
    signal.throwIfAborted()
    const context = { now: now ?? new Date(), timeZone: timeZone ?? 'UTC' }
    const step = decide(await readTurn(messages, new Set(tools.map(t => t.function.name)), context))
    if ('calls' in step) {
      // Ids must be distinct within the conversation and the coach deterministic: a digest of the
      // conversation so far gives both. Tool results are left out: they carry stored ids (a
      // workout_id), and the same words and data must give the same calls.
      const shape = messages.map(m => m.role === 'tool' ? { role: m.role, tool_call_id: m.tool_call_id } : m)
      const turnId = createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 12)
      const toolCalls: ToolCall[] = step.calls.map((call, i) => ({
        id: `offline_${turnId}_${i}`,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args) }
      }))
      return { content: null, toolCalls, model: this.model }
    }
    // Streaming clients get the answer sentence by sentence, as they would from an LLM.
    if (onDelta) {
      for (const chunk of step.answer.match(/[^.!?]*[.!?]+\s*|[^.!?]+$/g) ?? [step.answer]) {
        signal.throwIfAborted()
        onDelta(chunk)
      }
    }
    return { content: step.answer, toolCalls: [], model: this.model }
  }
}

function callKey (name: string, args: unknown): string {
  return `${name} ${JSON.stringify(args)}`
}

/** The last user message before index `before`, with its position. */
function lastUserMessage (messages: ChatMessage[], before: number): { at: number, text: string } | undefined {
  for (let at = before - 1; at >= 0; at--) {
    const message = messages[at]
    if (message.role === 'user') return { at, text: message.content }
  }
  return undefined
}

async function readTurn (messages: ChatMessage[], offered: Set<string>, context: Context): Promise<Turn> {
  const user = lastUserMessage(messages, messages.length)
  const results = new Map<string, ToolResult>()
  const today = localDate(context.now, context.timeZone)
  if (!user) return { intent: { intent: 'unknown' }, context, today, results, offered }

  const asked = new Map<string, string>()
  for (const message of messages.slice(user.at + 1)) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        const key = callKey(call.function.name, parseJsonOrText(call.function.arguments))
        asked.set(call.id, key)
        // A call the loop never answered must not be repeated forever: it counts as failed.
        results.set(key, { ok: false, error: 'no result came back' })
      }
    } else if (message.role === 'tool') {
      const key = asked.get(message.tool_call_id)
      if (key !== undefined) results.set(key, parseResult(message.content))
    }
  }
  return { intent: await resolveIntent(messages, user, context), context, today, results, offered }
}

async function recognise (text: string, context: Context): Promise<Intent> {
  return understand(text, await (await classifier()).classify(text), context)
}

/** A bare "20 minutes" completes the previous message's workout when that one lacked a duration. */
async function resolveIntent (messages: ChatMessage[], user: { at: number, text: string }, context: Context): Promise<Intent> {
  const intent = await recognise(user.text, context)
  if (intent.intent !== 'duration') return intent
  const earlier = lastUserMessage(messages, user.at)
  const previous = earlier && await recognise(earlier.text, context)
  if (previous?.intent === 'log_workout' && previous.workouts.length === 1 && previous.workouts[0].duration_minutes === undefined) {
    return { ...previous, workouts: [{ ...previous.workouts[0], duration_minutes: intent.duration_minutes }] }
  }
  return intent
}

function parseResult (content: string): ToolResult {
  const value = parseJsonOrText(content)
  if (typeof value !== 'object' || value === null) return { ok: false, error: content.trim() || 'an empty result' }
  const record = value as Record<string, unknown>
  if (record.ok === true) return { ok: true, data: record }
  return { ok: false, error: typeof record.error === 'string' ? record.error : 'an unexplained error' }
}

/**
 * The results of `wanted`, or the step that gets them: the calls not made yet, or an honest
 * answer when a needed tool is not offered.
 */
function gather (turn: Turn, wanted: PlannedCall[], purpose: string): ToolResult[] | Step {
  const missing = wanted.find(call => !turn.offered.has(call.name))
  if (missing) return { answer: `I can't ${purpose} right now: the ${missing.name} tool isn't available.` }
  const pending = wanted.filter(call => !turn.results.has(callKey(call.name, call.args)))
  if (pending.length > 0) return { calls: pending }
  return wanted.map(call => turn.results.get(callKey(call.name, call.args))!)
}

/** The tool data in the expected shape, or the answer that says in plain words why it can't be used. */
function read<S extends TSchema> (result: ToolResult, schema: S, failure: string): Static<S> | { answer: string } {
  if (!result.ok) return { answer: `${failure}: ${sentence(result.error)}` }
  if (!Value.Check(schema, result.data)) return { answer: `${failure}: the result came back in a form I can't read.` }
  return result.data as Static<S>
}

const history = (days: number): PlannedCall => ({ name: 'getWorkoutHistory', args: { days_back: days } })
const PATTERNS: PlannedCall = { name: 'detectPatterns', args: {} }
const CALENDAR: PlannedCall = { name: 'analyzeCalendar', args: { days_ahead: 7 } }
/** The tools this coach uses when offered; without them it answers from the history alone. */
const optional = (turn: Turn, calls: PlannedCall[]) => calls.filter(call => turn.offered.has(call.name))
const HISTORY_FAILED = "I couldn't read your workout history"

function decide (turn: Turn): Step {
  const { intent } = turn
  switch (intent.intent) {
    case 'log_workout': return logWorkout(turn, intent)
    case 'duration': return { answer: `${intent.duration_minutes} minutes of what? Tell me the exercise too — for example "did ${intent.duration_minutes} min of yoga" — and I'll log it.` }
    case 'progress': return progress(turn)
    case 'low_energy': return lowEnergy(turn)
    case 'plan_week': return planWeek(turn)
    case 'stakes': return stakes(turn)
    case 'correct_workout': return correctWorkout(turn, intent)
    case 'delete_workout': return deleteWorkout(turn, intent)
    case 'missed_session': return missedSession(turn, intent)
    case 'set_resolution': return setResolution(turn, intent)
    case 'pause': return pause(turn, intent)
    case 'move_session': return moveSession(turn, intent)
    case 'remind': return remind(turn, intent)
    case 'autopilot': return autopilot(turn)
    case 'thanks': return { answer: "You're welcome! Tell me when you've trained and I'll log it." }
    case 'consent': return { answer: `There's nothing waiting for your yes right now. ${EXAMPLES}` }
    case 'decline': return { answer: `OK — nothing is waiting for an answer, so nothing changes. ${EXAMPLES}` }
    case 'small_talk': return introduce(turn, 'greeting')
    case 'unknown': return introduce(turn, 'unknown')
  }
}

/** Three messages that work, for when the coach cannot do what was asked. */
const EXAMPLES = 'Try: "did 30 min of yoga", "am I on track?" or "I\'m traveling next week".'

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
function performedAt (intent: LogWorkoutIntent, timeZone: string): string | undefined {
  const when = intent.when
  if (!when) return undefined
  if (when.at) return when.at
  const [year, month, day] = when.date.split('-').map(Number)
  return new Date(wallClockToEpochMs({ year, month, day, hour: 12, minute: 0, second: 0 }, timeZone)).toISOString()
}

function logWorkout (turn: Turn, intent: LogWorkoutIntent): Step {
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

type Recent = Static<typeof HistoryData>['recent'][number]

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

const ASK_YES = 'Reply "yes" to do it, or "no" to leave it as it is.'

/** The coach's words for a proposal the tool accepted, or what went wrong. */
function proposalAnswer (result: ToolResult, intro: string): Step {
  if (!result.ok) return { answer: `I can't propose that: ${sentence(result.error)}` }
  return { answer: `${intro} ${ASK_YES}` }
}

function correctWorkout (turn: Turn, intent: Extract<Intent, { intent: 'correct_workout' }>): Step {
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

function deleteWorkout (turn: Turn, intent: Extract<Intent, { intent: 'delete_workout' }>): Step {
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

function missedSession (turn: Turn, intent: Extract<Intent, { intent: 'missed_session' }>): Step {
  const extra = optional(turn, [PATTERNS, { name: 'analyzeCalendar', args: { days_ahead: 7, slots: 7 } }])
  const got = gather(turn, [history(7), ...extra], 'look at your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week
  const day = intent.date ? dayName(intent.date) : 'that session'
  const parts = [`No problem — I've logged nothing for ${day}; a missed session is information, not a failure.`]
  const drift = extra[0]?.name === 'detectPatterns' ? read(got[1], PatternsData, "I couldn't run the drift check") : null
  const needed = drift && !('answer' in drift) && drift.safety_buffer ? drift.safety_buffer.needed : Math.max(0, week.weekly_target - week.stats.total_workouts)
  parts.push(needed === 0
    ? `You still have ${week.weekly_target} this week, so nothing more is needed.`
    : `This week still needs ${count(needed, 'session')}${drift && !('answer' in drift) && drift.safety_buffer ? ` by ${dayName(drift.safety_buffer.by)}` : ''}.`)
  const calendarAt = extra.findIndex(c => c.name === 'analyzeCalendar')
  const calendar = calendarAt >= 0 ? read(got[1 + calendarAt], CalendarData, "I couldn't read your calendar") : null
  if (needed > 0 && calendar && !('answer' in calendar)) {
    const slots = openSlots(calendar, week, turn.today).slice(0, Math.max(needed, 2))
    if (slots.length > 0) parts.push(`Free in your plan's window: ${list(slots)}. Tell me when one is done and I'll log it.`)
  } else if (needed > 0) {
    parts.push('The next short session you can fit in counts — tell me when it is done and I\'ll log it.')
  }
  return { answer: parts.join(' ') }
}

/** Free slots on days with no workout yet (a day already done is not offered again). */
function openSlots (calendar: Static<typeof CalendarData>, week: Static<typeof HistoryData>, today: string): string[] {
  const done = new Set(week.recent.map(w => w.local_date))
  return calendar.free_slots
    .filter(slot => !done.has(localDate(new Date(slot.start), calendar.timezone)) && localDate(new Date(slot.start), calendar.timezone) >= today)
    .map(slot => slotText(slot, calendar.timezone))
}

function setResolution (turn: Turn, intent: Extract<Intent, { intent: 'set_resolution' }>): Step {
  if (intent.sessions_per_week === undefined) {
    return { answer: 'How many sessions a week do you want — and for how many weeks? Say it like "run 3x a week for 6 weeks" and I\'ll turn it into your plan.' }
  }
  const args = {
    sessions_per_week: intent.sessions_per_week,
    ...(intent.weekdays.length > 0 ? { weekdays: intent.weekdays } : {}),
    ...(intent.weeks !== undefined ? { weeks: intent.weeks } : {}),
    resolution: intent.text
  }
  const done = gather(turn, [{ name: 'proposePlanChange', args }], 'change your plan')
  if (!Array.isArray(done)) return done
  const result = done[0]
  const described = result.ok && typeof (result.data.proposal as { description?: unknown })?.description === 'string' ? (result.data.proposal as { description: string }).description : ''
  return proposalAnswer(result, `Here's your resolution as a plan: ${lowerFirst(described.replace(/^Set your plan to /, ''))}.`)
}

function pause (turn: Turn, intent: Extract<Intent, { intent: 'pause' }>): Step {
  if (!intent.start_date || !intent.end_date) {
    return { answer: 'Which days should I pause? Say for example "I\'m traveling next week" or "I\'m sick until Friday" and I\'ll propose a pause — paused days count neither as done nor as missed.' }
  }
  const args = { start_date: intent.start_date, end_date: intent.end_date, reason: intent.reason }
  const done = gather(turn, [{ name: 'proposePause', args }], 'pause your plan')
  if (!Array.isArray(done)) return done
  const span = intent.start_date === intent.end_date ? dayName(intent.start_date) : `${dayName(intent.start_date)} to ${dayName(intent.end_date)}`
  return proposalAnswer(done[0], `${intent.reason === 'illness' ? 'Get well soon. ' : intent.reason === 'travel' ? 'Safe travels! ' : ''}I can pause your plan for ${span}: those days count neither as done nor as missed.`)
}

function moveSession (turn: Turn, intent: Extract<Intent, { intent: 'move_session' }>): Step {
  if (!intent.from || !intent.to) return { answer: 'Which session, and to which day? Say for example "move my Thursday session to Saturday".' }
  const done = gather(turn, [{ name: 'proposePlanChange', args: { move: { from: intent.from, to: intent.to } } }], 'change your plan')
  if (!Array.isArray(done)) return done
  return proposalAnswer(done[0], `I'll move your ${FULL_DAY[intent.from]} session to ${FULL_DAY[intent.to]} in your plan, from today on.`)
}

const FULL_DAY: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' }

function remind (turn: Turn, intent: Extract<Intent, { intent: 'remind' }>): Step {
  if (!intent.at || !intent.time || !intent.date) {
    return { answer: 'When should I remind you? Say a day and a time, for example "remind me tomorrow at 7".' }
  }
  if (Date.parse(intent.at) <= turn.context.now.getTime()) return { answer: `${intent.time} on ${dayName(intent.date)} has already passed — tell me a time ahead.` }
  const message = intent.about ? `Reminder: ${intent.about}.` : 'Reminder from your coach: time for your workout — even a short one counts.'
  const got = gather(turn, [{ name: 'deployNudge', args: { message, channel: 'in_app', send_at: intent.at } }], 'set reminders')
  if (!Array.isArray(got)) return got
  if (!got[0].ok) return { answer: `I couldn't set the reminder: ${sentence(got[0].error)}` }
  return { answer: `Done — I'll remind you in the app on ${dayName(intent.date)} at ${intent.time} (${turn.context.timeZone}).` }
}

const AutopilotData = Type.Object({
  runs: Type.Array(Type.Object({ checkpoint: Type.String(), ran_at: Type.String(), decision: Type.String(), why: Type.String() }))
})

const CHECKPOINT_WORDS: Record<string, string> = { before_session: 'before a session', end_of_day: 'at the end of a planned day', commitment_deadline: 'before a commitment deadline', weekly_digest: 'for the weekly digest' }

function autopilot (turn: Turn): Step {
  const got = gather(turn, [{ name: 'getAutopilotRuns', args: { limit: 5 } }], 'look at what the autopilot did')
  if (!Array.isArray(got)) return got
  const data = read(got[0], AutopilotData, "I couldn't read the autopilot's record")
  if ('answer' in data) return data
  if (data.runs.length === 0) return { answer: "The autopilot hasn't checked in on you yet: it looks before your planned sessions, at the end of planned days and before commitment deadlines, and acts only when a session is at risk." }
  const acted = data.runs.find(r => r.decision === 'acted')
  const latest = data.runs[0]
  const when = (r: { ran_at: string }) => `${dayName(localDate(new Date(r.ran_at), turn.context.timeZone))} at ${localTime(new Date(r.ran_at), turn.context.timeZone)}`
  const parts = [`Last check: ${when(latest)} ${CHECKPOINT_WORDS[latest.checkpoint] ?? latest.checkpoint} — it ${latest.decision === 'acted' ? 'acted' : 'stayed quiet'}: ${sentence(latest.why)}`]
  if (acted && acted !== latest) parts.push(`It last acted ${when(acted)}: ${sentence(acted.why)}`)
  return { answer: parts.join(' ') }
}

function lowerFirst (text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function progress (turn: Turn): Step {
  const extra = optional(turn, [PATTERNS])
  const got = gather(turn, [history(7), history(28), ...extra], 'check your progress')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week
  const month = read(got[1], HistoryData, HISTORY_FAILED)
  if ('answer' in month) return month

  const w = week.stats
  const m = month.stats
  const target = week.weekly_target
  const favourite = mostFrequent(m.exercise_breakdown)
  const pace = w.total_workouts > m.workouts_per_week ? 'above' : w.total_workouts < m.workouts_per_week ? 'below' : 'in line with'
  const parts = [
    `Last 7 days: ${count(w.total_workouts, 'workout')}, ${w.total_minutes} min — ${w.completion_rate}% of your ${target}-a-week target, risk ${week.commitment.risk_level}.`,
    `Last 28 days: ${count(m.total_workouts, 'workout')}, ${m.total_minutes} min (${m.completion_rate}%, ${m.workouts_per_week} a week), so this week is ${pace} your recent pace.`
  ]
  if (favourite) parts.push(`Your most frequent exercise is ${favourite.type} (${favourite.count} of ${m.total_workouts}).`)
  const drift = extra.length > 0 ? read(got[2], PatternsData, "I couldn't run the drift check") : null
  if (drift && !('answer' in drift)) {
    parts.push(driftSentence(drift))
    // High risk: act, through the intervention the drift engine recommends (what has worked for
    // this person). A block or a buddy message is only proposed: the person's yes confirms it.
    if (drift.risk_level === 'high' && turn.offered.has('bookIntervention')) {
      const recommended = drift.recommended_intervention?.type
      const call: PlannedCall = { name: 'bookIntervention', args: { type: recommended === 'calendar' || recommended === 'social' ? recommended : 'message' } }
      const booked = turn.results.get(callKey(call.name, call.args))
      if (!booked) return { calls: [call] }
      parts.push(interventionSentence(booked))
    }
  }
  if (w.total_workouts >= target) parts.push(`Next step: you've hit ${target} — keep the rhythm, and a rest day is fine whenever you need one.`)
  else if (week.commitment.on_track) parts.push(`Next step: one more session gets you to ${target}${favourite ? ` — ${favourite.type} or anything you enjoy` : ''}.`)
  else if (favourite) parts.push(`Next step: a short session today — even 15 minutes of ${favourite.type} counts and makes it ${w.total_workouts + 1} of ${target}.`)
  else parts.push("Next step: start with one 15-minute session today and tell me when it's done — I'll log it.")
  return { answer: parts.join(' ') }
}

function lowEnergy (turn: Turn): Step {
  const got = gather(turn, [history(7)], 'look at your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week

  const { stats, commitment } = week
  const target = week.weekly_target
  const doneToday = week.recent.filter(w => w.local_date === turn.today)
  const minutesToday = doneToday.reduce((sum, w) => sum + w.duration_minutes, 0)
  if (minutesToday > 0) {
    // Already trained today: tiredness after a session is earned, not a reason for another one.
    return { answer: `You've already done ${minutesToday} min today (${list([...new Set(doneToday.map(w => w.exercise_type).reverse())])}) — that's today's session done. Rest now, guilt-free: recovery is part of training.` }
  }
  const rest = commitment.on_track
  // The judgement goes into the trace so it can be audited; it is not needed for the answer, so a
  // coach without logReasoning (or a failed record) still answers.
  if (turn.offered.has('logReasoning')) {
    const reasoning: PlannedCall = {
      name: 'logReasoning',
      args: {
        event_name: rest ? 'low_energy_rest_day' : 'low_energy_short_session',
        metrics: { workouts_7d: stats.total_workouts, minutes_7d: stats.total_minutes, completion_rate_7d: stats.completion_rate, risk_level: commitment.risk_level, on_track: rest },
        reasoning_chain: [
          'The user reported low energy.',
          `Last 7 days: ${stats.total_workouts} workouts, ${stats.total_minutes} min, ${stats.completion_rate}% of target, risk ${commitment.risk_level}.`,
          rest
            ? 'On track, so a rest day costs nothing: suggest resting without guilt.'
            : 'Behind target, so suggest an easy 10–15 minute session to keep the habit alive, with rest as an acceptable fallback; no shaming.'
        ]
      }
    }
    if (!turn.results.has(callKey(reasoning.name, reasoning.args))) return { calls: [reasoning] }
  }

  const favourite = mostFrequent(stats.exercise_breakdown)
  if (rest) {
    return {
      answer: `Rest today, guilt-free: you've done ${count(stats.total_workouts, 'workout')} (${stats.total_minutes} min) in the last 7 days — ${stats.completion_rate}% of your target, so you're on track. Recovery is part of training; pick it up again tomorrow${favourite ? ` with some ${favourite.type}` : ''}.`
    }
  }
  const where = stats.total_workouts === 0
    ? 'Nothing is logged in the last 7 days yet, so'
    : `You're at ${stats.total_workouts} of ${target} in the last 7 days (${stats.completion_rate}%), so rather than a full workout,`
  return {
    answer: `Low-energy days happen — no guilt. ${where} an easy 10–15 minute session — a walk or some stretching — keeps the habit going without draining you. If even that's too much today, rest and try again tomorrow; tell me when you've done it and I'll log it.`
  }
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

function planWeek (turn: Turn): Step {
  // The last 7 days say how many sessions are still needed; the last 28 show the person's usual
  // days; the calendar (when the tool is offered) shows where a session still fits.
  const extra = optional(turn, [{ ...CALENDAR, args: { days_ahead: 7, slots: 7 } }])
  const got = gather(turn, [history(7), history(28), ...extra], 'plan your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week
  const month = read(got[1], HistoryData, HISTORY_FAILED)
  if ('answer' in month) return month

  const done = week.stats.total_workouts
  const target = week.weekly_target
  const needed = Math.max(0, target - done)
  const parts = [needed > 0
    ? `You've done ${count(done, 'workout')} in the last 7 days, so ${count(needed, 'more session')} ${needed === 1 ? 'gets' : 'get'} you to ${target}.`
    : `You've already done ${count(done, 'workout')} in the last 7 days, so ${target} is reached — this week is about keeping the rhythm.`]

  const days = usualDays(month.recent.map(w => w.local_date))
  if (days.length === 0) {
    parts.push('There are no workouts in the last 28 days to learn your usual days from, so pick days you can protect, with a rest day between sessions.')
  } else {
    const shown = days.slice(0, Math.max(3, needed))
    const source = `from your ${count(month.recent.length, 'most recent session')} in the last 28 days`
    const suggested = days.slice(0, needed).map(d => d.day)
    const extra = needed - suggested.length
    const advice = needed === 0
      ? `keep ${days[0].day} as your anchor day`
      : `I suggest ${list(suggested)}${extra > 0 ? `, plus ${count(extra, 'other day')} of your choice with a rest day between` : ''}`
    parts.push(`You've trained most often on ${list(shown.map(d => `${d.day} (${d.count})`))} — ${source} — so ${advice}.`)
  }
  const calendar = extra.length > 0 ? read(got[2], CalendarData, "I couldn't read your calendar") : null
  if (calendar && !('answer' in calendar)) {
    // Concrete days and times, from today on, never a day already done.
    const slots = openSlots(calendar, week, turn.today)
    if (slots.length > 0) parts.push(`Free in your plan's window: ${list(slots.slice(0, Math.max(needed, 3)))}.`)
    if (calendar.conflicts.length > 0) parts.push(calendarSentence({ ...calendar, free_slots: [] }).replace(/^.*?\.\s*/, ''))
    parts.push("I can't book them for you yet, so please put them in your calendar yourself for now.")
  } else {
    parts.push("I can't book calendar slots yet, so please put these in your calendar yourself for now.")
  }
  return { answer: parts.join(' ') }
}

/** What the coach did (or proposed) about the risk, in words; the reason when it could not. */
function interventionSentence (result: ToolResult): string {
  if (!result.ok) return `I wanted to step in, but could not: ${sentence(result.error)}`
  if (!Value.Check(BookedData, result.data)) return 'I started an intervention for you.'
  const booked = result.data as Static<typeof BookedData>
  if (booked.status === 'proposed' && booked.type === 'calendar' && booked.details.start && booked.details.end) {
    return `I can block ${slotText({ start: booked.details.start, end: booked.details.end }, booked.timezone)} in your calendar for a session — reply "yes" to book it.`
  }
  if (booked.status === 'proposed' && booked.type === 'social') return 'I can ask your buddy to cheer you on — reply "yes" to send it.'
  return 'I sent you a reminder for your next session.'
}

/** One sentence from the drift report: the verdict, and the most severe signal when there is one. */
function driftSentence (drift: Static<typeof PatternsData>): string {
  const worst = drift.signals.find(s => s.severity === 'high') ?? drift.signals.find(s => s.severity === 'medium')
  const verdict = drift.drift_detected
    ? `Drift check: risk ${drift.risk_level} (${drift.risk_score}/100), habit strength ${drift.habit_strength}/100.`
    : `Drift check: no drift (risk ${drift.risk_score}/100), habit strength ${drift.habit_strength}/100.`
  return worst ? `${verdict} ${sentence(worst.message)}` : verdict
}

/** Up to three free slots, in the person's own time, or why there are none. */
function calendarSentence (calendar: Static<typeof CalendarData>): string {
  const slots = calendar.free_slots.map(slot => slotText(slot, calendar.timezone))
  const clashes = calendar.conflicts.length > 0
    ? ` ${count(calendar.conflicts.length, 'planned session')} ${calendar.conflicts.length === 1 ? 'clashes' : 'clash'} with your calendar (${list(calendar.conflicts.slice(0, 3).map(c => `"${c.event}"`))}).`
    : ''
  if (slots.length === 0) return `Your calendar leaves no free slot in your plan's window in the next 7 days.${clashes}`
  return `Free in your plan's window: ${list(slots)}.${clashes}`
}

function slotText (slot: { start: string, end: string }, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(slot.start))
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return `${day} ${time.format(new Date(slot.start))}–${time.format(new Date(slot.end))}`
}

/** Weekdays of the given dates, most frequent first (ties in calendar order, Monday first). */
function usualDays (dates: string[]): Array<{ day: string, count: number }> {
  const counts = new Map<number, number>()
  for (const date of dates) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
    counts.set(weekday, (counts.get(weekday) ?? 0) + 1)
  }
  const mondayFirst = (d: number) => (d + 6) % 7
  return [...counts.entries()]
    .sort(([a, ca], [b, cb]) => cb - ca || mondayFirst(a) - mondayFirst(b))
    .map(([d, n]) => ({ day: WEEKDAYS[d], count: n }))
}

const CommitmentData = Type.Object({
  commitment: Type.Union([Type.Null(), Type.Object({
    status: Type.String(),
    stake: Type.String(),
    recipient_on_failure: Type.String(),
    end_date: Type.String(),
    progress: Type.Union([Type.Null(), Type.Object({
      milestone: Type.Integer(), completed_sessions: Type.Integer(), required_sessions: Type.Integer(), needed: Type.Integer(), target_date: Type.String(), days_left: Type.Integer()
    })])
  })])
})

const RECIPIENT_WORDS: Record<string, string> = { charity: 'a charity', anti_charity: 'a cause you oppose', buddy: 'your buddy' }

function stakes (turn: Turn): Step {
  if (!turn.offered.has('getCommitment')) {
    return { answer: "I can't look up your commitment right now: the getCommitment tool isn't available." }
  }
  const got = gather(turn, [{ name: 'getCommitment', args: {} }], 'look up your commitment')
  if (!Array.isArray(got)) return got
  const data = read(got[0], CommitmentData, "I couldn't read your commitment")
  if ('answer' in data) return data
  const c = data.commitment
  if (!c) {
    return { answer: 'Nothing is at stake yet: you have no open commitment. You can make one with POST /api/commitments — a stake judged from your logged workouts, milestone by milestone (bookkeeping only: no money moves).' }
  }
  const parts = [`${c.stake} is at stake (${c.status}), going to ${RECIPIENT_WORDS[c.recipient_on_failure] ?? c.recipient_on_failure} if a milestone is missed; it runs until ${c.end_date}.`]
  const p = c.progress
  if (p) {
    parts.push(p.needed === 0
      ? `Milestone ${p.milestone} is covered: ${p.completed_sessions} of ${p.required_sessions} sessions done, deadline ${p.target_date}.`
      : `Milestone ${p.milestone}: ${p.completed_sessions} of ${p.required_sessions} sessions, ${p.needed} more needed by ${p.target_date} — ${count(p.days_left, 'day')} left.`)
  }
  return { answer: parts.join(' ') }
}

function introduce (turn: Turn, kind: 'greeting' | 'unknown'): Step {
  if (kind === 'unknown') {
    return { answer: `I can't do that. Here's what I can: log and correct workouts, check your progress, plan your week, pause for travel or illness, set reminders and your resolution. ${EXAMPLES}` }
  }
  const opening = "Hi! I'm your coach."
  const offer = 'Tell me a workout in a sentence ("did 30 min of yoga") and I\'ll log it; ask "how am I doing?" for your progress, "plan my week" for a plan, or tell me when you\'re low on energy, traveling or sick.'
  if (!turn.offered.has('getWorkoutHistory')) return { answer: `${opening} ${offer}` }
  const got = gather(turn, [history(7)], 'look at your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  return { answer: 'answer' in week ? `${opening} ${week.answer} ${offer}` : `${opening} Where you stand: ${week.commitment.message} ${offer}` }
}

/** "pushups (3 sets of 10)" — what the person said they did, with the counts they gave. */
function describeWorkout (type: string, counts: { sets?: number, reps?: number }): string {
  const { sets, reps } = counts
  if (sets !== undefined && reps !== undefined) return `${type} (${sets} sets of ${reps})`
  if (sets !== undefined) return `${type} (${count(sets, 'set')})`
  if (reps !== undefined) return `${type} (${count(reps, 'rep')})`
  return type
}

/** The most logged exercise; ties go to the alphabetically first, so answers are stable. */
function mostFrequent (breakdown: Record<string, number>): { type: string, count: number } | undefined {
  const [best] = Object.entries(breakdown).sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b))
  return best && { type: best[0], count: best[1] }
}

/** "Wednesday 7 January" for a local YYYY-MM-DD date (fixed English names, not the host's locale). */
function dayName (date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`
}

/** "1 workout", "2 more sessions": the last word takes the plural. */
function count (n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

function list (items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

function sentence (text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
