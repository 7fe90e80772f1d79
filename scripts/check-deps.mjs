// CI's dependency check (`npm run check-deps`):
// 1. every installed package's `engines.node` range admits the Node running it (npm only warns);
// 2. `npm audit` finds no known vulnerability — when the advisory endpoint can be reached at all
//    (it cannot from some networks; then that half is reported as skipped, not passed).
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import semver from 'semver'

const ROOT = new URL('..', import.meta.url).pathname
const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8'))
let failed = false

const mismatched = []
let checked = 0
// '' is the project itself: its own engines range must admit the Node that runs it, too.
for (const path of Object.keys(lock.packages)) {
  let manifest
  try {
    manifest = JSON.parse(await readFile(join(ROOT, path, 'package.json'), 'utf8'))
  } catch (err) {
    if (err.code === 'ENOENT') continue // an optional package for another platform
    throw err
  }
  checked++
  const range = manifest.engines?.node
  if (range && !semver.satisfies(process.version, range, { includePrerelease: true })) {
    mismatched.push(`${manifest.name}@${manifest.version} needs node ${range}`)
  }
}
if (mismatched.length > 0) {
  failed = true
  console.error(`engines: ${mismatched.length} installed package(s) do not support Node ${process.version}:\n  ${mismatched.join('\n  ')}`)
} else {
  console.log(`engines: all ${checked} installed packages support Node ${process.version}`)
}

try {
  await promisify(execFile)('npm', ['audit', '--json', '--audit-level=low'], { cwd: ROOT, timeout: 60_000 })
  console.log('audit: no known vulnerabilities')
} catch (err) {
  let report
  try { report = JSON.parse(err.stdout) } catch { report = null }
  const total = report?.metadata?.vulnerabilities?.total
  if (typeof total === 'number' && total > 0) {
    failed = true
    console.error(`audit: ${total} known vulnerabilities:`)
    for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) console.error(`  ${name} (${v.severity}) ${v.range}`)
  } else {
    const reason = report?.message ?? String(err.message).split('\n')[0]
    console.log(`audit: SKIPPED — the advisory endpoint could not be asked (${reason})`)
  }
}

process.exit(failed ? 1 : 0)
