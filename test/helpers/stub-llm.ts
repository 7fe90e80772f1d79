// A real HTTP server on loopback that speaks the OpenAI chat-completions protocol (JSON and
// streaming SSE), answers from a script and records every request — so tests exercise the real
// `openai` SDK path: HTTP, tool-call parsing, errors, timeouts.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

type Test = { teardown: (fn: () => unknown) => void }

export interface RecordedRequest {
  headers: IncomingMessage['headers']
  body: {
    model: string
    messages: Array<{ role: string, content: string | null, tool_calls?: Array<{ id: string, function: { name: string, arguments: string } }>, tool_call_id?: string }>
    tools?: Array<{ type: string, function: { name: string, description: string, parameters: Record<string, unknown> } }>
    max_tokens?: number
    temperature?: number
    stream?: boolean
  }
  /** set when the client hung up before the reply was complete */
  aborted: boolean
}

export type Scripted =
  | { text: string }
  | { toolCalls: Array<{ name: string, arguments: unknown, id?: string }>, text?: string }
  | { status: number, error: string }
  | { hang: true }

export type Script = Scripted | ((request: RecordedRequest) => Scripted)

export interface StubLlm {
  url: string
  requests: RecordedRequest[]
  /** queue replies, used in order; when empty, `fallback` answers */
  push (...replies: Script[]): void
  fallback: Script
}

let callCounter = 0

function completionMessage (reply: Exclude<Scripted, { status: number } | { hang: true }>) {
  if ('toolCalls' in reply) {
    return {
      role: 'assistant',
      content: reply.text ?? null,
      tool_calls: reply.toolCalls.map(c => ({
        id: c.id ?? `call_${++callCounter}`,
        type: 'function',
        function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) }
      }))
    }
  }
  return { role: 'assistant', content: reply.text }
}

const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }

function sendJson (res: ServerResponse, body: RecordedRequest['body'], message: ReturnType<typeof completionMessage>) {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({
    id: 'chatcmpl-stub', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model,
    choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    usage
  }))
}

/** Streams like OpenAI: text in small pieces, tool calls split into name and argument chunks. */
function sendStream (res: ServerResponse, body: RecordedRequest['body'], message: ReturnType<typeof completionMessage>) {
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`)
  chunk({ role: 'assistant', content: '' })
  if (message.content) for (const piece of message.content.match(/.{1,12}/gs) ?? []) chunk({ content: piece })
  for (const [index, call] of (message.tool_calls ?? []).entries()) {
    chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] })
    const args = call.function.arguments
    chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, Math.ceil(args.length / 2)) } }] })
    chunk({ tool_calls: [{ index, function: { arguments: args.slice(Math.ceil(args.length / 2)) } }] })
  }
  chunk({}, message.tool_calls ? 'tool_calls' : 'stop')
  res.write(`data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage })}\n\n`)
  res.end('data: [DONE]\n\n')
}

export async function startStubLlm (t: Test): Promise<StubLlm> {
  const queue: Script[] = []
  const stub: StubLlm = {
    url: '',
    requests: [],
    push: (...replies) => { queue.push(...replies) },
    fallback: { text: 'stub: no scripted reply left' }
  }
  const server = createServer(async (req, res) => {
    let raw = ''
    for await (const part of req) raw += part
    const recorded: RecordedRequest = { headers: req.headers, body: JSON.parse(raw || '{}'), aborted: false }
    res.on('close', () => { if (!res.writableFinished) recorded.aborted = true })
    stub.requests.push(recorded)
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}')
      return
    }
    const script = queue.shift() ?? stub.fallback
    const reply = typeof script === 'function' ? script(recorded) : script
    if ('hang' in reply) return // never answer
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: reply.error, type: 'stub_error' } }))
      return
    }
    const message = completionMessage(reply)
    if (recorded.body.stream) sendStream(res, recorded.body, message)
    else sendJson(res, recorded.body, message)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  stub.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise(resolve => server.close(resolve))
  })
  return stub
}
