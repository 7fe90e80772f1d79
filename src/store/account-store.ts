// The store part for accounts. Each method is one transaction; `change` callbacks are pure and
// synchronous, so a store runs them inside it.
import type { Account } from '../accounts/account-schemas.js'
import type { UserData } from './user-data.js'

export interface AccountStore {
  /** false when the username is taken */
  createAccount (account: Account): Promise<boolean>
  getAccount (userId: string): Promise<Account | null>
  findAccountByUsername (username: string): Promise<Account | null>
  /** applies `change` atomically and durably; null when the account does not exist */
  updateAccount (userId: string, change: (account: Account) => void): Promise<Account | null>
  /** removes every record of the user; false when there was none */
  deleteAccount (userId: string): Promise<boolean>
  /** everything held about the user, as stored (the caller removes secrets) */
  exportUser (userId: string): Promise<UserData | null>
}
