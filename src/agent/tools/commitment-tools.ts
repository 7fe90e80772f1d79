// The coach's getCommitment tool (the prototype's fetch_smart_contract, with real numbers): the
// open commitment's stake, milestones and progress, as GET /api/commitments/current shows them.
import { Type } from 'typebox'
import { currentCommitment } from '../../commitments/commitments.js'
import { DomainError } from '../../shared/domain-errors.js'
import { defineTool } from './tool-registry.js'

export const getCommitmentTool = defineTool({
  name: 'getCommitment',
  description: "Read the user's open commitment: what they staked, the milestones and how each was judged, progress toward the next deadline (sessions done, still needed, days left) and the amount at risk. Use it for 'what's at stake?' and before reminding them of it. The service judges milestones from logged workouts; nobody can mark one complete.",
  parameters: Type.Object({}, { additionalProperties: false }),
  async run (_args, { repo, userId, now }) {
    let c
    try {
      c = await currentCommitment(repo, userId, now)
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') return { ok: true, summary: 'No open commitment.', data: { commitment: null } }
      throw err
    }
    const p = c.progress
    const progress = p ? `${p.completed_sessions} of ${p.required_sessions} sessions for milestone ${p.milestone}, ${p.needed} needed by ${p.target_date} (${p.days_left} day${p.days_left === 1 ? '' : 's'} left)` : 'no milestone pending'
    return {
      ok: true,
      summary: `${c.stake_display} at stake (${c.status}); ${progress}.`,
      data: {
        commitment: {
          status: c.status,
          stake: c.stake_display,
          amount_at_risk: c.amount_at_risk,
          currency: c.currency,
          recipient_on_failure: c.recipient_on_failure,
          bonus_percentage: c.bonus_percentage,
          start_date: c.start_date,
          end_date: c.end_date,
          milestones: c.milestones.map(m => ({ index: m.index, target_date: m.target_date, required_sessions: m.required_sessions, status: m.status, completed_sessions: m.completed_sessions })),
          progress: p
        }
      }
    }
  }
})
