// Plans (every version, in order), pauses and intervention preferences in PostgreSQL.
import { DEFAULT_PREFERENCES, type Pause, type Plan, type Preferences } from '../../plans/plan-schemas.js'
import type { PlanStore } from '../plan-store.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, json } from './sql-values.js'

export function pgPlanStore (db: PgDatabase): PlanStore {
  return {
    async listPlans (userId: string) {
      return bodies<Plan>(await db.query('SELECT body FROM plans WHERE user_id = $1 ORDER BY seq', [userId]))
    },

    async addPlan (userId: string, plan: Plan) {
      return (await db.userTransaction(userId, async client => {
        await client.query('INSERT INTO plans (user_id, body) VALUES ($1, $2::jsonb)', [userId, json(plan)])
        return true
      })) ?? false
    },

    async listPauses (userId: string) {
      return bodies<Pause>(await db.query('SELECT body FROM pauses WHERE user_id = $1 ORDER BY seq', [userId]))
    },

    async addPause (userId: string, pause: Pause, conflict: (existing: readonly Pause[]) => Pause | undefined) {
      return db.userTransaction(userId, async (client): Promise<{ added: true } | { conflict: Pause }> => {
        const clash = conflict(bodies<Pause>(await client.query('SELECT body FROM pauses WHERE user_id = $1 ORDER BY seq', [userId])))
        if (clash) return { conflict: clash }
        await client.query('INSERT INTO pauses (user_id, pause_id, start_date, end_date, body) VALUES ($1, $2, $3, $4, $5::jsonb)',
          [userId, pause.pause_id, pause.start_date, pause.end_date, json(pause)])
        return { added: true }
      })
    },

    async deletePause (userId: string, pauseId: string) {
      return ((await db.query('DELETE FROM pauses WHERE user_id = $1 AND pause_id = $2', [userId, pauseId])).rowCount ?? 0) > 0
    },

    async getPreferences (userId: string) {
      const result = await db.query('SELECT preferences FROM user_settings WHERE user_id = $1', [userId])
      return (result.rows[0]?.preferences as Preferences | undefined) ?? null
    },

    async updatePreferences (userId: string, change: (current: Preferences) => Preferences) {
      return db.userTransaction(userId, async client => {
        const stored = (await client.query('SELECT preferences FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.preferences as Preferences | null
        const preferences = change(stored ?? structuredClone(DEFAULT_PREFERENCES))
        await client.query('UPDATE user_settings SET preferences = $2::jsonb WHERE user_id = $1', [userId, json(preferences)])
        return preferences
      })
    }
  }
}
