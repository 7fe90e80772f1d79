// The Repository contract (test/store/contract/) against the embedded LowDB store: each clause
// gets a fresh data directory, closed and removed when the clause ends.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import { runRepositoryContract, type OpenStore } from './contract/index.js'

const open: OpenStore = async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-contract-'))
  const repo = await LowdbRepository.open({ dataDir })
  // Teardowns run last-registered first: close (flushes, releases the lock), then remove the dir.
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  t.teardown(() => repo.close())
  return repo
}

// Where LowDB breaks the contract today. Each runs as a tap todo (reported, not failing) until
// fixed; then delete its line. Do not add to this list to make a new clause pass.
const CONCURRENT_CLAIMS = 'DueQueue.claimDue awaits every shard read before it records its leases, so two claims in ' +
  'flight together both return every due entry (harmless today only because each consumer runs one claim at a time per process)'
const knownDeviations = {
  'outbox queue: two concurrent claims never return the same entry, and together take every due one': CONCURRENT_CLAIMS,
  'outbox queue: many concurrent small claims: each due entry is taken exactly once': CONCURRENT_CLAIMS,
  'commitment checks: two concurrent claims never return the same entry, and together take every due one': CONCURRENT_CLAIMS,
  'commitment checks: many concurrent small claims: each due entry is taken exactly once': CONCURRENT_CLAIMS,
  'autopilot checkpoints: two concurrent claims never return the same entry, and together take every due one': CONCURRENT_CLAIMS,
  'autopilot checkpoints: many concurrent small claims: each due entry is taken exactly once': CONCURRENT_CLAIMS,
  'calendar: setCalendar replaces the calendar whole: fields the new one lacks are gone':
    'setCalendar merges (Object.assign) into the stored calendar, so an upload after a URL subscription keeps the old subscription',
  'unknown user: setCalendar for nobody stores nothing (whether it resolves or rejects)':
    'setCalendar does not check the account: it creates a calendar file for any id, listed by listCalendarSubscriptions'
}

runRepositoryContract(t, open, { knownDeviations })
