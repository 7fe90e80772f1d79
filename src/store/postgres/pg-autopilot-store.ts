// The autopilot in PostgreSQL: settings on the person's settings row, runs as rows (the newest
// AUTOPILOT_RUNS_KEPT kept), and one row per person holding their NEXT checkpoint, claimed across
// instances by due time (due-work.ts).
import { DEFAULT_AUTOPILOT, type AutopilotRun, type AutopilotSettings, type QueuedCheckpoint } from '../../autopilot/autopilot-schemas.js'
import type { AutopilotStore, DueCheckpoint } from '../autopilot-store.js'
import { AUTOPILOT_RUNS_KEPT } from '../user-data.js'
import { claimDue } from './due-work.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, isMissingOwner, json } from './sql-values.js'

export function pgAutopilotStore (db: PgDatabase): AutopilotStore {
  return {
    async getAutopilotSettings (userId: string) {
      return ((await db.query('SELECT autopilot FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.autopilot as AutopilotSettings | undefined) ?? null
    },

    async updateAutopilotSettings (userId: string, change: (current: AutopilotSettings) => AutopilotSettings) {
      return db.userTransaction(userId, async client => {
        const stored = (await client.query('SELECT autopilot FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.autopilot as AutopilotSettings | null
        const settings = change(stored ?? structuredClone(DEFAULT_AUTOPILOT))
        await client.query('UPDATE user_settings SET autopilot = $2::jsonb WHERE user_id = $1', [userId, json(settings)])
        return settings
      })
    },

    async listAutopilotRuns (userId: string) {
      return bodies<AutopilotRun>(await db.query('SELECT body FROM autopilot_runs WHERE user_id = $1 ORDER BY seq', [userId]))
    },

    async addAutopilotRun (userId: string, run: AutopilotRun) {
      return (await db.userTransaction(userId, async client => {
        await client.query('INSERT INTO autopilot_runs (user_id, body) VALUES ($1, $2::jsonb)', [userId, json(run)])
        await client.query(
          'DELETE FROM autopilot_runs WHERE user_id = $1 AND seq <= (SELECT seq FROM autopilot_runs WHERE user_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)',
          [userId, AUTOPILOT_RUNS_KEPT])
        return true
      })) ?? false
    },

    async getQueuedCheckpoint (userId: string) {
      return ((await db.query('SELECT checkpoint FROM autopilot_checkpoints WHERE user_id = $1', [userId])).rows[0]?.checkpoint as QueuedCheckpoint | undefined) ?? null
    },

    async scheduleCheckpoint (userId: string, checkpoint: QueuedCheckpoint | null) {
      if (checkpoint === null) {
        await db.query('DELETE FROM autopilot_checkpoints WHERE user_id = $1', [userId])
        return
      }
      try {
        await db.query(
          `INSERT INTO autopilot_checkpoints (user_id, due_at, checkpoint) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (user_id) DO UPDATE SET due_at = EXCLUDED.due_at, lease_until = NULL, checkpoint = EXCLUDED.checkpoint`,
          [userId, new Date(checkpoint.due_at), json(checkpoint)])
      } catch (err) {
        if (!isMissingOwner(err)) throw err
      }
    },

    async claimDueCheckpoints (nowMs: number, limit: number, leaseMs: number): Promise<DueCheckpoint[]> {
      const rows = await claimDue<{ user_id: string, checkpoint: QueuedCheckpoint }>(db, 'autopilot_checkpoints', 't.user_id, t.checkpoint', nowMs, limit, leaseMs)
      return rows.map(row => ({ user_id: row.user_id, checkpoint: row.checkpoint }))
    }
  }
}
