// The coach's getAutopilotRuns tool: what the autopilot did at its last checkpoints and why, as
// GET /api/autopilot/runs shows it — so "why did I get that nudge?" has a real answer.
import { Type } from 'typebox'
import { autopilotRuns } from '../../autopilot/autopilot-runs.js'
import { defineTool } from './tool-registry.js'

export const getAutopilotRunsTool = defineTool({
  name: 'getAutopilotRuns',
  description: "Read what the autopilot did (or chose not to do) at the user's recent checkpoints, newest first: the checkpoint, when it ran, the risk it saw, acted or skipped, and why. Use it for 'why did I get that nudge?' or 'what did the autopilot do?'.",
  parameters: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }, { additionalProperties: false }),
  async run (args, { repo, userId }) {
    const runs = await autopilotRuns(repo, userId, args.limit ?? 5)
    const acted = runs.filter(r => r.decision === 'acted').length
    return {
      ok: true,
      summary: runs.length === 0 ? 'The autopilot has not run a checkpoint yet.' : `${runs.length} recent checkpoint${runs.length === 1 ? '' : 's'}, ${acted} acted.`,
      data: { runs: runs.map(r => ({ checkpoint: r.checkpoint, ran_at: r.ran_at, session_date: r.session_date, decision: r.decision, skipped: r.skipped, why: r.why, risk_level: r.risk?.risk_level ?? null })) }
    }
  }
})
