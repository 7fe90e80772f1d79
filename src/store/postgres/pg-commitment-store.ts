// Commitments in PostgreSQL: the records, their append-only audit rows (inserted, never updated),
// and the due-work queue of each person's next judgement.
import type { AuditEntry, CommitmentRecord } from '../../commitments/commitment-state.js'
import type { CommitmentCheck, CommitmentStep, CommitmentStore } from '../commitment-store.js'
import { claimDue } from './due-work.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, firstBody, isMissingOwner, json } from './sql-values.js'
import type pg from 'pg'

async function appendAudit (client: pg.PoolClient, userId: string, commitmentId: string, audit: readonly AuditEntry[]): Promise<void> {
  if (audit.length === 0) return
  await client.query(
    `INSERT INTO commitment_audit (user_id, commitment_id, body)
     SELECT $1, $2, entry FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS a(entry, ord) ORDER BY ord`,
    [userId, commitmentId, json(audit)])
}

export function pgCommitmentStore (db: PgDatabase): CommitmentStore {
  return {
    async listCommitments (userId: string) {
      return bodies<CommitmentRecord>(await db.query('SELECT body FROM commitments WHERE user_id = $1 ORDER BY seq', [userId]))
    },

    async listCommitmentAudit (userId: string, commitmentId: string) {
      const exists = await db.query('SELECT 1 FROM commitments WHERE user_id = $1 AND commitment_id = $2', [userId, commitmentId])
      if (exists.rowCount === 0) return null
      return bodies<AuditEntry>(await db.query('SELECT body FROM commitment_audit WHERE user_id = $1 AND commitment_id = $2 ORDER BY seq', [userId, commitmentId]))
    },

    async addCommitment (userId: string, step: CommitmentStep, conflict: (existing: readonly CommitmentRecord[]) => CommitmentRecord | undefined) {
      return db.userTransaction(userId, async (client): Promise<{ added: true } | { conflict: CommitmentRecord }> => {
        const clash = conflict(bodies<CommitmentRecord>(await client.query('SELECT body FROM commitments WHERE user_id = $1 ORDER BY seq', [userId])))
        if (clash) return { conflict: clash }
        await client.query('INSERT INTO commitments (user_id, commitment_id, body) VALUES ($1, $2, $3::jsonb)',
          [userId, step.commitment.commitment_id, json(step.commitment)])
        await appendAudit(client, userId, step.commitment.commitment_id, step.audit)
        return { added: true }
      })
    },

    async updateCommitment (userId: string, commitmentId: string, change: (current: CommitmentRecord) => CommitmentStep | null) {
      return (await db.userTransaction(userId, async client => {
        const current = firstBody<CommitmentRecord>(await client.query(
          'SELECT body FROM commitments WHERE user_id = $1 AND commitment_id = $2', [userId, commitmentId]))
        if (current === null) return null
        const step = change(structuredClone(current))
        if (step === null) return current
        await client.query('UPDATE commitments SET body = $3::jsonb WHERE user_id = $1 AND commitment_id = $2', [userId, commitmentId, json(step.commitment)])
        await appendAudit(client, userId, commitmentId, step.audit)
        return step.commitment
      })) ?? null
    },

    async scheduleCommitmentCheck (userId: string, dueMs: number | null) {
      if (dueMs === null) {
        await db.query('DELETE FROM commitment_checks WHERE user_id = $1', [userId])
        return
      }
      try {
        await db.query(
          `INSERT INTO commitment_checks (user_id, due_at) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE SET due_at = EXCLUDED.due_at, lease_until = NULL`, [userId, new Date(dueMs)])
      } catch (err) {
        if (!isMissingOwner(err)) throw err
      }
    },

    async claimDueCommitmentChecks (nowMs: number, limit: number, leaseMs: number): Promise<CommitmentCheck[]> {
      const rows = await claimDue<{ user_id: string, due_at: Date }>(db, 'commitment_checks', 't.user_id, t.due_at', nowMs, limit, leaseMs)
      return rows.map(row => ({ user_id: row.user_id, due_at: row.due_at.toISOString() }))
    }
  }
}
