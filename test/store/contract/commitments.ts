// CommitmentStore: commitments oldest first, each with an append-only audit trail; one at a time
// (the conflict check runs in the adding transaction); changes append their audit entries in the
// same write; and the due-work queue of the next judgements (one entry per user).
import type { Test } from 'tap'
import type { CommitmentRecord } from '../../../src/commitments/commitment-state.js'
import { atMs, auditEntry, commitmentStep, givenAccount, openOne, Refused } from './fixtures.js'
import { dueWorkContract } from './due-work.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

const none = () => undefined

export function commitmentContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'commitments')

  clause('addCommitment stores the commitment and its audit entries; listed oldest first', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const first = commitmentStep()
    t.ok(first.audit.length >= 1, 'the domain writes a created entry')
    t.same(await repo.addCommitment(id, first, none), { added: true })
    const cancelled: CommitmentRecord = { ...first.commitment, status: 'cancelled' }
    await repo.updateCommitment(id, first.commitment.commitment_id, () => ({ commitment: cancelled, audit: [] }))
    const second = commitmentStep('2026-04-06')
    t.same(await repo.addCommitment(id, second, openOne), { added: true })
    t.same(await repo.listCommitments(id), [cancelled, second.commitment])
    t.same(await repo.listCommitmentAudit(id, first.commitment.commitment_id), first.audit)
    t.same(await repo.listCommitmentAudit(id, second.commitment.commitment_id), second.audit)
  })

  clause('addCommitment: the conflict check sees the stored commitments; a clash is returned, nothing added', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const first = commitmentStep()
    let seen: CommitmentRecord[] | undefined
    await repo.addCommitment(id, first, existing => { seen = structuredClone([...existing]); return openOne(existing) })
    t.same(seen, [])
    const second = commitmentStep()
    t.same(await repo.addCommitment(id, second, existing => { seen = structuredClone([...existing]); return openOne(existing) }), { conflict: first.commitment })
    t.same(seen, [first.commitment])
    t.same(await repo.listCommitments(id), [first.commitment])
    t.equal(await repo.listCommitmentAudit(id, second.commitment.commitment_id), null, 'no audit trail for one never added')
  })

  clause('two concurrent addCommitment calls, one at a time allowed: exactly one gets in', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const results = await Promise.all([repo.addCommitment(id, commitmentStep(), openOne), repo.addCommitment(id, commitmentStep(), openOne)])
    t.equal(results.filter(r => r !== null && 'added' in r).length, 1, JSON.stringify(results.map(r => r && Object.keys(r))))
    const stored = await repo.listCommitments(id)
    t.equal(stored.length, 1)
    t.same(results.find(r => r !== null && 'conflict' in r), { conflict: stored[0] })
  })

  clause('updateCommitment replaces the commitment and appends its audit entries in order', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const step = commitmentStep()
    await repo.addCommitment(id, step, none)
    const cid = step.commitment.commitment_id
    const changed: CommitmentRecord = { ...step.commitment, terms: { ...step.commitment.terms, min_minutes: 25 } }
    const entries = [auditEntry(), auditEntry({ event: 'started', details: {}, evidence: ['w_1'] })]
    let seen: CommitmentRecord | undefined
    t.same(await repo.updateCommitment(id, cid, current => { seen = structuredClone(current); return { commitment: changed, audit: entries } }), changed)
    t.same(seen, step.commitment)
    t.same(await repo.listCommitments(id), [changed])
    t.same(await repo.listCommitmentAudit(id, cid), [...step.audit, ...entries], 'appended, never rewritten')
    const more = [auditEntry({ event: 'cancelled', details: { reason: 'injury' } })]
    await repo.updateCommitment(id, cid, current => ({ commitment: { ...current, status: 'cancelled' }, audit: more }))
    t.same(await repo.listCommitmentAudit(id, cid), [...step.audit, ...entries, ...more])
  })

  clause('updateCommitment: null from the change means no change — the current one is returned, nothing appended', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const step = commitmentStep()
    await repo.addCommitment(id, step, none)
    const cid = step.commitment.commitment_id
    t.same(await repo.updateCommitment(id, cid, () => null), step.commitment)
    t.same(await repo.listCommitments(id), [step.commitment])
    t.same(await repo.listCommitmentAudit(id, cid), step.audit)
  })

  clause('updateCommitment: a change that throws changes nothing (commitment, audit) and the error reaches the caller', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const step = commitmentStep()
    await repo.addCommitment(id, step, none)
    const cid = step.commitment.commitment_id
    const err = new Refused()
    await t.rejects(repo.updateCommitment(id, cid, current => { current.status = 'forfeited'; throw err }), err)
    t.same(await repo.listCommitments(id), [step.commitment])
    t.same(await repo.listCommitmentAudit(id, cid), step.audit)
  })

  clause('unknown commitment ids: updateCommitment null, listCommitmentAudit null — also another user\'s', async t => {
    const repo = await open(t)
    const a = await givenAccount(repo)
    const b = await givenAccount(repo)
    const step = commitmentStep()
    await repo.addCommitment(a.id, step, none)
    let called = false
    t.equal(await repo.updateCommitment(a.id, 'c_missing', () => { called = true; return null }), null)
    t.equal(await repo.updateCommitment(b.id, step.commitment.commitment_id, () => { called = true; return null }), null)
    t.equal(called, false)
    t.equal(await repo.listCommitmentAudit(a.id, 'c_missing'), null)
    t.equal(await repo.listCommitmentAudit(b.id, step.commitment.commitment_id), null)
    t.same(await repo.listCommitmentAudit(a.id, step.commitment.commitment_id), step.audit)
  })

  clause('concurrent updateCommitment calls: every audit entry lands, none lost', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const step = commitmentStep()
    await repo.addCommitment(id, step, none)
    const cid = step.commitment.commitment_id
    await Promise.all([1, 2, 3, 4].map(n => repo.updateCommitment(id, cid, current => ({ commitment: current, audit: [auditEntry({ details: { n } })] }))))
    const audit = await repo.listCommitmentAudit(id, cid)
    t.equal(audit?.length, step.audit.length + 4)
    t.same(audit?.slice(step.audit.length).map(e => e.details.n).sort(), [1, 2, 3, 4])
  })

  dueWorkContract(t, open, options, 'commitment checks', {
    subject: async repo => (await givenAccount(repo)).id,
    put: (repo, userId, dueMs) => repo.scheduleCommitmentCheck(userId, dueMs),
    remove: (repo, userId) => repo.scheduleCommitmentCheck(userId, null),
    claim: async (repo, nowMs, limit, leaseMs) => (await repo.claimDueCommitmentChecks(nowMs, limit, leaseMs)).map(c => ({ id: c.user_id, dueMs: Date.parse(c.due_at) }))
  })

  clause('a claimed commitment check names the user and the due instant (RFC 3339)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    await repo.scheduleCommitmentCheck(id, atMs(1) + 123)
    const [check, ...rest] = await repo.claimDueCommitmentChecks(atMs(2), 10, 60_000)
    t.same(rest, [])
    t.equal(check?.user_id, id)
    t.match(check?.due_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
    t.equal(Date.parse(check?.due_at ?? ''), atMs(1) + 123, 'to the millisecond')
  })
}
