// Conversation memory stays bounded: the newest whole turns that fit in `maxMessages` and roughly
// `maxTokens`. A turn starts at a user message and is kept or dropped whole, so a tool result is
// never separated from the assistant message that asked for it (providers reject that).
import type { ChatMessage } from './models/chat-model.js'

/** ~4 characters per token for English text: close enough for a budget, no tokenizer needed. */
export function approximateTokens (message: ChatMessage): number {
  const text = (message.content ?? '') + ('tool_calls' in message && message.tool_calls ? JSON.stringify(message.tool_calls) : '')
  return Math.ceil(text.length / 4) + 4
}

export function trimConversation (messages: readonly ChatMessage[], maxMessages: number, maxTokens: number): ChatMessage[] {
  const turns: ChatMessage[][] = []
  for (const message of messages) {
    if (message.role === 'user' || turns.length === 0) turns.push([])
    turns[turns.length - 1].push(message)
  }
  const kept: ChatMessage[][] = []
  let count = 0
  let tokens = 0
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i]
    const turnTokens = turn.reduce((sum, m) => sum + approximateTokens(m), 0)
    if (count + turn.length > maxMessages || tokens + turnTokens > maxTokens) break
    kept.unshift(turn)
    count += turn.length
    tokens += turnTokens
  }
  // A history must not open with orphaned tool traffic.
  while (kept.length > 0 && kept[0][0].role !== 'user') kept.shift()
  return kept.flat()
}
