// `node --import ./scripts/ts-register.mjs file.ts` runs TypeScript (see ts-hooks.mjs).
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
