// Password hashes. New hashes are argon2id (@node-rs/argon2) in the PHC string format
// (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), which names the algorithm and its parameters, so a
// later change of scheme or cost is the same small step as this one: verify what is stored, and
// re-hash on the next successful login (`needsRehash`).
// Older accounts hold `scrypt$N$r$p$salt$hash` (node:crypto); those still verify.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2'

/** argon2id cost; OWASP's minimum is 19 MiB, 2 passes, 1 lane (about 20 ms per hash here). */
export interface HashParams {
  memoryKib: number
  timeCost: number
  parallelism: number
}

export const OWASP_ARGON2ID: HashParams = { memoryKib: 19_456, timeCost: 2, parallelism: 1 }

/** `Algorithm.Argon2id`: the library exports it as a const enum, which isolated modules cannot import. */
const ARGON2ID = 2

export type HashScheme = 'argon2id' | 'scrypt'

export function hashPassword (password: string, params: HashParams): Promise<string> {
  return argon2Hash(password.normalize('NFC'), {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKib,
    timeCost: params.timeCost,
    parallelism: params.parallelism
  })
}

export function schemeOf (stored: string): HashScheme | null {
  if (stored.startsWith('$argon2id$')) return 'argon2id'
  if (stored.startsWith('scrypt$')) return 'scrypt'
  return null
}

export async function verifyPassword (password: string, stored: string): Promise<boolean> {
  switch (schemeOf(stored)) {
    case 'argon2id': return argon2Verify(stored, password.normalize('NFC')).catch(() => false)
    case 'scrypt': return verifyScrypt(password, stored)
    default: return false
  }
}

/** True when `stored` is not an argon2id hash at exactly these parameters. */
export function needsRehash (stored: string, params: HashParams): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored)
  if (!match) return true
  return Number(match[1]) !== params.memoryKib || Number(match[2]) !== params.timeCost || Number(match[3]) !== params.parallelism
}

// --- scrypt: verification of hashes made before argon2id ---------------------------------------

/** The cost every scrypt hash of this service was made with by default (scrypt$16384$8$1$…). */
export const LEGACY_SCRYPT_COST = 16_384
const SCRYPT_KEY_LENGTH = 32

function deriveScrypt (password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, SCRYPT_KEY_LENGTH, options, (err, key) => err ? reject(err) : resolve(key))
  })
}

/** Makes a hash in the old format: for decoys and for tests of the upgrade path only. */
export async function hashScrypt (password: string, N = LEGACY_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16)
  const key = await deriveScrypt(password, salt, N, 8, 1)
  return `scrypt$${N}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`
}

async function verifyScrypt (password: string, stored: string): Promise<boolean> {
  const [, N, r, p, salt, hash] = stored.split('$')
  if (!hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await deriveScrypt(password, Buffer.from(salt, 'base64url'), Number(N), Number(r), Number(p))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

// --- equal time for every failure ---------------------------------------------------------------

/** One hash per scheme that no password matches. */
export type DecoyHashes = Record<HashScheme, string>

export async function makeDecoys (params: HashParams): Promise<DecoyHashes> {
  const secret = () => randomBytes(24).toString('hex')
  return { argon2id: await hashPassword(secret(), params), scrypt: await hashScrypt(secret()) }
}

/**
 * Checks `password` against the stored hash (null: no such user) so that every failure costs the
 * same: one verification of each scheme. A wrong password against an argon2id hash also verifies
 * the scrypt decoy, one against a scrypt hash the argon2id decoy, an unknown user both decoys — so
 * neither "no such user" nor "an old account not yet upgraded" can be told from the timing.
 */
export async function verifyInEqualTime (password: string, stored: string | null, decoys: DecoyHashes): Promise<boolean> {
  const scheme = stored === null ? null : schemeOf(stored)
  const ok = stored !== null && await verifyPassword(password, stored)
  if (!ok) {
    for (const other of Object.keys(decoys) as HashScheme[]) {
      if (other !== scheme) await verifyPassword(password, decoys[other])
    }
  }
  return ok
}
