// The coach: a chat whose reply streams in (Server-Sent Events from POST /api/agent), showing
// which tool ran. The conversation is the server's: a reload shows the last runs (traces) again.
import { useEffect, useRef, useState } from 'preact/hooks'
import { del, get, postStream } from '../api.js'
import type { AppContext } from '../main.js'
import { Alert, messageOf } from '../ui.js'

interface Tool { id?: string, name: string, ok?: boolean, summary?: string }
interface Turn { id: string, message: string, reply: string, tools: Tool[], pending?: boolean }
interface Trace { trace_id: string, message: string, response: string | null, tool_calls: { name: string, ok: boolean, summary: string }[] }

export function Coach ({ ctx }: { ctx: AppContext }) {
  const [turns, setTurns] = useState<Turn[]>([])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [text, setText] = useState('')
  const end = useRef<HTMLDivElement>(null)

  useEffect(() => {
    get<{ traces: Trace[] }>('/api/agent/traces?limit=20').then(r => {
      setTurns(r.traces.slice().reverse().filter(t => t.response !== null)
        .map(t => ({ id: t.trace_id, message: t.message, reply: t.response ?? '', tools: t.tool_calls })))
    }, err => setError(messageOf(err)))
  }, [])
  useEffect(() => { end.current?.scrollIntoView?.({ block: 'end' }) }, [turns])

  const update = (id: string, fn: (t: Turn) => Turn) => setTurns(ts => ts.map(t => t.id === id ? fn(t) : t))

  const send = async (event: Event) => {
    event.preventDefault()
    const message = text.trim()
    if (!message || busy) return
    const id = `local-${Date.now()}`
    setTurns(ts => [...ts, { id, message, reply: '', tools: [], pending: true }])
    setText('')
    setBusy(true)
    setError(null)
    try {
      await postStream('/api/agent', { message }, ({ event, data }) => {
        if (event === 'tool_call') update(id, t => ({ ...t, tools: [...t.tools, { id: data.id, name: data.name }] }))
        else if (event === 'tool_result') {
          // Calls run concurrently: a result finds its call by id (by name, oldest first, without one).
          update(id, t => {
            const i = t.tools.findIndex(tool => tool.ok === undefined && (data.id ? tool.id === data.id : tool.name === data.name))
            return i < 0 ? t : { ...t, tools: t.tools.map((tool, j) => j === i ? { ...tool, ok: data.ok, summary: data.summary } : tool) }
          })
        }
        else if (event === 'delta') update(id, t => ({ ...t, reply: t.reply + data.text }))
        else if (event === 'done') update(id, t => ({ ...t, reply: data.response, pending: false }))
        else if (event === 'error') setError(data.message)
      })
    } catch (err) {
      setError(messageOf(err))
    } finally {
      update(id, t => ({ ...t, pending: false }))
      setBusy(false)
      ctx.refreshUnread()
    }
  }

  const clear = async () => {
    if (!confirm('Clear the coach’s memory of this conversation?')) return
    try {
      await del('/api/agent/conversation')
      setTurns([])
    } catch (err) { setError(messageOf(err)) }
  }

  return (
    <>
      <h1>Coach</h1>
      <p class="muted">Tell it what you did (“did 30 min of yoga”), ask “how am I doing?”, or say you are skipping.</p>
      <div class="chat" role="log" aria-live="polite" aria-label="Conversation with the coach">
        {turns.length === 0 && <p class="muted">No messages yet.</p>}
        {turns.map(t => (
          <div key={t.id} class="turn">
            <p class="you"><span class="sr-only">You: </span>{t.message}</p>
            {t.tools.map((tool, i) => (
              <p key={i} class="tool" data-testid="tool">
                <span aria-hidden="true">⚙</span> {tool.name}{tool.ok === undefined ? ' running…' : tool.ok ? ` — ${tool.summary}` : ' failed'}
              </p>
            ))}
            <p class="coach" data-testid="reply" aria-busy={t.pending ? 'true' : undefined}>
              <span class="sr-only">Coach: </span>{t.reply || (t.pending ? '…' : '')}
            </p>
          </div>
        ))}
        <div ref={end} />
      </div>
      <Alert error={error} />
      <form onSubmit={send} class="chat-form">
        <label for="message">Message to the coach</label>
        <div class="row">
          <input id="message" name="message" value={text} onInput={e => setText((e.currentTarget as HTMLInputElement).value)} maxLength={2000} autoComplete="off" required />
          <button type="submit" disabled={busy}>Send</button>
        </div>
      </form>
      <button type="button" class="link" onClick={clear}>Clear the conversation</button>
    </>
  )
}
