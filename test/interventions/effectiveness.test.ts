import t from 'tap'
import { chooseIntervention } from '../../src/drift/choose-intervention.js'
import type { InterventionType } from '../../src/drift/drift-types.js'
import { effectiveness, INTERVENTION_TYPES, toDriftOutcomes, type JudgedForEffectiveness } from '../../src/interventions/effectiveness.js'
import type { Outcome } from '../../src/interventions/outcomes.js'

const judged = (type: InterventionType, outcome: Outcome, ...channels: string[]): JudgedForEffectiveness => ({ type, outcome, channels })
const PRIOR = { trials: 0, successes: 0, failures: 0, pending: 0, rate: 0.5, alpha: 1, beta: 1 }

t.test('no data: every type is there, at the prior\'s 0.5', async t => {
  const empty = effectiveness([])
  t.same(Object.keys(empty.by_type).sort(), ['calendar', 'financial', 'message', 'social'])
  for (const type of INTERVENTION_TYPES) t.same(empty.by_type[type], PRIOR, type)
  t.same(empty.by_channel, {})
})

t.test('mixed outcomes: counts, and the posterior mean as the rate', async t => {
  const result = effectiveness([
    judged('message', 'success', 'push'), judged('message', 'success', 'push'), judged('message', 'failed', 'email'),
    judged('message', 'pending', 'push'), judged('calendar', 'success'), judged('social', 'failed', 'sms'), judged('social', 'failed', 'sms')
  ])
  t.same(result.by_type.message, { trials: 3, successes: 2, failures: 1, pending: 1, rate: 0.6, alpha: 3, beta: 2 })
  t.same(result.by_type.calendar, { trials: 1, successes: 1, failures: 0, pending: 0, rate: 0.667, alpha: 2, beta: 1 }, 'one of one is not 100 %')
  t.same(result.by_type.social, { trials: 2, successes: 0, failures: 2, pending: 0, rate: 0.25, alpha: 1, beta: 3 }, 'nor is none of two 0 %')
  t.same(result.by_type.financial, PRIOR, 'untried')
  t.same(result.by_channel, {
    email: { trials: 1, successes: 0, failures: 1, pending: 0, rate: 0.333, alpha: 1, beta: 2 },
    push: { trials: 2, successes: 2, failures: 0, pending: 1, rate: 0.75, alpha: 3, beta: 1 },
    sms: { trials: 2, successes: 0, failures: 2, pending: 0, rate: 0.25, alpha: 1, beta: 3 }
  }, 'a calendar block with no channel counts on no channel')
  t.same(Object.keys(result.by_channel), ['email', 'push', 'sms'], 'in a stable order')
  // Rates round to three decimals: 8 of 9 → 9/11.
  const many = effectiveness(Array.from({ length: 9 }, (_, i) => judged('message', i < 8 ? 'success' : 'failed')))
  t.equal(many.by_type.message.rate, 0.818)
})

t.test('an intervention sent on two channels counts once on each', async t => {
  const result = effectiveness([judged('message', 'success', 'push', 'email'), judged('social', 'failed', 'email', 'email')])
  t.same(result.by_channel.push, { trials: 1, successes: 1, failures: 0, pending: 0, rate: 0.667, alpha: 2, beta: 1 })
  t.same(result.by_channel.email, { trials: 2, successes: 1, failures: 1, pending: 0, rate: 0.5, alpha: 2, beta: 2 }, 'a channel listed twice is one use')
  t.equal(result.by_type.message.trials, 1, 'and once for its type')
})

t.test('superseded outcomes are not counted at all', async t => {
  const result = effectiveness([judged('calendar', 'superseded', 'calendar_feed'), judged('calendar', 'superseded'), judged('message', 'success', 'push')])
  t.same(result.by_type.calendar, PRIOR)
  t.same(Object.keys(result.by_channel), ['push'], 'a channel only superseded ones used is not listed')
})

t.test('a channel named like an Object property is just a key', async t => {
  const result = effectiveness([judged('message', 'success', '__proto__'), judged('message', 'failed', 'constructor')])
  t.same(Object.keys(result.by_channel), ['__proto__', 'constructor'])
  t.equal(result.by_channel.__proto__.successes, 1)
})

t.test('toDriftOutcomes: what the drift engine learns from', async t => {
  const outcomes = toDriftOutcomes([
    { type: 'calendar', outcome: 'success', outcome_at: '2026-03-10T17:30:00.000Z' },
    { type: 'message', outcome: 'failed', outcome_at: '2026-03-11T08:00:00.000Z' },
    { type: 'message', outcome: 'pending', outcome_at: null },
    { type: 'social', outcome: 'superseded', outcome_at: '2026-03-10T17:30:00.000Z' },
    { type: 'financial', outcome: 'success', outcome_at: null }
  ])
  t.same(outcomes, [
    { type: 'calendar', helped: true, at: '2026-03-10T17:30:00.000Z' },
    { type: 'message', helped: false, at: '2026-03-11T08:00:00.000Z' }
  ])
  t.same(toDriftOutcomes([]), [])
  // The engine then steers away from what failed: calendar twice failed → the next gentlest.
  const failedTwice = toDriftOutcomes([
    { type: 'calendar', outcome: 'failed', outcome_at: '2026-03-01T00:00:00.000Z' },
    { type: 'calendar', outcome: 'failed', outcome_at: '2026-03-02T00:00:00.000Z' }
  ])
  t.equal(chooseIntervention(failedTwice, { calendar: true, message: true, social: true, financial: true }).type, 'message')
})
