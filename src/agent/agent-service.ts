// One coach run for one user, end to end: the daily budget, the user's memory, the loop, then the
// trace, token usage and trimmed memory stored in one write. Both front doors use it: the HTTP
// route (JSON or SSE) and the CLI.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { getAccount, publicUser } from '../accounts/accounts.js'
import { DomainError, notFound } from '../shared/domain-errors.js'
import { addDays, localDate } from '../shared/local-time.js'
import type { Account } from '../accounts/account-schemas.js'
import type { AgentReply, AgentTrace } from './agent-schemas.js'
import type { ConversationMessage } from './models/chat-model.js'
import type { Repository } from '../store/repository.js'
import { runAgent, type AgentEvent, type AgentRunResult } from './agent-loop.js'
import { LlmError, type ChatMessage, type ChatModel } from './models/chat-model.js'
import { trimConversation } from './conversation-window.js'
import { SYSTEM_PROMPT_VERSION, systemPrompt } from './system-prompt.js'
import type { ToolRegistry } from './tools/tool-registry.js'
import type { Outreach } from '../nudges/outreach.js'
import { confirmIntervention, latestProposal } from '../interventions/interventions.js'
import { isConsent, isDecline } from './offline/understand/consent.js'
import { carryOutProposal } from './proposals/carry-out.js'

export interface AgentSettings {
  maxIterations: number
  dailyRuns: number
  memoryMessages: number
  memoryTokens: number
  tracesKept: number
  /** agent response p95 target, ms (reported per reply) */
  targetMs: number
}

export type { AgentReply }

export interface RunOptions {
  signal?: AbortSignal
  onEvent?: (event: AgentEvent) => void
  now?: Date
}

/** A run that passed its checks and was counted against the daily budget. */
export interface PreparedRun {
  userId: string
  message: string
  account: Account
  /** the user's local date */
  today: string
  now: Date
  /** performance.now() when the request began */
  started: number
}

/** Timings reported to telemetry: `agent_response`, `llm_call`, `tool:<name>`. */
export type Observe = (name: string, ms: number) => void

const round = (ms: number) => Math.round(ms)

export class AgentService {
  constructor (
    private readonly repo: Repository,
    private readonly model: ChatModel,
    private readonly tools: ToolRegistry,
    private readonly settings: AgentSettings,
    private readonly observe: Observe = () => {},
    private readonly outreach?: Outreach
  ) {}

  get provider (): string { return this.model.provider }

  /** Checks and runs: the JSON route and the CLI. */
  async run (userId: string, message: string, options: RunOptions = {}): Promise<AgentReply> {
    return this.execute(await this.prepare(userId, message, options.now), options)
  }

  /**
   * Everything that can refuse a run before it starts (no account, daily budget spent), and the
   * count against the budget. The streaming route calls it before it commits to a 200 stream, so
   * a refusal is a real 4xx, not an `error` event.
   */
  async prepare (userId: string, message: string, now = new Date()): Promise<PreparedRun> {
    const started = performance.now()
    const account = await getAccount(this.repo, userId)
    const today = localDate(now, account.timezone)
    const budget = await this.repo.startAgentRun(userId, today, this.settings.dailyRuns)
    if (!budget) throw notFound('Your account no longer exists.')
    if (!budget.allowed) {
      const retryAfter = secondsUntilLocalMidnight(now, today, account.timezone)
      throw new DomainError('too_many', `You have used all ${this.settings.dailyRuns} coach conversations for today; they reset at midnight (${account.timezone}).`,
        retryAfter, { limit: 'agent_daily', retry_after: retryAfter })
    }
    return { userId, message, account, today, now, started }
  }

  async execute (prepared: PreparedRun, options: RunOptions = {}): Promise<AgentReply> {
    const { userId, message, account, today, now, started } = prepared
    const history = await this.repo.getConversation(userId) as ChatMessage[]
    const traceId = `t_${randomBytes(10).toString('hex')}`
    const trace: AgentTrace = {
      trace_id: traceId,
      created_at: now.toISOString(),
      provider: this.model.provider,
      model: this.model.model,
      message,
      response: null,
      iterations: 0,
      truncated: false,
      duration_ms: 0,
      llm_duration_ms: 0,
      model_calls: [],
      tool_calls: [],
      reasoning: []
    }
    let result: AgentRunResult
    try {
      result = await this.answerProposal(prepared, traceId, options) ?? await runAgent({
        model: this.model,
        tools: this.tools,
        repo: this.repo,
        maxIterations: this.settings.maxIterations,
        systemPrompt: systemPrompt({ today, timezone: account.timezone, resolution: publicUser(account).resolution, tools: this.tools.names() }),
        onEvent: options.onEvent,
        observe: this.observe,
        ...(this.outreach ? { outreach: this.outreach } : {})
      }, { userId, message, history, now, signal: options.signal, runId: traceId, timeZone: account.timezone })
    } catch (err) {
      const failure = toDomainError(err)
      trace.duration_ms = round(performance.now() - started)
      trace.error = { kind: failure instanceof DomainError ? failure.kind : 'internal', message: failure instanceof DomainError ? failure.message : 'internal error' }
      await this.repo.finishAgentRun(userId, { trace, tracesKept: this.settings.tracesKept })
      throw failure
    }

    const duration = performance.now() - started
    const llmDuration = result.modelCalls.reduce((sum, call) => sum + call.latencyMs, 0)
    Object.assign(trace, {
      response: result.response,
      iterations: result.iterations,
      truncated: result.truncated,
      duration_ms: round(duration),
      llm_duration_ms: round(llmDuration),
      model_calls: result.modelCalls.map(c => ({ latency_ms: round(c.latencyMs), tool_calls: c.toolCalls, ...(c.usage ? { usage: c.usage } : {}) })),
      tool_calls: result.toolCalls.map(c => ({ name: c.name, arguments: c.arguments, ok: c.ok, summary: c.summary, duration_ms: round(c.durationMs) })),
      reasoning: result.reasoning,
      prompt_version: SYSTEM_PROMPT_VERSION,
      ...(result.proposal ? { proposal: result.proposal } : {})
    })
    await this.repo.finishAgentRun(userId, {
      // The loop never puts the system prompt in `messages`: what is stored is the dialogue only.
      conversation: trimConversation([...history, ...result.messages], this.settings.memoryMessages, this.settings.memoryTokens) as ConversationMessage[],
      trace,
      tracesKept: this.settings.tracesKept
    })

    this.observe('agent_response', duration)

    return {
      success: true,
      response: result.response,
      toolCalls: result.toolCalls.map(({ name, arguments: args, ok, summary }) => ({ name, arguments: args, ok, summary })),
      iterations: result.iterations,
      trace_id: traceId,
      ...(result.truncated ? { truncated: true as const } : {}),
      performance: { duration: round(duration), llmDuration: round(llmDuration), target: this.settings.targetMs, passing: duration < this.settings.targetMs }
    }
  }

  /**
   * The person's answer to what the coach proposed in its previous answer, handled by the SERVICE
   * (the model cannot consent for them): a plain yes carries the change out, a no drops it. Only
   * the previous run's proposal counts — after any other message it is gone for good. Null when
   * the message is not such an answer: the model answers as usual.
   */
  private async answerProposal (prepared: PreparedRun, traceId: string, options: RunOptions): Promise<AgentRunResult | null> {
    const consent = isConsent(prepared.message)
    if (!consent && !isDecline(prepared.message)) return null
    const lastRun = (await this.repo.listTraces(prepared.userId)).at(-1)
    if (lastRun?.proposal) {
      const proposal = lastRun.proposal
      if (!consent) return this.answered(prepared, `OK, I've dropped it — nothing changed (${lowerFirst(proposal.description)}).`, null, options)
      return this.act(prepared, traceId, options, 'confirmProposal', { kind: proposal.kind, ...proposal.arguments },
        () => carryOutProposal(this.repo, prepared.userId, proposal, prepared.now))
    }
    if (!consent || !this.outreach) return null
    const intervention = await latestProposal(this.outreach, prepared.userId)
    // Only the proposal of the coach's previous answer: a "yes" to something else is not consent to it.
    if (!intervention || intervention.trigger.source !== 'coach' || !lastRun || intervention.trigger.agent_run_id !== lastRun.trace_id) return null
    const outreach = this.outreach
    return this.act(prepared, traceId, options, 'confirmIntervention', { intervention_id: intervention.intervention_id }, async () => {
      const done = await confirmIntervention(outreach, prepared.userId, intervention.intervention_id, prepared.now)
      return done.type === 'calendar'
        ? `Booked: a workout block ${done.details.start} – ${done.details.end}; it is in your calendar feed.`
        : `Sent to your buddy (${done.nudge_ids.length} message${done.nudge_ids.length === 1 ? '' : 's'}).`
    })
  }

  /** Does what the person agreed to, reported as the one tool call of this run. */
  private async act (prepared: PreparedRun, traceId: string, options: RunOptions, name: string, args: Record<string, unknown>, work: () => Promise<string>): Promise<AgentRunResult> {
    const started = performance.now()
    const id = `consent_${traceId}`
    options.onEvent?.({ type: 'tool_call', id, name, arguments: args })
    let ok = true
    let summary: string
    try {
      summary = await work()
    } catch (err) {
      if (!(err instanceof DomainError)) throw err
      ok = false
      summary = `I could not do it: ${err.message}`
    }
    const durationMs = performance.now() - started
    options.onEvent?.({ type: 'tool_result', id, name, ok, summary, duration_ms: Math.round(durationMs * 10) / 10 })
    return this.answered(prepared, ok ? `Done. ${summary}` : summary, { id, name, arguments: args, ok, summary, durationMs }, options)
  }

  private answered (prepared: PreparedRun, response: string, call: AgentRunResult['toolCalls'][number] | null, options: RunOptions): AgentRunResult {
    options.onEvent?.({ type: 'delta', text: response })
    return {
      response,
      toolCalls: call ? [call] : [],
      iterations: 0,
      truncated: false,
      messages: [{ role: 'user', content: prepared.message }, { role: 'assistant', content: response }],
      modelCalls: [],
      reasoning: []
    }
  }

  async clearConversation (userId: string): Promise<void> {
    await getAccount(this.repo, userId)
    await this.repo.clearConversation(userId)
  }

  /** newest first */
  async traces (userId: string, limit: number): Promise<AgentTrace[]> {
    return [...await this.repo.listTraces(userId)].reverse().slice(0, limit)
  }

  async trace (userId: string, traceId: string): Promise<AgentTrace> {
    const trace = (await this.repo.listTraces(userId)).find(t => t.trace_id === traceId)
    if (!trace) throw notFound(`No trace ${traceId} among yours.`)
    return trace
  }
}

function lowerFirst (text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function toDomainError (err: unknown): unknown {
  if (!(err instanceof LlmError)) return err
  return new DomainError(err.kind === 'timeout' ? 'upstream_timeout' : 'upstream_failed', err.message)
}

function secondsUntilLocalMidnight (now: Date, today: string, timeZone: string): number {
  // Step forward in 15-minute increments to the first instant whose local date is tomorrow:
  // exact enough for a retry hint, and right across DST changes.
  const tomorrow = addDays(today, 1)
  let t = now.getTime()
  while (localDate(new Date(t), timeZone) < tomorrow) t += 15 * 60 * 1000
  return Math.max(60, Math.ceil((t - now.getTime()) / 1000))
}
