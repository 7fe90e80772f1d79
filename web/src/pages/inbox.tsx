// Nudges (the in-app inbox, mark read) and interventions (confirm or dismiss what the coach or
// the autopilot proposed).
import { get, patch, post } from '../api.js'
import type { AppContext } from '../main.js'
import type { Intervention, Nudge } from '../types.js'
import { dateTime } from '../format.js'
import { Alert, Card, Loading, useAction, useLoad } from '../ui.js'

const SOURCE = { you: 'you', coach: 'the coach', autopilot: 'the autopilot', test: 'a test' } as const

export function Inbox ({ ctx }: { ctx: AppContext }) {
  const nudges = useLoad(() => get<{ nudges: Nudge[] }>('/api/nudges?limit=50'))
  const interventions = useLoad(() => get<{ interventions: Intervention[] }>('/api/interventions'))
  const { error, run } = useAction()
  const changed = () => { nudges.reload(); interventions.reload(); ctx.refreshUnread() }
  const mine = nudges.data?.nudges.filter(n => n.recipient === 'you' && n.channel === 'in_app') ?? []
  const unread = mine.filter(n => !n.read_at).length

  const mark = (n: Nudge, read: boolean) => run(async () => { await patch(`/api/nudges/${n.nudge_id}`, { read }); changed() })
  const readAll = () => run(async () => { await post('/api/nudges/read-all'); changed() })
  const decide = (i: Intervention, what: 'confirm' | 'dismiss') => run(async () => { await post(`/api/interventions/${i.intervention_id}/${what}`); changed() })

  const feedback = (i: Intervention, helpful: boolean) => run(async () => { await post(`/api/interventions/${i.intervention_id}/feedback`, { helpful }); changed() })

  const proposed = interventions.data?.interventions.filter(i => i.status === 'proposed') ?? []
  const past = interventions.data?.interventions.filter(i => i.status !== 'proposed') ?? []
  return (
    <>
      <h1>Inbox</h1>
      <Alert error={error} />
      <div class="grid">
        <Card title="Proposed for you" id="proposed">
          {!interventions.data ? <Loading error={interventions.error} /> : proposed.length === 0
            ? <p class="muted">Nothing waits for your answer.</p>
            : <ul class="list">{proposed.map(i => (
                <li key={i.intervention_id} class="proposal">
                  <span><strong>{i.type === 'calendar' ? 'A workout block' : i.type === 'social' ? 'A message to your buddy' : i.type}</strong>
                    {i.details.start ? `: ${dateTime(i.details.start, ctx.user.timezone)}` : ''} — {i.message} <span class="muted">(from {SOURCE[i.trigger.source]})</span></span>
                  <span class="actions">
                    <button type="button" onClick={() => decide(i, 'confirm')}>Confirm</button>
                    <button type="button" class="secondary" onClick={() => decide(i, 'dismiss')}>Dismiss</button>
                  </span>
                </li>
              ))}</ul>}
        </Card>
        <Card title={`Nudges${unread ? ` (${unread} unread)` : ''}`} id="nudges">
          {unread > 1 && <button type="button" class="secondary" onClick={readAll}>Mark all read</button>}
          {!nudges.data ? <Loading error={nudges.error} /> : mine.length === 0
            ? <p class="muted">No nudges yet.</p>
            : <ul class="list">{mine.map(n => (
                <li key={n.nudge_id} class={n.read_at ? 'read' : 'unread'} data-testid="nudge">
                  <span>{!n.read_at && <strong class="dot">New </strong>}{n.message} <span class="muted">— {SOURCE[n.source]}, {dateTime(n.created_at, ctx.user.timezone)}</span></span>
                  <button type="button" class="secondary" onClick={() => mark(n, !n.read_at)}>{n.read_at ? 'Mark unread' : 'Mark read'}</button>
                </li>
              ))}</ul>}
        </Card>
        <Card title="What was done" id="past">
          {past.length === 0 ? <p class="muted">No interventions yet.</p>
            : <ul class="list">{past.map(i => (
                <li key={i.intervention_id}>
                  <span><strong>{i.type}</strong> {i.status} · outcome <em>{i.outcome}</em> · {dateTime(i.created_at, ctx.user.timezone)}</span>
                  {i.status === 'deployed' && (i.feedback
                    ? <span class="muted">{i.feedback.helpful ? 'You found it helpful' : 'You found it unhelpful'}</span>
                    : <span class="actions" role="group" aria-label="Was it helpful?">
                        <button type="button" class="secondary" onClick={() => feedback(i, true)}>Helpful</button>
                        <button type="button" class="secondary" onClick={() => feedback(i, false)}>Not helpful</button>
                      </span>)}
                </li>
              ))}</ul>}
        </Card>
      </div>
    </>
  )
}
