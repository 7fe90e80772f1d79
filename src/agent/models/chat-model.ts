// The one interface the agent loop talks to. Messages and tool definitions follow the OpenAI chat
// format (every provider here speaks it); a ChatModel is either a real LLM behind the `openai`
// SDK (openai-chat-model.ts) or the deterministic offline coach (offline/offline-coach.ts).
import type { TokenUsage } from '../agent-schemas.js'

export type { TokenUsage }

export interface ToolCall {
  id: string
  type: 'function'
  function: { name: string, arguments: string }
}

export type ChatMessage =
  | { role: 'system', content: string }
  | { role: 'user', content: string }
  | { role: 'assistant', content: string | null, tool_calls?: ToolCall[] }
  | { role: 'tool', tool_call_id: string, content: string }

export interface ToolDefinition {
  type: 'function'
  function: { name: string, description: string, parameters: Record<string, unknown> }
}

/** A message the coach remembers between runs: any but the system prompt (which is rebuilt each run). */
export type ConversationMessage = Exclude<ChatMessage, { role: 'system' }>

export interface ModelReply {
  content: string | null
  toolCalls: ToolCall[]
  usage?: TokenUsage
  /** the model that answered, as reported */
  model: string
}

export interface ModelRequest {
  messages: ChatMessage[]
  tools: ToolDefinition[]
  /**
   * The run's clock and the person's zone. An LLM reads the date from the system prompt; the
   * offline coach needs the instant itself to read "yesterday" or "tomorrow at 7".
   */
  now?: Date
  timeZone?: string
  signal: AbortSignal
  /** text chunks as they arrive, when the provider streams */
  onDelta?: (text: string) => void
}

export interface ChatModel {
  /** venice | gemini | openai | compatible | offline */
  readonly provider: string
  readonly model: string
  complete (request: ModelRequest): Promise<ModelReply>
}

/** A model call that failed in a way the caller must hear about. */
export class LlmError extends Error {
  override name = 'LlmError'
  constructor (readonly kind: 'timeout' | 'auth' | 'upstream', message: string) {
    super(message)
  }
}
