// When the autopilot looks at someone (issue #14): the checkpoints of a span of time, worked out
// from the plan versions, the pauses, the commitment's milestones and the person's zone alone — no
// clock, no store. The runner asks "what falls due in [from, to)?" and gets the same answer, with
// the same ids, however often it asks; the nudge's dedupe key is built from the id.
//
// The checkpoints, all in the person's local time and from the plan applying on the session's date:
// - before_session  lead_minutes (1–720) of elapsed time before the window starts, on each planned
//                   day (the plan applies, the weekday is one of its weekdays, no pause holds it).
//                   Elapsed minutes, not wall-clock ones: "an hour before" stays an hour on the
//                   night the clocks change.
// - end_of_day      at window_end + 3 h or at 21:00 on the session's date, whichever is earlier —
//                   but never before the window has ended (22:00–00:30 is reviewed at 00:30 the next
//                   day, 20:00–23:30 at 23:30). "+ 3 h" is elapsed time too.
// - commitment_deadline  09:00 local, two days and one day before a pending milestone's target_date
//                   (its last day). 09:00: early enough to plan the day's session, late enough not to
//                   wake anyone. Pauses do not silence it: a qualifying pause has already moved the
//                   target_date, and money is at stake whatever the plan says.
// - weekly_digest   Sunday 18:00 local, when the person wants it, about the Monday–Sunday week that
//                   ends that day — unless a pause held every day of that week (nothing to tell) or
//                   the week ended before any plan began.
// Pauses silence the session checkpoints of the days they hold (a holiday has no sessions).
// A window lying wholly in a spring-forward gap has no time at all (see sessionWindow); its day
// keeps its checkpoints, at the instants the window collapses to.
//
// Every checkpoint carries `useful_until`, the instant after which sending it would be late, so
// stillUseful() needs no zone: before_session until the window starts, end_of_day and
// commitment_deadline until the end of the local day they fall due on, weekly_digest until Monday
// 00:00 local (the end of its Sunday). A checkpoint kept without it can be judged given the zone.
import { sessionWindow } from '../calendar/session-window.js'
import { parseLocalDate, parseLocalTime, requireTimeZone, startOfLocalDay, wallClockToEpochMs } from '../calendar/wall-clock.js'
import type { PlanVersion } from '../drift/drift-types.js'
import { planOn, planTimeline } from '../drift/plan-versions.js'
import { WEEKDAYS, type Pause, type Weekday } from '../plans/plan-schemas.js'
import { addDays, isoWeekday, localDate, startOfWeek } from '../shared/local-time.js'

export type CheckpointKind = 'before_session' | 'end_of_day' | 'commitment_deadline' | 'weekly_digest'

export interface Checkpoint {
  /** deterministic from the kind and its dates: the same checkpoint always has the same id */
  checkpoint_id: string
  kind: CheckpointKind
  /** ISO instant (UTC) */
  due_at: string
  /** ISO instant after which the checkpoint is late (see stillUseful) */
  useful_until: string
  /** before_session, end_of_day: the local date the session belongs to (the date its window starts) */
  session_date?: string
  /** before_session, end_of_day: that day's window, as ISO instants */
  window_start?: string
  window_end?: string
  /** commitment_deadline: the milestone (1-based), its last day, and how many days before it */
  milestone_index?: number
  target_date?: string
  days_before?: number
  /** weekly_digest: the Monday of the week the digest is about (it is sent on that week's Sunday) */
  week_start?: string
}

export interface CheckpointSettings {
  /** minutes before a planned session's window starts, 1–720 */
  lead_minutes: number
  weekly_digest: boolean
}

export interface MilestoneDeadline {
  index: number
  /** YYYY-MM-DD, the milestone's last day */
  target_date: string
  status: string
}

export interface CheckpointInput {
  /** plan versions; empty means the default plan from defaultStart (as the drift engine reads them) */
  plans: readonly PlanVersion[]
  defaultStart: string
  pauses: readonly Pick<Pause, 'start_date' | 'end_date'>[]
  /** the person's IANA zone */
  timeZone: string
  settings: CheckpointSettings
  /** the open commitment's milestones; null without one */
  milestones: readonly MilestoneDeadline[] | null
  /** the span asked about: checkpoints due in [fromMs, toMs) */
  fromMs: number
  toMs: number
}

/** A planned session: a planned weekday of the plan applying that date, not paused. */
export interface PlannedSessionWindow {
  /** the local date the session belongs to */
  date: string
  weekday: Weekday
  start: Date
  end: Date
  plan: PlanVersion
}

export const MIN_LEAD_MINUTES = 1
export const MAX_LEAD_MINUTES = 720
/** the end-of-day review comes this long after the window ends, unless END_OF_DAY_LATEST is earlier */
export const END_OF_DAY_DELAY_MS = 3 * 3_600_000
export const END_OF_DAY_LATEST = '21:00'
export const DEADLINE_TIME = '09:00'
export const DEADLINE_DAYS_BEFORE = [2, 1] as const
export const DIGEST_TIME = '18:00'
/** the longest span one call may ask about (a runner asks about minutes or hours) */
export const MAX_SPAN_MS = 366 * 86_400_000

const iso = (ms: number) => new Date(ms).toISOString()

function requireSpan (fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError('fromMs and toMs must be finite epoch milliseconds')
  if (toMs < fromMs) throw new RangeError('toMs must not come before fromMs')
  if (toMs - fromMs > MAX_SPAN_MS) throw new RangeError('a span of checkpoints is at most 366 days')
}

/** Epoch ms of HH:MM on a local date, 'compatible' in gaps and overlaps (see wall-clock.ts). */
export function localTimeOn (date: string, time: string, timeZone: string): number {
  const day = parseLocalDate(date)
  const clock = parseLocalTime(time)
  if (!day || !clock) throw new RangeError(`${JSON.stringify(date)} ${JSON.stringify(time)} is not a local date and HH:MM time`)
  return wallClockToEpochMs({ year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute, second: 0 }, timeZone)
}

/** The instant the local day after `date` begins: the end of `date`. */
export function endOfLocalDay (date: string, timeZone: string): number {
  return startOfLocalDay(parseLocalDate(addDays(date, 1))!, timeZone)
}

const pausedOn = (date: string, pauses: CheckpointInput['pauses']) => pauses.some(p => p.start_date <= date && date <= p.end_date)

/**
 * The planned sessions of the local dates `from`…`to` (inclusive), with their windows as instants —
 * the shape calendar/conflicts.ts takes, so the runner can find next week's clashes with it.
 */
export function plannedSessions (input: { plans: readonly PlanVersion[], defaultStart: string, pauses: CheckpointInput['pauses'], timeZone: string, from: string, to: string }): PlannedSessionWindow[] {
  const zone = requireTimeZone(input.timeZone)
  const timeline = planTimeline(input.plans, input.defaultStart)
  const out: PlannedSessionWindow[] = []
  for (let date = input.from; date <= input.to; date = addDays(date, 1)) {
    const plan = planOn(timeline, date)
    const weekday = WEEKDAYS[isoWeekday(date)]
    if (!plan || !plan.weekdays.includes(weekday) || pausedOn(date, input.pauses)) continue
    const window = sessionWindow(date, plan.window_start, plan.window_end, zone)
    out.push({ date, weekday, start: window.start, end: window.end, plan })
  }
  return out
}

/** When a session's day is reviewed: window_end + 3 h or 21:00 that date, the earlier — never before the window ends. */
export function endOfDayDueMs (session: { date: string, end: Date }, timeZone: string): number {
  const endMs = session.end.getTime()
  return Math.max(endMs, Math.min(endMs + END_OF_DAY_DELAY_MS, localTimeOn(session.date, END_OF_DAY_LATEST, timeZone)))
}

function byDueThenId (a: Checkpoint, b: Checkpoint): number {
  return Date.parse(a.due_at) - Date.parse(b.due_at) || (a.checkpoint_id < b.checkpoint_id ? -1 : a.checkpoint_id > b.checkpoint_id ? 1 : 0)
}

/** Every checkpoint due in [fromMs, toMs), sorted by due time, then id. */
export function upcomingCheckpoints (input: CheckpointInput): Checkpoint[] {
  const { fromMs, toMs, settings } = input
  requireSpan(fromMs, toMs)
  if (!Number.isInteger(settings.lead_minutes) || settings.lead_minutes < MIN_LEAD_MINUTES || settings.lead_minutes > MAX_LEAD_MINUTES) {
    throw new RangeError(`lead_minutes must be a whole number of minutes from ${MIN_LEAD_MINUTES} to ${MAX_LEAD_MINUTES}`)
  }
  const zone = requireTimeZone(input.timeZone)
  // Local dates whose checkpoints could fall in the span: a session's checkpoints lie between the
  // day before (a 00:00 window with a 12-hour lead) and the day after (a window past midnight).
  const first = addDays(localDate(new Date(fromMs), zone), -2)
  const last = addDays(localDate(new Date(toMs), zone), 2)
  const inSpan = (ms: number) => ms >= fromMs && ms < toMs
  const out: Checkpoint[] = []

  for (const session of plannedSessions({ ...input, timeZone: zone, from: first, to: last })) {
    const window = { session_date: session.date, window_start: iso(session.start.getTime()), window_end: iso(session.end.getTime()) }
    const beforeMs = session.start.getTime() - settings.lead_minutes * 60_000
    if (inSpan(beforeMs)) {
      out.push({ checkpoint_id: `before_session:${session.date}`, kind: 'before_session', due_at: iso(beforeMs), useful_until: window.window_start, ...window })
    }
    const reviewMs = endOfDayDueMs(session, zone)
    if (inSpan(reviewMs)) {
      const reviewDay = localDate(new Date(reviewMs), zone)
      out.push({ checkpoint_id: `end_of_day:${session.date}`, kind: 'end_of_day', due_at: iso(reviewMs), useful_until: iso(endOfLocalDay(reviewDay, zone)), ...window })
    }
  }

  for (const milestone of input.milestones ?? []) {
    if (milestone.status !== 'pending' || !parseLocalDate(milestone.target_date)) continue
    for (const daysBefore of DEADLINE_DAYS_BEFORE) {
      const date = addDays(milestone.target_date, -daysBefore)
      if (date < first || date > last) continue
      const dueMs = localTimeOn(date, DEADLINE_TIME, zone)
      if (!inSpan(dueMs)) continue
      out.push({
        checkpoint_id: `commitment_deadline:${milestone.index}:${milestone.target_date}:${daysBefore}`,
        kind: 'commitment_deadline',
        due_at: iso(dueMs),
        useful_until: iso(endOfLocalDay(date, zone)),
        milestone_index: milestone.index,
        target_date: milestone.target_date,
        days_before: daysBefore
      })
    }
  }

  if (settings.weekly_digest) {
    const timeline = planTimeline(input.plans, input.defaultStart)
    for (let sunday = addDays(startOfWeek(first), 6); sunday <= last; sunday = addDays(sunday, 7)) {
      const dueMs = localTimeOn(sunday, DIGEST_TIME, zone)
      const monday = addDays(sunday, -6)
      if (!inSpan(dueMs) || sunday < timeline[0].start_date) continue
      let everyDayPaused = true
      for (let day = monday; day <= sunday && everyDayPaused; day = addDays(day, 1)) everyDayPaused = pausedOn(day, input.pauses)
      if (everyDayPaused) continue
      out.push({ checkpoint_id: `weekly_digest:${sunday}`, kind: 'weekly_digest', due_at: iso(dueMs), useful_until: iso(endOfLocalDay(sunday, zone)), week_start: monday })
    }
  }

  return out.sort(byDueThenId)
}

export type Usefulness = true | { late: string }

/** A checkpoint as a queue may have kept it: without useful_until, stillUseful needs the zone. */
export type StoredCheckpoint = Omit<Checkpoint, 'useful_until'> & { useful_until?: string }

/** The instant after which the checkpoint is late (see the header). */
export function usefulUntilMs (checkpoint: StoredCheckpoint, timeZone?: string): number {
  if (checkpoint.useful_until !== undefined) return Date.parse(checkpoint.useful_until)
  if (checkpoint.kind === 'before_session' && checkpoint.window_start !== undefined) return Date.parse(checkpoint.window_start)
  if (timeZone === undefined) throw new RangeError(`${checkpoint.checkpoint_id} has no useful_until: the time zone is needed`)
  // The others are useful until the end of the local day they fall due on.
  const zone = requireTimeZone(timeZone)
  return endOfLocalDay(localDate(new Date(checkpoint.due_at), zone), zone)
}

/** Whether sending the checkpoint's nudge now still makes sense; if not, why it is late. */
export function stillUseful (checkpoint: StoredCheckpoint, nowMs: number, timeZone?: string): Usefulness {
  const untilMs = usefulUntilMs(checkpoint, timeZone)
  if (nowMs < untilMs) return true
  const until = iso(untilMs)
  const now = iso(nowMs)
  switch (checkpoint.kind) {
    case 'before_session':
      return { late: `the session of ${checkpoint.session_date} started at ${until}; it is ${now}` }
    case 'end_of_day':
      return { late: `the day reviewing the session of ${checkpoint.session_date} ended at ${until}; it is ${now}` }
    case 'commitment_deadline':
      return { late: `the reminder day ${checkpoint.days_before === 1 ? '1 day' : `${checkpoint.days_before} days`} before milestone ${checkpoint.milestone_index}'s deadline (${checkpoint.target_date}) ended at ${until}; it is ${now}` }
    case 'weekly_digest':
      return { late: `the week starting ${checkpoint.week_start} ended at ${until}; it is ${now}` }
  }
}
