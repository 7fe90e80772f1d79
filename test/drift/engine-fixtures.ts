// Hand-built inputs for the drift engine: a fixed calendar (2026-01-05 is a Monday) and simulated
// people who train on chosen weekdays, so every test reads as a short story with a known `today`.
import { addDays, daysBetween, isoWeekday } from '../../src/shared/local-time.js'
import { WEEKDAYS, type EngineInput, type EngineWorkout, type PlanVersion, type Weekday } from '../../src/drift/drift-types.js'

/** A Monday: the default plan starts here in the scenarios. */
export const START = '2026-01-05'
/** Wednesday of the eleventh week: ten complete weeks behind it. */
export const TODAY = '2026-03-18'

export const ALL_ALLOWED = { calendar: true, message: true, social: true, financial: true }

export function engineInput (partial: Partial<EngineInput> = {}): EngineInput {
  return {
    plans: [],
    defaultStart: START,
    workouts: [],
    pauses: [],
    today: TODAY,
    nowLocalTime: '12:00',
    outcomes: [],
    preferences: ALL_ALLOWED,
    ...partial
  }
}

export function planVersion (partial: Partial<PlanVersion> = {}): PlanVersion {
  return {
    sessions_per_week: 4,
    weekdays: ['mon', 'wed', 'fri', 'sat'],
    window_start: '06:00',
    window_end: '07:30',
    min_minutes: 20,
    max_sessions_per_day: 1,
    start_date: START,
    end_date: null,
    created_at: `${START}T08:00:00Z`,
    ...partial
  }
}

export function workout (local_date: string, duration_minutes = 30, local_time?: string): EngineWorkout {
  return local_time ? { local_date, local_time, duration_minutes } : { local_date, duration_minutes }
}

export const weekdayOf = (date: string): Weekday => WEEKDAYS[isoWeekday(date)]

/** What a simulated person does on a day: minutes and a time, or nothing (null). */
export type Habit = (date: string, weekday: Weekday, week: number) => { minutes: number, time?: string } | number | null

/** One workout per day the habit says, from `from` through `to` (week 0 is the week of `from`). */
export function simulate (habit: Habit, from = START, to = TODAY): EngineWorkout[] {
  const out: EngineWorkout[] = []
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const done = habit(date, weekdayOf(date), Math.floor(daysBetween(from, date) / 7))
    if (done === null) continue
    const { minutes, time } = typeof done === 'number' ? { minutes: done, time: '06:30' } : done
    out.push(workout(date, minutes, time))
  }
  return out
}

/** Trains on the given weekdays, 30 minutes at 06:30. */
export const onDays = (...days: Weekday[]): Habit => (_date, weekday) => days.includes(weekday) ? 30 : null

/** A small seeded generator (mulberry32), so simulated people vary yet every run is the same. */
export function seeded (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** HH:MM of minutes since midnight. */
export const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
