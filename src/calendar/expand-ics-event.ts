// The occurrences of one VEVENT inside [from, until): DTSTART, RRULE, RDATE minus EXDATE and
// minus the occurrences other VEVENTs of the series override (RECURRENCE-ID).
//
// Two guards keep a hostile or unbounded rule from looping. ical.js's iterator has to walk from
// DTSTART, so a COUNT-less rule that started years ago is first fast-forwarded to just before the
// range (only where that cannot change which occurrences exist); and every step the iterator takes
// — including the inner loop that hunts for a match, endless for an impossible rule such as
// FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 — is charged to a step budget. Running out of budget or
// reaching maxOccurrences ends the expansion early and reports `truncated`, never an error: the
// occurrences found so far are real.
import { CalendarError } from './calendar-error.js'
import { type IcalTime, type TimePlacement, plainDateOf, toEpochMs } from './ics-time.js'
import type { IcalRecur, IcsEvent } from './read-ics-event.js'
import { startOfLocalDay } from './wall-clock.js'

export interface Occurrence {
  startMs: number
  endMs: number
  allDay: boolean
}

export interface EpochRange {
  fromMs: number
  untilMs: number
}

class BudgetExhausted extends Error {}

/** Iteration steps left; `take()` throws BudgetExhausted when none are. A budget made with a
 * parent (one event's share of the file's) charges the parent too. */
export class StepBudget {
  constructor (private left: number, private readonly parent?: StepBudget) {}

  take (): void {
    this.parent?.take()
    if (--this.left < 0) throw new BudgetExhausted('step budget exhausted')
  }
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Rules whose period is a fixed wall-clock length, in ms — the ones fast-forwarding cannot bend.
 * (MONTHLY and YEARLY are not: month lengths vary, and they take few steps anyway.) */
const PERIOD_MS: Record<string, number> = { SECONDLY: 1000, MINUTELY: 60_000, HOURLY: HOUR_MS, DAILY: DAY_MS, WEEKLY: 7 * DAY_MS }

/** Overlaps [from, until); an event that takes no time counts when it starts inside. */
function inRange (startMs: number, endMs: number, range: EpochRange): boolean {
  return startMs < range.untilMs && (endMs > range.fromMs || (endMs === startMs && startMs >= range.fromMs))
}

function endOf (event: IcsEvent, time: IcalTime, startMs: number, placement: TimePlacement): number {
  const { days, ms } = event.length
  if (time.isDate) return startOfLocalDay(plainDateOf(time).add({ days }), placement.userZone)
  if (days === 0) return startMs + ms
  // Whole days are wall-clock days: a 2-day event starting 09:00 ends at 09:00, DST or not.
  const shifted = time.clone()
  shifted.adjust(days, 0, 0, 0)
  return toEpochMs(shifted, placement) + ms
}

/**
 * A later DTSTART for `rule` that yields the same occurrences in the range: DTSTART moved by whole
 * periods (INTERVAL × FREQ) keeps the rule's lattice of candidate times and every BYxxx filter,
 * so only occurrences before it go. Not for COUNT (it counts from the real DTSTART). The new start
 * stays an event length and two hours (the most a clock change can move wall-clock order against
 * UTC order; none for UTC times) before `from`, so no occurrence reaching into the range is skipped.
 */
function fastForwardedStart (event: IcsEvent, rule: IcalRecur, fromMs: number): IcalTime {
  const unit = PERIOD_MS[rule.freq ?? '']
  if (!unit || rule.count) return event.start
  const interval = rule.interval || 1
  const step = unit * interval
  // UTC never changes its offset: no margin needed there (it spares a SECONDLY rule 7200 steps).
  const clockMargin = event.start.zone?.tzid === 'UTC' && !event.start.isDate ? 0 : 2 * HOUR_MS
  const latestMs = fromMs - (event.length.days * 25 * HOUR_MS + event.length.ms) - clockMargin
  let periods = Math.floor((latestMs - event.startMs) / step)
  // The estimate is in UTC, the shift on the wall clock: a zone's offset change can overshoot it,
  // so step back until the shifted start really lies early enough (each round steps back ≥ 1).
  while (periods >= 1) {
    const seconds = (periods * step) / 1000
    const anchor = event.start.clone()
    anchor.adjust(Math.floor(seconds / 86_400), 0, 0, seconds % 86_400)
    const overshoot = toEpochMs(anchor, event.placement) - latestMs
    if (overshoot <= 0) return anchor
    periods -= Math.ceil(overshoot / step)
  }
  return event.start
}

/** Charge every pass of the iterator's inner search loop to `budget` (one instance, no global patch). */
function meter (iterator: { check_contracting_rules (): boolean }, budget: StepBudget): void {
  const check = iterator.check_contracting_rules.bind(iterator)
  iterator.check_contracting_rules = () => {
    budget.take()
    return check()
  }
}

export interface Expansion {
  occurrences: Occurrence[]
  truncated: boolean
}

/**
 * @param overridden start instants of this series' occurrences that other VEVENTs replace
 * @param maxOccurrences at most this many occurrences (the earliest) come back
 */
export function expandIcsEvent (event: IcsEvent, range: EpochRange, overridden: ReadonlySet<number>, budget: StepBudget,
  maxOccurrences: number): Expansion {
  const occurrences: Occurrence[] = []
  const seen = new Set<number>()
  let truncated = false

  /** false once the cap is reached */
  const add = (time: IcalTime, startMs: number, placement: TimePlacement, explicitEnd: IcalTime | null): boolean => {
    if (seen.has(startMs)) return true
    seen.add(startMs)
    if (overridden.has(startMs) || event.exdateMs.has(startMs)) return true
    if (event.exdateDays.size > 0 && event.exdateDays.has(plainDateOf(time).toString())) return true
    const endMs = explicitEnd ? toEpochMs(explicitEnd, placement) : endOf(event, time, startMs, placement)
    if (!inRange(startMs, endMs, range)) return true
    if (occurrences.length >= maxOccurrences) {
      truncated = true
      return false
    }
    occurrences.push({ startMs, endMs, allDay: time.isDate })
    return true
  }

  // RFC 5545: DTSTART is always the first occurrence, whether or not the rule would produce it.
  add(event.start, event.startMs, event.placement, null)
  for (const rdate of event.rdates) {
    if (!add(rdate.time, toEpochMs(rdate.time, rdate.placement), rdate.placement, rdate.end)) break
  }
  if (event.recurrenceIdMs !== null) return { occurrences, truncated } // an override is one occurrence

  for (const rule of event.rules) {
    if (truncated) break
    try {
      const iterator = rule.iterator(fastForwardedStart(event, rule, range.fromMs))
      meter(iterator, budget)
      // The metered search loop runs for every candidate but the very first: charge that one here.
      budget.take()
      for (let time = iterator.next(); time; time = iterator.next()) {
        const startMs = toEpochMs(time, event.placement)
        if (startMs >= range.untilMs) break
        if (!add(time, startMs, event.placement, null)) break
      }
    } catch (err) {
      if (!(err instanceof BudgetExhausted)) {
        throw new CalendarError(`${event.label}: RRULE ${rule.toString()} cannot be expanded (${(err as Error).message})`)
      }
      truncated = true
    }
  }
  return { occurrences, truncated }
}
