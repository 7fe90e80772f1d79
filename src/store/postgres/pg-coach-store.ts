// The coach's memory in PostgreSQL: the conversation as one row per message (replaced whole by a
// run: it is a bounded window), traces as rows trimmed to the newest `tracesKept`, and the daily
// run budget and token counters on the person's settings row.
import type { AgentTrace } from '../../agent/agent-schemas.js'
import type { ConversationMessage } from '../../agent/models/chat-model.js'
import type { AgentRunRecord, CoachStore } from '../coach-store.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, json } from './sql-values.js'

export function pgCoachStore (db: PgDatabase): CoachStore {
  return {
    async getConversation (userId: string) {
      const result = await db.query('SELECT message FROM conversation_messages WHERE user_id = $1 ORDER BY position', [userId])
      return result.rows.map(row => row.message as ConversationMessage)
    },

    async startAgentRun (userId: string, day: string, dailyLimit: number) {
      return db.userTransaction(userId, async client => {
        const { rows: [usage] } = await client.query('SELECT usage_day, runs_today FROM user_settings WHERE user_id = $1', [userId])
        const runsToday = usage.usage_day === day ? usage.runs_today as number : 0
        if (runsToday >= dailyLimit) return { allowed: false, runsToday }
        await client.query('UPDATE user_settings SET usage_day = $2, runs_today = $3, total_runs = total_runs + 1 WHERE user_id = $1', [userId, day, runsToday + 1])
        return { allowed: true, runsToday: runsToday + 1 }
      })
    },

    async finishAgentRun (userId: string, run: AgentRunRecord) {
      await db.userTransaction(userId, async client => {
        if (run.conversation) {
          await client.query('DELETE FROM conversation_messages WHERE user_id = $1', [userId])
          await client.query(
            `INSERT INTO conversation_messages (user_id, position, message)
             SELECT $1, ord, message FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS m(message, ord)`,
            [userId, json(run.conversation)])
        }
        await client.query('INSERT INTO agent_traces (user_id, body) VALUES ($1, $2::jsonb)', [userId, json(run.trace)])
        await client.query(
          `DELETE FROM agent_traces WHERE user_id = $1 AND seq <= (
             SELECT seq FROM agent_traces WHERE user_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
          [userId, run.tracesKept])
        let prompt = 0
        let completion = 0
        let total = 0
        for (const call of run.trace.model_calls) {
          prompt += call.usage?.prompt_tokens ?? 0
          completion += call.usage?.completion_tokens ?? 0
          total += call.usage?.total_tokens ?? 0
        }
        await client.query(
          `UPDATE user_settings SET prompt_tokens = prompt_tokens + $2, completion_tokens = completion_tokens + $3,
             total_tokens = total_tokens + $4 WHERE user_id = $1`, [userId, prompt, completion, total])
      })
    },

    async clearConversation (userId: string) {
      await db.query('DELETE FROM conversation_messages WHERE user_id = $1', [userId])
    },

    async listTraces (userId: string) {
      return bodies<AgentTrace>(await db.query('SELECT body FROM agent_traces WHERE user_id = $1 ORDER BY seq', [userId]))
    }
  }
}
