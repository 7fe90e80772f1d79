// NLP.js ships no TypeScript types: just the parts the offline coach's classifier uses.
declare module '@nlpjs/core' {
  export interface Container { use (plugin: unknown): void }
  export function containerBootstrap (): Promise<Container>
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core'
  export interface NlpResult {
    intent: string
    score: number
    classifications?: Array<{ intent: string, score: number }>
  }
  export class Nlp {
    constructor (settings: { languages: string[], autoSave: boolean, autoLoad: boolean, nlu: { log: boolean }, forceNER: boolean, container: Container })
    addDocument (locale: string, utterance: string, intent: string): void
    train (): Promise<void>
    process (locale: string, utterance: string): Promise<NlpResult>
  }
}
