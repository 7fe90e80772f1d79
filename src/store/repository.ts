// What the rest of the service may ask of storage. Routes, tools and domain functions depend on
// this interface only; the LowDB implementation (lowdb-repository.ts) is today's, a PostgreSQL one
// can satisfy the same contract (each method is one transaction; the callbacks are pure and
// synchronous, so they run inside it).
import type { Account, AgentTrace, AgentUsage, ConversationMessage, RequestKey, UserDoc, WorkoutRecord } from './lowdb/user-doc.js'

export type InsertWorkoutResult<R> =
  | { replayed: false, response: R }
  | { replayed: true, sameRequest: boolean, response: unknown }

export interface IdempotencyKey {
  request_id: string
  /** digest of the request body: the same id with another body is a conflict */
  fingerprint: string
}

export interface AgentRunRecord {
  /** the conversation after this run, already trimmed; absent when the run changed nothing in it */
  conversation?: readonly ConversationMessage[]
  trace: AgentTrace
  /** keep at most this many traces (oldest dropped) */
  tracesKept: number
}

export interface StoreStatus {
  kind: string
  writable: boolean
  [detail: string]: unknown
}

export interface Repository {
  /** false when the username is taken */
  createAccount (account: Account): Promise<boolean>
  getAccount (userId: string): Promise<Account | null>
  findAccountByUsername (username: string): Promise<Account | null>
  /** applies `change` atomically and durably; null when the account does not exist */
  updateAccount (userId: string, change: (account: Account) => void): Promise<Account | null>
  /** removes every record of the user; false when there was none */
  deleteAccount (userId: string): Promise<boolean>
  /** everything held about the user, as stored (the caller removes secrets) */
  exportUser (userId: string): Promise<UserDoc | null>

  /** all the user's workouts, deleted ones included (they carry `deleted_at`) */
  listWorkouts (userId: string): Promise<readonly WorkoutRecord[]>
  /**
   * Stores `workout` unless `key` was seen before, in which case nothing is stored and the first
   * response is returned. `respond` builds the response from the user's workouts after the insert
   * (inside the same transaction, so it is exactly what the first caller saw).
   */
  insertWorkout<R> (userId: string, workout: WorkoutRecord, key: IdempotencyKey | undefined,
    respond: (workouts: readonly WorkoutRecord[], inserted: WorkoutRecord) => R): Promise<InsertWorkoutResult<R>>
  /** applies `change` to a live (not deleted) workout; null when there is none with that id */
  updateWorkout (userId: string, workoutId: string, change: (workout: WorkoutRecord) => void): Promise<WorkoutRecord | null>

  getConversation (userId: string): Promise<readonly ConversationMessage[]>
  /**
   * Counts a coach run against the user's daily budget (reset when `day`, their local date,
   * changes); refused when `dailyLimit` runs were made today. null when no such user.
   */
  startAgentRun (userId: string, day: string, dailyLimit: number): Promise<{ allowed: boolean, runsToday: number } | null>
  /** stores the run's trace, its token usage and the new conversation in one write */
  finishAgentRun (userId: string, run: AgentRunRecord): Promise<void>
  clearConversation (userId: string): Promise<void>
  /** oldest first */
  listTraces (userId: string): Promise<readonly AgentTrace[]>

  status (): StoreStatus
  close (): Promise<void>
}

export type { Account, AgentTrace, AgentUsage, ConversationMessage, RequestKey, UserDoc, WorkoutRecord }
