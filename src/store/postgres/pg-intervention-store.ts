// Interventions in PostgreSQL: one row each, oldest first, the newest INTERVENTIONS_KEPT kept.
import type { StoredIntervention } from '../../interventions/intervention-schemas.js'
import type { InterventionStore } from '../intervention-store.js'
import { INTERVENTIONS_KEPT } from '../user-data.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, firstBody, json } from './sql-values.js'

export function pgInterventionStore (db: PgDatabase): InterventionStore {
  return {
    async listInterventions (userId: string) {
      return bodies<StoredIntervention>(await db.query('SELECT body FROM interventions WHERE user_id = $1 ORDER BY seq', [userId]))
    },

    async addIntervention (userId: string, intervention: StoredIntervention) {
      return (await db.userTransaction(userId, async client => {
        await client.query('INSERT INTO interventions (user_id, intervention_id, body) VALUES ($1, $2, $3::jsonb)',
          [userId, intervention.intervention_id, json(intervention)])
        await client.query(
          'DELETE FROM interventions WHERE user_id = $1 AND seq <= (SELECT seq FROM interventions WHERE user_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)',
          [userId, INTERVENTIONS_KEPT])
        return true
      })) ?? false
    },

    async updateIntervention (userId: string, interventionId: string, change: (intervention: StoredIntervention) => void) {
      return (await db.userTransaction(userId, async client => {
        const intervention = firstBody<StoredIntervention>(await client.query(
          'SELECT body FROM interventions WHERE user_id = $1 AND intervention_id = $2', [userId, interventionId]))
        if (intervention === null) return null
        change(intervention)
        await client.query('UPDATE interventions SET body = $3::jsonb WHERE user_id = $1 AND intervention_id = $2', [userId, interventionId, json(intervention)])
        return intervention
      })) ?? null
    }
  }
}
