// The fast path's promise: a warm request (a credential this instance has verified before, a
// cached response) costs ONE Redis round trip — the session read, every rate-limit scope and the
// cache read start together and travel as one pipeline. Counted on the wire: a TCP proxy between
// the service and a private Redis counts what the service writes. And nothing the Redis layer
// promised gives way: the session is still read every time (a logout is seen at once), limits
// still count per user, the cache still answers the user's own day.
import { once } from 'node:events'
import { createServer, connect, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import { build, logWorkout, register } from '../helpers/build-app.js'
import { startRedis } from '../helpers/redis-server.js'

/** A loopback proxy to `port`; `writes` counts the chunks clients send (one per pipeline flush). */
async function countingProxy (t: Test, port: number) {
  const state = { writes: 0 }
  const sockets = new Set<Socket>()
  const server = createServer(client => {
    const upstream = connect(port, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.on('data', chunk => { state.writes++; upstream.write(chunk) })
    upstream.on('data', chunk => client.write(chunk))
    const close = () => { client.destroy(); upstream.destroy() }
    client.on('close', close).on('error', close)
    upstream.on('close', close).on('error', close)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { for (const s of sockets) s.destroy(); server.close() })
  return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, state }
}

t.test('a warm history read is one Redis round trip; the session is still checked every time', async t => {
  const redis = await startRedis(t)
  const proxy = await countingProxy(t, redis.port)
  const app = await build(t, { env: { REDIS_URL: proxy.url, RATE_LIMIT_API_MAX: '1000', RATE_LIMIT_WORKOUT_MAX: '1000' } })
  const alex = await register(app, 'alex')
  await logWorkout(app, alex)
  const history = () => app.inject({ url: '/api/workout/history', headers: alex.headers })
  t.equal((await history()).headers['x-cache'], 'MISS')

  const before = proxy.state.writes
  const remaining: number[] = []
  for (let i = 0; i < 10; i++) {
    const res = await history()
    t.equal(res.headers['x-cache'], 'HIT')
    remaining.push(Number(res.headers['x-ratelimit-remaining']))
  }
  const writes = proxy.state.writes - before
  // (+1: the health ping, every 5 s while Redis is up, may fall inside the window.)
  t.ok(writes <= 11, `10 warm requests wrote to Redis ${writes} times (one pipeline each; three round trips each before)`)
  t.same(remaining, remaining.map((_, i) => remaining[0] - i), 'each request still counted once against the user\'s limit')

  // Logged out: the very next request with the old credential is refused (the session is read every time).
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: alex.headers })).statusCode, 204)
  const after = await history()
  t.equal(after.statusCode, 401, 'the ended session is refused at once')
  t.notOk(after.headers['x-cache'], 'and nothing cached was served')
})

t.test('a credential whose session ended elsewhere is refused at once, and counts against the address, not the user', async t => {
  const redis = await startRedis(t)
  const env = { REDIS_URL: redis.url, RATE_LIMIT_API_MAX: '1000' }
  const a = await build(t, { env })
  const b = await build(t, { env })
  const sam = await register(a, 'sam')
  for (let i = 0; i < 3; i++) t.equal((await a.inject({ url: '/api/me', headers: sam.headers })).statusCode, 200)
  // B ends every session of sam (a password change ends the others; logout ends this one).
  t.equal((await b.inject({ method: 'POST', url: '/api/auth/logout', headers: sam.headers })).statusCode, 204)
  const refused = await a.inject({ url: '/api/me', headers: sam.headers })
  t.equal(refused.statusCode, 401, 'A, which knew the credential, refuses it at once')
  const fresh = await a.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'sam', password: 'correct horse battery' } })
  t.equal(fresh.statusCode, 200)
  const me = await a.inject({ url: '/api/me', headers: { 'x-session-id': fresh.json().sessionId } })
  t.equal(me.statusCode, 200, 'a new login works as before')
})
