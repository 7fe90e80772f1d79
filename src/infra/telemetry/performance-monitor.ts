// Latency percentiles and targets, cheap enough to leave on in production. Framework-free: the
// telemetry plugin feeds it (routes, store flushes) and the coach and the Redis layer record into
// it through `fastify.perf`.
//
// Why this shape:
// - one ring buffer (a Float64Array) per operation name holds its last `window` samples, so
//   recording is O(1) with no allocation and memory is bounded however long the process runs;
// - the number of distinct names is bounded too (`maxNames`): names come from route patterns and
//   tool names, and a tool name the model made up must not grow memory without limit;
// - percentiles are computed when asked (a sort of at most `window` numbers), and cached until the
//   next sample of that name — reading is rare (a scrape, a health check), recording is constant.
// - `start` returns a timer instead of keying open operations by name: two users' agent calls
//   overlap, and an `end(name)` could not tell whose start it ends. A timer holds its own start
//   time, so the monitor keeps no table of open operations that a forgotten `end` could leak.
import { performance } from 'node:perf_hooks'

/** The names the service records under (routes are recorded as `METHOD /route/pattern`). */
export const Operation = {
  agentResponse: 'agent_response',
  llmCall: 'llm_call',
  storeFlush: 'store_flush',
  redis: 'redis',
  tool: (name: string) => `tool:${name}`
} as const

export interface PerfStats {
  /** samples in the window (at most the window size) */
  count: number
  /** samples ever recorded under this name */
  total: number
  /** the following are milliseconds over the window (to 0.001 ms); null when there is no sample */
  average: number | null
  min: number | null
  max: number | null
  p50: number | null
  p95: number | null
  p99: number | null
}

export interface TargetResult {
  /** the p95 the operation must stay under, in ms */
  target: number
  /** the window's p95 in ms; null when there is no sample yet */
  actual: number | null
  /** actual < target; null ("no data") when there is no sample — not passing, not failing */
  passing: boolean | null
}

export interface TargetsReport {
  agentResponseTime: TargetResult
  llmCallTime: TargetResult
}

export interface PerfReport {
  stats: Record<string, PerfStats>
  targets: TargetsReport
  /** false if any target fails; true if every target with data passes; null if none has data */
  passing: boolean | null
}

/** What `start` hands back; give it to `end`. */
export interface PerfTimer {
  readonly name: string
  readonly startedAt: number
}

export interface PerfLogger {
  warn (obj: object, msg: string): void
}

export interface PerformanceMonitorOptions {
  /** samples kept per name (PERF_WINDOW) */
  window?: number
  /** most distinct names tracked; samples under further names are dropped (and counted) */
  maxNames?: number
  /** p95 targets in ms (PERF_AGENT_TARGET_MS, PERF_LLM_TARGET_MS) */
  agentTargetMs?: number
  llmTargetMs?: number
  /** gets one warning per operation slower than its target */
  logger?: PerfLogger
  /** called for every accepted sample (the telemetry plugin feeds Prometheus from it) */
  onSample?: (name: string, ms: number) => void
  /** milliseconds from an arbitrary origin; injectable for tests */
  now?: () => number
}

/**
 * The p-th percentile (0 < p ≤ 100) of an ascending array by the nearest-rank method: the
 * smallest sample such that at least p% of the samples are ≤ it, i.e. `sorted[ceil(p/100·n) − 1]`.
 * Chosen over interpolation because the answer is always a latency that really happened, and
 * "p95 < target" then means exactly "at least 95% of the window was under the target".
 */
export function nearestRank (sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const rank = Math.ceil((p / 100) * n)
  return sorted[Math.min(n, Math.max(1, rank)) - 1]
}

class Series {
  readonly samples: Float64Array
  /** next slot to write */
  private next = 0
  size = 0
  total = 0
  private cached: PerfStats | null = null

  constructor (window: number) {
    this.samples = new Float64Array(window)
  }

  add (ms: number): void {
    this.samples[this.next] = ms
    this.next = this.next + 1 === this.samples.length ? 0 : this.next + 1
    if (this.size < this.samples.length) this.size++
    this.total++
    this.cached = null
  }

  stats (): PerfStats {
    if (this.cached) return { ...this.cached }
    // Order does not matter for any statistic here, so the live part of the ring is sorted as is.
    const sorted = this.samples.slice(0, this.size).sort()
    let sum = 0
    for (let i = 0; i < sorted.length; i++) sum += sorted[i]
    this.cached = {
      count: this.size,
      total: this.total,
      average: microseconds(sum / this.size),
      min: microseconds(sorted[0]),
      max: microseconds(sorted[sorted.length - 1]),
      p50: microseconds(nearestRank(sorted, 50)!),
      p95: microseconds(nearestRank(sorted, 95)!),
      p99: microseconds(nearestRank(sorted, 99)!)
    }
    return { ...this.cached }
  }
}

const EMPTY: Omit<PerfStats, 'count' | 'total'> = { average: null, min: null, max: null, p50: null, p95: null, p99: null }

export class PerformanceMonitor {
  readonly window: number
  readonly maxNames: number
  private readonly series = new Map<string, Series>()
  private readonly targets: Map<string, number>
  private readonly logger: PerfLogger | undefined
  private readonly onSample: ((name: string, ms: number) => void) | undefined
  private readonly now: () => number
  /** samples refused because `maxNames` names were already tracked */
  droppedSamples = 0
  private warnedFull = false

  constructor (options: PerformanceMonitorOptions = {}) {
    this.window = options.window ?? 1000
    this.maxNames = options.maxNames ?? 500
    if (!Number.isInteger(this.window) || this.window < 1) throw new RangeError('window must be a positive integer')
    this.targets = new Map([
      [Operation.agentResponse, options.agentTargetMs ?? 2000],
      [Operation.llmCall, options.llmTargetMs ?? 1500]
    ])
    this.logger = options.logger
    this.onSample = options.onSample
    this.now = options.now ?? (() => performance.now())
  }

  /** Starts timing one operation; pass the result to `end`. Overlapping operations of one name are fine. */
  start (name: string): PerfTimer {
    return { name, startedAt: this.now() }
  }

  /** Records the time since `timer` was started and returns it in ms. */
  end (timer: PerfTimer): number {
    const ms = this.now() - timer.startedAt
    this.record(timer.name, ms)
    return ms
  }

  /** Times `fn`; a failure is recorded too (a timed-out LLM call is latency the user felt). */
  async measure<T> (name: string, fn: () => Promise<T> | T): Promise<T> {
    const timer = this.start(name)
    try {
      return await fn()
    } finally {
      this.end(timer)
    }
  }

  /** Adds one sample of `ms` milliseconds under `name`. O(1), no allocation once the name exists. */
  record (name: string, ms: number): void {
    if (!Number.isFinite(ms)) return
    if (ms < 0) ms = 0
    let series = this.series.get(name)
    if (series === undefined) {
      if (this.series.size >= this.maxNames) {
        this.droppedSamples++
        if (!this.warnedFull) {
          this.warnedFull = true
          this.logger?.warn({ operation: name, max_names: this.maxNames }, 'performance monitor tracks its maximum number of operation names; new names are not recorded')
        }
        return
      }
      series = new Series(this.window)
      this.series.set(name, series)
    }
    series.add(ms)
    const target = this.targets.get(name)
    if (target !== undefined && ms > target) {
      this.logger?.warn({ operation: name, duration_ms: round(ms), target_ms: target }, 'slow operation: over its target')
    }
    this.onSample?.(name, ms)
  }

  /** Statistics over the last `window` samples of `name` (count 0 and nulls when there are none). */
  stats (name: string): PerfStats {
    return this.series.get(name)?.stats() ?? { count: 0, total: 0, ...EMPTY }
  }

  /** Every recorded name's statistics, names in alphabetical order. */
  allStats (): Record<string, PerfStats> {
    const out: Record<string, PerfStats> = {}
    for (const name of [...this.series.keys()].sort()) out[name] = this.stats(name)
    return out
  }

  /** Each target against the window's p95. */
  checkTargets (): TargetsReport {
    return {
      agentResponseTime: this.target(Operation.agentResponse),
      llmCallTime: this.target(Operation.llmCall)
    }
  }

  report (): PerfReport {
    const targets = this.checkTargets()
    return { stats: this.allStats(), targets, passing: overallPassing(targets) }
  }

  private target (name: string): TargetResult {
    const target = this.targets.get(name)!
    const actual = this.stats(name).p95
    return { target, actual, passing: actual === null ? null : actual < target }
  }
}

/** false if any target fails; true if at least one has data and all with data pass; null if none has data. */
export function overallPassing (targets: TargetsReport): boolean | null {
  const verdicts = Object.values(targets).map(t => t.passing).filter((p): p is boolean => p !== null)
  if (verdicts.length === 0) return null
  return verdicts.every(Boolean)
}

function round (ms: number): number {
  return Math.round(ms * 10) / 10
}

/**
 * Reported figures are rounded to 0.001 ms (the timer's useful precision), and a target's verdict
 * is taken on the rounded p95, so the numbers shown always agree with the verdict shown.
 */
export function microseconds (ms: number): number {
  return Math.round(ms * 1000) / 1000
}
