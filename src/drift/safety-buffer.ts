// Beeminder's safety buffer, for a weekly target: how many sessions the week still needs, and the
// last day from which they can still all be fitted in — the date the week fails if nothing is done.
import type { EngineInput, SafetyBuffer, Signal } from './drift-types.js'
import { buildLedger, capacityLeft, currentWeek, sessionsNeeded, weekSlack, type Ledger, type LedgerWeek } from './ledger.js'
import { planMismatchOf } from './plan-mismatch.js'
import { statusOf } from './session-status.js'

/**
 * The last date d of the week with sessions before d + max_sessions_per_day × counted days from d
 * on ≥ target: for d ≥ today that is "starting on d they still fit"; once they no longer fit from
 * today, it is the past date on which they last did.
 */
function failsOn (week: LedgerWeek): string | null {
  let before = week.sessions
  let room = 0
  // Walk back from Sunday: `room` is what d..Sunday can hold, `before` the sessions logged before d.
  for (let i = 6; i >= 0; i--) {
    const day = week.days[i]
    before -= day.sessions
    if (day.counted) room += day.plan!.max_sessions_per_day
    if (before + room >= week.target) return day.date
  }
  return null
}

export function safetyBufferOf (ledger: Ledger): SafetyBuffer {
  const week = currentWeek(ledger)
  const needed = sessionsNeeded(week)
  return { needed, by: week.sunday, fails_on: needed === 0 ? null : failsOn(week) }
}

export function safetyBuffer (input: EngineInput): SafetyBuffer {
  return safetyBufferOf(buildLedger(input))
}

/**
 * slack = what the rest of the week can hold (today included, less what today already holds) −
 * sessions needed. Below 0 the week can no longer be met: high. At most 1 after a planned day of
 * this week went by without a session (still open, or already lost): medium. Anything else is low —
 * including no slack at all for someone who has done every planned session so far (a plan of four
 * on Thu–Sun has none on Thursday morning, by design).
 *
 * One reading of "skipped" follows from the rule that keeping the target on other days is never
 * drift: for someone who has kept it mostly on unplanned days for weeks (plan_mismatch), a planned
 * day passing without a session is their normal week, not a warning — Tue/Thu/Sat/Sun training has
 * one spare session on Thursday and none on Saturday morning, every week. Their buffer is judged
 * on slack alone: it still turns high the moment the week can no longer be met.
 */
export function safetyBufferSignal (ledger: Ledger): Signal | null {
  const week = currentWeek(ledger)
  if (!week.days.some(d => d.counted)) return null
  const buffer = safetyBufferOf(ledger)
  const slack = weekSlack(week, ledger.today)
  const skipped = week.days.filter(d => d.planned && d.date < ledger.today && ['skipped', 'missed'].includes(statusOf(ledger, d))).length
  const ownDays = planMismatchOf(ledger) !== null
  const severity = slack < 0 ? 'high' : slack <= 1 && skipped > 0 && !ownDays ? 'medium' : 'low'
  const sessions = (n: number) => `${n} session${n === 1 ? '' : 's'}`
  const message = buffer.needed === 0
    ? `This week's target of ${week.target} is met (${week.sessions} done).`
    : slack < 0
      ? `${sessions(buffer.needed)} still needed by Sunday ${buffer.by}, but only room for ${capacityLeft(week, ledger.today)} left: this week can no longer be met.`
      : `${sessions(buffer.needed)} still needed by Sunday ${buffer.by}; they all still fit if you start by ${buffer.fails_on}` +
        ` (${slack === 0 ? 'no room' : `room for ${slack} more`} to spare).`
  return {
    type: 'safety_buffer',
    severity,
    message,
    evidence: {
      needed: buffer.needed,
      target: week.target,
      done: week.sessions,
      capacity_left: capacityLeft(week, ledger.today),
      slack,
      skipped_planned_days: skipped,
      trains_on_own_days: ownDays ? 1 : 0,
      fails_on: buffer.fails_on
    }
  }
}
