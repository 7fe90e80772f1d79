// Sign in, or create an account (the same accounts as the API; the session is an HttpOnly cookie).
import { useState } from 'preact/hooks'
import { post } from '../api.js'
import type { User } from '../types.js'
import { Alert, Field, formValues, useAction } from '../ui.js'

export function SignIn ({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [mode, setMode] = useState<'in' | 'up'>('in')
  const { busy, error, run } = useAction()
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone

  const submit = (event: Event) => {
    const v = formValues(event)
    void run(async () => {
      const body = mode === 'up'
        ? { username: v.username, password: v.password, timezone: v.timezone || zone }
        : { username: v.username, password: v.password }
      const reply = await post<{ user: User }>(mode === 'up' ? '/api/auth/register' : '/api/auth/login', body)
      onSignedIn(reply.user)
    })
  }

  return (
    <main id="main" class="signin">
      <h1>Resolution Autopilot</h1>
      <p class="muted">Keep your resolution: log workouts, see your week, and let the coach help before it slips.</p>
      <section class="card" aria-labelledby="signin-h">
        <h2 id="signin-h">{mode === 'in' ? 'Sign in' : 'Create an account'}</h2>
        <form onSubmit={submit}>
          <Field label="Username" name="username" autoComplete="username" required />
          <Field label="Password" name="password" type="password" autoComplete={mode === 'in' ? 'current-password' : 'new-password'} required
            minLength={mode === 'up' ? 8 : undefined} hint={mode === 'up' ? 'At least 8 characters.' : undefined} />
          {mode === 'up' && <Field label="Time zone" name="timezone" defaultValue={zone} hint="Your days are counted in this zone." />}
          <Alert error={error} />
          <button type="submit" disabled={busy}>{mode === 'in' ? 'Sign in' : 'Create account'}</button>
        </form>
        <p>
          {mode === 'in' ? 'New here? ' : 'Have an account? '}
          <button type="button" class="link" onClick={() => setMode(mode === 'in' ? 'up' : 'in')}>
            {mode === 'in' ? 'Create an account' : 'Sign in instead'}
          </button>
        </p>
      </section>
    </main>
  )
}
