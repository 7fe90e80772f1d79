// After `npm install` / `npm ci`: rebuild tap with this project's plugin set (package.json "tap":
// without @tapjs/typescript, whose loader needs TypeScript's JS API, gone in TypeScript 7).
// tap notices a changed plugin set by itself, but only rebuilds during a run — after it has chosen
// the loaders for that run — so the first `npm test` of a fresh install would fail without this.
// Skipped where dev dependencies are not installed (a production install has no tap).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (existsSync(new URL('../node_modules/tap/package.json', import.meta.url))) {
  const { status } = spawnSync('tap', ['build'], { stdio: ['ignore', 'ignore', 'inherit'], shell: false })
  process.exit(status ?? 1)
}
