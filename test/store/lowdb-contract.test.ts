// The Repository contract (test/store/contract/) against the embedded LowDB store: each clause
// gets a fresh data directory, closed and removed when the clause ends; a restart is closing the
// store and opening the same directory again.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { LowdbRepository } from '../../src/store/lowdb/lowdb-repository.js'
import type { Repository } from '../../src/store/repository.js'
import { runRepositoryContract, type OpenStore } from './contract/index.js'

const dataDirs = new WeakMap<Repository, string>()

async function openAt (t: Test, dataDir: string): Promise<LowdbRepository> {
  const repo = await LowdbRepository.open({ dataDir })
  dataDirs.set(repo, dataDir)
  let closed = false
  const close = repo.close.bind(repo)
  // A restart closes it first; the teardown closes whatever is still open.
  repo.close = async () => { if (!closed) { closed = true; await close() } }
  t.teardown(() => repo.close())
  return repo
}

const open: OpenStore = async t => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ra-contract-'))
  // Teardowns run last-registered first: the store closes (flushes, releases the lock), then the directory goes.
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  return openAt(t, dataDir)
}

async function reopen (t: Test, repo: Repository): Promise<Repository> {
  const dataDir = dataDirs.get(repo)
  if (!dataDir) throw new Error('reopen: not a store this file opened')
  await repo.close()
  return openAt(t, dataDir)
}

runRepositoryContract(t, open, { reopen })
