// The accounting every signal reads: one entry per local day (which plan applied, whether it was
// paused or planned, how many qualifying sessions it holds) and one per Monday–Sunday week (its
// target and its sessions). Built once per input, in whole weeks, from the plan's first week to the
// end of the current one (or of a later date asked for).
import { addDays, daysBetween, isoWeekday, minutesOfDay, startOfWeek } from '../shared/local-time.js'
import { WEEKDAYS, type EngineInput, type EngineWorkout, type PlanVersion, type Weekday } from './drift-types.js'
import { crossesMidnight, planOn, planTimeline } from './plan-versions.js'

export interface LedgerDay {
  date: string
  weekday: Weekday
  /** the plan version applying; null before the first one or after an end_date */
  plan: PlanVersion | null
  paused: boolean
  /** one of the applying plan's weekdays (paused or not) */
  planned: boolean
  /** in a plan and not paused: the day carries its share of the target and its sessions count */
  counted: boolean
  /** qualifying workouts (≥ min_minutes), at most max_sessions_per_day; 0 unless counted */
  sessions: number
  /** every workout belonging to the day, whatever its length */
  workouts: EngineWorkout[]
}

export interface LedgerWeek {
  monday: string
  sunday: string
  /** round(Σ sessions_per_week over counted days / 7): a pause or a plan starting mid-week lowers it
   * in proportion, a plan changed mid-week blends the two */
  target: number
  sessions: number
  /** ended before today, so its verdict is final */
  complete: boolean
  /** Monday to Sunday */
  days: LedgerDay[]
}

export interface Ledger {
  today: string
  /** the last day whose count is settled: today once it has a session, else yesterday — a day that
   * is not over does not count against anyone */
  judgedThrough: string
  timeline: PlanVersion[]
  days: LedgerDay[]
  weeks: LedgerWeek[]
  day (date: string): LedgerDay | undefined
  week (date: string): LedgerWeek | undefined
}

/**
 * The date a workout belongs to. With a window crossing midnight (22:00–01:00) the training day
 * runs until the window's end: a workout at 00:30 belongs to the evening before, as the contract
 * says a session belongs to the date its window starts.
 */
export function sessionDate (workout: EngineWorkout, timeline: readonly PlanVersion[]): string {
  if (!workout.local_time) return workout.local_date
  const eve = addDays(workout.local_date, -1)
  const plan = planOn(timeline, eve)
  return plan && crossesMidnight(plan) && minutesOfDay(workout.local_time) < minutesOfDay(plan.window_end) ? eve : workout.local_date
}

export function buildLedger (input: EngineInput, until: string = input.today): Ledger {
  const timeline = planTimeline(input.plans, input.defaultStart)
  const today = input.today
  const first = startOfWeek(timeline[0].start_date < today ? timeline[0].start_date : today)
  const last = addDays(startOfWeek(until > today ? until : today), 6)
  const length = daysBetween(first, last) + 1
  const indexOf = (date: string) => daysBetween(first, date)

  const paused = new Uint8Array(length)
  for (const pause of input.pauses) {
    const from = Math.max(0, indexOf(pause.start_date))
    const to = Math.min(length - 1, indexOf(pause.end_date))
    for (let i = from; i <= to; i++) paused[i] = 1
  }

  const byDate = new Map<string, EngineWorkout[]>()
  for (const workout of input.workouts) {
    const date = sessionDate(workout, timeline)
    // A workout dated after today is a clock or data error; the future holds no sessions yet.
    if (date > today) continue
    const list = byDate.get(date)
    if (list) list.push(workout)
    else byDate.set(date, [workout])
  }

  const days: LedgerDay[] = []
  for (let i = 0; i < length; i++) {
    const date = addDays(first, i)
    const weekday = WEEKDAYS[isoWeekday(date)]
    const plan = planOn(timeline, date)
    const workouts = byDate.get(date) ?? []
    const counted = plan !== null && paused[i] === 0
    const qualifying = counted ? workouts.filter(w => w.duration_minutes >= plan.min_minutes).length : 0
    days.push({
      date,
      weekday,
      plan,
      paused: paused[i] === 1,
      planned: plan !== null && plan.weekdays.includes(weekday),
      counted,
      sessions: counted ? Math.min(plan.max_sessions_per_day, qualifying) : 0,
      workouts
    })
  }

  const weeks: LedgerWeek[] = []
  for (let i = 0; i < length; i += 7) {
    const weekDays = days.slice(i, i + 7)
    const perWeek = weekDays.reduce((sum, d) => sum + (d.counted ? d.plan!.sessions_per_week : 0), 0)
    weeks.push({
      monday: weekDays[0].date,
      sunday: weekDays[6].date,
      target: Math.round(perWeek / 7),
      sessions: weekDays.reduce((sum, d) => sum + d.sessions, 0),
      complete: weekDays[6].date < today,
      days: weekDays
    })
  }

  const todayEntry = days[indexOf(today)]
  return {
    today,
    judgedThrough: todayEntry.sessions > 0 ? today : addDays(today, -1),
    timeline,
    days,
    weeks,
    day: date => {
      const i = indexOf(date)
      return i >= 0 && i < length ? days[i] : undefined
    },
    week: date => {
      const i = indexOf(date)
      return i >= 0 && i < length ? weeks[Math.floor(i / 7)] : undefined
    }
  }
}

/** The week holding today (the ledger always has it). */
export function currentWeek (ledger: Ledger): LedgerWeek {
  return ledger.week(ledger.today)!
}

/** Sessions the current week still needs to reach its target (0 once met). */
export function sessionsNeeded (week: LedgerWeek): number {
  return Math.max(0, week.target - week.sessions)
}

/**
 * What the rest of the week can still hold, today included: max_sessions_per_day for each counted
 * day from today on, less what today already holds (a day that is full adds nothing more).
 */
export function capacityLeft (week: LedgerWeek, today: string): number {
  return week.days.reduce((sum, d) => d.date < today || !d.counted ? sum : sum + d.plan!.max_sessions_per_day - d.sessions, 0)
}

/** Room to spare this week: capacity left − sessions needed; below 0 the target is out of reach. */
export function weekSlack (week: LedgerWeek, today: string): number {
  return capacityLeft(week, today) - sessionsNeeded(week)
}
