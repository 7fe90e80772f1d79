// `npm run dev`: the API in watch mode (restarts on every change under src/, plugins/, routes/)
// and Vite's dev server for the web app (http://localhost:5173: instant updates of web/ — CSS
// in place, a page reload for code), which proxies /api and /documentation to the API. Ctrl-C
// stops both; if one of them exits, so does the other.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const ROOT = new URL('..', import.meta.url).pathname
const vitePackage = createRequire(import.meta.url).resolve('vite/package.json')
const port = process.env.PORT ?? '3001'

const children = [
  spawn(process.execPath, ['--watch', '--import', './scripts/ts-register.mjs', 'src/server.ts'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PORT: port } }),
  spawn(process.execPath, [join(dirname(vitePackage), 'bin', 'vite.js'), '--config', 'web/vite.config.ts'], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, API_URL: process.env.API_URL ?? `http://127.0.0.1:${port}` }
  })
]

let stopping = false
function stop (code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  process.exitCode = code
}
for (const child of children) child.on('exit', code => stop(code ?? 1))
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0))
