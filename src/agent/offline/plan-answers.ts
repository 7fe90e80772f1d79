// The offline coach's answers about the plan: a missed session, the resolution in words, a pause
// for travel or illness, a session moved to another day (all proposed, done on a yes), a reminder.
import { CalendarData, HISTORY_FAILED, HistoryData, PATTERNS, PatternsData, gather, history, openSlots, optional, proposalAnswer, read, type Intent, type Step, type Turn } from './coach-turn.js'
import { count, dayName, list, lowerFirst, sentence } from './words.js'

export function missedSession (turn: Turn, intent: Extract<Intent, { intent: 'missed_session' }>): Step {
  const extra = optional(turn, [PATTERNS, { name: 'analyzeCalendar', args: { days_ahead: 7, slots: 7 } }])
  const got = gather(turn, [history(7), ...extra], 'look at your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week
  const day = intent.date ? dayName(intent.date) : 'that session'
  const parts = [`No problem — I've logged nothing for ${day}; a missed session is information, not a failure.`]
  const drift = extra[0]?.name === 'detectPatterns' ? read(got[1], PatternsData, "I couldn't run the drift check") : null
  const needed = drift && !('answer' in drift) && drift.safety_buffer ? drift.safety_buffer.needed : Math.max(0, week.weekly_target - week.stats.total_workouts)
  parts.push(needed === 0
    ? `You still have ${week.weekly_target} this week, so nothing more is needed.`
    : `This week still needs ${count(needed, 'session')}${drift && !('answer' in drift) && drift.safety_buffer ? ` by ${dayName(drift.safety_buffer.by)}` : ''}.`)
  const calendarAt = extra.findIndex(c => c.name === 'analyzeCalendar')
  const calendar = calendarAt >= 0 ? read(got[1 + calendarAt], CalendarData, "I couldn't read your calendar") : null
  if (needed > 0 && calendar && !('answer' in calendar)) {
    const slots = openSlots(calendar, week, turn.today).slice(0, Math.max(needed, 2))
    if (slots.length > 0) parts.push(`Free in your plan's window: ${list(slots)}. Tell me when one is done and I'll log it.`)
  } else if (needed > 0) {
    parts.push('The next short session you can fit in counts — tell me when it is done and I\'ll log it.')
  }
  return { answer: parts.join(' ') }
}

export function setResolution (turn: Turn, intent: Extract<Intent, { intent: 'set_resolution' }>): Step {
  if (intent.sessions_per_week === undefined) {
    return { answer: 'How many sessions a week do you want — and for how many weeks? Say it like "run 3x a week for 6 weeks" and I\'ll turn it into your plan.' }
  }
  const args = {
    sessions_per_week: intent.sessions_per_week,
    ...(intent.weekdays.length > 0 ? { weekdays: intent.weekdays } : {}),
    ...(intent.weeks !== undefined ? { weeks: intent.weeks } : {}),
    resolution: intent.text
  }
  const done = gather(turn, [{ name: 'proposePlanChange', args }], 'change your plan')
  if (!Array.isArray(done)) return done
  const result = done[0]
  const described = result.ok && typeof (result.data.proposal as { description?: unknown })?.description === 'string' ? (result.data.proposal as { description: string }).description : ''
  return proposalAnswer(result, `Here's your resolution as a plan: ${lowerFirst(described.replace(/^Set your plan to /, ''))}.`)
}

export function pause (turn: Turn, intent: Extract<Intent, { intent: 'pause' }>): Step {
  if (!intent.start_date || !intent.end_date) {
    return { answer: 'Which days should I pause? Say for example "I\'m traveling next week" or "I\'m sick until Friday" and I\'ll propose a pause — paused days count neither as done nor as missed.' }
  }
  const args = { start_date: intent.start_date, end_date: intent.end_date, reason: intent.reason }
  const done = gather(turn, [{ name: 'proposePause', args }], 'pause your plan')
  if (!Array.isArray(done)) return done
  const span = intent.start_date === intent.end_date ? dayName(intent.start_date) : `${dayName(intent.start_date)} to ${dayName(intent.end_date)}`
  return proposalAnswer(done[0], `${intent.reason === 'illness' ? 'Get well soon. ' : intent.reason === 'travel' ? 'Safe travels! ' : ''}I can pause your plan for ${span}: those days count neither as done nor as missed.`)
}

export function moveSession (turn: Turn, intent: Extract<Intent, { intent: 'move_session' }>): Step {
  if (!intent.from || !intent.to) return { answer: 'Which session, and to which day? Say for example "move my Thursday session to Saturday".' }
  const done = gather(turn, [{ name: 'proposePlanChange', args: { move: { from: intent.from, to: intent.to } } }], 'change your plan')
  if (!Array.isArray(done)) return done
  return proposalAnswer(done[0], `I'll move your ${FULL_DAY[intent.from]} session to ${FULL_DAY[intent.to]} in your plan, from today on.`)
}

const FULL_DAY: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' }

export function remind (turn: Turn, intent: Extract<Intent, { intent: 'remind' }>): Step {
  if (!intent.at || !intent.time || !intent.date) {
    return { answer: 'When should I remind you? Say a day and a time, for example "remind me tomorrow at 7".' }
  }
  if (Date.parse(intent.at) <= turn.context.now.getTime()) return { answer: `${intent.time} on ${dayName(intent.date)} has already passed — tell me a time ahead.` }
  const message = intent.about ? `Reminder: ${intent.about}.` : 'Reminder from your coach: time for your workout — even a short one counts.'
  const got = gather(turn, [{ name: 'deployNudge', args: { message, channel: 'in_app', send_at: intent.at } }], 'set reminders')
  if (!Array.isArray(got)) return got
  if (!got[0].ok) return { answer: `I couldn't set the reminder: ${sentence(got[0].error)}` }
  return { answer: `Done — I'll remind you in the app on ${dayName(intent.date)} at ${intent.time} (${turn.context.timeZone}).` }
}
