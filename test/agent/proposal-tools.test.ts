// The propose* tools check what can be checked before anything waits for a yes — the workout is the
// person's own, the dates are real and not too long, the plan fits its days — and a proposal the
// tool refused never reaches the trace. Run through the registry, as the model's calls are.
import t from 'tap'
import type { Proposal } from '../../src/agent/proposals/proposal.js'
import { build, logWorkout, register } from '../helpers/build-app.js'

t.test('each propose* tool checks first, proposes second', async t => {
  const app = await build(t)
  const alice = await register(app, 'alice')
  const proposals: Proposal[] = []
  const run = async (name: string, args: Record<string, unknown>) => {
    const before = proposals.length
    const outcome = await app.agentTools.execute({ id: name, type: 'function', function: { name, arguments: JSON.stringify(args) } },
      { repo: app.repo, userId: alice.user.id, now: new Date(), recordReasoning: () => {}, propose: p => { proposals.push(p) } })
    return { ...outcome, proposed: proposals.length > before ? proposals.at(-1) : undefined }
  }
  const id = (await logWorkout(app, alice, { exercise_type: 'running', duration_minutes: 30 })).json().workout.workout_id

  t.match(await run('proposeWorkoutCorrection', { workout_id: id }), { ok: false, summary: /Say what to change/, proposed: undefined })
  t.match(await run('proposeWorkoutCorrection', { workout_id: 'w_nope', duration_minutes: 20 }), { ok: false, summary: /No workout w_nope among yours/, proposed: undefined })
  t.match(await run('proposeWorkoutCorrection', { workout_id: id, duration_minutes: 20, exercise_type: 'Yoga', performed_at: '2026-01-05T07:00:00Z' }),
    { ok: true, summary: /^Change your 30 min of running on \S+ to 20 min of yoga on 2026-01-05 — Proposed; waiting for the user's yes/, proposed: { kind: 'correct_workout' } })

  t.match(await run('proposePause', { start_date: '2030-02-30', end_date: '2030-03-02', reason: 'trip' }), { ok: false, summary: /start_date must be a date/ }, 'the registry checks the format (a real date)')
  t.match(await run('proposePause', { start_date: '2030-03-05', end_date: '2030-03-02', reason: 'trip' }), { ok: false, summary: /on or after start_date/ })
  t.match(await run('proposePause', { start_date: '2030-01-01', end_date: '2030-03-31', reason: 'trip' }), { ok: false, summary: /at most 60 days \(this one is 90\)/ })
  t.match(await run('proposePause', { start_date: '2030-01-01', end_date: '2030-01-01', reason: 'flu' }), { ok: true, summary: /\(1 day, flu\)/ })

  // The default plan has 4 days (mon, wed, fri, sat): 6 a week spread over 6 days; 3 on 1 day does not fit.
  t.match(await run('proposePlanChange', { sessions_per_week: 6 }), { ok: true, proposed: { kind: 'plan', arguments: { sessions_per_week: 6, weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], end_date: null } } })
  t.match(await run('proposePlanChange', { sessions_per_week: 3, weekdays: ['sun'] }), { ok: false, summary: /3 sessions a week do not fit into 1 planned day; name more days/ })
  t.match(await run('proposePlanChange', { move: { from: 'mon', to: 'wed' } }), { ok: false, summary: /already planned on wed/ })
  t.match(await run('proposePlanChange', { sessions_per_week: 2, weekdays: ['sat', 'tue'], weeks: 1 }), { ok: true, summary: /2 sessions a week on tue, sat from \S+ until \S+ \(1 week\)/ })

  // Without a place to keep it (a context that cannot propose), nothing is proposed.
  const bare = await app.agentTools.execute({ id: 'x', type: 'function', function: { name: 'proposeWorkoutDeletion', arguments: JSON.stringify({ workout_id: id }) } },
    { repo: app.repo, userId: alice.user.id, now: new Date(), recordReasoning: () => {} })
  t.match(bare, { ok: false, summary: /cannot be proposed here/ })
})
