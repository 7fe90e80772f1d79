// Serving the web app (plugins/external/static.ts): index.html at / and, for a browser asking for
// HTML, at every app path; the API's 404s stay JSON; hashed assets cached for good and sent
// precompressed; a strict CSP on the page. And what an unbuilt checkout answers.
import t from 'tap'
import Fastify from 'fastify'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import errorHandler from '../../plugins/app/error-handler.js'
import webApp, { WEB_DIST } from '../../plugins/external/static.js'
import { build, tempDir } from '../helpers/build-app.js'
import { assertWebBuilt } from '../helpers/browser.js'

await assertWebBuilt()
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }

t.test('the page, its app paths and the API beside it', async t => {
  const app = await build(t)
  const home = await app.inject({ url: '/', headers: HTML })
  t.equal(home.statusCode, 200)
  t.match(home.headers['content-type'], /text\/html/)
  t.equal(home.headers['cache-control'], 'no-cache', 'a new build is seen at once')
  t.match(home.body, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/)
  t.notMatch(home.body, /<script>|<style>| style=/, 'no inline script or style')
  const csp = String(home.headers['content-security-policy'])
  t.match(csp, /script-src 'self'(;|$)/)
  t.match(csp, /style-src 'self'(;|$)/)
  t.notMatch(csp, /unsafe-inline|unsafe-eval/)

  for (const path of ['/coach', '/plan?x=1', '/settings/anything']) {
    const page = await app.inject({ url: path, headers: HTML })
    t.equal(page.statusCode, 200, `${path}: the app`)
    t.equal(page.body, home.body)
  }
  const head = await app.inject({ method: 'HEAD', url: '/inbox', headers: HTML })
  t.equal(head.statusCode, 200)

  for (const [url, headers, why] of [
    ['/api/nope', HTML, 'under /api'],
    ['/documentation/nope', HTML, 'under /documentation'],
    ['/coach', {}, 'not asking for HTML (an API client, a scanner)'],
    ['/coach', { accept: 'application/json' }, 'asking for JSON'],
    ['/favicon.png', HTML, 'a file that is not there'],
    ['/.source-hash', {}, "the build's stamp"]
  ] as const) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, 404, `${url}: ${why}`)
    t.match(res.json(), { statusCode: 404, error: 'Not Found' })
  }
  const post = await app.inject({ method: 'POST', url: '/coach', headers: { ...HTML, 'content-type': 'application/json' }, payload: '{}' })
  t.equal(post.statusCode, 404, 'only GET and HEAD')
  t.equal((await app.inject({ url: '/documentation/json' })).statusCode, 200, 'the docs are untouched')
})

t.test('hashed assets: cached for a year, precompressed', async t => {
  const app = await build(t)
  const js = readdirSync(join(WEB_DIST, 'assets')).find(f => f.endsWith('.js'))!
  const plain = await app.inject({ url: `/assets/${js}` })
  t.equal(plain.statusCode, 200)
  t.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.match(plain.headers['content-type'], /javascript/)
  t.notOk(plain.headers['content-encoding'])
  const br = await app.inject({ url: `/assets/${js}`, headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.ok(br.rawPayload.length < plain.rawPayload.length / 2, `${plain.rawPayload.length} → ${br.rawPayload.length} bytes`)
  const gz = await app.inject({ url: `/assets/${js}`, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.equal((await app.inject({ url: '/assets/index-nothere1.js' })).statusCode, 404)
})

t.test('an unbuilt checkout says how to build instead of a blank page', async t => {
  const app = Fastify({ logger: false })
  t.teardown(() => app.close())
  await app.register(errorHandler)
  await app.register(webApp, { root: await tempDir(t) })
  const home = await app.inject({ url: '/', headers: HTML })
  t.equal(home.statusCode, 503)
  t.match(home.body, /npm run build/)
  t.equal((await app.inject({ url: '/plan', headers: HTML })).statusCode, 503)
  t.equal((await app.inject({ url: '/api/x', headers: HTML })).statusCode, 404)
})
