// `npm run openapi` (run by `npm run typecheck` first, and by `npm run lint:openapi`): writes the
// OpenAPI document the service serves at /documentation/json, and the client types generated from
// it, into test/generated/ (git-ignored; never edited by hand):
//   openapi.json  what `redocly lint` checks
//   openapi.d.ts  `paths`/`operations`/`components` for the typed client of test/openapi-client.test.ts
// The app is built as the tests build it (a throwaway data dir, silent, offline coach); nothing
// listens. Run with the TypeScript hooks: node --import ./scripts/ts-register.mjs scripts/openapi.mjs
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateTypes } from '@resolution-autopilot/openapi-types'
import { loadConfig } from '../src/config.js'
import { buildServer } from '../src/server.js'

const OUT = new URL('../test/generated/', import.meta.url)

const dataDir = await mkdtemp(join(tmpdir(), 'ra-openapi-'))
try {
  const app = await buildServer(loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'openapi-document-only-never-serves-anyone',
    LLM_PROVIDER: 'offline'
  }))
  let document
  try {
    await app.ready()
    const res = await app.inject({ url: '/documentation/json' })
    if (res.statusCode !== 200) throw new Error(`/documentation/json answered ${res.statusCode}`)
    document = res.json()
  } finally {
    await app.close()
  }
  await mkdir(OUT, { recursive: true })
  await writeFile(new URL('openapi.json', OUT), JSON.stringify(document, null, 2) + '\n')
  await writeFile(new URL('openapi.d.ts', OUT), await generateTypes(document))
  console.log('test/generated/openapi.json, test/generated/openapi.d.ts written')
} finally {
  await rm(dataDir, { recursive: true, force: true })
}
