// Headless Chromium for the web app's tests: Debian's `chromium` package driven by playwright-core
// (never a browser download; .ci/run installs the package), with a fresh profile per launch.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ROOT } from './child-server.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

type Test = { teardown: (fn: () => unknown) => void }
// The page's globals, inside page.evaluate() (the tests are type-checked without the DOM library,
// which clashes with Node's fetch types).
declare const document: any, getComputedStyle: any, NodeFilter: any

export async function launchBrowser (t: Test): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does it)`)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  t.teardown(() => browser.close())
  return browser
}

/** The built web app must exist and be built from the sources on disk (npm test's pretest builds it). */
export async function assertWebBuilt (): Promise<void> {
  // Asked of the build script itself (one hash, one place), in a process of its own.
  const check = spawnSync(process.execPath, ['scripts/build-web.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' })
  if (check.status !== 0) throw new Error(`${check.stdout.trim() || check.stderr.trim()}`)
}

/**
 * Collects what must never happen on a page: uncaught errors, CSP violations, failed requests
 * for the app's own files. `problems` is checked at the end of each test.
 */
export function watch (page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', err => problems.push(`page error: ${err.message}`))
  page.on('console', msg => {
    // A 4xx is an answer the app shows (a refused form, the 401 of a signed-out visit), not a fault.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`)
  })
  return problems
}

/**
 * Accessibility checks that need no library: every form control has an accessible name from a
 * visible label (or aria-label), every button and link has a name, and visible text has WCAG AA
 * contrast (4.5:1, 3:1 for large text) against the background it sits on.
 */
export async function a11yProblems (page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    const visible = (el: any) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' }
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || !visible(el)) continue
      const labelled = (el.labels && [...el.labels].some((l: any) => l.textContent.trim() && visible(l))) || el.getAttribute('aria-label')
      if (!labelled) problems.push(`control without a visible label: ${el.outerHTML.slice(0, 120)}`)
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!visible(el)) continue
      if (!(el.textContent.trim() || el.getAttribute('aria-label'))) problems.push(`unnamed ${el.tagName.toLowerCase()}: ${el.outerHTML.slice(0, 120)}`)
    }
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number)
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 }
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }
    const background = (el: any): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor)
        if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3)
      }
      return [255, 255, 255]
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    const seen = new Set<any>()
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement
      if (!el || seen.has(el) || !node.textContent!.trim() || !visible(el) || el.closest('.sr-only, [aria-hidden="true"], button:disabled')) continue
      seen.add(el)
      const style = getComputedStyle(el)
      const [l1, l2] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))].sort((a, b) => b - a)
      const ratio = (l1 + 0.05) / (l2 + 0.05)
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700)
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}:1 for "${node.textContent!.trim().slice(0, 40)}"`)
    }
    return problems
  })
}
