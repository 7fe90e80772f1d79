// A commitment: something at stake, milestones judged from the workouts (bookkeeping, no money moves).
import { ApiError, get, post } from '../api.js'
import type { AppContext } from '../main.js'
import type { components } from '../../../test/generated/openapi.js'
import { shortDate } from '../format.js'
import { Alert, Card, Field, Loading, formValues, useAction, useLoad } from '../ui.js'

type Commitment = components['schemas']['Commitment']

export function CommitmentPage (_: { ctx: AppContext }) {
  const { data, error, reload } = useLoad(() => get<{ commitment: Commitment }>('/api/commitments/current')
    .then(r => r.commitment, err => { if (err instanceof ApiError && err.status === 404) return null; throw err }))
  return (
    <>
      <h1>Commitment</h1>
      {data === undefined ? <Loading error={error} /> : data === null ? <Create onCreated={reload} /> : <Current c={data} />}
    </>
  )
}

function Current ({ c }: { c: Commitment }) {
  const p = c.progress
  return (
    <div class="grid">
      <Card title="At stake" id="stake">
        <p class="big"><strong>{c.stake_display}</strong></p>
        <p>{c.status} · {shortDate(c.start_date)} – {shortDate(c.end_date)} · to {c.recipient_on_failure.replace('_', '-')} on failure{c.bonus_percentage ? `, ${c.bonus_percentage}% bonus when kept` : ''}.</p>
        {p && <p>Milestone {p.milestone}: {p.completed_sessions} of {p.required_sessions} sessions, {p.needed} more by {shortDate(p.target_date)} — {p.days_left} days left.</p>}
        <p class="muted">An honest ledger: no money is charged, held or paid out.</p>
      </Card>
      <Card title="Milestones" id="milestones">
        <ol class="list">{c.milestones.map(m => (
          <li key={m.index}><span>By {shortDate(m.target_date)}: {m.required_sessions} sessions{m.completed_sessions !== null ? ` (${m.completed_sessions} done)` : ''}</span><span class={`status ${m.status}`}>{m.status}</span></li>
        ))}</ol>
      </Card>
    </div>
  )
}

function Create ({ onCreated }: { onCreated: () => void }) {
  const { busy, error, run } = useAction()
  const submit = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      await post('/api/commitments', {
        stake_amount: Math.round(Number(v.stake) * 100),
        currency: v.currency,
        weeks: Number(v.weeks),
        milestones: Number(v.milestones),
        recipient_on_failure: v.recipient,
        ...(v.bonus ? { bonus_percentage: Number(v.bonus) } : {})
      })
      onCreated()
    })
  }
  return (
    <Card title="Make a commitment" id="create">
      <p class="muted">Put something at stake for a number of weeks; the service judges each milestone from your workouts.</p>
      <form onSubmit={submit}>
        <div class="pair">
          <Field label="Stake" name="stake" type="number" min={1} step="0.01" required inputMode="decimal" />
          <Field label="Currency" name="currency" defaultValue="EUR" maxLength={3} required />
        </div>
        <div class="pair">
          <Field label="Weeks" name="weeks" type="number" min={1} max={52} defaultValue="8" required />
          <Field label="Milestones" name="milestones" type="number" min={1} max={52} defaultValue="4" required />
        </div>
        <div class="field">
          <label for="f-recipient">If you miss a milestone, it goes to</label>
          <select id="f-recipient" name="recipient">
            <option value="charity">a charity</option>
            <option value="anti_charity">a cause you oppose</option>
            <option value="buddy">your buddy</option>
          </select>
        </div>
        <Field label="Bonus when kept (%)" name="bonus" type="number" min={0} max={100} />
        <Alert error={error} />
        <button type="submit" disabled={busy}>Commit</button>
      </form>
    </Card>
  )
}
