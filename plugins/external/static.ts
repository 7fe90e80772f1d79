// The web app (@fastify/static): web/dist, built from web/ by `npm start`/`npm run build`
// (scripts/build-web.mjs), served at `/`. Vite names every asset by its content hash, so those are
// cached for a year (`immutable`); index.html is revalidated on every load (`no-cache`), so a
// new build is picked up at once. Any other GET that is not under /api or /documentation and
// asks for HTML gets index.html (the app routes in the browser: /coach, /plan… survive a reload);
// everything else keeps the JSON 404 of the error handler.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** The project root: the nearest folder above this file with a package.json (runs from src or dist/). */
function projectRoot (): string {
  let dir = import.meta.dirname
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return dir
}

export const WEB_DIST = join(projectRoot(), 'web', 'dist')
const NOT_THE_APP = /^\/(?:api|documentation|health|metrics)(?:[/?]|$)/
const HASHED_ASSET = /\/assets\/[^/]+-[\w-]{8,}\.\w+(?:\.br|\.gz)?$/

export default fp(async function webApp (fastify, options: { root?: string }) {
  const root = options.root ?? WEB_DIST
  const built = existsSync(join(root, 'index.html'))
  if (built) {
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/',
      // Routes for the files that exist at start, not a catch-all: the SPA fallback below is ours.
      wildcard: false,
      index: false,
      // web/dist holds .br and .gz copies made at build time: sent to browsers that accept them.
      preCompressed: true,
      // Not the build's stamp (.source-hash) or any other dotfile.
      allowedPath: path => !path.split('/').some(part => part.startsWith('.')),
      setHeaders (reply, path) {
        reply.header('cache-control', HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache')
      }
    })
  }

  const sendApp = (reply: FastifyReply) => built
    ? reply.header('cache-control', 'no-cache').sendFile('index.html', root)
    : reply.code(503).type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build` (it needs the dev dependencies).')

  fastify.get('/', { schema: { hide: true } }, (_request, reply) => sendApp(reply))
  // The SPA fallback rides on the 404 handler (no catch-all route: unknown URLs stay "unmatched"
  // in the metrics and JSON for API clients): a browser navigating to an app path — a GET that
  // asks for HTML, outside the API and the docs, not a file — gets index.html.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.is404 || (request.method !== 'GET' && request.method !== 'HEAD')) return
    const path = request.url.split('?')[0]
    if (NOT_THE_APP.test(path) || /\.\w+$/.test(path) || !/\btext\/html\b/.test(request.headers.accept ?? '')) return
    return sendApp(reply)
  })
}, { name: 'web-app', dependencies: ['error-handler'] })
