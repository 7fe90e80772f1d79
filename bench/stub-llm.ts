// The model `npm run bench` puts behind POST /api/agent: an OpenAI-protocol server on loopback
// (JSON, or Server-Sent Events when asked to stream) answering as one coach run with two tool calls:
//   - a turn whose last message is not a tool result → two tool calls (getWorkoutHistory and
//     detectPatterns, both read-only, so runs do not change what the next run reads);
//   - a turn after the tool results → a short text answer.
// So every run is exactly two model calls. Each reply waits `delayMs` first (0: at once), as a slow
// model would. Test suites have their own scripted stub (test/helpers/stub-llm.ts); this one only
// adds the delay and the fixed shape a benchmark needs.
import { once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'

export interface BenchLlm {
  url: string
  delayMs: number
  /** chat-completion requests answered */
  calls: number
  close (): Promise<void>
}

let callId = 0

interface Reply { content?: string, toolCalls?: Array<{ name: string, args: object }> }

/** As OpenAI streams (`stream: true`, what the service asks for when the client wants Server-Sent Events). */
function stream (res: ServerResponse, model: string, message: Reply) {
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  const chunk = (delta: object, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`)
  chunk({ role: 'assistant', content: '' })
  if (message.content) chunk({ content: message.content })
  for (const [index, call] of (message.toolCalls ?? []).entries()) {
    chunk({ tool_calls: [{ index, id: `call_${++callId}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] })
  }
  chunk({}, message.toolCalls ? 'tool_calls' : 'stop')
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } })}\n\n`)
  res.end('data: [DONE]\n\n')
}

function json (res: ServerResponse, model: string, message: Reply) {
  const toolCalls = message.toolCalls?.map(call => ({ id: `call_${++callId}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }))
  const body = JSON.stringify({
    id: 'chatcmpl-bench', object: 'chat.completion', created: 0, model,
    choices: [{ index: 0, message: { role: 'assistant', content: message.content ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, finish_reason: toolCalls ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }
  })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body)
}

export async function startBenchLlm (delayMs = 0): Promise<BenchLlm> {
  const llm: BenchLlm = { url: '', delayMs, calls: 0, close: async () => {} }
  const server: Server = createServer(async (req, res) => {
    let raw = ''
    for await (const part of req) raw += part
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}')
      return
    }
    const body = JSON.parse(raw) as { model: string, stream?: boolean, messages: Array<{ role: string }> }
    llm.calls++
    if (llm.delayMs > 0) await new Promise(resolve => setTimeout(resolve, llm.delayMs))
    if (res.destroyed) return
    const afterTools = body.messages.at(-1)?.role === 'tool'
    const message = afterTools
      ? { content: 'Two checks done: you are on track this week. Keep the next session.' }
      : { toolCalls: [{ name: 'getWorkoutHistory', args: { days_back: 7 } }, { name: 'detectPatterns', args: {} }] }
    if (body.stream) stream(res, body.model, message)
    else json(res, body.model, message)
  })
  server.keepAliveTimeout = 72_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  llm.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`
  llm.close = () => {
    server.closeAllConnections()
    return new Promise(resolve => server.close(() => resolve()))
  }
  return llm
}
