// The coach's deployNudge and bookIntervention tools: the same domain functions as POST
// /api/nudges and POST /api/interventions, with the coach as the source. A calendar block or a
// message to the buddy is only PROPOSED here — the person confirms it, never the model.
import { Type } from 'typebox'
import { CHANNELS } from '../../nudges/channel-schemas.js'
import { sendNudge } from '../../nudges/nudges.js'
import { createIntervention } from '../../interventions/interventions.js'
import type { InterventionBody } from '../../interventions/intervention-schemas.js'
import { unavailable } from '../../shared/domain-errors.js'
import type { Outreach } from '../../nudges/outreach.js'
import { defineTool, type ToolContext } from './tool-registry.js'

function outreachOf (context: ToolContext): Outreach {
  if (!context.outreach) throw unavailable('Nudges and interventions are not available here.', 60)
  return context.outreach
}

export const deployNudgeTool = defineTool({
  name: 'deployNudge',
  description: "Send the user a short nudge (in_app by default; webhook, email or sms only if they set that channel up) — now, or at send_at for a reminder they asked for (\"remind me tomorrow at 7\": 07:00 in their zone, with its offset). Quiet hours, their daily cap and dedupe apply. Use it when a session is at risk and a reminder would help.",
  parameters: Type.Object({
    message: Type.String({ minLength: 1, maxLength: 500 }),
    channel: Type.Optional(Type.Enum([...CHANNELS])),
    urgency: Type.Optional(Type.Enum(['low', 'medium', 'high'])),
    send_at: Type.Optional(Type.String({ format: 'date-time', description: 'when to send it (RFC 3339 with offset), up to 30 days ahead; default now' }))
  }, { additionalProperties: false }),
  async run (args, context) {
    const { nudge, created } = await sendNudge(outreachOf(context), context.userId, { message: args.message, channel: args.channel ?? 'in_app', urgency: args.urgency, ...(args.send_at ? { send_at: args.send_at } : {}) },
      { source: 'coach' }, context.now)
    return {
      ok: true,
      summary: created ? `Nudge ${nudge.status}${nudge.status === 'scheduled' ? ` for ${nudge.scheduled_for}` : ''} (${nudge.channel}).` : 'The same nudge was already sent.',
      data: { nudge_id: nudge.nudge_id, channel: nudge.channel, status: nudge.status, scheduled_for: nudge.scheduled_for }
    }
  }
})

export const bookInterventionTool = defineTool({
  name: 'bookIntervention',
  description: 'Start an intervention for an at-risk session. calendar: a workout block (in the next free slot, or at `start`); message: a nudge through the user\'s channels; social: a message to their confirmed buddy; financial: a reminder of their stake. calendar and social are only PROPOSED: tell the user and ask them to say yes — you cannot confirm them yourself.',
  parameters: Type.Object({
    type: Type.Enum(['calendar', 'message', 'financial', 'social']),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    start: Type.Optional(Type.String({ format: 'date-time', description: 'calendar only: when the block starts' })),
    minutes: Type.Optional(Type.Integer({ minimum: 10, maximum: 360, description: 'calendar only' }))
  }, { additionalProperties: false }),
  async run (args, context) {
    const details = args.type === 'calendar' && (args.start || args.minutes) ? { ...(args.start ? { start: args.start } : {}), ...(args.minutes ? { minutes: args.minutes } : {}) } : undefined
    const body = { type: args.type, ...(args.message ? { message: args.message } : {}), ...(details ? { details } : {}) } as InterventionBody
    const intervention = await createIntervention(outreachOf(context), context.userId, body, { source: 'coach', ...(context.runId ? { agent_run_id: context.runId } : {}) }, context.now)
    const account = await context.repo.getAccount(context.userId)
    const what = intervention.type === 'calendar' ? `a block ${intervention.details.start} – ${intervention.details.end}` : intervention.type
    return {
      ok: true,
      summary: intervention.status === 'proposed' ? `Proposed ${what}; waiting for the user's yes.` : `Done: ${what} (${intervention.nudge_ids.length} message${intervention.nudge_ids.length === 1 ? '' : 's'}).`,
      data: { intervention_id: intervention.intervention_id, type: intervention.type, status: intervention.status, details: intervention.details, timezone: account?.timezone ?? 'UTC' }
    }
  }
})
