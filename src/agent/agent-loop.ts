// The agent loop, provider-agnostic: the model answers with text or tool calls; independent tool
// calls of one turn run concurrently; their results go back; at most `maxIterations` model calls;
// the reply is the FINAL assistant message of this run (never a stale earlier one).
import { parseJsonOrText } from '../shared/parse-json-or-text.js'
import { performance } from 'node:perf_hooks'
import type { Repository } from '../store/repository.js'
import type { ChatMessage, ChatModel, TokenUsage, ToolCall } from './models/chat-model.js'
import type { ReasoningEntry, ToolExecution, ToolRegistry } from './tools/tool-registry.js'
import type { Outreach } from '../nudges/outreach.js'
import type { Proposal } from './proposals/proposal.js'

export type AgentEvent =
  | { type: 'tool_call', id: string, name: string, arguments: unknown }
  | { type: 'tool_result', id: string, name: string, ok: boolean, summary: string, duration_ms: number }
  | { type: 'delta', text: string }

export interface AgentDeps {
  model: ChatModel
  tools: ToolRegistry
  repo: Repository
  maxIterations: number
  systemPrompt: string
  onEvent?: (event: AgentEvent) => void
  /** what the nudge and intervention tools act through */
  outreach?: Outreach
  /** timings for telemetry: every model call (failed ones too) as `llm_call`, tools as `tool:<name>` */
  observe?: (name: string, ms: number) => void
}

export interface AgentRunInput {
  /** from the session */
  userId: string
  message: string
  /** earlier turns of this user's conversation (no system message) */
  history: ChatMessage[]
  now?: Date
  signal?: AbortSignal
  /** this run's id (its trace id) */
  runId?: string
  /** the person's IANA zone (read from their account when absent) */
  timeZone?: string
}

export interface ModelCallRecord {
  latencyMs: number
  usage?: TokenUsage
  /** tool calls the model asked for in this call */
  toolCalls: number
}

export interface ToolCallRecord {
  id: string
  name: string
  arguments: unknown
  ok: boolean
  summary: string
  durationMs: number
}

export interface AgentRunResult {
  response: string
  toolCalls: ToolCallRecord[]
  iterations: number
  truncated: boolean
  /** this turn's messages, to append to the conversation: user, assistant/tool…, final assistant */
  messages: ChatMessage[]
  modelCalls: ModelCallRecord[]
  reasoning: ReasoningEntry[]
  /** the change this run proposed, waiting for the person's yes */
  proposal?: Proposal
}

export function truncationNotice (iterations: number): string {
  return `I stopped after ${iterations} steps without reaching a final answer, so this reply is incomplete. Ask again, more specifically, and I'll pick it up from here.`
}

export async function runAgent (deps: AgentDeps, input: AgentRunInput): Promise<AgentRunResult> {
  const signal = input.signal ?? new AbortController().signal
  const now = input.now ?? new Date()
  const turn: ChatMessage[] = [{ role: 'user', content: input.message }]
  const toolCalls: ToolCallRecord[] = []
  const modelCalls: ModelCallRecord[] = []
  const reasoning: ReasoningEntry[] = []
  let proposal: Proposal | undefined
  const timeZone = input.timeZone ?? (await deps.repo.getAccount(input.userId))?.timezone ?? 'UTC'
  const context = {
    userId: input.userId,
    repo: deps.repo,
    now,
    ...(deps.outreach ? { outreach: deps.outreach } : {}),
    ...(input.runId ? { runId: input.runId } : {}),
    recordReasoning: (entry: ReasoningEntry) => { reasoning.push(entry) },
    propose: (p: Proposal) => { proposal = p }
  }
  const definitions = deps.tools.definitions()

  for (let iteration = 1; iteration <= deps.maxIterations; iteration++) {
    signal.throwIfAborted()
    const started = performance.now()
    let reply
    try {
      reply = await deps.model.complete({
        messages: [{ role: 'system', content: deps.systemPrompt }, ...input.history, ...turn],
        tools: definitions,
        now,
        timeZone,
        signal,
        onDelta: deps.onEvent ? text => deps.onEvent!({ type: 'delta', text }) : undefined
      })
    } finally {
      deps.observe?.('llm_call', performance.now() - started)
    }
    modelCalls.push({ latencyMs: performance.now() - started, usage: reply.usage, toolCalls: reply.toolCalls.length })

    if (reply.toolCalls.length === 0) {
      const response = reply.content?.trim() || 'I have nothing to add to that.'
      turn.push({ role: 'assistant', content: response })
      return { response, toolCalls, iterations: iteration, truncated: false, messages: turn, modelCalls, reasoning, ...(proposal ? { proposal } : {}) }
    }

    turn.push({ role: 'assistant', content: reply.content, tool_calls: reply.toolCalls })
    // Independent calls of one turn run together; results go back in the order they were asked.
    const results = await Promise.all(reply.toolCalls.map(call => runTool(deps, call, context)))
    for (const [i, call] of reply.toolCalls.entries()) {
      const { execution, durationMs } = results[i]
      toolCalls.push({ id: call.id, name: execution.name, arguments: execution.arguments, ok: execution.ok, summary: execution.summary, durationMs })
      turn.push({ role: 'tool', tool_call_id: call.id, content: execution.content })
    }
  }

  const response = truncationNotice(deps.maxIterations)
  turn.push({ role: 'assistant', content: response })
  return { response, toolCalls, iterations: deps.maxIterations, truncated: true, messages: turn, modelCalls, reasoning, ...(proposal ? { proposal } : {}) }
}

async function runTool (deps: AgentDeps, call: ToolCall, context: Parameters<ToolRegistry['execute']>[1]):
Promise<{ execution: ToolExecution, durationMs: number }> {
  deps.onEvent?.({ type: 'tool_call', id: call.id, name: call.function.name, arguments: parseJsonOrText(call.function.arguments) })
  const started = performance.now()
  const execution = await deps.tools.execute(call, context)
  const durationMs = performance.now() - started
  // Names the model made up share one series: they must not grow the monitor's name table.
  deps.observe?.(`tool:${deps.tools.has(call.function.name) ? call.function.name : 'unknown'}`, durationMs)
  deps.onEvent?.({ type: 'tool_result', id: call.id, name: execution.name, ok: execution.ok, summary: execution.summary, duration_ms: Math.round(durationMs * 10) / 10 })
  return { execution, durationMs }
}

