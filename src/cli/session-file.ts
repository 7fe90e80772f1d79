// The CLI's sessions with servers, kept between runs: a login counts against the server's auth
// rate limit (RATE_LIMIT_AUTH_MAX per IP), so logging in on every message would lock the user out
// after a few. One JSON file per user account on this machine, readable by its owner only — a
// session id is as good as the password until it expires — in the user's config directory:
//   $XDG_CONFIG_HOME/resolution-autopilot/sessions.json, else ~/.config/resolution-autopilot/…
// Keyed by server URL, then username:
//   { "sessions": { "http://127.0.0.1:3001": { "alice": { "session_id": "…", "saved_at": "…" } } } }
import { randomUUID } from 'node:crypto'
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'

interface StoredSession { session_id: string, saved_at: string }
type SessionMap = Record<string, Record<string, StoredSession>>

export function sessionFilePath (env: Record<string, string | undefined>): string {
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config')
  return join(configHome, 'resolution-autopilot', 'sessions.json')
}

/** The key of a server: its URL without a trailing slash, so `…:3001` and `…:3001/` are one server. */
export function serverKey (url: URL): string {
  return (url.origin + url.pathname).replace(/\/+$/, '')
}

export class SessionFile {
  constructor (readonly path: string) {}

  async get (server: string, user: string): Promise<string | null> {
    return (await this.read())[server]?.[user]?.session_id ?? null
  }

  async set (server: string, user: string, sessionId: string): Promise<void> {
    const sessions = await this.read()
    sessions[server] = { ...sessions[server], [user]: { session_id: sessionId, saved_at: new Date().toISOString() } }
    await this.write(sessions)
  }

  async delete (server: string, user: string): Promise<void> {
    const sessions = await this.read()
    if (!sessions[server]?.[user]) return
    delete sessions[server][user]
    if (Object.keys(sessions[server]).length === 0) delete sessions[server]
    await this.write(sessions)
  }

  /** An absent or unreadable file holds no sessions: the worst outcome is one more login. */
  private async read (): Promise<SessionMap> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw err
    }
    try {
      const sessions = (JSON.parse(text) as { sessions?: unknown }).sessions
      return typeof sessions === 'object' && sessions !== null ? sessions as SessionMap : {}
    } catch {
      return {}
    }
  }

  /**
   * Replaces the file whole (temp file + rename): a crash or a concurrent run never leaves a torn
   * file. Two runs saving at once may lose one's entry — that costs a login, nothing more.
   * The modes are set explicitly, not left to the umask: directory 0700, file 0600 from its first byte.
   */
  private async write (sessions: SessionMap): Promise<void> {
    const dir = dirname(this.path)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await chmod(dir, 0o700)
    const tmp = `${this.path}.${randomUUID()}.tmp`
    const file = await open(tmp, 'wx', 0o600)
    try {
      await file.chmod(0o600)
      await file.writeFile(JSON.stringify({ sessions }, null, 2) + '\n')
      await file.sync()
    } finally {
      await file.close()
    }
    try {
      await rename(tmp, this.path)
    } catch (err) {
      await unlink(tmp).catch(() => {})
      throw err
    }
  }
}
