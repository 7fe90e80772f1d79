// Account (time zone, resolution, password, export, delete), channels and quiet hours, the buddy,
// and the autopilot with its runs ("why did/didn't it act").
import { ApiError, del, get, patch, post, put } from '../api.js'
import type { AppContext } from '../main.js'
import type { Buddy, Channels, User } from '../types.js'
import type { components } from '../../../test/generated/openapi.js'
import { dateTime } from '../format.js'
import { Alert, Card, Field, Loading, Notice, formValues, useAction, useLoad } from '../ui.js'

type Autopilot = components['schemas']['AutopilotSettings']
type Run = components['schemas']['AutopilotRun']

export function Settings ({ ctx }: { ctx: AppContext }) {
  return (
    <>
      <h1>Settings</h1>
      <div class="grid">
        <Profile ctx={ctx} />
        <Password />
        <ChannelsCard />
        <BuddyCard />
        <PreferencesCard />
        <AutopilotCard ctx={ctx} />
        <DataCard ctx={ctx} />
      </div>
    </>
  )
}

function Profile ({ ctx }: { ctx: AppContext }) {
  const { busy, error, notice, run } = useAction()
  const submit = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      const reply = await patch<{ user: User }>('/api/me', { timezone: v.timezone, resolution: v.resolution || null })
      ctx.setUser(reply.user)
      return 'Saved.'
    })
  }
  return (
    <Card title="Profile" id="profile">
      <form onSubmit={submit}>
        <Field label="Time zone" name="timezone" defaultValue={ctx.user.timezone} required hint="An IANA name such as Europe/Berlin." />
        <Field label="Resolution" name="resolution" defaultValue={ctx.user.resolution ?? ''} maxLength={500} placeholder="Gym 4× a week for 8 weeks" />
        <Alert error={error} />
        <button type="submit" disabled={busy}>Save profile</button>
        <Notice text={notice} />
      </form>
    </Card>
  )
}

function Password () {
  const { busy, error, notice, run } = useAction()
  const submit = (event: Event) => {
    const v = formValues(event)
    const form = event.currentTarget as HTMLFormElement
    void run(async () => {
      await put('/api/me/password', { current_password: v.current_password, new_password: v.new_password })
      form.reset()
      return 'Password changed; your other sessions are signed out.'
    })
  }
  return (
    <Card title="Password" id="password">
      <form onSubmit={submit}>
        <Field label="Current password" name="current_password" type="password" autoComplete="current-password" required />
        <Field label="New password" name="new_password" type="password" autoComplete="new-password" minLength={8} required />
        <Alert error={error} />
        <button type="submit" disabled={busy}>Change password</button>
        <Notice text={notice} />
      </form>
    </Card>
  )
}

function ChannelsCard () {
  const { data, error: loadError, reload } = useLoad(() => get<{ channels: Channels }>('/api/me/channels'))
  const { busy, error, notice, run } = useAction()
  const submit = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      const reply = await put<{ channels: Channels }>('/api/me/channels', {
        email: v.email || null,
        phone: v.phone || null,
        webhook_url: v.webhook_url || null,
        quiet_hours: v.quiet_start && v.quiet_end ? { start: v.quiet_start, end: v.quiet_end } : null,
        daily_cap: Number(v.daily_cap)
      })
      reload()
      return `Channels saved. A new email or phone gets a code to confirm.${reply.channels.webhook_secret ? ` Your webhook signing secret (shown once): ${reply.channels.webhook_secret}` : ''}`
    })
  }
  const confirmCode = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      await post('/api/me/channels/confirm', { channel: v.channel, code: v.code })
      reload()
      return 'Confirmed.'
    })
  }
  const test = (channel: string) => run(async () => {
    await post('/api/me/channels/test', { channel })
    return `A test message is on its way (${channel.replace('_', '-')}).`
  })
  const c = data?.channels
  const pending = c ? ([['email', c.email_status], ['sms', c.phone_status]] as const).filter(([, status]) => status === 'pending').map(([ch]) => ch) : []
  return (
    <Card title="Channels and quiet hours" id="channels">
      {pending.length > 0 && (
        <form onSubmit={confirmCode} aria-label="Confirm a new address">
          <div class="field">
            <label for="confirm-channel">Confirm</label>
            <select id="confirm-channel" name="channel">{pending.map(ch => <option key={ch} value={ch}>{ch === 'sms' ? 'phone (SMS)' : 'email'}</option>)}</select>
          </div>
          <Field label="6-digit code we sent" name="code" id="confirm-code" inputMode="numeric" pattern="[0-9]{6}" required />
          <button type="submit" disabled={busy}>Confirm</button>
        </form>
      )}
      {!c ? <Loading error={loadError} /> : (
        <form onSubmit={submit}>
          <p class="muted">In-app nudges always work. Usable now: {c.usable.join(', ')}.</p>
          <Field label="Email" name="email" type="email" defaultValue={c.email ?? ''} hint={c.email_status ? `Status: ${c.email_status}` : undefined} />
          <Field label="Phone (SMS)" name="phone" type="tel" defaultValue={c.phone ?? ''} hint={c.phone_status ? `Status: ${c.phone_status}` : undefined} />
          <Field label="Webhook URL" name="webhook_url" type="url" defaultValue={c.webhook_url ?? ''} />
          <div class="pair">
            <Field label="Quiet from" name="quiet_start" type="time" defaultValue={c.quiet_hours?.start ?? ''} />
            <Field label="Quiet until" name="quiet_end" type="time" defaultValue={c.quiet_hours?.end ?? ''} />
          </div>
          <Field label="At most this many nudges a day (webhook, email, SMS)" name="daily_cap" type="number" min={0} max={50} defaultValue={String(c.daily_cap)} />
          <button type="submit" disabled={busy}>Save channels</button>
        </form>
      )}
      {c && (
        <p class="actions wrap">
          {c.usable.map(ch => <button key={ch} type="button" class="secondary" onClick={() => test(ch)} disabled={busy}>Test {ch.replace('_', '-')}</button>)}
        </p>
      )}
      <Alert error={error} />
      <Notice text={notice} />
    </Card>
  )
}

function BuddyCard () {
  const { data, reload } = useLoad(() => get<{ buddy: Buddy }>('/api/me/buddy').then(r => r.buddy, err => { if (err instanceof ApiError && err.status === 404) return null; throw err }))
  const { busy, error, notice, run } = useAction()
  const submit = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      await put('/api/me/buddy', { name: v.name, ...(v.email ? { email: v.email } : {}) })
      reload()
      return 'Invitation sent: your buddy gets nothing until they accept.'
    })
  }
  const remove = () => run(async () => { await del('/api/me/buddy'); reload() })
  return (
    <Card title="Buddy" id="buddy">
      {data && <p>{data.name} {data.email ? `(${data.email})` : ''} — {data.status}. <button type="button" class="link" onClick={remove}>Remove</button></p>}
      <form onSubmit={submit}>
        <Field label="Buddy’s name" name="name" id="buddy-name" defaultValue={data?.name ?? ''} required />
        <Field label="Buddy’s email" name="email" id="buddy-email" type="email" defaultValue={data?.email ?? ''} />
        <Alert error={error} />
        <button type="submit" disabled={busy}>{data ? 'Update buddy' : 'Invite buddy'}</button>
        <Notice text={notice} />
      </form>
    </Card>
  )
}

function AutopilotCard ({ ctx }: { ctx: AppContext }) {
  const settings = useLoad(() => get<{ autopilot: Autopilot }>('/api/me/autopilot'))
  const runs = useLoad(() => get<{ runs: Run[] }>('/api/autopilot/runs?limit=10'))
  const { busy, error, notice, run } = useAction()
  const submit = (event: Event) => {
    const form = event.currentTarget as HTMLFormElement
    const v = formValues(event)
    void run(async () => {
      await put('/api/me/autopilot', {
        enabled: (form.elements.namedItem('enabled') as HTMLInputElement).checked,
        weekly_digest: (form.elements.namedItem('weekly_digest') as HTMLInputElement).checked,
        lead_minutes: Number(v.lead_minutes),
        min_risk: v.min_risk
      })
      settings.reload()
      return 'Autopilot saved.'
    })
  }
  const a = settings.data?.autopilot
  return (
    <Card title="Autopilot" id="autopilot">
      {!a ? <Loading error={settings.error} /> : (
        <form onSubmit={submit}>
          <label class="check"><input type="checkbox" name="enabled" defaultChecked={a.enabled} /> Act on its own before a session is lost</label>
          <label class="check"><input type="checkbox" name="weekly_digest" defaultChecked={a.weekly_digest} /> Weekly digest on Sunday evening</label>
          <Field label="Minutes before a session to check" name="lead_minutes" type="number" min={5} max={1440} defaultValue={String(a.lead_minutes)} />
          <div class="field">
            <label for="f-min_risk">Act from risk</label>
            <select id="f-min_risk" name="min_risk" defaultValue={a.min_risk}>
              <option value="medium">medium</option>
              <option value="high">high</option>
            </select>
          </div>
          <Alert error={error} />
          <button type="submit" disabled={busy}>Save autopilot</button>
          <Notice text={notice} />
        </form>
      )}
      <h3>Why it did or didn’t act</h3>
      {!runs.data ? <Loading error={runs.error} /> : runs.data.runs.length === 0
        ? <p class="muted">No checkpoint has run yet.</p>
        : <ul class="list">{runs.data.runs.map(r => <li key={r.run_id}><span>{dateTime(r.ran_at, ctx.user.timezone)} · {r.checkpoint.replace(/_/g, ' ')}: <strong>{r.decision}</strong> — {r.why}</span></li>)}</ul>}
    </Card>
  )
}

function DataCard ({ ctx }: { ctx: AppContext }) {
  const { busy, error, run } = useAction()
  const exportData = () => run(async () => {
    const data = await get<unknown>('/api/me/export')
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = `resolution-autopilot-${ctx.user.username}.json`
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  })
  const remove = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      if (!confirm('Delete your account and all your data? This cannot be undone.')) return
      await del('/api/me', { password: v.password })
      ctx.signedOut()
    })
  }
  return (
    <Card title="Your data" id="data">
      <button type="button" class="secondary" onClick={exportData} disabled={busy}>Export my data (JSON)</button>
      <form onSubmit={remove}>
        <Field label="Password, to delete your account" name="password" id="delete-password" type="password" autoComplete="current-password" required />
        <button type="submit" class="danger" disabled={busy}>Delete my account</button>
      </form>
      <Alert error={error} />
    </Card>
  )
}

const KINDS = [
  ['calendar', 'Blocks in my calendar'],
  ['message', 'Messages to me'],
  ['financial', 'Reminders of what I staked'],
  ['social', 'Messages to my buddy']
] as const

function PreferencesCard () {
  const { data, error: loadError } = useLoad(() => get<{ interventions: Record<string, boolean> }>('/api/me/preferences'))
  const { busy, error, notice, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    void run(async () => {
      const interventions = Object.fromEntries(KINDS.map(([kind]) => [kind, (form.elements.namedItem(kind) as HTMLInputElement).checked]))
      await put('/api/me/preferences', { interventions })
      return 'Saved.'
    })
  }
  return (
    <Card title="What the coach may do" id="preferences">
      {!data ? <Loading error={loadError} /> : (
        <form onSubmit={submit}>
          <fieldset>
            <legend>Kinds of help I accept</legend>
            {KINDS.map(([kind, label]) => <label key={kind} class="check"><input type="checkbox" name={kind} defaultChecked={data.interventions[kind]} /> {label}</label>)}
          </fieldset>
          <Alert error={error} />
          <button type="submit" disabled={busy}>Save</button>
          <Notice text={notice} />
        </form>
      )}
    </Card>
  )
}
