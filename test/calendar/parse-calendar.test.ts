import t from 'tap'
import { CalendarError } from '../../src/calendar/calendar-error.js'
import { type ParseCalendarOptions, parseCalendar } from '../../src/calendar/parse-calendar.js'
import { BERLIN_VTIMEZONE, calendar, vevent } from './ics-text.js'

const OCTOBER: ParseCalendarOptions = { timeZone: 'Europe/Berlin', from: new Date('2025-10-01T00:00:00Z'), until: new Date('2025-11-15T00:00:00Z') }
/** [start, end] of each occurrence, in UTC, without the milliseconds */
const spans = (text: string, options: Partial<ParseCalendarOptions> = {}) =>
  parseCalendar(text, { ...OCTOBER, ...options }).occurrences.map(o => [o.start.replace('.000Z', 'Z'), o.end.replace('.000Z', 'Z')])

t.test('floating times recur on the wall clock of the user\'s zone, across its DST change', async t => {
  const text = calendar(vevent('UID:a', 'SUMMARY:Run club', 'DTSTART:20251020T073000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=2'))
  t.same(spans(text), [['2025-10-20T05:30:00Z', '2025-10-20T06:30:00Z'], ['2025-10-27T06:30:00Z', '2025-10-27T07:30:00Z']])
})

t.test('a TZID without a VTIMEZONE', async t => {
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;TZID=America/New_York:20251031T090000', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=3'))), [
    ['2025-10-31T13:00:00Z', '2025-10-31T13:30:00Z'],
    ['2025-11-01T13:00:00Z', '2025-11-01T13:30:00Z'],
    ['2025-11-02T14:00:00Z', '2025-11-02T14:30:00Z']
  ], 'an IANA name is that zone, DST included')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;TZID=Pacific Standard Time:20251031T090000', 'DURATION:PT1H'))),
    [['2025-10-31T08:00:00Z', '2025-10-31T09:00:00Z']], 'anything else is read in the user\'s zone')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;TZID=/citadel.org/20190914_1/Europe/London:20251031T090000', 'DURATION:PT1H'))),
    [['2025-10-31T09:00:00Z', '2025-10-31T10:00:00Z']], 'a vendor prefix before an IANA name')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;TZID=UTC:20251031T090000', 'DURATION:PT1H'))),
    [['2025-10-31T09:00:00Z', '2025-10-31T10:00:00Z']], 'UTC')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;TZID=Asia/Tokyo:20251031T090000', 'DTEND;TZID=Europe/Berlin:20251031T030000'))),
    [['2025-10-31T00:00:00Z', '2025-10-31T02:00:00Z']], 'DTEND in its own zone')
})

t.test('how long an event lasts', async t => {
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;VALUE=DATE:20251026'))), [['2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z']],
    'a date alone: one (25-hour) local day')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;VALUE=DATE:20251025', 'DURATION:P2D'))), [['2025-10-24T22:00:00Z', '2025-10-26T23:00:00Z']])
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;VALUE=DATE:20251025', 'DURATION:PT2H'))), [['2025-10-24T22:00:00Z', '2025-10-25T22:00:00Z']],
    'part of a day on a date takes the day')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART;TZID=Europe/Berlin:20251025T120000', 'DURATION:P1DT1H'))),
    [['2025-10-25T10:00:00Z', '2025-10-26T12:00:00Z']], 'a DURATION day is a wall-clock day (25 h here), its hours are exact')
  t.same(spans(calendar(vevent('UID:a', 'DTSTART:20251025T120000Z', 'DTEND:20251025T130000Z', 'DURATION:PT5H'))),
    [['2025-10-25T12:00:00Z', '2025-10-25T13:00:00Z']], 'DTEND wins over a stray DURATION')
  t.same(spans(calendar(BERLIN_VTIMEZONE, vevent('UID:a', 'DTSTART;TZID=Europe/Berlin:20251025T230000', 'DTEND;TZID=Europe/Berlin:20251026T030000',
    'RRULE:FREQ=DAILY;COUNT=2'))), [['2025-10-25T21:00:00Z', '2025-10-26T02:00:00Z'], ['2025-10-26T22:00:00Z', '2025-10-27T03:00:00Z']],
  'each occurrence lasts what the first did in real time (5 h over the change)')
})

t.test('events that take no time: included when they start in the range, never busy', async t => {
  const text = calendar(
    vevent('UID:a', 'SUMMARY:at from', 'DTSTART:20251001T000000Z'),
    vevent('UID:b', 'SUMMARY:at until', 'DTSTART:20251115T000000Z'),
    vevent('UID:c', 'SUMMARY:explicit', 'DTSTART:20251002T100000Z', 'DTEND:20251002T100000Z'))
  const { occurrences } = parseCalendar(text, OCTOBER)
  t.same(occurrences.map(o => [o.summary, o.busy, o.start === o.end]), [['at from', false, true], ['explicit', false, true]])
})

t.test('busy: not TRANSPARENT, not CANCELLED', async t => {
  const text = calendar(
    vevent('UID:a', 'SUMMARY:opaque', 'DTSTART:20251002T100000Z', 'DURATION:PT1H', 'TRANSP:OPAQUE', 'STATUS:CONFIRMED'),
    vevent('UID:b', 'SUMMARY:tentative', 'DTSTART:20251002T110000Z', 'DURATION:PT1H', 'STATUS:TENTATIVE'),
    vevent('UID:c', 'SUMMARY:free', 'DTSTART:20251002T120000Z', 'DURATION:PT1H', 'TRANSP:TRANSPARENT'),
    vevent('UID:d', 'SUMMARY:cancelled', 'DTSTART:20251002T130000Z', 'DURATION:PT1H', 'STATUS:CANCELLED'))
  t.same(parseCalendar(text, OCTOBER).occurrences.map(o => [o.summary, o.busy]),
    [['opaque', true], ['tentative', true], ['free', false], ['cancelled', false]])
})

t.test('EXDATE, RDATE and RECURRENCE-ID', async t => {
  const series = ['UID:s', 'SUMMARY:Standup', 'DTSTART;TZID=Europe/Berlin:20251027T093000', 'DTEND;TZID=Europe/Berlin:20251027T094500',
    'RRULE:FREQ=DAILY;COUNT=5']
  t.same(spans(calendar(BERLIN_VTIMEZONE, vevent(...series, 'EXDATE;VALUE=DATE:20251028', 'EXDATE:20251030T083000Z'))), [
    ['2025-10-27T08:30:00Z', '2025-10-27T08:45:00Z'],
    ['2025-10-29T08:30:00Z', '2025-10-29T08:45:00Z'],
    ['2025-10-31T08:30:00Z', '2025-10-31T08:45:00Z']
  ], 'a date EXDATE drops that day; a UTC EXDATE matches the Berlin occurrence')
  t.same(spans(calendar(BERLIN_VTIMEZONE, vevent('UID:r', 'DTSTART;TZID=Europe/Berlin:20251027T093000', 'DURATION:PT15M',
    'RDATE;TZID=Europe/Berlin:20251101T120000,20251102T120000', 'RDATE;VALUE=PERIOD:20251103T100000Z/PT2H', 'EXDATE;TZID=Europe/Berlin:20251102T120000'))), [
    ['2025-10-27T08:30:00Z', '2025-10-27T08:45:00Z'],
    ['2025-11-01T11:00:00Z', '2025-11-01T11:15:00Z'],
    ['2025-11-03T10:00:00Z', '2025-11-03T12:00:00Z']
  ], 'RDATEs add occurrences (a PERIOD with its own length); EXDATE removes them too')

  const overrides = calendar(BERLIN_VTIMEZONE,
    vevent(...series),
    vevent('UID:s', 'SUMMARY:Standup (cancelled)', 'RECURRENCE-ID;TZID=Europe/Berlin:20251028T093000', 'STATUS:CANCELLED',
      'DTSTART;TZID=Europe/Berlin:20251028T093000', 'DTEND;TZID=Europe/Berlin:20251028T094500'),
    vevent('UID:s', 'SUMMARY:Standup (late)', 'RECURRENCE-ID:20251029T083000Z',
      'DTSTART;TZID=Europe/Berlin:20251029T160000', 'DTEND;TZID=Europe/Berlin:20251029T161500'),
    vevent('UID:s', 'SUMMARY:Standup (from next month)', 'RECURRENCE-ID;TZID=Europe/Berlin:20251031T093000',
      'DTSTART;TZID=Europe/Berlin:20251201T093000', 'DTEND;TZID=Europe/Berlin:20251201T094500'),
    vevent('UID:orphan', 'SUMMARY:Orphan', 'RECURRENCE-ID:20251030T083000Z', 'DTSTART:20251030T120000Z', 'DURATION:PT1H'))
  const { occurrences, events } = parseCalendar(overrides, OCTOBER)
  t.equal(events, 5)
  t.same(occurrences.map(o => [o.summary, o.start.slice(0, 16), o.busy]), [
    ['Standup', '2025-10-27T08:30', true],
    ['Standup (cancelled)', '2025-10-28T08:30', false],
    ['Standup (late)', '2025-10-29T15:00', true],
    ['Standup', '2025-10-30T08:30', true],
    ['Orphan', '2025-10-30T12:00', true]
  ], 'overrides replace their occurrence (matched as instants); one moved out of the range is gone; an orphan still counts')
})

t.test('fast-forwarding an old COUNT-less rule gives exactly the occurrences walking from DTSTART does', async t => {
  const rules = ['FREQ=DAILY;INTERVAL=3', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=1,2,3',
    'FREQ=HOURLY;INTERVAL=5', 'FREQ=MINUTELY;INTERVAL=47;BYHOUR=2', 'FREQ=DAILY;BYMONTH=10;BYMONTHDAY=26,27;UNTIL=20261231T000000Z']
  const starts = ['DTSTART;TZID=Europe/Berlin:20250901T023000', 'DTSTART:20250901T023000', 'DTSTART:20250901T023000Z']
  for (const rule of rules) {
    for (const start of starts) {
      const text = calendar(BERLIN_VTIMEZONE, vevent('UID:x', start, 'DURATION:PT3H', `RRULE:${rule}`))
      const window = { from: new Date('2025-10-20T00:00:00Z'), until: new Date('2025-10-28T00:00:00Z') }
      // From DTSTART itself nothing can be skipped; keep what overlaps the window.
      const walked = parseCalendar(text, { ...OCTOBER, from: new Date('2025-08-31T00:00:00Z'), until: window.until })
      t.equal(walked.truncated, false)
      const expected = walked.occurrences.filter(o => Date.parse(o.end) > window.from.getTime())
      const jumped = parseCalendar(text, { ...OCTOBER, ...window })
      t.ok(expected.length > 0, `${rule} @ ${start}: ${expected.length} occurrences`)
      t.same(jumped.occurrences, expected, `${rule} @ ${start}`)
    }
  }
})

t.test('fast-forwarding from summer into winter steps back over the hour the clocks gained', async t => {
  // DTSTART 10:00 CEST; the range starts exactly 3 h (DURATION) + 2 h (margin) after a whole number
  // of days from it in UTC — but 10:00 CET is an hour later in UTC than the estimate.
  const text = calendar(BERLIN_VTIMEZONE, vevent('UID:x', 'DTSTART;TZID=Europe/Berlin:20250602T100000', 'DURATION:PT3H', 'RRULE:FREQ=DAILY'))
  const window = { from: new Date('2025-11-10T13:00:00Z'), until: new Date('2025-11-12T00:00:00Z') }
  t.same(spans(text, window), [['2025-11-11T09:00:00Z', '2025-11-11T12:00:00Z']])
  t.same(spans(text, { from: new Date('2025-11-10T11:00:00Z'), until: window.until }),
    [['2025-11-10T09:00:00Z', '2025-11-10T12:00:00Z'], ['2025-11-11T09:00:00Z', '2025-11-11T12:00:00Z']], 'one running into the range counts')
})

t.test('caps: an unbounded rule never loops', async t => {
  const week = { from: new Date('2025-10-20T00:00:00Z'), until: new Date('2025-10-27T00:00:00Z') }
  const secondly = parseCalendar(calendar(vevent('UID:x', 'DTSTART:20200101T000000Z', 'RRULE:FREQ=SECONDLY')), { ...OCTOBER, ...week })
  t.equal(secondly.occurrences.length, 5000, 'the default cap')
  t.equal(secondly.truncated, true)
  t.equal(secondly.occurrences[0].start, '2025-10-20T00:00:00.000Z', 'the earliest ones, from the start of the range')
  t.equal(secondly.occurrences[4999].start, '2025-10-20T01:23:19.000Z')

  const daily = calendar(vevent('UID:d', 'SUMMARY:daily', 'DTSTART;TZID=Europe/Berlin:20150101T070000', 'DURATION:PT30M', 'RRULE:FREQ=DAILY'))
  const inWeek = parseCalendar(daily, { ...OCTOBER, ...week })
  t.same(inWeek.occurrences.map(o => o.start.slice(0, 16)), ['2025-10-20T05:00', '2025-10-21T05:00', '2025-10-22T05:00', '2025-10-23T05:00',
    '2025-10-24T05:00', '2025-10-25T05:00', '2025-10-26T06:00'], 'ten years of a daily rule, one week asked for')
  t.equal(inWeek.truncated, false)
  const capped = parseCalendar(daily, { ...OCTOBER, ...week, maxOccurrences: 3 })
  t.same([capped.occurrences.length, capped.truncated], [3, true])

  const impossible = parseCalendar(calendar(
    vevent('UID:i', 'SUMMARY:never', 'DTSTART:20251020T090000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'),
    vevent('UID:j', 'SUMMARY:after it', 'DTSTART:20251021T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=2')), { ...OCTOBER, ...week })
  t.same(impossible.occurrences.map(o => o.summary), ['never', 'after it', 'after it'],
    'a rule that can never match stops at the step budget (DTSTART still counts), and the next event still expands')
  t.equal(impossible.truncated, true)
})

t.test('the cap keeps the earliest occurrences of the whole file, whatever its order', async t => {
  const text = calendar(
    vevent('UID:late', 'SUMMARY:late', 'DTSTART:20251010T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY'),
    vevent('UID:early', 'SUMMARY:early', 'DTSTART:20251001T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=4'))
  const { occurrences, truncated } = parseCalendar(text, { ...OCTOBER, maxOccurrences: 6 })
  t.same(occurrences.map(o => `${o.summary} ${o.start.slice(5, 10)}`), ['early 10-01', 'early 10-02', 'early 10-03', 'early 10-04', 'late 10-10', 'late 10-11'])
  t.equal(truncated, true)
  const many = calendar(...Array.from({ length: 30 }, (_, i) => vevent(`UID:${i}`, `SUMMARY:e${i}`, `DTSTART:202510${String(i + 1).padStart(2, '0')}T090000Z`, 'DURATION:PT1H')))
  const trimmed = parseCalendar(many, { ...OCTOBER, maxOccurrences: 4 })
  t.same(trimmed.occurrences.map(o => o.summary), ['e0', 'e1', 'e2', 'e3'], 'trimmed as it goes')
})

t.test('tolerated: a byte-order mark, bare LF line ends, several VCALENDARs, untitled events', async t => {
  const text = '\uFEFF' + (calendar(vevent('UID:a', 'DTSTART:20251002T100000Z', 'DURATION:PT1H')) +
    calendar(vevent('UID:b', 'SUMMARY:  Second  ', 'DTSTART:20251003T100000Z', 'DURATION:PT1H'))).replaceAll('\r\n', '\n')
  const parsed = parseCalendar(text, OCTOBER)
  t.equal(parsed.events, 2)
  t.same(parsed.occurrences.map(o => o.summary), ['', 'Second'])
  t.same(parseCalendar(calendar(), OCTOBER), { events: 0, occurrences: [], truncated: false }, 'an empty calendar')
  t.same(parseCalendar(calendar(vevent('UID:a', 'SUMMARY;VALUE=DATE-TIME:garbage', 'DTSTART:20251002T100000Z')), OCTOBER).occurrences[0].summary, '',
    'a SUMMARY that cannot be decoded is no SUMMARY')
  const ties = calendar(...['b', 'c', 'a'].map(summary => vevent(`UID:${summary}`, `SUMMARY:${summary}`, 'DTSTART:20251002T100000Z', 'DURATION:PT1H')),
    vevent('UID:short', 'SUMMARY:short', 'DTSTART:20251002T100000Z', 'DURATION:PT30M'))
  t.same(parseCalendar(ties, OCTOBER).occurrences.map(o => o.summary), ['short', 'a', 'b', 'c'], 'same start: shorter first, then by summary')
})

t.test('malformed input: a CalendarError naming the event and the problem', async t => {
  const fails = (text: string, message: string | RegExp, what: string) => {
    t.throws(() => parseCalendar(text, OCTOBER), { name: 'CalendarError', kind: 'invalid', message }, what)
  }
  const ok = vevent('UID:ok', 'SUMMARY:Fine', 'DTSTART:20251002T100000Z')
  fails(calendar(ok, vevent('UID:x', 'SUMMARY:Standup', 'DTEND:20251002T100000Z')), 'event 2 ("Standup"): DTSTART is missing', 'no DTSTART')
  fails(calendar(vevent('UID:x', 'DTSTART:2025garbage')), /^event 1: DTSTART is not valid \(invalid date-time/, 'garbage DTSTART, untitled')
  fails(calendar(vevent('UID:x', 'SUMMARY:Leap', 'DTSTART;VALUE=DATE:20250229')), /^event 1 \("Leap"\): DTSTART is not valid \("2025-02-29" is not a real date/, 'Feb 29 in 2025')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T250000Z')), /DTSTART is not valid .*not a real date or time/, 'hour 25')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'DTEND:20251002T090000Z')), 'event 1: DTEND is before DTSTART', 'DTEND first')
  fails(calendar(vevent('UID:x', 'DTSTART;VALUE=DATE:20251002', 'DTEND;VALUE=DATE:20251001')), 'event 1: DTEND is before DTSTART', 'dates backwards')
  fails(calendar(vevent('UID:x', 'DTSTART;VALUE=DATE:20251002', 'DTEND:20251003T090000Z')), 'event 1: DTSTART is a date but DTEND is a date-time', 'mixed')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'DTEND;VALUE=DATE:20251003')), 'event 1: DTSTART is a date-time but DTEND is a date', 'mixed')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'DURATION:-PT1H')), 'event 1: DURATION is negative', 'negative')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'DURATION:soon')), /^event 1: DURATION is not valid/, 'bad DURATION')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'RRULE:INTERVAL=2')), 'event 1: RRULE is not valid (FREQ is missing)', 'no FREQ')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'RRULE:FREQ=WEEKLY;BYMONTHDAY=3')),
    /^event 1: RRULE FREQ=WEEKLY;BYMONTHDAY=3 cannot be expanded \(For WEEKLY recurrences neither BYMONTHDAY/, 'a rule ical.js rejects')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'EXDATE:20250230T100000Z')), /^event 1: EXDATE is not valid/, 'bad EXDATE')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'RDATE:tomorrow')), /^event 1: RDATE is not valid/, 'bad RDATE')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'RDATE;VALUE=TEXT:tomorrow')),
    /^event 1: RDATE is not valid/, 'RDATE of another type')
  fails(calendar(vevent('UID:x', 'DTSTART:20251002T100000Z', 'RECURRENCE-ID:20251302T100000Z')), 'event 1: RECURRENCE-ID is not valid ("2025-13-02T10:00:00Z" is not a real date or time)', 'bad RECURRENCE-ID')
  fails(calendar(vevent('UID:x', `SUMMARY:${'a very long summary '.repeat(5)}`)), /^event 1 \("a very long summary a very long summary…"\): DTSTART is missing$/,
    'a long summary is shortened in the message')
  fails('', 'the calendar file is empty', 'empty')
  fails('hello world', /^the calendar file is not valid iCalendar \(invalid line/, 'not iCalendar')
  fails('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n', /^the calendar file is not valid iCalendar \(invalid ical body/, 'cut short')
  fails(vevent('UID:x', 'DTSTART:20251002T100000Z'), 'the calendar file holds a VEVENT where a VCALENDAR belongs', 'no VCALENDAR')
})

t.test('bad options are CalendarErrors too', async t => {
  const text = calendar()
  t.throws(() => parseCalendar(text, { ...OCTOBER, timeZone: 'Mars/Olympus' }), { name: 'CalendarError', message: 'timeZone "Mars/Olympus" is not a known IANA time zone' })
  t.throws(() => parseCalendar(text, { ...OCTOBER, until: OCTOBER.from }), { message: 'until must be after from' })
  t.throws(() => parseCalendar(text, { ...OCTOBER, from: new Date('nope') }), { message: 'from must be a valid Date' })
  t.throws(() => parseCalendar(text, { ...OCTOBER, until: '2025-12-01' as unknown as Date }), { message: 'until must be a valid Date' })
  t.throws(() => parseCalendar(text, { ...OCTOBER, maxOccurrences: 0 }), { message: 'maxOccurrences must be a positive integer' })
  t.ok(new CalendarError('x') instanceof Error)
})
