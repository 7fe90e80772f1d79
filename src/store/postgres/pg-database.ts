// The connection pool and the two ways the PostgreSQL store talks to it: a single statement, and a
// per-user transaction that first locks the person's account row — so every per-user operation of
// the Repository is one transaction, and two writes for one person (two overlapping pauses, two
// nudges against one daily cap) are decided one after the other, as the LowDB store's per-user
// queue decides them. Connection trouble becomes a 503 the client may retry, never a 500 or a hang
// beyond the statement timeout.
import pg from 'pg'

const { escapeLiteral } = pg
import { DomainError, unavailable } from '../../shared/domain-errors.js'

export interface PgDatabaseOptions {
  connectionString: string
  poolMax: number
  statementTimeoutMs: number
  /** named in pg_stat_activity, so an operator can tell the service's connections apart */
  applicationName?: string
}

/** How long a caller is told to wait before retrying while the database is unreachable. */
const RETRY_AFTER_SECONDS = 5

// SQLSTATE classes and codes that mean "the database is not there right now", not "your query is
// wrong": connection exceptions (08), operator intervention (57: shutdown, cancel by timeout),
// insufficient resources (53: too many connections, disk full) and the server in recovery.
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '53100', '53200', '40001', '40P01'])
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'])

/** true when `err` says the database could not be reached or gave up, rather than a bug in a query */
export function isUnavailable (err: unknown): boolean {
  const e = err as { code?: string, message?: string }
  if (typeof e?.code === 'string' && (e.code.startsWith('08') || UNAVAILABLE_CODES.has(e.code) || NETWORK_CODES.has(e.code))) return true
  const message = e?.message ?? ''
  // node-postgres reports these without a code.
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|connection is closed/i.test(message)
}

export type Queryable = Pick<pg.PoolClient, 'query'>

export class PgDatabase {
  readonly pool: pg.Pool
  /** the last time a statement reached the database and came back, and the last failure */
  private lastOk = 0
  private lastFailure: { at: number, reason: string } | null = null

  constructor (options: PgDatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax,
      // Sent at connect: the server cancels any statement running longer (57014 → 503).
      statement_timeout: options.statementTimeoutMs,
      // The client gives up too if the server stops answering altogether (a frozen host).
      query_timeout: options.statementTimeoutMs + 1000,
      // A transaction left open by a crashed request must not hold a person's row forever.
      idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 10_000),
      // Waiting for a free connection is bounded like a statement: past it, a 503 to retry.
      connectionTimeoutMillis: options.statementTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'resolution-autopilot'
    })
    // An idle client whose server went away emits 'error' on the pool; unhandled, it would crash
    // the process. The next query finds out again and answers 503.
    this.pool.on('error', err => { this.failed(err) })
    // And every client keeps a listener of its own for as long as it lives. pg-pool moves its
    // listeners on and off a client as it is lent and returned, and a server restart under load
    // (FATAL 57P01 "terminating connection due to administrator command") can land in a gap
    // between them: an 'error' with no listener, which crashed the process (node-postgres#2762).
    this.pool.on('connect', client => { client.on('error', err => { this.failed(err) }) })
  }

  /** One statement outside a transaction. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow> (text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      const result = await this.pool.query<R>(text, values)
      this.lastOk = Date.now()
      return result
    } catch (err) {
      throw this.translate(err)
    }
  }

  /** Runs `fn` in one transaction (READ COMMITTED) and commits; rolls back when it throws. */
  async transaction<R> (fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    return this.inTransaction('BEGIN', async (client) => fn(client))
  }

  /**
   * `begin` opens the transaction — BEGIN, possibly followed by more statements sent in the same
   * round trip (simple protocol: no parameters, so values in it must be escaped literals); `fn`
   * gets their results.
   */
  private async inTransaction<R> (begin: string, fn: (client: pg.PoolClient, opened: pg.QueryResult[]) => Promise<R>): Promise<R> {
    let client: pg.PoolClient
    try {
      client = await this.pool.connect()
    } catch (err) {
      throw this.translate(err)
    }
    let broken = false
    // The server may drop the connection while this request holds it between two statements:
    // node-postgres then emits 'error' on the client, which would crash the process unheard. The
    // next statement fails as well and answers 503; the client is discarded, not pooled.
    const lost = (err: Error) => { broken = true; this.failed(err) }
    client.on('error', lost)
    try {
      const opened = await client.query(begin) as unknown as pg.QueryResult | pg.QueryResult[]
      const result = await fn(client, Array.isArray(opened) ? opened : [opened])
      await client.query('COMMIT')
      this.lastOk = Date.now()
      return result
    } catch (err) {
      broken = isUnavailable(err)
      if (!broken) await client.query('ROLLBACK').catch(() => { broken = true })
      throw this.translate(err)
    } finally {
      client.off('error', lost)
      // A client whose connection failed mid-transaction is discarded, not handed to the next request.
      client.release(broken)
    }
  }

  /**
   * Runs `fn` in one transaction holding the person's account row (FOR UPDATE): their writes are
   * serialised, other people's are not. `null` (nothing run) when there is no such account.
   */
  async userTransaction<R> (userId: string, fn: (client: pg.PoolClient) => Promise<R>): Promise<R | null> {
    const NO_USER = Symbol('no user')
    // One person's transactions from this instance queue here, in memory, before they take a
    // connection: fifteen nudges for one person at once would otherwise hold fifteen pooled
    // connections, fourteen of them only waiting for the row lock, and starve everyone else.
    // BEGIN and the lock in one round trip (the id as an escaped literal: the simple protocol
    // that carries two statements takes no parameters).
    const result = await this.oneAtATime(userId, () => this.inTransaction(
      `BEGIN; SELECT 1 FROM accounts WHERE id = ${escapeLiteral(userId)} FOR UPDATE`,
      async (client, [, found]) => found.rowCount === 0 ? NO_USER : fn(client)))
    return result === NO_USER ? null : result as R
  }

  private readonly queues = new Map<string, Promise<unknown>>()

  private async oneAtATime<R> (key: string, work: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(key) ?? Promise.resolve()
    const mine = previous.then(work, work)
    const tail = mine.catch(() => {})
    this.queues.set(key, tail)
    try {
      return await mine
    } finally {
      // The last in line removes the queue, so it holds only people with work in flight.
      if (this.queues.get(key) === tail) this.queues.delete(key)
    }
  }

  /** Whether the database answered recently; `probe` asks it now (used by the health pinger). */
  async probe (timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        this.query('SELECT 1'),
        new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs) })
      ])
      this.lastFailure = null
      return true
    } catch (err) {
      this.failed(err)
      return false
    } finally {
      clearTimeout(timer)
    }
  }

  health (): { up: boolean, last_ok_at: string | null, last_error: string | null } {
    return {
      up: this.lastFailure === null || this.lastFailure.at < this.lastOk,
      last_ok_at: this.lastOk ? new Date(this.lastOk).toISOString() : null,
      last_error: this.lastFailure?.reason ?? null
    }
  }

  async close (): Promise<void> {
    await this.pool.end()
  }

  private failed (err: unknown): void {
    const e = err as { code?: string, message?: string }
    this.lastFailure = { at: Date.now(), reason: e?.code ?? e?.message ?? String(err) }
  }

  /** Connection trouble → 503 with retry-after (the caller did nothing wrong); anything else as it is. */
  private translate (err: unknown): unknown {
    if (err instanceof DomainError || !isUnavailable(err)) return err
    this.failed(err)
    return unavailable('The database is unavailable right now; try again shortly.', RETRY_AFTER_SECONDS)
  }
}
