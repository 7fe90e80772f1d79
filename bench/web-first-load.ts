// The web app's first load (section 5 of npm run bench; also runnable alone:
// `node --import ./scripts/ts-register.mjs bench/web-first-load.ts`): the built service as a child
// process, a signed-in person with a workout, and headless Chromium (Debian's package) opening the
// home page with an empty cache — bytes on the wire (compressed, headers included, as the
// browser's network layer counts them) and the time until the week's numbers are on screen.
// Median of five cold loads. Skipped with a note where there is no Chromium.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../test/helpers/browser.js'
import { http, ROOT, spawnServer } from '../test/helpers/child-server.js'

const LOADS = 5

export interface FirstLoad { requests: number, bytes: number, msToNumbers: number }

export async function webFirstLoad (): Promise<FirstLoad | string> {
  if (!existsSync(CHROMIUM)) return `skipped: ${CHROMIUM} is missing (apt-get install chromium)`
  // The service and the app as `npm start` builds them (the web app only when its sources changed).
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' })
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-bench-web-'))
  const server = await spawnServer(dataDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const person = await http(server.url, 'POST', '/api/auth/register', { username: 'firstload', password: 'correct horse battery', timezone: 'UTC' })
    await http(server.url, 'POST', '/api/workout/log', { exercise_type: 'run', duration_minutes: 30 }, person.body.sessionId)
    const loads: FirstLoad[] = []
    for (let i = 0; i < LOADS; i++) {
      // A new context each time: an empty cache, as on a first visit; the session cookie as after signing in.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      await context.addCookies([{ name: 'sessionId', value: person.body.sessionId, url: server.url }])
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
      let bytes = 0
      let requests = 0
      cdp.on('Network.loadingFinished', e => { bytes += e.encodedDataLength; requests++ })
      const started = performance.now()
      await page.goto(server.url + '/')
      await page.getByTestId('week-count').waitFor()
      const msToNumbers = performance.now() - started
      await page.waitForLoadState('networkidle')
      loads.push({ requests, bytes, msToNumbers })
      await context.close()
    }
    loads.sort((a, b) => a.msToNumbers - b.msToNumbers)
    return loads[Math.floor(LOADS / 2)]
  } finally {
    await browser.close()
    server.proc.kill('SIGTERM')
    await server.exit
    await rm(dataDir, { recursive: true, force: true })
  }
}

export function printWebFirstLoad (result: FirstLoad | string): void {
  console.log('\n## 5. The web app\'s first load (home, signed in, empty cache; median of 5)')
  if (typeof result === 'string') { console.log(result); return }
  console.log('| requests | transferred | week\'s numbers on screen |')
  console.log('|---|---|---|')
  console.log(`| ${result.requests} | ${(result.bytes / 1024).toFixed(1)} KiB | ${result.msToNumbers.toFixed(0)} ms |`)
}

if (import.meta.url === `file://${process.argv[1]}`) printWebFirstLoad(await webFirstLoad())
