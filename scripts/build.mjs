// `npm start`'s build: transpiles every TypeScript file of src/, plugins/ and routes/ into dist/
// with esbuild (one file in, one file out — routes are autoloaded from their folders, so nothing
// is bundled), with source maps so stack traces name the .ts lines. It takes well under a second,
// so it runs on every start: what runs is always the code on disk. dist/ is replaced whole, so a
// deleted source file cannot leave a stale route behind. Type-checking is `npm run typecheck`.
// Then the web app (web/ → web/dist/), only when its sources changed: see build-web.mjs.
import { cp, glob, mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { TRANSFORM_OPTIONS } from './esbuild-options.mjs'
import { buildWeb } from './build-web.mjs'

const ROOT = new URL('..', import.meta.url).pathname
// `node scripts/build.mjs [outdir]`: dist/ by default (a test builds into a folder of its own).
const OUT = process.argv[2] ?? 'dist'
const { loader: _loader, ...options } = TRANSFORM_OPTIONS

const entryPoints = []
for await (const file of glob(['src/**/*.ts', 'plugins/**/*.ts', 'routes/**/*.ts'], { cwd: ROOT })) {
  if (!file.endsWith('.d.ts')) entryPoints.push(file)
}

await rm(join(ROOT, OUT), { recursive: true, force: true })
await build({
  absWorkingDir: ROOT,
  entryPoints,
  outdir: OUT,
  outbase: '.',
  bundle: false,
  sourcemap: 'linked',
  logLevel: 'warning',
  ...options
})

// Files that are read at run time beside the code (the PostgreSQL store's SQL migrations).
for await (const file of glob(['src/**/*.sql'], { cwd: ROOT })) {
  await mkdir(dirname(join(ROOT, OUT, file)), { recursive: true })
  await cp(join(ROOT, file), join(ROOT, OUT, file))
}

// The web app, into web/dist/ (whatever OUT is: the service serves it from there) — only when
// its sources changed (scripts/build-web.mjs), so an unchanged checkout starts as fast as before.
const webStarted = performance.now()
const web = await buildWeb()
// On stderr: the CLI rebuilds before it answers, and its stdout holds only the answer.
if (web !== 'fresh') console.error(`web app: ${web} (${Math.round(performance.now() - webStarted)} ms)`)
