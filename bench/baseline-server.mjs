// The baseline of `npm run bench`'s service table: a bare node:http server answering every request
// (GET or POST; a request body is read and dropped) with the same JSON bytes the service's
// scenario answers with, so a scenario's req/s divided by this one's, measured a moment earlier on
// the same machine, says what the whole stack costs. Run as its own process, like the service.
//
//   node bench/baseline-server.mjs <file with the body> <port>
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const [bodyFile, port] = process.argv.slice(2)
const body = readFileSync(bodyFile)
const status = Number(process.env.BASELINE_STATUS ?? 200)
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) }

const server = createServer((req, res) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(status, headers).end(body)
    return
  }
  req.on('data', () => {})
  req.on('end', () => res.writeHead(status, headers).end(body))
})
server.keepAliveTimeout = 72_000
server.listen(Number(port), '127.0.0.1', () => console.log(`baseline listening on ${port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
