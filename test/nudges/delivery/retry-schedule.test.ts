// When a nudge is tried again: soon after a blip, rarely when the receiver is really down, never
// beyond the cap, the same schedule for the same nudge, different nudges spread out.
import t from 'tap'
import { retryDelayMs, shouldGiveUp } from '../../../src/nudges/delivery/retry-schedule.js'
import { parseRetryAfter } from '../../../src/nudges/delivery/retry-after.js'

const maxMs = 10 * 60_000
const keys = Array.from({ length: 200 }, (_, i) => `nudge-${i}`)

t.test('the first retry comes within 5 s; delays grow to the cap and stay there', async t => {
  for (const key of keys) {
    const delays = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, { maxMs, key }))
    if (delays[0] > 5000 || delays[0] < 1000) t.fail(`${key}: first retry after ${delays[0]} ms`)
    for (let i = 1; i < delays.length; i++) if (delays[i] < delays[i - 1]) t.fail(`${key}: ${delays.join(', ')} decreases`)
    if (delays.some(d => d > maxMs)) t.fail(`${key}: above the cap`)
    if (delays[6] !== delays[11]) t.fail(`${key}: not settled at the cap`)
  }
  const one = Array.from({ length: 7 }, (_, i) => retryDelayMs(i + 1, { maxMs, key: 'nudge-0' }))
  t.ok(one[1] >= 3 * one[0] && one[2] >= 3 * one[1], `grows about ×4: ${one.join(', ')}`)
  t.ok(one[6] >= 0.75 * maxMs, 'near the cap after six attempts')
  t.equal(retryDelayMs(1_000_000, { maxMs, key: 'nudge-0' }), one[6], 'any number of attempts: the cap, not Infinity')
})

t.test('the documented numbers', async t => {
  const nominal = [2000, 8000, 32_000, 128_000, 512_000, 600_000]
  for (const key of keys.slice(0, 50)) {
    nominal.forEach((n, i) => {
      const d = retryDelayMs(i + 1, { maxMs, key })
      if (d < 0.75 * n || d > n) t.fail(`${key} attempt ${i + 1}: ${d} outside ${0.75 * n}–${n}`)
    })
  }
  t.ok(retryDelayMs(3, { maxMs: 5000, key: 'k' }) <= 5000, 'a small cap holds from the start')
})

t.test('deterministic per nudge, spread across nudges', async t => {
  t.equal(retryDelayMs(3, { maxMs, key: 'nudge-42' }), retryDelayMs(3, { maxMs, key: 'nudge-42' }))
  const firsts = new Set(keys.map(key => retryDelayMs(1, { maxMs, key })))
  t.ok(firsts.size > 150, `${firsts.size} different first delays for 200 nudges`)
  const capped = keys.map(key => retryDelayMs(10, { maxMs, key }))
  t.ok(Math.max(...capped) - Math.min(...capped) > 0.2 * maxMs, 'spread at the cap too: no lockstep')
})

t.test('a receiver\'s Retry-After is honoured up to the cap, never shortens the schedule', async t => {
  const scheduled = retryDelayMs(1, { maxMs, key: 'k' })
  t.equal(retryDelayMs(1, { maxMs, key: 'k', retryAfterMs: 30_000 }), 30_000)
  t.equal(retryDelayMs(1, { maxMs, key: 'k', retryAfterMs: 10 }), scheduled, 'shorter than the schedule: the schedule')
  t.equal(retryDelayMs(1, { maxMs, key: 'k', retryAfterMs: 365 * 86_400_000 }), maxMs, 'a year: the cap')
})

t.test('nonsense arguments are refused', async t => {
  t.throws(() => retryDelayMs(0, { maxMs, key: 'k' }), RangeError)
  t.throws(() => retryDelayMs(1.5, { maxMs, key: 'k' }), RangeError)
  t.throws(() => retryDelayMs(1, { maxMs: 0, key: 'k' }), RangeError)
  t.throws(() => retryDelayMs(1, { maxMs: Number.NaN, key: 'k' }), RangeError)
})

t.test('giving up after the last allowed attempt', async t => {
  t.notOk(shouldGiveUp(1, 5))
  t.notOk(shouldGiveUp(4, 5))
  t.ok(shouldGiveUp(5, 5))
  t.ok(shouldGiveUp(6, 5))
})

t.test('Retry-After: seconds or an HTTP date', async t => {
  const now = Date.parse('2026-01-10T12:00:00Z')
  t.equal(parseRetryAfter('120', now), 120_000)
  t.equal(parseRetryAfter(' 0 ', now), 0)
  t.equal(parseRetryAfter('Sat, 10 Jan 2026 12:00:30 GMT', now), 30_000)
  t.equal(parseRetryAfter('Sat, 10 Jan 2026 11:00:00 GMT', now), 0, 'a date in the past: now')
  for (const bad of [null, undefined, '', '-5', '1.5', 'soon', '2026-01-10 12:00:30', 'Sat, 99 Foo 2026 GMT', '9'.repeat(20)]) {
    t.equal(parseRetryAfter(bad, now), undefined, String(bad))
  }
})
