// The layout's rules, checked on the import graph of the sources (value and type imports alike):
// no import cycles; nothing under src/ imports plugins/ or routes/ (but the composition root,
// src/app.ts); no route imports a plugin file (routes use decorators).
import t from 'tap'
import { globSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const files = globSync(['src/**/*.ts', 'plugins/**/*.ts', 'routes/**/*.ts'], { cwd: ROOT })
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm

/** file → the project files it imports (relative to ROOT, .ts) */
const graph = new Map<string, string[]>()
for (const file of files) {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const targets = [...text.matchAll(IMPORT)].map(m => relative(ROOT, normalize(join(ROOT, dirname(file), m[1]))).replace(/\.js$/, '.ts'))
  graph.set(file, targets)
}

t.test('the scan sees the graph', async t => {
  t.ok(files.length > 60, `${files.length} files`)
  t.ok(graph.get('src/app.ts')!.includes('plugins/app/store.ts'), 'the composition root imports plugins')
  const dangling = [...graph].flatMap(([file, targets]) => targets.filter(target => !graph.has(target)).map(target => `${file} → ${target}`))
  t.same(dangling, [], 'every relative import names a source file')
})

t.test('no import cycles', async t => {
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' → '))
      return
    }
    state.set(file, 'open')
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of graph.keys()) visit(file, [])
  t.same(cycles, [])
})

t.test('src/ is framework-free of plugins/ and routes/ but for src/app.ts; routes use decorators', async t => {
  const offending = [...graph].flatMap(([file, targets]) => targets
    .filter(target => (file.startsWith('src/') && file !== 'src/app.ts' && /^(plugins|routes)\//.test(target)) ||
      (file.startsWith('routes/') && target.startsWith('plugins/')))
    .map(target => `${file} → ${target}`))
  t.same(offending, [])
})
