import fc from 'fast-check'
import t from 'tap'
import { quietHoursEnd } from '../../src/nudges/quiet-hours.js'
import { localTime, minutesOfDay } from '../../src/shared/local-time.js'

/** The end of quiet hours seen from `instant`, as an ISO instant; null when not quiet. */
const quietUntil = (instant: string, zone: string, start: string, end: string): string | null => {
  const until = quietHoursEnd(Date.parse(instant), zone, { start, end })
  return until === null ? null : new Date(until).toISOString()
}
const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000

t.test('Europe/Berlin in winter: 22:00–07:00 crosses midnight, start inclusive, end exclusive', async t => {
  // CET is UTC+1: 22:00 local is 21:00 UTC, 07:00 is 06:00 UTC.
  t.equal(quietUntil('2026-01-15T20:59:00Z', 'Europe/Berlin', '22:00', '07:00'), null, '21:59: not yet')
  t.equal(quietUntil('2026-01-15T21:00:00Z', 'Europe/Berlin', '22:00', '07:00'), '2026-01-16T06:00:00.000Z', 'exactly 22:00: quiet until 07:00 tomorrow')
  t.equal(quietUntil('2026-01-15T23:30:00Z', 'Europe/Berlin', '22:00', '07:00'), '2026-01-16T06:00:00.000Z', '00:30, after midnight')
  t.equal(quietUntil('2026-01-16T05:59:59.999Z', 'Europe/Berlin', '22:00', '07:00'), '2026-01-16T06:00:00.000Z', 'the last moment before 07:00')
  t.equal(quietUntil('2026-01-16T06:00:00Z', 'Europe/Berlin', '22:00', '07:00'), null, 'exactly 07:00: nudges may go')
  t.equal(quietUntil('2026-01-16T11:00:00Z', 'Europe/Berlin', '22:00', '07:00'), null, 'noon')
})

t.test('a same-day range: 13:00–14:00', async t => {
  t.equal(quietUntil('2026-01-15T11:59:00Z', 'Europe/Berlin', '13:00', '14:00'), null, '12:59')
  t.equal(quietUntil('2026-01-15T12:00:00Z', 'Europe/Berlin', '13:00', '14:00'), '2026-01-15T13:00:00.000Z', '13:00 sharp')
  t.equal(quietUntil('2026-01-15T12:45:00Z', 'Europe/Berlin', '13:00', '14:00'), '2026-01-15T13:00:00.000Z', '13:45')
  t.equal(quietUntil('2026-01-15T13:00:00Z', 'Europe/Berlin', '13:00', '14:00'), null, '14:00 sharp')
  t.equal(quietUntil('2026-01-15T23:30:00Z', 'Europe/Berlin', '13:00', '14:00'), null, 'the night is not quiet')
  // Kolkata is UTC+05:30 all year: 13:15 local is 07:45 UTC, 14:00 is 08:30 UTC.
  t.equal(quietUntil('2026-06-01T07:45:00Z', 'Asia/Kolkata', '13:00', '14:00'), '2026-06-01T08:30:00.000Z', 'Asia/Kolkata, a half-hour offset')
  t.equal(quietUntil('2026-06-01T08:30:00Z', 'Asia/Kolkata', '13:00', '14:00'), null)
})

t.test('Asia/Tokyo: the local night, whatever the UTC date says', async t => {
  // 22:30 in Tokyo (UTC+9) on June 1 is 13:30 UTC; 07:00 June 2 is 22:00 UTC June 1.
  t.equal(quietUntil('2026-06-01T13:30:00Z', 'Asia/Tokyo', '22:00', '07:00'), '2026-06-01T22:00:00.000Z')
  t.equal(quietUntil('2026-06-01T16:00:00Z', 'Asia/Tokyo', '22:00', '07:00'), '2026-06-01T22:00:00.000Z', '01:00 Tokyo, still June 1 in UTC')
  t.equal(quietUntil('2026-06-01T12:59:00Z', 'Asia/Tokyo', '22:00', '07:00'), null, '21:59 Tokyo')
  t.equal(quietUntil('2026-06-01T22:00:00Z', 'Asia/Tokyo', '22:00', '07:00'), null, '07:00 Tokyo')
  t.equal(quietUntil('2026-06-01T13:30:00Z', 'Europe/Berlin', '22:00', '07:00'), null, 'the same instant is 15:30 in Berlin')
})

t.test('Europe/Berlin spring forward (2026-03-29, 02:00 CET → 03:00 CEST): the night is an hour shorter', async t => {
  const end = quietUntil('2026-03-28T21:00:00Z', 'Europe/Berlin', '22:00', '07:00')
  t.equal(end, '2026-03-29T05:00:00.000Z', '07:00 CEST')
  t.equal(hoursBetween('2026-03-28T21:00:00Z', end!), 8, 'eight hours of quiet, not nine')
  // An end in the gap moves forward by the gap: 02:30 → 03:30 CEST (01:30 UTC).
  t.equal(quietUntil('2026-03-29T00:30:00Z', 'Europe/Berlin', '23:00', '02:30'), '2026-03-29T01:30:00.000Z', 'from 01:30 CET: until 03:30 CEST')
  t.equal(quietUntil('2026-03-29T01:15:00Z', 'Europe/Berlin', '23:00', '02:30'), '2026-03-29T01:30:00.000Z', '03:15 CEST is still quiet: the end has not come')
  t.equal(quietUntil('2026-03-29T01:30:00Z', 'Europe/Berlin', '23:00', '02:30'), null, '03:30 CEST: over')
  // A start in the gap moves forward too: 02:30 → 03:30 CEST.
  t.equal(quietUntil('2026-03-29T01:10:00Z', 'Europe/Berlin', '02:30', '06:00'), null, '03:10 CEST: the moved start has not come')
  t.equal(quietUntil('2026-03-29T01:30:00Z', 'Europe/Berlin', '02:30', '06:00'), '2026-03-29T04:00:00.000Z', '03:30 CEST until 06:00 CEST')
  // 02:30–03:00 becomes 03:30–03:00: that night there are none.
  t.equal(quietUntil('2026-03-29T01:15:00Z', 'Europe/Berlin', '02:30', '03:00'), null, 'a range the gap swallowed')
  t.equal(quietUntil('2026-03-30T00:45:00Z', 'Europe/Berlin', '02:30', '03:00'), '2026-03-30T01:00:00.000Z', 'the next night it is back (02:45 CEST)')
})

t.test('Europe/Berlin fall back (2026-10-25, 03:00 CEST → 02:00 CET): the night is an hour longer', async t => {
  const end = quietUntil('2026-10-24T20:00:00Z', 'Europe/Berlin', '22:00', '07:00')
  t.equal(end, '2026-10-25T06:00:00.000Z', '07:00 CET')
  t.equal(hoursBetween('2026-10-24T20:00:00Z', end!), 10)
  // 02:30 happens twice; the quiet hours end at the first (CEST, 00:30 UTC) and do not come back.
  t.equal(quietUntil('2026-10-25T00:15:00Z', 'Europe/Berlin', '23:00', '02:30'), '2026-10-25T00:30:00.000Z', '02:15 CEST')
  t.equal(quietUntil('2026-10-25T00:45:00Z', 'Europe/Berlin', '23:00', '02:30'), null, '02:45 CEST')
  t.equal(quietUntil('2026-10-25T01:15:00Z', 'Europe/Berlin', '23:00', '02:30'), null, '02:15 CET, the repeated hour: not quiet again')
})

t.test('America/New_York across both clock changes', async t => {
  // 2026-03-08 02:00 EST → 03:00 EDT. 22:00 EST is 03:00 UTC; 06:00 EDT is 10:00 UTC.
  const spring = quietUntil('2026-03-08T03:00:00Z', 'America/New_York', '22:00', '06:00')
  t.equal(spring, '2026-03-08T10:00:00.000Z')
  t.equal(hoursBetween('2026-03-08T03:00:00Z', spring!), 7, 'seven hours, not eight')
  t.equal(quietUntil('2026-03-08T06:30:00Z', 'America/New_York', '21:00', '02:15'), '2026-03-08T07:15:00.000Z', 'end 02:15 in the gap: 03:15 EDT')
  t.equal(quietUntil('2026-03-08T07:10:00Z', 'America/New_York', '21:00', '02:15'), '2026-03-08T07:15:00.000Z', '03:10 EDT: still quiet')
  // 2026-11-01 02:00 EDT → 01:00 EST. 22:00 EDT is 02:00 UTC; 06:00 EST is 11:00 UTC.
  const autumn = quietUntil('2026-11-01T02:00:00Z', 'America/New_York', '22:00', '06:00')
  t.equal(autumn, '2026-11-01T11:00:00.000Z')
  t.equal(hoursBetween('2026-11-01T02:00:00Z', autumn!), 9)
  t.equal(quietUntil('2026-11-01T05:15:00Z', 'America/New_York', '23:00', '01:30'), '2026-11-01T05:30:00.000Z', '01:15 EDT: until the first 01:30')
  t.equal(quietUntil('2026-11-01T06:15:00Z', 'America/New_York', '23:00', '01:30'), null, '01:15 EST, the repeated hour')
})

t.test('Australia/Lord_Howe: a half-hour clock change (2026-10-04, 02:00 → 02:30)', async t => {
  // UTC+10:30 before, +11 after. 01:30 local is 15:00 UTC on Oct 3; 02:15 is in the gap → 02:45 (+11) = 15:45 UTC.
  t.equal(quietUntil('2026-10-03T15:00:00Z', 'Australia/Lord_Howe', '22:00', '02:15'), '2026-10-03T15:45:00.000Z')
  const end = quietUntil('2026-10-03T11:30:00Z', 'Australia/Lord_Howe', '22:00', '07:00')
  t.equal(end, '2026-10-03T20:00:00.000Z', '07:00 (+11)')
  t.equal(hoursBetween('2026-10-03T11:30:00Z', end!), 8.5, 'half an hour shorter')
})

t.test('start === end means no quiet hours', async t => {
  for (const instant of ['2026-01-15T06:00:00Z', '2026-01-15T21:00:00Z', '2026-03-29T01:30:00Z']) {
    t.equal(quietUntil(instant, 'Europe/Berlin', '07:00', '07:00'), null, instant)
    t.equal(quietUntil(instant, 'Europe/Berlin', '00:00', '00:00'), null, instant)
  }
})

t.test('bad input is a RangeError, not a silent "not quiet"', async t => {
  const at = Date.parse('2026-01-15T21:00:00Z')
  t.throws(() => quietHoursEnd(at, 'Europe/Atlantis', { start: '22:00', end: '07:00' }), RangeError)
  t.throws(() => quietHoursEnd(at, 'Europe/Berlin', { start: '24:00', end: '07:00' }), { name: 'RangeError', message: /start "24:00"/ })
  t.throws(() => quietHoursEnd(at, 'Europe/Berlin', { start: '22:00', end: '7:00' }), { name: 'RangeError', message: /end "7:00"/ })
  t.throws(() => quietHoursEnd(Number.NaN, 'Europe/Berlin', { start: '22:00', end: '07:00' }), RangeError)
})

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
const instant = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') })

t.test('where clocks never change, quiet is exactly the wall-clock range, and it ends at `end`', async t => {
  fc.assert(fc.property(fc.constantFrom('Asia/Tokyo', 'Asia/Kolkata', 'UTC'), instant, hhmm, hhmm, (zone, at, start, end) => {
    const until = quietHoursEnd(at, zone, { start, end })
    const now = minutesOfDay(localTime(new Date(at), zone))
    const [s, e] = [minutesOfDay(start), minutesOfDay(end)]
    const inside = s < e ? s <= now && now < e : s > e && (now >= s || now < e)
    if (!inside) return until === null
    return until !== null && localTime(new Date(until), zone) === end && until > at && until - at <= 24 * 3_600_000
  }), { numRuns: 1000, seed: 20260329 })
  t.pass('1000 random instants and ranges')
})

t.test('everywhere, DST included: quiet holds from any moment inside up to the end it names', async t => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham']
  fc.assert(fc.property(fc.constantFrom(...zones), instant, hhmm, hhmm, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (zone, at, start, end, fraction) => {
    const until = quietHoursEnd(at, zone, { start, end })
    if (until === null) return true
    const later = at + Math.floor(fraction * (until - at))
    return until > at && until - at <= 25 * 3_600_000 && quietHoursEnd(later, zone, { start, end }) === until
  }), { numRuns: 1000, seed: 20261025 })
  t.pass('1000 random instants and ranges')
})
