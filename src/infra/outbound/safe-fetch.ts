// Fetching URLs that users give (calendar subscriptions, webhook deliveries) without letting them
// point the service at itself or its network (SSRF): http(s) only; every address the name resolves
// to — and an IP literal itself — must be public unicast, checked when the URL is accepted AND at
// connect time, and the connection goes to the very address that was checked (no DNS rebinding in
// between); redirects are never followed. `allowPrivate` (tests, or a deliberate operator choice)
// lifts the address rule only. The resolver is injectable so tests need no DNS.
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import { Agent, buildConnector, fetch } from 'undici'
import { invalid } from '../../shared/domain-errors.js'

export type Resolver = (hostname: string) => Promise<string[]>

export interface SafeFetchOptions {
  allowPrivate: boolean
  resolver?: Resolver
  /** connect + response deadline */
  timeoutMs: number
  /** largest body read; beyond it the fetch fails */
  maxBytes: number
}

const systemResolver: Resolver = async hostname => (await dnsLookup(hostname, { all: true, verbatim: true })).map(a => a.address)

/** Public unicast only: not loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved… */
export function isPublicAddress (address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  // process() reads ::ffff:127.0.0.1 as the IPv4 address it carries.
  return ipaddr.process(address).range() === 'unicast'
}

export class UnsafeUrlError extends Error {
  override name = 'UnsafeUrlError'
}

/** The name did not resolve: refused like an unsafe address by getText, but post() reports it as a connection failure (DNS may come back). */
class UnresolvedHostError extends UnsafeUrlError {}

/** post() got no answer: no connection, a dropped connection, or the deadline passed. Worth trying again later. */
export class OutboundRequestError extends Error {
  override name = 'OutboundRequestError'
  constructor (message: string, readonly timedOut: boolean) {
    super(message)
  }
}

/** post() reads this much of an answer's body (then hangs up): enough to let a small answer end cleanly, never a large one. */
const POST_RESPONSE_READ_LIMIT = 4096

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed'
}

function isTimeout (err: unknown): boolean {
  const { name, code } = err as { name?: string, code?: string }
  return name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT'
}

function parseUserUrl (raw: string, field: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw invalid(`${field} must be an http:// or https:// URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${field} must be an http:// or https:// URL`)
  if (url.username || url.password) throw invalid(`${field} must not carry a user name or password`)
  return url
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '')

export class SafeFetcher {
  private readonly resolver: Resolver
  private readonly agent: Agent

  constructor (private readonly options: SafeFetchOptions) {
    this.resolver = options.resolver ?? systemResolver
    const connectTo = buildConnector({ timeout: options.timeoutMs })
    this.agent = new Agent({
      connect: (connectOptions, callback) => {
        const hostname = bare(connectOptions.hostname)
        this.checkedAddress(hostname).then(address => {
          // Connect to the address checked, keeping the name for TLS (SNI and the certificate).
          connectTo({ ...connectOptions, hostname: address, servername: isIP(hostname) ? undefined : hostname }, callback)
        }, err => callback(err, null))
      }
    })
  }

  /** The URL, if it is one the service may fetch: a 400 naming `field` otherwise. */
  async validate (raw: string, field: string): Promise<URL> {
    const url = parseUserUrl(raw, field)
    try {
      await this.checkedAddress(bare(url.hostname))
    } catch (err) {
      throw invalid(`${field}: ${(err as Error).message}`)
    }
    return url
  }

  /** GET `url` as text; fails on a redirect, a non-2xx, a body over maxBytes, or the deadline. */
  async getText (url: URL, accept: string): Promise<{ text: string, contentType: string }> {
    let response
    try {
      response = await fetch(url, {
        dispatcher: this.agent,
        redirect: 'manual',
        headers: { accept, 'user-agent': 'ResolutionAutopilot/1 (+calendar subscription)' },
        signal: AbortSignal.timeout(this.options.timeoutMs)
      })
    } catch (err) {
      // fetch wraps connection failures ("fetch failed"): say what really happened.
      const cause = (err as { cause?: unknown }).cause
      if (cause instanceof UnsafeUrlError) throw cause
      throw new UnsafeUrlError(`could not connect (${cause instanceof Error ? cause.message : (err as Error).message})`)
    }
    if (response.status >= 300 && response.status < 400) throw new UnsafeUrlError(`the address redirects (${response.status}); give the final address`)
    if (!response.ok) throw new UnsafeUrlError(`the address answered ${response.status}`)
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > this.options.maxBytes) throw new UnsafeUrlError(`the calendar is larger than ${this.options.maxBytes} bytes`)
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength
      if (size > this.options.maxBytes) throw new UnsafeUrlError(`the calendar is larger than ${this.options.maxBytes} bytes`)
      chunks.push(chunk)
    }
    return { text: Buffer.concat(chunks).toString('utf8'), contentType: response.headers.get('content-type') ?? '' }
  }

  /**
   * POST `body` to `url` and say how the server answered: any status, redirects included (never
   * followed). Throws UnsafeUrlError when the guard refuses the address (at connect time, so a
   * name that turned private since it was accepted is caught), OutboundRequestError when there is
   * no answer within `timeoutMs`. At most a few KiB of the answer's body are read, then dropped.
   */
  async post (url: URL, body: string, headers: Record<string, string>, timeoutMs = this.options.timeoutMs): Promise<{ status: number, headers: Headers }> {
    let response
    try {
      response = await fetch(url, { method: 'POST', body, headers, dispatcher: this.agent, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause
      if (cause instanceof UnresolvedHostError) throw new OutboundRequestError(cause.message, false)
      if (cause instanceof UnsafeUrlError) throw cause
      if (isTimeout(err) || isTimeout(cause)) throw new OutboundRequestError(`timed out after ${timeoutMs} ms`, true)
      const code = (cause as { code?: string } | undefined)?.code
      throw new OutboundRequestError(CONNECT_FAILURES[code ?? ''] ?? `could not connect (${cause instanceof Error ? cause.message : (err as Error).message})`, false)
    }
    let read = 0
    try {
      // Leaving the loop cancels the body, which closes the connection: a large answer is not waited for.
      for await (const chunk of response.body ?? []) {
        read += chunk.byteLength
        if (read >= POST_RESPONSE_READ_LIMIT) break
      }
    } catch {
      // The status is what the caller asked for; a body that breaks off or stalls past the deadline does not change it.
    }
    return { status: response.status, headers: response.headers }
  }

  async close (): Promise<void> {
    await this.agent.close()
  }

  /** One address of `hostname` that may be connected to (every address it resolves to must pass). */
  private async checkedAddress (hostname: string): Promise<string> {
    const addresses = isIP(hostname) ? [hostname] : await this.resolver(hostname).catch(() => { throw new UnresolvedHostError(`${hostname} does not resolve`) })
    if (addresses.length === 0) throw new UnresolvedHostError(`${hostname} does not resolve`)
    if (!this.options.allowPrivate) {
      const refused = addresses.find(address => !isPublicAddress(address))
      if (refused) throw new UnsafeUrlError(`${hostname} is a private, loopback, link-local or reserved address (${refused}); only public addresses are fetched`)
    }
    return addresses[0]
  }
}
