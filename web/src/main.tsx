// The web app: the same accounts and API as curl, in a browser. Signed in, a header with the
// pages and the unread nudges; signed out, the sign-in page.
import { render } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { get, onUnauthorized, post } from './api.js'
import { linkClick, navigate, usePath } from './router.js'
import type { Nudge, User } from './types.js'
import { SignIn } from './pages/sign-in.js'
import { Home } from './pages/home.js'
import { Workouts } from './pages/workouts.js'
import { Coach } from './pages/coach.js'
import { PlanPage } from './pages/plan.js'
import { CalendarPage } from './pages/calendar.js'
import { Inbox } from './pages/inbox.js'
import { CommitmentPage } from './pages/commitment.js'
import { Settings } from './pages/settings.js'
import './styles.css'

const PAGES = [
  { path: '/', label: 'This week' },
  { path: '/workouts', label: 'Workouts' },
  { path: '/coach', label: 'Coach' },
  { path: '/plan', label: 'Plan' },
  { path: '/calendar', label: 'Calendar' },
  { path: '/inbox', label: 'Inbox' },
  { path: '/commitment', label: 'Commitment' },
  { path: '/settings', label: 'Settings' }
] as const

export interface AppContext {
  user: User
  /** re-read the unread count (after marking nudges read, or a coach run that sent one) */
  refreshUnread: () => void
  setUser: (user: User) => void
  signedOut: () => void
}

function App () {
  const path = usePath()
  const [user, setUser] = useState<User | null | undefined>(undefined)
  const [unread, setUnread] = useState(0)

  const loadUser = useCallback(async () => {
    try {
      setUser((await get<{ user: User }>('/api/me')).user)
    } catch {
      setUser(null)
    }
  }, [])
  useEffect(() => { void loadUser() }, [])
  useEffect(() => onUnauthorized(() => setUser(null)), [])

  const refreshUnread = useCallback(() => {
    get<{ nudges: Nudge[] }>('/api/nudges?unread=true&limit=100')
      .then(r => setUnread(r.nudges.filter(n => n.recipient === 'you').length), () => {})
  }, [])
  useEffect(() => {
    if (!user) return
    refreshUnread()
    const timer = setInterval(refreshUnread, 30_000)
    return () => clearInterval(timer)
  }, [user?.id])

  // After a page change, focus goes to the page (screen readers announce it; Tab starts there).
  const moved = useRef(false)
  useEffect(() => {
    if (moved.current) document.getElementById('main')?.focus()
    moved.current = true
  }, [path])

  useEffect(() => {
    const page = PAGES.find(p => p.path === path)
    document.title = `${page && user ? `${page.label} · ` : ''}Resolution Autopilot`
  }, [path, user])

  if (user === undefined) return <p class="muted" role="status">Loading…</p>
  if (user === null) return <SignIn onSignedIn={u => { setUser(u); navigate('/') }} />

  const ctx: AppContext = { user, refreshUnread, setUser, signedOut: () => { setUser(null); navigate('/') } }
  const signOut = async () => {
    await post('/api/auth/logout').catch(() => {})
    ctx.signedOut()
  }
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/" onClick={linkClick}>Resolution Autopilot</a>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map(p => (
              <li key={p.path}>
                <a href={p.path} onClick={linkClick} aria-current={p.path === path ? 'page' : undefined}>
                  {p.label}
                  {p.path === '/inbox' && unread > 0 && <span class="badge" aria-label={`${unread} unread`}>{unread}</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="muted">{user.username}</span>
          <button type="button" class="link" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} ctx={ctx} />
      </main>
    </>
  )
}

function Page ({ path, ctx }: { path: string, ctx: AppContext }) {
  switch (path) {
    case '/': return <Home ctx={ctx} />
    case '/workouts': return <Workouts ctx={ctx} />
    case '/coach': return <Coach ctx={ctx} />
    case '/plan': return <PlanPage ctx={ctx} />
    case '/calendar': return <CalendarPage ctx={ctx} />
    case '/inbox': return <Inbox ctx={ctx} />
    case '/commitment': return <CommitmentPage ctx={ctx} />
    case '/settings': return <Settings ctx={ctx} />
    default: return (
      <>
        <h1>Not found</h1>
        <p>There is no page at {path}. <a href="/" onClick={linkClick}>Back to this week</a>.</p>
      </>
    )
  }
}

render(<App />, document.getElementById('app')!)
