// The store part for nudges (a person's inbox and delivery records) and the outbox of due
// delivery attempts. The outbox is its own part: due work is found by its due time, never by
// walking every user, and with several instances each attempt is claimed by one of them.
import type { Nudge, OutboxEntry } from '../nudges/nudge-schemas.js'

/** What to do with a new nudge, decided inside the transaction that would add it. */
export type NudgeAdmission = { add: true } | { add: false, existing: Nudge } | { add: false, refused: Error }

/** Every `change` or `admit` function may run more than once (a store may try it on a copy first): it must be
 * deterministic and free of side effects — draw ids and secrets before calling. A `change` refuses by throwing. */
export interface NudgeStore {
  /** newest last */
  listNudges (userId: string): Promise<readonly Nudge[]>
  /**
   * Adds `nudge` unless `admit` (which sees the stored nudges, in the same transaction, so two
   * requests cannot both pass a cap) says otherwise. null when no such user.
   */
  addNudge (userId: string, nudge: Nudge, admit: (existing: readonly Nudge[]) => NudgeAdmission): Promise<NudgeAdmission | null>
  /** null when there is no such nudge */
  updateNudge (userId: string, nudgeId: string, change: (nudge: Nudge) => void): Promise<Nudge | null>
  /** marks every unread one read; how many changed */
  markAllNudgesRead (userId: string, at: string): Promise<number>
}

export interface OutboxStore {
  /** adds (or moves) the entry for `entry.nudge_id` */
  enqueueDelivery (entry: OutboxEntry): Promise<void>
  /**
   * Takes up to `limit` entries due at `nowMs`, oldest due first, each hidden from other claims
   * for `leaseMs` (an instance that dies mid-attempt leaves it to be claimed again: at least once).
   */
  claimDueDeliveries (nowMs: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>
  /** the delivery is finished (delivered or given up) */
  removeDelivery (nudgeId: string): Promise<void>
  /** when the earliest entry is due; null when the outbox is empty */
  nextDeliveryDue (): Promise<number | null>
}
