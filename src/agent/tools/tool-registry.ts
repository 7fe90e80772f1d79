// A tool the coach can call: a name, a description, a TypeBox parameter schema (also the JSON
// schema sent to the model) and a handler that calls the same domain function as the REST route.
// The registry is the only way a tool runs: it injects the session's user id (a `user_id` the
// model made up is dropped), validates arguments with the API's own strict rules, and turns an
// unknown tool, bad JSON, invalid arguments or a domain error into an error result for the model
// — with no side effects.
import type { Static, TSchema } from 'typebox'
import { DomainError } from '../../shared/domain-errors.js'
import { describeValidationError, strictAjv } from '../../shared/validator.js'
import type { Repository } from '../../store/repository.js'
import type { ToolCall, ToolDefinition } from '../models/chat-model.js'
import type { Outreach } from '../../nudges/outreach.js'
import type { Proposal } from '../proposals/proposal.js'

/** One reasoning record the coach wrote with logReasoning. */
export interface ReasoningEntry {
  event_name: string
  metrics?: Record<string, number | string | boolean>
  reasoning_chain: string[]
  at: string
}

export interface ToolContext {
  /** from the session — never from the model */
  userId: string
  repo: Repository
  now: Date
  /** nudges and interventions (absent where they cannot be delivered) */
  outreach?: Outreach
  /** the agent run (its trace id), recorded as what triggered an intervention */
  runId?: string
  /** appends to the current run's trace */
  recordReasoning (entry: ReasoningEntry): void
  /** records a change that waits for the person's yes (the run's last proposal is the one kept) */
  propose? (proposal: Proposal): void
}

export interface ToolOutcome {
  ok: boolean
  /** one line a person could read; also shown in the API reply */
  summary: string
  /** the compact numbers that matter, sent to the model with the summary */
  data?: Record<string, unknown>
}

export interface Tool<S extends TSchema = TSchema> {
  name: string
  description: string
  parameters: S
  run (args: Static<S>, context: ToolContext): Promise<ToolOutcome>
}

export function defineTool<S extends TSchema> (tool: Tool<S>): Tool<S> {
  return tool
}

export interface ToolExecution {
  name: string
  /** as the model sent them (parsed when they were JSON) */
  arguments: unknown
  ok: boolean
  summary: string
  /** what goes back to the model: JSON of {ok, summary, ...data} */
  content: string
}

export class ToolRegistry {
  private readonly tools = new Map<string, { tool: Tool, validate: ReturnType<typeof strictAjv.compile> }>()

  constructor (tools: Tool[]) {
    for (const tool of tools) this.register(tool)
  }

  /** Later issues add their tools (detectPatterns, deployNudge, …) through here. */
  register (tool: Tool): void {
    if (this.tools.has(tool.name)) throw new Error(`tool ${tool.name} registered twice`)
    this.tools.set(tool.name, { tool, validate: strictAjv.compile(tool.parameters) })
  }

  has (name: string): boolean {
    return this.tools.has(name)
  }

  names (): string[] {
    return [...this.tools.keys()]
  }

  definitions (): ToolDefinition[] {
    return [...this.tools.values()].map(({ tool }) => {
      // A schema the API shares has an `$id` (its name in the OpenAPI document): not the model's business.
      const { $id: _name, ...parameters } = JSON.parse(JSON.stringify(tool.parameters))
      return { type: 'function', function: { name: tool.name, description: tool.description, parameters } }
    })
  }

  async execute (call: ToolCall, context: ToolContext): Promise<ToolExecution> {
    const name = call.function.name
    let args: unknown = call.function.arguments
    const fail = (summary: string): ToolExecution => ({ name, arguments: args, ok: false, summary, content: JSON.stringify({ ok: false, error: summary }) })

    const entry = this.tools.get(name)
    if (!entry) return fail(`Unknown tool "${name}". Available tools: ${this.names().join(', ')}.`)
    try {
      args = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments)
    } catch {
      return fail(`Arguments for ${name} are not valid JSON.`)
    }
    if (args === null || typeof args !== 'object' || Array.isArray(args)) return fail(`Arguments for ${name} must be a JSON object.`)
    // Identity comes from the session: whatever user the model names is ignored.
    const { user_id: _ignored, ...rest } = args as Record<string, unknown>
    const validated = structuredClone(rest)
    if (!entry.validate(validated)) return fail(`Invalid arguments for ${name}: ${describeValidationError(entry.validate.errors!, 'arguments')}`)

    try {
      const outcome = await entry.tool.run(validated as never, context)
      return { name, arguments: args, ok: outcome.ok, summary: outcome.summary, content: JSON.stringify({ ok: outcome.ok, summary: outcome.summary, ...outcome.data }) }
    } catch (err) {
      if (err instanceof DomainError) return fail(err.message)
      throw err
    }
  }
}
