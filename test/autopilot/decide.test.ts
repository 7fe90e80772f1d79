import t from 'tap'
import { beforeSession, bufferShort, commitmentDeadline, endOfDay, sessionDone, sessionNudge, type RunRecord } from '../../src/autopilot/decide.js'
import { detectPatterns } from '../../src/drift/detect-patterns.js'
import type { DriftReport, SafetyBuffer } from '../../src/drift/drift-types.js'
import { engineInput, onDays, planVersion, simulate, workout } from '../drift/engine-fixtures.js'

const ZONE = 'Europe/Berlin'

function report (partial: Partial<DriftReport> = {}): DriftReport {
  return {
    drift_detected: false,
    risk_score: 12,
    risk_level: 'low',
    confidence: 0.8,
    signals: [],
    habit_strength: 70,
    safety_buffer: { needed: 0, by: '2026-12-06', fails_on: null },
    recommended_intervention: { type: 'calendar', why: 'Block the next session in your calendar.' },
    reasoning: '',
    ...partial
  }
}

const wednesdays = { type: 'weekday_pattern' as const, severity: 'medium' as const, message: 'Missed 4 of the last 5 Wednesdays.', evidence: { weekday: 'wed', missed: 4, planned: 5, other_days_missed_pct: 10 } }
const standup = { summary: 'Team standup', start: '2026-12-02T05:00:00Z', end: '2026-12-02T05:30:00Z' }
const base = { minRisk: 'medium' as const, conflicts: [], sessionDate: '2026-12-02', weekday: 'wed' as const, alreadyNudged: null, timeZone: ZONE }

t.test('before a session: act when at risk, say why either way', async t => {
  t.same(beforeSession({ ...base, report: report({ risk_level: 'medium', risk_score: 45 }) }), {
    act: true, reasons: ['risk medium (45)'], why: 'the session of 2026-12-02 is at risk: risk medium (45)'
  }, 'medium risk, min_risk medium')
  t.same(beforeSession({ ...base, minRisk: 'high', report: report({ risk_level: 'medium', risk_score: 45 }) }), {
    act: false, reasons: [], why: 'risk medium (45) is below high and no conflict: nothing to do', skipped: 'not_at_risk'
  }, 'medium risk, min_risk high')
  t.same(beforeSession({ ...base, minRisk: 'high', report: report({ risk_level: 'high', risk_score: 81 }) }).act, true)
  t.same(beforeSession({ ...base, report: report(), conflicts: [standup] }), {
    act: true, reasons: ["clashes with 'Team standup' (06:00–06:30)"], why: "the session of 2026-12-02 is at risk: clashes with 'Team standup' (06:00–06:30)"
  }, 'low risk and a conflict: act, naming it in local time')
  t.same(beforeSession({ ...base, report: report() }), { act: false, reasons: [], why: 'risk low (12) and no conflict: nothing to do', skipped: 'not_at_risk' })
  t.same(beforeSession({ ...base, report: report({ signals: [wednesdays] }) }), {
    act: true, reasons: ['Wednesday is the day you keep missing (missed 4 of the last 5)'], why: 'the session of 2026-12-02 is at risk: Wednesday is the day you keep missing (missed 4 of the last 5)'
  }, 'the weekday the person keeps missing')
  t.equal(beforeSession({ ...base, weekday: 'fri', sessionDate: '2026-12-04', report: report({ signals: [wednesdays] }) }).act, false, 'another weekday\'s pattern does not count')
  t.same(beforeSession({ ...base, report: report({ risk_level: 'medium', risk_score: 50, signals: [{ ...wednesdays, evidence: { weekday: 'wed' } }] }), conflicts: [standup] }).reasons,
    ['risk medium (50)', "clashes with 'Team standup' (06:00–06:30)", 'Wednesday is the day you keep missing'], 'every reason, in order')
  const run: RunRecord = { checkpoint_id: 'before_session:2026-12-02', session_date: '2026-12-02', decision: 'acted', ran_at: '2026-12-02T04:00:00Z' }
  t.same(beforeSession({ ...base, report: report({ risk_level: 'high', risk_score: 90 }), alreadyNudged: run }), {
    act: false, reasons: ['risk high (90)'], why: 'already nudged for this session at 05:00: not again', skipped: 'already_nudged'
  })
})

t.test('before a session, from the drift engine itself', async t => {
  const consistent = detectPatterns(engineInput({ workouts: simulate(onDays('mon', 'wed', 'fri', 'sat')) }))
  const decision = beforeSession({ ...base, sessionDate: '2026-03-18', report: consistent })
  t.equal(decision.act, false, 'a consistent person is left alone')
  t.match(decision.why, /^risk low \(\d+\) and no conflict: nothing to do$/)
  const noMondays = detectPatterns(engineInput({ workouts: simulate(onDays('wed', 'fri', 'sat'), '2026-01-05', '2026-03-15'), today: '2026-03-16' }))
  const monday = beforeSession({ ...base, sessionDate: '2026-03-16', weekday: 'mon', report: noMondays })
  t.equal(monday.act, true)
  t.ok(monday.reasons.some(r => /^Monday is the day you keep missing \(missed \d of the last \d\)$/.test(r)), monday.reasons.join('; '))
})

t.test('the nudge of a session, across its two checkpoints', async t => {
  const runs: RunRecord[] = [
    { checkpoint_id: 'before_session:2026-12-02', session_date: '2026-12-02', decision: 'skipped' },
    { checkpoint_id: 'end_of_day:2026-12-02', session_date: '2026-12-02', decision: 'skipped' },
    { checkpoint_id: 'end_of_day:2026-12-04', session_date: '2026-12-04', decision: 'acted', ran_at: '2026-12-04T20:00:00Z' },
    { checkpoint_id: 'commitment_deadline:3:2026-12-06:2', session_date: '2026-12-04', decision: 'acted' },
    { checkpoint_id: 'before_session:2026-11-30', decision: 'skipped' }
  ]
  t.equal(sessionNudge(runs, '2026-12-02'), null, 'a skip is no nudge')
  t.equal(sessionNudge(runs, '2026-11-30'), null, 'nor is a late checkpoint')
  t.equal(sessionNudge(runs, '2026-12-04'), runs[2], 'the end-of-day nudge; a commitment reminder is not a session nudge')
  t.equal(sessionNudge([], '2026-12-04'), null)
  t.same(sessionNudge([{ checkpoint_id: 'before_session:2026-12-09', decision: 'acted' }], '2026-12-09'), { checkpoint_id: 'before_session:2026-12-09', decision: 'acted' }, 'the date read from the id')
})

t.test('whether the day\'s session happened', async t => {
  const plans = [planVersion({ min_minutes: 20 })]
  t.equal(sessionDone({ workouts: [workout('2026-03-18', 19)], plans, defaultStart: '2026-01-05', date: '2026-03-18' }), false, 'too short')
  t.equal(sessionDone({ workouts: [workout('2026-03-18', 20)], plans, defaultStart: '2026-01-05', date: '2026-03-18' }), true)
  t.equal(sessionDone({ workouts: [workout('2026-03-17', 60)], plans, defaultStart: '2026-01-05', date: '2026-03-18' }), false, 'another day')
  const late = [planVersion({ window_start: '22:00', window_end: '00:30' })]
  t.equal(sessionDone({ workouts: [workout('2026-03-19', 30, '00:15')], plans: late, defaultStart: '2026-01-05', date: '2026-03-18' }), true, 'after midnight, inside a window past midnight')
  t.equal(sessionDone({ workouts: [workout('2026-03-19', 30, '00:45')], plans: late, defaultStart: '2026-01-05', date: '2026-03-18' }), false)
  t.equal(sessionDone({ workouts: [workout('2026-01-01', 30)], plans, defaultStart: '2026-01-05', date: '2026-01-01' }), false, 'before any plan')
})

t.test('the safety buffer is short when the week gets tight', async t => {
  const today = '2026-12-02' // a Wednesday
  const buffer = (needed: number, fails_on: string | null): SafetyBuffer => ({ needed, by: '2026-12-06', fails_on })
  t.same(bufferShort(buffer(0, null), today), { short: false, why: "this week's target is met" })
  t.same(bufferShort(buffer(2, '2026-12-03'), today), { short: true, why: '2 sessions still needed by 2026-12-06: they only all fit if you start by 2026-12-03' })
  t.same(bufferShort(buffer(1, '2026-12-02'), today), { short: true, why: '1 session still needed by 2026-12-06: they only all fit if you start by 2026-12-02' })
  t.same(bufferShort(buffer(2, '2026-12-04'), today), { short: false, why: 'the 2 sessions still needed by 2026-12-06 all fit if you start by 2026-12-04' })
  t.same(bufferShort(buffer(3, '2026-11-30'), today), { short: true, why: '3 sessions still needed by 2026-12-06: they no longer all fit' })
  t.same(bufferShort(buffer(3, null), today), { short: true, why: '3 sessions still needed by 2026-12-06 and the week cannot hold them' })
  t.same(bufferShort(buffer(4, '2026-12-05'), today), { short: true, why: '4 sessions still needed by 2026-12-06 with 4 days left' }, 'two a day would fit them, but only by doubling up')
  t.same(bufferShort(buffer(1, '2026-12-06'), '2026-12-07'), { short: true, why: '1 session still needed by 2026-12-06: they no longer all fit' })
})

t.test('end of a planned day', async t => {
  const day = { sessionDate: '2026-12-02', today: '2026-12-02', timeZone: ZONE, alreadyNudged: null }
  const tight = report({ safety_buffer: { needed: 2, by: '2026-12-06', fails_on: '2026-12-03' } })
  t.same(endOfDay({ ...day, report: tight, sessionDone: false }), {
    act: true,
    reasons: ['no session on 2026-12-02', '2 sessions still needed by 2026-12-06: they only all fit if you start by 2026-12-03'],
    why: 'no session on 2026-12-02 and 2 sessions still needed by 2026-12-06: they only all fit if you start by 2026-12-03'
  })
  t.same(endOfDay({ ...day, report: tight, sessionDone: true }), { act: false, reasons: [], why: 'the session of 2026-12-02 happened: nothing to do', skipped: 'nothing_to_do' })
  t.same(endOfDay({ ...day, report: report({ safety_buffer: { needed: 2, by: '2026-12-06', fails_on: '2026-12-05' } }), sessionDone: false }), {
    act: false, reasons: ['no session on 2026-12-02'], why: 'no session on 2026-12-02, but the 2 sessions still needed by 2026-12-06 all fit if you start by 2026-12-05: no nudge', skipped: 'not_at_risk'
  }, 'skipped with room to spare')
  t.same(endOfDay({ ...day, report: report(), sessionDone: false }).why, "no session on 2026-12-02, but this week's target is met: no nudge")
  const nudged: RunRecord = { checkpoint_id: 'before_session:2026-12-02', session_date: '2026-12-02', decision: 'acted', ran_at: '2026-12-02T04:00:00Z' }
  t.same(endOfDay({ ...day, report: tight, sessionDone: false, alreadyNudged: nudged }), {
    act: false,
    reasons: ['no session on 2026-12-02', '2 sessions still needed by 2026-12-06: they only all fit if you start by 2026-12-03'],
    why: 'already nudged for this session at 05:00: not again',
    skipped: 'already_nudged'
  }, 'one autopilot nudge per session')
  t.equal(endOfDay({ ...day, report: tight, sessionDone: false, alreadyNudged: { checkpoint_id: 'before_session:2026-12-02', decision: 'acted' } }).why,
    'already nudged for this session (before_session:2026-12-02): not again', 'a run without its time')
})

t.test('commitment deadline', async t => {
  const progress = { milestone: 3, needed: 3, completed_sessions: 3, required_sessions: 6, target_date: '2026-12-06', days_left: 3 }
  t.same(commitmentDeadline({ progress, checkpoint: { milestone_index: 3, target_date: '2026-12-06' } }), {
    act: true, reasons: ['3 more sessions needed by 2026-12-06', '3 days left'], why: '3 of 6 sessions done: 3 more sessions needed by 2026-12-06, 3 days left'
  })
  t.same(commitmentDeadline({ progress: { ...progress, needed: 1, completed_sessions: 5, days_left: 1 } }).reasons, ['1 more session needed by 2026-12-06', '1 day left'])
  t.same(commitmentDeadline({ progress: null }), { act: false, reasons: [], why: 'no milestone pending: nothing to do', skipped: 'nothing_to_do' })
  t.same(commitmentDeadline({ progress: { ...progress, needed: 0, completed_sessions: 6 } }), { act: false, reasons: [], why: 'already met (6 of 6 sessions): nothing to do', skipped: 'nothing_to_do' })
  t.same(commitmentDeadline({ progress: { ...progress, milestone: 4 }, checkpoint: { milestone_index: 3 } }).why, 'milestone 3 is no longer the one pending (milestone 4 is): nothing to do')
  t.same(commitmentDeadline({ progress: { ...progress, target_date: '2026-12-13' }, checkpoint: { milestone_index: 3, target_date: '2026-12-06' } }).why,
    'the deadline moved from 2026-12-06 to 2026-12-13: that date has reminders of its own', 'a pause moved it')
})
