// One shared view of whether Redis is usable, so a request that needs several Redis calls
// (session, rate-limit scopes, cache) never pays one command timeout per call: the first error or
// timeout marks Redis down and every later call fails at once; a background ping marks it up
// again as soon as it answers. Framework-free; the redis plugin wires it to the client. Without
// REDIS_URL the service still has one, `disabled`: nothing to ping, operations run as they are.
import { performance } from 'node:perf_hooks'

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError'
  constructor (cause?: unknown) {
    super('Redis is unavailable', { cause })
  }
}

export interface PingableClient {
  ping (): Promise<unknown>
}

export interface RedisHealthOptions {
  /** how often to ping while Redis is down (recovery is noticed within this) */
  downIntervalMs?: number
  /** how often to ping while up (notices a silent freeze, measures latency) */
  upIntervalMs?: number
  /** a ping slower than this counts as a failure */
  pingTimeoutMs: number
  onChange?: (status: 'up' | 'down', error?: unknown) => void
  /** every round trip, for telemetry */
  onLatency?: (ms: number) => void
}

/** Errors that say the command reached Redis and was refused (bad command), not that Redis is gone. */
function isReplyError (err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError'
}

export type RedisStatus = 'up' | 'down' | 'disabled'

export class RedisHealth {
  private state: RedisStatus
  private latency: number | null = null
  private timer: NodeJS.Timeout | undefined
  private readonly recoveryListeners: Array<() => unknown> = []
  private closed = false
  private readonly downIntervalMs: number
  private readonly upIntervalMs: number

  constructor (private readonly client: PingableClient | null, private readonly options: RedisHealthOptions) {
    this.state = client === null ? 'disabled' : 'down'
    this.downIntervalMs = options.downIntervalMs ?? 1000
    this.upIntervalMs = options.upIntervalMs ?? 5000
  }

  /** The state of a service configured without Redis. */
  static disabled (): RedisHealth {
    return new RedisHealth(null, { pingTimeoutMs: 0 })
  }

  get status (): RedisStatus {
    return this.state
  }

  get latencyMs (): number | null {
    return this.latency
  }

  /** Pings once now (start-up), then keeps pinging in the background. */
  async start (): Promise<void> {
    if (this.state === 'disabled') return
    await this.ping()
    this.schedule()
  }

  /**
   * Runs one Redis operation: fails at once while Redis is down; marks it down when the operation
   * fails for connection reasons or times out.
   */
  async call<T> (operation: () => Promise<T>): Promise<T> {
    if (this.state === 'disabled') return operation()
    if (this.state === 'down') throw new RedisUnavailableError()
    const started = performance.now()
    try {
      const result = await operation()
      this.options.onLatency?.(performance.now() - started)
      return result
    } catch (err) {
      if (isReplyError(err)) throw err
      this.markDown(err)
      throw new RedisUnavailableError(err)
    }
  }

  /** Runs `listener` each time Redis comes back after being down (e.g. to drop what went stale). */
  onRecovered (listener: () => unknown): void {
    this.recoveryListeners.push(listener)
  }

  markDown (err?: unknown): void {
    if (this.state !== 'up') return
    this.state = 'down'
    this.latency = null
    this.options.onChange?.('down', err)
    this.schedule()
  }

  close (): void {
    this.closed = true
    clearTimeout(this.timer)
  }

  private schedule (): void {
    clearTimeout(this.timer)
    if (this.closed) return
    this.timer = setTimeout(() => { void this.ping().finally(() => this.schedule()) },
      this.state === 'down' ? this.downIntervalMs : this.upIntervalMs)
    this.timer.unref()
  }

  private async ping (): Promise<void> {
    if (this.client === null) return
    const started = performance.now()
    let timeout: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        this.client.ping(),
        new Promise((_resolve, reject) => { timeout = setTimeout(() => reject(new Error('ping timed out')), this.options.pingTimeoutMs) })
      ])
      this.latency = performance.now() - started
      this.options.onLatency?.(this.latency)
      if (this.state === 'down' && !this.closed) {
        this.state = 'up'
        this.options.onChange?.('up')
        for (const listener of this.recoveryListeners) void Promise.resolve().then(listener).catch(() => {})
      }
    } catch (err) {
      this.markDown(err)
    } finally {
      clearTimeout(timeout)
    }
  }
}
