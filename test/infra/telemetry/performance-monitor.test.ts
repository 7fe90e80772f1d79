import assert from 'node:assert/strict'
import t from 'tap'
import fc from 'fast-check'
import { microseconds, nearestRank, Operation, overallPassing, PerformanceMonitor, type PerfLogger } from '../../../src/infra/telemetry/performance-monitor.js'

/** The reference: sort a plain array and take the nearest rank, straight from the definition. */
function reference (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]
}

function capture (): PerfLogger & { warnings: Array<{ obj: any, msg: string }> } {
  const warnings: Array<{ obj: any, msg: string }> = []
  return { warnings, warn (obj, msg) { warnings.push({ obj, msg }) } }
}

const latency = fc.double({ min: 0, max: 60_000, noNaN: true, noDefaultInfinity: true })

t.test('percentiles, min, max and average match a sorted-array reference over the last window', async t => {
  fc.assert(fc.property(fc.array(latency, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 150 }), (values, window) => {
    const monitor = new PerformanceMonitor({ window })
    for (const v of values) monitor.record('op', v)
    const kept = values.slice(-window)
    const { average, ...stats } = monitor.stats('op')
    // Throwing (not t.equal) lets fast-check shrink a failure to its smallest case.
    assert.deepEqual(stats, {
      count: kept.length,
      total: values.length,
      min: microseconds(Math.min(...kept)),
      max: microseconds(Math.max(...kept)),
      p50: microseconds(reference(kept, 50)),
      p95: microseconds(reference(kept, 95)),
      p99: microseconds(reference(kept, 99))
    })
    assert.ok(Math.abs(average! - kept.reduce((a, b) => a + b, 0) / kept.length) <= 0.0005 + 1e-9, 'average')
  }), { numRuns: 500 })
  t.pass('500 random windows agree with the reference')
})

t.test('nearest rank is the smallest sample with at least p% of the samples at or below it', async t => {
  fc.assert(fc.property(fc.array(latency, { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
    const sorted = Float64Array.from(values).sort()
    const x = nearestRank(sorted, p)!
    const atOrBelow = values.filter(v => v <= x).length
    const below = values.filter(v => v < x).length
    return atOrBelow / values.length >= p / 100 && below / values.length < p / 100
  }), { numRuns: 500 })
  t.pass('500 random arrays satisfy the definition')
  t.equal(nearestRank([], 95), null)
  t.equal(nearestRank([7], 1), 7)
  t.same([50, 95, 99, 100].map(p => nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p)), [5, 10, 10, 10])
  t.same([50, 95, 99].map(p => nearestRank(Array.from({ length: 100 }, (_, i) => i + 1), p)), [50, 95, 99])
})

t.test('the window is bounded: old samples leave it, memory does not grow', async t => {
  const monitor = new PerformanceMonitor({ window: 100 })
  for (let i = 1; i <= 10_000; i++) monitor.record('op', i)
  const stats = monitor.stats('op')
  t.equal(stats.count, 100)
  t.equal(stats.total, 10_000)
  t.equal(stats.min, 9901, 'only the last 100 samples count')
  t.equal(stats.max, 10_000)
  t.equal(stats.p50, 9950)
})

t.test('the number of names is bounded; the first refusal is logged once', async t => {
  const logger = capture()
  const monitor = new PerformanceMonitor({ maxNames: 3, logger })
  for (const name of ['a', 'b', 'c', 'd', 'e', 'd']) monitor.record(name, 1)
  monitor.record('a', 2)
  t.same(Object.keys(monitor.allStats()), ['a', 'b', 'c'])
  t.equal(monitor.stats('a').count, 2, 'known names keep recording')
  t.equal(monitor.droppedSamples, 3)
  t.equal(logger.warnings.length, 1)
})

t.test('stats of an unknown name: count 0 and nulls', async t => {
  t.same(new PerformanceMonitor().stats('nothing'), { count: 0, total: 0, average: null, min: null, max: null, p50: null, p95: null, p99: null })
})

t.test('targets: no data is null, not passing; p95 decides', async t => {
  const monitor = new PerformanceMonitor({ agentTargetMs: 2000, llmTargetMs: 1500 })
  t.same(monitor.checkTargets(), {
    agentResponseTime: { target: 2000, actual: null, passing: null },
    llmCallTime: { target: 1500, actual: null, passing: null }
  })
  t.equal(monitor.report().passing, null, 'no target has data')

  // 94 fast calls and 6 slow ones: the p95 (95th of 100) is slow.
  for (let i = 0; i < 94; i++) monitor.record(Operation.llmCall, 100)
  for (let i = 0; i < 6; i++) monitor.record(Operation.llmCall, 3000)
  t.same(monitor.checkTargets().llmCallTime, { target: 1500, actual: 3000, passing: false })
  t.equal(monitor.report().passing, false)

  // Five slow of 100: the p95 is fast (exactly 95% at or under it).
  const ok = new PerformanceMonitor({ agentTargetMs: 2000 })
  for (let i = 0; i < 95; i++) ok.record(Operation.agentResponse, 500)
  for (let i = 0; i < 5; i++) ok.record(Operation.agentResponse, 9000)
  t.same(ok.checkTargets().agentResponseTime, { target: 2000, actual: 500, passing: true })
  t.equal(ok.report().passing, true, 'the target with data passes, the other has none')

  const equal = new PerformanceMonitor({ agentTargetMs: 2000 })
  equal.record(Operation.agentResponse, 2000)
  t.equal(equal.checkTargets().agentResponseTime.passing, false, 'p95 must be strictly under the target')
})

t.test('overall passing: false if any fails, true if all with data pass, null if none has data', async t => {
  const r = (passing: boolean | null) => ({ target: 1, actual: passing === null ? null : 1, passing })
  t.equal(overallPassing({ agentResponseTime: r(null), llmCallTime: r(null) }), null)
  t.equal(overallPassing({ agentResponseTime: r(true), llmCallTime: r(null) }), true)
  t.equal(overallPassing({ agentResponseTime: r(true), llmCallTime: r(false) }), false)
  t.equal(overallPassing({ agentResponseTime: r(null), llmCallTime: r(false) }), false)
})

t.test('one warning per operation slower than its target, with name and duration', async t => {
  const logger = capture()
  const monitor = new PerformanceMonitor({ agentTargetMs: 2000, llmTargetMs: 1500, logger })
  monitor.record(Operation.llmCall, 1400)
  monitor.record(Operation.llmCall, 1500)
  monitor.record(Operation.llmCall, 1750.44)
  monitor.record(Operation.agentResponse, 2500)
  monitor.record('GET /api/workout/history', 99_999)
  t.same(logger.warnings.map(w => w.obj), [
    { operation: 'llm_call', duration_ms: 1750.4, target_ms: 1500 },
    { operation: 'agent_response', duration_ms: 2500, target_ms: 2000 }
  ], 'names without a target never warn')
  t.match(logger.warnings[0].msg, /slow/)
})

t.test('start/end: overlapping operations of one name are timed separately', async t => {
  let now = 0
  const monitor = new PerformanceMonitor({ now: () => now })
  const first = monitor.start(Operation.tool('get_history'))
  now = 10
  const second = monitor.start(Operation.tool('get_history'))
  now = 15
  t.equal(monitor.end(second), 5)
  now = 40
  t.equal(monitor.end(first), 40)
  const stats = monitor.stats('tool:get_history')
  t.same([stats.count, stats.min, stats.max], [2, 5, 40])
})

t.test('measure records successes and failures, and returns or rethrows', async t => {
  let now = 0
  const monitor = new PerformanceMonitor({ now: () => now })
  t.equal(await monitor.measure('op', async () => { now += 7; return 'ok' }), 'ok')
  await t.rejects(monitor.measure('op', async () => { now += 30; throw new Error('upstream timeout') }), /upstream timeout/)
  const stats = monitor.stats('op')
  t.same([stats.count, stats.min, stats.max], [2, 7, 30])
})

t.test('record ignores non-numbers, clamps negatives, and feeds onSample', async t => {
  const seen: Array<[string, number]> = []
  const monitor = new PerformanceMonitor({ onSample: (name, ms) => seen.push([name, ms]) })
  monitor.record('op', NaN)
  monitor.record('op', Infinity)
  monitor.record('op', -3)
  t.equal(monitor.stats('op').count, 1)
  t.equal(monitor.stats('op').min, 0)
  t.same(seen, [['op', 0]])
})

t.test('recording costs microseconds (measured here, bounded loosely)', async t => {
  const monitor = new PerformanceMonitor({ window: 1000 })
  const names = Array.from({ length: 20 }, (_, i) => `GET /route/${i}`)
  for (let i = 0; i < 100_000; i++) monitor.record(names[i % 20], i % 997) // warm up
  const n = 1_000_000
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) monitor.record(names[i % 20], i % 997)
  const ns = Number(process.hrtime.bigint() - start) / n
  t.comment(`record(): ${ns.toFixed(0)} ns per sample`)
  t.ok(ns < 10_000, 'well under 10 µs per sample even on a loaded machine')
  const s = process.hrtime.bigint()
  monitor.stats(names[0])
  t.comment(`stats() over a full 1000-sample window: ${(Number(process.hrtime.bigint() - s) / 1000).toFixed(0)} µs`)
})
