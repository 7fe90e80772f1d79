// A Repository that tells listeners, before the write's caller continues, that a user's account
// or workouts changed — the one place those writes pass, whichever front door (REST route or
// coach tool) made them. The response cache uses it to drop that user's cached entries at once.
// (A write that may have changed nothing, e.g. a replayed request, still notifies: dropping a
// cache entry too often is cheap, serving a stale one is a bug.)
import type { Account } from '../accounts/account-schemas.js'
import type { Pause, Plan, Preferences } from '../plans/plan-schemas.js'
import type { WorkoutRecord } from '../workouts/workout-schemas.js'
import type { AgentRunRecord } from './coach-store.js'
import type { Repository, StoreStatus } from './repository.js'
import type { UserData } from './user-data.js'
import type { StoredCalendar } from './calendar-store.js'
import type { IdempotencyKey, InsertWorkoutResult } from './workout-store.js'
import type { StoredBuddy, StoredChannels } from '../nudges/channel-schemas.js'
import type { Nudge, OutboxEntry } from '../nudges/nudge-schemas.js'
import type { StoredIntervention } from '../interventions/intervention-schemas.js'
import type { NudgeAdmission } from './nudge-store.js'
import type { CommitmentRecord } from '../commitments/commitment-state.js'
import type { CommitmentStep } from './commitment-store.js'
import type { AutopilotRun, AutopilotSettings, QueuedCheckpoint } from '../autopilot/autopilot-schemas.js'

export type UserChangeListener = (userId: string) => Promise<void> | void

export class ObservedRepository implements Repository {
  private readonly listeners: UserChangeListener[] = []

  constructor (private readonly inner: Repository) {}

  onUserChanged (listener: UserChangeListener): void {
    this.listeners.push(listener)
  }

  private async changed (userId: string): Promise<void> {
    for (const listener of this.listeners) await listener(userId)
  }

  /**
   * Runs a write and tells the listeners afterwards — also when it failed: a failed flush may
   * have been visible in memory for a moment (and cached from there), so that is dropped too.
   */
  private async writing<T> (userId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write()
    } finally {
      await this.changed(userId)
    }
  }

  createAccount (account: Account) {
    return this.writing(account.id, () => this.inner.createAccount(account))
  }

  getAccount (userId: string) { return this.inner.getAccount(userId) }
  findAccountByUsername (username: string) { return this.inner.findAccountByUsername(username) }

  updateAccount (userId: string, change: (account: Account) => void) {
    return this.writing(userId, () => this.inner.updateAccount(userId, change))
  }

  deleteAccount (userId: string) {
    return this.writing(userId, () => this.inner.deleteAccount(userId))
  }

  exportUser (userId: string): Promise<UserData | null> { return this.inner.exportUser(userId) }
  listWorkouts (userId: string): Promise<readonly WorkoutRecord[]> { return this.inner.listWorkouts(userId) }

  insertWorkout<R> (userId: string, workout: WorkoutRecord, key: IdempotencyKey | undefined,
    respond: (workouts: readonly WorkoutRecord[], inserted: WorkoutRecord) => R): Promise<InsertWorkoutResult<R>> {
    return this.writing(userId, () => this.inner.insertWorkout(userId, workout, key, respond))
  }

  updateWorkout (userId: string, workoutId: string, change: (workout: WorkoutRecord) => void) {
    return this.writing(userId, () => this.inner.updateWorkout(userId, workoutId, change))
  }

  // Plans, pauses and preferences decide how workouts are judged (history stats, patterns).
  listPlans (userId: string) { return this.inner.listPlans(userId) }
  addPlan (userId: string, plan: Plan) { return this.writing(userId, () => this.inner.addPlan(userId, plan)) }
  listPauses (userId: string) { return this.inner.listPauses(userId) }
  addPause (userId: string, pause: Pause, conflict: (existing: readonly Pause[]) => Pause | undefined) {
    return this.writing(userId, () => this.inner.addPause(userId, pause, conflict))
  }

  deletePause (userId: string, pauseId: string) { return this.writing(userId, () => this.inner.deletePause(userId, pauseId)) }
  getPreferences (userId: string) { return this.inner.getPreferences(userId) }
  updatePreferences (userId: string, change: (current: Preferences) => Preferences) {
    return this.writing(userId, () => this.inner.updatePreferences(userId, change))
  }

  // An imported calendar is part of no cached response (the analysis is computed each time).
  getCalendar (userId: string) { return this.inner.getCalendar(userId) }
  setCalendar (userId: string, calendar: StoredCalendar) { return this.inner.setCalendar(userId, calendar) }
  deleteCalendar (userId: string) { return this.inner.deleteCalendar(userId) }
  setCalendarToken (userId: string, digest: string) { return this.inner.setCalendarToken(userId, digest) }
  findUserByCalendarToken (digest: string) { return this.inner.findUserByCalendarToken(digest) }
  listCalendarSubscriptions () { return this.inner.listCalendarSubscriptions() }

  // Coach memory and traces are not part of any cached response: no invalidation needed.
  getConversation (userId: string) { return this.inner.getConversation(userId) }
  startAgentRun (userId: string, day: string, dailyLimit: number) { return this.inner.startAgentRun(userId, day, dailyLimit) }
  finishAgentRun (userId: string, run: AgentRunRecord) { return this.inner.finishAgentRun(userId, run) }
  clearConversation (userId: string) { return this.inner.clearConversation(userId) }
  listTraces (userId: string) { return this.inner.listTraces(userId) }

  // Channels, nudges and the outbox are part of no cached response.
  getChannels (userId: string) { return this.inner.getChannels(userId) }
  updateChannels<R> (userId: string, change: (channels: StoredChannels) => R) { return this.inner.updateChannels(userId, change) }
  getBuddy (userId: string) { return this.inner.getBuddy(userId) }
  updateBuddy<R> (userId: string, change: (buddy: StoredBuddy | null) => { buddy: StoredBuddy | null, result: R }) { return this.inner.updateBuddy(userId, change) }
  listNudges (userId: string) { return this.inner.listNudges(userId) }
  addNudge (userId: string, nudge: Nudge, admit: (existing: readonly Nudge[]) => NudgeAdmission) { return this.inner.addNudge(userId, nudge, admit) }
  updateNudge (userId: string, nudgeId: string, change: (nudge: Nudge) => void) { return this.inner.updateNudge(userId, nudgeId, change) }
  markAllNudgesRead (userId: string, at: string) { return this.inner.markAllNudgesRead(userId, at) }
  enqueueDelivery (entry: OutboxEntry) { return this.inner.enqueueDelivery(entry) }
  claimDueDeliveries (nowMs: number, limit: number, leaseMs: number) { return this.inner.claimDueDeliveries(nowMs, limit, leaseMs) }
  removeDelivery (nudgeId: string) { return this.inner.removeDelivery(nudgeId) }
  nextDeliveryDue () { return this.inner.nextDeliveryDue() }

  // Intervention outcomes feed the drift engine's recommendation (cached patterns).
  listInterventions (userId: string) { return this.inner.listInterventions(userId) }
  addIntervention (userId: string, intervention: StoredIntervention) { return this.writing(userId, () => this.inner.addIntervention(userId, intervention)) }
  updateIntervention (userId: string, interventionId: string, change: (intervention: StoredIntervention) => void) {
    return this.writing(userId, () => this.inner.updateIntervention(userId, interventionId, change))
  }

  // Commitments are part of no cached response; settling them (on every read) notifies no one.
  listCommitments (userId: string) { return this.inner.listCommitments(userId) }
  listCommitmentAudit (userId: string, commitmentId: string) { return this.inner.listCommitmentAudit(userId, commitmentId) }
  // A new commitment brings deadline checkpoints for the autopilot.
  addCommitment (userId: string, step: CommitmentStep, conflict: (existing: readonly CommitmentRecord[]) => CommitmentRecord | undefined) { return this.writing(userId, () => this.inner.addCommitment(userId, step, conflict)) }
  updateCommitment (userId: string, commitmentId: string, change: (current: CommitmentRecord) => CommitmentStep | null) { return this.inner.updateCommitment(userId, commitmentId, change) }
  scheduleCommitmentCheck (userId: string, dueMs: number | null) { return this.inner.scheduleCommitmentCheck(userId, dueMs) }
  claimDueCommitmentChecks (nowMs: number, limit: number, leaseMs: number) { return this.inner.claimDueCommitmentChecks(nowMs, limit, leaseMs) }

  // Autopilot settings decide when its checkpoints fall: listeners reschedule them.
  getAutopilotSettings (userId: string) { return this.inner.getAutopilotSettings(userId) }
  updateAutopilotSettings (userId: string, change: (current: AutopilotSettings) => AutopilotSettings) { return this.writing(userId, () => this.inner.updateAutopilotSettings(userId, change)) }
  listAutopilotRuns (userId: string) { return this.inner.listAutopilotRuns(userId) }
  addAutopilotRun (userId: string, run: AutopilotRun) { return this.inner.addAutopilotRun(userId, run) }
  getQueuedCheckpoint (userId: string) { return this.inner.getQueuedCheckpoint(userId) }
  scheduleCheckpoint (userId: string, checkpoint: QueuedCheckpoint | null) { return this.inner.scheduleCheckpoint(userId, checkpoint) }
  claimDueCheckpoints (nowMs: number, limit: number, leaseMs: number) { return this.inner.claimDueCheckpoints(nowMs, limit, leaseMs) }

  status (): StoreStatus { return this.inner.status() }
  close (): Promise<void> { return this.inner.close() }
}
