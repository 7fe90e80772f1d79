import fc from 'fast-check'
import t from 'tap'
import { chooseIntervention, DEFAULT_ORDER, interventionScores, upperBound } from '../../src/drift/choose-intervention.js'
import type { InterventionOutcome, InterventionPreferences, InterventionType } from '../../src/drift/drift-types.js'
import { ALL_ALLOWED } from './engine-fixtures.js'

const outcomes = (type: InterventionType, helped: number, failed: number): InterventionOutcome[] => [
  ...Array.from({ length: helped }, (_, i) => ({ type, helped: true, at: `2026-02-${String(i + 1).padStart(2, '0')}T10:00:00Z` })),
  ...Array.from({ length: failed }, (_, i) => ({ type, helped: false, at: `2026-03-${String(i + 1).padStart(2, '0')}T10:00:00Z` }))
]
const only = (...types: InterventionType[]): InterventionPreferences =>
  ({ calendar: types.includes('calendar'), message: types.includes('message'), social: types.includes('social'), financial: types.includes('financial') })

t.test('no history: the documented default order, among the allowed types', async t => {
  t.same(chooseIntervention([], ALL_ALLOWED), {
    type: 'calendar',
    why: 'Block the next session in your calendar. No outcomes measured yet, so the gentlest allowed type comes first (calendar, message, social, financial).'
  })
  t.equal(chooseIntervention([], only('message', 'social', 'financial')).type, 'message')
  t.equal(chooseIntervention([], only('social', 'financial')).type, 'social')
  t.equal(chooseIntervention([], only('financial')).type, 'financial', 'the only type allowed')
  t.same(chooseIntervention([], only()), { type: 'none', why: 'No intervention type is allowed in your preferences.' })
  t.same(interventionScores([], ALL_ALLOWED).map(s => Math.round(100 * s.score)), [88, 84, 79, 68], 'the priors\' bounds')
})

t.test('never financial just because it is enabled', async t => {
  for (let mask = 1; mask < 16; mask++) {
    const prefs = only(...DEFAULT_ORDER.filter((_, i) => mask & (1 << i)))
    const gentler = DEFAULT_ORDER.filter(type => type !== 'financial' && prefs[type])
    if (gentler.length > 0) t.equal(chooseIntervention([], prefs).type, gentler[0], JSON.stringify(prefs))
  }
  // A lever that keeps helping keeps being chosen: no ever-growing exploration bonus.
  t.equal(chooseIntervention(outcomes('calendar', 30, 0), only('calendar', 'financial')).type, 'calendar')
})

t.test('measured outcomes decide, by a one-sigma upper bound', async t => {
  t.ok(Math.abs(upperBound(1.2, 0.8) - (0.6 + Math.sqrt(0.08))) < 1e-12)
  t.equal(chooseIntervention(outcomes('calendar', 3, 0), ALL_ALLOWED).type, 'calendar')
  const failedTwice = chooseIntervention(outcomes('calendar', 0, 2), ALL_ALLOWED)
  t.equal(failedTwice.type, 'message', 'calendar failed twice: the next gentlest, untried')
  t.equal(failedTwice.why, 'A reminder message before the session. It has not been tried yet, and its upper-confidence score is the best: ' +
    'calendar 0.50, message 0.84, social 0.79, financial 0.68.')
  const socialWorks = [...outcomes('calendar', 1, 3), ...outcomes('social', 3, 1)]
  t.match(chooseIntervention(socialWorks, ALL_ALLOWED), { type: 'social', why: /It has helped 3 of 4 times/ })
  const gentleFailed = [...outcomes('calendar', 0, 3), ...outcomes('message', 0, 3), ...outcomes('social', 0, 3)]
  t.equal(chooseIntervention(gentleFailed, ALL_ALLOWED).type, 'financial', 'stakes once the gentler levers measured to fail')
  t.equal(chooseIntervention(outcomes('message', 5, 0), only('calendar', 'social')).type, 'calendar', 'outcomes of types not allowed are ignored')
})

t.test('deterministic: the same history in any order gives the same answer', async t => {
  const arb = fc.record({
    history: fc.array(fc.record({ type: fc.constantFrom(...DEFAULT_ORDER), helped: fc.boolean(), at: fc.constant('2026-03-01T00:00:00Z') }), { maxLength: 30 }),
    prefs: fc.record({ calendar: fc.boolean(), message: fc.boolean(), social: fc.boolean(), financial: fc.boolean() })
  })
  fc.assert(fc.property(arb, ({ history, prefs }) => {
    const a = chooseIntervention(history, prefs)
    const b = chooseIntervention([...history].reverse(), prefs)
    return a.type === b.type && a.why === b.why && (a.type === 'none' ? !Object.values(prefs).some(Boolean) : prefs[a.type])
  }))
  t.pass('fast-check found no counterexample')
})
