// What every contract module shares: how a store under test is opened, and how a store declares a
// known deviation from the contract (the clause still runs, its failures reported as TODO rather
// than failing the suite, so a bug is tracked where everyone sees it instead of being encoded as
// the expected behaviour). Nothing here knows which store it is testing.
import type { Test } from 'tap'
import type { Repository } from '../../../src/store/repository.js'

/** A fresh, empty store; registers its own teardown (close, remove files/database) on `t`. */
export type OpenStore = (t: Test) => Promise<Repository>

export interface ContractOptions {
  /**
   * Subtests this store is known to fail, by their full name ("<part>: <subtest>"), each with why.
   * Keep this list empty where possible: every entry is a bug or an open question, not a licence.
   */
  knownDeviations?: Readonly<Record<string, string>>
  /**
   * Closes `repo` and opens the same storage again, as a restart of the service would (the new
   * store's teardown registered on `t`). Without it the durability clauses are skipped.
   */
  reopen?: (t: Test, repo: Repository) => Promise<Repository>
}

export type ContractFn = (t: Test, open: OpenStore, options?: ContractOptions) => void

/** Every clause name registered so far (so a declared deviation that names none can be caught). */
export const registeredClauses = new Set<string>()

/** Registers one contract subtest named `<part>: <name>`; a declared known deviation runs with its failures as TODO. */
export function clause (t: Test, options: ContractOptions | undefined, part: string, name: string, fn: (t: Test) => Promise<void>): void {
  const full = `${part}: ${name}`
  registeredClauses.add(full)
  const known = options?.knownDeviations?.[full]
  if (!known) {
    void t.test(full, fn)
    return
  }
  // A known deviation still runs: its failing assertions are reported as TODO (tap does not run a
  // subtest marked todo at all), and once it passes, the stale declaration fails the suite.
  void t.test(full, async t => {
    const todo = `known deviation: ${known}`
    let failures = 0
    let expecting = true
    const fail = t.fail
    // Every assertion reports a failure through t.fail (the asserts plugin calls it on this test).
    Object.assign(t, {
      fail (message?: unknown, extra?: unknown) {
        if (expecting) failures++
        const mark = (more: unknown) => expecting ? { ...(more as object | undefined), todo } : { ...(more as object | undefined) }
        return typeof message === 'object' && message !== null
          ? fail.call(t, mark(message))
          : fail.call(t, message as string, mark(extra))
      }
    })
    try {
      await fn(t)
    } finally {
      expecting = false
    }
    t.ok(failures > 0, 'still deviates from the contract (fixed? then remove it from knownDeviations)')
  })
}

/** Builds the clause function of one store part. */
export const part = (t: Test, options: ContractOptions | undefined, name: string) =>
  (subtest: string, fn: (t: Test) => Promise<void>) => clause(t, options, name, subtest, fn)

const copy = <V>(value: V): V => value === null || typeof value !== 'object' ? value : structuredClone(value)
const BY_VALUE = Symbol('byValue')

/**
 * The contract is about values: what a caller hands a store and what it reads back. A store may
 * keep references to what it is handed, or hand out its own live objects (LowDB does both: its
 * documents live in memory and a caller is trusted not to mutate them); another (PostgreSQL)
 * copies by nature. So the clauses see the store through this wrapper, which copies every plain
 * argument, every result and every value a callback returns — a clause then never passes or
 * fails because a fixture object was aliased. Callbacks still get the store's own object to
 * change: that is how `change` works. Idempotent.
 */
export function byValue (open: OpenStore): OpenStore {
  if ((open as { [BY_VALUE]?: true })[BY_VALUE]) return open
  const wrapped: OpenStore = async t => copying(await open(t))
  return Object.assign(wrapped, { [BY_VALUE]: true as const })
}

/** wrapper → the store it wraps */
const wrappedStores = new WeakMap<Repository, Repository>()

function copying (repo: Repository): Repository {
  const proxy = new Proxy(repo, {
    get (target, key, receiver) {
      const member = Reflect.get(target, key, receiver)
      if (typeof member !== 'function') return member
      return (...args: unknown[]) => {
        const passed = args.map(a => typeof a === 'function' ? (...inner: unknown[]) => copy(a(...inner)) : copy(a))
        const result = member.apply(target, passed)
        return result instanceof Promise ? result.then(copy) : copy(result)
      }
    }
  })
  wrappedStores.set(proxy, repo)
  return proxy
}

/** Restarts the store through the store's `reopen` (null when it gives none), seen through byValue again. */
export async function restart (t: Test, options: ContractOptions | undefined, repo: Repository): Promise<Repository | null> {
  if (!options?.reopen) return null
  return copying(await options.reopen(t, wrappedStores.get(repo) ?? repo))
}
