// The project brings its runtime (the `node` devDependency): npm scripts, and so this suite, run on
// Node 24 LTS whatever the system has. A silent fallback to the system's Node fails here.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import semver from 'semver'

t.test('the tests run on Node 24, the version the project pins', async t => {
  t.match(process.versions.node, /^24\./)
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
  t.equal(process.versions.node, pkg.devDependencies.node, 'exactly the pinned release')
  t.ok(semver.satisfies(process.versions.node, pkg.engines.node), `engines.node (${pkg.engines.node}) admits it`)
})
