// The coach's detectPatterns tool: the same drift report as GET /api/patterns, summarised to what
// the model needs (signals with their messages and evidence, the verdict, the recommendation).
import { Type } from 'typebox'
import { userPatterns } from '../../drift/user-patterns.js'
import { defineTool } from './tool-registry.js'

export const detectPatternsTool = defineTool({
  name: 'detectPatterns',
  description: "Check whether the user's resolution is drifting, from their plan, workouts and pauses: risk level and score, signals (consecutive misses, completion rate, trends, a weekday they keep missing, time-of-day drift, habit strength, the safety buffer for this week, a plan that does not match when they train), and the recommended kind of intervention. Use it for 'how am I doing?' and before suggesting anything.",
  parameters: Type.Object({}, { additionalProperties: false }),
  async run (_args, { repo, userId, now }) {
    const report = await userPatterns(repo, userId, now)
    const worst = report.signals.filter(s => s.severity !== 'low').map(s => s.message)
    return {
      ok: true,
      summary: `Risk ${report.risk_level} (${report.risk_score}/100); habit strength ${report.habit_strength}; ${report.safety_buffer.needed} session${report.safety_buffer.needed === 1 ? '' : 's'} still needed this week${worst.length > 0 ? `; ${worst.length} warning signal${worst.length === 1 ? '' : 's'}` : ''}.`,
      data: {
        drift_detected: report.drift_detected,
        risk_level: report.risk_level,
        risk_score: report.risk_score,
        confidence: report.confidence,
        habit_strength: report.habit_strength,
        safety_buffer: report.safety_buffer,
        signals: report.signals.map(s => ({ type: s.type, severity: s.severity, message: s.message, evidence: s.evidence })),
        recommended_intervention: report.recommended_intervention,
        reasoning: report.reasoning
      }
    }
  }
})
