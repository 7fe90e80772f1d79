import t from 'tap'
import { autopilotInterventionType, type RecentAutopilotIntervention } from '../../src/autopilot/choose-type.js'
import type { InterventionType } from '../../src/drift/drift-types.js'

const ALL = { calendar: true, message: true, social: true, financial: true }
const GENTLE = { calendar: true, message: true, social: true, financial: false }
const times = (n: number, type: InterventionType, outcome: string): RecentAutopilotIntervention[] => Array.from({ length: n }, () => ({ type, outcome }))

t.test('the recommendation, while it has not failed three times running', async t => {
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: GENTLE, recentAutopilot: [] }), { type: 'calendar' })
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: GENTLE, recentAutopilot: times(2, 'calendar', 'failed') }), { type: 'calendar' }, 'two failures are not yet three')
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: GENTLE, recentAutopilot: [...times(2, 'calendar', 'failed'), { type: 'calendar', outcome: 'success' }, ...times(3, 'calendar', 'failed')] }),
    { type: 'calendar' }, 'only the newest three count')
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: GENTLE, recentAutopilot: [{ type: 'calendar', outcome: 'pending' }, ...times(3, 'calendar', 'failed')] }),
    { type: 'calendar' }, 'a pending outcome is not a failure')
  t.same(autopilotInterventionType({ recommended: 'message', allowed: GENTLE, recentAutopilot: times(3, 'calendar', 'failed') }), { type: 'message' }, 'the recommendation already moved on')
  t.same(autopilotInterventionType({ recommended: 'none', allowed: ALL, recentAutopilot: [] }), { type: 'none' })
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: { calendar: false, message: false, social: false, financial: false }, recentAutopilot: [] }), { type: 'none' })
})

t.test('three failures in a row: the next type in the recommendation order, among the allowed ones', async t => {
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: GENTLE, recentAutopilot: times(3, 'calendar', 'failed') }), {
    type: 'message',
    note: 'the last 3 autopilot interventions (calendar, calendar, calendar) all failed: switching from calendar to message'
  })
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: { calendar: true, message: false, social: true, financial: true }, recentAutopilot: times(3, 'calendar', 'failed') }).type,
    'social', 'message not allowed: social')
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: GENTLE, recentAutopilot: [{ type: 'calendar', outcome: 'failed' }, { type: 'message', outcome: 'failed' }, { type: 'calendar', outcome: 'failed' }] }), {
    type: 'social',
    note: 'the last 3 autopilot interventions (calendar, message, calendar) all failed: switching from calendar to social'
  }, 'every failing type is skipped')
  t.same(autopilotInterventionType({ recommended: 'social', allowed: GENTLE, recentAutopilot: times(3, 'social', 'failed') }).type, 'calendar', 'the order wraps round; financial is not allowed')
  t.same(autopilotInterventionType({ recommended: 'social', allowed: ALL, recentAutopilot: times(3, 'social', 'failed') }).type, 'financial', 'financial only when allowed')
  t.same(autopilotInterventionType({ recommended: 'calendar', allowed: { calendar: true, message: false, social: false, financial: false }, recentAutopilot: times(3, 'calendar', 'failed') }), {
    type: 'calendar',
    note: 'the last 3 autopilot interventions (calendar, calendar, calendar) all failed, but no other allowed type is left to try: still calendar'
  })
})

t.test('a recommendation the preferences no longer allow', async t => {
  t.same(autopilotInterventionType({ recommended: 'financial', allowed: GENTLE, recentAutopilot: [] }), { type: 'calendar', note: 'financial is not allowed, so calendar' })
  t.same(autopilotInterventionType({ recommended: 'financial', allowed: GENTLE, recentAutopilot: times(3, 'calendar', 'failed') }), {
    type: 'message',
    note: 'financial is not allowed, so calendar; the last 3 autopilot interventions (calendar, calendar, calendar) all failed: switching from calendar to message'
  })
})
