// One turn of the offline coach, as the messages tell it — what the person asked, which tools have
// answered — and the steps it takes: ask for the tools still missing, or answer from their results.
// Shared by the answer modules (workout-answers.ts, plan-answers.ts, offline-coach.ts).
import { parseJsonOrText } from '../../shared/parse-json-or-text.js'
import Value from 'typebox/value'
import { Type, type Static, type TSchema } from 'typebox'
import { localDate } from '../../shared/local-time.js'
import { CommitmentAnalysis, WorkoutStats } from '../../workouts/workout-schemas.js'
import type { Context, Understood } from './understand/understand.js'
import { sentence, slotText } from './words.js'

export type Intent = Understood

export type LogWorkoutIntent = Extract<Understood, { intent: 'log_workout' }>

/** The target the tools' completion rates are measured against (see getWorkoutHistory's description). */
/** The most one workout may log (the API's rule); a longer duration is refused, never clamped. */

/** The shapes of the tool results this coach reads (see tools/workout-tools.ts). */
export const HistoryData = Type.Object({
  days_back: Type.Integer(),
  weekly_target: Type.Integer(),
  stats: WorkoutStats,
  commitment: CommitmentAnalysis,
  recent: Type.Array(Type.Object({ workout_id: Type.Optional(Type.String()), local_date: Type.String(), local_time: Type.Optional(Type.String()), exercise_type: Type.String(), duration_minutes: Type.Integer() })),
  more_not_listed: Type.Integer()
})

export const LoggedData = Type.Object({
  workout: Type.Object({ exercise_type: Type.String(), duration_minutes: Type.Integer(), local_date: Type.String() }),
  week: Type.Object({ total_workouts: Type.Integer(), total_minutes: Type.Integer(), completion_rate: Type.Integer(), weekly_target: Type.Integer() })
})

export const PatternsData = Type.Object({
  drift_detected: Type.Boolean(),
  risk_level: Type.String(),
  risk_score: Type.Integer(),
  habit_strength: Type.Integer(),
  signals: Type.Array(Type.Object({ type: Type.String(), severity: Type.String(), message: Type.String() })),
  recommended_intervention: Type.Optional(Type.Object({ type: Type.String() })),
  safety_buffer: Type.Optional(Type.Object({ needed: Type.Integer(), by: Type.String(), fails_on: Type.Union([Type.String(), Type.Null()]) }))
})

export const BookedData = Type.Object({
  intervention_id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  details: Type.Object({ start: Type.Optional(Type.String()), end: Type.Optional(Type.String()) }),
  timezone: Type.String()
})

export const CalendarData = Type.Object({
  timezone: Type.String(),
  calendar_imported: Type.Boolean(),
  conflicts: Type.Array(Type.Object({ date: Type.String(), event: Type.String() })),
  free_slots: Type.Array(Type.Object({ start: Type.String(), end: Type.String() }))
})

export type ToolResult = { ok: true, data: Record<string, unknown> } | { ok: false, error: string }

export interface PlannedCall {
  name: string
  args: Record<string, unknown>
}

/** One step of the coach: ask for tools, or answer. */
export type Step = { calls: PlannedCall[] } | { answer: string }

/** The current turn as the messages tell it: what the user asked and which tools have answered. */
export interface Turn {
  intent: Intent
  /** the run's clock and the person's zone */
  context: Context
  today: string
  /** results of this turn's tool calls, keyed by callKey() */
  results: Map<string, ToolResult>
  offered: Set<string>
}

export function callKey (name: string, args: unknown): string {
  return `${name} ${JSON.stringify(args)}`
}

export function parseResult (content: string): ToolResult {
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
export function gather (turn: Turn, wanted: PlannedCall[], purpose: string): ToolResult[] | Step {
  const missing = wanted.find(call => !turn.offered.has(call.name))
  if (missing) return { answer: `I can't ${purpose} right now: the ${missing.name} tool isn't available.` }
  const pending = wanted.filter(call => !turn.results.has(callKey(call.name, call.args)))
  if (pending.length > 0) return { calls: pending }
  return wanted.map(call => turn.results.get(callKey(call.name, call.args))!)
}

/** The tool data in the expected shape, or the answer that says in plain words why it can't be used. */
export function read<S extends TSchema> (result: ToolResult, schema: S, failure: string): Static<S> | { answer: string } {
  if (!result.ok) return { answer: `${failure}: ${sentence(result.error)}` }
  if (!Value.Check(schema, result.data)) return { answer: `${failure}: the result came back in a form I can't read.` }
  return result.data as Static<S>
}

export const history = (days: number): PlannedCall => ({ name: 'getWorkoutHistory', args: { days_back: days } })

export const PATTERNS: PlannedCall = { name: 'detectPatterns', args: {} }

export const CALENDAR: PlannedCall = { name: 'analyzeCalendar', args: { days_ahead: 7 } }

/** The tools this coach uses when offered; without them it answers from the history alone. */
export const optional = (turn: Turn, calls: PlannedCall[]) => calls.filter(call => turn.offered.has(call.name))

export const HISTORY_FAILED = "I couldn't read your workout history"

export type Recent = Static<typeof HistoryData>['recent'][number]

export const ASK_YES = 'Reply "yes" to do it, or "no" to leave it as it is.'

/** The coach's words for a proposal the tool accepted, or what went wrong. */
export function proposalAnswer (result: ToolResult, intro: string): Step {
  if (!result.ok) return { answer: `I can't propose that: ${sentence(result.error)}` }
  return { answer: `${intro} ${ASK_YES}` }
}

/** Free slots on days with no workout yet (a day already done is not offered again). */
export function openSlots (calendar: Static<typeof CalendarData>, week: Static<typeof HistoryData>, today: string): string[] {
  const done = new Set(week.recent.map(w => w.local_date))
  return calendar.free_slots
    .filter(slot => !done.has(localDate(new Date(slot.start), calendar.timezone)) && localDate(new Date(slot.start), calendar.timezone) >= today)
    .map(slot => slotText(slot, calendar.timezone))
}
