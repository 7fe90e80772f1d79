// The autopilot: takes each person's due checkpoint from the store's due-time queue (one entry per
// person: their NEXT checkpoint), decides from the drift engine's facts whether acting helps, acts
// through the same interventions and nudges as everyone else (consent, quiet hours, the daily cap,
// a dedupe key per checkpoint so a retried checkpoint never sends twice), records the run with its
// reason either way, and queues the person's next checkpoint. A checkpoint that comes too late
// (the service was down) is recorded as skipped: "late" — never a burst of stale nudges.
import { randomUUID } from 'node:crypto'
import { analyzeCalendar } from '../calendar/calendars.js'
import { currentCommitment } from '../commitments/commitments.js'
import { gatherEngineInput } from '../drift/gather-engine-input.js'
import { planOn, planTimeline } from '../drift/plan-versions.js'
import { detectPatterns } from '../drift/detect-patterns.js'
import type { DriftReport } from '../drift/drift-types.js'
import { createIntervention, listInterventions, stakeReminder } from '../interventions/interventions.js'
import type { InterventionBody } from '../interventions/intervention-schemas.js'
import { usableChannels } from '../nudges/channels.js'
import type { Channel } from '../nudges/channel-schemas.js'
import { sendNudge } from '../nudges/nudges.js'
import type { Outreach } from '../nudges/outreach.js'
import { DEFAULT_PREFERENCES, WEEKDAYS } from '../plans/plan-schemas.js'
import { DomainError } from '../shared/domain-errors.js'
import { isoWeekday, localDate } from '../shared/local-time.js'
import type { Repository } from '../store/repository.js'
import { DEFAULT_AUTOPILOT, type AutopilotRun, type AutopilotSettings, type QueuedCheckpoint } from './autopilot-schemas.js'
import { stillUseful, upcomingCheckpoints, type Checkpoint } from './checkpoints.js'
import { autopilotInterventionType } from './choose-type.js'
import { beforeSession, commitmentDeadline, endOfDay, sessionDone, sessionNudge, type Decision } from './decide.js'
import type { PhraseMessage } from './phrase-message.js'
import { beforeSessionMessage, commitmentDeadlineMessage, endOfDayMessage, weeklyDigestMessage } from './messages.js'

/** How far ahead the next checkpoint is looked for; with none in it, a `recheck` is queued there. */
const HORIZON_MS = 8 * 86_400_000
const BATCH = 100
const LEASE_MS = 5 * 60_000
const RETRY_MS = 5 * 60_000
/** checkpoints run at once within a tick */
const CONCURRENCY = 16

export interface AutopilotDeps {
  repo: Repository
  outreach: Outreach
  outcomeWindowHours: number
  log: { error (obj: object, msg: string): void }
  /** re-phrases a written message with a language model (absent: the written message goes out) */
  phrase?: PhraseMessage
}

interface Action {
  decision: Decision
  body?: InterventionBody
  /** where the message goes (default: the channels in the settings) */
  channels?: Channel[]
  note?: string
  /** what the person is sent about a proposal that is not theirs to read (a message to their buddy) */
  ask?: string
}

export class AutopilotRunner {
  constructor (private readonly deps: AutopilotDeps) {}

  /** Queues the person's next checkpoint due at or after `fromMs` (none while the autopilot is off). */
  async reschedule (userId: string, fromMs: number): Promise<void> {
    const { repo } = this.deps
    const account = await repo.getAccount(userId)
    const settings = account ? (await repo.getAutopilotSettings(userId)) ?? DEFAULT_AUTOPILOT : null
    if (!account || !settings?.enabled) {
      if (await repo.getQueuedCheckpoint(userId) !== null) await repo.scheduleCheckpoint(userId, null)
      return
    }
    const [plans, pauses, commitments] = await Promise.all([repo.listPlans(userId), repo.listPauses(userId), repo.listCommitments(userId)])
    const open = commitments.find(c => c.status === 'active' || c.status === 'scheduled')
    const [next] = upcomingCheckpoints({
      plans: [...plans],
      defaultStart: localDate(new Date(account.created_at), account.timezone),
      pauses,
      timeZone: account.timezone,
      settings,
      milestones: open ? open.milestones : null,
      fromMs,
      toMs: fromMs + HORIZON_MS
    })
    const queued = await repo.getQueuedCheckpoint(userId)
    // Most changes (a workout logged) leave the next checkpoint where it was: no write then. A
    // recheck is only moved when there is now something real to queue.
    if (next) {
      if (queued?.checkpoint_id !== next.checkpoint_id || queued.due_at !== next.due_at) await repo.scheduleCheckpoint(userId, next)
    } else if (queued === null || queued.kind !== 'recheck') {
      await repo.scheduleCheckpoint(userId, { checkpoint_id: `recheck:${fromMs + HORIZON_MS}`, kind: 'recheck', due_at: new Date(fromMs + HORIZON_MS).toISOString() })
    }
  }

  /** Runs every checkpoint due at `nowMs` (the clock is the caller's: tests pass their own). */
  async tick (nowMs: number): Promise<number> {
    let ran = 0
    for (;;) {
      const due = await this.deps.repo.claimDueCheckpoints(nowMs, BATCH, LEASE_MS)
      if (due.length === 0) return ran
      // One entry per person, so the checkpoints of a batch touch different files: run several at
      // once (their durable writes then overlap instead of queueing one behind the other).
      let next = 0
      const worker = async () => {
        while (next < due.length) {
          const { user_id: userId, checkpoint } = due[next++]
          try {
            await this.run(userId, checkpoint, nowMs)
          } catch (err) {
            // Left to be tried again; the checkpoint's dedupe key keeps a retry from sending twice.
            this.deps.log.error({ err, user_id: userId, checkpoint: checkpoint.checkpoint_id }, 'autopilot checkpoint failed')
            await this.deps.repo.scheduleCheckpoint(userId, { ...checkpoint, due_at: new Date(nowMs + RETRY_MS).toISOString() })
          }
          ran++
        }
      }
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker))
    }
  }

  private async run (userId: string, queued: QueuedCheckpoint, nowMs: number): Promise<void> {
    const { repo } = this.deps
    const after = Math.max(nowMs, Date.parse(queued.due_at)) + 1
    if (queued.kind === 'recheck') {
      // The recheck is done: clear it, so looking again queues a fresh one (or a real checkpoint).
      await repo.scheduleCheckpoint(userId, null)
      return this.reschedule(userId, after)
    }
    const account = await repo.getAccount(userId)
    if (!account) return repo.scheduleCheckpoint(userId, null)
    const settings = (await repo.getAutopilotSettings(userId)) ?? DEFAULT_AUTOPILOT
    if (!settings.enabled) return repo.scheduleCheckpoint(userId, null)
    const checkpoint = queued as Checkpoint
    const now = new Date(nowMs)
    const base = {
      run_id: `r_${randomUUID()}`,
      checkpoint: checkpoint.kind,
      checkpoint_id: checkpoint.checkpoint_id,
      ...(checkpoint.session_date ? { session_date: checkpoint.session_date } : {}),
      scheduled_for: checkpoint.due_at,
      ran_at: now.toISOString()
    }
    const useful = stillUseful(checkpoint, nowMs)
    if (useful !== true) {
      await repo.addAutopilotRun(userId, { ...base, risk: null, decision: 'skipped', skipped: 'late', why: `late: ${useful.late}` })
      return this.reschedule(userId, after)
    }
    const input = await gatherEngineInput(repo, userId, now, this.deps.outcomeWindowHours)
    const report = detectPatterns(input)
    const risk = { risk_level: report.risk_level, risk_score: report.risk_score, signals: report.signals.map(s => s.type) }
    const action = await this.decide(userId, account.timezone, checkpoint, settings, report, input, now)
    let run: AutopilotRun
    if (!action.decision.act || !action.body) {
      run = { ...base, risk, decision: 'skipped', skipped: action.decision.skipped ?? 'nothing_to_do', why: action.decision.why }
    } else {
      // Only channels still set up and confirmed (one may have opted out since it was chosen).
      const usable = usableChannels(await repo.getChannels(userId), this.deps.outreach)
      const channels = (action.channels ?? settings.channels).filter(c => usable.includes(c))
      const dedupeKey = `autopilot:${checkpoint.checkpoint_id}`
      if (this.deps.phrase && action.body.message) {
        const written = action.body.message
        action.body = { ...action.body, message: await this.deps.phrase({ kind: checkpoint.kind, written, facts: { ...risk, session_date: checkpoint.session_date ?? null, reasons: action.decision.reasons } }) }
      }
      try {
        const intervention = await createIntervention(this.deps.outreach, userId, action.body, { source: 'autopilot' }, now, { channels, dedupeKey, risk })
        // A proposed block waits for consent; the nudge naming it goes out now, carrying its id.
        if (intervention.status === 'proposed') {
          for (const channel of channels) {
            await sendNudge(this.deps.outreach, userId, { message: action.ask ?? intervention.message, channel, dedupe_key: `${dedupeKey}:${channel}` },
              { source: 'autopilot', intervention_id: intervention.intervention_id }, now)
          }
        }
        run = { ...base, risk, decision: 'acted', why: [action.decision.why, action.note].filter(Boolean).join('; '), intervention_id: intervention.intervention_id }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err
        // Refused by a guard rail (the daily cap, a channel gone): recorded, not retried.
        run = { ...base, risk, decision: 'skipped', skipped: 'refused', why: [`${action.decision.why}, but refused: ${err.message}`, action.note].filter(Boolean).join('; ') }
      }
    }
    await repo.addAutopilotRun(userId, run)
    await this.reschedule(userId, after)
  }

  private async decide (userId: string, timeZone: string, cp: Checkpoint, settings: AutopilotSettings, report: DriftReport,
    input: Awaited<ReturnType<typeof gatherEngineInput>>, now: Date): Promise<Action> {
    const { repo, outreach } = this.deps
    const runs = await repo.listAutopilotRuns(userId)
    const nowMs = now.getTime()
    switch (cp.kind) {
      case 'before_session': {
        const analysis = await analyzeCalendar(repo, userId, 0, 2, now)
        const conflicts = analysis.conflicts.filter(c => c.session.date === cp.session_date).map(c => c.event)
        const weekday = WEEKDAYS[isoWeekday(cp.session_date!)]
        const decision = beforeSession({ report, minRisk: settings.min_risk, conflicts, sessionDate: cp.session_date!, weekday, alreadyNudged: sessionNudge(runs, cp.session_date!), timeZone })
        if (!decision.act) return { decision }
        // The concrete way out: the first free time from now (the session's own window when it is free).
        const freeSlot = analysis.free_slots.find(s => Date.parse(s.end) > nowMs) ?? null
        const pattern = report.signals.find(s => s.type === 'weekday_pattern' && s.evidence.weekday === weekday)
        const message = beforeSessionMessage({
          timeZone, nowMs, session: { start: cp.window_start!, end: cp.window_end! }, conflicts, missedWeekday: pattern ? weekday : null,
          risk: { level: report.risk_level, signals: report.signals }, freeSlot
        })
        const chosen = await this.chooseType(userId, report, now)
        // A block where the calendar offers one (proposed: the person confirms it); otherwise the
        // nudge itself. Types needing a buddy or a stake fall back to the nudge.
        // A clash asks for a block whatever the recommendation (if blocks are allowed at all).
        const preferences = (await repo.getPreferences(userId)) ?? DEFAULT_PREFERENCES
        const block = freeSlot && preferences.interventions.calendar && (chosen.type === 'calendar' || conflicts.length > 0)
        if (block) {
          return { decision, body: { type: 'calendar', message, details: { start: new Date(Math.max(Date.parse(freeSlot.start), nowMs)).toISOString() } }, note: chosen.note }
        }
        // The stake, when that is what works for this person and there is one to remind them of.
        if (chosen.type === 'financial' && preferences.interventions.financial) {
          const current = await currentCommitment(repo, userId, now).catch(() => null)
          if (current) return { decision, body: { type: 'financial', message: `${message} ${stakeReminder(current)}` }, note: chosen.note }
        }
        // The buddy: proposed (a message to someone else waits for the person's yes); the nudge
        // to the person names the way out and asks.
        if (chosen.type === 'social' && preferences.interventions.social) {
          const buddy = await repo.getBuddy(userId)
          if (buddy?.status === 'confirmed') {
            return { decision, body: { type: 'social' }, note: chosen.note, ask: `${message} ${buddy.name} could send you a word of encouragement — confirm to ask them.` }
          }
        }
        const fellBack = chosen.type === 'social' || chosen.type === 'financial'
          ? `${chosen.type} was recommended but ${chosen.type === 'social' ? 'no confirmed buddy is set or social interventions are off' : 'there is no open commitment or financial interventions are off'}: a message instead`
          : null
        return { decision, body: { type: 'message', message }, note: [chosen.note, fellBack].filter(Boolean).join('; ') || undefined }
      }
      case 'end_of_day': {
        const today = localDate(now, timeZone)
        const done = sessionDone({ workouts: input.workouts, plans: input.plans, defaultStart: input.defaultStart, date: cp.session_date! })
        const decision = endOfDay({ report, sessionDone: done, alreadyNudged: sessionNudge(runs, cp.session_date!), sessionDate: cp.session_date!, today, timeZone })
        if (!decision.act) return { decision }
        const analysis = await analyzeCalendar(repo, userId, 0, 7, now)
        const message = endOfDayMessage({ timeZone, nowMs, sessionDate: cp.session_date!, buffer: report.safety_buffer, freeSlots: analysis.free_slots })
        return { decision, body: { type: 'message', message } }
      }
      case 'commitment_deadline': {
        const current = await currentCommitment(repo, userId, now).catch(() => null)
        const decision = commitmentDeadline({ progress: current?.progress ?? null, checkpoint: { milestone_index: cp.milestone_index, target_date: cp.target_date } })
        if (!decision.act || !current?.progress) return { decision }
        const message = commitmentDeadlineMessage({ stake: { amount: current.stake_amount, currency: current.currency }, progress: current.progress })
        return { decision, body: { type: 'message', message } }
      }
      case 'weekly_digest': {
        const weekOutcomes = (await listInterventions(outreach, userId, now))
          .filter(i => (i.outcome === 'success' || i.outcome === 'failed') && i.outcome_at !== null && nowMs - Date.parse(i.outcome_at) < 7 * 86_400_000)
          .map(i => ({ type: i.type, helped: i.outcome === 'success' }))
        const previous = [...runs].reverse().find(r => r.checkpoint === 'weekly_digest' && r.decision === 'acted')
        const analysis = await analyzeCalendar(repo, userId, 0, 8, now)
        const nextMonday = cp.week_start ? new Date(Date.parse(cp.due_at) + 6 * 3_600_000) : now
        const nextWeek = analysis.sessions.filter(s => Date.parse(s.start) > nextMonday.getTime() && s.status !== 'paused').slice(0, 7)
        // The plan that applies this week (a change for next week must not move this week's target).
        const target = planOn(planTimeline(input.plans, input.defaultStart), localDate(now, timeZone))?.sessions_per_week ?? 4
        const message = weeklyDigestMessage({
          timeZone,
          sessions: { done: Math.max(0, target - report.safety_buffer.needed), target },
          habit: { strength: report.habit_strength, previous: previous ? digestStrength(previous.why) : null },
          outcomes: weekOutcomes,
          nextWeek: nextWeek.map(s => ({ start: s.start, end: s.end })),
          conflicts: analysis.calendar ? analysis.conflicts.filter(c => nextWeek.some(s => s.date === c.session.date)).map(c => ({ session_start: c.session.start, summary: c.event.summary })) : null
        })
        // The digest always lands in the inbox; by email only when the person chose email.
        const channels: Channel[] = settings.channels.includes('email') ? ['in_app', 'email'] : ['in_app']
        return { decision: { act: true, reasons: [], why: `weekly digest: habit strength ${report.habit_strength}` }, body: { type: 'message', message }, channels }
      }
    }
  }

  /** The recommended type, switched when the autopilot's last three all failed. */
  private async chooseType (userId: string, report: DriftReport, now: Date) {
    const { repo, outreach } = this.deps
    const preferences = (await repo.getPreferences(userId)) ?? DEFAULT_PREFERENCES
    const mine = (await listInterventions(outreach, userId, now)).filter(i => i.trigger.source === 'autopilot')
    return autopilotInterventionType({ recommended: report.recommended_intervention.type, allowed: preferences.interventions, recentAutopilot: mine.map(i => ({ type: i.type, outcome: i.outcome })) })
  }
}

/** The habit strength a digest run recorded in its `why` (what "its change" is measured from). */
function digestStrength (why: string): number | null {
  const match = /habit strength (\d+)/.exec(why)
  return match ? Number(match[1]) : null
}

