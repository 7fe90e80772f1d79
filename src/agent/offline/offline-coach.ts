// The offline coach: a deterministic, rule-based ChatModel used when no LLM key is configured (and
// by tests, for reproducibility). It plays the model's part in the SAME agent loop: on the user's
// message it recognises the intent and asks for tools; once their results are back it writes the
// answer from THEIR data. It keeps no state — like an LLM, it reads everything from the messages —
// so the same conversation and data always give the same reply, and it never states a number the
// tools did not return.
import { createHash } from 'node:crypto'
import { parseJsonOrText } from '../../shared/parse-json-or-text.js'
import Value from 'typebox/value'
import { Type, type Static } from 'typebox'
import { localDate, localTime } from '../../shared/local-time.js'
import type { ChatMessage, ChatModel, ModelReply, ModelRequest, ToolCall } from '../models/chat-model.js'
import { classifier } from './understand/classifier.js'
import { understand, type Context } from './understand/understand.js'
import { BookedData, CALENDAR, CalendarData, HISTORY_FAILED, HistoryData, PATTERNS, PatternsData, callKey, gather, history, openSlots, optional, parseResult, read, type Intent, type PlannedCall, type Step, type ToolResult, type Turn } from './coach-turn.js'
import { WEEKDAYS, count, dayName, list, sentence, slotText } from './words.js'
import { correctWorkout, deleteWorkout, logWorkout } from './workout-answers.js'
import { missedSession, moveSession, pause, remind, setResolution } from './plan-answers.js'

export class OfflineCoach implements ChatModel {
  readonly provider = 'offline'
  readonly model = 'offline-coach-1'

  async complete ({ messages, tools, signal, onDelta, now, timeZone }: ModelRequest): Promise<ModelReply> {
    signal.throwIfAborted()
    const context = { now: now ?? new Date(), timeZone: timeZone ?? 'UTC' }
    const step = decide(await readTurn(messages, new Set(tools.map(t => t.function.name)), context))
    if ('calls' in step) {
      // Ids must be distinct within the conversation and the coach deterministic: a digest of the
      // conversation so far gives both. Tool results are left out: they carry stored ids (a
      // workout_id), and the same words and data must give the same calls.
      const shape = messages.map(m => m.role === 'tool' ? { role: m.role, tool_call_id: m.tool_call_id } : m)
      const turnId = createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 12)
      const toolCalls: ToolCall[] = step.calls.map((call, i) => ({
        id: `offline_${turnId}_${i}`,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args) }
      }))
      return { content: null, toolCalls, model: this.model }
    }
    // Streaming clients get the answer sentence by sentence, as they would from an LLM.
    if (onDelta) {
      for (const chunk of step.answer.match(/[^.!?]*[.!?]+\s*|[^.!?]+$/g) ?? [step.answer]) {
        signal.throwIfAborted()
        onDelta(chunk)
      }
    }
    return { content: step.answer, toolCalls: [], model: this.model }
  }
}

/** The last user message before index `before`, with its position. */
function lastUserMessage (messages: ChatMessage[], before: number): { at: number, text: string } | undefined {
  for (let at = before - 1; at >= 0; at--) {
    const message = messages[at]
    if (message.role === 'user') return { at, text: message.content }
  }
  return undefined
}

async function readTurn (messages: ChatMessage[], offered: Set<string>, context: Context): Promise<Turn> {
  const user = lastUserMessage(messages, messages.length)
  const results = new Map<string, ToolResult>()
  const today = localDate(context.now, context.timeZone)
  if (!user) return { intent: { intent: 'unknown' }, context, today, results, offered }

  const asked = new Map<string, string>()
  for (const message of messages.slice(user.at + 1)) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        const key = callKey(call.function.name, parseJsonOrText(call.function.arguments))
        asked.set(call.id, key)
        // A call the loop never answered must not be repeated forever: it counts as failed.
        results.set(key, { ok: false, error: 'no result came back' })
      }
    } else if (message.role === 'tool') {
      const key = asked.get(message.tool_call_id)
      if (key !== undefined) results.set(key, parseResult(message.content))
    }
  }
  return { intent: await resolveIntent(messages, user, context), context, today, results, offered }
}

async function recognise (text: string, context: Context): Promise<Intent> {
  return understand(text, await (await classifier()).classify(text), context)
}

/** A bare "20 minutes" completes the previous message's workout when that one lacked a duration. */
async function resolveIntent (messages: ChatMessage[], user: { at: number, text: string }, context: Context): Promise<Intent> {
  const intent = await recognise(user.text, context)
  if (intent.intent !== 'duration') return intent
  const earlier = lastUserMessage(messages, user.at)
  const previous = earlier && await recognise(earlier.text, context)
  if (previous?.intent === 'log_workout' && previous.workouts.length === 1 && previous.workouts[0].duration_minutes === undefined) {
    return { ...previous, workouts: [{ ...previous.workouts[0], duration_minutes: intent.duration_minutes }] }
  }
  return intent
}

function decide (turn: Turn): Step {
  const { intent } = turn
  switch (intent.intent) {
    case 'log_workout': return logWorkout(turn, intent)
    case 'duration': return { answer: `${intent.duration_minutes} minutes of what? Tell me the exercise too — for example "did ${intent.duration_minutes} min of yoga" — and I'll log it.` }
    case 'progress': return progress(turn)
    case 'low_energy': return lowEnergy(turn)
    case 'plan_week': return planWeek(turn)
    case 'stakes': return stakes(turn)
    case 'correct_workout': return correctWorkout(turn, intent)
    case 'delete_workout': return deleteWorkout(turn, intent)
    case 'missed_session': return missedSession(turn, intent)
    case 'set_resolution': return setResolution(turn, intent)
    case 'pause': return pause(turn, intent)
    case 'move_session': return moveSession(turn, intent)
    case 'remind': return remind(turn, intent)
    case 'autopilot': return autopilot(turn)
    case 'thanks': return { answer: "You're welcome! Tell me when you've trained and I'll log it." }
    case 'consent': return { answer: `There's nothing waiting for your yes right now. ${EXAMPLES}` }
    case 'decline': return { answer: `OK — nothing is waiting for an answer, so nothing changes. ${EXAMPLES}` }
    case 'small_talk': return introduce(turn, 'greeting')
    case 'unknown': return introduce(turn, 'unknown')
  }
}

/** Three messages that work, for when the coach cannot do what was asked. */
const EXAMPLES = 'Try: "did 30 min of yoga", "am I on track?" or "I\'m traveling next week".'

const AutopilotData = Type.Object({
  runs: Type.Array(Type.Object({ checkpoint: Type.String(), ran_at: Type.String(), decision: Type.String(), why: Type.String() }))
})

const CHECKPOINT_WORDS: Record<string, string> = { before_session: 'before a session', end_of_day: 'at the end of a planned day', commitment_deadline: 'before a commitment deadline', weekly_digest: 'for the weekly digest' }

function autopilot (turn: Turn): Step {
  const got = gather(turn, [{ name: 'getAutopilotRuns', args: { limit: 5 } }], 'look at what the autopilot did')
  if (!Array.isArray(got)) return got
  const data = read(got[0], AutopilotData, "I couldn't read the autopilot's record")
  if ('answer' in data) return data
  if (data.runs.length === 0) return { answer: "The autopilot hasn't checked in on you yet: it looks before your planned sessions, at the end of planned days and before commitment deadlines, and acts only when a session is at risk." }
  const acted = data.runs.find(r => r.decision === 'acted')
  const latest = data.runs[0]
  const when = (r: { ran_at: string }) => `${dayName(localDate(new Date(r.ran_at), turn.context.timeZone))} at ${localTime(new Date(r.ran_at), turn.context.timeZone)}`
  const parts = [`Last check: ${when(latest)} ${CHECKPOINT_WORDS[latest.checkpoint] ?? latest.checkpoint} — it ${latest.decision === 'acted' ? 'acted' : 'stayed quiet'}: ${sentence(latest.why)}`]
  if (acted && acted !== latest) parts.push(`It last acted ${when(acted)}: ${sentence(acted.why)}`)
  return { answer: parts.join(' ') }
}

function progress (turn: Turn): Step {
  const extra = optional(turn, [PATTERNS])
  const got = gather(turn, [history(7), history(28), ...extra], 'check your progress')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week
  const month = read(got[1], HistoryData, HISTORY_FAILED)
  if ('answer' in month) return month

  const w = week.stats
  const m = month.stats
  const target = week.weekly_target
  const favourite = mostFrequent(m.exercise_breakdown)
  const pace = w.total_workouts > m.workouts_per_week ? 'above' : w.total_workouts < m.workouts_per_week ? 'below' : 'in line with'
  const parts = [
    `Last 7 days: ${count(w.total_workouts, 'workout')}, ${w.total_minutes} min — ${w.completion_rate}% of your ${target}-a-week target, risk ${week.commitment.risk_level}.`,
    `Last 28 days: ${count(m.total_workouts, 'workout')}, ${m.total_minutes} min (${m.completion_rate}%, ${m.workouts_per_week} a week), so this week is ${pace} your recent pace.`
  ]
  if (favourite) parts.push(`Your most frequent exercise is ${favourite.type} (${favourite.count} of ${m.total_workouts}).`)
  const drift = extra.length > 0 ? read(got[2], PatternsData, "I couldn't run the drift check") : null
  if (drift && !('answer' in drift)) {
    parts.push(driftSentence(drift))
    // High risk: act, through the intervention the drift engine recommends (what has worked for
    // this person). A block or a buddy message is only proposed: the person's yes confirms it.
    if (drift.risk_level === 'high' && turn.offered.has('bookIntervention')) {
      const recommended = drift.recommended_intervention?.type
      const call: PlannedCall = { name: 'bookIntervention', args: { type: recommended === 'calendar' || recommended === 'social' ? recommended : 'message' } }
      const booked = turn.results.get(callKey(call.name, call.args))
      if (!booked) return { calls: [call] }
      parts.push(interventionSentence(booked))
    }
  }
  if (w.total_workouts >= target) parts.push(`Next step: you've hit ${target} — keep the rhythm, and a rest day is fine whenever you need one.`)
  else if (week.commitment.on_track) parts.push(`Next step: one more session gets you to ${target}${favourite ? ` — ${favourite.type} or anything you enjoy` : ''}.`)
  else if (favourite) parts.push(`Next step: a short session today — even 15 minutes of ${favourite.type} counts and makes it ${w.total_workouts + 1} of ${target}.`)
  else parts.push("Next step: start with one 15-minute session today and tell me when it's done — I'll log it.")
  return { answer: parts.join(' ') }
}

function lowEnergy (turn: Turn): Step {
  const got = gather(turn, [history(7)], 'look at your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week

  const { stats, commitment } = week
  const target = week.weekly_target
  const doneToday = week.recent.filter(w => w.local_date === turn.today)
  const minutesToday = doneToday.reduce((sum, w) => sum + w.duration_minutes, 0)
  if (minutesToday > 0) {
    // Already trained today: tiredness after a session is earned, not a reason for another one.
    return { answer: `You've already done ${minutesToday} min today (${list([...new Set(doneToday.map(w => w.exercise_type).reverse())])}) — that's today's session done. Rest now, guilt-free: recovery is part of training.` }
  }
  const rest = commitment.on_track
  // The judgement goes into the trace so it can be audited; it is not needed for the answer, so a
  // coach without logReasoning (or a failed record) still answers.
  if (turn.offered.has('logReasoning')) {
    const reasoning: PlannedCall = {
      name: 'logReasoning',
      args: {
        event_name: rest ? 'low_energy_rest_day' : 'low_energy_short_session',
        metrics: { workouts_7d: stats.total_workouts, minutes_7d: stats.total_minutes, completion_rate_7d: stats.completion_rate, risk_level: commitment.risk_level, on_track: rest },
        reasoning_chain: [
          'The user reported low energy.',
          `Last 7 days: ${stats.total_workouts} workouts, ${stats.total_minutes} min, ${stats.completion_rate}% of target, risk ${commitment.risk_level}.`,
          rest
            ? 'On track, so a rest day costs nothing: suggest resting without guilt.'
            : 'Behind target, so suggest an easy 10–15 minute session to keep the habit alive, with rest as an acceptable fallback; no shaming.'
        ]
      }
    }
    if (!turn.results.has(callKey(reasoning.name, reasoning.args))) return { calls: [reasoning] }
  }

  const favourite = mostFrequent(stats.exercise_breakdown)
  if (rest) {
    return {
      answer: `Rest today, guilt-free: you've done ${count(stats.total_workouts, 'workout')} (${stats.total_minutes} min) in the last 7 days — ${stats.completion_rate}% of your target, so you're on track. Recovery is part of training; pick it up again tomorrow${favourite ? ` with some ${favourite.type}` : ''}.`
    }
  }
  const where = stats.total_workouts === 0
    ? 'Nothing is logged in the last 7 days yet, so'
    : `You're at ${stats.total_workouts} of ${target} in the last 7 days (${stats.completion_rate}%), so rather than a full workout,`
  return {
    answer: `Low-energy days happen — no guilt. ${where} an easy 10–15 minute session — a walk or some stretching — keeps the habit going without draining you. If even that's too much today, rest and try again tomorrow; tell me when you've done it and I'll log it.`
  }
}

function planWeek (turn: Turn): Step {
  // The last 7 days say how many sessions are still needed; the last 28 show the person's usual
  // days; the calendar (when the tool is offered) shows where a session still fits.
  const extra = optional(turn, [{ ...CALENDAR, args: { days_ahead: 7, slots: 7 } }])
  const got = gather(turn, [history(7), history(28), ...extra], 'plan your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  if ('answer' in week) return week
  const month = read(got[1], HistoryData, HISTORY_FAILED)
  if ('answer' in month) return month

  const done = week.stats.total_workouts
  const target = week.weekly_target
  const needed = Math.max(0, target - done)
  const parts = [needed > 0
    ? `You've done ${count(done, 'workout')} in the last 7 days, so ${count(needed, 'more session')} ${needed === 1 ? 'gets' : 'get'} you to ${target}.`
    : `You've already done ${count(done, 'workout')} in the last 7 days, so ${target} is reached — this week is about keeping the rhythm.`]

  const days = usualDays(month.recent.map(w => w.local_date))
  if (days.length === 0) {
    parts.push('There are no workouts in the last 28 days to learn your usual days from, so pick days you can protect, with a rest day between sessions.')
  } else {
    const shown = days.slice(0, Math.max(3, needed))
    const source = `from your ${count(month.recent.length, 'most recent session')} in the last 28 days`
    const suggested = days.slice(0, needed).map(d => d.day)
    const extra = needed - suggested.length
    const advice = needed === 0
      ? `keep ${days[0].day} as your anchor day`
      : `I suggest ${list(suggested)}${extra > 0 ? `, plus ${count(extra, 'other day')} of your choice with a rest day between` : ''}`
    parts.push(`You've trained most often on ${list(shown.map(d => `${d.day} (${d.count})`))} — ${source} — so ${advice}.`)
  }
  const calendar = extra.length > 0 ? read(got[2], CalendarData, "I couldn't read your calendar") : null
  if (calendar && !('answer' in calendar)) {
    // Concrete days and times, from today on, never a day already done.
    const slots = openSlots(calendar, week, turn.today)
    if (slots.length > 0) parts.push(`Free in your plan's window: ${list(slots.slice(0, Math.max(needed, 3)))}.`)
    if (calendar.conflicts.length > 0) parts.push(calendarSentence({ ...calendar, free_slots: [] }).replace(/^.*?\.\s*/, ''))
    parts.push("I can't book them for you yet, so please put them in your calendar yourself for now.")
  } else {
    parts.push("I can't book calendar slots yet, so please put these in your calendar yourself for now.")
  }
  return { answer: parts.join(' ') }
}

/** What the coach did (or proposed) about the risk, in words; the reason when it could not. */
function interventionSentence (result: ToolResult): string {
  if (!result.ok) return `I wanted to step in, but could not: ${sentence(result.error)}`
  if (!Value.Check(BookedData, result.data)) return 'I started an intervention for you.'
  const booked = result.data as Static<typeof BookedData>
  if (booked.status === 'proposed' && booked.type === 'calendar' && booked.details.start && booked.details.end) {
    return `I can block ${slotText({ start: booked.details.start, end: booked.details.end }, booked.timezone)} in your calendar for a session — reply "yes" to book it.`
  }
  if (booked.status === 'proposed' && booked.type === 'social') return 'I can ask your buddy to cheer you on — reply "yes" to send it.'
  return 'I sent you a reminder for your next session.'
}

/** One sentence from the drift report: the verdict, and the most severe signal when there is one. */
function driftSentence (drift: Static<typeof PatternsData>): string {
  const worst = drift.signals.find(s => s.severity === 'high') ?? drift.signals.find(s => s.severity === 'medium')
  const verdict = drift.drift_detected
    ? `Drift check: risk ${drift.risk_level} (${drift.risk_score}/100), habit strength ${drift.habit_strength}/100.`
    : `Drift check: no drift (risk ${drift.risk_score}/100), habit strength ${drift.habit_strength}/100.`
  return worst ? `${verdict} ${sentence(worst.message)}` : verdict
}

/** Up to three free slots, in the person's own time, or why there are none. */
function calendarSentence (calendar: Static<typeof CalendarData>): string {
  const slots = calendar.free_slots.map(slot => slotText(slot, calendar.timezone))
  const clashes = calendar.conflicts.length > 0
    ? ` ${count(calendar.conflicts.length, 'planned session')} ${calendar.conflicts.length === 1 ? 'clashes' : 'clash'} with your calendar (${list(calendar.conflicts.slice(0, 3).map(c => `"${c.event}"`))}).`
    : ''
  if (slots.length === 0) return `Your calendar leaves no free slot in your plan's window in the next 7 days.${clashes}`
  return `Free in your plan's window: ${list(slots)}.${clashes}`
}

/** Weekdays of the given dates, most frequent first (ties in calendar order, Monday first). */
function usualDays (dates: string[]): Array<{ day: string, count: number }> {
  const counts = new Map<number, number>()
  for (const date of dates) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
    counts.set(weekday, (counts.get(weekday) ?? 0) + 1)
  }
  const mondayFirst = (d: number) => (d + 6) % 7
  return [...counts.entries()]
    .sort(([a, ca], [b, cb]) => cb - ca || mondayFirst(a) - mondayFirst(b))
    .map(([d, n]) => ({ day: WEEKDAYS[d], count: n }))
}

const CommitmentData = Type.Object({
  commitment: Type.Union([Type.Null(), Type.Object({
    status: Type.String(),
    stake: Type.String(),
    recipient_on_failure: Type.String(),
    end_date: Type.String(),
    progress: Type.Union([Type.Null(), Type.Object({
      milestone: Type.Integer(), completed_sessions: Type.Integer(), required_sessions: Type.Integer(), needed: Type.Integer(), target_date: Type.String(), days_left: Type.Integer()
    })])
  })])
})

const RECIPIENT_WORDS: Record<string, string> = { charity: 'a charity', anti_charity: 'a cause you oppose', buddy: 'your buddy' }

function stakes (turn: Turn): Step {
  if (!turn.offered.has('getCommitment')) {
    return { answer: "I can't look up your commitment right now: the getCommitment tool isn't available." }
  }
  const got = gather(turn, [{ name: 'getCommitment', args: {} }], 'look up your commitment')
  if (!Array.isArray(got)) return got
  const data = read(got[0], CommitmentData, "I couldn't read your commitment")
  if ('answer' in data) return data
  const c = data.commitment
  if (!c) {
    return { answer: 'Nothing is at stake yet: you have no open commitment. You can make one with POST /api/commitments — a stake judged from your logged workouts, milestone by milestone (bookkeeping only: no money moves).' }
  }
  const parts = [`${c.stake} is at stake (${c.status}), going to ${RECIPIENT_WORDS[c.recipient_on_failure] ?? c.recipient_on_failure} if a milestone is missed; it runs until ${c.end_date}.`]
  const p = c.progress
  if (p) {
    parts.push(p.needed === 0
      ? `Milestone ${p.milestone} is covered: ${p.completed_sessions} of ${p.required_sessions} sessions done, deadline ${p.target_date}.`
      : `Milestone ${p.milestone}: ${p.completed_sessions} of ${p.required_sessions} sessions, ${p.needed} more needed by ${p.target_date} — ${count(p.days_left, 'day')} left.`)
  }
  return { answer: parts.join(' ') }
}

function introduce (turn: Turn, kind: 'greeting' | 'unknown'): Step {
  if (kind === 'unknown') {
    return { answer: `I can't do that. Here's what I can: log and correct workouts, check your progress, plan your week, pause for travel or illness, set reminders and your resolution. ${EXAMPLES}` }
  }
  const opening = "Hi! I'm your coach."
  const offer = 'Tell me a workout in a sentence ("did 30 min of yoga") and I\'ll log it; ask "how am I doing?" for your progress, "plan my week" for a plan, or tell me when you\'re low on energy, traveling or sick.'
  if (!turn.offered.has('getWorkoutHistory')) return { answer: `${opening} ${offer}` }
  const got = gather(turn, [history(7)], 'look at your week')
  if (!Array.isArray(got)) return got
  const week = read(got[0], HistoryData, HISTORY_FAILED)
  return { answer: 'answer' in week ? `${opening} ${week.answer} ${offer}` : `${opening} Where you stand: ${week.commitment.message} ${offer}` }
}

/** The most logged exercise; ties go to the alphabetically first, so answers are stable. */
function mostFrequent (breakdown: Record<string, number>): { type: string, count: number } | undefined {
  const [best] = Object.entries(breakdown).sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b))
  return best && { type: best[0], count: best[1] }
}
