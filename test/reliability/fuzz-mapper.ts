// A small JSON-Schema-to-fast-check mapper for the route fuzzer (fuzz.test.ts). It walks the
// schemas of the served OpenAPI document (OpenAPI 3.0: `nullable`, `$ref` into
// components.schemas), so a new route or field is fuzzed without touching this file.
//
// Every schema node yields, mostly, a value the schema accepts (with its boundaries: minimum,
// maximum, minLength, maxLength…), sometimes a value just past a boundary, and sometimes a hostile
// value (path traversal, NUL bytes, __proto__, huge numbers, deep nesting, wrong types). Because
// the choice is made per node, a body is usually valid except in one or two places — which is
// what reaches past the validator into the handlers.
import fc from 'fast-check'

export type JsonSchema = Record<string, any>

/** JSON text spliced into a body as is: nesting deeper than JSON.stringify would survive, or text that is not JSON. */
export class RawJson {
  constructor (readonly text: string) {}
}

/** Serializes like JSON.stringify, but keeps own `__proto__` keys and splices RawJson in. */
export function toJson (value: unknown): string {
  if (value instanceof RawJson) return value.text
  if (value === undefined) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`
  return `{${Object.keys(value).map(k => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k])}`).join(',')}}`
}

/** As a query-string or path value: what a client would put there. */
export function toText (value: unknown): string {
  if (value instanceof RawJson) return value.text
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  if (value !== null && typeof value === 'object') return toJson(value)
  return String(value)
}

/** An object with an own `__proto__` key (what JSON.parse gives for `{"__proto__": …}`). */
export const protoPollution = (): Record<string, unknown> => JSON.parse('{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}}')

export const deepArray = (depth: number) => new RawJson('['.repeat(depth) + ']'.repeat(depth))
export const deepObject = (depth: number) => new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))

export const HOSTILE_STRINGS: readonly string[] = [
  '../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '../',
  '%00', '\u0000', 'abc\u0000def', '%', '%E0%A4%A', '%ZZ', '\uD800', '\uFEFF', '\u202Eevil', '😀'.repeat(50),
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '__defineGetter__',
  '<script>alert(1)</script>', "' OR '1'='1", '"; DROP TABLE users; --', '${7*7}', '{{7*7}}', '$where', '{"$gt":""}',
  'file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:1/', 'http://[::1]:1/', 'http://0.0.0.0:1/',
  'javascript:alert(1)', 'gopher://127.0.0.1:6379/_FLUSHALL', '\r\nX-Injected: 1', '\n', '\t',
  '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309', '-0', '0x10', 'true', '[]', '{}',
  '9999-12-31T23:59:59Z', '0000-00-00', '2026-02-30', '2026-13-01T00:00:00Z', '1970-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z',
  'Europe/../../etc/passwd', 'x'.repeat(1025), 'A'.repeat(5000)
]

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineSetter__']

export const HOSTILE_NUMBERS: readonly number[] = [
  0, -0, -1, 0.5, -0.5, 1e308, -1e308, 1.7976931348623157e308, 4.9e-324, 1e21, -1e21,
  Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 + 1, 2 ** 64
]

/** A value of any shape: the wrong type, a hostile string or number, deep nesting, pollution. */
export function hostileArbitrary (): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [''], { '': '' }) },
    { weight: 1, arbitrary: fc.constant(null).map(() => protoPollution()) },
    { weight: 1, arbitrary: fc.constantFrom(8, 64, 2000, 20_000).map(n => deepArray(n)) },
    { weight: 1, arbitrary: fc.constantFrom(8, 64, 2000, 20_000).map(n => deepObject(n)) },
    { weight: 1, arbitrary: fc.constant(null).map(() => Array.from({ length: 6000 }, (_, i) => i)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) }
  )
}

export interface MapperContext {
  /** components.schemas of the OpenAPI document */
  components: Record<string, JsonSchema>
  /**
   * Values to try for a field by its name (ids of both users, tokens, passwords, URLs…): a field
   * whose name matches gets them alongside what its schema generates.
   */
  hints: Array<{ name: RegExp, values: (name: string) => readonly unknown[] }>
  /** 0–1: how often a node is hostile instead of valid (default 0.08) */
  hostileRate?: number
  /** only values the schema accepts (boundaries included, nothing past them): to reach the handlers' happy paths */
  clean?: boolean
}

const MAX_DEPTH = 8

export function resolve (schema: JsonSchema, ctx: MapperContext): JsonSchema {
  let s = schema
  for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) {
    const name = s.$ref.replace(/^#\/components\/schemas\//, '')
    const target = ctx.components[name]
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`)
    s = target
  }
  return s
}

const pad2 = (n: number) => String(n).padStart(2, '0')
const isoDate = (d: Date) => d.toISOString().slice(0, 10)

function today (offsetDays = 0): string {
  return isoDate(new Date(Date.now() + offsetDays * 86_400_000))
}

function dateArbitrary (): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -400, max: 400 }).map(d => today(d)) },
    { weight: 1, arbitrary: fc.constantFrom(today(0), today(-1), today(1), today(60), today(61), '2000-02-29', '2100-02-28', '1970-01-01', '9999-12-31') }
  )
}

function dateTimeArbitrary (): fc.Arbitrary<string> {
  const instant = fc.integer({ min: -400 * 24 * 60, max: 400 * 24 * 60 }).map(m => new Date(Date.now() + m * 60_000))
  return fc.oneof(
    { weight: 3, arbitrary: instant.map(d => d.toISOString()) },
    // the same instant with an offset
    { weight: 1, arbitrary: fc.tuple(instant, fc.integer({ min: -14, max: 14 })).map(([d, h]) => {
      const local = new Date(d.getTime() + h * 3_600_000).toISOString().slice(0, 19)
      return `${local}${h < 0 ? '-' : '+'}${pad2(Math.abs(h))}:00`
    }) },
    { weight: 1, arbitrary: fc.constantFrom(new Date().toISOString(), '2000-01-01T00:00:00Z', '2099-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z') }
  )
}

function stringArbitrary (s: JsonSchema, clean: boolean): fc.Arbitrary<string> {
  const min: number = s.minLength ?? 0
  const max: number = s.maxLength ?? 200
  switch (s.format) {
    case 'date': return dateArbitrary()
    case 'date-time': return dateTimeArbitrary()
    case 'time': return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad2(h)}:${pad2(m)}:00Z`)
    case 'email': return fc.emailAddress().filter(e => e.length <= max)
    case 'uuid': return fc.uuid()
    case 'uri': case 'url': return fc.constantFrom('http://127.0.0.1/x', 'https://10.0.0.1/cal.ics', 'http://[::1]/', 'ftp://example.invalid/')
  }
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern)
    return fc.stringMatching(re).filter(v => v.length >= min && v.length <= max)
  }
  const boundaries = [...new Set([min, Math.min(max, min + 1), max, ...(clean ? [] : [max + 1, Math.max(0, min - 1)])])].filter(n => n <= 5000).map(n => 'x'.repeat(n))
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, 20)) }) },
    { weight: 1, arbitrary: fc.constantFrom(...boundaries) },
    // valid strings that are also Object.prototype's names: a value used as a key must not read them
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES.filter(n => n.length >= min && n.length <= max).concat(boundaries[0])) }
  )
}

function numberArbitrary (s: JsonSchema, clean: boolean): fc.Arbitrary<number> {
  const integer = s.type === 'integer'
  const min: number = s.minimum ?? (s.exclusiveMinimum !== undefined && typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6)
  const max: number = s.maximum ?? (s.exclusiveMaximum !== undefined && typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : 1e6)
  const inside = integer ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
  // the boundaries, and one step past each
  const step = integer ? 1 : 0.001
  return fc.oneof({ weight: 5, arbitrary: inside }, { weight: 1, arbitrary: fc.constantFrom(...(clean ? [min, max] : [min, max, min - step, max + step])) })
}

/** A value for `schema`: mostly valid, at boundaries, sometimes hostile (per node). */
export function arbitraryFor (schema: JsonSchema | undefined, ctx: MapperContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  const hostileRate = ctx.hostileRate ?? 0.08
  const valid = validArbitrary(schema ?? {}, ctx, name, depth)
  const weightHostile = Math.max(1, Math.round(hostileRate * 100))
  const hinted = ctx.hints.filter(h => h.name.test(name)).flatMap(h => h.values(name))
  const choices: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 100 - weightHostile, arbitrary: valid }]
  if (!ctx.clean) choices.push({ weight: weightHostile, arbitrary: hostileArbitrary() })
  if (hinted.length) choices.push({ weight: 60, arbitrary: fc.constantFrom(...hinted) })
  return fc.oneof(...choices)
}

function validArbitrary (input: JsonSchema, ctx: MapperContext, name: string, depth: number): fc.Arbitrary<unknown> {
  const s = resolve(input, ctx)
  let base = baseArbitrary(s, ctx, name, depth)
  if (s.nullable) base = fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) })
  return base
}

function baseArbitrary (s: JsonSchema, ctx: MapperContext, name: string, depth: number): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null)
  if ('const' in s) return fc.constant(s.const)
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum)
  const branches = s.oneOf ?? s.anyOf
  if (Array.isArray(branches)) {
    // sibling keywords (e.g. `required`) apply to every branch: merge them into each
    const { oneOf, anyOf, discriminator, ...rest } = s
    return fc.oneof(...branches.map((b: JsonSchema) => validArbitrary(mergeSchemas(rest, resolve(b, ctx)), ctx, name, depth + 1)))
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s
    return validArbitrary(allOf.map((b: JsonSchema) => resolve(b, ctx)).reduce(mergeSchemas, rest), ctx, name, depth + 1)
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined)
  switch (type) {
    case 'string': return stringArbitrary(s, ctx.clean === true)
    case 'integer': case 'number': return numberArbitrary(s, ctx.clean === true)
    case 'boolean': return fc.boolean()
    case 'null': return fc.constant(null)
    case 'array': {
      const items = arbitraryFor(s.items ?? {}, ctx, name, depth + 1)
      const minLength = s.minItems ?? 0
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 6, 6))
      return s.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: v => toJson(v) })
        : fc.array(items, { minLength, maxLength })
    }
    case 'object': return objectArbitrary(s, ctx, depth)
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}

function mergeSchemas (a: JsonSchema, b: JsonSchema): JsonSchema {
  return {
    ...a,
    ...b,
    ...(a.properties || b.properties ? { properties: { ...a.properties, ...b.properties } } : {}),
    ...(a.required || b.required ? { required: [...new Set([...(a.required ?? []), ...(b.required ?? [])])] } : {})
  }
}

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'user_id', 'id', 'isAdmin', 'role', 'password_hash', 'unexpected']

function objectArbitrary (s: JsonSchema, ctx: MapperContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, JsonSchema> = s.properties ?? {}
  const required = new Set<string>(s.required ?? [])
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [key, sub] of Object.entries(props)) model[key] = arbitraryFor(sub, ctx, key, depth + 1)
  const record = fc.record(model, { requiredKeys: Object.keys(props).filter(k => required.has(k)) })
  // now and then: a required key dropped, or a key the schema does not know (e.g. an own __proto__)
  const mutation = fc.oneof(
    { weight: 12, arbitrary: fc.constant<null>(null) },
    { weight: 1, arbitrary: fc.constantFrom(...(required.size ? [...required] : ['-'])).map(k => ({ drop: k })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...EXTRA_KEYS), hostileArbitrary()).map(([k, v]) => ({ add: k, value: v })) }
  )
  return fc.tuple(record, ctx.clean ? fc.constant(null) : mutation).map(([value, m]) => {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value)) if (!(m && 'drop' in m && m.drop === k)) Object.defineProperty(out, k, { value: value[k], enumerable: true, writable: true, configurable: true })
    if (m && 'add' in m) Object.defineProperty(out, m.add, { value: m.value, enumerable: true, writable: true, configurable: true })
    return out
  })
}

/** Printable ASCII only: what an HTTP client can put in a header (control characters never reach the app). */
export function headerSafe (value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 8000)
}
