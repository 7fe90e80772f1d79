// A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it throws on
// any line a Prometheus server would reject, and checks what makes a histogram a histogram
// (cumulative buckets, a +Inf bucket equal to _count). The npm parser most used
// (parse-prometheus-text-format 1.1.1) merges every series of a labelled histogram into one and
// drops their labels, _sum and _count — exactly what these tests need to see.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Family {
  name: string
  type: MetricType
  help: string | null
  samples: Sample[]
}

export interface HistogramSeries {
  labels: Record<string, string>
  /** upper bound (as written, e.g. "0.5", "+Inf") → cumulative count */
  buckets: Map<string, number>
  sum: number
  count: number
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])
/** What Go's strconv.ParseFloat accepts in decimal (Prometheus parses values with it): Inf and NaN in any case. */
const FLOAT = /^[+-]?(?:inf|infinity|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/i
const TIMESTAMP = /^-?\d+$/

export class ExpositionError extends Error {
  override name = 'ExpositionError'
  constructor (lineNo: number, line: string, why: string) {
    super(`line ${lineNo}: ${why}: ${JSON.stringify(line)}`)
  }
}

export function parseFloatStrict (text: string): number {
  if (!FLOAT.test(text)) throw new Error(`not a float: ${text}`)
  if (/^[+]?inf/i.test(text)) return Infinity
  if (/^-inf/i.test(text)) return -Infinity
  if (/nan$/i.test(text)) return NaN
  return Number(text)
}

/** The family a sample name belongs to, given the families declared so far. */
function familyOf (name: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(name)
  if (direct) return direct
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue
    const family = families.get(name.slice(0, -suffix.length))
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family
  }
  return undefined
}

function parseLabels (text: string, lineNo: number, line: string): { labels: Record<string, string>, rest: string } {
  const labels: Record<string, string> = {}
  let s = text.slice(1) // after '{'
  for (;;) {
    s = s.trimStart()
    if (s.startsWith('}')) return { labels, rest: s.slice(1) }
    const name = LABEL_NAME.exec(s)?.[0]
    if (!name) throw new ExpositionError(lineNo, line, 'bad label name')
    if (name in labels) throw new ExpositionError(lineNo, line, `duplicate label ${name}`)
    s = s.slice(name.length).trimStart()
    if (!s.startsWith('="')) throw new ExpositionError(lineNo, line, 'expected ="')
    s = s.slice(2)
    let value = ''
    for (;;) {
      if (s.length === 0) throw new ExpositionError(lineNo, line, 'unterminated label value')
      const c = s[0]
      if (c === '"') { s = s.slice(1); break }
      if (c === '\\') {
        const next = s[1]
        if (next === '\\') value += '\\'
        else if (next === '"') value += '"'
        else if (next === 'n') value += '\n'
        else throw new ExpositionError(lineNo, line, 'bad escape in label value')
        s = s.slice(2)
        continue
      }
      value += c
      s = s.slice(1)
    }
    labels[name] = value
    s = s.trimStart()
    if (s.startsWith(',')) s = s.slice(1)
    else if (!s.startsWith('}')) throw new ExpositionError(lineNo, line, 'expected , or }')
  }
}

/** Parses a whole exposition; throws ExpositionError on the first invalid line. */
export function parseExposition (text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  const seenSamples = new Set<string>()
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    const lineNo = i + 1
    if (line.trim() === '') return
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line)
      if (!m) return // a plain comment
      const [, kind, name, rest = ''] = m
      if (!METRIC_NAME.test(name) || METRIC_NAME.exec(name)![0] !== name) throw new ExpositionError(lineNo, line, 'bad metric name')
      let family = families.get(name)
      if (kind === 'TYPE') {
        if (!TYPES.has(rest.trim())) throw new ExpositionError(lineNo, line, 'unknown type')
        if (family && family.samples.length > 0) throw new ExpositionError(lineNo, line, 'TYPE after samples')
        if (family && family.type !== 'untyped') throw new ExpositionError(lineNo, line, 'second TYPE')
        if (!family) families.set(name, family = { name, type: 'untyped', help: null, samples: [] })
        family.type = rest.trim() as MetricType
      } else {
        if (!family) families.set(name, family = { name, type: 'untyped', help: null, samples: [] })
        if (family.help !== null) throw new ExpositionError(lineNo, line, 'second HELP')
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\')
      }
      return
    }
    const name = METRIC_NAME.exec(line)?.[0]
    if (!name) throw new ExpositionError(lineNo, line, 'bad metric name')
    let rest = line.slice(name.length)
    let labels: Record<string, string> = {}
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, lineNo, line))
    if (!/^[ \t]/.test(rest)) throw new ExpositionError(lineNo, line, 'expected whitespace before the value')
    const parts = rest.trim().split(/[ \t]+/)
    if (parts.length > 2) throw new ExpositionError(lineNo, line, 'trailing text')
    let value: number
    try {
      value = parseFloatStrict(parts[0])
    } catch {
      throw new ExpositionError(lineNo, line, 'bad value')
    }
    if (parts[1] !== undefined && !TIMESTAMP.test(parts[1])) throw new ExpositionError(lineNo, line, 'bad timestamp')
    const key = name + JSON.stringify(Object.entries(labels).sort())
    if (seenSamples.has(key)) throw new ExpositionError(lineNo, line, 'duplicate sample')
    seenSamples.add(key)
    let family = familyOf(name, families)
    if (!family) families.set(name, family = { name, type: 'untyped', help: null, samples: [] })
    family.samples.push({ name, labels, value })
  })
  for (const family of families.values()) if (family.type === 'histogram') histogramSeries(family)
  return families
}

function labelKey (labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort())
}

/** Every series of a histogram family, checked: cumulative buckets, +Inf bucket = _count. */
export function histogramSeries (family: Family): HistogramSeries[] {
  if (family.type !== 'histogram') throw new Error(`${family.name} is a ${family.type}, not a histogram`)
  const series = new Map<string, HistogramSeries>()
  const get = (labels: Record<string, string>) => {
    const key = labelKey(labels)
    let s = series.get(key)
    if (!s) {
      const own = { ...labels }
      delete own.le
      series.set(key, s = { labels: own, buckets: new Map(), sum: NaN, count: NaN })
    }
    return s
  }
  for (const sample of family.samples) {
    const s = get(sample.labels)
    if (sample.name === `${family.name}_bucket`) {
      if (sample.labels.le === undefined) throw new Error(`${family.name}_bucket without le`)
      s.buckets.set(sample.labels.le, sample.value)
    } else if (sample.name === `${family.name}_sum`) s.sum = sample.value
    else if (sample.name === `${family.name}_count`) s.count = sample.value
    else throw new Error(`${sample.name} does not belong in histogram ${family.name}`)
  }
  for (const s of series.values()) {
    const bounds = [...s.buckets.entries()].map(([le, v]) => [parseFloatStrict(le), v] as const).sort((a, b) => a[0] - b[0])
    if (bounds.length === 0 || bounds[bounds.length - 1][0] !== Infinity) throw new Error(`${family.name}${JSON.stringify(s.labels)} has no +Inf bucket`)
    for (let i = 1; i < bounds.length; i++) {
      if (bounds[i][1] < bounds[i - 1][1]) throw new Error(`${family.name}${JSON.stringify(s.labels)} buckets are not cumulative`)
    }
    if (bounds[bounds.length - 1][1] !== s.count) throw new Error(`${family.name}${JSON.stringify(s.labels)}: +Inf bucket ≠ _count`)
    if (Number.isNaN(s.sum)) throw new Error(`${family.name}${JSON.stringify(s.labels)} has no _sum`)
  }
  return [...series.values()]
}

/** The one sample of a gauge or counter family with exactly these labels. */
export function sampleValue (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(name, families)
  const want = JSON.stringify(Object.entries(labels).sort())
  return family?.samples.find(s => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)?.value
}
