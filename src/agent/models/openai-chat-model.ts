// Any OpenAI-compatible chat API (Venice, Gemini's compatibility endpoint, OpenAI, Ollama, vLLM…)
// through the official `openai` SDK. The SDK's own habits are overridden on purpose: no retries
// and no 10-minute timeout — each call has one deadline (LLM_TIMEOUT_MS), every call sets
// max_tokens, and failures become LlmError kinds the API maps to 504/502. Upstream error text is
// never passed on: it can echo part of the API key.
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError, AuthenticationError, PermissionDeniedError } from 'openai'
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions'
import { LlmError, type ChatModel, type ModelReply, type ModelRequest, type ToolCall } from './chat-model.js'

export interface OpenAIChatModelOptions {
  provider: string
  baseURL?: string
  apiKey?: string
  model: string
  temperature: number
  maxTokens: number
  timeoutMs: number
}

export class OpenAIChatModel implements ChatModel {
  readonly provider: string
  readonly model: string
  private readonly client: OpenAI

  constructor (private readonly options: OpenAIChatModelOptions) {
    this.provider = options.provider
    this.model = options.model
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed', // local servers (Ollama, vLLM) accept any key
      baseURL: options.baseURL,
      maxRetries: 0,
      timeout: options.timeoutMs
    })
  }

  async complete (request: ModelRequest): Promise<ModelReply> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs)
    const signal = AbortSignal.any([request.signal, deadline])
    const body = {
      model: this.model,
      messages: request.messages as ChatCompletionMessageParam[],
      tools: request.tools.length > 0 ? request.tools as ChatCompletionTool[] : undefined,
      temperature: this.options.temperature,
      max_tokens: this.options.maxTokens
    }
    try {
      if (!request.onDelta) {
        const completion = await this.client.chat.completions.create(body, { signal, timeout: this.options.timeoutMs, maxRetries: 0 })
        const message = completion.choices[0]?.message
        return {
          content: message?.content ?? null,
          toolCalls: (message?.tool_calls ?? []).filter(c => c.type === 'function').map(c => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } })),
          usage: completion.usage ? { prompt_tokens: completion.usage.prompt_tokens, completion_tokens: completion.usage.completion_tokens, total_tokens: completion.usage.total_tokens } : undefined,
          model: completion.model ?? this.model
        }
      }
      const stream = await this.client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } },
        { signal, timeout: this.options.timeoutMs, maxRetries: 0 })
      return await collect(stream, this.model, request.onDelta)
    } catch (err) {
      throw this.translate(err, request.signal, deadline)
    }
  }

  private translate (err: unknown, callerSignal: AbortSignal, deadline: AbortSignal): unknown {
    if (callerSignal.aborted) return callerSignal.reason ?? err // the client went away: not an upstream failure
    const who = `the ${this.provider} model`
    if (deadline.aborted || err instanceof APIConnectionTimeoutError) {
      return new LlmError('timeout', `${cap(who)} did not answer within ${this.options.timeoutMs} ms.`)
    }
    if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
      return new LlmError('auth', `${cap(who)} rejected the API key; check the key configured for ${this.provider}.`)
    }
    if (err instanceof APIUserAbortError) return new LlmError('timeout', `${cap(who)} call was cut off.`)
    if (err instanceof APIError) {
      return new LlmError('upstream', err.status ? `${cap(who)} failed (HTTP ${err.status}).` : `Could not reach ${who}.`)
    }
    return new LlmError('upstream', `${cap(who)} returned something unusable.`)
  }
}

/** Assembles a streamed reply: text chunks go to onDelta as they come; tool calls arrive in pieces. */
async function collect (stream: AsyncIterable<ChatCompletionChunk>, model: string, onDelta: (text: string) => void): Promise<ModelReply> {
  let content = ''
  let reported = model
  let usage: ModelReply['usage']
  const calls: Array<{ id: string, name: string, arguments: string }> = []
  for await (const chunk of stream) {
    reported = chunk.model ?? reported
    if (chunk.usage) usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens }
    const delta = chunk.choices[0]?.delta
    if (!delta) continue
    if (delta.content) {
      content += delta.content
      onDelta(delta.content)
    }
    for (const part of delta.tool_calls ?? []) {
      const call = calls[part.index] ??= { id: '', name: '', arguments: '' }
      if (part.id) call.id = part.id
      if (part.function?.name) call.name += part.function.name
      if (part.function?.arguments) call.arguments += part.function.arguments
    }
  }
  const toolCalls: ToolCall[] = calls.filter(Boolean).map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }))
  return { content: content || null, toolCalls, usage, model: reported }
}

function cap (text: string): string {
  return text[0].toUpperCase() + text.slice(1)
}
