// Did an intervention help? Each deployed intervention is judged on one question: did a qualifying
// workout follow within its window. Pure: the store passes everything in, `nowMs` included, and the
// same input always gives the same answer (in whatever order the records come).
//
// The rules, from the issue:
// - Only deployed interventions are judged, and only they are returned: a proposal nobody accepted
//   or one that failed to deploy helped nobody and hurt nobody, so it has no outcome at all.
// - The window is closed, [start, start + windowHours], both edges included. It starts when the
//   intervention was deployed — or, for a calendar block, at the block (a session booked for
//   tomorrow 18:00 is judged from tomorrow 18:00; a workout before the block is not its doing), but
//   never before the deployment.
// - A qualifying workout is one not deleted, at least as long as the plan's min_minutes on its own
//   local date.
// - `success` as soon as a qualifying workout's performed_at is inside the window; `failed` once the
//   window has passed (nowMs > its end) without one; `pending` until then.
// - One workout credits at most one intervention. Workouts are taken in time order; each goes to
//   the LATEST-starting intervention still pending whose window holds it (ties: the later deployed,
//   then the greater id), and the other pending ones whose windows hold it become `superseded` —
//   they overlapped the one that got the credit and are not counted either way. So two workouts in
//   overlapping windows credit two interventions only when the second intervention was still pending
//   at the second workout, i.e. it started after the first workout: A at 08:00, workout at 10:00
//   (A succeeds), B at 12:00, workout at 18:00 (B succeeds). A workout in no pending window credits
//   nothing.
// - Pauses (decision): the window's clock stops on paused local days. The person is not expected to
//   train then, so a window running into a pause is extended by the paused time, and one deployed
//   during a pause starts when the pause ends (local midnight after its last day). A workout logged
//   during a pause that falls inside an extended window still counts: training anyway is training.
// - Outcomes are recomputed from the data each time: a workout logged late (performed_at backdated
//   into an expired window) turns a `failed` into `success`, and a workout logged a little ahead
//   (the clock-skew tolerance) counts as soon as it is logged.
import { parseLocalDate, startOfLocalDay } from '../calendar/wall-clock.js'
import type { InterventionType } from '../drift/drift-types.js'
import { canonicalTimeZone, parseInstant } from '../shared/local-time.js'

export type InterventionStatus = 'proposed' | 'deployed' | 'dismissed' | 'failed'
export type Outcome = 'pending' | 'success' | 'failed' | 'superseded'

export interface OutcomeIntervention {
  intervention_id: string
  type: InterventionType
  status: InterventionStatus
  /** RFC 3339; set once deployed */
  deployed_at: string | null
  /** RFC 3339; a calendar block's start: its window starts there */
  block_start: string | null
}

export interface OutcomeWorkout {
  workout_id: string
  /** RFC 3339 */
  performed_at: string
  minutes: number
  /** YYYY-MM-DD of performed_at in the user's zone */
  local_date: string
  deleted_at?: string | null
}

/** Inclusive local dates. */
export interface PausedDays {
  start_date: string
  end_date: string
}

export interface OutcomeInput {
  interventions: readonly OutcomeIntervention[]
  workouts: readonly OutcomeWorkout[]
  /** the plan's min_minutes on a local date */
  minMinutesOn: (localDate: string) => number
  pauses: readonly PausedDays[]
  timeZone: string
  /** OUTCOME_WINDOW_HOURS */
  windowHours: number
  nowMs: number
}

export interface JudgedIntervention {
  intervention_id: string
  type: InterventionType
  outcome: Outcome
  /** when it was decided: the workout's performed_at (success, superseded) or the window's end
   * (failed); null while pending */
  outcome_at: string | null
  /** the workout that decided it — for `superseded`, the one that went to a later intervention */
  workout_id: string | null
  window_start: string
  window_end: string
}

export interface OutcomeJudgement {
  /** the deployed interventions, by window start (then deployed_at, then id) */
  outcomes: JudgedIntervention[]
  /** see nextOutcomeChangeMs */
  nextChangeMs: number | null
}

const HOUR_MS = 3_600_000

/** Judges every deployed intervention as of `nowMs`. A RangeError on an unknown zone, a window that
 * is not a positive number of hours, or a record whose dates do not parse. */
export function judgeOutcomes (input: OutcomeInput): OutcomeJudgement {
  const { windowHours, nowMs } = input
  if (!Number.isFinite(windowHours) || windowHours <= 0) throw new RangeError(`windowHours must be a positive number, got ${windowHours}`)
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be a finite number, got ${nowMs}`)
  const zone = canonicalTimeZone(input.timeZone)
  if (!zone) throw new RangeError(`timeZone ${JSON.stringify(input.timeZone)} is not a known IANA time zone`)
  const paused = pausedSpans(input.pauses, zone)

  const open = input.interventions.filter(i => i.status === 'deployed').map(i => {
    const deployedMs = i.deployed_at === null ? null : instantMs(i.deployed_at, `intervention ${i.intervention_id} deployed_at`)
    const blockMs = i.type === 'calendar' && i.block_start !== null ? instantMs(i.block_start, `intervention ${i.intervention_id} block_start`) : null
    const anchor = deployedMs === null ? blockMs : blockMs === null ? deployedMs : Math.max(deployedMs, blockMs)
    if (anchor === null) throw new RangeError(`intervention ${i.intervention_id} is deployed but has no deployed_at`)
    const { startMs, endMs } = windowOf(anchor, windowHours * HOUR_MS, paused)
    return { i, deployedMs: deployedMs ?? anchor, startMs, endMs, decided: null as null | { outcome: Outcome, atMs: number, workoutId: string } }
  }).sort((a, b) => a.startMs - b.startMs || a.deployedMs - b.deployedMs || compareIds(a.i.intervention_id, b.i.intervention_id))

  const qualifying = input.workouts
    .filter(w => w.deleted_at == null && w.minutes >= input.minMinutesOn(w.local_date))
    .map(w => ({ id: w.workout_id, ms: instantMs(w.performed_at, `workout ${w.workout_id} performed_at`) }))
    .sort((a, b) => a.ms - b.ms || compareIds(a.id, b.id))

  for (const workout of qualifying) {
    // In window-start order, so the last one holding the workout is the latest-starting.
    const holding = open.filter(o => o.decided === null && o.startMs <= workout.ms && workout.ms <= o.endMs)
    holding.forEach((o, index) => {
      o.decided = { outcome: index === holding.length - 1 ? 'success' : 'superseded', atMs: workout.ms, workoutId: workout.id }
    })
  }

  const outcomes = open.map(({ i, startMs, endMs, decided }): JudgedIntervention => {
    const window = { window_start: iso(startMs), window_end: iso(endMs) }
    const base = { intervention_id: i.intervention_id, type: i.type }
    if (decided) return { ...base, outcome: decided.outcome, outcome_at: iso(decided.atMs), workout_id: decided.workoutId, ...window }
    if (nowMs > endMs) return { ...base, outcome: 'failed', outcome_at: window.window_end, workout_id: null, ...window }
    return { ...base, outcome: 'pending', outcome_at: null, workout_id: null, ...window }
  })
  return { outcomes, nextChangeMs: nextOutcomeChangeMs(outcomes) }
}

/**
 * The first instant at which one of these outcomes changes by the clock alone: the earliest pending
 * window's end + 1 ms (the window includes its end; it has passed one ms later). Null when nothing is
 * pending. A cache of the outcomes holds until then — or until a workout or intervention changes.
 */
export function nextOutcomeChangeMs (judged: readonly Pick<JudgedIntervention, 'outcome' | 'window_end'>[]): number | null {
  let next: number | null = null
  for (const j of judged) {
    if (j.outcome !== 'pending') continue
    const passed = Date.parse(j.window_end) + 1
    if (next === null || passed < next) next = passed
  }
  return next
}

interface Span {
  startMs: number
  /** exclusive */
  endMs: number
}

/** Paused local days as instants ([first day's midnight, the midnight after the last day)), merged
 * and in order. A pause ending before it starts holds no day. */
function pausedSpans (pauses: readonly PausedDays[], zone: string): Span[] {
  const spans = pauses.map(p => {
    const first = parseLocalDate(p.start_date)
    const last = parseLocalDate(p.end_date)
    if (!first || !last) throw new RangeError(`pause ${JSON.stringify(p)} does not hold YYYY-MM-DD dates`)
    return { startMs: startOfLocalDay(first, zone), endMs: startOfLocalDay(last.add({ days: 1 }), zone) }
  }).filter(s => s.startMs < s.endMs).sort((a, b) => a.startMs - b.startMs)
  const merged: Span[] = []
  for (const span of spans) {
    const previous = merged.at(-1)
    if (previous && span.startMs <= previous.endMs) previous.endMs = Math.max(previous.endMs, span.endMs)
    else merged.push({ ...span })
  }
  return merged
}

/** `lengthMs` of unpaused time from `anchor` (moved out of a pause it falls in). A window whose time
 * runs out exactly as a pause begins ends there: it is not stretched over a pause it did not need. */
function windowOf (anchor: number, lengthMs: number, paused: readonly Span[]): Span {
  let startMs = anchor
  for (const span of paused) {
    if (span.startMs <= startMs && startMs < span.endMs) startMs = span.endMs
  }
  let at = startMs
  let left = lengthMs
  for (const span of paused) {
    if (span.endMs <= at) continue
    if (at + left <= span.startMs) break
    left -= span.startMs - at
    at = span.endMs
  }
  return { startMs, endMs: at + left }
}

function instantMs (value: string, what: string): number {
  const instant = parseInstant(value)
  if (!instant) throw new RangeError(`${what} ${JSON.stringify(value)} is not an RFC 3339 date-time`)
  return instant.getTime()
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Code-unit order: the same on every runtime and locale (localeCompare is not). */
const compareIds = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0
