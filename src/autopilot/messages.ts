// The autopilot's nudges, written from facts (no LLM): the same facts always give the same words,
// and every number in them is one the caller passed in. Times are the person's own — 24-hour
// clock, en-GB day names, like the offline coach — and every message fits a nudge (500 characters):
// lists are cut short ("and 2 more") and event titles shortened before anything is lost.
import type { InterventionType, Signal, SafetyBuffer } from '../drift/drift-types.js'
import type { Weekday } from '../plans/plan-schemas.js'
import { formatMoney } from '../commitments/currency.js'
import { daysBetween, localDate, localTime } from '../shared/local-time.js'

/** The longest nudge message (POST /api/nudges and the nudge records allow no more). */
export const MAX_MESSAGE_LENGTH = 500
/** Event titles are the person's own text, of any length: quoted up to this many characters. */
const MAX_TITLE = 40
const MAX_SLOTS = 3
const MAX_LISTED = 4

/** An instant as the API gives it (ISO) or as the calendar core does (Date). */
export type Instant = string | Date

export interface Slot {
  start: Instant
  end: Instant
}

const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' }

const toDate = (instant: Instant) => typeof instant === 'string' ? new Date(instant) : instant
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>()
const longFormatters = new Map<string, Intl.DateTimeFormat>()

function formatter (cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options })
    cache.set(timeZone, f)
  }
  return f
}

/** "Thursday" */
function weekdayName (instant: Instant, timeZone: string): string {
  return formatter(weekdayFormatters, timeZone, { weekday: 'long' }).format(toDate(instant))
}

/** "Sunday 6 December" */
function longDay (instant: Instant, timeZone: string): string {
  return formatter(longFormatters, timeZone, { weekday: 'long', day: 'numeric', month: 'long' }).format(toDate(instant))
}

/** A local date (YYYY-MM-DD) as "Sunday 6 December": a date has no zone, so it is read at noon UTC. */
export function dateText (date: string): string {
  return longDay(`${date}T12:00:00Z`, 'UTC')
}

/** A local date's weekday, "Sunday". */
function dateWeekday (date: string): string {
  return weekdayName(`${date}T12:00:00Z`, 'UTC')
}

/** "today", "Thursday" within the coming week, "Thursday 10 December" beyond it. */
function dayWord (instant: Instant, timeZone: string, today: string): string {
  const date = localDate(toDate(instant), timeZone)
  const ahead = daysBetween(today, date)
  if (ahead === 0) return 'today'
  return ahead > 0 && ahead < 7 ? weekdayName(instant, timeZone) : longDay(instant, timeZone)
}

/** "today 17:30–18:30", "Thursday 17:00–18:00" */
export function slotText (slot: Slot, timeZone: string, today: string): string {
  return `${dayWord(slot.start, timeZone, today)} ${localTime(toDate(slot.start), timeZone)}–${localTime(toDate(slot.end), timeZone)}`
}

/** "a", "a and b", "a, b and c" */
function list (items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/** At most `max` items, the rest counted: "a, b, c and 2 more". */
function shortList (items: readonly string[], max: number): string {
  return items.length <= max ? list(items) : list([...items.slice(0, max), `${items.length - max} more`])
}

function title (summary: string): string {
  const text = summary.replace(/\s+/g, ' ').trim()
  if (text === '') return 'an untitled event'
  return `'${text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text}'`
}

/** "in an hour", "in 30 minutes", "in 1 hour 30 minutes" */
function inText (minutes: number): string {
  if (minutes <= 0) return 'starting now'
  if (minutes === 60) return 'in an hour'
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours === 0) return `in ${plural(rest, 'minute')}`
  return `in ${plural(hours, 'hour')}${rest === 0 ? '' : ` ${plural(rest, 'minute')}`}`
}

/** A last guard: a message never exceeds the nudge limit (the lists above are already bounded). */
function fit (text: string): string {
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…`
}

const sentence = (text: string) => /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`

const RANK = { high: 2, medium: 1, low: 0 }

export interface BeforeSessionFacts {
  timeZone: string
  /** when the message is written */
  nowMs: number
  /** the session's window */
  session: Slot
  /** busy events overlapping the session */
  conflicts: readonly { summary: string }[]
  /** the weekday the person keeps missing, when it is this session's */
  missedWeekday: Weekday | null
  /** the drift report's risk and signals, for a session at risk for no other reason */
  risk?: { level: 'low' | 'medium' | 'high', signals: readonly Signal[] }
  /** a free slot to offer booking (calendar interventions), if any */
  freeSlot?: Slot | null
}

/**
 * "Your 06:00 session clashes with 'Team standup'. Free today 17:30–18:30 — confirm to book it."
 * "Wednesday is the day you keep missing: your 18:00 session is in an hour."
 */
export function beforeSessionMessage (facts: BeforeSessionFacts): string {
  const { timeZone } = facts
  const start = toDate(facts.session.start)
  const at = localTime(start, timeZone)
  const when = inText(Math.round((start.getTime() - facts.nowMs) / 60_000))
  const today = localDate(new Date(facts.nowMs), timeZone)
  const parts: string[] = []
  const missed = facts.missedWeekday ? `${DAY_NAMES[facts.missedWeekday]} is the day you keep missing` : null
  if (facts.conflicts.length > 0) {
    parts.push(`Your ${at} session clashes with ${shortList(facts.conflicts.map(c => title(c.summary)), 2)}.`)
    if (missed) parts.push(`${missed}.`)
  } else if (missed) {
    parts.push(`${missed}: your ${at} session is ${when}.`)
  } else {
    const worst = [...facts.risk?.signals ?? []]
      .filter(s => s.severity !== 'low')
      .sort((a, b) => RANK[b.severity] - RANK[a.severity])[0]
    parts.push(`Your ${at} session is ${when}${facts.risk ? ` and your week is at ${facts.risk.level} risk` : ''}.`)
    if (worst) parts.push(sentence(worst.message))
  }
  if (facts.freeSlot) parts.push(`Free ${slotText(facts.freeSlot, timeZone, today)} — confirm to book it.`)
  return fit(parts.join(' '))
}

export interface EndOfDayFacts {
  timeZone: string
  nowMs: number
  /** the local date of the session that did not happen */
  sessionDate: string
  /** the current week's safety buffer */
  buffer: SafetyBuffer
  /** free slots left this week, soonest first */
  freeSlots: readonly Slot[]
}

/** "Today's session didn't happen: 2 more by Sunday — free Thursday 17:00–18:00 and Saturday 09:00–10:00." */
export function endOfDayMessage (facts: EndOfDayFacts): string {
  const { timeZone, buffer } = facts
  const today = localDate(new Date(facts.nowMs), timeZone)
  const whose = facts.sessionDate === today ? "Today's" : `${dateWeekday(facts.sessionDate)}'s`
  const by = buffer.by === today ? 'tonight' : dateWeekday(buffer.by)
  const slots = facts.freeSlots.slice(0, MAX_SLOTS).map(slot => slotText(slot, timeZone, today))
  const lost = buffer.needed > 0 && (buffer.fails_on === null || buffer.fails_on < today)
  if (lost) {
    const free = slots.length > 0 ? ` Free ${list(slots)}.` : ''
    return fit(`${whose} session didn't happen: ${buffer.needed} more were needed by ${by} and they no longer all fit — every session still counts.${free}`)
  }
  const free = slots.length > 0 ? ` — free ${list(slots)}` : ''
  return fit(`${whose} session didn't happen: ${buffer.needed} more by ${by}${free}.`)
}

export interface CommitmentDeadlineFacts {
  /** integer minor units and ISO 4217 code, as the commitment stores them */
  stake: { amount: number, currency: string }
  progress: { needed: number, completed_sessions: number, required_sessions: number, target_date: string, days_left: number }
}

/** "€50.00 at stake: 3 of 6 sessions done, 3 more needed by Sunday 6 December (2 days left)." */
export function commitmentDeadlineMessage ({ stake, progress }: CommitmentDeadlineFacts): string {
  return fit(`${formatMoney(stake.amount, stake.currency)} at stake: ${progress.completed_sessions} of ${plural(progress.required_sessions, 'session')} done, ` +
    `${progress.needed} more needed by ${dateText(progress.target_date)} (${plural(progress.days_left, 'day')} left).`)
}

export interface WeeklyDigestFacts {
  timeZone: string
  /** sessions done this week and the week's target */
  sessions: { done: number, target: number }
  /** habit strength now (0–100) and a week ago; null when there was none */
  habit: { strength: number, previous: number | null }
  /** intervention outcomes measured this week */
  outcomes: readonly { type: InterventionType, helped: boolean }[]
  /** next week's planned sessions */
  nextWeek: readonly Slot[]
  /** next week's clashes; null when no calendar is imported (then nothing is said about clashes) */
  conflicts: readonly { session_start: Instant, summary: string }[] | null
}

const HELPER_NAMES: Record<InterventionType, string> = { calendar: 'booked sessions', message: 'reminders', social: 'your buddy', financial: 'your stake' }
const TYPE_ORDER: readonly InterventionType[] = ['calendar', 'message', 'social', 'financial']

/**
 * Several lines: sessions done against the target, habit strength and its change, what helped,
 * next week's sessions and clashes.
 */
export function weeklyDigestMessage (facts: WeeklyDigestFacts): string {
  const { timeZone, habit } = facts
  const lines = [`This week: ${facts.sessions.done} of ${plural(facts.sessions.target, 'session')} done.`]
  const change = habit.previous === null ? null : habit.strength - habit.previous
  lines.push(`Habit strength ${habit.strength}${change === null ? '' : change === 0 ? ' (unchanged since last week)' : ` (${change > 0 ? '+' : ''}${change} since last week)`}.`)

  if (facts.outcomes.length > 0) {
    const helped = TYPE_ORDER.flatMap(type => {
      const mine = facts.outcomes.filter(o => o.type === type)
      const good = mine.filter(o => o.helped).length
      return good > 0 ? [`${HELPER_NAMES[type]} (${good} of ${mine.length})`] : []
    })
    lines.push(helped.length > 0
      ? `What helped: ${list(helped)}.`
      : `What helped: nothing yet — ${plural(facts.outcomes.length, 'nudge')} measured, none followed by a session.`)
  }

  const planned = facts.nextWeek.map(s => `${weekdayName(s.start, timeZone)} ${localTime(toDate(s.start), timeZone)}`)
  lines.push(planned.length > 0 ? `Next week: ${shortList(planned, 7)}.` : 'Next week: no sessions planned.')
  if (facts.conflicts === null) return fit(lines.join('\n'))
  if (facts.conflicts.length === 0) return fit([...lines, 'No clashes with your calendar.'].join('\n'))
  // The clashes come last and are listed as far as the limit allows (at least one, then counted).
  const clashes = facts.conflicts.map(c => `${weekdayName(c.session_start, timeZone)} ${localTime(toDate(c.session_start), timeZone)} with ${title(c.summary)}`)
  let text = ''
  for (let listed = MAX_LISTED; listed >= 1; listed--) {
    text = [...lines, `Clashes: ${shortList(clashes, listed)}.`].join('\n')
    if (text.length <= MAX_MESSAGE_LENGTH) break
  }
  return fit(text)
}
