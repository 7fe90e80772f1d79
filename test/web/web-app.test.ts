// The web app end to end in headless Chromium, against the real service (built app, real store
// on a temp DATA_DIR, the coach through a stub OpenAI-compatible server so its replies are
// scripted): sign up, log a workout and see the week change, chat with the streamed coach, edit
// the plan, import an .ics and see the conflict, read a nudge, confirm a proposal, sign out and be
// refused; a 375 px phone run of the home page; a cross-origin form post refused (CSRF).
// `SCREENSHOTS=1` also writes docs/screenshots/*.png.
import t, { type Test } from 'tap'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { BrowserContext, Page } from 'playwright-core'
import { build, PASSWORD, tempDir } from '../helpers/build-app.js'
import { startStubLlm } from '../helpers/stub-llm.js'
import { ROOT } from '../helpers/child-server.js'
import { a11yProblems, assertWebBuilt, launchBrowser, watch } from '../helpers/browser.js'

await assertWebBuilt()
// The page's globals, inside page.evaluate() (no DOM library in the tests' type-check).
declare const document: any, scrollTo: (x: number, y: number) => void, innerWidth: number
const SHOTS = process.env.SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : null
const DESKTOP = { width: 1280, height: 860 }
const PHONE = { width: 375, height: 812 }

const stub = await startStubLlm(t)
const app = await build(t, {
  env: { LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', LLM_BASE_URL: stub.url, LLM_MODEL: 'stub-model', AUTOPILOT_ENABLED: 'false' }
})
const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
const browser = await launchBrowser(t)
const dir = await tempDir(t, 'ra-web-')

async function shot (page: Page, name: string) {
  if (!SHOTS) return
  await mkdir(SHOTS, { recursive: true })
  await page.evaluate(() => { document.activeElement?.blur(); scrollTo(0, 0) })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false, scale: 'css' })
}

async function newPage (context: BrowserContext) {
  const page = await context.newPage()
  page.setDefaultTimeout(30_000)
  return { page, problems: watch(page) }
}

/** Follows a link of the header and waits until the page has taken the focus (as it does after every move). */
async function go (page: Page, name: string | RegExp) {
  await page.getByRole('navigation').getByRole('link', { name, exact: typeof name === 'string' ? true : undefined }).click()
  await page.waitForFunction(() => document.activeElement?.id === 'main')
}

async function checkA11y (t: Test, page: Page, where: string) {
  t.same(await a11yProblems(page), [], `${where}: labels, names and contrast`)
}

const today = new Date().toISOString().slice(0, 10)
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)

t.test('a person in a desktop browser', async t => {
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'UTC', locale: 'en-GB' })
  t.teardown(() => context.close())
  const { page, problems } = await newPage(context)
  const weekCount = () => page.getByTestId('week-count').locator('strong').textContent()

  await t.test('signs up and lands on this week', async t => {
    await page.goto(base + '/')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await checkA11y(t, page, 'sign-in page')
    await page.getByRole('button', { name: 'Create an account' }).click()
    await page.getByLabel('Username').fill('alice')
    await page.getByLabel('Password').fill('short')
    await page.getByLabel('Time zone').fill('UTC')
    await page.getByRole('button', { name: 'Create account' }).click()
    // The browser's own check stops a short password; past it, the API's message is shown.
    t.equal(await page.getByLabel('Password').evaluate((el: any) => el.validity.valid), false, 'too short for the form')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByLabel('Time zone').fill('Mars/Olympus')
    await page.getByRole('button', { name: 'Create account' }).click()
    t.match(await page.getByRole('alert').textContent(), /time ?zone/i, "the API's error message is shown")
    await page.getByLabel('Time zone').fill('UTC')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'This week' }).waitFor()
    t.equal(await weekCount(), '0', 'no session yet')
    const cookie = (await context.cookies()).find(c => c.name === 'sessionId')!
    t.match(cookie, { httpOnly: true, sameSite: 'Lax', secure: false }, 'HttpOnly, SameSite=Lax (Secure over TLS)')
    t.equal(await page.evaluate(() => document.cookie), '', 'the page cannot read the session')
  })

  await t.test('logs a workout with the keyboard and sees this week change', async t => {
    await page.reload()
    await page.getByRole('heading', { name: 'This week' }).waitFor()
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab stop skips the navigation')
    await page.getByLabel('Type').focus()
    await page.keyboard.press('End') // the last type: other
    await page.keyboard.press('Tab')
    await page.keyboard.type('45')
    await page.keyboard.press('Tab')
    await page.keyboard.type('easy 5k')
    await page.keyboard.press('Enter')
    await page.getByText('Logged 45 min of other.').waitFor()
    await page.getByTestId('week-count').getByText('1', { exact: true }).waitFor()
    t.equal(await weekCount(), '1', 'one session this week')
    t.match(await page.getByTestId('buffer').textContent(), /more session|target is met/)
    await page.locator('.chart canvas').waitFor()
    t.ok(await page.locator('.chart canvas').count() >= 1, 'the habit chart is drawn (uPlot)')
    await checkA11y(t, page, 'home')
  })

  await t.test('chats with the coach and sees the streamed reply and the tool that ran', async t => {
    stub.push(
      { toolCalls: [{ name: 'logWorkout', arguments: { exercise_type: 'yoga', duration_minutes: 30 } }] },
      { text: 'Logged 30 minutes of yoga. That is two sessions this week — keep going.' }
    )
    await go(page, 'Coach')
    await page.getByRole('heading', { name: 'Coach' }).waitFor()
    await page.getByLabel('Message to the coach').fill('did 30 min of yoga')
    await page.keyboard.press('Enter')
    await page.getByTestId('reply').getByText('keep going').waitFor()
    t.match(await page.getByTestId('tool').first().textContent(), /logWorkout — Logged 30 min of yoga/)
    t.ok(stub.requests.at(-1)!.body.stream, 'the reply was streamed from the model')
    await page.reload()
    await page.getByTestId('reply').getByText('keep going').waitFor()
    t.pass('the conversation survives a reload (it is the server\'s)')
    await checkA11y(t, page, 'coach')
    await shot(page, 'coach-desktop')
  })

  await t.test('edits the plan', async t => {
    await go(page, 'Plan')
    await page.getByLabel('Sessions per week').fill('3')
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) await page.getByLabel(day).check()
    await page.getByLabel('Window from').fill('18:00')
    await page.getByLabel('to', { exact: true }).fill('19:00')
    await page.getByRole('button', { name: 'Save plan' }).click()
    const outcome = page.locator('#plan-h ~ form').locator('.notice:not(:empty), .alert')
    await outcome.first().waitFor()
    t.equal(await outcome.first().textContent(), 'Plan saved.')
    await page.reload()
    t.equal(await page.getByLabel('Sessions per week').inputValue(), '3', 'kept after a reload')
    t.equal(await page.getByLabel('Window from').inputValue(), '18:00')
    await checkA11y(t, page, 'plan')
    await shot(page, 'plan-desktop')
  })

  await t.test('imports a small .ics and sees the conflict', async t => {
    const ics = join(dir, 'work.ics')
    const stamp = (d: string, hm: string) => `${d.replaceAll('-', '')}T${hm}00Z`
    await writeFile(ics, ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:dinner@test',
      `DTSTAMP:${stamp(today, '0000')}`, `DTSTART:${stamp(tomorrow, '1800')}`, `DTEND:${stamp(tomorrow, '1900')}`,
      'SUMMARY:Team dinner', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'))
    await go(page, 'Calendar')
    await page.getByLabel('Import an .ics file').setInputFiles(ics)
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByText('Imported 1 event (1 occurrence).').waitFor()
    await page.getByTestId('conflicts').getByText('Team dinner').waitFor()
    t.match(await page.getByTestId('conflicts').textContent(), /18:00–19:00 clashes with “Team dinner”/)
    await page.getByRole('button', { name: 'Make a feed address' }).click()
    t.match(await page.getByLabel('Feed address').inputValue(), /\/api\/calendar\.ics\?token=/)
    await checkA11y(t, page, 'calendar')
    await shot(page, 'calendar-desktop')
  })

  await t.test('sees an in-app nudge in the header and marks it read', async t => {
    const sent = await page.request.post(base + '/api/nudges', { data: { message: 'Gym at 18:00 — you planned it', channel: 'in_app' } })
    t.equal(sent.status(), 202)
    await page.reload()
    const badge = page.getByRole('link', { name: /Inbox/ }).locator('.badge')
    await badge.waitFor()
    t.equal(await badge.getAttribute('aria-label'), '1 unread')
    await go(page, /Inbox/)
    const nudge = page.getByTestId('nudge').filter({ hasText: 'Gym at 18:00' })
    await nudge.getByRole('button', { name: 'Mark read' }).click()
    await nudge.getByRole('button', { name: 'Mark unread' }).waitFor()
    await badge.waitFor({ state: 'detached' })
    t.pass('read: the unread count is gone')
  })

  await t.test('confirms an intervention the coach proposed', async t => {
    stub.push(
      { toolCalls: [{ name: 'bookIntervention', arguments: { type: 'calendar' } }] },
      { text: 'I proposed a workout block in your next free slot: confirm it in your inbox.' }
    )
    await go(page, 'Coach')
    await page.getByLabel('Message to the coach').fill('find me a slot')
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByTestId('reply').getByText('confirm it in your inbox').waitFor()
    await go(page, /Inbox/)
    const proposal = page.locator('.proposal').filter({ hasText: 'A workout block' })
    await proposal.waitFor()
    await shot(page, 'inbox-desktop')
    await checkA11y(t, page, 'inbox')
    await proposal.getByRole('button', { name: 'Confirm' }).click()
    await page.getByText('Nothing waits for your answer.').waitFor()
    const done = await page.request.get(base + '/api/interventions')
    t.match((await done.json()).interventions[0], { type: 'calendar', status: 'deployed' })
    await page.locator('#past-h ~ ul').getByRole('button', { name: 'Helpful', exact: true }).click()
    await page.getByText('You found it helpful').waitFor()
    t.pass('feedback given')
  })

  await t.test('makes a commitment and sees what is at stake', async t => {
    await go(page, 'Commitment')
    await page.getByLabel('Stake').fill('50')
    await page.getByLabel('Bonus when kept (%)').fill('10')
    await page.getByRole('button', { name: 'Commit' }).click()
    await page.getByRole('heading', { name: 'Milestones' }).waitFor()
    t.match(await page.locator('#stake-h ~ *').allTextContents(), ['€50.00'])
    t.equal(await page.locator('#milestones-h ~ ol li').count(), 4, 'four milestones')
    await checkA11y(t, page, 'commitment')
  })

  await t.test('other pages render without errors and pass the checks', async t => {
    for (const [link, heading] of [['Workouts', 'Workouts'], ['Commitment', 'Commitment'], ['Settings', 'Settings']]) {
      await page.getByRole('link', { name: link, exact: true }).click()
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
      await page.waitForLoadState('networkidle')
      await checkA11y(t, page, link)
    }
    await page.locator('#preferences-h ~ form').getByLabel('Messages to my buddy').check()
    await page.locator('#preferences-h ~ form').getByRole('button', { name: 'Save' }).click()
    await page.locator('#preferences-h ~ form').getByText('Saved.').waitFor()
    t.match(await (await page.request.get(base + '/api/me/preferences')).json(), { interventions: { social: true } })
    await page.getByRole('button', { name: 'Test in-app' }).click()
    await page.getByText('A test message is on its way (in-app).').waitFor()
    await checkA11y(t, page, 'settings after changes')
    await shot(page, 'settings-desktop')
    await go(page, 'Workouts')
    await page.getByRole('button', { name: /^Delete other, 45 min/ }).waitFor()
    page.once('dialog', d => void d.accept())
    await page.getByRole('button', { name: /^Delete other, 45 min/ }).click()
    await page.getByRole('button', { name: /^Delete other, 45 min/ }).waitFor({ state: 'detached' })
    t.pass('a past workout deleted')
  })

  await t.test('signs out and is refused', async t => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    const me = await page.request.get(base + '/api/me')
    t.equal(me.status(), 401, 'the session is over')
    await page.goto(base + '/coach')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    t.pass('an app page asks to sign in again')
  })

  t.same(problems, [], 'no page errors, no CSP violations')
})

t.test('the home page on a 375 px phone', async t => {
  const context = await browser.newContext({ viewport: PHONE, timezoneId: 'UTC', locale: 'en-GB', hasTouch: true })
  t.teardown(() => context.close())
  const { page, problems } = await newPage(context)
  await page.goto(base + '/')
  await page.getByLabel('Username').fill('alice')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'This week' }).waitFor()
  await page.locator('.chart canvas').waitFor()
  t.equal(await page.getByTestId('week-count').locator('strong').textContent(), '1', 'the yoga from the coach (the 45 min were deleted)')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  t.ok(width <= PHONE.width, `no horizontal scrolling (${width} px)`)
  const tooWide = await page.evaluate(() => [...document.querySelectorAll('main *')].filter((el: any) => el.getBoundingClientRect().right > innerWidth + 1).map((el: any) => el.outerHTML.slice(0, 80)))
  t.same(tooWide, [], 'nothing sticks out of the screen')
  await checkA11y(t, page, 'phone home')
  await go(page, 'Coach')
  await page.getByTestId('reply').first().waitFor()
  await shot(page, 'coach-phone')

  // The first load, signed in: bytes transferred and time to the week's numbers on screen.
  const fresh = await browser.newContext({ viewport: PHONE, timezoneId: 'UTC', storageState: await context.storageState() })
  t.teardown(() => fresh.close())
  const cold = await fresh.newPage()
  // Bytes on the wire (compressed, headers included), as the browser's network layer counts them.
  const cdp = await fresh.newCDPSession(cold)
  await cdp.send('Network.enable')
  let bytes = 0
  let requests = 0
  cdp.on('Network.loadingFinished', e => { bytes += e.encodedDataLength; requests++ })
  const started = Date.now()
  await cold.goto(base + '/')
  await cold.getByTestId('week-count').waitFor()
  const ms = Date.now() - started
  await cold.waitForLoadState('networkidle')
  t.comment(`first load (home, signed in): ${requests} requests, ${(bytes / 1024).toFixed(1)} KiB transferred; the week's numbers on screen after ${ms} ms`)
  t.ok(bytes < 100 * 1024, 'under 100 KiB on the wire')
  t.ok(ms < 10_000)
  t.same(problems, [], 'no page errors, no CSP violations')
})

t.test('settings: resolution, export, delete the account', async t => {
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'UTC', acceptDownloads: true })
  t.teardown(() => context.close())
  const { page, problems } = await newPage(context)
  await page.goto(base + '/')
  await page.getByRole('button', { name: 'Create an account' }).click()
  await page.getByLabel('Username').fill('bob')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'This week' }).waitFor()

  // A workout earlier today (at midnight, in bob's zone: UTC), then corrected from the history.
  await go(page, 'Workouts')
  await page.getByLabel('Type').selectOption('cycling')
  await page.getByLabel('Minutes').first().fill('40')
  await page.getByLabel('Earlier today').check()
  await page.getByLabel('At', { exact: true }).fill('00:00')
  await page.getByRole('button', { name: 'Log workout' }).click()
  await page.getByText('Logged 40 min of cycling.').waitFor()
  const row = page.locator('#history-h ~ ul li').first()
  t.match(await row.textContent(), /cycling · 40 min · .* 00:00/, 'logged at 00:00 today')
  await row.getByRole('button', { name: /^Correct cycling/ }).click()
  await row.getByLabel('Minutes').fill('50')
  await row.getByRole('button', { name: 'Save' }).click()
  await page.locator('#history-h ~ ul li').first().getByText(/cycling · 50 min/).waitFor()
  t.pass('corrected to 50 min')
  await checkA11y(t, page, 'workouts')

  await go(page, 'Settings')
  await page.getByLabel('Resolution').fill('Gym 3× a week until spring')
  await page.getByRole('button', { name: 'Save profile' }).click()
  await page.getByText('Saved.').waitFor()
  await go(page, 'This week')
  await page.getByText('“Gym 3× a week until spring”').waitFor()
  t.pass('the resolution is on the home page')

  await go(page, 'Settings')
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export my data (JSON)' }).click()
  const file = await download
  t.equal(file.suggestedFilename(), 'resolution-autopilot-bob.json')
  const exported = JSON.parse(await readFile((await file.path())!, 'utf8'))
  t.match(exported, { account: { username: 'bob', resolution: 'Gym 3× a week until spring' } })

  await page.getByLabel('Password, to delete your account').fill('wrong password')
  page.once('dialog', d => void d.accept())
  await page.getByRole('button', { name: 'Delete my account' }).click()
  t.match(await page.locator('#data-h ~ .alert').textContent(), /password/i, "the API's refusal is shown")
  await page.getByLabel('Password, to delete your account').fill(PASSWORD)
  page.once('dialog', d => void d.accept())
  await page.getByRole('button', { name: 'Delete my account' }).click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await page.getByLabel('Username').fill('bob')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  t.match(await page.getByRole('alert').textContent(), /username or password/i, 'the account is gone')
  t.same(problems, [], 'no page errors, no CSP violations')
})

t.test('screenshots of a person with some history', { skip: SHOTS ? false : 'SCREENSHOTS is not set' }, async t => {
  // Eleven weeks of a 4-a-week plan: mostly kept, a slack patch in the middle, back on track.
  const reg = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'sam', password: PASSWORD, timezone: 'UTC' } })
  const headers = { 'x-session-id': reg.json().sessionId }
  await app.inject({ method: 'PATCH', url: '/api/me', headers, payload: { resolution: 'Gym 4× a week for 12 weeks' } })
  const monday = (weeksAgo: number) => { const d = new Date(); d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7 * weeksAgo); return d.toISOString().slice(0, 10) }
  t.equal((await app.inject({ method: 'PUT', url: '/api/me/plan', headers, payload: { start_date: monday(11), weekdays: ['mon', 'wed', 'fri', 'sat'], window_start: '07:00', window_end: '08:00' } })).statusCode, 200)
  const types = ['running', 'strength', 'cycling', 'yoga']
  for (let w = 11; w >= 1; w--) {
    const days = w === 6 || w === 5 ? [0] : w === 7 ? [0, 2] : [0, 2, 4, 5]
    for (const [i, d] of days.entries()) {
      const at = new Date(`${monday(w)}T07:10:00Z`)
      at.setUTCDate(at.getUTCDate() + d)
      const res = await app.inject({ method: 'POST', url: '/api/workout/log', headers, payload: { exercise_type: types[i], duration_minutes: 30 + 5 * i, performed_at: at.toISOString() } })
      t.equal(res.statusCode, 201)
    }
  }
  await app.inject({ method: 'POST', url: '/api/workout/log', headers, payload: { exercise_type: 'running', duration_minutes: 35, performed_at: new Date(`${monday(0)}T07:10:00Z`).toISOString() } })
  for (const viewport of [DESKTOP, PHONE]) {
    const context = await browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-GB' })
    const page = await context.newPage()
    await page.goto(base + '/')
    await page.getByLabel('Username').fill('sam')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('.chart canvas').waitFor()
    await shot(page, viewport === PHONE ? 'home-phone' : 'home-desktop')
    if (viewport === DESKTOP) {
      await go(page, 'Workouts')
      await page.locator('.list li').first().waitFor()
      await shot(page, 'workouts-desktop')
    }
    await context.close()
  }
})

t.test('with no model configured, the offline coach answers in the browser', async t => {
  const offline = await build(t, { env: { AUTOPILOT_ENABLED: 'false' } })
  const offlineBase = (await offline.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  const context = await browser.newContext({ viewport: PHONE, timezoneId: 'UTC' })
  t.teardown(() => context.close())
  const { page, problems } = await newPage(context)
  await page.goto(offlineBase + '/')
  await page.getByRole('button', { name: 'Create an account' }).click()
  await page.getByLabel('Username').fill('olga')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'This week' }).waitFor()
  await go(page, 'Coach')
  await page.getByLabel('Message to the coach').fill('how am I doing?')
  await page.getByRole('button', { name: 'Send' }).click()
  const reply = page.getByTestId('reply').first()
  await page.waitForFunction(() => { const r = document.querySelector('[data-testid="reply"]'); return r && r.getAttribute('aria-busy') !== 'true' && r.textContent.replace('Coach:', '').trim().length > 20 })
  t.ok((await reply.textContent())!.length > 20, 'an answer')
  t.ok(await page.getByTestId('tool').count() >= 1, 'its tools are shown')
  t.same(problems, [])
})

t.test('the CSP lets the API documentation (Swagger UI) work beside the app', async t => {
  const context = await browser.newContext({ viewport: DESKTOP })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  await page.goto(base + '/documentation')
  await page.locator('.swagger-ui .info .title').waitFor()
  t.match(await page.locator('.swagger-ui .info .title').textContent(), /Resolution Autopilot API/)
  await page.locator('.opblock-summary-path').first().waitFor()
  t.ok(await page.locator('.opblock-summary-path').count() > 40, 'the operations are listed')
  // (Swagger UI sets one inline style the strict style-src blocks; the page works without it.)
  t.same(errors, [], 'no script error')
})

t.test('CSRF: a form on another origin cannot log a workout with the session cookie', async t => {
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'UTC' })
  t.teardown(() => context.close())
  const { page } = await newPage(context)
  await page.goto(base + '/')
  await page.getByLabel('Username').fill('alice')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'This week' }).waitFor()
  const count = async () => (await (await page.request.get(base + '/api/workout/history?days_back=7')).json()).workouts.length
  const before = await count()

  // Another site (same host, another port: same-site, so SameSite=Lax still sends the cookie —
  // only the Origin check stands in the way), with the classic JSON-in-text/plain form.
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(`<form method="POST" action="${base}/api/workout/log" enctype="text/plain">
      <input name='{"exercise_type":"running","duration_minutes":30,"notes":"' value='csrf"}'></form>
      <script>document.forms[0].submit()</script>`)
  })
  evil.listen(0, '127.0.0.1')
  await once(evil, 'listening')
  t.teardown(() => evil.close())
  const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`
  const refused = page.waitForResponse(res => res.url().endsWith('/api/workout/log'))
  await page.goto(evilUrl)
  const res = await refused
  t.equal(res.status(), 403, 'refused')
  t.match(await res.json(), { message: /Cross-site request refused/ })
  t.match((await res.request().allHeaders()).cookie ?? '', /sessionId=/, 'the browser did send the session cookie')
  t.equal(await count(), before, 'no workout was logged')
})
