// How long `npm start` takes on an unchanged checkout, as an operator meets it: the esbuild build
// and the server listening; and how fast a bad configuration or a held data directory is reported.
// Times are printed, not asserted (shared machines are noisy); the outcomes are asserted.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { NODE_FLAGS, ROOT, serverEnv } from './helpers/child-server.js'
import { tempDir } from './helpers/build-app.js'

// A build folder of this test's own: the other tests run dist/ meanwhile.
const OUT = `.build-start-${process.pid}`
t.teardown(() => rm(join(ROOT, OUT), { recursive: true, force: true }))

/** Runs `npm start`'s two steps (build, then the server); resolves at the first line matching `until` or at exit. */
async function start (env: Record<string, string>, until: RegExp): Promise<{ ms: number, code: number | null, line: string }> {
  const started = performance.now()
  const build = spawn(process.execPath, ['scripts/build.mjs', OUT], { cwd: ROOT, stdio: 'inherit' })
  const [buildCode] = await once(build, 'exit')
  if (buildCode !== 0) throw new Error(`build failed: ${buildCode}`)
  const server = spawn(process.execPath, [...NODE_FLAGS, join(ROOT, OUT, 'src/server.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  return await new Promise(resolve => {
    const onData = (chunk: Buffer) => {
      output += chunk
      const line = output.split('\n').find(l => until.test(l))
      if (line) { server.kill('SIGTERM'); finish(line, null) }
    }
    const finish = (line: string, code: number | null) => resolve({ ms: Math.round(performance.now() - started), code, line })
    server.stdout.on('data', onData)
    server.stderr.on('data', onData)
    server.on('exit', code => finish(output.trim().split('\n').at(-1) ?? '', code))
  })
}

t.test('npm start on an unchanged checkout: build, listen; errors within moments', async t => {
  const dataDir = await tempDir(t)
  const listening = await start(serverEnv(dataDir), /Server listening at/)
  t.match(listening.line, /Server listening at http:\/\/127\.0\.0\.1:\d+/)
  t.comment(`build + start until listening: ${listening.ms} ms`)

  const badConfig = await start(serverEnv(dataDir, { NODE_ENV: 'production', SESSION_SECRET: 'short' }), /^Invalid configuration/)
  t.match(badConfig.line, /^Invalid configuration: SESSION_SECRET must be at least 32 characters/)
  t.comment(`build + a configuration error printed: ${badConfig.ms} ms`)

  // A server holding the data directory, then a second start on it.
  const holder = spawn(process.execPath, [join(ROOT, OUT, 'src/server.js')], { cwd: ROOT, env: serverEnv(dataDir), stdio: ['ignore', 'pipe', 'ignore'] })
  t.teardown(() => { holder.kill('SIGKILL') })
  for await (const chunk of holder.stdout) if (String(chunk).includes('Server listening')) break
  const locked = await start(serverEnv(dataDir), /is in use|locked/i)
  t.match(locked.line, /DATA_DIR|data directory/i)
  t.comment(`build + the data-directory lock refusal printed: ${locked.ms} ms`)
})
