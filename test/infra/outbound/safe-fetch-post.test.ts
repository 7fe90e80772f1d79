// SafeFetcher.post, the webhook path: the same SSRF guard as getText (checked at connect time,
// names and IP literals alike), no redirects followed, bounded in time and in what it reads, and
// "no answer" told apart from "refused by the guard".
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import t from 'tap'
import { OutboundRequestError, SafeFetcher, UnsafeUrlError } from '../../../src/infra/outbound/safe-fetch.js'

interface Seen { method?: string, url?: string, headers: IncomingHttpHeaders, body: string }
type Test = { teardown: (fn: () => unknown) => void }

async function startServer (t: Test, handle: (seen: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }
      seen.push(entry)
      handle(entry, res)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { seen, port: (server.address() as { port: number }).port }
}

t.test('refused when allowPrivate is false: loopback, IPv6 and mapped literals, metadata, a name resolving private', async t => {
  const { seen, port } = await startServer(t, (_, res) => res.writeHead(200).end())
  const fetcher = new SafeFetcher({ allowPrivate: false, timeoutMs: 2000, maxBytes: 1024, resolver: async host => host === 'hooks.intranet.example' ? ['10.0.0.5'] : ['93.184.216.34'] })
  t.teardown(() => fetcher.close())
  for (const url of [`http://127.0.0.1:${port}/hook`, `http://[::1]:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`,
    'http://169.254.169.254/latest/meta-data', `http://hooks.intranet.example:${port}/hook`]) {
    await t.rejects(fetcher.post(new URL(url), '{}', { 'content-type': 'application/json' }), { name: 'UnsafeUrlError', message: /private, loopback, link-local or reserved/ }, url)
  }
  t.equal(seen.length, 0, 'nothing reached the local server')
})

t.test('a name that resolved public when accepted and private when connecting is refused', async t => {
  let calls = 0
  const fetcher = new SafeFetcher({ allowPrivate: false, timeoutMs: 2000, maxBytes: 1024, resolver: async () => ++calls === 1 ? ['93.184.216.34'] : ['127.0.0.1'] })
  t.teardown(() => fetcher.close())
  const url = await fetcher.validate('http://rebind.example/hook', 'body.url')
  const err = await fetcher.post(url, '{}', {}).catch((e: unknown) => e)
  t.ok(err instanceof UnsafeUrlError, 'UnsafeUrlError')
})

t.test('posts the body and headers, returns the status and headers, follows no redirect', async t => {
  const target = await startServer(t, (_, res) => res.writeHead(200).end())
  const { seen, port } = await startServer(t, (entry, res) => {
    if (entry.url === '/moved') res.writeHead(302, { location: `http://127.0.0.1:${target.port}/internal` }).end()
    else if (entry.url === '/metadata') res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data' }).end()
    else res.writeHead(202, { 'x-receiver': 'yes' }).end('accepted')
  })
  const fetcher = new SafeFetcher({ allowPrivate: true, timeoutMs: 2000, maxBytes: 1024 })
  t.teardown(() => fetcher.close())
  const answer = await fetcher.post(new URL(`http://127.0.0.1:${port}/hook?x=1`), '{"a":1}', { 'content-type': 'application/json', 'x-ra-delivery': 'd-1' })
  t.equal(answer.status, 202)
  t.equal(answer.headers.get('x-receiver'), 'yes')
  t.match(seen[0], { method: 'POST', url: '/hook?x=1', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-ra-delivery': 'd-1' } })

  const moved = await fetcher.post(new URL(`http://127.0.0.1:${port}/moved`), '{}', {})
  t.equal(moved.status, 302, 'the redirect is the answer')
  t.equal(moved.headers.get('location'), `http://127.0.0.1:${target.port}/internal`)
  t.equal((await fetcher.post(new URL(`http://127.0.0.1:${port}/metadata`), '{}', {})).status, 307, 'a redirect to the metadata address: not followed either')
  t.equal(target.seen.length, 0, 'the redirect target was never asked')
})

t.test('a large answer is not read to the end; the status still counts', async t => {
  const big = 'x'.repeat(8 * 1024 * 1024)
  const { port } = await startServer(t, (_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(big))
  const fetcher = new SafeFetcher({ allowPrivate: true, timeoutMs: 2000, maxBytes: 1024 })
  t.teardown(() => fetcher.close())
  const started = performance.now()
  t.equal((await fetcher.post(new URL(`http://127.0.0.1:${port}/`), '{}', {})).status, 200)
  t.ok(performance.now() - started < 1500, 'quickly')
})

t.test('an answer whose body stalls: the status still counts, within the deadline', async t => {
  const { port } = await startServer(t, (_, res) => { res.writeHead(200, { 'content-length': '100' }); res.write('partial') })
  const fetcher = new SafeFetcher({ allowPrivate: true, timeoutMs: 2000, maxBytes: 1024 })
  t.teardown(() => fetcher.close())
  const started = performance.now()
  t.equal((await fetcher.post(new URL(`http://127.0.0.1:${port}/`), '{}', {}, 300)).status, 200)
  t.ok(performance.now() - started < 1500, 'the deadline ended the wait for the body')
})

t.test('no answer: timeout, connection refused, unresolvable name — OutboundRequestError, not the guard', async t => {
  const { port } = await startServer(t, () => { /* never answers */ })
  const fetcher = new SafeFetcher({ allowPrivate: true, timeoutMs: 2000, maxBytes: 1024, resolver: async host => { if (host === 'gone.example') throw new Error('ENOTFOUND'); return ['127.0.0.1'] } })
  t.teardown(() => fetcher.close())

  const started = performance.now()
  const timedOut = await fetcher.post(new URL(`http://127.0.0.1:${port}/`), '{}', {}, 250).catch((e: unknown) => e)
  const elapsed = performance.now() - started
  t.ok(timedOut instanceof OutboundRequestError)
  t.match(timedOut, { message: 'timed out after 250 ms', timedOut: true })
  t.ok(elapsed >= 240 && elapsed < 1500, `gave up after ${Math.round(elapsed)} ms`)

  // a port that was just listening and is closed now: "connection refused"
  const closed = createServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const refusedPort = (closed.address() as { port: number }).port
  closed.close()
  await once(closed, 'close')
  await t.rejects(fetcher.post(new URL(`http://127.0.0.1:${refusedPort}/`), '{}', {}), { name: 'OutboundRequestError', message: 'connection refused', timedOut: false })
  await t.rejects(fetcher.post(new URL('http://gone.example/'), '{}', {}), { name: 'OutboundRequestError', message: 'gone.example does not resolve', timedOut: false })
})
