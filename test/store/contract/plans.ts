// PlanStore: plan versions in the order stored, pauses added only past a conflict check made in the
// same transaction (two overlapping requests cannot both get in), preferences over the defaults.
import type { Test } from 'tap'
import { DEFAULT_PREFERENCES, type Pause, type Preferences } from '../../../src/plans/plan-schemas.js'
import { givenAccount, overlapping, pause, plan, Refused } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function planContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'plans')

  clause('plan versions come back in the order stored (not by start_date)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const versions = [plan({ start_date: '2026-04-01' }), plan({ start_date: '2026-03-01', sessions_per_week: 3, weekdays: ['tue', 'thu', 'sat'] }), plan({ start_date: '2026-04-01', end_date: '2026-06-30' })]
    for (const v of versions) t.equal(await repo.addPlan(id, v), true)
    t.same(await repo.listPlans(id), versions)
  })

  clause('addPause: the conflict check sees the stored pauses; a clash is returned and nothing added', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const first = pause({ start_date: '2026-03-10', end_date: '2026-03-12' })
    let seen: Pause[] | undefined
    t.same(await repo.addPause(id, first, existing => { seen = structuredClone([...existing]); return undefined }), { added: true })
    t.same(seen, [], 'nothing stored yet')
    const clashing = pause({ start_date: '2026-03-12', end_date: '2026-03-15' })
    t.same(await repo.addPause(id, clashing, existing => { seen = structuredClone([...existing]); return overlapping(clashing)(existing) }), { conflict: first })
    t.same(seen, [first])
    const later = pause({ start_date: '2026-03-13', end_date: '2026-03-15', reason: undefined })
    delete later.reason
    t.same(await repo.addPause(id, later, overlapping(later)), { added: true })
    t.same(await repo.listPauses(id), [first, later])
  })

  clause('two overlapping addPause calls started together: exactly one gets in', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const a = pause({ start_date: '2026-03-10', end_date: '2026-03-14' })
    const b = pause({ start_date: '2026-03-12', end_date: '2026-03-20' })
    const results = await Promise.all([repo.addPause(id, a, overlapping(a)), repo.addPause(id, b, overlapping(b))])
    t.equal(results.filter(r => r !== null && 'added' in r).length, 1, JSON.stringify(results))
    const stored = await repo.listPauses(id)
    t.equal(stored.length, 1)
    const loser = results.find(r => r !== null && 'conflict' in r)
    t.same(loser, { conflict: stored[0] }, 'the other is told which pause it clashes with')
  })

  clause('many concurrent addPause calls on separate days all get in', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const pauses = Array.from({ length: 8 }, (_, i) => pause({ start_date: `2026-04-${String(i * 2 + 1).padStart(2, '0')}`, end_date: `2026-04-${String(i * 2 + 1).padStart(2, '0')}` }))
    const results = await Promise.all(pauses.map(p => repo.addPause(id, p, overlapping(p))))
    t.ok(results.every(r => r !== null && 'added' in r))
    t.equal((await repo.listPauses(id)).length, 8)
  })

  clause('deletePause removes that pause only; false when there is no such pause', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const other = await givenAccount(repo)
    const [a, b] = [pause({ start_date: '2026-03-01', end_date: '2026-03-02' }), pause({ start_date: '2026-03-05', end_date: '2026-03-06' })]
    await repo.addPause(id, a, overlapping(a))
    await repo.addPause(id, b, overlapping(b))
    t.equal(await repo.deletePause(other.id, a.pause_id), false, 'not another user\'s pause')
    t.equal(await repo.deletePause(id, a.pause_id), true)
    t.equal(await repo.deletePause(id, a.pause_id), false, 'already gone')
    t.equal(await repo.deletePause(id, 'p_missing'), false)
    t.same(await repo.listPauses(id), [b])
  })

  clause('preferences: null until set; the first change starts from the defaults', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.equal(await repo.getPreferences(id), null)
    let seen: Preferences | undefined
    const updated = await repo.updatePreferences(id, current => {
      seen = structuredClone(current)
      return { interventions: { ...current.interventions, financial: true } }
    })
    t.same(seen, DEFAULT_PREFERENCES)
    const expected = { interventions: { ...DEFAULT_PREFERENCES.interventions, financial: true } }
    t.same(updated, expected)
    t.same(await repo.getPreferences(id), expected)
    await repo.updatePreferences(id, current => { seen = structuredClone(current); return { interventions: { ...current.interventions, social: true } } })
    t.same(seen, expected, 'a later change starts from what is stored')
    t.same(await repo.getPreferences(id), { interventions: { ...expected.interventions, social: true } })
  })

  clause('updatePreferences: a change that throws (even after mutating its argument) changes nothing', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const stored = await repo.updatePreferences(id, () => ({ interventions: { calendar: false, message: true, financial: false, social: false } }))
    const err = new Refused()
    await t.rejects(repo.updatePreferences(id, current => { current.interventions.calendar = true; throw err }), err)
    t.same(await repo.getPreferences(id), stored)
    // The default stays the default: a refused first change stores nothing.
    const fresh = await givenAccount(repo)
    await t.rejects(repo.updatePreferences(fresh.id, () => { throw err }), err)
    t.equal(await repo.getPreferences(fresh.id), null)
  })
}
