// The Repository contract: every store (LowDB always, PostgreSQL when it is there) runs all of it,
// unchanged. A new repository method gets its clauses here with it.
//
// A store's test file (see ../lowdb-contract.test.ts) gives three things:
//   - open(t): a fresh, empty store, its teardown registered on t (LowDB: a temp directory;
//     PostgreSQL: e.g. a private database or schema per clause, dropped at teardown);
//   - reopen(t, repo), optional: close it and open the same storage again (the durability clauses);
//   - knownDeviations, optional: clause names ("<part>: <clause>") it fails today, each with why.
// Clauses see the store through byValue (harness.ts): arguments and results are copies, so no
// clause depends on whether a store keeps or hands out references.
import type { Test } from 'tap'
import { accountContract } from './accounts.js'
import { autopilotContract } from './autopilot.js'
import { calendarContract } from './calendar.js'
import { channelContract } from './channels.js'
import { coachContract } from './coach.js'
import { commitmentContract } from './commitments.js'
import { durabilityContract } from './durability.js'
import { exportAndDeleteContract } from './export-and-delete.js'
import { registeredClauses, type ContractFn, type ContractOptions, type OpenStore } from './harness.js'
import { interventionContract } from './interventions.js'
import { nudgeContract } from './nudges.js'
import { outboxContract } from './outbox.js'
import { planContract } from './plans.js'
import { unknownUserContract } from './unknown-user.js'
import { workoutContract } from './workouts.js'

export type { ContractOptions, OpenStore } from './harness.js'

export const PARTS: Readonly<Record<string, ContractFn>> = {
  accounts: accountContract,
  workouts: workoutContract,
  coach: coachContract,
  plans: planContract,
  calendar: calendarContract,
  channels: channelContract,
  nudges: nudgeContract,
  outbox: outboxContract,
  interventions: interventionContract,
  commitments: commitmentContract,
  autopilot: autopilotContract,
  'unknown user': unknownUserContract,
  'export and delete': exportAndDeleteContract,
  durability: durabilityContract
}

/** Registers the whole contract on `t`, one subtest per store part. */
export function runRepositoryContract (t: Test, open: OpenStore, options: ContractOptions = {}): void {
  for (const [name, contract] of Object.entries(PARTS)) {
    void t.test(name, async t => { contract(t, open, options) })
  }
  // Runs after the parts (subtests of one file run in order): a typo would silently stop marking.
  void t.test('every declared known deviation names a clause', async t => {
    t.same(Object.keys(options.knownDeviations ?? {}).filter(name => !registeredClauses.has(name)), [])
  })
}
