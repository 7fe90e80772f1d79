// The store part for the autopilot: a person's settings, the bounded record of its runs, and the
// due-time queue holding each person's NEXT checkpoint (one entry each), so a tick reads only what
// is due and a claim is taken by one instance.
import type { AutopilotRun, AutopilotSettings, QueuedCheckpoint } from '../autopilot/autopilot-schemas.js'

export interface DueCheckpoint {
  user_id: string
  checkpoint: QueuedCheckpoint
}

/** `change` may run more than once (on a copy first): deterministic, no side effects; refuses by throwing. */
export interface AutopilotStore {
  /** null when the person never changed them (the defaults apply) */
  getAutopilotSettings (userId: string): Promise<AutopilotSettings | null>
  /** null when no such user */
  updateAutopilotSettings (userId: string, change: (current: AutopilotSettings) => AutopilotSettings): Promise<AutopilotSettings | null>
  /** oldest first */
  listAutopilotRuns (userId: string): Promise<readonly AutopilotRun[]>
  /** false when no such user; the oldest beyond AUTOPILOT_RUNS_KEPT go */
  addAutopilotRun (userId: string, run: AutopilotRun): Promise<boolean>
  /** the checkpoint queued for the person, if any */
  getQueuedCheckpoint (userId: string): Promise<QueuedCheckpoint | null>
  /** queues the person's next checkpoint (replacing the one queued); null: nothing queued */
  scheduleCheckpoint (userId: string, checkpoint: QueuedCheckpoint | null): Promise<void>
  claimDueCheckpoints (nowMs: number, limit: number, leaseMs: number): Promise<DueCheckpoint[]>
}
