// Accounts in PostgreSQL: the username is unique in the table (stored already normalised: the
// pattern admits lower case only), and deleting the account row removes every row of the person
// (ON DELETE CASCADE), in one statement.
import type { Account } from '../../accounts/account-schemas.js'
import { USERNAME_PATTERN } from '../../accounts/account-schemas.js'
import type { AccountStore } from '../account-store.js'
import type { PgDatabase } from './pg-database.js'
import { firstBody, json } from './sql-values.js'

export function pgAccountStore (db: PgDatabase): Omit<AccountStore, 'exportUser'> {
  return {
    async createAccount (account: Account) {
      return db.transaction(async client => {
        const inserted = await client.query(
          'INSERT INTO accounts (id, username, body, created_at) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT DO NOTHING',
          [account.id, account.username, json(account), account.created_at])
        if (inserted.rowCount === 0) return false
        await client.query('INSERT INTO user_settings (user_id) VALUES ($1)', [account.id])
        return true
      })
    },

    async getAccount (userId: string) {
      return firstBody<Account>(await db.query('SELECT body FROM accounts WHERE id = $1', [userId]))
    },

    async findAccountByUsername (username: string) {
      // A name that could never have been registered (login accepts any text) is not looked up.
      if (!USERNAME_PATTERN.test(username)) return null
      return firstBody<Account>(await db.query('SELECT body FROM accounts WHERE username = $1', [username]))
    },

    async updateAccount (userId: string, change: (account: Account) => void) {
      return db.userTransaction(userId, async client => {
        const account = firstBody<Account>(await client.query('SELECT body FROM accounts WHERE id = $1', [userId]))!
        change(account)
        await client.query('UPDATE accounts SET body = $2::jsonb, username = $3 WHERE id = $1', [userId, json(account), account.username])
        return account
      })
    },

    async deleteAccount (userId: string) {
      return ((await db.query('DELETE FROM accounts WHERE id = $1', [userId])).rowCount ?? 0) > 0
    }
  }
}
