// Accounts: registration, authentication, profile, password and the account's lifetime.
// Framework-free: callers pass the repository, the user id from the session, and the clock.
import { randomBytes } from 'node:crypto'
import { conflict, DomainError, invalid, notFound } from '../shared/domain-errors.js'
import { canonicalTimeZone } from '../shared/local-time.js'
import { hashPassword, makeDecoys, needsRehash, OWASP_ARGON2ID, verifyInEqualTime, verifyPassword, type DecoyHashes, type HashParams } from './passwords.js'
import type { Account, PublicUser } from './account-schemas.js'
import type { AccountStore } from '../store/account-store.js'
import type { UserData } from '../store/user-data.js'


export interface AccountSettings {
  /** argon2id cost of new hashes (and of old ones, re-hashed at the next login) */
  hashParams: HashParams
  /** hashes that match nothing, verified so every failed login costs the same (equal timing) */
  decoys: Promise<DecoyHashes>
}

/** Settings at OWASP's argon2id cost with `memoryKib` of memory; the decoys are made on first use. */
export function accountSettings (memoryKib: number): AccountSettings {
  const hashParams = { ...OWASP_ARGON2ID, memoryKib }
  let decoys: Promise<DecoyHashes> | undefined
  return {
    hashParams,
    get decoys () {
      return (decoys ??= makeDecoys(hashParams))
    }
  }
}

export function publicUser (account: Account): PublicUser {
  const { id, username, timezone, resolution, created_at: createdAt } = account
  return { id, username, timezone, resolution, created_at: createdAt }
}

function requireTimeZone (name: string, field: string): string {
  const zone = canonicalTimeZone(name)
  if (zone === null) throw invalid(`${field} must be an IANA time zone name such as Europe/Berlin or America/New_York (got "${name}")`)
  return zone
}

export function newUserId (): string {
  return `u_${randomBytes(12).toString('hex')}`
}

export async function registerAccount (repo: AccountStore, input: { username: string, password: string, timezone?: string },
  settings: AccountSettings, now = new Date()): Promise<Account> {
  const timezone = requireTimeZone(input.timezone ?? 'UTC', 'body.timezone')
  const at = now.toISOString()
  const account: Account = {
    id: newUserId(),
    username: input.username,
    password_hash: await hashPassword(input.password, settings.hashParams),
    timezone,
    resolution: null,
    created_at: at,
    updated_at: at
  }
  if (!await repo.createAccount(account)) throw conflict(`The username "${input.username}" is taken; choose another.`)
  return account
}

/**
 * The account if the password matches; null otherwise — in the same time whether or not the user
 * exists, and whatever scheme their hash uses. A hash made with an older scheme or cost is
 * replaced by one at today's parameters, now that the password is known.
 */
export async function authenticate (repo: AccountStore, username: string, password: string, settings: AccountSettings,
  now = new Date()): Promise<Account | null> {
  const account = await repo.findAccountByUsername(username)
  const stored = account?.password_hash ?? null
  const ok = await verifyInEqualTime(password, stored, await settings.decoys)
  if (!ok || !account) return null
  if (!needsRehash(account.password_hash, settings.hashParams)) return account
  const upgraded = await hashPassword(password, settings.hashParams)
  const updated = await repo.updateAccount(account.id, current => {
    // A password change that landed meanwhile wins: only the hash just verified is replaced.
    if (current.password_hash !== stored) return
    current.password_hash = upgraded
    current.updated_at = now.toISOString()
  })
  return updated ?? account
}

export async function getAccount (repo: AccountStore, userId: string): Promise<Account> {
  const account = await repo.getAccount(userId)
  if (!account) throw notFound('Your account no longer exists.')
  return account
}

export async function updateProfile (repo: AccountStore, userId: string, patch: { timezone?: string, resolution?: string | null },
  now = new Date()): Promise<Account> {
  const timezone = patch.timezone === undefined ? undefined : requireTimeZone(patch.timezone, 'body.timezone')
  const resolution = patch.resolution === undefined ? undefined : (patch.resolution?.trim() || null)
  const account = await repo.updateAccount(userId, account => {
    if (timezone !== undefined) account.timezone = timezone
    if (resolution !== undefined) account.resolution = resolution
    account.updated_at = now.toISOString()
  })
  if (!account) throw notFound('Your account no longer exists.')
  return account
}

async function confirmPassword (repo: AccountStore, userId: string, password: string, field: string): Promise<Account> {
  const account = await getAccount(repo, userId)
  if (!await verifyPassword(password, account.password_hash)) {
    throw new DomainError('forbidden', `${field} is not your current password.`)
  }
  return account
}

export async function changePassword (repo: AccountStore, userId: string, current: string, next: string,
  settings: AccountSettings, now = new Date()): Promise<void> {
  await confirmPassword(repo, userId, current, 'body.current_password')
  if (current === next) throw invalid('body.new_password must differ from the current password.')
  const hash = await hashPassword(next, settings.hashParams)
  await repo.updateAccount(userId, account => {
    account.password_hash = hash
    account.updated_at = now.toISOString()
  })
}

export async function deleteAccount (repo: AccountStore, userId: string, password: string): Promise<void> {
  await confirmPassword(repo, userId, password, 'body.password')
  await repo.deleteAccount(userId)
}

export type AccountExport = Omit<UserData, 'account'> & { exported_at: string, account: Omit<Account, 'password_hash'> }

/** Everything held about the user, minus the password hash (a secret, not their data). */
export async function exportAccount (repo: AccountStore, userId: string, now = new Date()): Promise<AccountExport> {
  const doc = await repo.exportUser(userId)
  if (!doc) throw notFound('Your account no longer exists.')
  const { password_hash: _secret, ...account } = doc.account
  // Secrets are not the person's data: the password hash and the feed token's digest stay here.
  const { calendar_token_digest: _token, ...data } = doc
  const exported = structuredClone({ ...data, account })
  // Webhook signing secrets and confirmation-code digests are credentials, not the person's data.
  const channels = exported.channels
  if (channels?.webhook) channels.webhook.secret = '(not exported)'
  for (const contact of [channels?.email, channels?.phone]) if (contact) contact.code_digest = null
  if (exported.buddy?.webhook) exported.buddy.webhook.secret = '(not exported)'
  return { exported_at: now.toISOString(), ...exported }
}
