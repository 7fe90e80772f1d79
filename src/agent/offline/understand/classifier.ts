// Intent classification with NLP.js, trained from the corpus in this folder. Loading NLP.js (~40 ms)
// and training (~60–170 ms) happen on first use — the offline coach's first message — not at
// start-up: the service listens as fast as before, and one with an LLM key never pays for it.
// NLP.js is deterministic: the same corpus gives the same network, the same sentence the same answer.
import { performance } from 'node:perf_hooks'
import { CORPUS, INTENTS, NONE, type IntentName } from './corpus.js'
import { findDurations, findExercises, normalise } from './entities.js'

/**
 * Below this the best guess is not trusted: "none of these". Measured on the test corpus: at 0.7
 * several right guesses were thrown away (0.61–0.69), while wrong ones on out-of-scope messages
 * mostly score above 0.9 — a threshold does not catch those, the None examples in the corpus do.
 */
export const CONFIDENCE = 0.6

export interface Classification {
  intent: IntentName | 'none'
  score: number
}

export interface Classifier {
  classify (text: string): Promise<Classification>
  /** how long loading NLP.js and training took, ms */
  readonly trainingMs: number
}

/**
 * The sentence with what varies from person to person replaced by a placeholder word: durations,
 * exercises, weekdays and numbers. The classifier then learns "did EXERCISE for DURATION" once,
 * instead of needing every sport and every number in its corpus.
 */
export function mask (text: string): string {
  const normal = normalise(text)
  const spans: Array<{ at: number, end: number, word: string }> = [
    ...findDurations(normal).map(d => ({ at: d.at, end: d.end, word: 'duration' })),
    ...findExercises(normal).filter(e => !e.generic).map(e => ({ at: e.at, end: e.end, word: 'exercise' }))
  ].sort((a, b) => b.at - a.at)
  let masked = normal
  let last = Infinity
  for (const span of spans) {
    if (span.end > last) continue
    masked = `${masked.slice(0, span.at)} ${span.word} ${masked.slice(span.end)}`
    last = span.at
  }
  return masked
    .replace(/\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)day?s?\b/g, ' weekday ')
    .replace(/\d+(?:st|nd|rd|th)\b/g, ' ordinal ')
    .replace(/\d+\s*(?:x|×)?/g, ' number ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Damerau–Levenshtein distance, stopping early above 1 (all a typo fix needs). */
function withinOneEdit (a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true // one letter changed
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2) // two swapped
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1) // one letter dropped or added
}

/**
 * Typos the classifier would otherwise not know ("delte", "actualy", "rmind"): a word of four
 * letters or more that the corpus never uses becomes the corpus word one edit away — the most
 * frequent one when several are, alphabetically first on a tie, so the fix is deterministic.
 */
export function fixTypos (masked: string, vocabulary: Map<string, number>): string {
  return masked.replace(/[a-z']{4,}/g, word => {
    if (vocabulary.has(word)) return word
    let best: string | undefined
    for (const [known, count] of vocabulary) {
      if (!withinOneEdit(word, known)) continue
      if (best === undefined || count > vocabulary.get(best)! || (count === vocabulary.get(best)! && known < best)) best = known
    }
    return best ?? word
  })
}

export async function trainClassifier (): Promise<Classifier> {
  const started = performance.now()
  const [{ containerBootstrap }, { LangEn }, { Nlp }] = await Promise.all([import('@nlpjs/core'), import('@nlpjs/lang-en'), import('@nlpjs/nlp')])
  const container = await containerBootstrap()
  container.use(LangEn)
  const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, nlu: { log: false }, forceNER: true, container })
  const vocabulary = new Map<string, number>()
  const learn = (sentence: string, intent: string) => {
    const masked = mask(sentence)
    for (const word of masked.match(/[a-z']+/g) ?? []) vocabulary.set(word, (vocabulary.get(word) ?? 0) + 1)
    nlp.addDocument('en', masked, intent)
  }
  for (const intent of INTENTS) {
    for (const sentence of CORPUS[intent]) learn(sentence, intent)
  }
  for (const sentence of NONE) learn(sentence, 'None')
  await nlp.train()
  const trainingMs = performance.now() - started
  return {
    trainingMs,
    async classify (text: string): Promise<Classification> {
      const result = await nlp.process('en', fixTypos(mask(text), vocabulary))
      const best = result.classifications?.[0] ?? { intent: result.intent, score: result.score }
      const known = (INTENTS as readonly string[]).includes(best.intent)
      return known && best.score >= CONFIDENCE ? { intent: best.intent as IntentName, score: best.score } : { intent: 'none', score: best.score }
    }
  }
}

let shared: Promise<Classifier> | null = null

/** The process's classifier, trained once on first use. */
export function classifier (): Promise<Classifier> {
  shared ??= trainClassifier()
  return shared
}
