// Moving people between the two stores (npm run db:import / db:export): each store can list its
// people, read one person whole and restore one person whole. Restoring never overwrites: a person
// already in the target (same id) is left as is, so a second run changes nothing.
import type { QueuedCheckpoint } from '../autopilot/autopilot-schemas.js'
import type { StoredCalendar } from './calendar-store.js'
import type { UserData } from './user-data.js'

/** Everything one person has in a store: their data, their imported calendar, their next checkpoint. */
export interface MovedUser {
  data: UserData
  calendar: StoredCalendar | null
  checkpoint: QueuedCheckpoint | null
}

export type RestoreResult =
  | { restored: true, rows: number }
  | { restored: false, reason: 'exists' | 'username_taken' }

export interface UserTransfer {
  /** every person's id (an administrative walk over the whole store) */
  listUserIds (): AsyncIterable<string>
  readUser (userId: string): Promise<MovedUser | null>
  restoreUser (user: MovedUser): Promise<RestoreResult>
}

/** How many records a person holds (what "rows copied" counts): the account and each stored record. */
export function countRecords ({ data, calendar, checkpoint }: MovedUser): number {
  const audit = Object.values(data.commitment_audit).reduce((n, entries) => n + entries.length, 0)
  return 1 + data.workouts.length + Object.keys(data.request_keys).length + data.conversation.length +
    data.agent_traces.length + data.plans.length + data.pauses.length + data.nudges.length + data.interventions.length +
    data.commitments.length + audit + data.autopilot_runs.length + (calendar ? 1 : 0) + (checkpoint ? 1 : 0)
}
