// The store part for commitment stakes: the commitments, their append-only audit trail (removed
// only with the account), and the due-work queue of their next judgements, found by due time
// (never by walking every user) and claimed so each is taken by one instance.
import type { AuditEntry, CommitmentRecord } from '../commitments/commitment-state.js'

/** A commitment change and the audit entries it appends, decided inside the store's transaction. */
export interface CommitmentStep {
  commitment: CommitmentRecord
  audit: AuditEntry[]
}

export interface CommitmentCheck {
  user_id: string
  due_at: string
}

/** Every `change` may run more than once (a store may try it on a copy first): it must be
 * deterministic and free of side effects. A `change` refuses by throwing. */
export interface CommitmentStore {
  /** oldest first */
  listCommitments (userId: string): Promise<readonly CommitmentRecord[]>
  /** the audit trail of one commitment, oldest first; null when there is no such commitment */
  listCommitmentAudit (userId: string, commitmentId: string): Promise<readonly AuditEntry[] | null>
  /**
   * Adds the commitment unless `conflict` finds one it cannot live beside (checked in the same
   * transaction: two requests cannot both get in). null when no such user.
   */
  addCommitment (userId: string, step: CommitmentStep, conflict: (existing: readonly CommitmentRecord[]) => CommitmentRecord | undefined): Promise<{ added: true } | { conflict: CommitmentRecord } | null>
  /** applies `change` (null: nothing to change) and appends its audit entries; null when there is no such commitment */
  updateCommitment (userId: string, commitmentId: string, change: (current: CommitmentRecord) => CommitmentStep | null): Promise<CommitmentRecord | null>
  /** the user's commitments need settling at `dueMs` (replaces an earlier time); null removes */
  scheduleCommitmentCheck (userId: string, dueMs: number | null): Promise<void>
  /** up to `limit` users whose check is due, each leased for `leaseMs` */
  claimDueCommitmentChecks (nowMs: number, limit: number, leaseMs: number): Promise<CommitmentCheck[]>
}
