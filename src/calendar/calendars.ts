// A person's calendar: imported (ICS or JSON), kept expanded over a horizon, and read against
// their plan — which sessions clash with what, where a session still fits, whether the next one is
// at risk. The routes and the coach's analyzeCalendar tool call these.
import { getAccount } from '../accounts/accounts.js'
import { detectPatterns } from '../drift/detect-patterns.js'
import { gatherEngineInput, type DriftRepo } from '../drift/gather-engine-input.js'
import { planOn, planTimeline } from '../drift/plan-versions.js'
import { sessionStatuses } from '../drift/session-status.js'
import type { SessionStatus } from '../drift/drift-types.js'
import { DomainError, notFound } from '../shared/domain-errors.js'
import type { SafeFetcher } from '../infra/outbound/safe-fetch.js'
import { addDays, isoWeekday } from '../shared/local-time.js'
import type { CalendarStore, StoredCalendar } from '../store/calendar-store.js'
import { busyIntervals } from './busy-intervals.js'
import { conflicts } from './conflicts.js'
import { parseEventsJson, type JsonCalendarEvent } from './events-json.js'
import { freeSlots } from './free-slots.js'
import { parseCalendar } from './parse-calendar.js'
import { sessionWindow } from './session-window.js'
import { WEEKDAYS } from '../plans/plan-schemas.js'

export type CalendarRepo = DriftRepo & CalendarStore

/** Imported calendars are expanded this far around the import (a year ahead covers any analysis). */
const HORIZON_BACK_DAYS = 90
const HORIZON_AHEAD_DAYS = 365
const DAY_MS = 86_400_000

export type CalendarUpload = { kind: 'ics', text: string } | { kind: 'json', events: JsonCalendarEvent[] } | { kind: 'url', text: string, url: string }

export interface ImportSummary { source: StoredCalendar['source'], events: number, occurrences: number, truncated: boolean }

export async function importCalendar (repo: CalendarRepo, userId: string, upload: CalendarUpload, now = new Date()): Promise<ImportSummary> {
  const account = await getAccount(repo, userId)
  const from = new Date(now.getTime() - HORIZON_BACK_DAYS * DAY_MS)
  const until = new Date(now.getTime() + HORIZON_AHEAD_DAYS * DAY_MS)
  // Every event is read and validated here (a malformed file is a 400 naming the event), not lazily.
  const parsed = upload.kind === 'json'
    ? { events: upload.events.length, occurrences: parseEventsJson(upload.events, account.timezone), truncated: false }
    : parseCalendar(upload.text, { timeZone: account.timezone, from, until })
  const calendar: StoredCalendar = {
    source: upload.kind,
    ...(upload.kind === 'url' ? { subscription: { url: upload.url, refreshed_at: now.toISOString() } } : {}),
    imported_at: now.toISOString(),
    events: parsed.events,
    occurrences: parsed.occurrences,
    expanded_from: from.toISOString(),
    expanded_until: until.toISOString(),
    truncated: parsed.truncated
  }
  await repo.setCalendar(userId, calendar)
  return { source: calendar.source, events: calendar.events, occurrences: calendar.occurrences.length, truncated: calendar.truncated }
}

/** The calendar file at `url`: its address checked (SSRF), fetched without following redirects. */
async function fetchCalendar (fetcher: SafeFetcher, url: URL): Promise<string> {
  try {
    return (await fetcher.getText(url, 'text/calendar')).text
  } catch (err) {
    throw new DomainError('upstream_failed', `The calendar at that address could not be fetched: ${(err as Error).message}.`)
  }
}

/** Subscribes to the calendar at `rawUrl` (a "secret iCal address"): fetched now, and again every refresh period. */
export async function subscribeCalendar (repo: CalendarRepo, fetcher: SafeFetcher, userId: string, rawUrl: string, now = new Date()): Promise<ImportSummary> {
  await getAccount(repo, userId)
  const url = await fetcher.validate(rawUrl, 'body.url')
  return importCalendar(repo, userId, { kind: 'url', url: url.href, text: await fetchCalendar(fetcher, url) }, now)
}

/** Fetches a subscribed calendar again; a failure is recorded and the last good occurrences kept. */
export async function refreshSubscription (repo: CalendarRepo, fetcher: SafeFetcher, userId: string, now = new Date()): Promise<boolean> {
  const calendar = await repo.getCalendar(userId)
  if (!calendar?.subscription) return false
  const { url } = calendar.subscription
  try {
    await importCalendar(repo, userId, { kind: 'url', url, text: await fetchCalendar(fetcher, await fetcher.validate(url, 'url')) }, now)
    return true
  } catch (err) {
    await repo.setCalendar(userId, { ...calendar, subscription: { ...calendar.subscription, refreshed_at: now.toISOString(), last_error: (err as Error).message } })
    return false
  }
}

export async function removeCalendar (repo: CalendarRepo, userId: string): Promise<void> {
  await getAccount(repo, userId)
  if (!await repo.deleteCalendar(userId)) throw notFound('No calendar imported.')
}

export interface AnalysedSession {
  date: string
  /** instants of the plan's window that day */
  start: string
  end: string
  status: SessionStatus
}

export interface CalendarAnalysis {
  calendar: { source: StoredCalendar['source'], imported_at: string, events: number } | null
  sessions: AnalysedSession[]
  conflicts: Array<{ session: AnalysedSession, event: { summary: string, start: string, end: string } }>
  free_slots: Array<{ start: string, end: string }>
  next_session: (AnalysedSession & { at_risk: boolean, reasons: string[] }) | null
}

export async function analyzeCalendar (repo: CalendarRepo, userId: string, daysBack: number, daysAhead: number, now = new Date()): Promise<CalendarAnalysis> {
  const account = await getAccount(repo, userId)
  const zone = account.timezone
  const [input, calendar] = await Promise.all([gatherEngineInput(repo, userId, now), repo.getCalendar(userId)])
  const occurrences = calendar?.occurrences ?? []
  const lastDay = addDays(input.today, daysAhead)

  const sessions: AnalysedSession[] = sessionStatuses(input, addDays(input.today, -daysBack), lastDay).map(s => {
    const window = sessionWindow(s.date, s.start, s.end, zone)
    return { date: s.date, start: window.start.toISOString(), end: window.end.toISOString(), status: s.status }
  })
  const asInterval = (s: AnalysedSession) => ({ ...s, start: new Date(s.start), end: new Date(s.end) })
  const clashes = conflicts(sessions.map(asInterval), occurrences).map(c => ({
    session: sessions.find(s => s.date === c.session.date)!,
    event: c.event
  }))

  // Free time inside the plan's window on every day from now on (a slot on an unplanned day can
  // make up a missed session), at least the plan's minimum long.
  const timeline = planTimeline(input.plans, input.defaultStart)
  const windows = []
  let minMinutes = Infinity
  for (let date = input.today; date <= lastDay; date = addDays(date, 1)) {
    const plan = planOn(timeline, date)
    if (!plan) continue
    windows.push(sessionWindow(date, plan.window_start, plan.window_end, zone))
    minMinutes = Math.min(minMinutes, plan.min_minutes)
  }
  const horizonEnd = windows.at(-1)?.end ?? now
  const free = windows.length === 0
    ? []
    : freeSlots({ busy: busyIntervals(occurrences, now, horizonEnd), windows, minMinutes, from: now })

  const next = sessions.find(s => s.status === 'upcoming') ?? null
  let nextSession: CalendarAnalysis['next_session'] = null
  if (next) {
    const reasons: string[] = []
    for (const c of clashes.filter(c => c.session.date === next.date)) reasons.push(`clashes with "${c.event.summary}"`)
    const weekdayPattern = detectPatterns(input).signals.find(s => s.type === 'weekday_pattern')
    if (weekdayPattern && weekdayPattern.evidence.weekday === WEEKDAYS[isoWeekday(next.date)]) {
      reasons.push(`a ${weekdayPattern.evidence.weekday} — ${weekdayPattern.message}`)
    }
    nextSession = { ...next, at_risk: reasons.length > 0, reasons }
  }
  return {
    calendar: calendar ? { source: calendar.source, imported_at: calendar.imported_at, events: calendar.events } : null,
    sessions,
    conflicts: clashes,
    free_slots: free.map(slot => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
    next_session: nextSession
  }
}
