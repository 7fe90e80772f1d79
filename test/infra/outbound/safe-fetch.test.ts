// The SSRF guard on user-given URLs: public addresses only — names and IP literals alike, checked
// when the URL is accepted and again when connecting — and no redirects followed.
import { createServer } from 'node:http'
import { once } from 'node:events'
import t from 'tap'
import { isPublicAddress, SafeFetcher } from '../../../src/infra/outbound/safe-fetch.js'

t.test('which addresses are public', async t => {
  for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) t.ok(isPublicAddress(address), address)
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1', '255.255.255.255', 'not-an-ip']) {
    t.notOk(isPublicAddress(address), address)
  }
})

t.test('refused at acceptance: private literals and names, other schemes, credentials', async t => {
  const fetcher = new SafeFetcher({ allowPrivate: false, timeoutMs: 2000, maxBytes: 1024, resolver: async host => host === 'intranet.example' ? ['10.0.0.7'] : ['93.184.216.34'] })
  t.teardown(() => fetcher.close())
  for (const url of ['http://127.0.0.1/cal.ics', 'http://[::1]/cal.ics', 'http://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/latest/meta-data', 'https://intranet.example/cal.ics']) {
    await t.rejects(fetcher.validate(url, 'body.url'), { message: /body\.url: .*(private|loopback|reserved)/ }, url)
  }
  await t.rejects(fetcher.validate('file:///etc/passwd', 'body.url'), { message: /http:\/\/ or https:\/\// })
  await t.rejects(fetcher.validate('https://user:pw@calendar.example/x', 'body.url'), { message: /user name or password/ })
  t.equal((await fetcher.validate('https://calendar.example/x.ics', 'body.url')).hostname, 'calendar.example')
})

t.test('checked again at connect time: a name that turns private after the check is refused', async t => {
  let calls = 0
  // DNS rebinding: public when accepted, loopback when connecting.
  const fetcher = new SafeFetcher({ allowPrivate: false, timeoutMs: 2000, maxBytes: 1024, resolver: async () => ++calls === 1 ? ['93.184.216.34'] : ['127.0.0.1'] })
  t.teardown(() => fetcher.close())
  const url = await fetcher.validate('http://rebind.example/cal.ics', 'body.url')
  await t.rejects(fetcher.getText(url, 'text/calendar'), /private, loopback/)
})

t.test('with private addresses allowed (tests): fetches, refuses redirects, errors and oversized bodies', async t => {
  const server = createServer((req, res) => {
    if (req.url === '/cal.ics') { res.writeHead(200, { 'content-type': 'text/calendar' }); res.end('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n') }
    else if (req.url === '/moved') { res.writeHead(302, { location: 'http://169.254.169.254/' }); res.end() }
    else if (req.url === '/big') { res.writeHead(200); res.end('x'.repeat(5000)) }
    else { res.writeHead(404); res.end() }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const fetcher = new SafeFetcher({ allowPrivate: true, timeoutMs: 2000, maxBytes: 1024 })
  t.teardown(() => fetcher.close())
  t.match(await fetcher.getText(new URL(`${base}/cal.ics`), 'text/calendar'), { text: /^BEGIN:VCALENDAR/, contentType: 'text/calendar' })
  await t.rejects(fetcher.getText(new URL(`${base}/moved`), 'text/calendar'), /redirects \(302\)/)
  await t.rejects(fetcher.getText(new URL(`${base}/missing`), 'text/calendar'), /answered 404/)
  await t.rejects(fetcher.getText(new URL(`${base}/big`), 'text/calendar'), /larger than 1024 bytes/)
})
