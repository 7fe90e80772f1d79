import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { analyzeCalendar, importCalendar, removeCalendar, subscribeCalendar } from '../../../src/calendar/calendars.js'
import { calendarFeedFor } from '../../../src/calendar/feed-token.js'
import { CalendarAnalysisQuery, CalendarImportReply, CalendarJsonBody, calendarAnalysisReply } from '../../../src/calendar/calendar-schemas.js'
import { errors, queryWithDefaults, ref } from '../../../src/shared/http-schemas.js'

/** An ICS export of a busy year is large; past this the upload is refused (413). */
const CALENDAR_BODY_LIMIT = 2 * 1024 * 1024

const calendar: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repo } = fastify

  // RFC 5545 files arrive as text/calendar; they stay text until ical.js reads them.
  fastify.addContentTypeParser('text/calendar', { parseAs: 'string', bodyLimit: CALENDAR_BODY_LIMIT }, (_request, body, done) => done(null, body))

  fastify.post('/import', {
    bodyLimit: CALENDAR_BODY_LIMIT,
    schema: {
      tags: ['calendar'],
      operationId: 'importCalendar',
      summary: 'Import your calendar (replaces the previous import)',
      description: 'Send `text/calendar` (an .ics file: recurring events, exceptions and time zones are understood) or JSON `{events: [{summary, start, end, all_day?}]}`. Busy: every event but transparent or cancelled ones; all-day events are busy all day. At most 2 MiB.',
      body: Type.Union([ref(CalendarJsonBody), Type.String({ description: 'an RFC 5545 calendar (text/calendar)' })]),
      response: { 200: ref(CalendarImportReply, 'What was imported'), ...errors(400, 401, 404, 413, 415) }
    }
  }, async (request) => {
    const body = request.body
    const upload = typeof body === 'string' ? { kind: 'ics' as const, text: body } : { kind: 'json' as const, events: body.events }
    return { imported: await importCalendar(repo, request.user.id, upload) }
  })

  fastify.post('/subscription', {
    schema: {
      tags: ['calendar'],
      operationId: 'subscribeCalendar',
      summary: 'Subscribe to your calendar by its address (a "secret iCal address"): fetched now and every hour',
      description: 'Public http(s) addresses only; redirects are not followed. Replaces the previous import or subscription.',
      body: Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048, description: 'the calendar address (http or https)' }) }, { additionalProperties: false }),
      response: { 200: ref(CalendarImportReply, 'What was fetched and imported'), ...errors(400, 401, 404, 413, 415, 502) }
    }
  }, async (request) => ({ imported: await subscribeCalendar(repo, fastify.outbound, request.user.id, request.body.url) }))

  fastify.delete('', {
    schema: {
      tags: ['calendar'],
      operationId: 'deleteCalendar',
      summary: 'Remove your imported calendar',
      response: { 204: Type.Null({ description: 'Removed' }), ...errors(401, 404) }
    }
  }, async (request, reply) => {
    await removeCalendar(repo, request.user.id)
    return reply.code(204).send(null)
  })

  fastify.get('/analysis', {
    schema: {
      tags: ['calendar'],
      operationId: 'analyzeCalendar',
      summary: 'Your planned sessions against your calendar: conflicts, free slots, the next session',
      querystring: queryWithDefaults(CalendarAnalysisQuery),
      response: { 200: calendarAnalysisReply(), ...errors(400, 401, 404) }
    }
  }, async (request) => analyzeCalendar(repo, request.user.id, request.query.days_back, request.query.days_ahead))

  // GET /api/calendar.ics?token=… — what a calendar app polls. No session: the token is the
  // credential (and never logged: request lines name the route pattern, not the URL). Limited per
  // token, not per address, in its own scope (plugins/app/rate-limit.ts).
  fastify.get('.ics', {
    config: { public: true },
    schema: {
      tags: ['calendar'],
      operationId: 'getCalendarFeed',
      summary: 'Your planned sessions as an iCalendar feed to subscribe to',
      description: 'The address comes from POST /api/me/calendar-token. Times are UTC. Sends an ETag; If-None-Match gives 304.',
      security: [],
      querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 128, description: 'the secret from POST /api/me/calendar-token' }) }),
      produces: ['text/calendar'],
      response: {
        200: { description: 'An RFC 5545 calendar', content: { 'text/calendar': { schema: Type.String({ description: 'An RFC 5545 calendar' }) } } },
        304: Type.Null({ description: 'Unchanged since the ETag sent in If-None-Match' }),
        ...errors(400, 404)
      }
    }
  }, async (request, reply) => {
    const { ics, etag } = await calendarFeedFor(repo, request.query.token)
    // Apps may keep a copy and revalidate it; nothing in between may.
    reply.header('cache-control', 'private, no-cache').header('etag', etag)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send(null)
    return reply.type('text/calendar; charset=utf-8').send(ics)
  })
}

export default calendar
