// Dates and times as people say them, in their own zone, with a fixed clock: durations are not
// dates, "at 7" means the next 7 that is still ahead, and a DST change between now and the day said
// is honoured.
import t from 'tap'
import { parseWhen } from '../../../src/agent/offline/understand/parse-when.js'

// Thursday 26 November 2026, 14:00 in New York (19:00Z).
const NOW = new Date('2026-11-26T19:00:00Z')
const NY = 'America/New_York'
const one = (text: string, options: { future?: boolean } = {}) => {
  const found = parseWhen(text, NOW, NY, options)
  return found.length === 1 ? { date: found[0].date, time: found[0].time } : found.map(f => f.text)
}

t.test('days and times, in the person\'s zone', async t => {
  t.same(one('yesterday I did 30 min of cycling'), { date: '2026-11-25', time: null })
  t.same(one('I missed Monday'), { date: '2026-11-23', time: null }, 'a weekday alone is the last one')
  t.same(one('remind me tomorrow at 7'), { date: '2026-11-27', time: '07:00' })
  t.same(one('remind me at 7'), { date: '2026-11-26', time: '19:00' }, 'at 14:00, "at 7" is this evening')
  t.same(one('I did legs at 7am'), { date: '2026-11-26', time: '07:00' }, 'what was done: this morning')
  t.same(one('remind me at 7am', { future: true }), { date: '2026-11-27', time: '07:00' }, 'what lies ahead: 7 am has passed today, so tomorrow')
  t.same(one('remind me at 7am tomorrow', { future: true }), { date: '2026-11-27', time: '07:00' })
  t.same(one("I'm traveling next week"), { date: '2026-12-03', time: null })
  t.same(one('did legs 2 hours ago'), { date: '2026-11-26', time: '12:00' })
})

t.test('durations and frequencies are not dates', async t => {
  for (const text of ['I did legs for 45 minutes', 'did upper body at the gym, about an hour', 'ran for an hour', 'gym 4x a week for 8 weeks', 'actually it was 30 minutes']) {
    t.same(parseWhen(text, NOW, NY), [], text)
  }
})

t.test('the zone is the person\'s, not the process\'s, across a DST change', async t => {
  // Thursday 5 March 2026 in New York (EST); the clocks go forward on Sunday 8 March.
  const march = new Date('2026-03-05T15:00:00Z')
  const [next] = parseWhen('next Thursday at 7pm', march, NY)
  t.equal(next.at.toISOString(), '2026-03-12T23:00:00.000Z', '19:00 EDT, not 20:00')
  t.equal(next.time, '19:00')
  // The same words in Tokyo at the same instant: another day, another zone.
  const [tokyo] = parseWhen('tomorrow at 7pm', march, 'Asia/Tokyo')
  t.equal(tokyo.date, '2026-03-07')
  t.equal(tokyo.at.toISOString(), '2026-03-07T10:00:00.000Z')
})

t.test('what lies ahead: a day said is the coming one, a time alone keeps its reading', async t => {
  t.same(one('remind me at 7', { future: true }), { date: '2026-11-26', time: '19:00' }, 'at 14:00, "at 7" is still this evening')
  t.same(one('remind me on friday', { future: true }), { date: '2026-11-27', time: null })
  t.same(one('remind me on monday', { future: true }), { date: '2026-11-30', time: null }, 'the coming Monday, not the last')
  const [range] = parseWhen('away from friday to monday', NOW, NY, { future: true })
  t.match(range, { date: '2026-11-27', endDate: '2026-11-30' }, 'a range keeps its last day')
})
