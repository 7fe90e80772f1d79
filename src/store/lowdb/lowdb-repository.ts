// The embedded store: one LowDB file per user in a bounded pool of open handles (doc-pool.ts),
// plus a username index of one tiny file per name (username-index.ts), all under DATA_DIR,
// which a lock keeps to one process. Every method touches only the user's own files, so its cost
// does not grow with the number of other users.
import { join } from 'node:path'
import { mkdir, readdir } from 'node:fs/promises'
import { acquireDataDirLock, unwritable, type DataDirLock } from './data-dir-lock.js'
import { notFound } from '../../shared/domain-errors.js'
import { USERNAME_PATTERN } from '../../accounts/account-schemas.js'
import { DocNotFoundError, DocPool } from './doc-pool.js'
import { migrateUserDoc } from './migrate-user-doc.js'
import type { Account } from '../../accounts/account-schemas.js'
import { DEFAULT_PREFERENCES, type Pause, type Plan, type Preferences } from '../../plans/plan-schemas.js'
import type { AgentTrace } from '../../agent/agent-schemas.js'
import type { ConversationMessage } from '../../agent/models/chat-model.js'
import type { WorkoutRecord } from '../../workouts/workout-schemas.js'
import type { AgentRunRecord } from '../coach-store.js'
import type { Repository, StoreStatus } from '../repository.js'
import type { CalendarSubscription, StoredCalendar } from '../calendar-store.js'
import { AUTOPILOT_RUNS_KEPT, emptyAgentUsage, INTERVENTIONS_KEPT, NUDGES_KEPT } from '../user-data.js'
import { emptyChannels, type StoredBuddy, type StoredChannels } from '../../nudges/channel-schemas.js'
import type { Nudge, OutboxEntry } from '../../nudges/nudge-schemas.js'
import type { StoredIntervention } from '../../interventions/intervention-schemas.js'
import type { NudgeAdmission } from '../nudge-store.js'
import type { AuditEntry, CommitmentRecord } from '../../commitments/commitment-state.js'
import type { CommitmentCheck, CommitmentStep } from '../commitment-store.js'
import { DEFAULT_AUTOPILOT, type AutopilotRun, type AutopilotSettings, type QueuedCheckpoint } from '../../autopilot/autopilot-schemas.js'
import type { DueCheckpoint } from '../autopilot-store.js'
import { DueQueue } from './due-queue.js'
import type { IdempotencyKey, InsertWorkoutResult } from '../workout-store.js'
import { USER_DOC_VERSION, type UserDoc } from './user-doc.js'
import { removeTempLeftovers } from './temp-leftovers.js'
import { UsernameIndex } from './username-index.js'

/** How long an idempotency key is remembered: long enough for any sane client retry. */
const REQUEST_KEY_TTL_MS = 24 * 60 * 60 * 1000

export interface LowdbRepositoryOptions {
  dataDir: string
  maxOpen?: number
  /** shown in the lock file, so a refused second process can say who holds the directory */
  command?: string
  onFlush?: (info: { key: string, durationMs: number, batchSize: number }) => void
}

export class LowdbRepository implements Repository {
  private constructor (
    private readonly pool: DocPool<UserDoc>,
    private readonly usernames: UsernameIndex,
    private readonly lock: DataDirLock,
    /** one file per user with an imported calendar, under DATA_DIR/calendars */
    private readonly calendars: DocPool<StoredCalendar>,
    /** calendar feed token digest → user id, one file per digest under DATA_DIR/calendar-tokens */
    private readonly calendarTokens: UsernameIndex,
    private readonly dataDir: string,
    /** due delivery attempts, one durable file under DATA_DIR/outbox */
    private readonly outbox: DueQueue<OutboxEntry & { id: string }>,
    /** when each user's commitments need settling next, one durable file under DATA_DIR/commitment-checks */
    private readonly commitmentChecks: DueQueue<{ id: string, due_at: string }>,
    /** each user's next autopilot checkpoint, one durable file under DATA_DIR/checkpoints */
    private readonly checkpoints: DueQueue<{ id: string, due_at: string, checkpoint: QueuedCheckpoint }>,
    /** `*.tmp` files of interrupted writes removed at start-up */
    private readonly tempFilesRemoved: number
  ) {}

  /** Takes the data directory's lock (throws DataDirLockedError if another process holds it). */
  static async open (options: LowdbRepositoryOptions): Promise<LowdbRepository> {
    await mkdir(options.dataDir, { recursive: true }).catch(unwritable(options.dataDir, true))
    const lock = await acquireDataDirLock(options.dataDir, { command: options.command }).catch(unwritable(options.dataDir))
    const leftovers = await removeTempLeftovers(options.dataDir)
    const pool = new DocPool<UserDoc>({
      dir: join(options.dataDir, 'users'),
      maxOpen: options.maxOpen,
      migrate: migrateUserDoc,
      onFlush: options.onFlush
    })
    const usernames = new UsernameIndex(join(options.dataDir, 'usernames'))
    const calendars = new DocPool<StoredCalendar>({
      dir: join(options.dataDir, 'calendars'),
      maxOpen: Math.max(1, Math.floor((options.maxOpen ?? 1000) / 10)),
      migrate: raw => ({ doc: raw as StoredCalendar, changed: false }),
      onFlush: options.onFlush
    })
    const calendarTokens = new UsernameIndex(join(options.dataDir, 'calendar-tokens'), { pattern: /^[0-9a-f]{64}$/ })
    const outbox = await DueQueue.open<OutboxEntry & { id: string }>(join(options.dataDir, 'outbox'), options.onFlush)
    const commitmentChecks = await DueQueue.open<{ id: string, due_at: string }>(join(options.dataDir, 'commitment-checks'), options.onFlush)
    const checkpoints = await DueQueue.open<{ id: string, due_at: string, checkpoint: QueuedCheckpoint }>(join(options.dataDir, 'checkpoints'), options.onFlush)
    return new LowdbRepository(pool, usernames, lock, calendars, calendarTokens, options.dataDir, outbox, commitmentChecks, checkpoints, leftovers)
  }

  async createAccount (account: Account): Promise<boolean> {
    if (!await this.claimUsername(account.username, account.id)) return false
    const doc: UserDoc = {
      schema_version: USER_DOC_VERSION, account, workouts: [], request_keys: {},
      conversation: [], agent_traces: [], agent_usage: emptyAgentUsage(), plans: [], pauses: [], preferences: null,
      channels: null, buddy: null, nudges: [], interventions: [], commitments: [], commitment_audit: {},
      autopilot: null, autopilot_runs: []
    }
    try {
      await this.pool.create(account.id, doc)
    } catch (err) {
      await this.usernames.release(account.username, account.id)
      throw err
    }
    return true
  }

  /**
   * A claim can outlive its account if the process died between claiming and creating the user
   * file, or between deleting the file and releasing the claim; such a claim is free again.
   */
  private async claimUsername (username: string, userId: string): Promise<boolean> {
    if (await this.usernames.claim(username, userId)) return true
    const holder = await this.usernames.lookup(username)
    if (holder !== null && await this.pool.read(holder) !== null) return false
    await this.usernames.release(username, holder ?? undefined)
    return this.usernames.claim(username, userId)
  }

  /**
   * Stores a whole person as given (the data mover, user-transfer.ts). Never overwrites: an id
   * already here or a username held by someone else leaves everything as it was.
   */
  async restoreUserDoc (doc: UserDoc): Promise<'restored' | 'exists' | 'username_taken'> {
    const id = doc.account.id
    if (await this.pool.read(id) !== null) return 'exists'
    if (!await this.claimUsername(doc.account.username, id)) return 'username_taken'
    try {
      await this.pool.create(id, { ...structuredClone(doc), schema_version: USER_DOC_VERSION })
    } catch (err) {
      await this.usernames.release(doc.account.username, id)
      throw err
    }
    if (doc.calendar_token_digest) await this.calendarTokens.claim(doc.calendar_token_digest, id)
    return 'restored'
  }

  /** Every user id with a file under DATA_DIR/users (an administrative walk, for the data mover). */
  async * userIds (): AsyncIterable<string> {
    const root = join(this.dataDir, 'users')
    for (const shard of (await readdir(root).catch(() => [] as string[])).sort()) {
      for (const name of (await readdir(join(root, shard)).catch(() => [] as string[])).sort()) {
        if (name.endsWith('.json')) yield name.slice(0, -'.json'.length)
      }
    }
  }

  async getAccount (userId: string): Promise<Account | null> {
    return (await this.pool.read(userId))?.account ?? null
  }

  async findAccountByUsername (username: string): Promise<Account | null> {
    // A name that could never have been registered (login accepts any text) has no index file.
    if (!USERNAME_PATTERN.test(username)) return null
    const userId = await this.usernames.lookup(username)
    if (userId === null) return null
    const account = await this.getAccount(userId)
    return account?.username === username ? account : null
  }

  async updateAccount (userId: string, change: (account: Account) => void): Promise<Account | null> {
    return this.updateDoc(userId, doc => {
      change(doc.account)
      return doc.account
    })
  }

  async deleteAccount (userId: string): Promise<boolean> {
    const doc = await this.pool.read(userId)
    if (doc === null) return false
    const username = doc.account.username
    // The user's data goes first: a crash before the claim is released leaves only a stale claim,
    // which claimUsername() recognises, never an account without its data gone.
    await this.calendars.delete(userId)
    if (doc.calendar_token_digest) await this.calendarTokens.release(doc.calendar_token_digest, userId)
    // Their due work goes too (the PostgreSQL store's cascade does the same).
    await this.checkpoints.remove(userId)
    await this.commitmentChecks.remove(userId)
    for (const nudge of doc.nudges) await this.outbox.remove(nudge.nudge_id)
    await this.pool.delete(userId)
    await this.usernames.release(username, userId)
    return true
  }

  async exportUser (userId: string): Promise<UserDoc | null> {
    return this.pool.read(userId)
  }

  async listWorkouts (userId: string): Promise<readonly WorkoutRecord[]> {
    return (await this.pool.read(userId))?.workouts ?? []
  }

  async insertWorkout<R> (userId: string, workout: WorkoutRecord, key: IdempotencyKey | undefined,
    respond: (workouts: readonly WorkoutRecord[], inserted: WorkoutRecord) => R): Promise<InsertWorkoutResult<R>> {
    if (key) {
      // A retry is answered from memory without a write.
      const seen = (await this.pool.read(userId))?.request_keys[key.request_id]
      if (seen) return { replayed: true, sameRequest: seen.fingerprint === key.fingerprint, response: seen.response }
    }
    const result = await this.updateDoc<InsertWorkoutResult<R>>(userId, doc => {
      const seen = key && doc.request_keys[key.request_id]
      if (seen) return { replayed: true, sameRequest: seen.fingerprint === key.fingerprint, response: seen.response }
      doc.workouts.push(workout)
      const response = respond(doc.workouts, workout)
      if (key) {
        pruneRequestKeys(doc, Date.parse(workout.created_at))
        doc.request_keys[key.request_id] = { ...key, workout_id: workout.workout_id, response, created_at: workout.created_at }
      }
      return { replayed: false, response }
    })
    if (result === null) throw notFound('Your account no longer exists.')
    return result
  }

  async updateWorkout (userId: string, workoutId: string, change: (workout: WorkoutRecord) => void): Promise<WorkoutRecord | null> {
    const current = (await this.pool.read(userId))?.workouts.find(w => w.workout_id === workoutId && !w.deleted_at)
    if (!current) return null
    return this.updateDoc(userId, doc => {
      const workout = doc.workouts.find(w => w.workout_id === workoutId && !w.deleted_at)
      if (!workout) return null
      change(workout)
      return workout
    })
  }

  async getConversation (userId: string): Promise<readonly ConversationMessage[]> {
    return (await this.pool.read(userId))?.conversation ?? []
  }

  async startAgentRun (userId: string, day: string, dailyLimit: number): Promise<{ allowed: boolean, runsToday: number } | null> {
    return this.updateDoc(userId, doc => {
      const usage = doc.agent_usage
      if (usage.day !== day) { usage.day = day; usage.runs_today = 0 }
      if (usage.runs_today >= dailyLimit) return { allowed: false, runsToday: usage.runs_today }
      usage.runs_today += 1
      usage.total_runs += 1
      return { allowed: true, runsToday: usage.runs_today }
    })
  }

  async finishAgentRun (userId: string, run: AgentRunRecord): Promise<void> {
    await this.updateDoc(userId, doc => {
      if (run.conversation) doc.conversation = [...run.conversation]
      doc.agent_traces.push(run.trace)
      if (doc.agent_traces.length > run.tracesKept) doc.agent_traces.splice(0, doc.agent_traces.length - run.tracesKept)
      const usage = doc.agent_usage
      for (const call of run.trace.model_calls) {
        usage.prompt_tokens += call.usage?.prompt_tokens ?? 0
        usage.completion_tokens += call.usage?.completion_tokens ?? 0
        usage.total_tokens += call.usage?.total_tokens ?? 0
      }
    })
  }

  async clearConversation (userId: string): Promise<void> {
    await this.updateDoc(userId, doc => { doc.conversation = [] })
  }

  async listTraces (userId: string): Promise<readonly AgentTrace[]> {
    return (await this.pool.read(userId))?.agent_traces ?? []
  }

  async listPlans (userId: string): Promise<readonly Plan[]> {
    return (await this.pool.read(userId))?.plans ?? []
  }

  async addPlan (userId: string, plan: Plan): Promise<boolean> {
    return (await this.updateDoc(userId, doc => { doc.plans.push(plan); return true })) ?? false
  }

  async listPauses (userId: string): Promise<readonly Pause[]> {
    return (await this.pool.read(userId))?.pauses ?? []
  }

  async addPause (userId: string, pause: Pause, conflict: (existing: readonly Pause[]) => Pause | undefined) {
    return this.updateDoc(userId, (doc): { added: true } | { conflict: Pause } => {
      const clash = conflict(doc.pauses)
      if (clash) return { conflict: clash }
      doc.pauses.push(pause)
      return { added: true }
    })
  }

  async deletePause (userId: string, pauseId: string): Promise<boolean> {
    const doc = await this.pool.read(userId)
    if (!doc?.pauses.some(p => p.pause_id === pauseId)) return false
    return (await this.updateDoc(userId, doc => {
      const before = doc.pauses.length
      doc.pauses = doc.pauses.filter(p => p.pause_id !== pauseId)
      return doc.pauses.length < before
    })) ?? false
  }

  async getPreferences (userId: string): Promise<Preferences | null> {
    return (await this.pool.read(userId))?.preferences ?? null
  }

  async updatePreferences (userId: string, change: (current: Preferences) => Preferences): Promise<Preferences | null> {
    return this.updateDoc(userId, doc => {
      doc.preferences = change(doc.preferences ?? structuredClone(DEFAULT_PREFERENCES))
      return doc.preferences
    })
  }

  async getCalendar (userId: string): Promise<StoredCalendar | null> {
    return this.calendars.read(userId)
  }

  async setCalendar (userId: string, calendar: StoredCalendar): Promise<void> {
    // Nobody to keep it for (e.g. the account was deleted while its subscription was refreshed).
    if (await this.pool.read(userId) === null) return
    // The calendar file exists only for users with a calendar; replace it whole.
    if (await this.calendars.read(userId) === null) {
      try {
        await this.calendars.create(userId, calendar)
        return
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
    }
    await this.calendars.update(userId, doc => {
      // Whole: a field the new calendar lacks (an upload after a subscription) must not survive.
      for (const key of Object.keys(doc)) delete (doc as unknown as Record<string, unknown>)[key]
      Object.assign(doc, structuredClone(calendar))
    })
  }

  async deleteCalendar (userId: string): Promise<boolean> {
    return this.calendars.delete(userId)
  }

  async setCalendarToken (userId: string, digest: string): Promise<boolean> {
    const doc = await this.pool.read(userId)
    if (doc === null) return false
    // Index first: a crash after it leaves an index entry no user file points to, which lookups
    // check against (findUserByCalendarToken), never a token that works without being recorded.
    if (!await this.calendarTokens.claim(digest, userId)) throw new Error('calendar token digest collision')
    const previous = doc.calendar_token_digest
    await this.updateDoc(userId, d => { d.calendar_token_digest = digest })
    if (previous) await this.calendarTokens.release(previous, userId)
    return true
  }

  async listCalendarSubscriptions (): Promise<Array<{ userId: string, subscription: CalendarSubscription }>> {
    // One file per user with a calendar: a directory walk, done once per refresh period.
    const found: Array<{ userId: string, subscription: CalendarSubscription }> = []
    const root = join(this.dataDir, 'calendars')
    for (const shard of await readdir(root).catch(() => [] as string[])) {
      for (const name of await readdir(join(root, shard)).catch(() => [] as string[])) {
        if (!name.endsWith('.json')) continue
        const userId = name.slice(0, -'.json'.length)
        const calendar = await this.calendars.read(userId).catch(() => null)
        if (calendar?.subscription) found.push({ userId, subscription: calendar.subscription })
      }
    }
    return found
  }

  async findUserByCalendarToken (digest: string): Promise<string | null> {
    if (!/^[0-9a-f]{64}$/.test(digest)) return null
    const userId = await this.calendarTokens.lookup(digest)
    if (userId === null) return null
    // Only the token the user file names is valid (a rotated one is released, a half-done rotation ignored).
    return (await this.pool.read(userId))?.calendar_token_digest === digest ? userId : null
  }

  async getChannels (userId: string): Promise<StoredChannels | null> {
    return (await this.pool.read(userId))?.channels ?? null
  }

  async updateChannels<R> (userId: string, change: (channels: StoredChannels) => R): Promise<R | null> {
    const current = await this.pool.read(userId)
    if (current === null) return null
    // Decided on a copy, so a change that refuses (throws) leaves the document as it was.
    const draft = structuredClone(current.channels ?? emptyChannels())
    change(draft)
    return this.updateDoc(userId, doc => {
      const channels = structuredClone(doc.channels ?? emptyChannels())
      const result = change(channels)
      doc.channels = channels
      return result
    })
  }

  async getBuddy (userId: string): Promise<StoredBuddy | null> {
    return (await this.pool.read(userId))?.buddy ?? null
  }

  async updateBuddy<R> (userId: string, change: (buddy: StoredBuddy | null) => { buddy: StoredBuddy | null, result: R }): Promise<R | null> {
    const current = await this.pool.read(userId)
    if (current === null) return null
    change(structuredClone(current.buddy))
    return this.updateDoc(userId, doc => {
      const { buddy, result } = change(structuredClone(doc.buddy))
      doc.buddy = buddy
      return result
    })
  }

  async listNudges (userId: string): Promise<readonly Nudge[]> {
    return (await this.pool.read(userId))?.nudges ?? []
  }

  async addNudge (userId: string, nudge: Nudge, admit: (existing: readonly Nudge[]) => NudgeAdmission): Promise<NudgeAdmission | null> {
    return this.updateDoc(userId, doc => {
      const admission = admit(doc.nudges)
      if (admission.add) {
        doc.nudges.push(nudge)
        if (doc.nudges.length > NUDGES_KEPT) doc.nudges.splice(0, doc.nudges.length - NUDGES_KEPT)
      }
      return admission
    })
  }

  async updateNudge (userId: string, nudgeId: string, change: (nudge: Nudge) => void): Promise<Nudge | null> {
    const stored = (await this.pool.read(userId))?.nudges.find(n => n.nudge_id === nudgeId)
    if (!stored) return null
    change(structuredClone(stored))
    return this.updateDoc(userId, doc => {
      const index = doc.nudges.findIndex(n => n.nudge_id === nudgeId)
      if (index < 0) return null
      const nudge = structuredClone(doc.nudges[index])
      change(nudge)
      doc.nudges[index] = nudge
      return nudge
    })
  }

  async markAllNudgesRead (userId: string, at: string): Promise<number> {
    const unread = (await this.pool.read(userId))?.nudges.some(n => n.read_at === null)
    if (!unread) return 0
    return (await this.updateDoc(userId, doc => {
      let changed = 0
      for (const nudge of doc.nudges) {
        if (nudge.read_at === null) { nudge.read_at = at; changed++ }
      }
      return changed
    })) ?? 0
  }

  enqueueDelivery (entry: OutboxEntry): Promise<void> { return this.outbox.put({ ...entry, id: entry.nudge_id }) }
  async claimDueDeliveries (nowMs: number, limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    return (await this.outbox.claimDue(nowMs, limit, leaseMs)).map(({ id: _id, ...entry }) => entry)
  }
  removeDelivery (nudgeId: string): Promise<void> { return this.outbox.remove(nudgeId) }
  async nextDeliveryDue (): Promise<number | null> { return this.outbox.nextDue() }

  async listInterventions (userId: string): Promise<readonly StoredIntervention[]> {
    return (await this.pool.read(userId))?.interventions ?? []
  }

  async addIntervention (userId: string, intervention: StoredIntervention): Promise<boolean> {
    return (await this.updateDoc(userId, doc => {
      doc.interventions.push(intervention)
      if (doc.interventions.length > INTERVENTIONS_KEPT) doc.interventions.splice(0, doc.interventions.length - INTERVENTIONS_KEPT)
      return true
    })) ?? false
  }

  async updateIntervention (userId: string, interventionId: string, change: (intervention: StoredIntervention) => void): Promise<StoredIntervention | null> {
    const stored = (await this.pool.read(userId))?.interventions.find(i => i.intervention_id === interventionId)
    if (!stored) return null
    // A change that refuses throws here, before anything is queued.
    change(structuredClone(stored))
    return this.updateDoc(userId, doc => {
      const index = doc.interventions.findIndex(i => i.intervention_id === interventionId)
      if (index < 0) return null
      const intervention = structuredClone(doc.interventions[index])
      change(intervention)
      doc.interventions[index] = intervention
      return intervention
    })
  }

  async listCommitments (userId: string): Promise<readonly CommitmentRecord[]> {
    return (await this.pool.read(userId))?.commitments ?? []
  }

  async listCommitmentAudit (userId: string, commitmentId: string): Promise<readonly AuditEntry[] | null> {
    const doc = await this.pool.read(userId)
    if (!doc?.commitments.some(c => c.commitment_id === commitmentId)) return null
    return doc.commitment_audit[commitmentId] ?? []
  }

  async addCommitment (userId: string, step: CommitmentStep, conflict: (existing: readonly CommitmentRecord[]) => CommitmentRecord | undefined) {
    return this.updateDoc(userId, (doc): { added: true } | { conflict: CommitmentRecord } => {
      const clash = conflict(doc.commitments)
      if (clash) return { conflict: clash }
      doc.commitments.push(structuredClone(step.commitment))
      doc.commitment_audit[step.commitment.commitment_id] = structuredClone(step.audit)
      return { added: true }
    })
  }

  async updateCommitment (userId: string, commitmentId: string, change: (current: CommitmentRecord) => CommitmentStep | null): Promise<CommitmentRecord | null> {
    const stored = (await this.pool.read(userId))?.commitments.find(c => c.commitment_id === commitmentId)
    if (!stored) return null
    // A change that refuses throws here, before anything is queued; no change, no write.
    if (change(structuredClone(stored)) === null) return stored
    return this.updateDoc(userId, doc => {
      const index = doc.commitments.findIndex(c => c.commitment_id === commitmentId)
      if (index < 0) return null
      const step = change(structuredClone(doc.commitments[index]))
      if (step === null) return doc.commitments[index]
      doc.commitments[index] = structuredClone(step.commitment)
      ;(doc.commitment_audit[commitmentId] ??= []).push(...structuredClone(step.audit))
      return doc.commitments[index]
    })
  }

  async scheduleCommitmentCheck (userId: string, dueMs: number | null): Promise<void> {
    if (dueMs === null) await this.commitmentChecks.remove(userId)
    else await this.commitmentChecks.put({ id: userId, due_at: new Date(dueMs).toISOString() })
  }

  async claimDueCommitmentChecks (nowMs: number, limit: number, leaseMs: number): Promise<CommitmentCheck[]> {
    return (await this.commitmentChecks.claimDue(nowMs, limit, leaseMs)).map(e => ({ user_id: e.id, due_at: e.due_at }))
  }

  async getAutopilotSettings (userId: string): Promise<AutopilotSettings | null> {
    return (await this.pool.read(userId))?.autopilot ?? null
  }

  async updateAutopilotSettings (userId: string, change: (current: AutopilotSettings) => AutopilotSettings): Promise<AutopilotSettings | null> {
    const current = await this.pool.read(userId)
    if (current === null) return null
    change(structuredClone(current.autopilot ?? DEFAULT_AUTOPILOT))
    return this.updateDoc(userId, doc => {
      doc.autopilot = change(structuredClone(doc.autopilot ?? DEFAULT_AUTOPILOT))
      return doc.autopilot
    })
  }

  async listAutopilotRuns (userId: string): Promise<readonly AutopilotRun[]> {
    return (await this.pool.read(userId))?.autopilot_runs ?? []
  }

  async addAutopilotRun (userId: string, run: AutopilotRun): Promise<boolean> {
    return (await this.updateDoc(userId, doc => {
      doc.autopilot_runs.push(structuredClone(run))
      if (doc.autopilot_runs.length > AUTOPILOT_RUNS_KEPT) doc.autopilot_runs.splice(0, doc.autopilot_runs.length - AUTOPILOT_RUNS_KEPT)
      return true
    })) ?? false
  }

  async getQueuedCheckpoint (userId: string): Promise<QueuedCheckpoint | null> {
    return (await this.checkpoints.get(userId))?.checkpoint ?? null
  }

  async scheduleCheckpoint (userId: string, checkpoint: QueuedCheckpoint | null): Promise<void> {
    if (checkpoint === null) await this.checkpoints.remove(userId)
    else await this.checkpoints.put({ id: userId, due_at: checkpoint.due_at, checkpoint })
  }

  async claimDueCheckpoints (nowMs: number, limit: number, leaseMs: number): Promise<DueCheckpoint[]> {
    return (await this.checkpoints.claimDue(nowMs, limit, leaseMs)).map(e => ({ user_id: e.id, checkpoint: e.checkpoint }))
  }

  status (): StoreStatus {
    const pool = this.pool.status()
    // /health is public: no file-system paths here.
    return { kind: 'lowdb', writable: pool.last_error === null, ...pool, temp_files_removed_at_start: this.tempFilesRemoved }
  }

  async close (): Promise<void> {
    await this.outbox.close()
    await this.commitmentChecks.close()
    await this.checkpoints.close()
    await this.calendars.close()
    await this.pool.close()
    await this.lock.release()
  }

  /** Runs `fn` on the user's document and waits until the change is durable; null if no such user. */
  private async updateDoc<R> (userId: string, fn: (doc: UserDoc) => R): Promise<R | null> {
    try {
      return await this.pool.update(userId, fn)
    } catch (err) {
      if (err instanceof DocNotFoundError) return null
      throw err
    }
  }
}

function pruneRequestKeys (doc: UserDoc, now: number): void {
  for (const [id, entry] of Object.entries(doc.request_keys)) {
    if (now - Date.parse(entry.created_at) > REQUEST_KEY_TTL_MS) delete doc.request_keys[id]
  }
}
