// The plan (days, window, sessions per week, minimum minutes) and pauses.
import { useState } from 'preact/hooks'
import { del, get, post, put } from '../api.js'
import type { AppContext } from '../main.js'
import type { Pause, Plan, Weekday } from '../types.js'
import { shortDate, todayIn } from '../format.js'
import { Alert, Card, Field, Loading, Notice, formValues, useAction, useLoad } from '../ui.js'

const DAYS: [Weekday, string][] = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']]

export function PlanPage ({ ctx }: { ctx: AppContext }) {
  const plan = useLoad(() => get<{ plan: Plan, source: 'stored' | 'default' }>('/api/me/plan'))
  const pauses = useLoad(() => get<{ pauses: Pause[] }>('/api/me/pauses'))
  return (
    <>
      <h1>Plan and pauses</h1>
      <Card title="Your plan" id="plan">
        {!plan.data ? <Loading error={plan.error} /> : <PlanForm plan={plan.data.plan} source={plan.data.source} today={todayIn(ctx.user.timezone)} onSaved={plan.reload} />}
      </Card>
      <Card title="Pauses" id="pauses">
        <p class="muted">Days off the plan (a holiday, an illness): they count neither as done nor as missed.</p>
        {!pauses.data ? <Loading error={pauses.error} /> : <Pauses pauses={pauses.data.pauses} onChange={pauses.reload} />}
      </Card>
    </>
  )
}

function PlanForm ({ plan, source, today, onSaved }: { plan: Plan, source: string, today: string, onSaved: () => void }) {
  const { busy, error, notice, run } = useAction()
  const [days, setDays] = useState<Weekday[]>(plan.weekdays)
  const submit = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      await put('/api/me/plan', {
        sessions_per_week: Number(v.sessions_per_week),
        weekdays: DAYS.map(([d]) => d).filter(d => days.includes(d)),
        window_start: v.window_start,
        window_end: v.window_end,
        min_minutes: Number(v.min_minutes),
        start_date: v.start_date || today
      })
      onSaved()
      return 'Plan saved.'
    })
  }
  return (
    <form onSubmit={submit}>
      {source === 'default' && <p class="muted">These are the defaults; saving makes them yours.</p>}
      <Field label="Sessions per week" name="sessions_per_week" type="number" min={1} max={14} defaultValue={String(plan.sessions_per_week)} required />
      <fieldset>
        <legend>Days</legend>
        <div class="days">
          {DAYS.map(([d, label]) => (
            <label key={d}><input type="checkbox" name="weekdays" value={d} checked={days.includes(d)}
              onChange={e => setDays(ds => (e.currentTarget as HTMLInputElement).checked ? [...ds, d] : ds.filter(x => x !== d))} /> {label}</label>
          ))}
        </div>
      </fieldset>
      <div class="pair">
        <Field label="Window from" name="window_start" type="time" defaultValue={plan.window_start} required />
        <Field label="to" name="window_end" type="time" defaultValue={plan.window_end} required />
      </div>
      <Field label="Minimum minutes" name="min_minutes" type="number" min={1} max={600} defaultValue={String(plan.min_minutes)} required hint="A shorter workout is logged but is not a session." />
      <Field label="Applies from" name="start_date" type="date" defaultValue={today} hint="Earlier days keep the plan they had." />
      <Alert error={error} />
      <button type="submit" disabled={busy}>Save plan</button>
      <Notice text={notice} />
    </form>
  )
}

function Pauses ({ pauses, onChange }: { pauses: Pause[], onChange: () => void }) {
  const { busy, error, run } = useAction()
  const add = (event: Event) => {
    const v = formValues(event)
    const form = event.currentTarget as HTMLFormElement
    void run(async () => {
      await post('/api/me/pauses', { start_date: v.start_date, end_date: v.end_date, ...(v.reason ? { reason: v.reason } : {}) })
      form.reset()
      onChange()
    })
  }
  const remove = (p: Pause) => run(async () => { await del(`/api/me/pauses/${p.pause_id}`); onChange() })
  return (
    <>
      {pauses.length > 0 && (
        <ul class="list">
          {pauses.map(p => (
            <li key={p.pause_id}>
              <span>{shortDate(p.start_date)} – {shortDate(p.end_date)}{p.reason ? ` · ${p.reason}` : ''}</span>
              <button type="button" class="danger" onClick={() => remove(p)} aria-label={`Remove the pause from ${p.start_date} to ${p.end_date}`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add}>
        <div class="pair">
          <Field label="First day" name="start_date" id="pause-start" type="date" required />
          <Field label="Last day" name="end_date" id="pause-end" type="date" required />
        </div>
        <Field label="Reason" name="reason" id="pause-reason" maxLength={200} hint="Needed when the pause starts today or earlier." />
        <Alert error={error} />
        <button type="submit" disabled={busy}>Add pause</button>
      </form>
    </>
  )
}
