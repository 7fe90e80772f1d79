// Logging a workout in a few taps, and the history: see, correct or delete past ones, with stats.
import { useState } from 'preact/hooks'
import { del, get, patch, post } from '../api.js'
import type { AppContext } from '../main.js'
import type { HistoryResponse, Workout } from '../types.js'
import { shortDate, todayIn } from '../format.js'
import { Alert, Card, Field, Loading, Notice, formValues, useAction, useLoad } from '../ui.js'

const TYPES = ['running', 'strength', 'cycling', 'swimming', 'yoga', 'walking', 'hiit', 'other']

/** The instant for "earlier today at HH:MM" in the person's zone (an offset found by probing). */
function earlierToday (hhmm: string, timeZone: string): string {
  const today = todayIn(timeZone)
  const guess = new Date(`${today}T${hhmm}:00Z`)
  const shown = new Date(guess.toLocaleString('en-US', { timeZone }))
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }))
  return new Date(guess.getTime() - (shown.getTime() - utc.getTime())).toISOString()
}

export function LogWorkoutForm ({ ctx, onLogged }: { ctx: AppContext, onLogged: () => void }) {
  const { busy, error, notice, run } = useAction()
  const [when, setWhen] = useState<'now' | 'earlier'>('now')
  const submit = (event: Event) => {
    const v = formValues(event)
    const form = event.currentTarget as HTMLFormElement
    void run(async () => {
      const body: Record<string, unknown> = { exercise_type: v.exercise_type, duration_minutes: Number(v.duration_minutes) }
      if (v.notes) body.notes = v.notes
      if (when === 'earlier' && v.time) body.performed_at = earlierToday(v.time, ctx.user.timezone)
      body.request_id = crypto.randomUUID()
      const reply = await post<{ workout: Workout }>('/api/workout/log', body)
      form.reset()
      setWhen('now')
      onLogged()
      return `Logged ${reply.workout.duration_minutes} min of ${reply.workout.exercise_type}.`
    })
  }
  return (
    <form onSubmit={submit} class="log-form">
      <div class="field">
        <label for="f-exercise_type">Type</label>
        <select id="f-exercise_type" name="exercise_type" required>
          {TYPES.map(t => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
      <Field label="Minutes" name="duration_minutes" type="number" min={1} max={600} required inputMode="numeric" />
      <Field label="Notes (optional)" name="notes" maxLength={500} />
      <fieldset class="when">
        <legend>When</legend>
        <label><input type="radio" name="when" value="now" checked={when === 'now'} onChange={() => setWhen('now')} /> Now</label>
        <label><input type="radio" name="when" value="earlier" checked={when === 'earlier'} onChange={() => setWhen('earlier')} /> Earlier today</label>
        {when === 'earlier' && <Field label="At" name="time" type="time" required />}
      </fieldset>
      <Alert error={error} />
      <button type="submit" disabled={busy}>Log workout</button>
      <Notice text={notice} />
    </form>
  )
}

export function Workouts ({ ctx }: { ctx: AppContext }) {
  const [days, setDays] = useState(30)
  const { data, error, reload } = useLoad(() => get<HistoryResponse>(`/api/workout/history?days_back=${days}`), [days])
  return (
    <>
      <h1>Workouts</h1>
      <Card title="Log a workout" id="log">
        <LogWorkoutForm ctx={ctx} onLogged={reload} />
      </Card>
      <Card title="History" id="history">
        <div class="field inline">
          <label for="days">Show the last</label>
          <select id="days" value={days} onChange={e => setDays(Number((e.currentTarget as HTMLSelectElement).value))}>
            {[7, 30, 90, 365].map(d => <option key={d} value={d}>{d} days</option>)}
          </select>
        </div>
        {!data ? <Loading error={error} /> : <History data={data} onChange={reload} />}
      </Card>
    </>
  )
}

function History ({ data, onChange }: { data: HistoryResponse, onChange: () => void }) {
  const { stats, commitment_analysis: verdict } = data
  return (
    <>
      <p>{stats.total_workouts} workouts, {stats.total_minutes} min, {stats.workouts_per_week} a week; {stats.completion_rate}% of planned sessions.</p>
      <p class={verdict.on_track ? 'ok' : 'risk'}>{verdict.message}</p>
      {data.workouts.length === 0
        ? <p class="muted">Nothing logged in this period.</p>
        : <ul class="list">{data.workouts.map(w => <WorkoutRow key={w.workout_id} workout={w} onChange={onChange} />)}</ul>}
    </>
  )
}

function WorkoutRow ({ workout: w, onChange }: { workout: Workout, onChange: () => void }) {
  const [editing, setEditing] = useState(false)
  const { busy, error, run } = useAction()
  const save = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      await patch(`/api/workout/${w.workout_id}`, { exercise_type: v.exercise_type, duration_minutes: Number(v.duration_minutes), notes: v.notes || null })
      setEditing(false)
      onChange()
    })
  }
  const remove = () => run(async () => {
    if (!confirm(`Delete ${w.duration_minutes} min of ${w.exercise_type} on ${shortDate(w.local_date)}?`)) return
    await del(`/api/workout/${w.workout_id}`)
    onChange()
  })
  const name = `${w.exercise_type}, ${w.duration_minutes} min, ${shortDate(w.local_date)}`
  return (
    <li>
      {editing
        ? <form onSubmit={save} class="row-form" aria-label={`Correct ${name}`}>
            <Field label="Type" name="exercise_type" id={`${w.workout_id}-type`} defaultValue={w.exercise_type} required />
            <Field label="Minutes" name="duration_minutes" id={`${w.workout_id}-minutes`} type="number" min={1} max={600} defaultValue={String(w.duration_minutes)} required />
            <Field label="Notes" name="notes" id={`${w.workout_id}-notes`} defaultValue={w.notes ?? ''} />
            <button type="submit" disabled={busy}>Save</button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>Cancel</button>
          </form>
        : <>
            <span><strong>{w.exercise_type}</strong> · {w.duration_minutes} min · {shortDate(w.local_date)} {w.local_time}{w.notes ? ` · ${w.notes}` : ''}</span>
            <span class="actions">
              <button type="button" class="secondary" onClick={() => setEditing(true)} aria-label={`Correct ${name}`}>Correct</button>
              <button type="button" class="danger" onClick={remove} disabled={busy} aria-label={`Delete ${name}`}>Delete</button>
            </span>
          </>}
      <Alert error={error} />
    </li>
  )
}
