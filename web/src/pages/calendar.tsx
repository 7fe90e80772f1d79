// The calendar: import an .ics file or subscribe by URL, see the week's conflicts and free slots,
// and get the feed address of the planned sessions for a calendar app.
import { useState } from 'preact/hooks'
import { api, del, get, post } from '../api.js'
import type { AppContext } from '../main.js'
import type { CalendarAnalysis } from '../types.js'
import { dateTime, plural, shortDate, time } from '../format.js'
import { Alert, Card, Field, Loading, Notice, formValues, useAction, useLoad } from '../ui.js'

export function CalendarPage ({ ctx }: { ctx: AppContext }) {
  const { data, error, reload } = useLoad(() => get<CalendarAnalysis>('/api/calendar/analysis?days_back=0&days_ahead=7'))
  const zone = ctx.user.timezone
  return (
    <>
      <h1>Calendar</h1>
      <div class="grid">
        <Card title="This week against your calendar" id="analysis">
          {!data ? <Loading error={error} /> : <Analysis data={data} zone={zone} />}
        </Card>
        <Card title="Your calendar" id="source">
          {data?.calendar && <p>{plural(data.calendar.events, 'event')} from {data.calendar.source === 'url' ? 'your subscription' : 'an import'}, {dateTime(data.calendar.imported_at, zone)}.</p>}
          <ImportForm onDone={reload} hasCalendar={!!data?.calendar} />
        </Card>
        <Card title="Subscribe from your calendar app" id="feed">
          <Feed />
        </Card>
      </div>
    </>
  )
}

function Analysis ({ data, zone }: { data: CalendarAnalysis, zone: string }) {
  return (
    <>
      <h3>Conflicts</h3>
      {data.conflicts.length === 0
        ? <p class="ok">No planned session clashes with your calendar.</p>
        : <ul class="list" data-testid="conflicts">{data.conflicts.map((c, i) => (
            <li key={i}><span><strong>{shortDate(c.session.date)} {time(c.session.start, zone)}–{time(c.session.end, zone)}</strong> clashes with “{c.event.summary}” ({time(c.event.start, zone)}–{time(c.event.end, zone)})</span></li>
          ))}</ul>}
      <h3>Planned sessions</h3>
      <ul class="list">{data.sessions.map(s => <li key={s.date + s.start}><span>{shortDate(s.date)} {time(s.start, zone)}–{time(s.end, zone)}</span><span class={`status ${s.status}`}>{s.status.replace('_', ' ')}</span></li>)}</ul>
      <h3>Free slots</h3>
      {data.free_slots.length === 0
        ? <p class="muted">No free slot in your window this week.</p>
        : <ul class="list">{data.free_slots.slice(0, 10).map(s => <li key={s.start}><span>{dateTime(s.start, zone)} – {time(s.end, zone)}</span></li>)}</ul>}
    </>
  )
}

function ImportForm ({ onDone, hasCalendar }: { onDone: () => void, hasCalendar: boolean }) {
  const { busy, error, notice, run } = useAction()
  const importFile = (event: Event) => {
    event.preventDefault()
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('ics') as HTMLInputElement
    const file = input.files?.[0]
    if (!file) return
    void run(async () => {
      const reply = await api<{ imported: { events: number, occurrences: number } }>('POST', '/api/calendar/import', await file.text())
      input.value = ''
      onDone()
      return `Imported ${plural(reply.imported.events, 'event')} (${plural(reply.imported.occurrences, 'occurrence')}).`
    })
  }
  const subscribe = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      const reply = await post<{ imported: { events: number } }>('/api/calendar/subscription', { url: v.url })
      onDone()
      return `Subscribed: ${plural(reply.imported.events, 'event')}.`
    })
  }
  const remove = () => run(async () => { await del('/api/calendar'); onDone(); return 'Calendar removed.' })
  return (
    <>
      <form onSubmit={importFile}>
        <div class="field">
          <label for="ics">Import an .ics file</label>
          <input id="ics" name="ics" type="file" accept=".ics,text/calendar" required />
        </div>
        <button type="submit" disabled={busy}>Import</button>
      </form>
      <form onSubmit={subscribe}>
        <Field label="Or subscribe to your calendar’s secret iCal address" name="url" type="url" placeholder="https://…/basic.ics" required />
        <button type="submit" disabled={busy}>Subscribe</button>
      </form>
      {hasCalendar && <button type="button" class="danger" onClick={remove} disabled={busy}>Remove calendar</button>}
      <Alert error={error} />
      <Notice text={notice} />
    </>
  )
}

function Feed () {
  const [url, setUrl] = useState<string | null>(null)
  const { busy, error, notice, run } = useAction()
  const create = () => run(async () => {
    setUrl((await post<{ url: string }>('/api/me/calendar-token')).url)
  })
  const copy = () => run(async () => {
    await navigator.clipboard.writeText(url!)
    return 'Copied.'
  })
  return (
    <>
      <p class="muted">Your planned sessions as a calendar feed. The address is shown once; a new one replaces it.</p>
      {url
        ? <div class="field">
            <label for="feed-url">Feed address</label>
            <div class="row">
              <input id="feed-url" readOnly value={url} onFocus={e => (e.currentTarget as HTMLInputElement).select()} />
              <button type="button" onClick={copy}>Copy</button>
            </div>
          </div>
        : <button type="button" onClick={create} disabled={busy}>Make a feed address</button>}
      <Alert error={error} />
      <Notice text={notice} />
    </>
  )
}
