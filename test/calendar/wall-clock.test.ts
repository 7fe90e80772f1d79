import t from 'tap'
import fc from 'fast-check'
import { Temporal } from 'temporal-polyfill'
import { canonicalTimeZone } from '../../src/shared/local-time.js'
import { ianaZoneForTzid, parseLocalDate, parseLocalTime, requireTimeZone, startOfLocalDay, wallClockToEpochMs } from '../../src/calendar/wall-clock.js'

t.test('wall clock → instant, \'compatible\' in gaps and overlaps', async t => {
  const berlin = (day: number, month: number, hour: number, minute = 0) =>
    new Date(wallClockToEpochMs({ year: 2025, month, day, hour, minute, second: 0 }, 'Europe/Berlin')).toISOString()
  t.equal(berlin(30, 3, 2, 30), '2025-03-30T01:30:00.000Z', 'in the gap: moved forward by its length (03:30 CEST)')
  t.equal(berlin(26, 10, 2, 30), '2025-10-26T00:30:00.000Z', 'in the overlap: the earlier one (CEST)')
  t.equal(berlin(26, 10, 12), '2025-10-26T11:00:00.000Z', 'later that day: CET')
  t.equal(new Date(wallClockToEpochMs({ year: 50, month: 6, day: 1, hour: 12, minute: 0, second: 0 }, 'UTC')).toISOString(), '0050-06-01T12:00:00.000Z',
    'years before 100 are not read as 19xx')
})

t.test('the memoised offset agrees with Temporal everywhere, transition days included', async t => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham']
  fc.assert(fc.property(
    fc.constantFrom(...zones), fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
    (zone, date) => {
      const wall = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds() }
      const expected = Temporal.PlainDateTime.from(wall).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds
      return wallClockToEpochMs(wall, zone) === expected
    }), { numRuns: 2000, seed: 20251026, examples: [['Europe/Berlin', new Date('2025-03-30T02:30:00Z')], ['Europe/Berlin', new Date('2025-10-26T02:30:00Z')]] })
  t.pass('2000 random wall-clock times')
})

t.test('zones, dates and times', async t => {
  t.equal(requireTimeZone('europe/berlin'), 'Europe/Berlin')
  t.throws(() => requireTimeZone('Europe/Atlantis', 'TZID'), { name: 'CalendarError', message: 'TZID "Europe/Atlantis" is not a known IANA time zone' })
  t.throws(() => requireTimeZone(42 as unknown as string), { message: 'timeZone 42 is not a known IANA time zone' })
  // Canonical as the runtime's ICU spells it (America/Buenos_Aires in some versions).
  const buenosAires = canonicalTimeZone('America/Argentina/Buenos_Aires')
  t.ok(buenosAires)
  t.equal(ianaZoneForTzid('America/Argentina/Buenos_Aires'), buenosAires, 'three segments')
  t.equal(ianaZoneForTzid('/mozilla.org/20050126_1/America/Argentina/Buenos_Aires'), buenosAires, 'behind a vendor prefix')
  t.equal(ianaZoneForTzid('W. Europe Standard Time'), null)
  t.equal(ianaZoneForTzid(''), null)
  t.equal(parseLocalDate('2024-02-29')?.toString(), '2024-02-29')
  t.equal(parseLocalDate('2025-02-29'), null)
  t.equal(parseLocalDate('20250101'), null)
  t.equal(parseLocalTime('23:59')?.toString(), '23:59:00')
  t.equal(parseLocalTime('24:00'), null)
  t.equal(new Date(startOfLocalDay(Temporal.PlainDate.from('2025-10-26'), 'Europe/Berlin')).toISOString(), '2025-10-25T22:00:00.000Z')
})
