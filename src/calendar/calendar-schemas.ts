// The calendar's shapes as the API shows them.
import { Type } from 'typebox'
import { Nullable, ref } from '../shared/http-schemas.js'

export const CalendarJsonBody = Type.Object({
  events: Type.Array(Type.Object({
    summary: Type.String({ maxLength: 500 }),
    start: Type.String({ description: 'an RFC 3339 instant, or a local date YYYY-MM-DD when all_day' }),
    end: Type.String({ description: 'an RFC 3339 instant, or (all_day) the first local date no longer covered' }),
    all_day: Type.Optional(Type.Boolean())
  }, { additionalProperties: false }), { maxItems: 5000 })
}, { $id: 'CalendarJsonBody', additionalProperties: false })

export const CalendarImportReply = Type.Object({
  imported: Type.Object({
    source: Type.Enum(['ics', 'json', 'url']),
    events: Type.Integer({ description: 'events in the upload (a recurring one counts once)' }),
    occurrences: Type.Integer({ description: 'occurrences kept, from 90 days back to a year ahead' }),
    truncated: Type.Boolean({ description: 'a cap was reached (5000 occurrences, or a rule that would not end): some may be missing' })
  })
}, { $id: 'CalendarImportReply' })

const AnalysedSession = Type.Object({
  date: Type.String({ format: 'date', description: 'the local date the session belongs to' }),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  status: Type.Enum(['done', 'made_up', 'missed', 'skipped', 'paused', 'upcoming'], { description: 'skipped: a day of this week without a session that can still be made up' })
})

export const CalendarAnalysis = Type.Object({
  calendar: Nullable(Type.Object({ source: Type.Enum(['ics', 'json', 'url']), imported_at: Type.String({ format: 'date-time' }), events: Type.Integer() })),
  sessions: Type.Array(AnalysedSession),
  conflicts: Type.Array(Type.Object({
    session: AnalysedSession,
    event: Type.Object({ summary: Type.String(), start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) })
  })),
  free_slots: Type.Array(Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) }), { description: 'maximal free intervals, at least the plan minimum long, inside the plan window, from now on' }),
  next_session: Nullable(Type.Intersect([AnalysedSession, Type.Object({ at_risk: Type.Boolean(), reasons: Type.Array(Type.String()) })]))
}, { $id: 'CalendarAnalysis' })

export const CalendarAnalysisQuery = {
  days_back: Type.Integer({ minimum: 0, maximum: 90, default: 14, description: 'past days to show sessions for (0–90)' }),
  days_ahead: Type.Integer({ minimum: 1, maximum: 30, default: 7, description: 'days ahead for sessions and free slots (1–30)' })
}

export const calendarAnalysisReply = () => ref(CalendarAnalysis, 'Sessions with their status, conflicts, free slots, and the next session')
