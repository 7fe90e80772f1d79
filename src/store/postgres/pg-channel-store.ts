// Where nudges may go, in PostgreSQL: the channels and the buddy are documents on the person's
// settings row, changed inside their transaction (a change that throws rolls back: nothing stored).
import { emptyChannels, type StoredBuddy, type StoredChannels } from '../../nudges/channel-schemas.js'
import type { ChannelStore } from '../channel-store.js'
import type { PgDatabase } from './pg-database.js'
import { json } from './sql-values.js'

export function pgChannelStore (db: PgDatabase): ChannelStore {
  return {
    async getChannels (userId: string) {
      return ((await db.query('SELECT channels FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.channels as StoredChannels | undefined) ?? null
    },

    async updateChannels<R> (userId: string, change: (channels: StoredChannels) => R) {
      return db.userTransaction(userId, async client => {
        const stored = (await client.query('SELECT channels FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.channels as StoredChannels | null
        const channels = stored ?? emptyChannels()
        const result = change(channels)
        await client.query('UPDATE user_settings SET channels = $2::jsonb WHERE user_id = $1', [userId, json(channels)])
        return result
      })
    },

    async getBuddy (userId: string) {
      return ((await db.query('SELECT buddy FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.buddy as StoredBuddy | undefined) ?? null
    },

    async updateBuddy<R> (userId: string, change: (buddy: StoredBuddy | null) => { buddy: StoredBuddy | null, result: R }) {
      return db.userTransaction(userId, async client => {
        const stored = (await client.query('SELECT buddy FROM user_settings WHERE user_id = $1', [userId])).rows[0]?.buddy as StoredBuddy | null
        const { buddy, result } = change(stored ?? null)
        await client.query('UPDATE user_settings SET buddy = $2::jsonb WHERE user_id = $1', [userId, buddy === null ? null : json(buddy)])
        return result
      })
    }
  }
}
