// The PostgreSQL store, chosen by DATABASE_URL: every store part over one connection pool, after
// the schema has been migrated (under an advisory lock, so instances starting together take
// turns). Several instances share it — that is the point — so there is no data-directory lock.
// Health comes from a background probe four times a second, so /health answers from memory at once
// and sees the database go down within a second.
import type { Repository, StoreStatus } from '../repository.js'
import { migrate } from './migrate.js'
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js'
import { pgAccountStore } from './pg-account-store.js'
import { pgWorkoutStore } from './pg-workout-store.js'
import { pgCoachStore } from './pg-coach-store.js'
import { pgPlanStore } from './pg-plan-store.js'
import { pgCalendarStore } from './pg-calendar-store.js'
import { pgChannelStore } from './pg-channel-store.js'
import { pgNudgeStore } from './pg-nudge-store.js'
import { pgInterventionStore } from './pg-intervention-store.js'
import { pgCommitmentStore } from './pg-commitment-store.js'
import { pgAutopilotStore } from './pg-autopilot-store.js'
import { exportUserFromPg } from './pg-export.js'

const PROBE_EVERY_MS = 250

export interface PgRepositoryOptions extends PgDatabaseOptions {
  /** lines the migration tool prints (warnings) */
  log?: (line: string) => void
}

export type PgRepository = Repository & { readonly database: PgDatabase }

export async function openPgRepository (options: PgRepositoryOptions): Promise<PgRepository> {
  const migrations = await migrate(options.connectionString, options.log)
  const db = new PgDatabase(options)
  await db.probe(options.statementTimeoutMs)
  // A stopped server refuses at once; a frozen one is given 400 ms (one probe at a time).
  let probing = false
  const probe = setInterval(() => {
    if (probing) return
    probing = true
    void db.probe(400).finally(() => { probing = false })
  }, PROBE_EVERY_MS)
  probe.unref()
  return {
    database: db,
    ...pgAccountStore(db),
    exportUser: userId => exportUserFromPg(db, userId),
    ...pgWorkoutStore(db),
    ...pgCoachStore(db),
    ...pgPlanStore(db),
    ...pgCalendarStore(db),
    ...pgChannelStore(db),
    ...pgNudgeStore(db),
    ...pgInterventionStore(db),
    ...pgCommitmentStore(db),
    ...pgAutopilotStore(db),
    status (): StoreStatus {
      const health = db.health()
      // /health is public: no connection string, host or user here.
      return {
        kind: 'postgres',
        writable: health.up,
        last_ok_at: health.last_ok_at,
        last_error: health.up ? null : health.last_error,
        pool_total: db.pool.totalCount,
        pool_idle: db.pool.idleCount,
        pool_waiting: db.pool.waitingCount,
        migrations_applied_at_start: migrations.length
      }
    },
    async close () {
      clearInterval(probe)
      await db.close()
    }
  }
}
