// InterventionStore: interventions oldest first (bounded by INTERVENTIONS_KEPT), changed in place
// by a `change` that may refuse by throwing.
import type { Test } from 'tap'
import { INTERVENTIONS_KEPT } from '../../../src/store/user-data.js'
import { at, givenAccount, intervention, Refused } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function interventionContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'interventions')

  clause('interventions come back oldest first, as given', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const written = [
      intervention(),
      intervention({ type: 'calendar', status: 'proposed', details: { start: at(60), end: at(90) }, trigger: { source: 'autopilot' }, risk: null, nudge_ids: [], deployed_at: null }),
      intervention({ type: 'financial', status: 'dismissed', decided_at: at(5), feedback: { helpful: false, at: at(6) } })
    ]
    for (const i of written) t.equal(await repo.addIntervention(id, i), true)
    t.same(await repo.listInterventions(id), written)
  })

  clause('updateIntervention changes that one and returns it; an unknown id is null', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const other = await givenAccount(repo)
    const [a, b] = [intervention({ status: 'proposed', deployed_at: null }), intervention()]
    await repo.addIntervention(id, a)
    await repo.addIntervention(id, b)
    const deployed = { ...a, status: 'deployed' as const, deployed_at: at(2), decided_at: at(2) }
    t.same(await repo.updateIntervention(id, a.intervention_id, i => { i.status = 'deployed'; i.deployed_at = at(2); i.decided_at = at(2) }), deployed)
    t.same(await repo.listInterventions(id), [deployed, b])
    let called = false
    t.equal(await repo.updateIntervention(id, 'no-such-id', () => { called = true }), null)
    t.equal(await repo.updateIntervention(other.id, a.intervention_id, () => { called = true }), null, 'not another user\'s')
    t.equal(called, false)
  })

  clause('updateIntervention: a change that throws changes nothing and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const stored = intervention({ status: 'proposed', deployed_at: null })
    await repo.addIntervention(id, stored)
    const err = new Refused()
    await t.rejects(repo.updateIntervention(id, stored.intervention_id, i => { i.status = 'dismissed'; throw err }), err)
    t.same(await repo.listInterventions(id), [stored])
  })

  clause('two concurrent confirmations: each change sees the other\'s result (no lost update)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const stored = intervention({ nudge_ids: [] })
    await repo.addIntervention(id, stored)
    await Promise.all(['n1', 'n2', 'n3'].map(n => repo.updateIntervention(id, stored.intervention_id, i => { i.nudge_ids.push(n) })))
    t.same([...(await repo.listInterventions(id))[0].nudge_ids].sort(), ['n1', 'n2', 'n3'])
  })

  clause(`the newest ${INTERVENTIONS_KEPT} interventions are kept`, async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const oldest = intervention({ message: 'oldest' })
    await repo.addIntervention(id, oldest)
    await Promise.all(Array.from({ length: INTERVENTIONS_KEPT - 1 }, () => repo.addIntervention(id, intervention())))
    const newest = intervention({ message: 'newest' })
    await repo.addIntervention(id, newest)
    const kept = await repo.listInterventions(id)
    t.equal(kept.length, INTERVENTIONS_KEPT)
    t.notOk(kept.some(i => i.intervention_id === oldest.intervention_id), 'the oldest went')
    t.same(kept.at(-1), newest)
  })
}
