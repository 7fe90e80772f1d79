// Node module hooks that run the TypeScript sources directly (tests, `npm run dev`, the bench):
// esbuild strips the types of one file at a time, with an inline source map so stack traces and
// coverage point at the .ts lines. Imports are written as `./x.js` (what the build emits), so a
// relative or file: `.js` that does not exist resolves to the `.ts` beside it (tap's mocks import
// modules by file URL, with a query).
// (tsx does the same but squeezes each file onto a few lines, which breaks tap's line coverage.)
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'
import { TRANSFORM_OPTIONS } from './esbuild-options.mjs'

export async function resolve (specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (err) {
    const local = /^(\.{1,2}\/|file:|\/)/.test(specifier)
    const js = /\.js(?=[?#]|$)/
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !local || !js.test(specifier)) throw err
    return nextResolve(specifier.replace(js, '.ts'), context)
  }
}

export async function load (url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const { code } = await transform(await readFile(path, 'utf8'), { ...TRANSFORM_OPTIONS, sourcemap: 'inline', sourcefile: path })
  return { format: 'module', source: code, shortCircuit: true }
}
