// Seeding a DATA_DIR for the service scenarios of `npm run bench` straight through the store's
// file layout (a seed, not the durable path: seeding 100,000 workouts through HTTP would take the
// whole budget). Each person gets their user file and their username's index file, and a real
// argon2id hash of PASSWORD at the cost the bench's service runs with, so they can log in over
// HTTP without the login re-hashing (and re-writing) anything.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { newUserId } from '../src/accounts/accounts.js'
import { hashPassword, OWASP_ARGON2ID } from '../src/accounts/passwords.js'
import { shardedPath } from '../src/store/lowdb/doc-pool.js'
import { USER_DOC_VERSION, type UserDoc } from '../src/store/lowdb/user-doc.js'
import { emptyAgentUsage } from '../src/store/user-data.js'
import type { WorkoutRecord } from '../src/workouts/workout-schemas.js'

export const PASSWORD = 'correct horse battery'
/** PASSWORD_HASH_MEMORY_KIB of every service the bench starts (test/helpers/child-server.ts's serverEnv) */
export const HASH_MEMORY_KIB = 1024

const DAY = 86_400_000

/** Workouts `daysAgo[i]` days before `now` (UTC people), newest first. */
export function workoutsOn (userId: string, daysAgo: number[], now = Date.now()): WorkoutRecord[] {
  return daysAgo.map((d, i) => {
    const at = new Date(now - d * DAY - 3_600_000).toISOString()
    return {
      workout_id: `w_seed${i}`, user_id: userId, exercise_type: i % 3 === 0 ? 'yoga' : 'run', duration_minutes: 20 + (i % 40),
      form_quality: 'good', performed_at: at, local_date: at.slice(0, 10), local_time: at.slice(11, 16), timezone: 'UTC', created_at: at, updated_at: at,
      audit: [{ at, action: 'create' }]
    }
  })
}

export interface Seeded { usernames: string[], userIds: string[] }

/**
 * `count` people named `${prefix}${i}`, each with the workouts `workouts(userId, i)` gives,
 * written 64 files at a time.
 */
export async function seedPeople (dataDir: string, count: number, prefix: string, workouts: (userId: string, i: number) => WorkoutRecord[]): Promise<Seeded> {
  const hash = await hashPassword(PASSWORD, { ...OWASP_ARGON2ID, memoryKib: HASH_MEMORY_KIB })
  const usernames: string[] = []
  const userIds: string[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const id = newUserId()
      const username = `${prefix}${i}`
      usernames[i] = username
      userIds[i] = id
      const list = workouts(id, i)
      // The account is as old as its first workout (the default plan, and so the engine's ledger, starts on that day).
      const at = list.reduce((first, w) => w.performed_at < first ? w.performed_at : first, new Date().toISOString())
      const doc: UserDoc = {
        schema_version: USER_DOC_VERSION,
        account: { id, username, password_hash: hash, timezone: 'UTC', resolution: null, created_at: at, updated_at: at },
        workouts: list, request_keys: {}, conversation: [], agent_traces: [], agent_usage: emptyAgentUsage(), plans: [], pauses: [],
        preferences: null, channels: null, buddy: null, nudges: [], interventions: [], commitments: [], commitment_audit: {}, autopilot: null, autopilot_runs: []
      }
      const file = shardedPath(join(dataDir, 'users'), id)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, JSON.stringify(doc))
      const nameFile = shardedPath(join(dataDir, 'usernames'), username)
      await mkdir(dirname(nameFile), { recursive: true })
      await writeFile(nameFile, JSON.stringify({ user_id: id }))
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker))
  return { usernames, userIds }
}
