// Nudges (a person's inbox) and the outbox of due delivery attempts in PostgreSQL. A nudge is
// admitted inside the person's transaction, so two requests cannot both pass the daily cap; the
// outbox is claimed across instances by due time (due-work.ts).
import type { Nudge, OutboxEntry } from '../../nudges/nudge-schemas.js'
import type { NudgeAdmission, NudgeStore, OutboxStore } from '../nudge-store.js'
import { NUDGES_KEPT } from '../user-data.js'
import { claimDue } from './due-work.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, firstBody, isMissingOwner, json } from './sql-values.js'

export function pgNudgeStore (db: PgDatabase): NudgeStore & OutboxStore {
  return {
    async listNudges (userId: string) {
      return bodies<Nudge>(await db.query('SELECT body FROM nudges WHERE user_id = $1 ORDER BY seq', [userId]))
    },

    async addNudge (userId: string, nudge: Nudge, admit: (existing: readonly Nudge[]) => NudgeAdmission) {
      return db.userTransaction(userId, async client => {
        const admission = admit(bodies<Nudge>(await client.query('SELECT body FROM nudges WHERE user_id = $1 ORDER BY seq', [userId])))
        if (admission.add) {
          await client.query('INSERT INTO nudges (user_id, nudge_id, read_at, body) VALUES ($1, $2, $3, $4::jsonb)',
            [userId, nudge.nudge_id, nudge.read_at, json(nudge)])
          await client.query(
            'DELETE FROM nudges WHERE user_id = $1 AND seq <= (SELECT seq FROM nudges WHERE user_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)',
            [userId, NUDGES_KEPT])
        }
        return admission
      })
    },

    async updateNudge (userId: string, nudgeId: string, change: (nudge: Nudge) => void) {
      return (await db.userTransaction(userId, async client => {
        const nudge = firstBody<Nudge>(await client.query('SELECT body FROM nudges WHERE user_id = $1 AND nudge_id = $2', [userId, nudgeId]))
        if (nudge === null) return null
        change(nudge)
        await client.query('UPDATE nudges SET read_at = $3, body = $4::jsonb WHERE user_id = $1 AND nudge_id = $2', [userId, nudgeId, nudge.read_at, json(nudge)])
        return nudge
      })) ?? null
    },

    async markAllNudgesRead (userId: string, at: string) {
      const result = await db.query(
        `UPDATE nudges SET read_at = $2, body = jsonb_set(body, '{read_at}', to_jsonb($3::text))
          WHERE user_id = $1 AND read_at IS NULL`, [userId, at, at])
      return result.rowCount ?? 0
    },

    async enqueueDelivery (entry: OutboxEntry) {
      const stored = { ...entry, due_at: new Date(entry.due_at).toISOString() }
      try {
        await db.query(
          `INSERT INTO outbox (nudge_id, user_id, due_at, body) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (nudge_id) DO UPDATE SET due_at = EXCLUDED.due_at, lease_until = NULL, body = EXCLUDED.body`,
          [entry.nudge_id, entry.user_id, stored.due_at, json(stored)])
      } catch (err) {
        // The person is gone (the account was deleted meanwhile): there is nothing left to deliver.
        if (!isMissingOwner(err)) throw err
      }
    },

    async claimDueDeliveries (nowMs: number, limit: number, leaseMs: number) {
      return (await claimDue<{ body: OutboxEntry }>(db, 'outbox', 't.body', nowMs, limit, leaseMs)).map(row => row.body)
    },

    async removeDelivery (nudgeId: string) {
      await db.query('DELETE FROM outbox WHERE nudge_id = $1', [nudgeId])
    },

    async nextDeliveryDue () {
      const next = (await db.query('SELECT min(due_at) AS next FROM outbox')).rows[0].next as Date | null
      return next === null ? null : next.getTime()
    }
  }
}
