// The PostgreSQL side of moving people (user-transfer.ts): a person restored in one transaction,
// row by row in their original order, or not at all.
import type { QueuedCheckpoint } from '../../autopilot/autopilot-schemas.js'
import type { StoredCalendar } from '../calendar-store.js'
import { countRecords, type MovedUser, type RestoreResult, type UserTransfer } from '../user-transfer.js'
import { exportUserFromPg } from './pg-export.js'
import type { PgDatabase } from './pg-database.js'
import { firstBody, json } from './sql-values.js'
import type pg from 'pg'

/** Inserts every element of `items` (a JSON array) in order; `columns` are extracted from each (`x`). */
async function insertAll (client: pg.PoolClient, table: string, columns: string, values: string, userId: string, items: readonly unknown[]): Promise<void> {
  if (items.length === 0) return
  await client.query(
    `INSERT INTO ${table} (user_id, ${columns}) SELECT $1, ${values} FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(x, ord) ORDER BY ord`,
    [userId, json(items)])
}

export function pgTransfer (db: PgDatabase): UserTransfer {
  return {
    async * listUserIds () {
      // An administrative walk (the data mover), in pages so a large store is not read at once.
      let after = ''
      for (;;) {
        const page = await db.query<{ id: string }>('SELECT id FROM accounts WHERE id > $1 ORDER BY id LIMIT 500', [after])
        for (const row of page.rows) yield row.id
        if (page.rows.length < 500) return
        after = page.rows[page.rows.length - 1].id
      }
    },

    async readUser (userId: string): Promise<MovedUser | null> {
      const data = await exportUserFromPg(db, userId)
      if (data === null) return null
      const calendar = firstBody<StoredCalendar>(await db.query('SELECT body FROM calendars WHERE user_id = $1', [userId]))
      const checkpoint = ((await db.query('SELECT checkpoint FROM autopilot_checkpoints WHERE user_id = $1', [userId])).rows[0]?.checkpoint as QueuedCheckpoint | undefined) ?? null
      return { data, calendar, checkpoint }
    },

    async restoreUser (user: MovedUser): Promise<RestoreResult> {
      const { data, calendar, checkpoint } = user
      const id = data.account.id
      return db.transaction(async (client): Promise<RestoreResult> => {
        const holder = await client.query('SELECT id FROM accounts WHERE id = $1 OR username = $2', [id, data.account.username])
        if (holder.rows.some(r => r.id === id)) return { restored: false, reason: 'exists' }
        if (holder.rows.length > 0) return { restored: false, reason: 'username_taken' }
        await client.query('INSERT INTO accounts (id, username, body, calendar_token_digest, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)',
          [id, data.account.username, json(data.account), data.calendar_token_digest ?? null, data.account.created_at])
        const usage = data.agent_usage
        await client.query(
          `INSERT INTO user_settings (user_id, preferences, channels, buddy, autopilot, usage_day, runs_today, total_runs, prompt_tokens, completion_tokens, total_tokens)
           VALUES ($1, $2::jsonb, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11)`,
          [id, nullableJson(data.preferences), nullableJson(data.channels), nullableJson(data.buddy), nullableJson(data.autopilot),
            usage.day, usage.runs_today, usage.total_runs, usage.prompt_tokens, usage.completion_tokens, usage.total_tokens])
        await insertAll(client, 'workouts', 'workout_id, local_date, performed_at, deleted_at, body',
          "x->>'workout_id', (x->>'local_date')::date, (x->>'performed_at')::timestamptz, (x->>'deleted_at')::timestamptz, x", id, data.workouts)
        await insertAll(client, 'request_keys', 'request_id, fingerprint, workout_id, response, created_at',
          "x->>'request_id', x->>'fingerprint', x->>'workout_id', x->'response', (x->>'created_at')::timestamptz", id, Object.values(data.request_keys))
        await insertAll(client, 'conversation_messages', 'position, message', 'ord, x', id, data.conversation)
        await insertAll(client, 'agent_traces', 'body', 'x', id, data.agent_traces)
        await insertAll(client, 'plans', 'body', 'x', id, data.plans)
        await insertAll(client, 'pauses', 'pause_id, start_date, end_date, body', "x->>'pause_id', (x->>'start_date')::date, (x->>'end_date')::date, x", id, data.pauses)
        await insertAll(client, 'nudges', 'nudge_id, read_at, body', "x->>'nudge_id', (x->>'read_at')::timestamptz, x", id, data.nudges)
        await insertAll(client, 'interventions', 'intervention_id, body', "x->>'intervention_id', x", id, data.interventions)
        await insertAll(client, 'commitments', 'commitment_id, body', "x->>'commitment_id', x", id, data.commitments)
        const audit = data.commitments.flatMap(c => (data.commitment_audit[c.commitment_id] ?? []).map(entry => ({ commitment_id: c.commitment_id, entry })))
        await insertAll(client, 'commitment_audit', 'commitment_id, body', "x->>'commitment_id', x->'entry'", id, audit)
        await insertAll(client, 'autopilot_runs', 'body', 'x', id, data.autopilot_runs)
        if (calendar) {
          await client.query('INSERT INTO calendars (user_id, subscription_url, body) VALUES ($1, $2, $3::jsonb)', [id, calendar.subscription?.url ?? null, json(calendar)])
        }
        if (checkpoint) {
          await client.query('INSERT INTO autopilot_checkpoints (user_id, due_at, checkpoint) VALUES ($1, $2, $3::jsonb)', [id, new Date(checkpoint.due_at), json(checkpoint)])
        }
        return { restored: true, rows: countRecords(user) }
      })
    }
  }
}

const nullableJson = (value: unknown): string | null => value === null || value === undefined ? null : json(value)
