// May a commitment's terms change now? Beeminder's "akrasia horizon": making a commitment harder
// is always allowed — a higher stake, more sessions, more minutes, an earlier end — but making it
// easier — a lower stake, fewer sessions, fewer minutes, a later end — is refused within 7 days of
// the next deadline, so the self that set the terms binds the self that is about to miss them.
// Pure: the caller passes today's local date and the next deadline.
//
// Decisions where the issue is silent:
// - "Within 7 days": the next deadline is less than 7 local days after today
//   (daysBetween(today, deadline) < 7). A deadline 7 days off ends 7–8 days from now: outside. A
//   deadline already passed and not yet judged (the grace window) is "within" — the lock on a
//   deadline lifts only once its milestone has been judged and the next deadline takes its place.
//   With milestones a week long the next deadline is never 7 days away, so easier terms are never
//   allowed: the rule, applied as written.
// - required_sessions applies to every remaining milestone; it is easier if it lowers any of them
//   (then it is easier even if it raises another) and harder if it raises one and lowers none.
// - Equal values are neither harder nor easier; they are left out of `applied`.
// - A change is taken or refused whole: one easier field under the lock refuses the harder ones
//   sent with it too (the reason names the easier ones; send the harder ones alone).
// - A value out of range (a stake of 0, a fractional minute, an end date before today) is the
//   caller's mistake, not a refusal: it throws DomainError 'invalid'. A refusal under the lock is
//   `{ ok: false, reason }`.
import { parseLocalDate } from '../calendar/wall-clock.js'
import { invalid } from '../shared/domain-errors.js'
import { daysBetween } from '../shared/local-time.js'
import { MAX_WORKOUT_MINUTES } from '../workouts/workout-schemas.js'

/** Easier terms are refused when the next deadline is fewer than this many local days away. */
export const AKRASIA_HORIZON_DAYS = 7

export const MAX_STAKE_MINOR = 1_000_000_000

export type TermsField = 'stake_amount' | 'required_sessions' | 'min_minutes' | 'end_date'

/** The terms as they stand, as far as a change can touch them. */
export interface CurrentTerms {
  stake_amount: number
  min_minutes: number
  /** required_sessions of each milestone a change would apply to (the remaining ones), in order */
  remaining_required_sessions: readonly number[]
  /** the last milestone's target_date */
  end_date: string
}

export interface TermsChange {
  stake_amount?: number
  /** applies to the remaining milestones */
  required_sessions?: number
  min_minutes?: number
  end_date?: string
}

export interface TermsClock {
  /** target_date of the first milestone not yet judged */
  nextDeadlineDate: string
  /** the user's local date now (in the commitment's zone) */
  todayLocalDate: string
}

export type TermsReview =
  | { ok: true, /** the fields that change, with their new values */ applied: TermsChange, harder: TermsField[], easier: TermsField[] }
  | { ok: false, reason: string, harder: TermsField[], easier: TermsField[], /** the deadline holding the lock */ locked_by_deadline: string }

const FIELDS: readonly TermsField[] = ['stake_amount', 'required_sessions', 'min_minutes', 'end_date']

const EASIER_WORDS: Record<TermsField, string> = {
  stake_amount: 'lowering stake_amount',
  required_sessions: 'lowering required_sessions',
  min_minutes: 'lowering min_minutes',
  end_date: 'moving end_date later'
}

function requireInteger (value: unknown, min: number, max: number, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`)
  }
}

/** Validates `change` against the terms; says which fields get harder or easier and whether that
 * is allowed today. Throws DomainError 'invalid' for values out of range. */
export function reviewTermsChange (current: CurrentTerms, change: TermsChange, clock: TermsClock): TermsReview {
  const given = FIELDS.filter(field => change[field] !== undefined)
  if (given.length === 0) throw invalid(`a terms change names at least one of ${FIELDS.join(', ')}`)
  if (change.stake_amount !== undefined) requireInteger(change.stake_amount, 1, MAX_STAKE_MINOR, 'stake_amount')
  if (change.min_minutes !== undefined) requireInteger(change.min_minutes, 1, MAX_WORKOUT_MINUTES, 'min_minutes')
  if (change.required_sessions !== undefined) {
    requireInteger(change.required_sessions, 1, Number.MAX_SAFE_INTEGER, 'required_sessions')
    if (current.remaining_required_sessions.length === 0) throw invalid('no milestone is left for required_sessions to apply to')
  }
  if (change.end_date !== undefined) {
    if (!parseLocalDate(change.end_date)) throw invalid(`end_date must be a YYYY-MM-DD date (got ${JSON.stringify(change.end_date)})`)
    if (change.end_date < clock.todayLocalDate) throw invalid(`end_date ${change.end_date} is before today (${clock.todayLocalDate})`)
  }

  const harder: TermsField[] = []
  const easier: TermsField[] = []
  const applied: TermsChange = {}
  const classify = (field: TermsField, direction: number) => {
    if (direction === 0) return
    if (direction > 0) harder.push(field)
    else easier.push(field)
    Object.assign(applied, { [field]: change[field] })
  }
  if (change.stake_amount !== undefined) classify('stake_amount', Math.sign(change.stake_amount - current.stake_amount))
  if (change.required_sessions !== undefined) {
    const wanted = change.required_sessions
    const lowers = current.remaining_required_sessions.some(r => wanted < r)
    const raises = current.remaining_required_sessions.some(r => wanted > r)
    classify('required_sessions', lowers ? -1 : raises ? 1 : 0)
  }
  if (change.min_minutes !== undefined) classify('min_minutes', Math.sign(change.min_minutes - current.min_minutes))
  // An earlier end is harder: the sign is reversed.
  if (change.end_date !== undefined) classify('end_date', -Math.sign(daysBetween(current.end_date, change.end_date)))

  const locked = daysBetween(clock.todayLocalDate, clock.nextDeadlineDate) < AKRASIA_HORIZON_DAYS
  if (locked && easier.length > 0) {
    const what = easier.map(field => EASIER_WORDS[field]).join(' and ')
    return {
      ok: false,
      reason: `within ${AKRASIA_HORIZON_DAYS} days of the next deadline (${clock.nextDeadlineDate}): ${what} ${easier.length > 1 ? 'are' : 'is'} allowed again after ` +
        `${clock.nextDeadlineDate}, once that milestone has been judged, while the deadline after it is more than ${AKRASIA_HORIZON_DAYS} days away`,
      harder,
      easier,
      locked_by_deadline: clock.nextDeadlineDate
    }
  }
  return { ok: true, applied, harder, easier }
}
