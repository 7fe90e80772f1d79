// Builds the web app (web/ → web/dist/, Vite) — only when its sources changed since the last
// build: a SHA-256 over web/'s files (but dist/), the lock file (the versions of Vite, Preact…)
// is kept in web/dist/.source-hash, so `npm start` on an unchanged checkout pays one hash of
// a few dozen small files (milliseconds), not a Vite build (seconds). The build goes to a
// temporary folder first and replaces web/dist/ whole, so a half-built app is never served.
// `node scripts/build-web.mjs` builds if needed; `--force` always; `--check` only says (exit 1: stale).
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { glob, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const ROOT = new URL('..', import.meta.url).pathname
const WEB = join(ROOT, 'web')
const OUT = join(WEB, 'dist')
const STAMP = '.source-hash'

export async function webSourceHash () {
  const files = []
  const skip = path => /^(?:dist|\.dist-[^/]*|node_modules)(?:\/|$)/.test(path)
  for await (const file of glob('**/*', { cwd: WEB, exclude: skip })) {
    if (!skip(file)) files.push(file)
  }
  const hash = createHash('sha256')
  for (const file of files.sort()) {
    let content
    try { content = await readFile(join(WEB, file)) } catch (err) { if (err.code === 'EISDIR') continue; throw err }
    hash.update(file).update('\0').update(content).update('\0')
  }
  // No lock file (a partial copy of the project): the sources alone decide.
  hash.update(await readFile(join(ROOT, 'package-lock.json')).catch(() => ''))
  return hash.digest('hex')
}

/**
 * Brotli and gzip copies of the text files beside them, made once here at maximum compression:
 * the service (@fastify/static `preCompressed`) sends the one the browser accepts, no work per request.
 */
async function precompress (dir) {
  for await (const file of glob('**/*.{js,css,html,svg}', { cwd: dir })) {
    const content = await readFile(join(dir, file))
    await writeFile(join(dir, `${file}.br`), await promisify(brotliCompress)(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
    await writeFile(join(dir, `${file}.gz`), await promisify(gzip)(content, { level: 9 }))
  }
}

/** Builds web/dist when stale; returns what it did ('fresh', 'built' or 'skipped: …'). */
export async function buildWeb ({ force = false } = {}) {
  // A copy of the service without the app's sources (the CLI's tests make one) has nothing to build.
  if (!existsSync(join(WEB, 'index.html'))) return 'fresh'
  if (!force && await webIsFresh()) return 'fresh'
  const hash = await webSourceHash()
  let vite
  try {
    vite = await import('vite')
  } catch {
    // A production install (`npm ci --omit=dev`) has no Vite: serve what was built, if anything.
    return `skipped: Vite is not installed (dev dependencies); ${existsSync(join(OUT, 'index.html')) ? 'serving the last build' : 'the web app is not built'}`
  }
  const tmp = join(WEB, `.dist-${process.pid}`)
  try {
    await vite.build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } })
    await precompress(tmp)
    await writeFile(join(tmp, STAMP), hash)
    await rm(OUT, { recursive: true, force: true })
    await rename(tmp, OUT)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
  return 'built'
}

/** Whether web/dist was built from the sources on disk (no build). */
export async function webIsFresh () {
  const stamp = await readFile(join(OUT, STAMP), 'utf8').catch(() => null)
  return stamp === await webSourceHash() && existsSync(join(OUT, 'index.html'))
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--check')) {
  const fresh = await webIsFresh()
  console.log(fresh ? 'web app: fresh' : 'web app: stale or missing: run `npm run build`')
  process.exit(fresh ? 0 : 1)
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now()
  const result = await buildWeb({ force: process.argv.includes('--force') })
  console.log(`web app: ${result} (${Math.round(performance.now() - started)} ms)`)
}
