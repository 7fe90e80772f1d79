import t from 'tap'
import fc from 'fast-check'
import { type Span, mergeSpans, subtractSpans } from '../../src/calendar/intervals.js'

const span = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([start, length]): Span => ({ start, end: start + length }))
/** the whole minutes a set of spans covers */
const covered = (spans: Span[]) => new Set(spans.flatMap(s => Array.from({ length: Math.max(0, s.end - s.start) }, (_, i) => s.start + i)))

t.test('mergeSpans covers exactly what its input covers, sorted, disjoint and not touching', async t => {
  fc.assert(fc.property(fc.array(span, { maxLength: 12 }), spans => {
    const merged = mergeSpans(spans)
    const ordered = merged.every((s, i) => s.end > s.start && (i === 0 || merged[i - 1].end < s.start))
    return ordered && [...covered(merged)].sort().join() === [...covered(spans)].sort().join()
  }), { seed: 42 })
  t.same(mergeSpans([{ start: 5, end: 7 }, { start: 1, end: 5 }, { start: 9, end: 9 }]), [{ start: 1, end: 7 }])
})

t.test('subtractSpans leaves exactly the uncovered part', async t => {
  fc.assert(fc.property(span, fc.array(span, { maxLength: 12 }), (whole, holes) => {
    const left = subtractSpans(whole, mergeSpans(holes))
    const expected = [...covered([whole])].filter(m => !covered(holes).has(m))
    return [...covered(left)].sort().join() === expected.sort().join() && left.every(s => s.end > s.start)
  }), { seed: 42 })
})
