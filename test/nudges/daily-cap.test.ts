import t from 'tap'
import { deliveryLocalDate, nudgesOnLocalDay, type CappedNudge } from '../../src/nudges/daily-cap.js'

const sent = (created_at: string, channel = 'push'): CappedNudge => ({ channel, created_at, scheduled_for: null })
const scheduled = (created_at: string, scheduled_for: string, channel = 'push'): CappedNudge => ({ channel, created_at, scheduled_for })

t.test('Asia/Tokyo: nudges either side of local midnight land on the Tokyo day', async t => {
  // Tokyo is UTC+9: 23:59 on March 16 is 14:59 UTC; 00:00 on March 17 is 15:00 UTC, still March 16 in UTC.
  const lateEvening = sent('2026-03-16T14:59:00Z')
  const midnight = sent('2026-03-16T15:00:00Z', 'email')
  const earlyMorning = sent('2026-03-15T22:00:00Z', 'sms')
  t.equal(deliveryLocalDate(lateEvening, 'Asia/Tokyo'), '2026-03-16')
  t.equal(deliveryLocalDate(midnight, 'Asia/Tokyo'), '2026-03-17', 'UTC says the 16th; Tokyo says the 17th')
  t.equal(deliveryLocalDate(earlyMorning, 'Asia/Tokyo'), '2026-03-16', '07:00 Tokyo, the 15th in UTC')
  const nudges = [lateEvening, midnight, earlyMorning]
  t.equal(nudgesOnLocalDay(nudges, '2026-03-16', 'Asia/Tokyo'), 2)
  t.equal(nudgesOnLocalDay(nudges, '2026-03-17', 'Asia/Tokyo'), 1)
  t.equal(nudgesOnLocalDay(nudges, '2026-03-15', 'Asia/Tokyo'), 0)
  t.equal(nudgesOnLocalDay(nudges, '2026-03-16', 'UTC'), 2, 'the same nudges on UTC days fall differently')
})

t.test('America/New_York: the evening belongs to that day, also across the clock change', async t => {
  // EST is UTC-5: 23:30 on January 15 is 04:30 UTC on the 16th.
  const nudges = [sent('2026-01-16T04:30:00Z'), sent('2026-01-16T05:00:00Z'), sent('2026-01-15T12:00:00Z')]
  t.equal(nudgesOnLocalDay(nudges, '2026-01-15', 'America/New_York'), 2, '07:00 and 23:30 on the 15th')
  t.equal(nudgesOnLocalDay(nudges, '2026-01-16', 'America/New_York'), 1, '00:00 on the 16th')
  // March 8 2026 springs forward: 23:30 on the 7th is EST (04:30 UTC), 23:30 on the 8th is EDT (03:30 UTC).
  t.equal(deliveryLocalDate(sent('2026-03-08T04:30:00Z'), 'America/New_York'), '2026-03-07')
  t.equal(deliveryLocalDate(sent('2026-03-09T03:30:00Z'), 'America/New_York'), '2026-03-08')
  t.equal(deliveryLocalDate(sent('2026-03-09T04:30:00Z'), 'America/New_York'), '2026-03-09', 'a winter offset would say the 8th')
})

t.test('in-app nudges are never counted', async t => {
  const nudges = [sent('2026-01-15T15:00:00Z', 'in_app'), sent('2026-01-15T16:00:00Z', 'in_app'), sent('2026-01-15T17:00:00Z', 'email')]
  t.equal(nudgesOnLocalDay(nudges, '2026-01-15', 'America/New_York'), 1)
  t.equal(deliveryLocalDate(nudges[0], 'America/New_York'), '2026-01-15', 'they still have a day')
  t.equal(nudgesOnLocalDay([], '2026-01-15', 'America/New_York'), 0)
})

t.test('a nudge scheduled for tomorrow morning spends tomorrow\'s allowance', async t => {
  // Created at 23:00 New York time on January 15 (04:00 UTC on the 16th) for 07:00 on the 16th (12:00 UTC).
  const forTomorrow = scheduled('2026-01-16T04:00:00Z', '2026-01-16T12:00:00Z')
  // Created in the afternoon of the 15th for 21:00 the same evening (02:00 UTC on the 16th).
  const forTonight = scheduled('2026-01-15T19:00:00Z', '2026-01-16T02:00:00Z', 'sms')
  t.equal(deliveryLocalDate(forTomorrow, 'America/New_York'), '2026-01-16')
  t.equal(deliveryLocalDate(forTonight, 'America/New_York'), '2026-01-15', 'UTC says the 16th; delivered on the evening of the 15th')
  t.equal(nudgesOnLocalDay([forTomorrow, forTonight], '2026-01-15', 'America/New_York'), 1)
  t.equal(nudgesOnLocalDay([forTomorrow, forTonight], '2026-01-16', 'America/New_York'), 1)
  t.equal(deliveryLocalDate(scheduled('2026-01-15T14:00:00Z', '2026-01-15T15:30:00Z'), 'Asia/Tokyo'), '2026-01-16',
    'scheduled past Tokyo midnight: the next day')
})

t.test('offsets in the stored instants are honoured', async t => {
  t.equal(deliveryLocalDate(sent('2026-01-15T23:30:00-05:00'), 'America/New_York'), '2026-01-15')
  t.equal(deliveryLocalDate(sent('2026-01-15T23:30:00-05:00'), 'Europe/Berlin'), '2026-01-16')
})

t.test('bad input is a RangeError', async t => {
  t.throws(() => deliveryLocalDate(sent('2026-01-15T12:00:00Z'), 'Mars/Olympus'), { name: 'RangeError', message: /Mars\/Olympus/ })
  t.throws(() => nudgesOnLocalDay([sent('2026-01-15T12:00:00Z')], '2026-01-15', 'Mars/Olympus'), RangeError)
  t.throws(() => deliveryLocalDate(sent('yesterday'), 'UTC'), { name: 'RangeError', message: /created_at "yesterday"/ })
  t.throws(() => deliveryLocalDate(scheduled('2026-01-15T12:00:00Z', '2026-02-30T07:00:00Z'), 'UTC'), { message: /scheduled_for/ })
})
