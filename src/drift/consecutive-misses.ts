// Missed planned sessions in a row, counted back from the latest judged one. Paused days are
// stepped over, and so are this week's skipped days that can still be made up: not yet judged,
// they neither break the run nor extend it — someone who stopped three weeks ago still shows their
// misses on a Tuesday, and someone on track is not blamed for a Monday they can still make up.
import { daysBetween } from '../shared/local-time.js'
import type { Signal } from './drift-types.js'
import type { Ledger } from './ledger.js'
import { plannedDays } from './session-status.js'

export function consecutiveMissesOf (ledger: Ledger): number {
  const planned = plannedDays(ledger, ledger.days[0].date, ledger.today)
  let run = 0
  for (let i = planned.length - 1; i >= 0; i--) {
    const status = planned[i].status
    if (status === 'missed') run++
    else if (status === 'done' || status === 'made_up') break
  }
  return run
}

/** 2 in a row is medium, 3 or more high; a single miss is not a pattern. */
export function consecutiveMissesSignal (ledger: Ledger): Signal | null {
  const run = consecutiveMissesOf(ledger)
  if (run < 2) return null
  const last = ledger.days.findLast(d => d.sessions > 0 && d.date <= ledger.today)
  const since = last ? daysBetween(last.date, ledger.today) : null
  return {
    type: 'consecutive_misses',
    severity: run >= 3 ? 'high' : 'medium',
    message: `${run} planned sessions missed in a row` +
      (since === null ? ', and no qualifying session logged yet.' : `; the last qualifying session was ${since === 0 ? 'today' : since === 1 ? 'yesterday' : `${since} days ago`}.`),
    evidence: { missed_in_a_row: run, days_since_last_session: since }
  }
}
