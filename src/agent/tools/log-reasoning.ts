// The coach writes down why it decided something; the entry goes into the current run's trace
// (GET /api/agent/traces/:id), so a person or an operator can audit the coach's judgement.
import { Type } from 'typebox'
import { defineTool } from './tool-registry.js'

export const logReasoningTool = defineTool({
  name: 'logReasoning',
  description: 'Record why you are deciding something (e.g. to suggest a rest day or a short session): an event name, the metrics you relied on, and your reasoning steps. Not shown to the user.',
  parameters: Type.Object({
    event_name: Type.String({ minLength: 1, maxLength: 100 }),
    metrics: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.Number(), Type.String({ maxLength: 200 }), Type.Boolean()]))),
    reasoning_chain: Type.Union([
      Type.String({ minLength: 1, maxLength: 2000 }),
      Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 20 })
    ])
  }, { additionalProperties: false }),
  async run (args, { recordReasoning, now }) {
    const chain = typeof args.reasoning_chain === 'string' ? [args.reasoning_chain] : args.reasoning_chain
    recordReasoning({ event_name: args.event_name, ...(args.metrics ? { metrics: args.metrics } : {}), reasoning_chain: chain, at: now.toISOString() })
    return { ok: true, summary: `Reasoning "${args.event_name}" recorded (${chain.length} step${chain.length === 1 ? '' : 's'}).` }
  }
})
