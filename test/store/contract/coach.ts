// CoachStore: the conversation the coach remembers, its traces (bounded by the caller's
// tracesKept), and the daily run budget counted in the store (so two instances share it).
import type { Test } from 'tap'
import { conversation, givenAccount, trace } from './fixtures.js'
import { byValue, part, type ContractOptions, type OpenStore } from './harness.js'

export function coachContract (t: Test, open: OpenStore, options?: ContractOptions): void {
  open = byValue(open)
  const clause = part(t, options, 'coach')

  clause('finishAgentRun stores the conversation and the trace; a run without a conversation leaves it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.same(await repo.getConversation(id), [])
    t.same(await repo.listTraces(id), [])
    const talk = conversation(2)
    const first = trace()
    await repo.finishAgentRun(id, { conversation: talk, trace: first, tracesKept: 10 })
    t.same(await repo.getConversation(id), talk)
    const second = trace({ error: { kind: 'timeout', message: 'model timed out' }, response: null })
    await repo.finishAgentRun(id, { trace: second, tracesKept: 10 })
    t.same(await repo.getConversation(id), talk, 'absent conversation: unchanged')
    t.same(await repo.listTraces(id), [first, second], 'oldest first')
    const shorter = conversation(1)
    await repo.finishAgentRun(id, { conversation: shorter, trace: trace(), tracesKept: 10 })
    t.same(await repo.getConversation(id), shorter, 'a conversation replaces the stored one (the caller trimmed it)')
  })

  clause('traces beyond tracesKept go, oldest first', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const traces = Array.from({ length: 5 }, () => trace())
    for (const tr of traces) await repo.finishAgentRun(id, { trace: tr, tracesKept: 3 })
    t.same((await repo.listTraces(id)).map(x => x.trace_id), traces.slice(2).map(x => x.trace_id))
    // A smaller bound later trims at once.
    const last = trace()
    await repo.finishAgentRun(id, { trace: last, tracesKept: 1 })
    t.same((await repo.listTraces(id)).map(x => x.trace_id), [last.trace_id])
  })

  clause('token usage of every run adds up in the export (agent_usage)', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    await repo.finishAgentRun(id, { trace: trace(), tracesKept: 10 })
    await repo.finishAgentRun(id, {
      trace: trace({ model_calls: [{ latency_ms: 1, tool_calls: 0, usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }, { latency_ms: 1, tool_calls: 0 }] }),
      tracesKept: 10
    })
    t.match((await repo.exportUser(id))?.agent_usage, { prompt_tokens: 107, completion_tokens: 23, total_tokens: 130 })
  })

  clause('clearConversation empties the conversation and keeps the traces', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const tr = trace()
    await repo.finishAgentRun(id, { conversation: conversation(1), trace: tr, tracesKept: 10 })
    await repo.clearConversation(id)
    t.same(await repo.getConversation(id), [])
    t.same(await repo.listTraces(id), [tr])
  })

  clause('startAgentRun counts runs against the daily limit and refuses at it', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.same(await repo.startAgentRun(id, '2026-03-04', 2), { allowed: true, runsToday: 1 })
    t.same(await repo.startAgentRun(id, '2026-03-04', 2), { allowed: true, runsToday: 2 })
    t.same(await repo.startAgentRun(id, '2026-03-04', 2), { allowed: false, runsToday: 2 })
    t.same(await repo.startAgentRun(id, '2026-03-04', 2), { allowed: false, runsToday: 2 }, 'a refusal is not counted')
    t.same(await repo.startAgentRun(id, '2026-03-04', 3), { allowed: true, runsToday: 3 }, 'the limit is the caller\'s, per call')
    t.match((await repo.exportUser(id))?.agent_usage, { day: '2026-03-04', runs_today: 3, total_runs: 3 })
  })

  clause('startAgentRun: a new day (the person\'s local date) starts the count again', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    t.same(await repo.startAgentRun(id, '2026-03-04', 1), { allowed: true, runsToday: 1 })
    t.same(await repo.startAgentRun(id, '2026-03-04', 1), { allowed: false, runsToday: 1 })
    t.same(await repo.startAgentRun(id, '2026-03-05', 1), { allowed: true, runsToday: 1 })
    t.match((await repo.exportUser(id))?.agent_usage, { day: '2026-03-05', runs_today: 1, total_runs: 2 })
  })

  clause('startAgentRun: concurrent starts never exceed the limit', async t => {
    const repo = await open(t)
    const { id } = await givenAccount(repo)
    const results = await Promise.all(Array.from({ length: 6 }, () => repo.startAgentRun(id, '2026-03-04', 2)))
    t.equal(results.filter(r => r?.allowed).length, 2, JSON.stringify(results))
    t.same(results.filter(r => r?.allowed).map(r => r?.runsToday).sort(), [1, 2], 'each allowed run has its own number')
  })
}
