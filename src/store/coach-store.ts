// The store part for the coach: conversation memory, the daily run budget, traces and usage.
import type { AgentTrace } from '../agent/agent-schemas.js'
import type { ConversationMessage } from '../agent/models/chat-model.js'

export interface AgentRunRecord {
  /** the conversation after this run, already trimmed; absent when the run changed nothing in it */
  conversation?: readonly ConversationMessage[]
  trace: AgentTrace
  /** keep at most this many traces (oldest dropped) */
  tracesKept: number
}

export interface CoachStore {
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
}
