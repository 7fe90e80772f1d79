// Money for commitment stakes. Amounts are integers in the currency's minor unit (cents, yen,
// fils) from the request to the store: a float never holds money, so no sum or percentage can
// drift by a cent. The currency list and the minor-unit digits come from the runtime's Intl data
// (ICU/CLDR) rather than a table of our own, so they follow the runtime's updates.
//
// CLDR's digits are the ones people use, which for a few codes differ from the ISO 4217 table
// (HUF and ISK have 0 in CLDR): a stake of 1500 HUF is 1500 forints. Whatever digits a currency
// has here, it has everywhere (validation, display, the stored amount's meaning).

const CODE = /^[A-Z]{3}$/

let supported: Set<string> | null = null

/** An ISO 4217 code the runtime knows ("EUR"; not "eur", not "XXX", not "ABC"). */
export function isCurrency (code: string): boolean {
  if (typeof code !== 'string' || !CODE.test(code)) return false
  supported ??= new Set(Intl.supportedValuesOf('currency'))
  return supported.has(code)
}

const formatters = new Map<string, Intl.NumberFormat>()

function formatterFor (code: string): Intl.NumberFormat {
  if (!isCurrency(code)) throw new RangeError(`${JSON.stringify(code)} is not an ISO 4217 currency code`)
  let f = formatters.get(code)
  if (!f) {
    f = new Intl.NumberFormat('en', { style: 'currency', currency: code })
    formatters.set(code, f)
  }
  return f
}

/** Digits after the decimal point in `code`'s minor unit: JPY 0, EUR 2, KWD 3. */
export function minorUnitDigits (code: string): number {
  return formatterFor(code).resolvedOptions().maximumFractionDigits ?? 2
}

/**
 * An amount in minor units, written for people in English: formatMoney(1250, 'EUR') → "€12.50",
 * formatMoney(1200, 'JPY') → "¥1,200". The units are split with integer arithmetic on BigInt and
 * handed to Intl as a decimal string (exact, no binary fraction ever made).
 */
export function formatMoney (amountMinor: number, code: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`money is an integer number of minor units (got ${amountMinor})`)
  const f = formatterFor(code)
  const digits = minorUnitDigits(code)
  const negative = amountMinor < 0
  const abs = BigInt(Math.abs(amountMinor))
  const unit = 10n ** BigInt(digits)
  const major = abs / unit
  const minor = (abs % unit).toString().padStart(digits, '0')
  const decimal = `${negative ? '-' : ''}${major}${digits > 0 ? `.${minor}` : ''}` as Intl.StringNumericLiteral
  return f.format(decimal)
}
