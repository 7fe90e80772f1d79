// A person's imported calendar in PostgreSQL: one row, read and replaced whole; the feed token's
// digest is a unique column of the account, so a rotation makes the old token invalid at once.
import type { CalendarStore, CalendarSubscription, StoredCalendar } from '../calendar-store.js'
import type { PgDatabase } from './pg-database.js'
import { firstBody, json } from './sql-values.js'

export function pgCalendarStore (db: PgDatabase): CalendarStore {
  return {
    async getCalendar (userId: string) {
      return firstBody<StoredCalendar>(await db.query('SELECT body FROM calendars WHERE user_id = $1', [userId]))
    },

    async setCalendar (userId: string, calendar: StoredCalendar) {
      await db.userTransaction(userId, client => client.query(
        `INSERT INTO calendars (user_id, subscription_url, body) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (user_id) DO UPDATE SET subscription_url = EXCLUDED.subscription_url, body = EXCLUDED.body`,
        [userId, calendar.subscription?.url ?? null, json(calendar)]))
    },

    async deleteCalendar (userId: string) {
      return ((await db.query('DELETE FROM calendars WHERE user_id = $1', [userId])).rowCount ?? 0) > 0
    },

    async setCalendarToken (userId: string, digest: string) {
      return ((await db.query('UPDATE accounts SET calendar_token_digest = $2 WHERE id = $1', [userId, digest])).rowCount ?? 0) > 0
    },

    async listCalendarSubscriptions () {
      // A documented read across people, like the due-work queries: the periodic refresh needs
      // every subscription (a partial index holds only those rows).
      const result = await db.query("SELECT user_id, body->'subscription' AS subscription FROM calendars WHERE subscription_url IS NOT NULL ORDER BY user_id")
      return result.rows.map(row => ({ userId: row.user_id as string, subscription: row.subscription as CalendarSubscription }))
    },

    async findUserByCalendarToken (digest: string) {
      if (!/^[0-9a-f]{64}$/.test(digest)) return null
      const result = await db.query('SELECT id FROM accounts WHERE calendar_token_digest = $1', [digest])
      return (result.rows[0]?.id as string | undefined) ?? null
    }
  }
}
