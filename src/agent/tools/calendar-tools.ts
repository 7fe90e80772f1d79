// The coach's analyzeCalendar tool: the same analysis as GET /api/calendar/analysis, summarised to
// what the model needs — conflicts, the best free slots, and whether the next session is at risk.
import { Type } from 'typebox'
import { analyzeCalendar } from '../../calendar/calendars.js'
import { CalendarAnalysisQuery } from '../../calendar/calendar-schemas.js'
import { defineTool } from './tool-registry.js'

/** Free slots listed to the model: the soonest few are what a person can act on. */
const SLOTS_LISTED = 3

export const analyzeCalendarTool = defineTool({
  name: 'analyzeCalendar',
  description: "Read the user's planned sessions against their imported calendar: which sessions clash with which events, free slots inside their plan's window (soonest first), and whether the next session is at risk. Use it for 'when can I work out this week?' and before suggesting a time.",
  parameters: Type.Object({
    days_ahead: Type.Optional(CalendarAnalysisQuery.days_ahead),
    slots: Type.Optional(Type.Integer({ minimum: 1, maximum: 14, description: `free slots to list, soonest first (default ${SLOTS_LISTED})` }))
  }, { additionalProperties: false }),
  async run (args, { repo, userId, now }) {
    const [analysis, account] = await Promise.all([analyzeCalendar(repo, userId, 0, args.days_ahead ?? 7, now), repo.getAccount(userId)])
    const next = analysis.next_session
    return {
      ok: true,
      summary: `${analysis.calendar ? `${analysis.calendar.events} calendar events` : 'no calendar imported'}; ${analysis.conflicts.length} conflict${analysis.conflicts.length === 1 ? '' : 's'}; ${analysis.free_slots.length} free slot${analysis.free_slots.length === 1 ? '' : 's'}${next ? `; next session ${next.date}${next.at_risk ? ' at risk' : ''}` : ''}.`,
      data: {
        /** the user's zone: the instants below read as their local times in it */
        timezone: account?.timezone ?? 'UTC',
        calendar_imported: analysis.calendar !== null,
        conflicts: analysis.conflicts.map(c => ({ date: c.session.date, event: c.event.summary, start: c.event.start, end: c.event.end })),
        free_slots: analysis.free_slots.slice(0, args.slots ?? SLOTS_LISTED),
        more_free_slots: Math.max(0, analysis.free_slots.length - (args.slots ?? SLOTS_LISTED)),
        next_session: next
      }
    }
  }
})
