// The calendar feed: a secret address a calendar app subscribes to ("secret iCal address"), serving
// the person's planned sessions. The token is shown once, when made; only its SHA-256 is stored, so
// neither the store nor an export can give it away. Making a new one invalidates the old at once.
import { createHash, randomBytes } from 'node:crypto'
import { getAccount } from '../accounts/accounts.js'
import { gatherEngineInput } from '../drift/gather-engine-input.js'
import { sessionStatuses } from '../drift/session-status.js'
import { notFound } from '../shared/domain-errors.js'
import { addDays } from '../shared/local-time.js'
import { calendarFeed } from './calendar-feed.js'
import type { CalendarRepo } from './calendars.js'
import { sessionWindow } from './session-window.js'

/** The feed covers planned sessions this many days back and ahead. */
const FEED_DAYS_BACK = 14
const FEED_DAYS_AHEAD = 60

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex')

/** A new feed token for the user (the previous one stops working) and the address to subscribe to. */
export async function rotateCalendarToken (repo: CalendarRepo, userId: string, baseUrl: string): Promise<{ token: string, url: string }> {
  await getAccount(repo, userId)
  const token = randomBytes(24).toString('base64url')
  if (!await repo.setCalendarToken(userId, tokenDigest(token))) throw notFound('Your account no longer exists.')
  return { token, url: `${baseUrl.replace(/\/$/, '')}/api/calendar.ics?token=${token}` }
}

/** The feed for a token, with an ETag of its bytes; a wrong or rotated token is not found. */
export async function calendarFeedFor (repo: CalendarRepo, token: string, now = new Date()): Promise<{ ics: string, etag: string }> {
  const userId = await repo.findUserByCalendarToken(tokenDigest(token))
  if (userId === null) throw notFound('No calendar feed at this address (the link may have been replaced by a newer one).')
  const account = await getAccount(repo, userId)
  const input = await gatherEngineInput(repo, userId, now)
  // A per-user prefix keeps UIDs unique across users without putting the user id in the feed.
  const owner = createHash('sha256').update(userId).digest('hex').slice(0, 16)
  const sessions = sessionStatuses(input, addDays(input.today, -FEED_DAYS_BACK), addDays(input.today, FEED_DAYS_AHEAD))
    .filter(s => s.status !== 'paused')
    .map(s => {
      const window = sessionWindow(s.date, s.start, s.end, account.timezone)
      return {
        uid: `${owner}-${s.date}@resolution-autopilot`,
        start: window.start,
        end: window.end,
        summary: 'Workout',
        description: `Planned session (${s.status.replace('_', ' ')}) — Resolution Autopilot`
      }
    })
  // Workout blocks the person booked (or confirmed) as calendar interventions.
  const blocks = (await repo.listInterventions(userId))
    .filter(i => i.type === 'calendar' && i.status === 'deployed' && i.details.start && i.details.end)
    .map(i => ({
      uid: `${owner}-block-${i.intervention_id}@resolution-autopilot`,
      start: new Date(i.details.start!),
      end: new Date(i.details.end!),
      summary: 'Workout (booked)',
      description: `${i.message} — Resolution Autopilot`,
      updatedAt: new Date(i.deployed_at ?? i.created_at)
    }))
  const ics = calendarFeed({ name: 'Resolution Autopilot', prodId: '//Resolution Autopilot//Plan feed//EN', sessions: [...sessions, ...blocks] })
  return { ics, etag: `"${createHash('sha256').update(ics).digest('base64url').slice(0, 27)}"` }
}
