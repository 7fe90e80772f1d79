import t from 'tap'
import { build, logWorkout, register, tempDir, type Session } from '../helpers/build-app.js'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'

t.test('1,000 concurrent workout logs from 10 users: every one stored exactly once, in batched flushes', async t => {
  const dir = await tempDir(t)
  const app = await build(t, { dataDir: dir })
  const users: Session[] = []
  for (let i = 0; i < 10; i++) users.push(await register(app, `user${i}`))
  const flushesBefore = app.repo.status().flushes_total as number

  const started = performance.now()
  const latencies: number[] = []
  const results = await Promise.all(Array.from({ length: 1000 }, async (_, i) => {
    const t0 = performance.now()
    const res = await logWorkout(app, users[i % 10], { exercise_type: 'burpees', duration_minutes: 1 + (i % 600), notes: `n${i}` })
    latencies.push(performance.now() - t0)
    return res
  }))
  const elapsed = performance.now() - started
  t.same(results.filter(r => r.statusCode !== 201).map(r => r.body), [], 'every request got 201')

  const flushes = (app.repo.status().flushes_total as number) - flushesBefore
  latencies.sort((a, b) => a - b)
  t.comment(`1000 writes in ${elapsed.toFixed(0)} ms with ${flushes} flushes; latency p50 ${latencies[500].toFixed(0)} ms, max ${latencies[999].toFixed(0)} ms`)
  t.ok(flushes < 200, `group commit batched 1000 writes into ${flushes} flushes`)

  // Read back from disk with a fresh store, not from this process's memory.
  await app.close()
  const repo = await LowdbRepository.open({ dataDir: dir })
  t.teardown(() => repo.close())
  const ids = new Set<string>()
  let total = 0
  for (const user of users) {
    const workouts = await repo.listWorkouts(user.user.id)
    t.equal(workouts.length, 100, `${user.user.username} has exactly 100`)
    t.ok(workouts.every(w => w.user_id === user.user.id), 'all of them theirs')
    for (const w of workouts) ids.add(w.workout_id)
    total += workouts.length
  }
  t.equal(total, 1000)
  t.equal(ids.size, 1000, 'ids are unique')
})
