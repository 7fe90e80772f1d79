// Why the autopilot did — or did not — act: its run records, newest first. One function for the
// REST route (GET /api/autopilot/runs) and the coach's getAutopilotRuns tool.
import { getAccount } from '../accounts/accounts.js'
import type { AccountStore } from '../store/account-store.js'
import type { AutopilotStore } from '../store/autopilot-store.js'
import type { AutopilotRun } from './autopilot-schemas.js'

export async function autopilotRuns (repo: AccountStore & AutopilotStore, userId: string, limit: number): Promise<AutopilotRun[]> {
  await getAccount(repo, userId)
  return [...await repo.listAutopilotRuns(userId)].reverse().slice(0, limit)
}
