#!/usr/bin/env node
// The CLI's command: `npx resolution-autopilot …` (or `npx ra …`) from the project directory.
// npx puts node_modules/.bin first on PATH, so `env node` above is the project's Node 24 (the
// `node` devDependency), not the system's. It runs the built JavaScript, rebuilding dist/ first
// (scripts/build.mjs, well under a second) when it is missing or older than any source, so it
// never runs yesterday's code. Nothing here writes to stdout: that holds only the answer (| jq).
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

// Checked before anything newer is used (fs.globSync is Node 22+), so an old Node gets this line.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  process.stderr.write(`resolution-autopilot needs Node.js 24 (this is ${process.version}): run it with npx from the project directory, after npm ci.\n`)
  process.exit(1)
}

const ROOT = join(import.meta.dirname, '..')
const BUILT = join(ROOT, 'dist', 'src', 'cli.js')
// What scripts/build.mjs reads. Directories count too: deleting or renaming a source changes its
// directory's mtime, not any remaining file's, and dist/ would still hold the old module.
const INPUTS = ['src/**', 'plugins/**', 'routes/**', 'scripts/build.mjs', 'scripts/esbuild-options.mjs']

function isStale () {
  let builtAt
  try {
    builtAt = fs.statSync(BUILT).mtimeMs
  } catch {
    return true
  }
  // >=: file times are only as fine as the kernel's clock tick, so "same time" may well be "after".
  return fs.globSync(INPUTS, { cwd: ROOT }).some(path => fs.statSync(join(ROOT, path)).mtimeMs >= builtAt)
}

if (isStale()) {
  // The build's own output (warnings) goes to stderr with everything else that is not the answer.
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 2, 2] })
  if (build.status !== 0) {
    process.stderr.write(`resolution-autopilot: the build failed (node scripts/build.mjs, ${build.error?.message ?? `exit ${build.status ?? build.signal}`}).\n`)
    process.exit(1)
  }
}

const { main } = await import(pathToFileURL(BUILT).href)
await main()
