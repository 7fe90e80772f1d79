// Everything held about one person, gathered from every table in one transaction (a consistent
// snapshot: REPEATABLE READ), in the UserData shape both stores hand back for an export.
import type { Account } from '../../accounts/account-schemas.js'
import type { AgentTrace } from '../../agent/agent-schemas.js'
import type { ConversationMessage } from '../../agent/models/chat-model.js'
import type { AuditEntry, CommitmentRecord } from '../../commitments/commitment-state.js'
import type { StoredIntervention } from '../../interventions/intervention-schemas.js'
import type { Nudge } from '../../nudges/nudge-schemas.js'
import type { Pause, Plan } from '../../plans/plan-schemas.js'
import type { WorkoutRecord } from '../../workouts/workout-schemas.js'
import type { AutopilotRun } from '../../autopilot/autopilot-schemas.js'
import { USER_DOC_VERSION } from '../lowdb/user-doc.js'
import type { RequestKey, UserData } from '../user-data.js'
import type { PgDatabase } from './pg-database.js'
import { bodies, firstBody } from './sql-values.js'

export async function exportUserFromPg (db: PgDatabase, userId: string): Promise<UserData | null> {
  return db.transaction(async client => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const q = (sql: string) => client.query(sql, [userId])
    const accountRow = await q('SELECT body, calendar_token_digest FROM accounts WHERE id = $1')
    const account = firstBody<Account>(accountRow)
    if (account === null) return null
    const settings = (await q('SELECT * FROM user_settings WHERE user_id = $1')).rows[0] ?? {}
    const requestKeys: Record<string, RequestKey> = {}
    for (const row of (await q('SELECT * FROM request_keys WHERE user_id = $1 ORDER BY created_at')).rows) {
      requestKeys[row.request_id] = { request_id: row.request_id, fingerprint: row.fingerprint, workout_id: row.workout_id, response: row.response, created_at: (row.created_at as Date).toISOString() }
    }
    const commitments = bodies<CommitmentRecord>(await q('SELECT body FROM commitments WHERE user_id = $1 ORDER BY seq'))
    const audit: Record<string, AuditEntry[]> = {}
    for (const row of (await q('SELECT commitment_id, body FROM commitment_audit WHERE user_id = $1 ORDER BY seq')).rows) {
      (audit[row.commitment_id] ??= []).push(row.body as AuditEntry)
    }
    const data: UserData = {
      schema_version: USER_DOC_VERSION,
      account,
      workouts: bodies<WorkoutRecord>(await q('SELECT body FROM workouts WHERE user_id = $1 ORDER BY seq')),
      request_keys: requestKeys,
      conversation: (await q('SELECT message FROM conversation_messages WHERE user_id = $1 ORDER BY position')).rows.map(r => r.message as ConversationMessage),
      agent_traces: bodies<AgentTrace>(await q('SELECT body FROM agent_traces WHERE user_id = $1 ORDER BY seq')),
      agent_usage: {
        day: settings.usage_day ?? null,
        runs_today: settings.runs_today ?? 0,
        total_runs: settings.total_runs ?? 0,
        prompt_tokens: Number(settings.prompt_tokens ?? 0),
        completion_tokens: Number(settings.completion_tokens ?? 0),
        total_tokens: Number(settings.total_tokens ?? 0)
      },
      plans: bodies<Plan>(await q('SELECT body FROM plans WHERE user_id = $1 ORDER BY seq')),
      pauses: bodies<Pause>(await q('SELECT body FROM pauses WHERE user_id = $1 ORDER BY seq')),
      preferences: settings.preferences ?? null,
      channels: settings.channels ?? null,
      buddy: settings.buddy ?? null,
      nudges: bodies<Nudge>(await q('SELECT body FROM nudges WHERE user_id = $1 ORDER BY seq')),
      interventions: bodies<StoredIntervention>(await q('SELECT body FROM interventions WHERE user_id = $1 ORDER BY seq')),
      commitments,
      commitment_audit: audit,
      autopilot: settings.autopilot ?? null,
      autopilot_runs: bodies<AutopilotRun>(await q('SELECT body FROM autopilot_runs WHERE user_id = $1 ORDER BY seq'))
    }
    const digest = accountRow.rows[0].calendar_token_digest as string | null
    if (digest) data.calendar_token_digest = digest
    return data
  })
}
