// The one table of `npm run bench` (issue #17) and bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Row } from './service.js'

const cell = (n: number | null, digits = 0) => n === null || !Number.isFinite(n) ? '—' : n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const verdict = (pass: boolean | null) => pass === null ? '— not measured' : pass ? '✓' : '✗ below target'

export function printTable (rows: Row[], caption: string): void {
  console.log('\n## The service against its baseline (issue #17)\n')
  console.log(caption + '\n')
  console.log('| scenario | req/s | p50 ms | p99 ms | errors | ratio | target | measured | pass |')
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${cell(r.rps)} | ${cell(r.p50_ms, 2)} | ${cell(r.p99_ms, 2)} | ${cell(r.errors)} | ${cell(r.ratio, 2)} | ${r.target} | ${r.measured} | ${verdict(r.pass)} |`)
  }
  const missed = rows.filter(r => r.pass === false)
  const rowNumbers = missed.map(r => rows.indexOf(r) + 1)
  console.log(`\n${rows.filter(r => r.pass).length} of ${rows.length} targets met${missed.length ? `; missed: row${rowNumbers.length > 1 ? 's' : ''} ${rowNumbers.join(', ')} (from the top)` : ''}.`)
}

/** bench/results/latest.json (git-ignored; docs/PERFORMANCE.md keeps a full run). */
export async function writeResults (rows: Row[]): Promise<string> {
  const dir = join(import.meta.dirname, 'results')
  await mkdir(dir, { recursive: true })
  const file = join(dir, 'latest.json')
  await writeFile(file, JSON.stringify(rows.map(({ scenario, rps, p50_ms, p99_ms, errors, ratio, target, pass, measured }) => ({ scenario, rps, p50_ms, p99_ms, errors, ratio, target, pass, measured })), null, 2) + '\n')
  return file
}
