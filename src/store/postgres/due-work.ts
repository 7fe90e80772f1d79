// The due-work queries — the only reads across people (the outbox, commitment checks and autopilot
// checkpoints): the oldest due rows that no other instance holds, claimed in one statement with
// FOR UPDATE SKIP LOCKED and leased (`lease_until`), so each is taken by exactly one instance; an
// instance that dies mid-work leaves its lease to expire and the row to be claimed again.
import type { PgDatabase } from './pg-database.js'

export type DueTable = 'outbox' | 'commitment_checks' | 'autopilot_checkpoints'
const KEY: Record<DueTable, string> = { outbox: 'nudge_id', commitment_checks: 'user_id', autopilot_checkpoints: 'user_id' }

/** Claims up to `limit` due rows of `table`, oldest due first, each leased until nowMs + leaseMs. */
export async function claimDue<Row> (db: PgDatabase, table: DueTable, returning: string, nowMs: number, limit: number, leaseMs: number): Promise<Row[]> {
  const key = KEY[table]
  const result = await db.query(
    `UPDATE ${table} AS t SET lease_until = $2
       FROM (SELECT ${key} FROM ${table}
              WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
              ORDER BY due_at LIMIT $3
              FOR UPDATE SKIP LOCKED) AS due
      WHERE t.${key} = due.${key}
      RETURNING t.due_at AS due_at_order, ${returning}`,
    [new Date(nowMs), new Date(nowMs + leaseMs), limit])
  // RETURNING keeps no order: put the oldest due first again.
  return result.rows
    .sort((a, b) => (a.due_at_order as Date).getTime() - (b.due_at_order as Date).getTime())
    .map(({ due_at_order: _order, ...row }) => row as Row)
}
