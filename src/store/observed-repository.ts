// A Repository that tells listeners, before the write's caller continues, that a user's data
// changed — the one place every write passes, whichever front door (REST route or coach tool)
// made it. The response cache uses it to drop that user's cached entries at once.
import type { AgentRunRecord, IdempotencyKey, InsertWorkoutResult, Repository, StoreStatus } from './repository.js'
import type { Account, UserDoc, WorkoutRecord } from './user-doc.js'

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

  async createAccount (account: Account) {
    const created = await this.inner.createAccount(account)
    if (created) await this.changed(account.id)
    return created
  }

  getAccount (userId: string) { return this.inner.getAccount(userId) }
  findAccountByUsername (username: string) { return this.inner.findAccountByUsername(username) }

  async updateAccount (userId: string, change: (account: Account) => void) {
    const account = await this.inner.updateAccount(userId, change)
    if (account) await this.changed(userId)
    return account
  }

  async deleteAccount (userId: string) {
    const deleted = await this.inner.deleteAccount(userId)
    if (deleted) await this.changed(userId)
    return deleted
  }

  exportUser (userId: string): Promise<UserDoc | null> { return this.inner.exportUser(userId) }
  listWorkouts (userId: string): Promise<readonly WorkoutRecord[]> { return this.inner.listWorkouts(userId) }

  async insertWorkout<R> (userId: string, workout: WorkoutRecord, key: IdempotencyKey | undefined,
    respond: (workouts: readonly WorkoutRecord[], inserted: WorkoutRecord) => R): Promise<InsertWorkoutResult<R>> {
    const result = await this.inner.insertWorkout(userId, workout, key, respond)
    if (!result.replayed) await this.changed(userId)
    return result
  }

  async updateWorkout (userId: string, workoutId: string, change: (workout: WorkoutRecord) => void) {
    const workout = await this.inner.updateWorkout(userId, workoutId, change)
    if (workout) await this.changed(userId)
    return workout
  }

  // Coach memory and traces are not part of any cached response: no invalidation needed.
  getConversation (userId: string) { return this.inner.getConversation(userId) }
  startAgentRun (userId: string, day: string, dailyLimit: number) { return this.inner.startAgentRun(userId, day, dailyLimit) }
  finishAgentRun (userId: string, run: AgentRunRecord) { return this.inner.finishAgentRun(userId, run) }
  clearConversation (userId: string) { return this.inner.clearConversation(userId) }
  listTraces (userId: string) { return this.inner.listTraces(userId) }

  status (): StoreStatus { return this.inner.status() }
  close (): Promise<void> { return this.inner.close() }
}
