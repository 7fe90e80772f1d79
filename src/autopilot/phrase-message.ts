// With a language model configured, the autopilot may have it re-phrase a message it has already
// written from the drift engine's facts — warmer words, the same facts. The model sees only this
// person's facts and the written message, has a small token budget and the provider's deadline,
// is offered no tools, and what it returns is only ever text for the message: the decision (act
// or not, which intervention, which channels) was made before and cannot change. Any failure,
// an empty or overlong answer, or tool calls → the written message.
import type { ChatModel } from '../agent/models/chat-model.js'

export type PhraseMessage = (input: { kind: string, written: string, facts: Record<string, unknown> }) => Promise<string>

const MAX_LENGTH = 500

const SYSTEM = 'You rewrite one short reminder for a person keeping a workout resolution. Keep every fact, time, date, ' +
  'number and amount exactly as given; add nothing that is not in the facts; no new promises or actions; at most 2 sentences ' +
  `and ${MAX_LENGTH} characters; warm and direct, no emoji. Answer with the message only.`

export function modelPhraser (model: ChatModel, timeoutMs: number): PhraseMessage {
  return async ({ kind, written, facts }) => {
    try {
      const reply = await model.complete({
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `Checkpoint: ${kind}\nFacts: ${JSON.stringify(facts)}\nMessage to rewrite: ${written}` }
        ],
        tools: [],
        signal: AbortSignal.timeout(timeoutMs)
      })
      const text = reply.content?.trim() ?? ''
      if (reply.toolCalls.length > 0 || text.length === 0 || text.length > MAX_LENGTH) return written
      return text
    } catch {
      return written
    }
  }
}
