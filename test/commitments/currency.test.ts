import fc from 'fast-check'
import t from 'tap'
import { formatMoney, isCurrency, minorUnitDigits } from '../../src/commitments/currency.js'

t.test('isCurrency: ISO 4217 codes the runtime knows, in capitals', async t => {
  for (const code of ['EUR', 'USD', 'JPY', 'KWD', 'GBP', 'CHF']) t.ok(isCurrency(code), code)
  for (const code of ['eur', 'EURO', 'EU', 'ABC', 'XXX', '', ' EUR', 'EUR ']) t.notOk(isCurrency(code), JSON.stringify(code))
  t.notOk(isCurrency(42 as unknown as string), 'not a string')
})

t.test('minorUnitDigits: JPY 0, EUR 2, KWD 3', async t => {
  t.equal(minorUnitDigits('JPY'), 0)
  t.equal(minorUnitDigits('EUR'), 2)
  t.equal(minorUnitDigits('USD'), 2)
  t.equal(minorUnitDigits('KWD'), 3)
  t.equal(minorUnitDigits('BHD'), 3)
  t.throws(() => minorUnitDigits('ABC'), RangeError)
})

t.test('formatMoney: minor units to English, split in integers', async t => {
  t.equal(formatMoney(1250, 'EUR'), '€12.50')
  t.equal(formatMoney(1200, 'JPY'), '¥1,200')
  t.equal(formatMoney(5, 'USD'), '$0.05')
  t.equal(formatMoney(0, 'EUR'), '€0.00')
  t.equal(formatMoney(1234, 'KWD'), 'KWD\u00a01.234', 'a code where there is no symbol, after a no-break space')
  t.equal(formatMoney(100_000_000_0, 'GBP'), '£10,000,000.00', 'the largest stake')
  t.equal(formatMoney(-1250, 'EUR'), '-€12.50')
  t.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'EUR'), '€90,071,992,547,409.91', 'no float rounding even past 2^53 / 100')
  t.throws(() => formatMoney(12.5, 'EUR'), /money is an integer number of minor units/)
  t.throws(() => formatMoney(Number.NaN, 'EUR'), RangeError)
  t.throws(() => formatMoney(100, 'eur'), /"eur" is not an ISO 4217 currency code/)
})

t.test('property: the printed digits are the amount\'s digits', async () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('EUR', 'JPY', 'KWD', 'USD'), (amount, code) => {
    const digits = formatMoney(amount, code).replace(/\D/g, '')
    return digits.replace(/^0+(?=\d)/, '') === String(amount)
  }))
})
