// A private redis-server per test (the Debian binary), on a free loopback port, so tests can kill,
// freeze (SIGSTOP) and pause it without touching anyone else's Redis.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

type Test = { teardown: (fn: () => unknown) => void }

export interface PrivateRedis {
  url: string
  port: number
  /** a direct client for assertions (KEYS, TTL, CLIENT PAUSE) */
  client: Redis
  kill (): Promise<void>
  /** start again on the same port (after kill) */
  restart (): Promise<void>
  freeze (): void
  thaw (): void
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  server.close()
  await once(server, 'close')
  return port
}

async function waitForPing (port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      probe.disconnect()
      return
    } catch {
      probe.disconnect()
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
  throw new Error(`redis-server on ${port} did not answer within ${timeoutMs} ms`)
}

export async function startRedis (t: Test): Promise<PrivateRedis> {
  const port = await freePort()
  let proc: ChildProcess | undefined
  const launch = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' })
    await waitForPing(port)
  }
  await launch()
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: times => Math.min(times * 50, 500) })
  client.on('error', () => {})
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    async kill () {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
      const exited = once(proc, 'exit')
      proc.kill('SIGKILL')
      await exited
    },
    restart: launch,
    freeze () { proc?.kill('SIGSTOP') },
    thaw () { if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGCONT') }
  }
  t.teardown(async () => {
    redis.thaw()
    client.disconnect()
    await redis.kill()
  })
  return redis
}
